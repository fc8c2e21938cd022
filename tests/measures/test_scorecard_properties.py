"""The stored scorecard cannot drift: after every step of a random sequence of changes to
readings (through the services and on their own), targets, trajectories and indicators, every
stored score equals one judged afresh from the readings each audience may see, as
measures/permissions.py says it may."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.roles import Role
from measures import services
from measures.models import Indicator, Reading, ReportingPeriod, Score, Target, TrajectoryTarget
from measures.periods import periods_attach
from measures.permissions import open_data_readings, readings_members_see
from measures.scorecard import figures_of, judge, kind_of
from tests import factories as make

pytestmark = pytest.mark.django_db
OPS = (
    "save",
    "submit",
    "approve",
    "return",
    "publish",
    "reading_directly",
    "target",
    "target_gone",
    "trajectory",
    "public",
    "polarity",
    "cumulative",
    "seasonal",
)
steps = st.lists(
    st.tuples(
        st.sampled_from(OPS),
        st.integers(0, 2),  # which indicator (the third is annual)
        st.integers(0, 3),  # which quarter (an annual indicator's is the year; 2: a year on)
        st.integers(0, 90),  # a value
    ),
    min_size=1,
    max_size=30,
)
AUDIENCE_READINGS = {
    "public": open_data_readings,
    "members": readings_members_see,
    "workflow": Reading.objects.all,
}


def fresh_scores() -> dict[tuple[int, int, str], tuple[object, ...]]:
    """Every score judged afresh, from the readings measures.permissions lets each see."""
    periods = list(ReportingPeriod.objects.order_by("start", "-end"))
    by_pk = {p.pk: p for p in periods}
    expected = {}
    for indicator in Indicator.objects.prefetch_related("targets", "trajectories"):
        periods_attach(indicator.targets.all(), by_pk)
        own = [p for p in periods if p.kind == kind_of(indicator)]
        for audience, readings in AUDIENCE_READINGS.items():
            visible = {r.period_id: r for r in readings().filter(indicator=indicator)}
            for position, period in enumerate(own):
                score = judge(indicator, own, position, visible, audience)
                expected[(indicator.pk, period.pk, audience)] = figures_of(score)
    return expected


def stored_scores() -> dict[tuple[int, int, str], tuple[object, ...]]:
    return {(s.indicator_id, s.period_id, s.audience): figures_of(s) for s in Score.objects.all()}


def act(op: str, which: int, when: int, value: int, world: dict) -> None:
    indicator = Indicator.objects.get(pk=world["indicators"][which].pk)
    # Mostly the first two quarters, so that one reading goes through many steps.
    period = world["periods"][min(when, 1) if indicator.frequency != "annual" else 4]
    if when in (2, 3) and indicator.frequency != "annual":
        # Q4 leaves Q3 without a figure; the next year's Q1 is a year on from the first.
        period = world["periods"][3 if when == 3 else 5]
    period.refresh_from_db()
    reading = Reading.objects.filter(indicator=indicator, period=period).first()
    officer, team, team2 = world["officer"], world["team"], world["team2"]
    if op == "save":
        services.reading_save(
            indicator=indicator,
            period=period,
            data=services.ReadingInput(value=Decimal(value), commentary="Why"),
            by=officer,
            expected_version=reading.version if reading else 0,
        )
    elif op == "submit" and reading:
        services.reading_submit(reading=reading, by=officer, expected_version=reading.version)
    elif op == "approve" and reading:
        if reading.status in services.EDITABLE:  # the officer submits it first
            reading = services.reading_submit(
                reading=reading, by=officer, expected_version=reading.version
            )
        services.reading_approve(reading=reading, by=team2, expected_version=reading.version)
    elif op == "return" and reading:
        services.reading_return(
            reading=reading, by=team, note="Check it", expected_version=reading.version
        )
    elif op == "publish" and period.state == "open":
        # The way a quarter ends: what is in the workflow is approved, then it is published.
        for waiting in Reading.objects.filter(period=period).select_related("indicator", "period"):
            if waiting.status in services.EDITABLE and waiting.value is not None:
                waiting = services.reading_submit(
                    reading=waiting, by=officer, expected_version=waiting.version
                )
            if waiting.status == Reading.Status.SUBMITTED:
                services.reading_approve(
                    reading=waiting, by=team2, expected_version=waiting.version
                )
        services.period_close(period=period, by=team)
        services.period_publish(period=period, by=team)
    elif op == "reading_directly":
        if reading is None:
            Reading.objects.create(indicator=indicator, period=period, value=Decimal(value))
        else:
            reading.value = Decimal(value)
            reading.save()
    elif op == "target":
        Target.objects.update_or_create(
            indicator=indicator,
            period=period,
            defaults={"value": Decimal(value), "tolerance": Decimal(value % 7)},
        )
    elif op == "target_gone":
        Target.objects.filter(indicator=indicator, period=period).delete()
    elif op == "trajectory":
        TrajectoryTarget.objects.update_or_create(
            indicator=indicator,
            due_date=world["periods"][3].end,
            defaults={
                "start_date": world["periods"][0].start,
                "start_value": Decimal(0),
                "value": Decimal(value),
            },
        )
    elif op == "public":
        indicator.is_public = not indicator.is_public
        indicator.save()
    elif op == "polarity":
        indicator.polarity = (
            "lower_is_better" if indicator.polarity == "higher_is_better" else "higher_is_better"
        )
        indicator.save()
    elif op == "cumulative":
        indicator.cumulative = not indicator.cumulative
        indicator.save()
    elif op == "seasonal":
        indicator.seasonal = not indicator.seasonal
        indicator.save()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=steps)
def test_the_stored_scorecard_always_equals_a_fresh_judgement(script) -> None:
    with transaction.atomic():
        officer = make.user(Role.OFFICER)
        world = {
            "officer": officer,
            "team": make.user(Role.PERFORMANCE_TEAM),
            "team2": make.user(Role.PERFORMANCE_TEAM),
            "periods": [make.quarter(2025, n) for n in (1, 2, 3, 4)]
            + [make.year(2025), make.quarter(2026, 1)],
            "indicators": [
                make.indicator(owner=officer),
                make.indicator(owner=officer, unit="percentage", decimal_places=1),
                make.indicator(owner=officer, frequency="annual"),
            ],
        }
        assert stored_scores() == fresh_scores()
        for op, which, when, value in script:
            try:
                with transaction.atomic():
                    act(op, which, when, value, world)
            except (ValidationError, PermissionDenied):
                pass  # refused, and nothing changed: the scorecard must still be true
            assert stored_scores() == fresh_scores(), (op, which, when, value)
        transaction.set_rollback(True)
