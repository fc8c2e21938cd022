"""Dashboards read the stored scorecard: every filter, sort, page, count, block mix and the
heatmap is done by the database over the scores this visitor may see, in a fixed number of
queries whatever the number of indicators, readings or periods. Nothing is judged here: the
scores were judged when their data changed (measures/scorecard.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ambitions.models import Ambition, Plan
from measures.models import Indicator, Reading, ReportingPeriod, Score
from measures.performance import Direction, Rag, StatusCounts
from measures.permissions import periods_shown_to, readings_visible_to, scores_visible_to
from measures.plans import Carried, blocks_in, carries_any, in_plan, plan_of_period, reported_in
from measures.scorecard import DUE_IN_QUARTERS, TREND_LENGTH, trend_labels, trend_values
from measures.summary import summary_sentence

# How many exceptions a dashboard lists above its filters; the full lists are a filter away.
EXCEPTIONS_SHOWN = 8

SUBMITTED_OR_LATER = (Reading.Status.SUBMITTED, Reading.Status.APPROVED, Reading.Status.PUBLISHED)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator on a dashboard, as this visitor may see it: its stored score."""

    score: Score

    @property
    def indicator(self) -> Indicator:
        return self.score.indicator

    @property
    def period(self) -> ReportingPeriod:
        return self.score.period

    @property
    def value(self) -> Decimal | None:
        return self.score.value

    @property
    def previous_value(self) -> Decimal | None:
        return self.score.previous_value

    @property
    def previous_period(self) -> ReportingPeriod | None:
        return self.score.previous_period

    @property
    def target_value(self) -> Decimal | None:
        return self.score.target_value

    @property
    def rag(self) -> Rag:
        return Rag(self.score.rag)

    @property
    def direction(self) -> Direction:
        return Direction(self.score.direction)

    @property
    def trend(self) -> list[Decimal | None]:
        return trend_values(self.score)

    @property
    def trend_labels(self) -> list[str]:
        return trend_labels(self.score)

    @property
    def last_updated(self) -> datetime | None:
        return self.score.last_changed

    @property
    def synthetic(self) -> bool:
        return self.score.is_synthetic

    @property
    def reading_status(self) -> str:
        return self.score.reading_status


@dataclass
class Dashboard:
    """What a dashboard page shows for one period, its rows still a query (paged by the
    table, or read whole for an export)."""

    period: ReportingPeriod
    plan: Plan | None
    scores: QuerySet[Score]
    counts: StatusCounts
    directions: dict[Direction, int]
    missing: list[Indicator]
    summary: str

    def rows(self) -> list[IndicatorRow]:
        """Every row, in the plan's order (for exports and reports)."""
        return [IndicatorRow(score) for score in self.scores]

    def exceptions(self, limit: int = EXCEPTIONS_SHOWN) -> list[IndicatorRow]:
        """What needs attention first: indicators off target, then those that worsened,
        each in the plan's order (at most `limit`; the counts say how many in all)."""
        off = self.scores.filter(rag=Rag.RED)
        worse = self.scores.filter(direction=Direction.WORSENED).exclude(rag=Rag.RED)
        rows = [IndicatorRow(score) for score in off[:limit]]
        if len(rows) < limit:
            rows += [IndicatorRow(score) for score in worse[: limit - len(rows)]]
        return rows

    def days_to_deadline(self, today: date) -> int:
        return self.period.days_to_deadline(today)

    def blocks(self, rows: list[IndicatorRow]) -> dict[int, Ambition]:
        """Each row's block in the dashboard's plan, by indicator id (two queries)."""
        return blocks_in(self.plan, [row.indicator.pk for row in rows])


def dashboard_periods(user: User | AnonymousUser) -> QuerySet[ReportingPeriod]:
    """Quarters a dashboard can show this visitor, newest first: for the public the published
    ones, for everyone else those that have been opened (measures.permissions)."""
    return ReportingPeriod.objects.filter(
        periods_shown_to(user), kind=ReportingPeriod.Kind.QUARTER
    ).order_by("-start")


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
    return dashboard_periods(user).first()


def year_judged_with(period: ReportingPeriod) -> ReportingPeriod | None:
    """The year an annual indicator shows beside a quarter: the latest ended by its end."""
    return (
        ReportingPeriod.objects.filter(kind=ReportingPeriod.Kind.YEAR, end__lte=period.end)
        .order_by("-start")
        .first()
    )


def scores_at(scores: QuerySet[Score], period: ReportingPeriod) -> QuerySet[Score]:
    """Each indicator's score for the period: quarterly ones' of the quarter, annual ones'
    of the latest year ended by then."""
    at = Q(period=period, indicator__frequency__in=DUE_IN_QUARTERS)
    if (year := year_judged_with(period)) is not None:
        at |= Q(period=year, indicator__frequency=Indicator.Frequency.ANNUAL)
    return scores.filter(at)


