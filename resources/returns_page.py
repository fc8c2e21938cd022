"""What the finance pages list: every return by quarter, and one return's lines as a table
of words and amounts (short on the page, exact in the title), from the one money module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from core.formatting import money_exact, money_short
from measures.models import ReportingPeriod
from resources.choices import FinanceKind, SavingRag
from resources.models import CapitalLine, FinanceReturn, ReserveLine, RevenueLine, SavingItem
from resources.selectors import threshold_for


@dataclass(frozen=True)
class QuarterReturns:
    """One quarter's returns, one per kind in the format's order (None: not given)."""

    period: ReportingPeriod
    returns: Sequence[FinanceReturn | None]


def returns_listed() -> list[QuarterReturns]:
    """Every quarter with a return, latest first, each return with how many lines it holds."""
    lines = (
        Count("revenue_lines", distinct=True)
        + Count("savings", distinct=True)
        + Count("capital_lines", distinct=True)
        + Count("reserves", distinct=True)
    )
    returns = (
        FinanceReturn.objects.select_related("period", "submitted_by")
        .annotate(line_count=lines)
        .order_by("-period__start")
    )
    by_period: dict[int, dict[str, FinanceReturn]] = {}
    periods: dict[int, ReportingPeriod] = {}
    for finance_return in returns:
        periods.setdefault(finance_return.period_id, finance_return.period)
        by_period.setdefault(finance_return.period_id, {})[finance_return.kind] = finance_return
    return [
        QuarterReturns(periods[pk], [kinds.get(kind) for kind in FinanceKind.values])
        for pk, kinds in by_period.items()
    ]


@dataclass(frozen=True)
class Cell:
    text: str
    exact: str = ""  # an amount's full figure, for its title and screen readers
    numeric: bool = False
    flag: str = ""  # why the line stands out, if it does


@dataclass(frozen=True)
class LinesTable:
    headers: Sequence[tuple[str, bool]]  # (header, numeric)
    rows: Sequence[Sequence[Cell]]


def _money(amount: Decimal, flag: str = "") -> Cell:
    return Cell(money_short(amount), money_exact(amount), numeric=True, flag=flag)


def return_lines(finance_return: FinanceReturn) -> LinesTable:
    """The return's lines as the page shows them."""
    kind = FinanceKind(finance_return.kind)
    if kind == FinanceKind.REVENUE:
        threshold = threshold_for(finance_return.period.financial_year)
        revenue = RevenueLine.objects.filter(finance_return=finance_return).select_related(
            "portfolio"
        )
        return LinesTable(
            [
                ("Portfolio", False),
                ("Service line", False),
                ("Original budget", True),
                ("Current budget", True),
                ("Forecast outturn", True),
                ("Variance", True),
                ("Explanation", False),
            ],
            [
                [
                    Cell(line.portfolio.name),
                    Cell(line.service_line or "Whole portfolio"),
                    _money(line.original_budget),
                    _money(line.current_budget),
                    _money(line.forecast_outturn),
                    _money(
                        line.variance,
                        "Over the threshold"
                        if threshold.exceeded_by(line.variance, line.current_budget)
                        else "",
                    ),
                    Cell(line.explanation),
                ]
                for line in revenue
            ],
        )
    if kind == FinanceKind.SAVINGS:
        savings = SavingItem.objects.filter(finance_return=finance_return).select_related(
            "portfolio"
        )
        return LinesTable(
            [
                ("Reference", False),
                ("Saving", False),
                ("Portfolio", False),
                ("Target", True),
                ("Forecast delivered", True),
                ("Delivery", False),
                ("Note", False),
            ],
            [
                [
                    Cell(s.reference),
                    Cell(s.description),
                    Cell(s.portfolio.name),
                    _money(s.target_saving),
                    _money(s.forecast_delivered),
                    Cell(SavingRag(s.rag).label),
                    Cell(s.note),
                ]
                for s in savings
            ],
        )
    if kind == FinanceKind.CAPITAL:
        capital = CapitalLine.objects.filter(finance_return=finance_return).select_related(
            "portfolio", "scheme"
        )
        return LinesTable(
            [
                ("Reference", False),
                ("Scheme", False),
                ("Portfolio", False),
                ("Budget", True),
                ("Spend to date", True),
                ("Forecast", True),
                ("Slippage", True),
                ("Reason", False),
            ],
            [
                [
                    Cell(c.reference),
                    Cell(c.name + (f" (plan scheme: {c.scheme.name})" if c.scheme else "")),
                    Cell(c.portfolio.name),
                    _money(c.budget),
                    _money(c.spend_to_date),
                    _money(c.forecast),
                    _money(c.slippage),
                    Cell(c.slippage_reason),
                ]
                for c in capital
            ],
        )
    reserves = ReserveLine.objects.filter(finance_return=finance_return)
    return LinesTable(
        [
            ("Reserve", False),
            ("Opening balance", True),
            ("Planned use", True),
            ("Forecast use", True),
            ("Forecast closing", True),
            ("Note", False),
        ],
        [
            [
                Cell(r.name),
                _money(r.opening_balance),
                _money(r.planned_use),
                _money(r.forecast_use),
                _money(r.forecast_closing),
                Cell(r.note),
            ]
            for r in reserves
        ],
    )
