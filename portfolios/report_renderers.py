"""Render a committee's quarterly performance report (ReportData) as PDF, XLSX and CSV.

All three formats render the one structure built in portfolios.report_data and never re-derive
a status: RAG and direction arrive computed, with their labels. The PDF is WeasyPrint on a
Django template (tagged PDF/UA-1, no network); the XLSX and CSV reuse measures.spreadsheets, so
no cell can start a formula and the same data always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from core.spreadsheet_writer import (
    MAX_COLUMN_WIDTH,
    safe_sheet_title,
    save_workbook,
    write_cell,
    write_csv,
    xlsx_value,
)
from measures.performance import (
    DIRECTION_LABELS,
    DIRECTION_SYMBOLS,
    RAG_LABELS,
    RAG_SYMBOLS,
    Direction,
    Rag,
    StatusCounts,
)
from portfolios.report_data import ReportData, ReportIndicator, ReportPortfolio

__all__ = [
    "CSV_COLUMNS",
    "CSV_COLUMN_NAMES",
    "NOT_ENOUGH_DATA",
    "REPORT_NAME",
    "SYNTHETIC_NOTICE",
    "render_csv",
    "render_pdf",
    "render_xlsx",
    "trend_svg",
]

REPORT_NAME = "Quarterly performance report"
SYNTHETIC_NOTICE = "This report contains synthetic demonstration data, not real figures."
NO_READINGS = "No readings"
NOT_ENOUGH_DATA = "Not enough data for a trend"
DASH = "\u2013"  # en dash, for a missing value (escaped: ruff RUF001 reads it as a hyphen)
TEMPLATE = "portfolios/report_pdf.html"
STYLESHEET = Path("static") / "css" / "report.css"  # relative to settings.BASE_DIR

# (column, meaning): the tidy data, one row per indicator, in the CSV and the XLSX "Data" sheet.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("committee", "The scrutiny committee the report is for."),
    ("period", "The reporting period's code, e.g. 2025-26-Q2 (Q1 is April to June)."),
    ("portfolio", "The cabinet portfolio the indicator sits in."),
    ("indicator_code", "The indicator's code, stable across reports (e.g. A1.M1.1)."),
    ("indicator_title", "What the indicator measures."),
    (
        "unit",
        "The unit of every number in the row: percentage (45.5 means 45.5%), count, "
        "rate_per_1000, rate_per_10000, rate_per_100000, currency (pounds), days, ratio, "
        "score or yes_no (1 = yes, 0 = no).",
    ),
    ("baseline", "The value the plan started from; blank if none."),
    ("baseline_period", "The period the baseline is for."),
    ("previous", "The value in the previous comparable period; blank if none."),
    ("previous_period", "The period the previous value is for."),
    ("latest", "The latest value reported by the end of the period; blank if none."),
    ("latest_period", "The period the latest value is for."),
    ("target", "The target the latest value is judged against; blank if none is set."),
    (
        "rag",
        "green (on or better than target), amber (close to target, within tolerance), "
        "red (off target), no_target or no_data.",
    ),
    (
        "direction",
        "improved, no_change, worsened or not_comparable: latest against previous, where "
        "improved means better (which for some indicators is a lower number).",
    ),
    ("comparator", "A comparator's value for the same period (e.g. an average); blank if none."),
    ("comparator_label", "What the comparator is, e.g. England average."),
    ("commentary", "The officer's explanation of the figure, as entered."),
    ("corrective_action", "What is being done to bring the indicator back on track, if anything."),
    (
        "synthetic",
        "yes for made-up demonstration data (never in a real council's report), else no.",
    ),
)
CSV_COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in CSV_COLUMNS)

_RAG_ORDER = (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.NO_TARGET, Rag.NO_DATA)
_RATES = {"rate_per_1000", "rate_per_10000", "rate_per_100000"}


# --- Shared formatting -----------------------------------------------------------------------


def _moment(when: datetime | None) -> str:
    """A date and time as people read it, in the site's time zone: "20 January 2026, 09:30"."""
    if when is None:
        return NO_READINGS
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    return f"{local.day} {local:%B %Y, %H:%M}"


