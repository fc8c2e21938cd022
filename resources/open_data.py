"""The published finance figures as open data: one tidy row per line of every published
return, the columns they have and what each means. dashboards/open_data.py writes them into
each release beside the readings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from django.db.models import Max

from measures.periods import year_code
from resources.choices import FinanceKind, SavingRag
from resources.models import (
    CapitalLine,
    FinanceEvent,
    FinanceReturn,
    ReserveLine,
    RevenueLine,
    SavingItem,
)
from resources.permissions import PUBLIC, statuses_shown

PENNY = Decimal("0.01")
TITLE = "Council Plan resources: published finance figures"

_AMOUNT = "Pounds, exact to the penny; blank where it does not apply to the kind."
# (column, Table Schema type, meaning): the JSON and the Data Package both say these.
FINANCE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("kind", "string", "revenue, savings, capital or reserves."),
    ("financial_year", "string", "The financial year, e.g. 2025-26 (April to March)."),
    ("period", "string", "The quarter the figures are for, e.g. 2025-26-Q2 (Q1 is April-June)."),
    ("portfolio", "string", "The cabinet portfolio; blank for reserves (held council-wide)."),
    ("portfolio_slug", "string", "The portfolio's short name, as in its page address."),
    ("reference", "string", "The saving's or capital scheme's reference in the ledger."),
    ("service_line", "string", "Revenue: the service line; blank for the whole portfolio."),
    ("name", "string", "The saving's description, capital scheme's name or reserve's name."),
    ("original_budget", "number", f"Revenue: the budget set for the year. {_AMOUNT}"),
    ("current_budget", "number", f"Revenue: the budget after virements. {_AMOUNT}"),
    ("forecast_outturn", "number", f"Revenue: forecast spend for the year. {_AMOUNT}"),
    ("variance", "number", f"Revenue: forecast outturn less current budget. {_AMOUNT}"),
    ("target_saving", "number", f"Savings: what the saving is to save. {_AMOUNT}"),
    ("forecast_delivered", "number", f"Savings: what it is forecast to save. {_AMOUNT}"),
    ("capital_budget", "number", f"Capital: this year's budget. {_AMOUNT}"),
    ("spend_to_date", "number", f"Capital: spent so far this year. {_AMOUNT}"),
    ("capital_forecast", "number", f"Capital: forecast spend for the year. {_AMOUNT}"),
    ("slippage", "number", f"Capital: budget forecast not to be spent this year. {_AMOUNT}"),
    ("opening_balance", "number", f"Reserves: the balance at 1 April. {_AMOUNT}"),
    ("planned_use", "number", f"Reserves: planned use (below zero a contribution). {_AMOUNT}"),
    ("forecast_use", "number", f"Reserves: forecast use (below zero a contribution). {_AMOUNT}"),
    ("forecast_closing", "number", f"Reserves: opening balance less forecast use. {_AMOUNT}"),
    (
        "explanation",
        "string",
        "Revenue: why the forecast differs from budget; capital: why it slips; savings and "
        "reserves: the finance officer's note.",
    ),
    ("rag", "string", "Savings: green, amber or red, as the finance officer judges delivery."),
    ("rag_label", "string", "Savings: what the rag means, in words."),
    (
        "scheme",
        "string",
        "Capital: the plan scheme this is the money for (its short name), where there is one.",
    ),
    ("is_synthetic", "boolean", "true for made-up demonstration figures, never real ones."),
    ("published_at", "datetime", "When the figures were published (ISO 8601)."),
)
FINANCE_COLUMN_NAMES = tuple(name for name, _, _ in FINANCE_COLUMNS)
FINANCE_ENUMS = {
    "kind": list(FinanceKind.values),
    "rag": [*SavingRag.values, ""],
}
_NUMBERS = {name for name, kind, _ in FINANCE_COLUMNS if kind == "number"}
_KIND_ORDER = {kind: number for number, kind in enumerate(FinanceKind.values)}


def finance_records() -> Iterator[dict[str, object]]:
    """Every published line, in period, kind (revenue, savings, capital, reserves) and line
    order: what the public may see (resources/permissions.py) and nothing else."""
    published = statuses_shown(PUBLIC)
    returns = {
        r.pk: r for r in FinanceReturn.objects.filter(status__in=published).select_related("period")
    }
    when = _published_at(returns)
    shown = {"finance_return__in": list(returns)}
    lines: list[RevenueLine | SavingItem | CapitalLine | ReserveLine] = [
        *RevenueLine.objects.filter(**shown).select_related("portfolio"),
        *SavingItem.objects.filter(**shown).select_related("portfolio"),
        *CapitalLine.objects.filter(**shown).select_related("portfolio", "scheme"),
        *ReserveLine.objects.filter(**shown),
    ]

    def order(line: RevenueLine | SavingItem | CapitalLine | ReserveLine) -> tuple:
        finance_return = returns[line.finance_return_id]
        kind = _KIND_ORDER[finance_return.kind]
        return (finance_return.period.start, kind, line.position, line.pk)

    for line in sorted(lines, key=order):
        finance_return = returns[line.finance_return_id]
        yield _row(line, finance_return, when.get(finance_return.pk))


def _published_at(returns: dict[int, FinanceReturn]) -> dict[int, datetime]:
    """When each return was last published (else when its period was)."""
    events = (
        FinanceEvent.objects.filter(finance_return__in=list(returns), action="published")
        .values("finance_return")
        .annotate(at=Max("at"))
    )
    found = {row["finance_return"]: row["at"] for row in events}
    return {
        pk: moment
        for pk, r in returns.items()
        if (moment := found.get(pk) or r.period.published_at) is not None
    }


def _row(
    line: RevenueLine | SavingItem | CapitalLine | ReserveLine,
    finance_return: FinanceReturn,
    published_at: datetime | None,
) -> dict[str, object]:
    period = finance_return.period
    row: dict[str, object] = {
        name: None if name in _NUMBERS else "" for name in FINANCE_COLUMN_NAMES
    }
    row.update(
        kind=finance_return.kind,
        financial_year=year_code(period.financial_year),
        period=period.code,
        is_synthetic=finance_return.is_synthetic,
        published_at=published_at.isoformat(timespec="seconds") if published_at else None,
    )
    row.update(_line_cells(line))
    return {
        name: _pounds(value) if isinstance(value, Decimal) else value for name, value in row.items()
    }


def _line_cells(line: RevenueLine | SavingItem | CapitalLine | ReserveLine) -> dict[str, object]:
    """The cells one kind of line fills; the variance, slippage and closing balance are the
    models' own (resources/money.py), never worked out here."""
    portfolio = (
        {}
        if isinstance(line, ReserveLine)
        else {"portfolio": line.portfolio.name, "portfolio_slug": line.portfolio.slug}
    )
    if isinstance(line, RevenueLine):
        return portfolio | {
            "service_line": line.service_line,
            "original_budget": line.original_budget,
            "current_budget": line.current_budget,
            "forecast_outturn": line.forecast_outturn,
            "variance": line.variance,
            "explanation": line.explanation,
        }
    if isinstance(line, SavingItem):
        return portfolio | {
            "reference": line.reference,
            "name": line.description,
            "target_saving": line.target_saving,
            "forecast_delivered": line.forecast_delivered,
            "explanation": line.note,
            "rag": line.rag,
            "rag_label": SavingRag(line.rag).label,
        }
    if isinstance(line, CapitalLine):
        return portfolio | {
            "reference": line.reference,
            "name": line.name,
            "capital_budget": line.budget,
            "spend_to_date": line.spend_to_date,
            "capital_forecast": line.forecast,
            "slippage": line.slippage,
            "explanation": line.slippage_reason,
            "scheme": line.scheme.slug if line.scheme else "",
        }
    return {
        "name": line.name,
        "opening_balance": line.opening_balance,
        "planned_use": line.planned_use,
        "forecast_use": line.forecast_use,
        "forecast_closing": line.forecast_closing,
        "explanation": line.note,
    }


def _pounds(amount: Decimal) -> Decimal:
    """To the penny, always with two places (1234567 -> 1234567.00)."""
    return amount.quantize(PENNY)


def finance_schema_fields() -> list[dict[str, object]]:
    """The Table Schema fields of the finance files, each with its type and meaning."""
    return [
        {
            "name": name,
            "type": kind,
            "description": meaning,
            **({"constraints": {"enum": FINANCE_ENUMS[name]}} if name in FINANCE_ENUMS else {}),
        }
        for name, kind, meaning in FINANCE_COLUMNS
    ]


def finance_package_resources() -> list[dict[str, object]]:
    """The finance files' entries in the Data Package: the same rows as CSV and as JSON."""
    schema = {"fields": finance_schema_fields(), "missingValues": [""]}
    return [
        {
            "name": "finance-csv",
            "type": "table",
            "title": TITLE,
            "path": "finance.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "schema": schema,
        },
        {
            "name": "finance-json",
            "type": "table",
            "title": TITLE,
            "path": "finance.json",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "dialect": {"json": {"property": "rows", "keyed": True}},
            "schema": {**schema, "missingValues": []},
        },
    ]
