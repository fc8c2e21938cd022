"""A committee's report as a workbook: Summary, a sheet per portfolio, Milestones, Resources
and the tidy Data. Numbers stay numbers, text can never be a formula, and the same data gives
the same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.formatting import moment
from core.spreadsheet_writer import (
    MAX_COLUMN_WIDTH,
    WorkbookProperties,
    fill_cell,
    filter_and_freeze,
    safe_sheet_title,
    save_described_workbook,
    write_cell,
    xlsx_value,
)
from measures.delivery import state_phrase
from measures.performance import DIRECTION_LABELS, DIRECTION_SYMBOLS, RAG_SYMBOLS, Direction, Rag
from reports.data import ReportData, ReportMilestone, ReportPortfolio
from reports.labels import NO_READINGS, REPORT_NAME, SYNTHETIC_NOTICE, rag_counts
from reports.resources_sheet import RESOURCES_COLUMNS, WRAPPED_COLUMNS, resources_rows
from reports.tidy import CSV_COLUMN_NAMES, period_code, report_number, tidy_rows

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_RESERVED_SHEETS = ("Summary", "Exceptions", "Milestones", "Resources", "Data")
_EXCEPTION_COLUMNS = (
    "Portfolio",
    "Kind",
    "What",
    "Why it is an exception",
    "Commentary",
    "Corrective action",
)
_PORTFOLIO_COLUMNS = (
    "Code",
    "Indicator",
    "Unit",
    "Baseline",
    "Baseline period",
    "Previous",
    "Previous period",
    "Latest",
    "Latest period",
    "Target",
    "RAG",
    "Direction",
    "Comparator",
    "Comparator label",
    "Commentary",
    "Corrective action",
    "Synthetic",
)
_NUMBER_COLUMNS = ("Baseline", "Previous", "Latest", "Target", "Comparator")
_WRAPPED_COLUMNS = ("Indicator", "Commentary", "Corrective action")
_MILESTONE_COLUMNS = (
    "Block",
    "Scheme",
    "Milestone",
    "Original date",
    "Current date",
    "Revisions",
    "Status",
    "Overdue",
    "Progress note",
    "Reason",
    "Corrective action",
    "Update period",
    "Synthetic",
)
_DATE_COLUMNS = ("Original date", "Current date")
_DATE_FORMAT = "d mmmm yyyy"
# The report's RAG colours, tinted, under dark text and beside the words: never colour alone.
_RAG_FILLS = {
    Rag.GREEN: "CCE2D8",
    Rag.AMBER: "FFE3C9",
    Rag.RED: "F6D7D2",
    Rag.NO_TARGET: "E5E6E7",
    Rag.NO_DATA: "E5E6E7",
}


def _number_format(unit: str, places: int) -> str:
    """An Excel number format to the decimal places. A percentage stays 45.5 (not 0.455) with
    no "%" shown, so a formula gets what the cell shows; the Unit column says "%"."""
    decimals = "." + "0" * places if places > 0 else ""
    if unit == "currency":
        return f'"£"#,##0{decimals}'
    if unit == "yes_no":
        return '"Yes";"Yes";"No"'
    return f"#,##0{decimals}"


def _fill_rag(sheet: Any, column: int, statuses: Sequence[Rag]) -> None:
    """Colour each row's RAG cell (the text stays) by its status."""
    for row_number, status in enumerate(statuses, start=2):
        fill_cell(sheet.cell(row=row_number, column=column), _RAG_FILLS[status])


def _portfolio_sheet_titles(portfolios: Sequence[ReportPortfolio]) -> list[str]:
    """Excel-safe sheet titles, unique (ignoring case) among themselves and the fixed sheets."""
    taken = {title.casefold() for title in _RESERVED_SHEETS}
    titles: list[str] = []
    for portfolio in portfolios:
        base = safe_sheet_title(portfolio.name)
        title, number = base, 1
        while title.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            title = base[: 31 - len(suffix)].rstrip() + suffix
        taken.add(title.casefold())
        titles.append(title)
    return titles


