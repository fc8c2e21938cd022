"""Dashboards: each indicator's latest visible value, target, RAG, direction and trend.

One pass over prefetched rows, so a dashboard costs the same number of queries whatever the
number of indicators or readings. Every status comes from measures.rag and measures.performance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet

from ambitions.models import Ambition, Milestone
from measures import rag
from measures.models import Comparator, Indicator, Reading, ReportingPeriod, Target
from measures.performance import (
    Direction,
    Rag,
    StatusCounts,
    TargetSpec,
    count_directions,
    count_rag,
    summary_sentence,
)
from measures.periods import periods_attach
from measures.permissions import readings_visible_to
from measures.selectors import DUE_IN_QUARTERS

TREND_LENGTH = 6
QUARTERS_IN_WINDOW = 8  # a trend of six, and the same quarter a year before for YTD figures
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.NO_TARGET: 3, Rag.NO_DATA: 4}
DIRECTION_ORDER = {
    Direction.WORSENED: 0,
    Direction.NO_CHANGE: 1,
    Direction.IMPROVED: 2,
    Direction.NOT_COMPARABLE: 3,
}
SUBMITTED_OR_LATER = (Reading.Status.SUBMITTED, Reading.Status.APPROVED, Reading.Status.PUBLISHED)


@dataclass
class IndicatorRow:
    """One indicator on a dashboard, as this visitor may see it."""

    indicator: Indicator
    period: ReportingPeriod | None
    reading: Reading | None
    previous: Reading | None
    target: TargetSpec | None
    rag: Rag
    direction: Direction
    trend: list[Decimal | None]
    trend_labels: list[str] = field(default_factory=list)  # the trend's periods, oldest first

    @property
    def value(self) -> Decimal | None:
        return self.reading.value if self.reading else None

    @property
    def previous_value(self) -> Decimal | None:
        return self.previous.value if self.previous else None

    @property
    def target_value(self) -> Decimal | None:
        return self.target.value if self.target else None

    @property
    def last_updated(self) -> datetime | None:
        return self.reading.updated_at if self.reading else None

    @property
    def rag_order(self) -> int:
        return RAG_ORDER[self.rag]

    @property
    def direction_order(self) -> int:
        return DIRECTION_ORDER[self.direction]

    @property
    def synthetic(self) -> bool:
        return bool(self.reading and self.reading.is_synthetic)

    @property
    def block(self) -> Ambition:
        return self.indicator.impact_measure.ambition


@dataclass
class Dashboard:
    """Everything a dashboard page shows for one period."""

    period: ReportingPeriod
    rows: list[IndicatorRow]
    missing: list[Indicator]
    quarters: list[ReportingPeriod]  # the window, newest first
    counts: StatusCounts = field(init=False)
    directions: dict[Direction, int] = field(init=False)
    summary: str = field(init=False)

    def __post_init__(self) -> None:
        self.counts = count_rag(row.rag for row in self.rows)
        self.directions = count_directions(row.direction for row in self.rows)
        self.summary = summary_sentence(self.counts, self.directions, len(self.missing))

    def days_to_deadline(self, today: date) -> int:
        return self.period.days_to_deadline(today)


def dashboard_periods() -> QuerySet[ReportingPeriod]:
    """Quarters a dashboard can show, newest first (those that have been opened)."""
    return (
        ReportingPeriod.objects.filter(kind=ReportingPeriod.Kind.QUARTER)
        .exclude(state=ReportingPeriod.State.NOT_OPEN)
        .order_by("-start")
    )


def default_period(user: User | AnonymousUser) -> ReportingPeriod | None:
    """The latest quarter with a reading this visitor may see, else the latest opened one."""
    latest = (
        readings_visible_to(user)
        .filter(period__kind=ReportingPeriod.Kind.QUARTER)
        .order_by("-period__start")
        .values_list("period", flat=True)
        .first()
    )
    if latest is not None:
        return ReportingPeriod.objects.get(pk=latest)
    return dashboard_periods().first()


def dashboard_build(
    *, readings: QuerySet[Reading], indicators: QuerySet[Indicator], period: ReportingPeriod
) -> Dashboard:
    """Rows for every indicator given, judged in the period (annual ones in the last year),
    from the readings given (those the visitor, or the report's audience, may see)."""
    quarters = list(
        ReportingPeriod.objects.filter(
            kind=ReportingPeriod.Kind.QUARTER, start__lte=period.start
        ).order_by("-start")[:QUARTERS_IN_WINDOW]
    )
    years = list(
        ReportingPeriod.objects.filter(
            kind=ReportingPeriod.Kind.YEAR, end__lte=period.end
        ).order_by("-start")[: TREND_LENGTH + 1]
    )
    # Only the window's readings and targets are loaded, and their periods are not loaded
    # again per row: they are taken from the window.
    window = {p.pk: p for p in (*quarters, *years)}
    prefetched = (
        indicators.select_related("impact_measure__ambition__plan", "lead_portfolio")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.filter(period__in=window)),
            "trajectories",
            "themes",
            Prefetch("readings", queryset=readings.filter(period__in=window), to_attr="window"),
            Prefetch("comparators", queryset=Comparator.objects.filter(period=period)),
        )
        .order_by("position", "code")
    )
    handed_in = set(
        Reading.objects.filter(period=period, status__in=SUBMITTED_OR_LATER).values_list(
            "indicator_id", flat=True
        )
    )
    rows: list[IndicatorRow] = []
    missing: list[Indicator] = []
    for indicator in prefetched:
        periods_attach([*indicator.window, *indicator.targets.all()], window)
        in_quarters = indicator.frequency in DUE_IN_QUARTERS
        rows.append(_row(indicator, quarters if in_quarters else years))
        if (
            in_quarters
            and indicator.is_active_in(period.financial_year)
            and (indicator.pk not in handed_in)
        ):
            missing.append(indicator)
    return Dashboard(period=period, rows=rows, missing=missing, quarters=quarters)


