"""The synthetic council's figures: targets, trajectories and comparators, readings (published
history and the open quarter's drafts) and one indicator's reading history."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from bench.council import Periods, Spec, insert
from measures.models import (
    Comparator,
    Indicator,
    Reading,
    ReadingEvent,
    ReportingPeriod,
    Target,
    TrajectoryTarget,
)

COMMENTARY = (
    "Performance reflects seasonal demand; the service expects improvement next quarter as "
    "new staff start and the backlog clears."
)


def council_targets(specs: Sequence[Spec], periods: Periods) -> None:
    """A target every period for half the indicators; a trajectory for 1% of the others."""
    quarters = [*periods.published, periods.open_quarter]
    rows = (
        _target(spec, period)
        for spec in specs
        if spec.targeted
        for period in (periods.published_years if spec.annual else quarters)
    )
    insert(Target, rows)
    first, due = quarters[0].start, periods.open_quarter.end + timedelta(days=730)
    trajectories = [
        TrajectoryTarget(
            indicator_id=spec.pk, start_date=first, due_date=due, value=_decimal(spec.base * 1.5, 0)
        )
        for n, spec in enumerate(specs)
        if n % 100 == 7 and not spec.targeted and spec.unit == Indicator.Unit.COUNT
    ]
    insert(TrajectoryTarget, trajectories)
    comparators = (
        Comparator(
            indicator_id=spec.pk,
            period=periods.published[-1],
            label="England average",
            value=_decimal(spec.base, spec.places),
            source="National statistics",
        )
        for n, spec in enumerate(specs)
        if n % 50 == 3
    )
    insert(Comparator, comparators)


def _target(spec: Spec, period: ReportingPeriod) -> Target:
    """Slightly better than the indicator's usual level, with a 5% tolerance."""
    if spec.unit == Indicator.Unit.YES_NO:
        return Target(indicator_id=spec.pk, period=period, value=Decimal(1))
    factor = 0.95 if spec.polarity == Indicator.Polarity.LOWER_IS_BETTER else 1.05
    value = spec.base * (0.9 if spec.polarity == Indicator.Polarity.ON_TARGET_BAND else factor)
    upper = spec.base * 1.1 if spec.polarity == Indicator.Polarity.ON_TARGET_BAND else None
    if spec.unit == Indicator.Unit.PERCENTAGE:
        value, upper = min(value, 100.0), min(upper, 100.0) if upper is not None else None
    return Target(
        indicator_id=spec.pk,
        period=period,
        value=_decimal(value, spec.places),
        upper=_decimal(upper, spec.places) if upper is not None else None,
        tolerance=_decimal(value * 0.05, spec.places),
    )


def _decimal(number: float, places: int) -> Decimal:
    """The number rounded to the given places."""
    return Decimal(f"{number:.{places}f}")


def council_readings(specs: Sequence[Spec], periods: Periods, rng: random.Random) -> None:
    """A published reading of every indicator in every published period of its kind."""
    now = timezone.now()

    def rows() -> Iterator[Reading]:
        """Readings one at a time, so only a batch is ever in memory."""
        for n, spec in enumerate(specs):
            for step, period in enumerate(
                periods.published_years if spec.annual else periods.published
            ):
                yield _reading(n, step, spec, period, rng, now)

    insert(Reading, rows())


def _reading(
    n: int, step: int, spec: Spec, period: ReportingPeriod, rng: random.Random, now: datetime
) -> Reading:
    """One published value near the indicator's level (1% missing, with commentary)."""
    missing = (n + step) % 100 == 42
    commented = missing or (n + step) % 3 == 0
    return Reading(
        indicator_id=spec.pk,
        period=period,
        value=None if missing else _value(spec, period, rng),
        commentary=COMMENTARY if commented else "",
        data_quality=Reading.DataQuality.FINAL,
        status=Reading.Status.PUBLISHED,
        version=4,
        is_synthetic=True,
        submitted_by_id=spec.owner_id,
        updated_by_id=spec.owner_id,
        updated_at=now,
    )


def _value(spec: Spec, period: ReportingPeriod, rng: random.Random) -> Decimal:
    """A plausible value for the indicator's unit."""
    if spec.unit == Indicator.Unit.YES_NO:
        return Decimal(1 if rng.random() < 0.8 else 0)
    value = spec.base * rng.uniform(0.85, 1.15)
    if spec.cumulative and period.quarter:
        value *= period.quarter
    if spec.unit == Indicator.Unit.PERCENTAGE:
        value = min(value, 100.0)
    return _decimal(value, spec.places)


def council_drafts(specs: Sequence[Spec], open_quarter: ReportingPeriod) -> None:
    """Draft readings for 30% of the indicators due in the open quarter."""
    now = timezone.now()
    rows = (
        Reading(
            indicator_id=spec.pk,
            period=open_quarter,
            value=_decimal(spec.base, spec.places),
            status=Reading.Status.DRAFT,
            updated_by_id=spec.owner_id,
            updated_at=now,
            is_synthetic=True,
        )
        for n, spec in enumerate(specs)
        if not spec.annual and n % 10 < 3
    )
    insert(Reading, rows)


def indicator_history(spec: Spec, reviewer: User) -> str:
    """Give the indicator page's indicator a full history (four events a reading)."""
    actions = (
        (ReadingEvent.Action.CREATED, spec.owner_id, {"value": [None, "1"]}),
        (ReadingEvent.Action.SUBMITTED, spec.owner_id, {"status": ["draft", "submitted"]}),
        (ReadingEvent.Action.APPROVED, reviewer.pk, {"status": ["submitted", "approved"]}),
        (ReadingEvent.Action.PUBLISHED, reviewer.pk, {"status": ["approved", "published"]}),
    )
    events: list[ReadingEvent] = [
        ReadingEvent(reading=reading, version=v, action=a, by_id=by, changes=changes)
        for reading in Reading.objects.filter(indicator_id=spec.pk, status=Reading.Status.PUBLISHED)
        for v, (a, by, changes) in enumerate(actions, start=1)
    ]
    insert(ReadingEvent, events)
    return Indicator.objects.values_list("code", flat=True).get(pk=spec.pk)