def dashboard_build(
    *, scores: QuerySet[Score], indicators: QuerySet[Indicator], period: ReportingPeriod
) -> Dashboard:
    """The dashboard of these indicators in the period, from these scores (those the visitor,
    or the report's audience, may see): counts and summary by the database, rows as a query.
    Only indicators of the plan the period is reported against are shown (measures/plans.py)."""
    plan = plan_of_period(period)
    indicators = in_plan(indicators, plan)
    chosen = (
        scores_at(scores, period)
        .filter(indicator__in=indicators)
        .select_related("indicator__lead_portfolio")
        .select_related("period", "previous_period")
        .order_by("indicator__position", "indicator__code")
    )
    counts, directions = status_counts(chosen)
    missing = missing_returns(indicators=indicators, period=period)
    return Dashboard(
        period=period,
        plan=plan,
        scores=chosen,
        counts=counts,
        directions=directions,
        missing=missing,
        summary=summary_sentence(counts, directions, len(missing)),
    )


def status_counts(scores: QuerySet[Score]) -> tuple[StatusCounts, dict[Direction, int]]:
    """How many of the scores have each RAG status and each direction (one query)."""
    totals = scores.aggregate(
        **{f"rag_{rag.value}": Count("pk", filter=Q(rag=rag.value)) for rag in Rag},
        **{f"dir_{d.value}": Count("pk", filter=Q(direction=d.value)) for d in Direction},
    )
    counts = StatusCounts(**{rag.value: totals[f"rag_{rag.value}"] for rag in Rag})
    return counts, {d: totals[f"dir_{d.value}"] for d in Direction}


def missing_returns(*, indicators: QuerySet[Indicator], period: ReportingPeriod) -> list[Indicator]:
    """Quarterly indicators reported in the period whose return has not been handed in."""
    handed_in = Reading.objects.filter(period=period, status__in=SUBMITTED_OR_LATER).values(
        "indicator_id"
    )
    return list(
        indicators.filter(reported_in(period), frequency__in=DUE_IN_QUARTERS)
        .exclude(pk__in=handed_in)
        .order_by("position", "code")
    )


@dataclass
class Heatmap:
    """RAG counts by block (rows) and quarter (columns), oldest quarter first."""

    quarters: list[ReportingPeriod]
    grid: list[tuple[Ambition, list[StatusCounts]]]


def heatmap_build(
    *,
    scores: QuerySet[Score],
    indicators: QuerySet[Indicator],
    period: ReportingPeriod,
    length: int = TREND_LENGTH,
) -> Heatmap:
    """Quarterly indicators' statuses by block over the `length` quarters up to the period:
    one grouped query."""
    quarters = list(
        ReportingPeriod.objects.filter(
            kind=ReportingPeriod.Kind.QUARTER, start__lte=period.start
        ).order_by("-start")[:length]
    )[::-1]
    plan = plan_of_period(period)
    by_cell = _rag_counts_by(
        _with_block(
            scores.filter(
                period__in=quarters,
                indicator__in=in_plan(indicators, plan),
                indicator__frequency__in=DUE_IN_QUARTERS,
            ),
            plan,
        ),
        "block",
        "period",
    )
    empty = StatusCounts(0, 0, 0, 0, 0)
    blocks = Ambition.objects.filter(pk__in={block for block, _ in by_cell}).order_by("position")
    grid = [(b, [by_cell.get((b.pk, q.pk), empty) for q in quarters]) for b in blocks]
    return Heatmap(quarters=quarters, grid=grid)


def block_mix(dashboard: Dashboard) -> list[tuple[Ambition, StatusCounts]]:
    """Each block with the counts of its indicators' statuses, in the plan's order (one
    grouped query)."""
    counts = {
        block: mix
        for (block,), mix in _rag_counts_by(
            _with_block(dashboard.scores.order_by(), dashboard.plan), "block"
        ).items()
    }
    blocks = Ambition.objects.filter(pk__in=list(counts)).order_by("position")
    return [(block, counts[block.pk]) for block in blocks]


def _with_block(scores: QuerySet[Score], plan: Plan | None) -> QuerySet[Score]:
    """The scores, each with `block`: its indicator's block in the plan. Plain when no
    indicator is carried into the plan from an earlier one (their block is their own)."""
    own = F("indicator__impact_measure__ambition")
    if not carries_any(plan):
        return scores.annotate(block=own)
    carried = Carried.objects.filter(
        indicator_id=OuterRef("indicator_id"), impactmeasure__ambition__plan=plan
    ).values("impactmeasure__ambition")[:1]
    return scores.annotate(block=Coalesce(Subquery(carried), own, output_field=BigIntegerField()))


def _rag_counts_by(scores: QuerySet[Score], *fields: str) -> dict[tuple[Any, ...], StatusCounts]:
    """The scores' RAG counts grouped by these fields, keyed by the fields' values (one query)."""
    groups: Any = scores.values(*fields).annotate(
        **{rag.value: Count("pk", filter=Q(rag=rag.value)) for rag in Rag}
    )
    return {
        tuple(group[name] for name in fields): StatusCounts(
            **{rag.value: group[rag.value] for rag in Rag}
        )
        for group in groups
    }


def visible_scores(user: User | AnonymousUser) -> QuerySet[Score]:
    """The scores a visitor's dashboard is built from (measures.permissions decides)."""
    return scores_visible_to(user)
