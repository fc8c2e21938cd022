"""The ledger extract's format: each kind's columns, how a file says which kind it holds, and
turning one row's cells into a figure or into "Row N, column 'x'" errors. The upload service,
the template download and the README all follow this one definition."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ambitions.models import Scheme
from portfolios.models import Portfolio
from resources.choices import FinanceKind, SavingRag
from resources.rules import (
    AMOUNTS,
    CapitalFigure,
    Figure,
    ReserveFigure,
    RevenueFigure,
    SavingFigure,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    FinanceKind.REVENUE: (
        "period",
        "portfolio",
        "service_line",
        "original_budget",
        "current_budget",
        "forecast_outturn",
        "explanation",
    ),
    FinanceKind.SAVINGS: (
        "period",
        "reference",
        "description",
        "portfolio",
        "target_saving",
        "forecast_delivered",
        "rag",
        "note",
    ),
    FinanceKind.CAPITAL: (
        "period",
        "reference",
        "scheme_name",
        "portfolio",
        "plan_scheme",
        "budget",
        "spend_to_date",
        "forecast",
        "slippage_reason",
    ),
    FinanceKind.RESERVES: (
        "period",
        "reserve",
        "opening_balance",
        "planned_use",
        "forecast_use",
        "note",
    ),
}
OPTIONAL = {"service_line", "explanation", "note", "plan_scheme", "slippage_reason"}
# The column only that kind has: a CSV (or a workbook's one sheet) is known by it.
MARKER: dict[str, str] = {
    FinanceKind.REVENUE: "forecast_outturn",
    FinanceKind.SAVINGS: "target_saving",
    FinanceKind.CAPITAL: "spend_to_date",
    FinanceKind.RESERVES: "opening_balance",
}
SHEET: dict[str, str] = {
    FinanceKind.REVENUE: "Revenue",
    FinanceKind.SAVINGS: "Savings",
    FinanceKind.CAPITAL: "Capital",
    FinanceKind.RESERVES: "Reserves",
}
EVERY_COLUMN = tuple(dict.fromkeys(c for columns in COLUMNS.values() for c in columns))
# A figure's field as the file names its column, where the two differ.
COLUMN_OF = {"name": "scheme_name", "scheme": "plan_scheme"}
RESERVE_COLUMN_OF = {"name": "reserve"}
AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")


def required(kind: str) -> tuple[str, ...]:
    return tuple(c for c in COLUMNS[kind] if c not in OPTIONAL)


def column_for(kind: str, name: str) -> str:
    """The file's column for a figure's field (the rules speak in fields)."""
    if kind == FinanceKind.RESERVES:
        return RESERVE_COLUMN_OF.get(name, name)
    return COLUMN_OF.get(name, name)


def kind_of_header(names: Sequence[str]) -> tuple[str | None, str | None]:
    """Which kind a header's columns are, or why it is none: (kind, None) or (None, reason)."""
    kinds = [kind for kind, marker in MARKER.items() if marker in names]
    if not kinds:
        markers = ", ".join(f"'{m}' ({FinanceKind(k).label.lower()})" for k, m in MARKER.items())
        return None, f"The file's columns are not one of the formats: it needs one of {markers}."
    if len(kinds) > 1:
        labels = " and ".join(FinanceKind(k).label.lower() for k in kinds)
        return None, (
            f"The columns mix {labels}: give each kind its own file, or its own sheet of a "
            "workbook (Revenue, Savings, Capital, Reserves)."
        )
    kind = kinds[0]
    label = FinanceKind(kind).label
    if foreign := [n for n in names if n not in COLUMNS[kind]]:
        return None, (
            f"Column '{foreign[0]}' is not in the {label.lower()} format; its columns are "
            f"{', '.join(COLUMNS[kind])}."
        )
    if missing := [c for c in required(kind) if c not in names]:
        return None, f"The {label.lower()} columns have no '{missing[0]}' column."
    return kind, None


@dataclass(frozen=True)
class Lookups:
    """What a row's names are looked up in: portfolios and plan schemes."""

    portfolios: Mapping[str, Portfolio]
    schemes: Mapping[str, list[Scheme]]

    @classmethod
    def load(cls) -> Lookups:
        portfolios: dict[str, Portfolio] = {}
        for portfolio in Portfolio.objects.all():
            portfolios[portfolio.slug.casefold()] = portfolio
            portfolios[portfolio.name.casefold()] = portfolio
        schemes: dict[str, list[Scheme]] = {}
        for scheme in Scheme.objects.all():
            for name in {scheme.slug.casefold(), scheme.name.casefold()}:
                schemes.setdefault(name, []).append(scheme)
        return cls(portfolios, schemes)


