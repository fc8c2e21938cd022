"""A committee's finance figures for the report, read once for the whole council with
resources/selectors.py as members see them (approved and published only)."""

from __future__ import annotations

from collections.abc import Sequence

from measures.models import ReportingPeriod
from portfolios.models import Portfolio
from reports.resources_data import (
    ReportCapital,
    ReportCapitalLine,
    ReportReserve,
    ReportReserves,
    ReportResources,
    ReportRevenue,
    ReportRevenueLine,
    ReportSaving,
    ReportSavings,
)
from resources.choices import FinanceKind, SavingRag
from resources.models import CapitalLine, ReserveLine, SavingItem
from resources.money import ZERO, savings_total
from resources.permissions import MEMBERS
from resources.selectors import Resources, RevenueSummary, council_resources

NOT_ON_TRACK = (SavingRag.AMBER, SavingRag.RED)
NONE_SHOWN = ReportResources(statuses=(), revenue=None, savings=None, capital=None, synthetic=False)


def report_resources_build(
    *, remit: Sequence[Portfolio], period: ReportingPeriod
) -> tuple[dict[int, ReportResources], ReportReserves | None]:
    """Each remit portfolio's figures (by portfolio id; empty where members see none), and the
    council's reserves if the remit is every portfolio."""
    council = council_resources(period=period, audience=MEMBERS)
    each = {r.portfolio.pk: _portfolio(r) for r in council.by_portfolio if r.portfolio}
    by_portfolio = {p.pk: each.get(p.pk, NONE_SHOWN) for p in remit}
    every = set(Portfolio.objects.values_list("pk", flat=True))
    covers_all = bool(remit) and every <= {p.pk for p in remit}
    return by_portfolio, _reserves(council) if covers_all and council.reserves else None


def _portfolio(resources: Resources) -> ReportResources:
    kinds = (FinanceKind.REVENUE, FinanceKind.SAVINGS, FinanceKind.CAPITAL)
    return ReportResources(
        statuses=tuple(
            (kind.label, resources.statuses[kind]) for kind in kinds if kind in resources.statuses
        ),
        revenue=_revenue(resources.revenue) if resources.revenue else None,
        savings=_savings(resources) if resources.savings else None,
        capital=_capital(resources) if resources.capital else None,
        synthetic=resources.synthetic,
    )


def _revenue(revenue: RevenueSummary) -> ReportRevenue:
    return ReportRevenue(
        original_budget=revenue.original_budget,
        current_budget=revenue.current_budget,
        forecast_outturn=revenue.forecast_outturn,
        variance=revenue.variance,
        variance_percent=revenue.variance_percent,
        sentence=revenue.sentence,
        threshold=revenue.threshold.phrase(),
        over_threshold=tuple(
            ReportRevenueLine(
                service_line=line.service_line,
                current_budget=line.current_budget,
                forecast_outturn=line.forecast_outturn,
                variance=line.variance,
                explanation=line.explanation,
            )
            for line in revenue.over_threshold()
        ),
    )


def _saving(item: SavingItem) -> ReportSaving:
    one = savings_total([(item.target_saving, item.forecast_delivered, item.rag)])
    return ReportSaving(
        reference=item.reference,
        description=item.description,
        target_saving=item.target_saving,
        forecast_delivered=item.forecast_delivered,
        shortfall=one.shortfall,
        rag=item.rag,
        rag_label=item.get_rag_display(),
        note=item.note,
    )


def _savings(resources: Resources) -> ReportSavings:
    total = resources.savings_total
    return ReportSavings(
        target_saving=total.target,
        forecast_delivered=total.forecast,
        shortfall=total.shortfall,
        sentence=resources.savings_sentence,
        not_on_track=tuple(_saving(s) for s in resources.savings if s.rag in NOT_ON_TRACK),
    )


def _capital_line(line: CapitalLine) -> ReportCapitalLine:
    return ReportCapitalLine(
        reference=line.reference,
        name=line.name,
        plan_scheme=line.scheme.name if line.scheme else "",
        budget=line.budget,
        spend_to_date=line.spend_to_date,
        forecast=line.forecast,
        slippage=line.slippage,
        slippage_reason=line.slippage_reason,
    )


def _capital(resources: Resources) -> ReportCapital:
    total = resources.capital_total
    return ReportCapital(
        budget=total.budget,
        spend_to_date=total.spend,
        forecast=total.forecast,
        slippage=total.slippage,
        sentence=resources.capital_sentence,
        slipping=tuple(_capital_line(c) for c in resources.capital if c.slippage > ZERO),
    )


def _reserve(line: ReserveLine) -> ReportReserve:
    return ReportReserve(
        name=line.name,
        opening_balance=line.opening_balance,
        planned_use=line.planned_use,
        forecast_use=line.forecast_use,
        forecast_closing=line.forecast_closing,
        note=line.note,
    )


def _reserves(council: Resources) -> ReportReserves:
    return ReportReserves(
        status=council.statuses.get(FinanceKind.RESERVES, ""),
        lines=tuple(_reserve(line) for line in council.reserves),
        opening_balance=council.reserves_opening,
        planned_use=council.reserves_planned_use,
        forecast_use=council.reserves_forecast_use,
        forecast_closing=council.reserves_forecast_closing,
        synthetic=council.synthetic,
    )
