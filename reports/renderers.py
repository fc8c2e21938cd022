"""Render a committee's quarterly performance report (ReportData) as PDF, XLSX and CSV.

All three formats render the one structure built in reports/builder.py and never re-derive a
status: RAG and direction arrive computed, with their labels. Each format is a module of its
own (pdf.py, workbook.py, tidy.py); this one says which renders what.
"""

from __future__ import annotations

from collections.abc import Callable

from reports.charts import trend_svg
from reports.data import ReportData
from reports.labels import NOT_ENOUGH_DATA, REPORT_NAME, SYNTHETIC_NOTICE
from reports.pdf import render_pdf
from reports.tidy import CSV_COLUMN_NAMES, CSV_COLUMNS, render_csv
from reports.workbook import render_xlsx

__all__ = [
    "CSV_COLUMNS",
    "CSV_COLUMN_NAMES",
    "NOT_ENOUGH_DATA",
    "RENDERERS",
    "REPORT_NAME",
    "SYNTHETIC_NOTICE",
    "render_csv",
    "render_pdf",
    "render_xlsx",
    "trend_svg",
]

RENDERERS: dict[str, Callable[[ReportData], bytes]] = {
    "pdf": render_pdf,
    "xlsx": render_xlsx,
    "csv": render_csv,
}