def _formatted(indicator: ReportIndicator, value: Decimal | None) -> str:
    """A value in the indicator's unit as people read it: "45.5%", "£1,200", "12.3 per 10,000"."""
    if value is None:
        return DASH
    if indicator.unit == "yes_no":
        return "Yes" if value == 1 else "No"
    places = indicator.decimal_places
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    if indicator.unit == "currency":
        return f"£{text}" if rounded >= 0 else f"\u2212£{text[1:]}"
    if indicator.unit == "percentage":
        return f"{text}%"
    if indicator.unit in _RATES and indicator.unit_label:
        return f"{text} {indicator.unit_label}"
    if indicator.unit == "days":
        return f"{text} days"
    return text


def _shown(indicator: ReportIndicator, key: str, value: Decimal | None) -> str:
    """The report data's display text for a number, else the number formatted here."""
    return indicator.display.get(key) or _formatted(indicator, value)


def _rag_label(indicator: ReportIndicator) -> str:
    return indicator.rag_label or RAG_LABELS[Rag(indicator.rag)]


def _direction_label(indicator: ReportIndicator) -> str:
    return indicator.direction_label or DIRECTION_LABELS[Direction(indicator.direction)]


def _rag_counts(counts: StatusCounts) -> list[tuple[Rag, str, str, int]]:
    """(status, symbol, label, count) for each RAG status, in the order green to no data."""
    return [
        (rag, RAG_SYMBOLS[rag], RAG_LABELS[rag], getattr(counts, rag.value)) for rag in _RAG_ORDER
    ]


def _plain(value: Decimal | None) -> Decimal | None:
    """A number as a plain decimal, without trailing zeros or an exponent (1200.0000 -> 1200)."""
    if value is None:
        return None
    return Decimal(format(value.normalize(), "f"))


# --- Trend chart -----------------------------------------------------------------------------

_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 40, 8, 8, 14
_TEXT = "#0b0c0c"
_TARGET = "#505a5f"


def _svg_number(number: Decimal) -> str:
    """An SVG coordinate with at most two decimal places and no trailing zeros."""
    text = f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _axis_label(indicator: ReportIndicator, value: Decimal) -> str:
    """A short label for the y axis: the number, "%" or "£", thousands and millions shortened."""
    if indicator.unit == "yes_no":
        return _formatted(indicator, value)
    size = abs(value)
    if size >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".removesuffix(".0") + "m"
    elif size >= 10_000:
        text = f"{value / 1_000:.0f}k"
    else:
        places = indicator.decimal_places
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{rounded:,.{places}f}"
    if indicator.unit == "currency":
        return f"£{text}" if not text.startswith("-") else f"-£{text[1:]}"
    return f"{text}%" if indicator.unit == "percentage" else text


def _trend_words(indicator: ReportIndicator) -> str:
    """The chart's values in words, for its aria-label and <title>."""
    spoken = "; ".join(
        f"{period}: {'no data' if value is None else _formatted(indicator, value)}"
        for period, value in indicator.trend
    )
    text = f"{indicator.code} {indicator.title}, trend by period. {spoken}."
    if indicator.target is not None:
        text += f" Target: {_formatted(indicator, indicator.target)}."
    return text


