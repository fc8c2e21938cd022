"""The status rules applied to indicators: which target a reading answers to, what it follows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.roles import Role
from measures.models import Reading, TrajectoryTarget
from measures.performance import Rag
from measures.rag import last_before, reading_rag, target_spec_for
from tests import factories as make

pytestmark = pytest.mark.django_db


def test_without_a_period_target_a_reading_answers_to_the_trajectory_line() -> None:
    indicator = make.indicator()
    TrajectoryTarget.objects.create(
        indicator=indicator,
        start_date=date(2024, 4, 1),
        start_value=Decimal(0),
        due_date=date(2027, 3, 31),
        value=Decimal(1500),
    )
    period = make.quarter(2025, 2)  # ends 30 September 2025: 547 of 1,094 days, exactly half
    spec = target_spec_for(indicator, period)
    assert spec is not None
    assert spec.value == Decimal(750)
    officer = make.user(Role.OFFICER)
    indicator.owner = officer
    indicator.save()
    on_line = make.draft(indicator, period, "760", officer)
    assert reading_rag(on_line) == Rag.GREEN


def test_a_period_target_wins_over_the_trajectory() -> None:
    indicator = make.indicator()
    period = make.quarter()
    make.target(indicator, period, "40")
    TrajectoryTarget.objects.create(
        indicator=indicator,
        start_date=date(2024, 4, 1),
        start_value=Decimal(0),
        due_date=date(2027, 3, 31),
        value=Decimal(1500),
    )
    assert target_spec_for(indicator, period).value == Decimal(40)  # type: ignore[union-attr]


def test_no_target_and_no_trajectory_is_no_target_never_green() -> None:
    officer = make.user(Role.OFFICER)
    indicator = make.indicator(owner=officer)
    reading = make.draft(indicator, make.quarter(), "99", officer)
    assert target_spec_for(indicator, reading.period) is None
    assert reading_rag(reading) == Rag.NO_TARGET


def test_the_last_value_skips_periods_with_no_reading() -> None:
    officer = make.user(Role.OFFICER)
    indicator = make.indicator(owner=officer)
    q4 = make.quarter(2024, 4)
    make.quarter(2025, 1)  # no reading in the quarter just before
    current = make.quarter(2025, 2)
    make.draft(indicator, q4, "5", officer)
    readings = list(Reading.objects.select_related("period"))
    previous = last_before(current, readings, indicator)
    assert previous is not None and previous.period == q4
