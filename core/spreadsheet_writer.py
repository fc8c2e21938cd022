"""Write rows as CSV or XLSX bytes that no spreadsheet can run as formulas, reproducibly.

This module knows nothing about the database: callers pass rows and columns. The same rows give
the same bytes (every workbook is stamped with one fixed time).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ARC_APP, ExcelWriter
from openpyxl.xml.constants import XPROPS_NS
from openpyxl.xml.functions import Element, SubElement, tostring

from core.cells import cell_text, neutralise_text

if TYPE_CHECKING:
    from _typeshed import SizedBuffer, StrPath

FIXED_TIME = datetime(2000, 1, 1)  # stamped on written workbooks so output is reproducible
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_COLUMN_WIDTH = 60


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> bytes:
    """Write rows as UTF-8 CSV with a BOM (so Excel opens it correctly), formulas neutralised."""
    buffer = io.BytesIO()
    write_csv_to(buffer, rows, columns)
    return buffer.getvalue()


def write_csv_to(
    out: IO[bytes], rows: Iterable[Mapping[str, object]], columns: Sequence[str]
) -> None:
    """Write rows into a binary file as they come (as `write_csv`), holding none in memory."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([neutralise_text(column) for column in columns])
    for row in rows:
        writer.writerow([neutralise_text(cell_text(row.get(column))) for column in columns])
    text.flush()
    text.detach()  # leave `out` open for the caller


@dataclass(frozen=True)
class Sheet:
    """One worksheet of a workbook to write: its title, its columns and its rows."""

    title: str
    columns: Sequence[str]
    rows: Iterable[Mapping[str, object]]
    number_formats: Mapping[str, str] = field(default_factory=dict)


def write_xlsx(
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    *,
    sheet_title: str,
    number_formats: Mapping[str, str] | None = None,
) -> bytes:
    """Write rows as a one-sheet XLSX with a bold, frozen header; no cell can hold a formula."""
    return write_xlsx_sheets([Sheet(sheet_title, columns, rows, number_formats or {})])


def write_xlsx_sheets(sheets: Sequence[Sheet]) -> bytes:
    """Write the sheets, in order, into one XLSX, each laid out as `write_xlsx` lays out one."""
    workbook = openpyxl.Workbook()
    for index, sheet in enumerate(sheets):
        _write_sheet(workbook.active if index == 0 else workbook.create_sheet(), sheet)
    return save_workbook(workbook)


def _write_sheet(worksheet: Any, sheet: Sheet) -> None:
    """Lay out one sheet: a bold header frozen above the rows, columns as wide as their text."""
    worksheet.title = safe_sheet_title(sheet.title)
    widths = [len(column) for column in sheet.columns]
    for index, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(row=1, column=index)
        write_cell(cell, xlsx_value(column), None)
        cell.font = Font(bold=True)
    for row_number, row in enumerate(sheet.rows, start=2):
        for index, column in enumerate(sheet.columns, start=1):
            value = xlsx_value(row.get(column))
            write_cell(
                worksheet.cell(row=row_number, column=index),
                value,
                sheet.number_formats.get(column),
            )
            widths[index - 1] = max(widths[index - 1], _display_width(value))
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = min(
            width + 2, MAX_COLUMN_WIDTH
        )
    worksheet.freeze_panes = "A2"


def safe_sheet_title(title: str) -> str:
    """Make a title Excel accepts: no []:*?/\\ characters, at most 31 long, not blank."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub("", title).strip()[:31].strip("'").strip()
    return cleaned or "Sheet1"


def xlsx_value(value: object) -> object:
    """Keep numbers and naive dates as they are; turn anything else into neutralised text."""
    if value is None or isinstance(value, int):  # bool is an int too
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, date | clock_time) and getattr(value, "tzinfo", None) is None:
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise_text(cell_text(value)))


def write_cell(cell: Any, value: object, number_format: str | None) -> None:
    """Put a value in a cell, forcing text to be a plain string cell (never a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif value is not None and number_format:
        cell.number_format = number_format


def _display_width(value: object) -> int:
    """Estimate how many characters wide a value looks in a cell."""
    return max((len(line) for line in cell_text(value).splitlines()), default=0)


class _FixedTimeZipFile(zipfile.ZipFile):
    """A zip archive that stamps every member with the same time, so output is reproducible."""

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Write a member as ZipFile.writestr does, but with FIXED_TIME as its timestamp."""
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: StrPath,
        arcname: StrPath | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Add a file's contents (openpyxl stages each worksheet in one) without its mtime."""
        data = Path(filename).read_bytes()
        self.writestr(str(arcname or filename), data, compress_type, compresslevel)


def save_workbook(workbook: openpyxl.Workbook) -> bytes:
    """Serialise a workbook to bytes that depend only on its contents."""
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    # ExcelWriter rather than workbook.save(), which would stamp "modified" with the time now.
    ExcelWriter(workbook, _FixedTimeZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return buffer.getvalue()


@dataclass(frozen=True)
class WorkbookProperties:
    """What a workbook says about itself (File > Info): title, who it is by, and more."""

    title: str
    author: str  # a person or an organisation; blank writes none
    subject: str = ""
    identifier: str = ""  # e.g. the fingerprint of the data it was built from
    language: str = "en-GB"


class _DescribedZipFile(_FixedTimeZipFile):
    """A fixed-time archive whose app.xml names the author's organisation, not the library."""

    app_xml: bytes = b""

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Write a member as `_FixedTimeZipFile` does, app.xml replaced by `app_xml`."""
        if zinfo_or_arcname == ARC_APP:
            data = self.app_xml
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def save_described_workbook(workbook: openpyxl.Workbook, properties: WorkbookProperties) -> bytes:
    """Serialise a workbook as `save_workbook` does, with these properties and no library's
    name anywhere in them."""
    author = properties.author.strip() or None
    core = workbook.properties
    core.title, core.creator, core.lastModifiedBy = properties.title, author, author
    core.subject = properties.subject or None
    core.identifier = properties.identifier or None
    core.language = properties.language or None
    core.created = core.modified = FIXED_TIME
    app = Element("Properties", xmlns=XPROPS_NS)  # openpyxl's would name it and its version
    if author:
        SubElement(app, "Company").text = author
    buffer = io.BytesIO()
    archive = _DescribedZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    archive.app_xml = tostring(app)
    ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


def filter_and_freeze(worksheet: Any, columns: int, rows: int) -> None:
    """Freeze a table's header row and put an autofilter over the header and its rows."""
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


def fill_cell(cell: Any, background: str, text: str = "0B0C0C") -> None:
    """Give a cell a solid background and a text colour (hex RGB, e.g. "CCE2D8")."""
    cell.fill = PatternFill(fill_type="solid", start_color=background, end_color=background)
    cell.font = Font(bold=cell.font.bold, color=text)