def trend_svg(indicator: ReportIndicator, *, width: int = 220, height: int = 70) -> SafeString:
    """An indicator's values over time as a small inline SVG line chart, with its values in words.

    Solid line and dots: the values (the latest a larger dot); dashed line: the latest target.
    The y axis is labelled with its lowest and highest values, the x axis with the first and
    last periods. With fewer than two values it returns a sentence saying there is not enough
    data instead. Every piece of text in it is escaped.
    """
    values = [value for _, value in indicator.trend]
    readings = [value for value in values if value is not None]
    if len(readings) < 2:
        return format_html('<p class="trend-empty">{}</p>', NOT_ENOUGH_DATA)
    scale = [*readings, *([indicator.target] if indicator.target is not None else [])]
    low, high = min(scale), max(scale)
    if low == high:
        spread = abs(low) / 10 or Decimal(1)
        low, high = low - spread, high + spread
    left, right = Decimal(_PAD_LEFT), Decimal(width - _PAD_RIGHT)
    top, bottom = Decimal(_PAD_TOP), Decimal(height - _PAD_BOTTOM)
    step = (right - left) / Decimal(max(len(values) - 1, 1))

    def y_of(value: Decimal) -> Decimal:
        return top + (high - value) / (high - low) * (bottom - top)

    placed = [
        None if value is None else (left + step * index, y_of(value))
        for index, value in enumerate(values)
    ]
    runs: list[list[tuple[Decimal, Decimal]]] = [[]]
    for point in placed:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="1.5" '
        'stroke-linejoin="round" stroke-linecap="round"/>',
        (
            (" ".join(f"{_svg_number(x)},{_svg_number(y)}" for x, y in run), _TEXT)
            for run in runs
            if len(run) > 1
        ),
    )
    points = [point for point in placed if point is not None]
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="{}" fill="{}"/>',
        (
            (_svg_number(x), _svg_number(y), "3" if (x, y) == points[-1] else "1.8", _TEXT)
            for x, y in points
        ),
    )
    target = SafeString("")
    if indicator.target is not None:
        target_y = _svg_number(y_of(indicator.target))
        target = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.2" '
            'stroke-dasharray="4 3"/>',
            _svg_number(left),
            target_y,
            _svg_number(right),
            target_y,
            _TARGET,
        )
    first_period, last_period = indicator.trend[0][0], indicator.trend[-1][0]
    words = _trend_words(indicator)
    axis_x = _svg_number(left - 3)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        'aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}">'
        "<title>{}</title>"
        '<g font-family="DejaVu Sans, Arial, sans-serif" font-size="7" fill="{}">'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="start">{}</text>'
        '<text x="{}" y="{}" text-anchor="end">{}</text>'
        "</g>"
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="0.8"/>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="0.8"/>'
        "{}{}{}</svg>",
        words,
        width,
        height,
        width,
        height,
        words,
        _TEXT,
        axis_x,
        _svg_number(top),
        _axis_label(indicator, high),
        axis_x,
        _svg_number(bottom),
        _axis_label(indicator, low),
        _svg_number(left),
        height - 3,
        first_period,
        _svg_number(right),
        height - 3,
        last_period,
        _svg_number(left),
        _svg_number(top),
        _svg_number(left),
        _svg_number(bottom),
        _TEXT,
        _svg_number(left),
        _svg_number(bottom),
        _svg_number(right),
        _svg_number(bottom),
        _TEXT,
        target,
        lines,
        dots,
    )


# --- PDF -------------------------------------------------------------------------------------


class _DataOnlyFetcher(URLFetcher):
    """Refuses every URL except data: URIs, so a render never reaches the network or the disk."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        if not url.lower().startswith("data:"):
            raise ValueError(f"the report renderer fetches nothing but data: URIs (not {url!r})")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class _Row:
    """One indicator's line in the PDF, every number already as text."""

    code: str
    title: str
    unit_label: str
    baseline: str
    baseline_period: str
    previous: str
    previous_period: str
    latest: str
    latest_period: str
    target: str
    rag: str  # the Rag value, for the CSS class
    rag_symbol: str
    rag_label: str
    direction_symbol: str
    direction_label: str
    comparator: str
    comparator_label: str
    commentary: str
    corrective_action: str
    synthetic: bool
    trend: SafeString


def _row(indicator: ReportIndicator) -> _Row:
    rag, direction = Rag(indicator.rag), Direction(indicator.direction)
    return _Row(
        code=indicator.code,
        title=indicator.title,
        unit_label=indicator.unit_label,
        baseline=_shown(indicator, "baseline", indicator.baseline),
        baseline_period=indicator.baseline_period,
        previous=_shown(indicator, "previous", indicator.previous),
        previous_period=indicator.previous_period,
        latest=_shown(indicator, "latest", indicator.latest),
        latest_period=indicator.latest_period,
        target=_shown(indicator, "target", indicator.target),
        rag=rag.value,
        rag_symbol=RAG_SYMBOLS[rag],
        rag_label=_rag_label(indicator),
        direction_symbol=DIRECTION_SYMBOLS[direction],
        direction_label=_direction_label(indicator),
        comparator=(
            _shown(indicator, "comparator", indicator.comparator)
            if indicator.comparator is not None or indicator.display.get("comparator")
            else ""
        ),
        comparator_label=indicator.comparator_label,
        commentary=indicator.commentary,
        corrective_action=indicator.corrective_action,
        synthetic=indicator.synthetic,
        trend=trend_svg(indicator),
    )


