"""The ledger extract as a template to fill in: the upload format's columns, with this year's
lines as they were last given (amounts as they stand), for the quarter now due."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from core.formatting import plain_decimal
from measures.models import ReportingPeriod
from measures.periods import has_ended
from portfolios.models import Portfolio
from resources.choices import FinanceKind
from resources.models import CapitalLine, FinanceReturn, ReserveLine, RevenueLine, SavingItem
from resources.upload_format import COLUMNS

Row = Mapping[str, object]


def quarter_due(today: date) -> ReportingPeriod | None:
    """The latest quarter that has ended and is not yet published: the one finance give
    figures for now."""
    for period in ReportingPeriod.objects.filter(kind=ReportingPeriod.Kind.QUARTER).order_by(
        "-start"
    ):
        if has_ended(period, today):
            return None if period.state == ReportingPeriod.State.PUBLISHED else period
    return None


def template_rows(period: ReportingPeriod) -> dict[str, list[Row]]:
    """Each kind's rows for the quarter: the latest lines given this financial year, else
    one revenue row per portfolio to fill in."""
    rows: dict[str, list[Row]] = {}
    for kind in COLUMNS:
        latest = (
            FinanceReturn.objects.filter(
                kind=kind,
                period__financial_year=period.financial_year,
                period__kind=ReportingPeriod.Kind.QUARTER,
                period__start__lte=period.start,
            )
            .order_by("-period__start")
            .first()
        )
        rows[kind] = [_row(line, period) for line in _lines(latest)] if latest else []
    if not rows[FinanceKind.REVENUE]:
        rows[FinanceKind.REVENUE] = [
            {"period": period.code, "portfolio": p.name, "service_line": ""}
            for p in Portfolio.objects.order_by("position", "name")
        ]
    return rows


def _lines(finance_return: FinanceReturn) -> list[object]:
    related: Any = {
        FinanceKind.REVENUE: finance_return.revenue_lines,
        FinanceKind.SAVINGS: finance_return.savings,
        FinanceKind.CAPITAL: finance_return.capital_lines,
        FinanceKind.RESERVES: finance_return.reserves,
    }[FinanceKind(finance_return.kind)]
    return list(related.all())


def _row(line: object, period: ReportingPeriod) -> Row:
    money = plain_decimal
    if isinstance(line, RevenueLine):
        return {
            "period": period.code,
            "portfolio": line.portfolio.name,
            "service_line": line.service_line,
            "original_budget": money(line.original_budget),
            "current_budget": money(line.current_budget),
            "forecast_outturn": money(line.forecast_outturn),
            "explanation": line.explanation,
        }
    if isinstance(line, SavingItem):
        return {
            "period": period.code,
            "reference": line.reference,
            "description": line.description,
            "portfolio": line.portfolio.name,
            "target_saving": money(line.target_saving),
            "forecast_delivered": money(line.forecast_delivered),
            "rag": line.rag,
            "note": line.note,
        }
    if isinstance(line, CapitalLine):
        return {
            "period": period.code,
            "reference": line.reference,
            "scheme_name": line.name,
            "portfolio": line.portfolio.name,
            "plan_scheme": line.scheme.slug if line.scheme else "",
            "budget": money(line.budget),
            "spend_to_date": money(line.spend_to_date),
            "forecast": money(line.forecast),
            "slippage_reason": line.slippage_reason,
        }
    assert isinstance(line, ReserveLine)  # noqa: S101 - the four kinds' lines
    return {
        "period": period.code,
        "reserve": line.name,
        "opening_balance": money(line.opening_balance),
        "planned_use": money(line.planned_use),
        "forecast_use": money(line.forecast_use),
        "note": line.note,
    }
