"""The database holds the rules the code relies on: a row that breaks one is refused by the
database itself (whoever writes it), and the loaders name the rule in the fixture's place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from ambitions.models import Plan
from core.fixtures import FixtureError
from core.roles import Role
from measures.loaders import load_all
from measures.models import Indicator, Reading, ReportingPeriod, Target, TrajectoryTarget
from tests import factories as make

pytestmark = pytest.mark.django_db


def refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_a_target_band_cannot_have_its_upper_edge_below_its_value() -> None:
    target = make.target(make.indicator(), make.quarter(), "50")
    refused(lambda: Target.objects.filter(pk=target.pk).update(upper=Decimal(40)))
    refused(lambda: Target.objects.filter(pk=target.pk).update(tolerance=Decimal(-1)))
    Target.objects.filter(pk=target.pk).update(upper=Decimal(60), tolerance=Decimal(2))


def test_a_period_ends_after_it_starts_and_only_quarters_have_numbers() -> None:
    quarter, year = make.quarter(), make.year()
    refused(lambda: ReportingPeriod.objects.filter(pk=quarter.pk).update(end=date(2020, 1, 1)))
    refused(lambda: ReportingPeriod.objects.filter(pk=quarter.pk).update(quarter=5))
    refused(lambda: ReportingPeriod.objects.filter(pk=quarter.pk).update(quarter=None))
    refused(lambda: ReportingPeriod.objects.filter(pk=year.pk).update(quarter=1))
    refused(lambda: ReportingPeriod.objects.filter(pk=quarter.pk).update(state="maybe"))


def test_an_indicator_ends_no_earlier_than_it_starts_and_holds_only_its_choices() -> None:
    indicator = make.indicator(first_year=2025)
    refused(lambda: Indicator.objects.filter(pk=indicator.pk).update(last_year=2024))
    refused(lambda: Indicator.objects.filter(pk=indicator.pk).update(unit="furlongs"))
    refused(lambda: Indicator.objects.filter(pk=indicator.pk).update(decimal_places=5))
    Indicator.objects.filter(pk=indicator.pk).update(last_year=2025)


def test_a_reading_holds_only_its_statuses_and_versions_from_one() -> None:
    officer = make.user(Role.OFFICER)
    reading = make.draft(make.indicator(owner=officer), make.quarter(), "5", officer)
    refused(lambda: Reading.objects.filter(pk=reading.pk).update(status="lost"))
    refused(lambda: Reading.objects.filter(pk=reading.pk).update(version=0))
    refused(lambda: Reading.objects.filter(pk=reading.pk).update(data_quality="guess"))


def test_a_trajectory_is_due_after_it_starts_and_a_plan_ends_after_it_begins() -> None:
    indicator = make.indicator()
    refused(
        lambda: TrajectoryTarget.objects.create(
            indicator=indicator,
            start_date=date(2027, 1, 1),
            due_date=date(2026, 1, 1),
            value=Decimal(1),
        )
    )
    refused(lambda: Plan.objects.update(period_end=date(2000, 1, 1)))


def test_the_loader_names_a_field_limit_from_the_model_with_its_place(tmp_path: Path) -> None:
    import shutil

    from django.conf import settings

    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.PLAN_FIXTURES_DIR, fixtures)
    block = fixtures / "plan" / "council-plan-2024-27" / "02-investment-regeneration-and-jobs.yaml"
    text = block.read_text(encoding="utf-8")
    block.write_text(
        text.replace(
            "title: To support the business base in Stockport",
            "title: " + "Long " * 80,
            1,
        ),
        encoding="utf-8",
    )
    with pytest.raises(FixtureError) as caught:
        load_all(fixtures)
    assert any(
        "02-investment-regeneration-and-jobs.yaml" in problem
        and "'title': Ensure this value has at most 300 characters (it has 399)." in problem
        for problem in caught.value.problems
    ), caught.value.problems
    assert not Plan.objects.exists()


# The plan's targets are in fixtures/agreements; the indicators' file may still set targets.
TRAJECTORY = (
    "    trajectories:\n"
    "      - {start_date: 2024-04-01, start_value: 0, due_date: 2027-03-31, value: 1500}"
)


def test_the_loader_names_a_broken_check_constraint_with_its_place(tmp_path: Path) -> None:
    import shutil

    from django.conf import settings

    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.PLAN_FIXTURES_DIR, fixtures)
    indicators = fixtures / "indicators" / "council-plan-2024-27.yaml"
    text = indicators.read_text(encoding="utf-8")
    indicators.write_text(
        text.replace(
            TRAJECTORY,
            '    targets:\n      - {period: "2026-27", value: 1500, upper: 1000}\n' + TRAJECTORY,
            1,
        ),
        encoding="utf-8",
    )
    with pytest.raises(FixtureError) as caught:
        load_all(fixtures)
    [problem] = caught.value.problems
    assert problem.startswith("indicators/council-plan-2024-27.yaml > indicators #")
    assert problem.endswith(
        "> targets #1 (2026-27): a band's upper edge must not be below its lower edge"
    )
    assert not Plan.objects.exists()