def _pdf_context(data: ReportData) -> dict[str, object]:
    created = data.generated_at
    return {
        "data": data,
        "report_name": REPORT_NAME,
        "document_title": f"{data.committee}: {REPORT_NAME}, {data.period_label}",
        "created": created.isoformat(timespec="seconds") if timezone.is_aware(created) else "",
        "data_as_at": (
            f"Data as at {_moment(data.data_as_at)}" if data.data_as_at else NO_READINGS
        ),
        "generated": f"Generated {_moment(data.generated_at)}",
        "synthetic_notice": SYNTHETIC_NOTICE,
        "rag_counts": _rag_counts(data.counts),
        "directions": [
            (DIRECTION_SYMBOLS[Direction(d)], DIRECTION_LABELS[Direction(d)], count)
            for d, count in data.directions
        ],
        "portfolios": [_portfolio_context(portfolio) for portfolio in data.portfolios],
        "not_enough_data": NOT_ENOUGH_DATA,
    }


# Trend charts are laid out in grids of this many (four rows of three), not one grid per
# portfolio: WeasyPrint's time to split one grid over pages grows with the square of its
# length (a 3,355-indicator report took 25 minutes), while many small grids grow linearly.
TRENDS_PER_GRID = 12


def _portfolio_context(portfolio: ReportPortfolio) -> dict[str, object]:
    """One portfolio's section: its counts, its table rows, and its trends in small grids."""
    rows = [_row(indicator) for indicator in portfolio.indicators]
    return {
        "name": portfolio.name,
        "counts": [c for c in _rag_counts(portfolio.counts) if c[3]],
        "rows": rows,
        "trend_grids": [
            rows[start : start + TRENDS_PER_GRID] for start in range(0, len(rows), TRENDS_PER_GRID)
        ],
    }


def _stylesheet() -> CSS:
    path = Path(settings.BASE_DIR) / STYLESHEET
    return CSS(string=path.read_text(encoding="utf-8"), url_fetcher=_DataOnlyFetcher())


def render_pdf(data: ReportData) -> bytes:
    """The report as a tagged, accessible PDF (PDF/UA-1): cover, summary, portfolios, milestones.

    Title, language (en-GB), author and creation date come from the HTML's <title>, lang and
    <meta> elements. Nothing is fetched: the stylesheet is read from disk and any URL but a
    data: URI is refused.
    """
    html = render_to_string(TEMPLATE, _pdf_context(data))
    fetcher = _DataOnlyFetcher()
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        stylesheets=[_stylesheet()],
        pdf_variant="pdf/ua-1",  # PDF 1.7, tagged (StructTreeRoot, MarkInfo), UA metadata
        pdf_tags=True,
    )
    return pdf


# --- Tidy data (CSV and the XLSX "Data" sheet) -----------------------------------------------


def _tidy_rows(data: ReportData) -> list[dict[str, object]]:
    """One row per indicator, keyed by CSV_COLUMN_NAMES; numbers are plain Decimals."""
    return [
        {
            "committee": data.committee,
            "period": data.period_code,
            "portfolio": portfolio.name,
            "indicator_code": indicator.code,
            "indicator_title": indicator.title,
            "unit": indicator.unit,
            "baseline": _plain(indicator.baseline),
            "baseline_period": indicator.baseline_period,
            "previous": _plain(indicator.previous),
            "previous_period": indicator.previous_period,
            "latest": _plain(indicator.latest),
            "latest_period": indicator.latest_period,
            "target": _plain(indicator.target),
            "rag": Rag(indicator.rag).value,
            "direction": Direction(indicator.direction).value,
            "comparator": _plain(indicator.comparator),
            "comparator_label": indicator.comparator_label,
            "commentary": indicator.commentary,
            "corrective_action": indicator.corrective_action,
            "synthetic": "yes" if indicator.synthetic else "no",
        }
        for portfolio in data.portfolios
        for indicator in portfolio.indicators
    ]