def _write_table(
    sheet: Any,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    formats: Sequence[Sequence[str | None]] = (),
    wrapped: Sequence[str] = (),
) -> None:
    """A bold, frozen header row with an autofilter and the rows under it; text is neutralised,
    never a formula."""
    widths = [len(column) for column in columns]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        write_cell(cell, xlsx_value(column), None)
        cell.font = _BOLD
    for row_number, row in enumerate(rows, start=2):
        row_formats = formats[row_number - 2] if formats else [None] * len(columns)
        for index, (column, raw) in enumerate(zip(columns, row, strict=True), start=1):
            value = xlsx_value(raw)
            cell = sheet.cell(row=row_number, column=index)
            write_cell(cell, value, row_formats[index - 1])
            cell.alignment = _WRAP if column in wrapped else _TOP
            longest = max((len(line) for line in str(value or "").splitlines()), default=0)
            widths[index - 1] = max(widths[index - 1], longest)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    filter_and_freeze(sheet, len(columns), len(rows))


def _portfolio_rows(
    portfolio: ReportPortfolio,
) -> tuple[list[list[object]], list[list[str | None]]]:
    rows: list[list[object]] = []
    formats: list[list[str | None]] = []
    for indicator in portfolio.indicators:
        rag, direction = Rag(indicator.rag), Direction(indicator.direction)
        places = indicator.decimal_places
        number = _number_format(indicator.unit, places)
        rows.append(
            [
                indicator.code,
                indicator.title,
                indicator.unit_label,
                report_number(indicator.baseline, places),
                period_code(indicator.baseline_period),
                report_number(indicator.previous, places),
                period_code(indicator.previous_period),
                report_number(indicator.latest, places),
                period_code(indicator.latest_period),
                report_number(indicator.target, places),
                f"{RAG_SYMBOLS[rag]} {indicator.rag_label}",
                f"{DIRECTION_SYMBOLS[direction]} {indicator.direction_label}",
                report_number(indicator.comparator, places),
                indicator.comparator_label,
                indicator.commentary,
                indicator.corrective_action,
                "Yes" if indicator.synthetic else "No",
            ]
        )
        formats.append([number if c in _NUMBER_COLUMNS else None for c in _PORTFOLIO_COLUMNS])
    return rows, formats


def _milestone_rows(
    milestones: Sequence[ReportMilestone],
) -> tuple[list[list[object]], list[list[str | None]]]:
    """The Milestones sheet's rows, dates as date cells; the status is the state alone, since
    Overdue has its own column."""
    rows: list[list[object]] = [
        [
            milestone.block,
            milestone.scheme,
            milestone.title,
            milestone.original_date,
            milestone.current_date,
            milestone.revisions,
            milestone.state_label,
            "Yes" if milestone.overdue else "No",
            milestone.progress_note,
            milestone.reason,
            milestone.corrective_action,
            period_code(milestone.update_period),
            "Yes" if milestone.synthetic else "No",
        ]
        for milestone in milestones
    ]
    formats: list[list[str | None]] = [
        [_DATE_FORMAT if column in _DATE_COLUMNS else None for column in _MILESTONE_COLUMNS]
    ] * len(rows)
    return rows, formats


def _summary_rows(data: ReportData) -> list[tuple[object, object, bool]]:
    """(label, value, bold) lines of the Summary sheet."""
    lines: list[tuple[object, object, bool]] = [(REPORT_NAME, None, True)]
    if data.synthetic:
        lines.append(("Synthetic data", SYNTHETIC_NOTICE, True))
    lines += [
        ("Council", data.council, False),
        ("Plan", data.plan_title, False),
        ("Committee", data.committee, False),
        ("Period", data.period_label, False),
        ("Period code", data.period_code, False),
        ("Data as at", moment(data.data_as_at) if data.data_as_at else NO_READINGS, False),
        ("Generated", moment(data.generated_at), False),
        ("Summary", data.summary, False),
        (None, None, False),
        ("Indicators by status", "Number", True),
    ]
    lines += [
        (f"{symbol} {label}", count, False) for _, symbol, label, count in rag_counts(data.counts)
    ]
    lines += [("Total", data.counts.total, False), (None, None, False)]
    lines.append(("Direction of travel", "Number", True))
    lines += [
        (f"{DIRECTION_SYMBOLS[Direction(d)]} {DIRECTION_LABELS[Direction(d)]}", count, False)
        for d, count in data.directions
    ]
    lines += [(None, None, False), ("Changes since the previous period", None, True)]
    lines += [(None, change, False) for change in data.changes] or [(None, "None", False)]
    lines += [(None, None, False), ("Milestones", data.milestone_summary, True)]
    lines += [
        (state_phrase(m.state, m.overdue), f"{m.scheme}, {m.title} ({m.dates})", False)
        for m in data.milestone_exceptions
    ]
    return lines