@dataclass
class ParsedRow:
    """One row of the file: its figure, or what is wrong with it (as "Row N, column 'x': …")."""

    number: int
    cells: Mapping[str, str]
    figure: Figure | None = None
    errors: list[str] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.errors.append(f"Row {self.number}, column '{column}': {message}")


def parse_row(kind: str, number: int, cells: Mapping[str, str], lookups: Lookups) -> ParsedRow:
    """The row's figure, if every cell reads; each cell that does not is an error."""
    row = ParsedRow(number, cells)
    amounts = {name: _amount(row, name) for name in COLUMNS[kind] if _is_amount(kind, name)}
    text = {name: cells.get(name, "").strip() for name in COLUMNS[kind]}
    portfolio = _portfolio(row, lookups) if "portfolio" in text else None
    for name in ("reference", "reserve"):  # the rest are the rules' to judge
        if name in text and not text[name]:
            row.fail(name, f"is empty: give each line its {name}, as the ledger does")
    if row.errors or any(a is None for a in amounts.values()):
        return row
    money = {name: amount for name, amount in amounts.items() if amount is not None}
    figure = _figure(kind, text, money, portfolio, row, lookups)
    if not row.errors:
        row.figure = figure
    return row


def _figure(
    kind: str,
    text: Mapping[str, str],
    money: Mapping[str, Decimal],
    portfolio: Portfolio | None,
    row: ParsedRow,
    lookups: Lookups,
) -> Figure:
    if kind == FinanceKind.RESERVES:
        return ReserveFigure(name=text["reserve"], note=text["note"], **money)
    assert portfolio is not None  # noqa: S101 - a row without one has an error already
    if kind == FinanceKind.REVENUE:
        return RevenueFigure(
            portfolio=portfolio,
            service_line=text["service_line"],
            explanation=text["explanation"],
            **money,
        )
    if kind == FinanceKind.SAVINGS:
        return SavingFigure(
            reference=text["reference"],
            description=text["description"],
            portfolio=portfolio,
            rag=_rag(text["rag"]),
            note=text["note"],
            **money,
        )
    return CapitalFigure(
        reference=text["reference"],
        name=text["scheme_name"],
        portfolio=portfolio,
        scheme=_scheme(row, text["plan_scheme"], lookups),
        slippage_reason=text["slippage_reason"],
        **money,
    )


def _is_amount(kind: str, name: str) -> bool:
    return name in AMOUNTS[FinanceKind(kind)]


def _amount(row: ParsedRow, name: str) -> Decimal | None:
    """An amount in pounds: '1250000', '1,250,000.50', '£1.25m' is refused (give it whole);
    an accountant's (1,000) is -1000."""
    raw = row.cells.get(name, "").strip()
    if not raw:
        row.fail(name, "is empty: give the amount in pounds, 0 if there is none")
        return None
    cleaned = raw.replace(",", "").replace("£", "").replace(" ", "")
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = f"-{cleaned[1:-1]}"
    if not AMOUNT.match(cleaned):
        row.fail(name, f"{raw!r} is not an amount in pounds: give a number such as 1250000.00")
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        row.fail(name, f"{raw!r} is not an amount in pounds")
        return None


def _portfolio(row: ParsedRow, lookups: Lookups) -> Portfolio | None:
    name = row.cells.get("portfolio", "").strip()
    if not name:
        row.fail("portfolio", "is empty: give the portfolio's name or its short name")
        return None
    portfolio = lookups.portfolios.get(name.casefold())
    if portfolio is None:
        row.fail("portfolio", f"there is no portfolio {name!r}; use a name from the template")
    return portfolio


def _rag(value: str) -> str:
    """A RAG as its code; the labels ("At risk") are read too."""
    rag = value.casefold()
    labels = {str(label).casefold(): code for code, label in SavingRag.choices}
    return labels.get(rag, rag)


def _scheme(row: ParsedRow, name: str, lookups: Lookups) -> Scheme | None:
    if not name:
        return None
    found = lookups.schemes.get(name.casefold(), [])
    if not found:
        row.fail("plan_scheme", f"the plan has no scheme {name!r}; leave it empty if none is")
        return None
    if len(found) > 1:
        row.fail("plan_scheme", f"{name!r} is more than one of the plan's schemes: give its slug")
        return None
    return found[0]
