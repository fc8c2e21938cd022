"""Reads for the officer and performance-team pages, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from measures import rag
from measures.models import Indicator, Reading, ReportingPeriod, Target
from measures.performance import Change, Rag, TargetSpec, far_change
from measures.periods import periods_attach
from measures.permissions import indicators_editable_by
from measures.plans import reported_in

DUE_IN_QUARTERS = (Indicator.Frequency.MONTHLY, Indicator.Frequency.QUARTERLY)
APPROVED = (Reading.Status.APPROVED, Reading.Status.PUBLISHED)
SUBMITTED = (Reading.Status.SUBMITTED, *APPROVED)


def period_get(*, code: str) -> ReportingPeriod:
    period = ReportingPeriod.objects.filter(code=code).first()
    if period is None:
        raise Http404(f"There is no reporting period {code!r}.")
    return period


def periods_open() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).order_by("-end")


def indicators_due(period: ReportingPeriod) -> QuerySet[Indicator]:
    """Indicators reported in this period: quarterly ones in quarters, annual ones in years."""
    frequencies = (
        DUE_IN_QUARTERS
        if period.kind == ReportingPeriod.Kind.QUARTER
        else (Indicator.Frequency.ANNUAL,)
    )
    return Indicator.objects.filter(reported_in(period), frequency__in=frequencies)


# Readings the officer has handed in: what reminders, completion and progress count as done.
HANDED_IN = (Reading.Status.SUBMITTED, Reading.Status.APPROVED, Reading.Status.PUBLISHED)


@dataclass
class ReturnRow:
    """One line of an officer's return: the indicator, this period's reading and context."""

    indicator: Indicator
    reading: Reading | None
    previous: Reading | None
    target: Target | None
    target_spec: TargetSpec | None
    rag: Rag


def returns_for(*, user: User, period: ReportingPeriod) -> list[ReturnRow]:
    """Every indicator the user must report for the period, with last value, target, status."""
    # Only what the row can use is loaded: readings of this kind of period up to this one (the
    # previous comparable value is among them), this period's target and its year's (a
    # cumulative Q4 answers to the year's), each period taken from one list, not per row.
    periods = ReportingPeriod.objects.in_bulk()
    target_periods = [
        p.pk
        for p in periods.values()
        if p.pk == period.pk
        or (p.kind == ReportingPeriod.Kind.YEAR and p.financial_year == period.financial_year)
    ]
    comparable = Reading.objects.filter(period__kind=period.kind, period__start__lte=period.start)
    indicators = (
        indicators_editable_by(user)
        .filter(pk__in=indicators_due(period).values("pk"))
        .select_related("impact_measure__ambition__kind", "lead_portfolio")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.filter(period__in=target_periods)),
            "trajectories",
            Prefetch(
                "readings",
                queryset=comparable.order_by("period__start"),
                to_attr="all_readings",
            ),
        )
        .order_by("position")
    )
    rows = []
    for indicator in indicators:
        readings = indicator.all_readings
        periods_attach([*readings, *indicator.targets.all()], periods)
        reading = next((r for r in readings if r.period_id == period.pk), None)
        rows.append(
            ReturnRow(
                indicator=indicator,
                reading=reading,
                previous=rag.last_before(period, readings, indicator),
                target=rag.target_for(indicator, period),
                target_spec=rag.target_spec_for(indicator, period),
                rag=rag.reading_rag(reading, indicator=indicator, period=period),
            )
        )
    return rows


def approval_queue() -> QuerySet[Reading]:
    """Readings waiting for the performance team, oldest period first, with what judging them
    needs (targets and trajectories) loaded for every row at once."""
    return (
        Reading.objects.filter(status=Reading.Status.SUBMITTED)
        .select_related("indicator__lead_portfolio", "period", "submitted_by")
        .prefetch_related(
            Prefetch("indicator__targets", queryset=Target.objects.select_related("period")),
            "indicator__trajectories",
        )
        .order_by("period__start", "indicator__position")
    )


def queue_submitters() -> QuerySet[User]:
    """The people whose submitted readings are waiting for approval, by name."""
    waiting = Reading.objects.filter(status=Reading.Status.SUBMITTED).values("submitted_by")
    return User.objects.filter(pk__in=waiting).order_by("first_name", "last_name", "username")


POINTS = (Indicator.Unit.PERCENTAGE, Indicator.Unit.PERCENTAGE_POINTS)


def change_from_earlier(reading: Reading, earlier: EarlierFigure | None) -> Change | None:
    """Higher or lower when the reading is far from the earlier figure, else None. A
    cumulative indicator's figures grow through the year and a yes or no has no size, so
    neither is compared."""
    if earlier is None or earlier.value is None or reading.value is None:
        return None
    if reading.indicator.cumulative:
        return None
    unit = reading.indicator.unit
    if unit == Indicator.Unit.YES_NO:
        return None
    return far_change(reading.value, earlier.value, in_points=unit in POINTS)


@dataclass(frozen=True)
class QueueRow:
    """One reading in the approval queue with what a person needs to sanity-check it: what it
    is judged against, its RAG, the figure before it, and whether it is far from that."""

    reading: Reading
    target: TargetSpec | None
    rag: Rag
    earlier: EarlierFigure | None
    change: Change | None


def approval_rows(readings: Sequence[Reading]) -> list[QueueRow]:
    """The queue's readings as rows (from approval_queue: two more queries, however many)."""
    earlier = earlier_figures((r.indicator_id, r.period_id) for r in readings)
    rows = []
    for reading in readings:
        indicator, period = reading.indicator, reading.period
        before = earlier.get((indicator.pk, period.pk))
        rows.append(
            QueueRow(
                reading=reading,
                target=rag.target_spec_for(indicator, period),
                rag=rag.reading_rag(reading),
                earlier=before,
                change=change_from_earlier(reading, before),
            )
        )
    return rows


