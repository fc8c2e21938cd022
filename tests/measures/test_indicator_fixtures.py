"""The indicator fixture: every impact measure evidenced, the plan's own targets carried."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from ambitions.models import ImpactMeasure, Plan
from core.fixtures import FixtureError
from measures.loaders import load_all
from measures.models import Indicator, ReportingPeriod, Target, TrajectoryTarget


def test_every_impact_measure_has_at_least_one_indicator(plan: Plan) -> None:
    bare = ImpactMeasure.objects.filter(ambition__plan=plan, indicators__isnull=True)
    assert list(bare.values_list("code", flat=True)) == []


def test_indicators_without_a_number_in_the_plan_are_proposed_with_no_target(plan: Plan) -> None:
    proposed = Indicator.objects.filter(status=Indicator.Status.PROPOSED)
    assert proposed.count() > 40
    assert not Target.objects.filter(indicator__in=proposed).exists()
    assert not TrajectoryTarget.objects.filter(indicator__in=proposed).exists()
    assert not proposed.exclude(baseline_value=None).exists()
    agreed = Indicator.objects.filter(status=Indicator.Status.AGREED)
    assert all(i.source_statement for i in agreed)


@pytest.mark.parametrize(
    ("code", "period", "value"),
    [
        ("A1.M1.1", "2026-27", 1500),
        ("A1.M1.2", "2026-27", 500),
        ("A2.M9.3", "2024-25", 4),
        ("A2.M9.3", "2025-26", 4),
        ("A2.M9.3", "2026-27", 4),
        ("CAN.M4.1", "2026-27", 100),
        ("CAN.M4.2", "2026-27", 100),
        ("CAN.M4.3", "2026-27", 10),
        ("A4.M4.1", "2026-27", 1),
    ],
)
def test_the_plans_stated_targets_are_in_the_fixtures(
    plan: Plan, code: str, period: str, value: int
) -> None:
    target = Target.objects.get(indicator__code=code, period__code=period)
    assert target.value == Decimal(value)


def test_the_dated_commitments_are_trajectories(plan: Plan) -> None:
    homes = TrajectoryTarget.objects.get(indicator__code="A1.M1.1")
    assert (homes.start_date, homes.start_value, homes.due_date, homes.value) == (
        date(2024, 4, 1),
        Decimal(0),
        date(2027, 3, 31),
        Decimal(1500),
    )
    emissions = TrajectoryTarget.objects.get(indicator__code="CAN.M5.1")
    assert (emissions.due_date, emissions.value, emissions.start_value) == (
        date(2030, 12, 31),
        Decimal(0),
        None,
    )
    assert emissions.indicator.polarity == "lower_is_better"


def test_the_plans_financial_years_get_quarters_and_years(plan: Plan) -> None:
    codes = set(ReportingPeriod.objects.values_list("code", flat=True))
    assert {"2024-25", "2024-25-Q1", "2026-27-Q4", "2026-27"} <= codes
    q1 = ReportingPeriod.objects.get(code="2025-26-Q1")
    assert (q1.start, q1.end, q1.deadline, q1.state) == (
        date(2025, 4, 1),
        date(2025, 6, 30),
        date(2025, 7, 30),
        "not_open",
    )


@pytest.mark.django_db
def test_a_reload_keeps_what_the_performance_team_set(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.PLAN_FIXTURES_DIR, fixtures)
    load_all(fixtures)
    indicator = Indicator.objects.get(code="CAN.M5.1")
    indicator.baseline_value, indicator.status, indicator.is_public = Decimal(9000), "agreed", False
    indicator.save()
    target = Target.objects.get(indicator__code="A1.M1.1")
    target.tolerance = Decimal(75)
    target.save()
    period = ReportingPeriod.objects.get(code="2025-26-Q1")
    period.state = "open"
    period.save()
    report = load_all(fixtures)
    assert not report.changed
    indicator.refresh_from_db()
    assert (indicator.baseline_value, indicator.status, indicator.is_public) == (
        Decimal(9000),
        "agreed",
        False,
    )
    assert Target.objects.get(indicator__code="A1.M1.1").tolerance == Decimal(75)
    assert ReportingPeriod.objects.get(code="2025-26-Q1").state == "open"


@pytest.mark.django_db
def test_an_indicator_with_a_mistake_is_refused_with_its_place(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.PLAN_FIXTURES_DIR, fixtures)
    path = fixtures / "indicators" / "council-plan-2024-27.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "    trajectories:\n      - {start_date: 2024-04-01, start_value: 0",
            '    targets:\n      - {period: "2031-32", value: 1500}\n'
            "    trajectories:\n      - {start_date: 2024-04-01, start_value: 0",
            1,
        )
    )
    with pytest.raises(FixtureError) as caught:
        load_all(fixtures)
    assert any(
        "indicators/council-plan-2024-27.yaml" in p and "period '2031-32' does not exist" in p
        for p in caught.value.problems
    ), caught.value.problems
    assert not Indicator.objects.exists()
