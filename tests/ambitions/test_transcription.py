"""The fixtures carry the plan faithfully: every block, focus area, impact measure and number."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from ambitions.models import Ambition, Commitment, FocusArea, ImpactMeasure, Plan, Scheme

# Block code: (kind, focus areas, impact measures), in the plan's order.
BLOCKS = {
    "CS": ("core_services", 3, 3),
    "A1": ("ambition", 4, 4),
    "A2": ("ambition", 4, 9),
    "A3": ("ambition", 4, 7),
    "A4": ("ambition", 5, 6),
    "FI": ("cross_cutting_theme", 5, 6),
    "CAN": ("cross_cutting_theme", 4, 6),
    "E1": ("enabling_programme", 5, 0),
    "E2": ("enabling_programme", 4, 0),
    "E3": ("enabling_programme", 3, 0),
    "E4": ("enabling_programme", 4, 0),
}


@pytest.fixture
def plan(shared_plan: Plan) -> Plan:
    """The plan, loaded once for this module: its tests only read it."""
    return shared_plan


def normalise(text: str) -> str:
    """Text compared without bold markers, quotes' style or line breaks."""
    text = text.replace("**", "").replace("\\_", "").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def test_every_block_is_there_in_the_plans_order_with_its_kind(plan: Plan) -> None:
    blocks = list(plan.ambitions.order_by("position"))
    assert [(b.code, b.kind.slug) for b in blocks] == [(c, k[0]) for c, k in BLOCKS.items()]
    assert [b.label for b in blocks[1:5]] == [
        "Ambition 1: Investment, regeneration and creating jobs",
        "Ambition 2: Education, work, and skills",
        "Ambition 3: Wellbeing in neighbourhoods",
        "Ambition 4: Delivering for those who need it most",
    ]
    assert [b.label for b in blocks[7:]] == [
        "Enabler 1: Our workforce",
        "Enabler 2: Working with others",
        "Enabler 3: Radically digital Stockport",
        "Enabler 4: Delivering change and spending wisely",
    ]


@pytest.mark.parametrize(("code", "expected"), BLOCKS.items())
def test_each_block_has_the_plans_focus_areas_and_impact_measures(
    plan: Plan, code: str, expected: tuple[str, int, int]
) -> None:
    block = Ambition.objects.get(plan=plan, code=code)
    _, focus_areas, impact_measures = expected
    assert block.focus_areas.count() == focus_areas
    assert block.impact_measures.count() == impact_measures
    assert [a.code for a in block.focus_areas.order_by("position")] == [
        f"{code}.F{n}" for n in range(1, focus_areas + 1)
    ]


def test_a_sample_of_titles_is_exactly_the_plans_words(plan: Plan) -> None:
    titles = {a.code: a.title for a in FocusArea.objects.filter(ambition__plan=plan)}
    assert titles["CS.F1"] == "To put people at the heart of what we do"
    assert titles["A1.F1"] == "To drive investment in regeneration projects"
    assert titles["A1.F4"] == "To implement transport projects"
    assert titles["A2.F4"] == (
        "To improve access to work for adults and support for those re-entering the job market"
    )
    assert titles["A3.F4"] == "To deliver collaborative health and care"
    assert titles["A4.F4"] == "To support the children in our care and care leavers"
    assert titles["CAN.F4"] == "To protect and enhance the natural environment"
    assert titles["E2.F1"] == "To develop One Stockport: One Future"
    assert titles["E4.F2"] == "To deliver of a three-year savings programme and recovery plans"
    statements = {m.code: m.statement for m in ImpactMeasure.objects.filter(ambition__plan=plan)}
    assert statements["A2.M5"] == "Fewer fixed-term exclusions from school."
    assert statements["A4.M4"] == (
        "We have achieved a positive outcome in our first Care Quality Commission inspection."
    )
    assert statements["CAN.M4"] == (
        "A new orchard and wildflower meadow in every ward and 10 new woodlands across the borough."
    )


def test_every_title_description_and_statement_is_in_the_plans_text(
    plan: Plan, plan_text: str
) -> None:
    source = normalise(plan_text)
    missing = []
    for area in FocusArea.objects.filter(ambition__plan=plan):
        missing += [f"{area.code} title" for _ in [1] if normalise(area.title) not in source]
        # Each paragraph, and each bullet of a list, must stand in the source as written.
        for part in re.split(r"\n\n|\n(?=- )", area.description):
            text = normalise(part.removeprefix("- "))
            if text not in source:
                missing.append(f"{area.code} description: {text[:60]}")
    for measure in ImpactMeasure.objects.filter(ambition__plan=plan):
        if normalise(measure.statement) not in source:
            missing.append(f"{measure.code} statement")
    assert missing == []


