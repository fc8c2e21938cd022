"""The report's tidy data, one row per indicator: the CSV, and the XLSX's "Data" sheet."""

from __future__ import annotations

from core.formatting import plain_decimal
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


def tidy_rows(data: ReportData) -> list[dict[str, object]]:
    """One row per indicator, keyed by CSV_COLUMN_NAMES; numbers are plain Decimals."""
    return [
        {
            "committee": data.committee,
            "period": data.period_code,
            "portfolio": portfolio.name,
            "indicator_code": indicator.code,
            "indicator_title": indicator.title,
            "unit": indicator.unit,
            "baseline": plain_decimal(indicator.baseline),
            "baseline_period": indicator.baseline_period,
            "previous": plain_decimal(indicator.previous),
            "previous_period": indicator.previous_period,
            "latest": plain_decimal(indicator.latest),
            "latest_period": indicator.latest_period,
            "target": plain_decimal(indicator.target),
            "rag": Rag(indicator.rag).value,
            "direction": Direction(indicator.direction).value,
            "comparator": plain_decimal(indicator.comparator),
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
