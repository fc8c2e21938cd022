"""The finance figures a committee's report shows, as plain frozen data: exact amounts for the
workbook, the sentences resources/money.py words, and only what members may see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


def no_figures_sentence(period_label: str, what: str = "finance") -> str:
    """What a report says where members may see no figures (of a kind) for the quarter."""
    return f"No {what} figures are approved for {period_label}."


@dataclass(frozen=True)
class ReportRevenueLine:
    """A service line whose variance is over the threshold, with its explanation."""

    service_line: str
    current_budget: Decimal
    forecast_outturn: Decimal
    variance: Decimal  # forecast outturn less budget: above zero an overspend
    explanation: str


@dataclass(frozen=True)
class ReportRevenue:
    """A portfolio's revenue budget and forecast outturn for the year, as at the quarter."""

    original_budget: Decimal
    current_budget: Decimal
    forecast_outturn: Decimal
    variance: Decimal
    variance_percent: Decimal | None
    sentence: str  # "Forecast to overspend by £1.2m (2.3% of the £52m budget)."
    threshold: str  # "more than £100k or more than 1% of the current budget"
    over_threshold: tuple[ReportRevenueLine, ...]  # largest variance first


@dataclass(frozen=True)
class ReportSaving:
    """A saving at risk (amber) or that will not be delivered in full (red)."""

    reference: str
    description: str
    target_saving: Decimal
    forecast_delivered: Decimal
    shortfall: Decimal
    rag: str  # the SavingRag value
    rag_label: str
    note: str


@dataclass(frozen=True)
class ReportSavings:
    """A portfolio's savings programme: totals, its sentence, and the savings not on track."""

    target_saving: Decimal
    forecast_delivered: Decimal
    shortfall: Decimal
    sentence: str  # "£3.2m of £4.1m forecast to be delivered; 2 savings at risk."
    not_on_track: tuple[ReportSaving, ...]


@dataclass(frozen=True)
class ReportCapitalLine:
    """A capital scheme forecast to spend less than its budget this year, and why."""

    reference: str
    name: str
    plan_scheme: str  # the plan's scheme it is the money of; "" if none
    budget: Decimal
    spend_to_date: Decimal
    forecast: Decimal
    slippage: Decimal
    slippage_reason: str


@dataclass(frozen=True)
class ReportCapital:
    """A portfolio's capital programme: spend against plan, and the schemes that slip."""

    budget: Decimal
    spend_to_date: Decimal
    forecast: Decimal
    slippage: Decimal
    sentence: str  # "£4.5m spent of a £12m budget for the year; £10.1m forecast, so …"
    slipping: tuple[ReportCapitalLine, ...]


@dataclass(frozen=True)
class ReportResources:
    """A portfolio's finance figures for the quarter, approved and published only."""

    statuses: tuple[tuple[str, str], ...]  # (kind label, status label) of each return shown
    revenue: ReportRevenue | None
    savings: ReportSavings | None
    capital: ReportCapital | None
    synthetic: bool  # made-up demonstration figures

    @property
    def any(self) -> bool:
        return bool(self.revenue or self.savings or self.capital)


@dataclass(frozen=True)
class ReportReserve:
    name: str
    opening_balance: Decimal
    planned_use: Decimal
    forecast_use: Decimal
    forecast_closing: Decimal
    note: str


@dataclass(frozen=True)
class ReportReserves:
    """The council's reserves, in a report whose committee covers every portfolio."""

    status: str  # the status label of the return shown
    lines: tuple[ReportReserve, ...]
    opening_balance: Decimal
    planned_use: Decimal
    forecast_use: Decimal
    forecast_closing: Decimal
    synthetic: bool
