"""The dashboards' Resources panels: a quarter's finance figures (resources/selectors.py reads
them for the visitor's audience, resources/money.py sums and words them) put into the short
money strings pages show, with the year's budget-against-forecast chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString

from ambitions.models import Scheme
from core.formatting import DASH, money_short
from core.money_chart import MoneyBar, budget_forecast_svg
from measures.models import ReportingPeriod
from measures.periods import year_label
from portfolios.models import Portfolio
from resources.choices import FinanceKind, FinanceStatus, SavingRag
from resources.models import CapitalLine
from resources.permissions import WORKFLOW
from resources.selectors import Resources, council_resources, portfolio_resources, scheme_capital

AWAITING = FinanceStatus.SUBMITTED.label


@dataclass(frozen=True)
class ReturnState:
    """Which return a panel's figures come from, and how far it has got."""

    kind: str
    status: str

    @property
    def awaiting(self) -> bool:
        return self.status == AWAITING


@dataclass(frozen=True)
class MoneyRow:
    """One line of a panel's table, each amount already written as pages show it."""

    name: str
    amounts: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class ResourcesPanel:
    resources: Resources
    audience: str
    chart: SafeString | None

    @property
    def returns(self) -> list[ReturnState]:
        council_only = {FinanceKind.RESERVES} if self.resources.portfolio else set()
        return [
            ReturnState(FinanceKind(kind).label, status)
            for kind, status in sorted(self.resources.statuses.items())
            if kind not in council_only
        ]

    @property
    def awaiting(self) -> bool:
        """Some figures shown await approval (only the workflow audience is shown those)."""
        return any(state.awaiting for state in self.returns)

    @property
    def revenue(self) -> dict[str, str] | None:
        summary = self.resources.revenue
        if summary is None:
            return None
        changed = summary.original_budget != summary.current_budget
        return {
            "current": money_short(summary.current_budget),
            "original": money_short(summary.original_budget) if changed else "",
            "forecast": money_short(summary.forecast_outturn),
            "variance": variance_text(summary.variance),
            "sentence": summary.sentence,
            "threshold": summary.threshold.phrase(),
        }

    @property
    def over_threshold(self) -> list[MoneyRow]:
        summary = self.resources.revenue
        lines = summary.over_threshold() if summary else []
        return [
            MoneyRow(
                line.service_line or line.portfolio.name,
                (money_short(line.current_budget), variance_text(line.variance)),
                line.explanation,
            )
            for line in lines
        ]

    @property
    def savings_at_risk(self) -> list[MoneyRow]:
        return [
            MoneyRow(
                f"{item.reference} {item.description}",
                (money_short(item.target_saving), money_short(item.forecast_delivered)),
                f"{SavingRag(item.rag).label}{': ' + item.note if item.note else ''}",
            )
            for item in self.resources.savings
            if item.rag in (SavingRag.AMBER, SavingRag.RED)
        ]

    @property
    def capital(self) -> list[MoneyRow]:
        return capital_rows(self.resources.capital)

    @property
    def by_portfolio(self) -> list[MoneyRow]:
        rows = []
        for each in self.resources.by_portfolio:
            summary = each.revenue
            amounts = (
                (
                    money_short(summary.current_budget),
                    money_short(summary.forecast_outturn),
                    variance_text(summary.variance),
                )
                if summary
                else (DASH, DASH, DASH)
            )
            rows.append(MoneyRow(each.portfolio.name if each.portfolio else "", amounts))
        return rows

    @property
    def reserves(self) -> dict[str, str]:
        whole = self.resources
        return {
            "opening": money_short(whole.reserves_opening),
            "planned_use": money_short(whole.reserves_planned_use),
            "forecast_use": money_short(whole.reserves_forecast_use),
            "forecast_closing": money_short(whole.reserves_forecast_closing),
        }

    @property
    def reserve_rows(self) -> list[MoneyRow]:
        return [
            MoneyRow(
                line.name,
                tuple(
                    money_short(amount)
                    for amount in (
                        line.opening_balance,
                        line.planned_use,
                        line.forecast_use,
                        line.forecast_closing,
                    )
                ),
                line.note,
            )
            for line in self.resources.reserves
        ]


def variance_text(amount: Decimal) -> str:
    """A variance for a table cell: "£150k over", "£50k under" or "None"."""
    if amount > 0:
        return f"{money_short(amount)} over"
    if amount < 0:
        return f"{money_short(-amount)} under"
    return "None"


def capital_rows(lines: Sequence[CapitalLine]) -> list[MoneyRow]:
    """Budget, spend to date, forecast and slippage of each capital line, with the reason."""
    return [
        MoneyRow(
            f"{line.reference} {line.name}",
            tuple(
                money_short(amount)
                for amount in (line.budget, line.spend_to_date, line.forecast, line.slippage)
            ),
            line.slippage_reason,
        )
        for line in lines
    ]


def portfolio_panel(
    *, portfolio: Portfolio, period: ReportingPeriod, audience: str
) -> ResourcesPanel:
    resources = portfolio_resources(portfolio=portfolio, period=period, audience=audience)
    return ResourcesPanel(resources, audience, _chart(resources, f"money-{portfolio.slug}"))


def council_panel(*, period: ReportingPeriod, audience: str) -> ResourcesPanel:
    resources = council_resources(period=period, audience=audience)
    return ResourcesPanel(resources, audience, _chart(resources, "money-council"))


def scheme_money(
    *, scheme: Scheme, period: ReportingPeriod | None, audience: str
) -> dict[str, object]:
    """The capital lines that are this scheme's money in the quarter, as its page shows them."""
    if period is None:
        return {"rows": [], "awaiting": False, "synthetic": False}
    lines = scheme_capital(scheme=scheme, period=period, audience=audience)
    return {
        "rows": capital_rows(lines),
        "awaiting": audience == WORKFLOW
        and any(line.finance_return.status == FinanceStatus.SUBMITTED for line in lines),
        "synthetic": any(line.finance_return.is_synthetic for line in lines),
    }


def _chart(resources: Resources, ident: str) -> SafeString | None:
    bars = [
        MoneyBar(f"Q{point.period.quarter}", point.budget, point.forecast)
        for point in resources.trend
    ]
    title = (
        "Revenue budget and forecast outturn by quarter, "
        f"{year_label(resources.period.financial_year)}"
    )
    return budget_forecast_svg(bars, title=title, ident=ident)
