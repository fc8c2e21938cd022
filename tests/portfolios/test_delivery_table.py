"""The plan's "Delivery of our Council Plan" table, its spelling variants, and the committees."""

from __future__ import annotations

import pytest

from ambitions.models import Plan
from portfolios.models import DeliveryPriority, Portfolio, PortfolioNameVariant, ScrutinyCommittee

CCS = "Communities, Culture & Sport"
CFE = "Children, Families & Education"
ERH = "Economy, Regeneration & Housing"
HASC = "Health and Adult Social Care"
PHTS = "Parks, Highways & Transport Services"


@pytest.fixture
def plan(shared_plan: Plan) -> Plan:
    """The plan, loaded once for this module: its tests only read it."""
    return shared_plan


def test_the_table_maps_each_priority_to_its_portfolios_and_blocks(plan: Plan) -> None:
    rows = [
        (
            row.name,
            row.all_cabinet_members,
            [cell.portfolio.name for cell in row.assignments.select_related("portfolio")],
            [block.code for block in row.blocks.order_by("position")],
        )
        for row in DeliveryPriority.objects.filter(plan=plan).order_by("position")
    ]
    assert rows == [
        ("Efficient and Effective Services", True, [], ["CS"]),
        ("Jobs and investment", False, [ERH, CCS, PHTS], ["A1"]),
        ("Education and skills", False, [ERH, CFE], ["A2"]),
        ("Wellbeing, prevention, and neighbourhoods", False, [HASC, CCS, CFE, PHTS], ["A3"]),
        ("Supporting those who need it most", False, [HASC, CFE], ["A4"]),
        ("Enabling programmes", False, ["Finance and Resources"], ["E1", "E2", "E3", "E4"]),
        ("Cross-cutting themes", False, ["Climate Change & Environment", CCS], ["FI", "CAN"]),
    ]


def test_every_spelling_variant_is_resolved_and_recorded(plan: Plan) -> None:
    variants = {v.as_written: v.portfolio.name for v in PortfolioNameVariant.objects.all()}
    assert variants == {
        "Health and Adult Care": HASC,
        "Health and Adult social Care": HASC,
        "Communities and Transport": CCS,
        "Communities Culture & sport": CCS,
        "Parks, Highways & transport Services": PHTS,
    }
    assert all(v.note for v in PortfolioNameVariant.objects.all())
    cells = DeliveryPriority.objects.get(name="Jobs and investment").assignments.all()
    assert [c.as_written for c in cells] == [ERH, "Communities and Transport", PHTS]


def test_each_portfolio_is_in_exactly_one_committees_remit(plan: Plan) -> None:
    assert Portfolio.objects.count() == 7
    for portfolio in Portfolio.objects.all():
        assert portfolio.scrutiny_committees.count() == 1, portfolio.name
    assert ScrutinyCommittee.objects.filter(to_be_confirmed=False).count() == 0
