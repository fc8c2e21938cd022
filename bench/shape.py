"""The invented council's shape: its portfolios and committee remits, the blocks of its plan
and the kinds of block its plan declares (its own words, as any council's plan does)."""

from __future__ import annotations

PORTFOLIOS = (
    ("economy-regeneration-housing", "Economy, Regeneration & Housing", 25),
    ("children-families-education", "Children, Families & Education", 20),
    ("adult-care-health", "Adult Care & Health", 15),
    ("climate-environment", "Climate Change & Environment", 12),
    ("communities-culture", "Communities, Culture & Sport", 10),
    ("finance-resources", "Finance & Resources", 10),
    ("highways-transport", "Highways & Transport", 8),
)
# Committee remits by portfolio index: every portfolio is in exactly one committee's remit.
REMITS = ((0, 6), (1, 5), (2,), (3,), (4,))
BLOCKS = (
    ("CS", "core", None, "Core services"),
    ("A1", "priority", 1, "Investment, jobs and homes"),
    ("A2", "priority", 2, "Thriving neighbourhoods"),
    ("A3", "priority", 3, "A great start in life"),
    ("A4", "priority", 4, "Living well for longer"),
    ("A5", "priority", 5, "A climate-friendly borough"),
    ("T1", "theme", None, "Tackling inequality"),
    ("T2", "theme", None, "Digital by default"),
    ("E1", "enabler", 1, "Our people"),
    ("E2", "enabler", 2, "Our money"),
    ("E3", "enabler", 3, "Our data and technology"),
)
# (slug, singular, plural, numbered, cuts across): the bench plan's own kinds of block.
KINDS = (
    ("core", "Core services", "Core services", False, False),
    ("priority", "Priority", "Priorities", True, False),
    ("theme", "Theme", "Themes", False, True),
    ("enabler", "Enabler", "Enablers", True, False),
)
