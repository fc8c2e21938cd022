"""The rules every finance figure is checked against, wherever it comes from (an upload, the
demo, a test): one home, so the upload's per-row errors and the service's refusal agree.

Each check returns (field, message) pairs; the upload turns a field into its column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ambitions.models import Scheme
from core.formatting import money_short
from measures.models import ReportingPeriod
from measures.periods import has_ended
from portfolios.models import Portfolio
from resources import money
from resources.choices import FinanceKind, FinanceStatus, SavingRag
from resources.money import ZERO, Threshold

Problem = tuple[str, str]
MOST = Decimal("999999999999.99")  # what the database holds (14 digits, 2 places)


@dataclass(frozen=True)
class RevenueFigure:
    portfolio: Portfolio
    service_line: str
    original_budget: Decimal
    current_budget: Decimal
    forecast_outturn: Decimal
    explanation: str = ""

    @property
    def key(self) -> tuple[object, ...]:
        return (self.portfolio.pk, self.service_line.casefold())


@dataclass(frozen=True)
class SavingFigure:
    reference: str
    description: str
    portfolio: Portfolio
    target_saving: Decimal
    forecast_delivered: Decimal
    rag: str
    note: str = ""

    @property
    def key(self) -> tuple[object, ...]:
        return (self.reference.casefold(),)


@dataclass(frozen=True)
class CapitalFigure:
    reference: str
    name: str
    portfolio: Portfolio
    scheme: Scheme | None
    budget: Decimal
    spend_to_date: Decimal
    forecast: Decimal
    slippage_reason: str = ""

    @property
    def key(self) -> tuple[object, ...]:
        return (self.reference.casefold(),)


@dataclass(frozen=True)
class ReserveFigure:
    name: str
    opening_balance: Decimal
    planned_use: Decimal
    forecast_use: Decimal
    note: str = ""

    @property
    def key(self) -> tuple[object, ...]:
        return (self.name.casefold(),)


Figure = RevenueFigure | SavingFigure | CapitalFigure | ReserveFigure
KIND_OF = {
    RevenueFigure: FinanceKind.REVENUE,
    SavingFigure: FinanceKind.SAVINGS,
    CapitalFigure: FinanceKind.CAPITAL,
    ReserveFigure: FinanceKind.RESERVES,
}
# The amounts that can never be below zero, by kind (a net revenue budget can: an income
# budget such as parking's is negative; a use of reserves below zero is a contribution).
NOT_NEGATIVE = {
    FinanceKind.REVENUE: (),
    FinanceKind.SAVINGS: ("target_saving", "forecast_delivered"),
    FinanceKind.CAPITAL: ("budget", "spend_to_date", "forecast"),
    FinanceKind.RESERVES: ("opening_balance",),
}
AMOUNTS = {
    FinanceKind.REVENUE: ("original_budget", "current_budget", "forecast_outturn"),
    FinanceKind.SAVINGS: ("target_saving", "forecast_delivered"),
    FinanceKind.CAPITAL: ("budget", "spend_to_date", "forecast"),
    FinanceKind.RESERVES: ("opening_balance", "planned_use", "forecast_use"),
}
KEY_WORDS = {
    FinanceKind.REVENUE: "portfolio and service line",
    FinanceKind.SAVINGS: "reference",
    FinanceKind.CAPITAL: "reference",
    FinanceKind.RESERVES: "reserve",
}


def figure_problems(figure: Figure, threshold: Threshold) -> list[Problem]:
    """Everything wrong with one figure on its own (not against the others of its file)."""
    kind = KIND_OF[type(figure)]
    problems: list[Problem] = []
    for name in AMOUNTS[kind]:
        amount: Decimal = getattr(figure, name)
        if abs(amount) > MOST:
            problems.append((name, f"{amount} is more than the largest amount held (£1 trillion)"))
        elif amount != amount.quantize(Decimal("0.01")):
            problems.append(
                (name, f"{amount} has more than two decimal places: give pounds and pence")
            )
        elif amount < ZERO and name in NOT_NEGATIVE[kind]:
            problems.append((name, f"{amount} is below zero: {_words(name)} cannot be negative"))
    if isinstance(figure, RevenueFigure):
        variance = money.variance(budget=figure.current_budget, forecast=figure.forecast_outturn)
        if threshold.exceeded_by(variance, figure.current_budget) and not figure.explanation:
            problems.append(
                (
                    "explanation",
                    f"the variance of {_signed(variance)}{_share(figure)}"
                    f" is over the threshold ({threshold.phrase()}): explain what causes it "
                    "and what is being done",
                )
            )
    elif isinstance(figure, SavingFigure):
        if figure.rag not in SavingRag.values:
            problems.append(("rag", "give green, amber or red"))
        if not figure.description:
            problems.append(("description", "describe the saving"))
    elif isinstance(figure, CapitalFigure):
        if not figure.name:
            problems.append(("scheme_name", "name the capital scheme"))
        slips = money.slippage(budget=figure.budget, forecast=figure.forecast)
        if slips > ZERO and not figure.slippage_reason:
            problems.append(
                (
                    "slippage_reason",
                    f"{money_short(slips)} of the budget is forecast to slip: give the reason",
                )
            )
    return problems


def duplicate_of(figure: Figure, seen: dict[tuple[object, ...], int], number: int) -> str | None:
    """Why this figure repeats an earlier one of its file (by row number), or None; records
    it as seen."""
    earlier = seen.setdefault(figure.key, number)
    if earlier == number:
        return None
    kind = KIND_OF[type(figure)]
    return f"the same {KEY_WORDS[kind]} as row {earlier}: give each once"


def period_problem(
    period: ReportingPeriod, kind: str, *, today: date, returns: dict[tuple[str, int], str]
) -> str | None:
    """Why figures of this kind cannot be given for this period now, or None.

    `returns` holds the status of every return, by (kind, period id): a quarter's figures
    come after it has ended, before it is published, and not once a later quarter of the
    same year has been approved (that would rewrite what the later one was judged after)."""
    if period.kind != ReportingPeriod.Kind.QUARTER:
        return (
            f"{period} is a year: finance figures are given for a quarter, such as {period.code}-Q1"
        )
    if not has_ended(period, today):
        return (
            f"{period} does not end until {period.end.day} {period.end:%B %Y}: its figures "
            "are uploaded once it has ended"
        )
    status = returns.get((kind, period.pk))
    if status == FinanceStatus.PUBLISHED or period.state == ReportingPeriod.State.PUBLISHED:
        return f"{period} is published: its figures can no longer be changed"
    later = ReportingPeriod.objects.filter(
        kind=ReportingPeriod.Kind.QUARTER,
        financial_year=period.financial_year,
        quarter__gt=period.quarter,
    )
    for after in later:
        if returns.get((kind, after.pk)) in (FinanceStatus.APPROVED, FinanceStatus.PUBLISHED):
            return (
                f"{after} {FinanceKind(kind).label.lower()} figures are approved already: "
                f"{period}'s come before them, so they can no longer be changed"
            )
    return None


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _signed(amount: Decimal) -> str:
    return money_short(amount) if amount < ZERO else f"+{money_short(amount)}"


def _share(figure: RevenueFigure) -> str:
    share = money.variance_percent(budget=figure.current_budget, forecast=figure.forecast_outturn)
    return "" if share is None else f" ({abs(share)}% of the budget)"