def test_the_vision_mission_and_values(plan: Plan) -> None:
    assert plan.vision == "Ambitious Stockport, a place everyone is proud to call home"
    assert plan.mission == "To create opportunities for Stockport"
    assert [v.name for v in plan.values.order_by("position")] == [
        "Thinking Stockport",
        "Achieving as a Team",
        "Working with Ambition",
        "Showing everyone Respect",
    ]
    assert (plan.period_start, plan.period_end) == (date(2024, 4, 1), date(2027, 3, 31))


@pytest.mark.parametrize(
    ("quantity", "unit", "due_date", "linked_to"),
    [
        (1500, "homes", date(2027, 3, 31), "A1.M1"),
        (500, "affordable homes", date(2027, 3, 31), "A1.M1"),
        (4000, "homes", date(2035, 12, 31), "mayoral-development-corporation"),
        (1000000, "square feet of employment floorspace", date(2035, 12, 31), None),
        (5300, "jobs", date(2035, 12, 31), "mayoral-development-corporation"),
        (1500, "new businesses", None, None),
        (6500, "people into employment", None, None),
        (4, "jobs fairs per year", None, None),
        (1, "orchard per ward", None, "CAN.M4"),
        (1, "wildflower meadow per ward", None, "CAN.M4"),
        (10, "new woodlands", None, "CAN.M4"),
        (0, "tonnes CO2e net", date(2030, 12, 31), "CAN.M5"),
    ],
)
def test_the_numbers_the_plan_commits_to_are_in_the_data(
    plan: Plan, quantity: int, unit: str, due_date: date | None, linked_to: str | None
) -> None:
    found = Commitment.objects.filter(
        ambition__plan=plan, quantity=Decimal(quantity), unit=unit, due_date=due_date
    ).select_related("scheme", "impact_measure")
    assert found.exists(), f"no commitment of {quantity} {unit} due {due_date}"
    if linked_to:
        links = {c.impact_measure.code if c.impact_measure else None for c in found}
        links |= {c.scheme.slug if c.scheme else None for c in found}
        assert linked_to in links


@pytest.mark.parametrize(
    ("scheme", "quantity", "unit"),
    [
        ("stockport-interchange", 196, "apartments"),
        ("weir-mill", 253, "apartments"),
        ("royal-george-village", 442, "apartments"),
        ("great-places-chestergate", 144, "affordable homes"),
        ("stockport8", 1200, "homes"),
        ("cheadle-eco-business-park", 115000, "square feet"),
        ("cheadle-eco-business-park", 200, "jobs"),
    ],
)
def test_each_schemes_own_figures_are_in_the_data(
    plan: Plan, scheme: str, quantity: int, unit: str
) -> None:
    assert Commitment.objects.filter(
        scheme__slug=scheme, quantity=Decimal(quantity), unit=unit
    ).exists()


def test_the_schemes_carry_the_plans_dates(plan: Plan) -> None:
    cheadle = Scheme.objects.get(slug="cheadle-eco-business-park")
    milestones = [(m.due, m.due_date, m.status) for m in cheadle.milestones.order_by("position")]
    assert milestones == [
        ("end of 2023", date(2023, 12, 31), "complete"),
        ("in 2024/25", date(2025, 3, 31), "planned"),
        ("in 2025/26", date(2026, 3, 31), "planned"),
        ("by 2027", date(2027, 3, 31), "planned"),
    ]
    interchange = Scheme.objects.get(slug="stockport-interchange").milestones.get()
    assert (interchange.due, interchange.due_date) == ("during 2024/25", date(2025, 3, 31))


def test_the_blocks_name_the_borough_plan_strands_they_support(plan: Plan) -> None:
    supports = {
        a.code: sorted(t.slug for t in a.supports.all())
        for a in plan.ambitions.prefetch_related("supports")
    }
    assert supports["A1"] == ["jobs-and-homes", "one-future-enterprising-and-thriving"]
    assert supports["A2"] == ["best-place-to-grow-up", "one-future-skilled-and-confident"]
    assert supports["A3"] == [
        "best-health-and-care",
        "one-heart-healthy-and-happy",
        "thriving-neighbourhoods",
    ]
    assert supports["CAN"] == ["one-home-climate-friendly"]
