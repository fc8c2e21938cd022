"""What pages, downloads, reports and open data read of the finance figures: one quarter's,
for one audience (resources/permissions.py says whose), summed the one way (money.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ambitions.models import Scheme
from measures.models import ReportingPeriod
from portfolios.models import Portfolio
from resources.choices import FinanceKind
from resources.models import (
    CapitalLine,
    FinanceReturn,
    ReserveLine,
    RevenueLine,
    SavingItem,
    VarianceThreshold,
)
from resources.money import (
    ZERO,
    CapitalTotal,
    SavingsTotal,
    Threshold,
    capital_sentence,
    capital_total,
    savings_sentence,
    savings_total,
    variance,
    variance_percent,
    variance_sentence,
)
from resources.permissions import statuses_shown


def threshold_for(financial_year: int) -> Threshold:
    """The variance threshold in force for the year: the latest the performance team set,
    else the default (£100k or 1%)."""
    row = VarianceThreshold.objects.filter(financial_year=financial_year).last()
    return Threshold(row.amount, row.percent) if row else Threshold()


def returns_shown(period: ReportingPeriod, audience: str) -> dict[str, FinanceReturn]:
    """This period's returns the audience may see, by kind, in the plan's order (revenue,
    savings, capital, reserves)."""
    shown = {
        r.kind: r
        for r in FinanceReturn.objects.filter(period=period, status__in=statuses_shown(audience))
    }
    return {kind: shown[kind] for kind in FinanceKind.values if kind in shown}


@dataclass(frozen=True)
class RevenueSummary:
    original_budget: Decimal
    current_budget: Decimal
    forecast_outturn: Decimal
    lines: Sequence[RevenueLine]
    threshold: Threshold

    @property
    def variance(self) -> Decimal:
        return variance(budget=self.current_budget, forecast=self.forecast_outturn)

    @property
    def variance_percent(self) -> Decimal | None:
        return variance_percent(budget=self.current_budget, forecast=self.forecast_outturn)

    @property
    def sentence(self) -> str:
        return variance_sentence(budget=self.current_budget, forecast=self.forecast_outturn)

    def over_threshold(self) -> list[RevenueLine]:
        """The lines whose variance needs explaining, largest first."""
        over = [
            line
            for line in self.lines
            if self.threshold.exceeded_by(line.variance, line.current_budget)
        ]
        return sorted(over, key=lambda line: -abs(line.variance))

    @property
    def exceeds_threshold(self) -> bool:
        return self.threshold.exceeded_by(self.variance, self.current_budget)


def revenue_summary(lines: Sequence[RevenueLine], threshold: Threshold) -> RevenueSummary:
    return RevenueSummary(
        sum((line.original_budget for line in lines), ZERO),
        sum((line.current_budget for line in lines), ZERO),
        sum((line.forecast_outturn for line in lines), ZERO),
        lines,
        threshold,
    )


@dataclass(frozen=True)
class TrendPoint:
    """One quarter of the year so far: the budget and the forecast outturn then (None if no
    figures were shown for it)."""

    period: ReportingPeriod
    budget: Decimal | None
    forecast: Decimal | None


@dataclass(frozen=True)
class Resources:
    """One quarter's finance figures for a portfolio, or for the whole council (portfolio
    None), as one audience may see them."""

    period: ReportingPeriod
    portfolio: Portfolio | None
    statuses: dict[str, str]  # kind -> status label of the return shown
    revenue: RevenueSummary | None
    savings: Sequence[SavingItem]
    capital: Sequence[CapitalLine]
    reserves: Sequence[ReserveLine] = ()
    trend: Sequence[TrendPoint] = ()
    synthetic: bool = False
    by_portfolio: Sequence[Resources] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.revenue or self.savings or self.capital or self.reserves)

    @property
    def savings_total(self) -> SavingsTotal:
        return savings_total((s.target_saving, s.forecast_delivered, s.rag) for s in self.savings)

    @property
    def savings_sentence(self) -> str:
        return savings_sentence(self.savings_total)

    @property
    def capital_total(self) -> CapitalTotal:
        return capital_total((c.budget, c.spend_to_date, c.forecast) for c in self.capital)

    @property
    def capital_sentence(self) -> str:
        return capital_sentence(self.capital_total)

    @property
    def reserves_opening(self) -> Decimal:
        return sum((r.opening_balance for r in self.reserves), ZERO)

    @property
    def reserves_planned_use(self) -> Decimal:
        return sum((r.planned_use for r in self.reserves), ZERO)

    @property
    def reserves_forecast_use(self) -> Decimal:
        return sum((r.forecast_use for r in self.reserves), ZERO)

    @property
    def reserves_forecast_closing(self) -> Decimal:
        return self.reserves_opening - self.reserves_forecast_use


def portfolio_resources(
    *, portfolio: Portfolio, period: ReportingPeriod, audience: str
) -> Resources:
    """A portfolio's figures for the quarter, with its revenue trend over the year so far."""
    shown = returns_shown(period, audience)
    return _resources(period, shown, portfolio, audience, with_trend=True)


