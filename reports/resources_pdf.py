"""The report's finance figures as the PDF shows them: every amount as text (£1.2m, £350k),
and a sentence where members may see none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.formatting import money_short
from reports.resources_data import (
    ReportCapital,
    ReportReserves,
    ReportResources,
    ReportRevenue,
    ReportSavings,
    no_figures_sentence,
)


@dataclass(frozen=True)
class _Amounts:
    """A table row of a resources table: a label, its amounts as text, and its words."""

    label: str
    amounts: tuple[str, ...]
    words: str = ""
    detail: str = ""  # e.g. the plan scheme a capital line is the money of


def _money(*values: Decimal) -> tuple[str, ...]:
    return tuple(money_short(value) for value in values)


def _signed(value: Decimal) -> str:
    """A variance with its sign: "+£150k" over budget, a minus sign under."""
    return f"+{money_short(value)}" if value > 0 else money_short(value)


def resources_context(resources: ReportResources | None, period_label: str) -> dict[str, object]:
    """One portfolio's resources section: statuses, sentences and the exceptions' tables."""
    if resources is None or not resources.any:
        return {"none": no_figures_sentence(period_label)}
    revenue, savings, capital = resources.revenue, resources.savings, resources.capital
    kinds = (("revenue budget", revenue), ("savings", savings), ("capital", capital))
    return {
        "synthetic": resources.synthetic,
        "statuses": "; ".join(f"{kind}: {status}" for kind, status in resources.statuses),
        "revenue": _revenue(revenue) if revenue else None,
        "savings": _savings(savings) if savings else None,
        "capital": _capital(capital) if capital else None,
        "missing": [no_figures_sentence(period_label, name) for name, shown in kinds if not shown],
    }


def _revenue(revenue: ReportRevenue) -> dict[str, object]:
    budgets = (revenue.original_budget, revenue.current_budget, revenue.forecast_outturn)
    return {
        "amounts": (*_money(*budgets), _signed(revenue.variance)),
        "sentence": revenue.sentence,
        "threshold": revenue.threshold,
        "lines": [
            _Amounts(
                line.service_line or "Whole portfolio",
                (*_money(line.current_budget, line.forecast_outturn), _signed(line.variance)),
                line.explanation,
            )
            for line in revenue.over_threshold
        ],
    }


def _savings(savings: ReportSavings) -> dict[str, object]:
    return {
        "sentence": savings.sentence,
        "items": [
            _Amounts(
                f"{item.reference} {item.description}",
                _money(item.target_saving, item.forecast_delivered, item.shortfall),
                item.note,
                item.rag_label,
            )
            for item in savings.not_on_track
        ],
    }


def _capital(capital: ReportCapital) -> dict[str, object]:
    return {
        "sentence": capital.sentence,
        "lines": [
            _Amounts(
                f"{line.reference} {line.name}",
                _money(line.budget, line.spend_to_date, line.forecast, line.slippage),
                line.slippage_reason,
                f"Plan scheme: {line.plan_scheme}" if line.plan_scheme else "",
            )
            for line in capital.slipping
        ],
    }


def reserves_context(reserves: ReportReserves | None) -> dict[str, object] | None:
    """The council's reserves, line by line and in total."""
    if reserves is None:
        return None
    return {
        "synthetic": reserves.synthetic,
        "status": reserves.status,
        "lines": [
            _Amounts(
                line.name,
                _money(
                    line.opening_balance,
                    line.planned_use,
                    line.forecast_use,
                    line.forecast_closing,
                ),
                line.note,
            )
            for line in reserves.lines
        ],
        "total": _money(
            reserves.opening_balance,
            reserves.planned_use,
            reserves.forecast_use,
            reserves.forecast_closing,
        ),
    }
