"""Finance figures for tests: one of each kind, and a quarter's worth saved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import User

from ambitions.models import Scheme
from measures.models import ReportingPeriod
from portfolios.models import Portfolio
from resources.models import FinanceReturn
from resources.rules import CapitalFigure, ReserveFigure, RevenueFigure, SavingFigure
from resources.services import finance_figures_save


def revenue(
    portfolio: Portfolio,
    budget: str = "1000000",
    forecast: str = "1000000",
    *,
    service_line: str = "",
    original: str | None = None,
    explanation: str = "",
) -> RevenueFigure:
    return RevenueFigure(
        portfolio=portfolio,
        service_line=service_line,
        original_budget=Decimal(original or budget),
        current_budget=Decimal(budget),
        forecast_outturn=Decimal(forecast),
        explanation=explanation,
    )


def saving(
    portfolio: Portfolio,
    reference: str = "S1",
    target: str = "100000",
    forecast: str = "100000",
    rag: str = "green",
) -> SavingFigure:
    return SavingFigure(
        reference=reference,
        description=f"Saving {reference}",
        portfolio=portfolio,
        target_saving=Decimal(target),
        forecast_delivered=Decimal(forecast),
        rag=rag,
    )


def capital(
    portfolio: Portfolio,
    reference: str = "C1",
    budget: str = "5000000",
    spend: str = "2000000",
    forecast: str = "5000000",
    *,
    scheme: Scheme | None = None,
    reason: str = "",
) -> CapitalFigure:
    return CapitalFigure(
        reference=reference,
        name=f"Scheme {reference}",
        portfolio=portfolio,
        scheme=scheme,
        budget=Decimal(budget),
        spend_to_date=Decimal(spend),
        forecast=Decimal(forecast),
        slippage_reason=reason,
    )


def reserve(
    name: str = "General fund",
    opening: str = "15000000",
    planned: str = "2000000",
    forecast: str = "2500000",
) -> ReserveFigure:
    return ReserveFigure(
        name=name,
        opening_balance=Decimal(opening),
        planned_use=Decimal(planned),
        forecast_use=Decimal(forecast),
    )


def quarter_saved(
    period: ReportingPeriod, portfolio: Portfolio, by: User, **kinds: list
) -> list[FinanceReturn]:
    """Save the given kinds (revenue=[...], savings=[...], ...) for the quarter, as if a
    fortnight after it ended; by default one revenue line."""
    figures = kinds or {"revenue": [revenue(portfolio)]}
    return finance_figures_save(
        period=period, figures=figures, by=by, source="test.csv", today=period.end + timedelta(14)
    )