def council_resources(*, period: ReportingPeriod, audience: str) -> Resources:
    """The council's figures for the quarter: every portfolio's, summed, and the reserves;
    `by_portfolio` holds each portfolio's own (those with any figures), in the plan's order."""
    shown = returns_shown(period, audience)
    whole = _resources(period, shown, None, audience, with_trend=True)
    portfolios = {line.portfolio for line in whole.revenue.lines} if whole.revenue else set()
    portfolios |= {s.portfolio for s in whole.savings} | {c.portfolio for c in whole.capital}
    ordered = sorted(portfolios, key=lambda p: (p.position, p.name))
    each = [_split(whole, portfolio) for portfolio in ordered]
    return replace(whole, by_portfolio=each)


def scheme_capital(*, scheme: Scheme, period: ReportingPeriod, audience: str) -> list[CapitalLine]:
    """The capital lines of the quarter that are this plan scheme's money."""
    return list(
        CapitalLine.objects.filter(
            scheme=scheme,
            finance_return__period=period,
            finance_return__status__in=statuses_shown(audience),
        ).select_related("portfolio", "finance_return")
    )


def _resources(
    period: ReportingPeriod,
    shown: dict[str, FinanceReturn],
    portfolio: Portfolio | None,
    audience: str,
    *,
    with_trend: bool,
) -> Resources:
    mine = {"portfolio": portfolio} if portfolio else {}
    revenue = shown.get(FinanceKind.REVENUE)
    savings = shown.get(FinanceKind.SAVINGS)
    capital = shown.get(FinanceKind.CAPITAL)
    reserves = shown.get(FinanceKind.RESERVES) if portfolio is None else None
    revenue_lines = (
        list(revenue.revenue_lines.filter(**mine).select_related("portfolio")) if revenue else []
    )
    threshold = threshold_for(period.financial_year)
    return Resources(
        period=period,
        portfolio=portfolio,
        statuses={kind: r.get_status_display() for kind, r in shown.items()},
        revenue=revenue_summary(revenue_lines, threshold) if revenue_lines else None,
        savings=list(savings.savings.filter(**mine).select_related("portfolio")) if savings else [],
        capital=(
            list(capital.capital_lines.filter(**mine).select_related("portfolio", "scheme"))
            if capital
            else []
        ),
        reserves=list(reserves.reserves.all()) if reserves else [],
        trend=_trend(period, portfolio, audience) if with_trend else [],
        synthetic=any(r.is_synthetic for r in shown.values()),
    )


def _split(whole: Resources, portfolio: Portfolio) -> Resources:
    """One portfolio's share of the council's figures, without asking the database again."""
    every = whole.revenue.lines if whole.revenue else []
    lines = [line for line in every if line.portfolio == portfolio]
    threshold = whole.revenue.threshold if whole.revenue else Threshold()
    return Resources(
        period=whole.period,
        portfolio=portfolio,
        statuses=whole.statuses,
        revenue=revenue_summary(lines, threshold) if lines else None,
        savings=[s for s in whole.savings if s.portfolio == portfolio],
        capital=[c for c in whole.capital if c.portfolio == portfolio],
        synthetic=whole.synthetic,
    )


def _trend(period: ReportingPeriod, portfolio: Portfolio | None, audience: str) -> list[TrendPoint]:
    """The budget and forecast outturn at each quarter of the year up to this one."""
    quarters = list(
        ReportingPeriod.objects.filter(
            kind=ReportingPeriod.Kind.QUARTER,
            financial_year=period.financial_year,
            quarter__lte=period.quarter or 4,
        ).order_by("quarter")
    )
    lines = RevenueLine.objects.filter(
        finance_return__period__in=quarters,
        finance_return__status__in=statuses_shown(audience),
    )
    if portfolio is not None:
        lines = lines.filter(portfolio=portfolio)
    totals: dict[int, list[Decimal]] = {}
    for period_id, budget, forecast in lines.values_list(
        "finance_return__period_id", "current_budget", "forecast_outturn"
    ):
        sums = totals.setdefault(period_id, [ZERO, ZERO])
        sums[0] += budget
        sums[1] += forecast
    return [TrendPoint(q, *totals.get(q.pk, (None, None))) for q in quarters]