@dataclass(frozen=True)
class EarlierFigure:
    """The figure before this one, as the returns workflow sees it: which period, and what."""

    period: ReportingPeriod
    value: Decimal | None


def earlier_figures(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], EarlierFigure]:
    """For each (indicator id, period id), the indicator's latest reading with a value in an
    earlier period of the same kind (drafts included: the officer's own view), to compare a
    new figure with even when the quarter just before was never reported."""
    wanted = set(pairs)
    if not wanted:
        return {}
    periods = ReportingPeriod.objects.in_bulk({p for _, p in wanted})
    earlier = (
        Reading.objects.filter(
            indicator_id__in={i for i, _ in wanted},
            value__isnull=False,
            period__start__lt=max(p.start for p in periods.values()),
        )
        .select_related("period")
        .order_by("indicator_id", "-period__start")
    )
    by_indicator: dict[int, list[Reading]] = {}
    for reading in earlier:
        by_indicator.setdefault(reading.indicator_id, []).append(reading)
    found: dict[tuple[int, int], EarlierFigure] = {}
    for indicator_id, period_id in wanted:
        period = periods[period_id]
        before = (
            r
            for r in by_indicator.get(indicator_id, [])
            if r.period.start < period.start and r.period.kind == period.kind
        )
        latest = next(before, None)
        if latest is not None:
            found[(indicator_id, period_id)] = EarlierFigure(latest.period, latest.value)
    return found


@dataclass(frozen=True)
class ReturnsProgress:
    """How far an officer's return for a period has got, for the top of My returns."""

    total: int
    entered: int
    handed_in: int
    returned: list[ReturnRow]


def returns_progress(rows: Sequence[ReturnRow]) -> ReturnsProgress:
    """Entered: a reading exists (drafts included); handed in: submitted or beyond; returned:
    sent back by the performance team, each to be acted on."""
    return ReturnsProgress(
        total=len(rows),
        entered=sum(1 for row in rows if row.reading is not None),
        handed_in=sum(1 for row in rows if row.reading and row.reading.status in HANDED_IN),
        returned=[
            row for row in rows if row.reading and row.reading.status == Reading.Status.RETURNED
        ],
    )