def _write_summary(sheet: Any, data: ReportData) -> None:
    for row_number, (label, value, bold) in enumerate(_summary_rows(data), start=1):
        for column, raw in ((1, label), (2, value)):
            cell = sheet.cell(row=row_number, column=column)
            write_cell(cell, xlsx_value(raw), None)
            cell.alignment = _WRAP
            if bold:
                cell.font = _BOLD
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 90


def render_xlsx(data: ReportData) -> bytes:
    """The report as a workbook: Summary, Exceptions (every one, however many the PDF has room
    for), a sheet per portfolio, Milestones, Resources and the
    tidy Data (one row per indicator, as the CSV is), each table filtered under a frozen header.

    Numbers are numbers rounded to the indicator's decimal places, formatted by unit; RAG is
    words on a coloured cell; periods are codes; milestone dates are dates; amounts are exact
    in pounds. The title names the committee and period, the author is the council. The same
    data gives the same bytes.
    """
    workbook = openpyxl.Workbook()
    workbook.active.title = "Summary"
    _write_summary(workbook.active, data)
    _write_table(
        workbook.create_sheet("Exceptions"),
        _EXCEPTION_COLUMNS,
        [
            [
                e.portfolio,
                e.kind_label,
                e.title,
                " ".join(e.findings),
                e.commentary,
                e.corrective_action,
            ]
            for e in data.exceptions
        ]
        or [["None", *[None] * (len(_EXCEPTION_COLUMNS) - 1)]],
        wrapped=_EXCEPTION_COLUMNS[2:],
    )
    titles = _portfolio_sheet_titles(data.portfolios)
    for portfolio, title in zip(data.portfolios, titles, strict=True):
        rows, formats = _portfolio_rows(portfolio)
        sheet = workbook.create_sheet(title)
        _write_table(sheet, _PORTFOLIO_COLUMNS, rows, formats=formats, wrapped=_WRAPPED_COLUMNS)
        _fill_rag(sheet, _PORTFOLIO_COLUMNS.index("RAG") + 1, [i.rag for i in portfolio.indicators])
    milestones, formats = _milestone_rows(data.milestones)
    _write_table(
        workbook.create_sheet("Milestones"),
        _MILESTONE_COLUMNS,
        milestones or [["None", *[None] * (len(_MILESTONE_COLUMNS) - 1)]],
        formats=formats,
        wrapped=("Scheme", "Milestone", "Progress note", "Reason", "Corrective action"),
    )
    resources, formats = resources_rows(data)
    sheet = workbook.create_sheet("Resources")
    _write_table(sheet, RESOURCES_COLUMNS, resources, formats=formats, wrapped=WRAPPED_COLUMNS)
    tidy = tidy_rows(data)
    sheet = workbook.create_sheet("Data")
    _write_table(
        sheet, CSV_COLUMN_NAMES, [[row[name] for name in CSV_COLUMN_NAMES] for row in tidy]
    )
    _fill_rag(sheet, CSV_COLUMN_NAMES.index("rag") + 1, [Rag(str(row["rag"])) for row in tidy])
    properties = WorkbookProperties(
        title=f"{data.committee} performance report, {data.period_label}",
        author=data.council,
        subject=data.plan_title,
        identifier=data.fingerprint,
    )
    return save_described_workbook(workbook, properties)
