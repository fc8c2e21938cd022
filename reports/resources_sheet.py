"""The workbook's Resources sheet: one row per figure the report shows, amounts exact to the
penny as numbers in pounds, a row saying so where members may see none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reports.data import ReportData, ReportPortfolio
from reports.resources_data import (
    ReportCapital,
    ReportReserves,
    ReportRevenue,
    ReportSavings,
    no_figures_sentence,
)
from resources.money import variance

MONEY_FORMAT = '"£"#,##0.00'
RESOURCES_COLUMNS = (
    "Portfolio",
    "Figure",
    "Item",
    "Budget",  # a saving's target; a reserve's planned use
    "Spend to date",
    "Forecast",  # outturn, saving delivered, capital spend or reserve use
    "Variance",  # forecast less budget
    "Shortfall or slippage",
    "Opening balance",
    "Forecast closing balance",
    "Status",
    "Explanation",
    "Plan scheme",
    "Synthetic",
)
MONEY_COLUMNS = RESOURCES_COLUMNS[3:10]
WRAPPED_COLUMNS = ("Item", "Status", "Explanation")
_Row = list[object]


@dataclass(frozen=True)
class _Money:
    """A row's amounts, in the order of the money columns; None where a figure has none."""

    budget: Decimal | None = None
    spend_to_date: Decimal | None = None
    forecast: Decimal | None = None
    shortfall: Decimal | None = None
    opening: Decimal | None = None
    closing: Decimal | None = None

    def cells(self) -> list[object]:
        gap = None
        if self.budget is not None and self.forecast is not None:
            gap = variance(budget=self.budget, forecast=self.forecast)
        return [
            self.budget,
            self.spend_to_date,
            self.forecast,
            gap,
            self.shortfall,
            self.opening,
            self.closing,
        ]


def _row(
    where: tuple[str, str, str],
    money: _Money,
    status: str = "",
    explanation: str = "",
    scheme: str = "",
    *,
    synthetic: bool,
) -> _Row:
    """(portfolio, figure, item), the amounts, then the words."""
    return [*where, *money.cells(), status, explanation, scheme, "Yes" if synthetic else "No"]


def _revenue_rows(name: str, revenue: ReportRevenue, status: str, fake: bool) -> list[_Row]:
    whole = _Money(revenue.current_budget, None, revenue.forecast_outturn)
    rows = [
        _row(
            (name, "Revenue budget", "Whole portfolio"),
            whole,
            status,
            revenue.sentence,
            synthetic=fake,
        )
    ]
    for line in revenue.over_threshold:
        where = (name, "Revenue line over threshold", line.service_line or "Whole portfolio")
        money = _Money(line.current_budget, None, line.forecast_outturn)
        rows.append(_row(where, money, "", line.explanation, synthetic=fake))
    return rows


def _savings_rows(name: str, savings: ReportSavings, status: str, fake: bool) -> list[_Row]:
    whole = _Money(savings.target_saving, None, savings.forecast_delivered, savings.shortfall)
    rows = [
        _row(
            (name, "Savings programme", "All savings"),
            whole,
            status,
            savings.sentence,
            synthetic=fake,
        )
    ]
    for item in savings.not_on_track:
        where = (name, "Saving not on track", f"{item.reference} {item.description}")
        money = _Money(item.target_saving, None, item.forecast_delivered, item.shortfall)
        rows.append(_row(where, money, item.rag_label, item.note, synthetic=fake))
    return rows


def _capital_rows(name: str, capital: ReportCapital, status: str, fake: bool) -> list[_Row]:
    whole = _Money(capital.budget, capital.spend_to_date, capital.forecast, capital.slippage)
    rows = [
        _row(
            (name, "Capital programme", "All schemes"),
            whole,
            status,
            capital.sentence,
            synthetic=fake,
        )
    ]
    for line in capital.slipping:
        where = (name, "Capital scheme slipping", f"{line.reference} {line.name}")
        money = _Money(line.budget, line.spend_to_date, line.forecast, line.slippage)
        rows.append(_row(where, money, "", line.slippage_reason, line.plan_scheme, synthetic=fake))
    return rows


def _portfolio_rows(portfolio: ReportPortfolio, period_label: str) -> list[_Row]:
    name, resources = portfolio.name, portfolio.resources
    if resources is None or not resources.any:
        none = no_figures_sentence(period_label)
        return [_row((name, "None", ""), _Money(), "", none, synthetic=False)]
    fake, status = resources.synthetic, dict(resources.statuses)
    rows: list[_Row] = []
    if resources.revenue:
        rows += _revenue_rows(name, resources.revenue, status.get("Revenue budget", ""), fake)
    if resources.savings:
        rows += _savings_rows(name, resources.savings, status.get("Savings programme", ""), fake)
    if resources.capital:
        rows += _capital_rows(name, resources.capital, status.get("Capital programme", ""), fake)
    return rows


def _reserve_rows(reserves: ReportReserves) -> list[_Row]:
    """A reserve's budget is its planned use, its forecast its forecast use."""
    rows = [
        _row(
            ("Council", "Reserve", line.name),
            _Money(
                line.planned_use,
                None,
                line.forecast_use,
                None,
                line.opening_balance,
                line.forecast_closing,
            ),
            reserves.status,
            line.note,
            synthetic=reserves.synthetic,
        )
        for line in reserves.lines
    ]
    total = _Money(
        reserves.planned_use,
        None,
        reserves.forecast_use,
        None,
        reserves.opening_balance,
        reserves.forecast_closing,
    )
    rows.append(
        _row(
            ("Council", "Reserves", "All reserves"),
            total,
            reserves.status,
            synthetic=reserves.synthetic,
        )
    )
    return rows


def resources_rows(data: ReportData) -> tuple[list[_Row], list[list[str | None]]]:
    """The Resources sheet's rows and their number formats (£ for every amount)."""
    rows = [row for p in data.portfolios for row in _portfolio_rows(p, data.period_label)]
    if data.reserves is not None:
        rows += _reserve_rows(data.reserves)
    formats: list[list[str | None]] = [
        [MONEY_FORMAT if column in MONEY_COLUMNS else None for column in RESOURCES_COLUMNS]
    ] * len(rows)
    return rows, formats
