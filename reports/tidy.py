"""The report's tidy data, one row per indicator: the CSV, and the XLSX's "Data" sheet."""

from __future__ import annotations

import re
from decimal import Decimal

from core.formatting import plain_decimal, rounded
from core.spreadsheet_writer import write_csv
from measures.performance import Direction, Rag
from reports.data import ReportData

# (column, meaning): the tidy data, one row per indicator, in the CSV and the XLSX "Data" sheet.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("committee", "The scrutiny committee the report is for."),
    ("period", "The reporting period's code, e.g. 2025-26-Q2 (Q1 is April to June)."),
    ("portfolio", "The cabinet portfolio the indicator sits in."),
    ("indicator_code", "The indicator's code, stable across reports (e.g. A1.M1.1)."),
    ("indicator_title", "What the indicator measures."),
    (
        "unit",
        "The unit of every number in the row: percentage (45.5 means 45.5%), "
        "percentage_points (a difference between two percentages), count, "
        "rate_per_1000, rate_per_10000, rate_per_100000, currency (pounds), days, ratio, "
        "score or yes_no (1 = yes, 0 = no). Every number is rounded to the indicator's "
        "decimal places, as the report shows it.",
    ),
    ("baseline", "The value the plan started from; blank if none."),
    ("baseline_period", "The baseline's period code (e.g. 2023-24), or as entered if not one."),
    ("previous", "The value in the previous comparable period; blank if none."),
    ("previous_period", "The previous value's period code, e.g. 2025-26-Q1."),
    ("latest", "The latest value reported by the end of the period; blank if none."),
    ("latest_period", "The latest value's period code, e.g. 2025-26-Q2."),
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
_PERIOD_LABEL = re.compile(r"(?P<year>\d{4})/(?P<next>\d{2})(?: Q(?P<quarter>[1-4]))?")


def period_code(label: str) -> str:
    """A period's code from its label ("2025/26 Q2" is "2025-26-Q2", "2025/26" is "2025-26");
    text that is not a period label (a baseline's "March 2023") is kept as it is."""
    match = _PERIOD_LABEL.fullmatch(label.strip())
    if match is None:
        return label
    year = f"{match['year']}-{match['next']}"
    return f"{year}-Q{match['quarter']}" if match["quarter"] else year


def report_number(value: Decimal | None, places: int) -> Decimal | None:
    """A figure as both files store it: rounded to the indicator's decimal places as every
    format shows it, without trailing zeros (1250.457 with 0 places is 1250)."""
    return None if value is None else plain_decimal(rounded(value, places))


def tidy_rows(data: ReportData) -> list[dict[str, object]]:
    """One row per indicator, keyed by CSV_COLUMN_NAMES; numbers are plain Decimals rounded
    to the indicator's decimal places, periods are codes."""
    return [
        {
            "committee": data.committee,
            "period": data.period_code,
            "portfolio": portfolio.name,
            "indicator_code": indicator.code,
            "indicator_title": indicator.title,
            "unit": indicator.unit,
            "baseline": report_number(indicator.baseline, indicator.decimal_places),
            "baseline_period": period_code(indicator.baseline_period),
            "previous": report_number(indicator.previous, indicator.decimal_places),
            "previous_period": period_code(indicator.previous_period),
            "latest": report_number(indicator.latest, indicator.decimal_places),
            "latest_period": period_code(indicator.latest_period),
            "target": report_number(indicator.target, indicator.decimal_places),
            "rag": Rag(indicator.rag).value,
            "direction": Direction(indicator.direction).value,
            "comparator": report_number(indicator.comparator, indicator.decimal_places),
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
    return write_csv(tidy_rows(data), CSV_COLUMN_NAMES)