def _row(indicator: Indicator, periods: list[ReportingPeriod]) -> IndicatorRow:
    """periods: the indicator's own kind of period, newest first, the first being 'now'."""
    by_period = {reading.period_id: reading for reading in indicator.window}  # type: ignore[attr-defined]
    current = periods[0] if periods else None
    reading = by_period.get(current.pk) if current else None
    back = 4 if indicator.cumulative and current and current.quarter else 1
    previous = by_period.get(periods[back].pk) if len(periods) > back else None
    window = periods[:TREND_LENGTH][::-1]
    trend = [by_period[p.pk].value if p.pk in by_period else None for p in window]
    labels = [p.label for p in window]
    if current is None:
        return IndicatorRow(
            indicator, None, None, None, None, Rag.NO_DATA, Direction.NOT_COMPARABLE, trend, labels
        )
    return IndicatorRow(
        indicator=indicator,
        period=current,
        reading=reading,
        previous=previous,
        target=rag.target_spec_for(indicator, current),
        rag=rag.reading_rag(reading, indicator=indicator, period=current),
        direction=rag.reading_direction(indicator, reading, previous),
        trend=trend,
        trend_labels=labels,
    )


@dataclass
class Heatmap:
    """RAG counts by block (rows) and quarter (columns), oldest quarter first."""

    quarters: list[ReportingPeriod]
    grid: list[tuple[Ambition, list[StatusCounts]]]


def heatmap_build(dashboard: Dashboard, *, length: int = TREND_LENGTH) -> Heatmap:
    """From the readings a dashboard already holds: no further query."""
    quarters = dashboard.quarters[:length][::-1]
    blocks: dict[int, Ambition] = {}
    cells: dict[tuple[int, int], list[Rag]] = {}
    for row in dashboard.rows:
        indicator = row.indicator
        if indicator.frequency not in DUE_IN_QUARTERS:
            continue
        blocks[row.block.pk] = row.block
        by_period = {reading.period_id: reading for reading in indicator.window}  # type: ignore[attr-defined]
        for quarter in quarters:
            status = rag.reading_rag(by_period.get(quarter.pk), indicator=indicator, period=quarter)
            cells.setdefault((row.block.pk, quarter.pk), []).append(status)
    ordered = sorted(blocks.values(), key=lambda block: block.position)
    grid = [(b, [count_rag(cells.get((b.pk, q.pk), [])) for q in quarters]) for b in ordered]
    return Heatmap(quarters=quarters, grid=grid)


def block_mix(dashboard: Dashboard) -> list[tuple[Ambition, StatusCounts]]:
    """Each block with the counts of its indicators' statuses, in the plan's order."""
    rags: dict[int, list[Rag]] = {}
    blocks: dict[int, Ambition] = {}
    for row in dashboard.rows:
        blocks[row.block.pk] = row.block
        rags.setdefault(row.block.pk, []).append(row.rag)
    ordered = sorted(blocks.values(), key=lambda block: block.position)
    return [(block, count_rag(rags[block.pk])) for block in ordered]


def milestones_due(*, blocks: QuerySet[Ambition], period: ReportingPeriod) -> QuerySet[Milestone]:
    """Milestones of these blocks that have slipped, or are due by the period's end and not done."""
    return (
        Milestone.objects.filter(scheme__focus_area__ambition__in=blocks)
        .filter(
            Q(status=Milestone.Status.SLIPPED)
            | Q(
                due_date__lte=period.end,
                status__in=[Milestone.Status.PLANNED, Milestone.Status.ON_TRACK],
            )
        )
        .select_related("scheme__focus_area__ambition__plan")
        .order_by("due_date", "scheme__name")
    )