def render_csv(data: ReportData) -> bytes:
    """The tidy data as UTF-8 CSV with a BOM: CSV_COLUMNS, one row per indicator."""
    return write_csv(_tidy_rows(data), CSV_COLUMN_NAMES)


# --- XLSX ------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_RESERVED_SHEETS = ("Summary", "Milestones", "Data")
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
_MILESTONE_COLUMNS = ("Block", "Scheme", "Milestone", "Due", "Status")


def _number_format(unit: str, places: int) -> str:
    """An Excel number format for a unit. Percentages stay as entered (45.5, not 0.455)."""
    decimals = "." + "0" * places if places > 0 else ""
    if unit == "count":
        return f"#,##0{decimals}"
    if unit == "currency":
        return f'"£"#,##0{decimals}'
    if unit == "yes_no":
        return '"Yes";"Yes";"No"'
    return f"0{decimals}"  # percentage, rates, days, ratio, score


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
    """A bold, frozen header row and the rows under it; text is neutralised, never a formula."""
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
    sheet.freeze_panes = "A2"


def _portfolio_rows(
    portfolio: ReportPortfolio,
) -> tuple[list[list[object]], list[list[str | None]]]:
    rows: list[list[object]] = []
    formats: list[list[str | None]] = []
    for indicator in portfolio.indicators:
        rag, direction = Rag(indicator.rag), Direction(indicator.direction)
        number = _number_format(indicator.unit, indicator.decimal_places)
        rows.append(
            [
                indicator.code,
                indicator.title,
                indicator.unit_label,
                indicator.baseline,
                indicator.baseline_period,
                indicator.previous,
                indicator.previous_period,
                indicator.latest,
                indicator.latest_period,
                indicator.target,
                f"{RAG_SYMBOLS[rag]} {_rag_label(indicator)}",
                f"{DIRECTION_SYMBOLS[direction]} {_direction_label(indicator)}",
                indicator.comparator,
                indicator.comparator_label,
                indicator.commentary,
                indicator.corrective_action,
                "Yes" if indicator.synthetic else "No",
            ]
        )
        formats.append([number if c in _NUMBER_COLUMNS else None for c in _PORTFOLIO_COLUMNS])
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
        ("Data as at", _moment(data.data_as_at), False),
        ("Generated", _moment(data.generated_at), False),
        ("Summary", data.summary, False),
        (None, None, False),
        ("Indicators by status", "Number", True),
    ]
    lines += [
        (f"{symbol} {label}", count, False) for _, symbol, label, count in _rag_counts(data.counts)
    ]
    lines += [("Total", data.counts.total, False), (None, None, False)]
    lines.append(("Direction of travel", "Number", True))
    lines += [
        (f"{DIRECTION_SYMBOLS[Direction(d)]} {DIRECTION_LABELS[Direction(d)]}", count, False)
        for d, count in data.directions
    ]
    lines += [(None, None, False), ("Changes since the previous period", None, True)]
    lines += [(None, change, False) for change in data.changes] or [(None, "None", False)]
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
    """The report as a workbook: Summary, a sheet per portfolio, Milestones and the tidy Data.

    Numbers stay numbers, formatted by unit (a percentage is 45.5, shown as 45.5, with its unit
    in the Unit column); RAG and direction are text. The same data gives the same bytes.
    """
    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = "Summary"
    _write_summary(summary, data)
    for portfolio, title in zip(
        data.portfolios, _portfolio_sheet_titles(data.portfolios), strict=True
    ):
        rows, formats = _portfolio_rows(portfolio)
        _write_table(
            workbook.create_sheet(title),
            _PORTFOLIO_COLUMNS,
            rows,
            formats=formats,
            wrapped=_WRAPPED_COLUMNS,
        )
    milestones = [[m.block, m.scheme, m.title, m.due, m.status_label] for m in data.milestones]
    _write_table(
        workbook.create_sheet("Milestones"),
        _MILESTONE_COLUMNS,
        milestones or [["None", None, None, None, None]],
        wrapped=("Scheme", "Milestone"),
    )
    tidy = [[row[name] for name in CSV_COLUMN_NAMES] for row in _tidy_rows(data)]
    _write_table(workbook.create_sheet("Data"), CSV_COLUMN_NAMES, tidy)
    return save_workbook(workbook)
