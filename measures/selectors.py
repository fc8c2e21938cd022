"""Reads for the officer and performance-team pages, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from measures import rag
from measures.models import Indicator, Reading, ReportingPeriod, Target
from measures.performance import Rag, TargetSpec
from measures.periods import periods_attach
from measures.permissions import indicators_editable_by
from portfolios.models import Portfolio

DUE_IN_QUARTERS = (Indicator.Frequency.MONTHLY, Indicator.Frequency.QUARTERLY)


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
    return Indicator.objects.filter(
        Q(last_year__isnull=True) | Q(last_year__gte=period.financial_year),
        frequency__in=frequencies,
        first_year__lte=period.financial_year,
    )


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
        .select_related("impact_measure__ambition", "lead_portfolio")
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
    """Readings waiting for the performance team, oldest period first."""
    return (
        Reading.objects.filter(status=Reading.Status.SUBMITTED)
        .select_related("indicator__lead_portfolio", "period", "submitted_by")
        .prefetch_related(
            Prefetch("indicator__targets", queryset=Target.objects.select_related("period"))
        )
        .order_by("period__start", "indicator__position")
    )


@dataclass
class PortfolioCompletion:
    """How far a portfolio's returns for a period have got, and who still owes one."""

    portfolio: Portfolio | None
    due: int = 0
    entered: int = 0
    submitted: int = 0
    approved: int = 0
    missing: list[Indicator] = field(default_factory=list)


def completion(*, period: ReportingPeriod) -> list[PortfolioCompletion]:
    """Per lead portfolio: returns due, entered, submitted, approved, and the missing ones."""
    readings = {r.indicator_id: r for r in Reading.objects.filter(period=period)}
    rows: dict[int | None, PortfolioCompletion] = {}
    portfolios = {p.pk: p for p in Portfolio.objects.all()}
    for pk, portfolio in portfolios.items():
        rows[pk] = PortfolioCompletion(portfolio)
    due = indicators_due(period).select_related("owner").order_by("position")
    counted: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in due:
        counted[indicator.lead_portfolio_id].append(indicator)
    for portfolio_id, indicators in counted.items():
        row = rows.setdefault(portfolio_id, PortfolioCompletion(None))
        for indicator in indicators:
            row.due += 1
            reading = readings.get(indicator.pk)
            if reading is None:
                row.missing.append(indicator)
                continue
            row.entered += 1
            if reading.status in (
                Reading.Status.SUBMITTED,
                Reading.Status.APPROVED,
                Reading.Status.PUBLISHED,
            ):
                row.submitted += 1
            if reading.status in (Reading.Status.APPROVED, Reading.Status.PUBLISHED):
                row.approved += 1
    return [row for row in rows.values() if row.due]
