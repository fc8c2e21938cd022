"""Read uploaded CSV/XLSX bytes into rows of text, safely: security-critical.

This module knows nothing about the database or settings: callers pass the columns and limits.
Reading never evaluates anything (formulas are refused, CSV is parsed by the csv module), and
every limit (size, zip expansion, rows, columns) is applied before the rows are read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from core.cells import CONTROL_CHARACTER, cell_text

ZIP_SIGNATURE = b"PK\x03\x04"
MAX_EXPANSION = 20  # an XLSX may unpack to at most this many times the upload limit
MAX_COMPRESSION_RATIO = 100  # no single part of an XLSX may be compressed more than this
SPARE_COLUMNS = 26  # XLSX cells this far right of the last named column are still checked
SPARE_ROWS = 1000  # blank rows allowed among the data before a file is "too long"
MAX_CELL_CHARACTERS = 131_072  # the csv module's default: a longer cell is not valid CSV here


class UploadError(Exception):
    """A file-level problem a person can act on; .message is the sentence to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RawRow:
    """One data row: its number as a spreadsheet shows it, and its cells' text by column."""

    number: int
    cells: dict[str, str]


class _Formula:
    """Marks an XLSX cell that holds a formula, so the row reader can name it in an error."""


FORMULA = _Formula()
_Cell = str | _Formula


def read_upload(
    filename: str,
    content: bytes,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    max_bytes: int,
    max_rows: int,
    sheet: str | None = None,
    rows_required: bool = True,
) -> list[RawRow]:
    """Read an uploaded .csv or .xlsx into rows of stripped text, or raise UploadError.

    `sheet` names the worksheet of an XLSX to read (case-insensitively) instead of the first;
    a named sheet is optional, so a workbook without one, or a CSV, gives []. With
    `rows_required` off, a header without data rows gives [] instead of an error."""
    _check_columns_argument(columns, required)
    name = PureWindowsPath(filename).name
    kind = _file_kind(name)
    _check_size(content, max_bytes)
    if kind == "csv":
        if content.startswith(ZIP_SIGNATURE):
            raise UploadError(
                f"'{name}' is an Excel workbook, not CSV text: "
                "rename it to end in .xlsx, or save it from Excel as 'CSV UTF-8'."
            )
        if sheet is not None:
            return []  # a CSV is one table: it has no further sheets
        return _collect(_csv_rows(content), columns, required, max_rows, rows_required)
    return _read_xlsx(name, content, columns, required, max_bytes, max_rows, sheet, rows_required)


def _last_row_allowed(max_rows: int) -> int:
    """The furthest row number a file may use: a header, max_rows rows and some blank ones."""
    return 1 + max_rows + SPARE_ROWS


def _too_long(max_rows: int, rows: str) -> UploadError:
    return UploadError(
        f"The file {rows}, but at most {max_rows:,} readings can be uploaded at once and "
        f"no more than {_last_row_allowed(max_rows):,} rows are read. Delete the empty rows "
        "below your readings (or save the sheet as CSV), or split the file."
    )


def _check_columns_argument(columns: Sequence[str], required: Sequence[str]) -> None:
    """Refuse a caller's column list that could never be satisfied (a programming error)."""
    folded = [column.casefold() for column in columns]
    if len(set(folded)) != len(folded):
        raise ValueError(f"columns must be distinct: {list(columns)}")
    if missing := set(required) - set(columns):
        raise ValueError(f"required columns are not in columns: {sorted(missing)}")


def _file_kind(name: str) -> str:
    """Return "csv" or "xlsx" from the file name's extension, or raise UploadError."""
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    if suffix not in ("csv", "xlsx"):
        raise UploadError(f"Upload a .csv or .xlsx file; '{name}' is neither.")
    return suffix


def _check_size(content: bytes, max_bytes: int) -> None:
    """Refuse an empty file or one larger than max_bytes, before any parsing."""
    if not content:
        raise UploadError("The file is empty.")
    if len(content) > max_bytes:
        size, limit = _human_sizes(len(content), max_bytes)
        raise UploadError(f"The file is {size}; the limit is {limit}.")


def _human_sizes(size: int, limit: int) -> tuple[str, str]:
    """Describe two byte counts for people, exactly if rounding would make them look equal."""
    described = (_human_size(size), _human_size(limit))
    if described[0] == described[1]:
        return f"{size:,} bytes", f"{limit:,} bytes"
    return described


def _human_size(size: int) -> str:
    """Describe a byte count as bytes, KB or MB with at most one decimal place."""
    if size < 1024:
        return f"{size:,} bytes"
    amount, unit = (size / 1024, "KB") if size < 1024 * 1024 else (size / 1024 / 1024, "MB")
    return f"{amount:,.1f}".removesuffix(".0") + f" {unit}"


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    """Yield a UTF-8 CSV's records one at a time (a UTF-8 BOM, as Excel writes, is accepted)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError(
            "The file is not UTF-8 text: in Excel choose 'CSV UTF-8' when saving."
        ) from None
    # The limit is the csv module's process-wide setting, which any library may raise (some
    # data tools set it to the maximum when imported): the reader sets its own each time.
    csv.field_size_limit(MAX_CELL_CHARACTERS)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for record in reader:
            yield [cell.strip() for cell in record]
    except csv.Error as error:
        raise UploadError(
            f"The file is not valid CSV near line {reader.line_num:,} ({error}). "
            "Save it again from Excel as 'CSV UTF-8'."
        ) from error


def _read_xlsx(
    name: str,
    content: bytes,
    columns: Sequence[str],
    required: Sequence[str],
    max_bytes: int,
    max_rows: int,
    sheet: str | None,
    rows_required: bool,
) -> list[RawRow]:
    """Read the first (or the named) worksheet of an XLSX, after checking it is a zip that is
    safe to open."""
    invalid = UploadError(
        f"'{name}' is not a valid Excel file. "
        "Save it from Excel as 'Excel Workbook (.xlsx)' and upload it again."
    )
    if not content.startswith(ZIP_SIGNATURE):
        raise invalid
    _check_zip(content, max_bytes, invalid)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, keep_links=False
        )
    except Exception as error:  # any parser failure on untrusted bytes means "not valid"
        raise invalid from error
    try:
        worksheet = _worksheet(workbook, sheet)
        if worksheet is None:
            return []
        rows = _xlsx_rows(worksheet, max_rows)
        return _collect(rows, columns, required, max_rows, rows_required)
    except UploadError:
        raise
    except Exception as error:  # the sheet is parsed lazily, so corruption can surface here
        raise invalid from error
    finally:
        workbook.close()


def _check_zip(content: bytes, max_bytes: int, invalid: UploadError) -> None:
    """Refuse a corrupt zip, or one that would unpack to far more than was uploaded."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise invalid from error
    # zipfile never inflates a member past its declared file_size, so these sizes are binding.
    total = sum(member.file_size for member in members)
    if total > MAX_EXPANSION * max_bytes:
        size, limit = _human_sizes(total, MAX_EXPANSION * max_bytes)
        raise UploadError(
            f"The Excel file unpacks to {size}; the limit is {limit} "
            f"({MAX_EXPANSION} times the upload limit). Upload a smaller file or a CSV instead."
        )
    if any(_too_compressed(member) for member in members):
        raise UploadError(
            f"The Excel file contains data compressed more than {MAX_COMPRESSION_RATIO} to 1, "
            "which is refused for safety. Save it again from Excel, or upload a CSV instead."
        )


def _too_compressed(member: zipfile.ZipInfo) -> bool:
    """Say whether a zip member unpacks to more than MAX_COMPRESSION_RATIO times its size."""
    return member.file_size > MAX_COMPRESSION_RATIO * member.compress_size


def _worksheet(workbook: openpyxl.Workbook, title: str | None) -> Any | None:
    """The first worksheet, or the one with this title (None if there is none)."""
    if title is None:
        if not workbook.worksheets:
            raise UploadError(
                "The Excel file has no worksheet. Put the readings on the first sheet."
            )
        return workbook.worksheets[0]
    wanted = title.casefold()
    return next((ws for ws in workbook.worksheets if ws.title.casefold() == wanted), None)


def _xlsx_rows(sheet: Any, max_rows: int) -> Iterator[list[_Cell]]:
    """Yield a worksheet's rows as text, streaming, with formula cells marked.

    A sheet whose declared or actual last row is past the limit is refused before any data row
    is read: openpyxl fills the gap before a far-down cell with empty rows, so one cell at row
    10,000,000 in a 5 KB file would otherwise cost ten million rows of work."""
    last = _last_row_allowed(max_rows)
    declared = sheet.max_row  # from the file's own <dimension>, when it has one
    if declared is not None and declared > last:
        raise _too_long(max_rows, f"says its sheet runs to row {declared:,}")
    sheet.reset_dimensions()  # the file's own <dimension> may lie; read what is really there
    # Rows are parsed in order and the reader stops at the first one past the bound, so this
    # yields something only if the sheet really goes on beyond the last row allowed.
    if any(True for _ in sheet.iter_rows(min_row=last + 1, max_row=last + 1, max_col=1)):
        raise _too_long(max_rows, f"has rows beyond row {last:,}")
    header = [_xlsx_cell(cell) for row in sheet.iter_rows(max_row=1) for cell in row]
    yield header
    # Bounding the width stops a stray far-right cell making every row 16,384 cells wide.
    width = len(_without_trailing_blanks(header)) + SPARE_COLUMNS
    for row in sheet.iter_rows(min_row=2, max_row=last, max_col=width):
        yield [_xlsx_cell(cell) for cell in row]


def _xlsx_cell(cell: object) -> _Cell:
    """Return a read-only XLSX cell's text, or FORMULA if it holds a formula."""
    if getattr(cell, "data_type", None) == "f":
        return FORMULA
    return cell_text(getattr(cell, "value", None)).strip()


def _collect(
    rows: Iterator[Sequence[_Cell]],
    columns: Sequence[str],
    required: Sequence[str],
    max_rows: int,
    rows_required: bool = True,
) -> list[RawRow]:
    """Check the header, then gather non-empty data rows, stopping once there are too many."""
    names = _header_names(next(rows, []), columns, required)
    result: list[RawRow] = []
    for number, cells in enumerate(rows, start=2):
        if number > _last_row_allowed(max_rows):
            raise _too_long(max_rows, f"goes on past row {_last_row_allowed(max_rows):,}")
        if not any(cells):  # FORMULA is truthy, so a formula-only row is not skipped
            continue
        if len(result) == max_rows:
            raise UploadError(
                f"The file has more than {max_rows:,} rows; at most {max_rows:,} can be "
                "uploaded at once. Split it into smaller files."
            )
        result.append(RawRow(number=number, cells=_row_cells(number, cells, names)))
    if not result and rows_required:
        raise UploadError("The file has a header row but no readings.")
    return result


def _row_cells(number: int, cells: Sequence[_Cell], names: Sequence[str]) -> dict[str, str]:
    """Map one row's cells to the header's column names, refusing extra cells and formulas."""
    if any(cells[len(names) :]):
        raise UploadError(f"Row {number} has more cells than there are columns.")
    padded = [*cells, *[""] * (len(names) - len(cells))]
    result: dict[str, str] = {}
    for name, cell in zip(names, padded, strict=False):
        if isinstance(cell, _Formula):
            raise UploadError(
                f"Row {number}, column '{name}': formulas are not accepted; type the value itself."
            )
        if control := CONTROL_CHARACTER.search(cell):
            raise UploadError(
                f"Row {number}, column '{name}': the text holds a control character (code "
                f"{ord(control.group())}) that no keyboard types; remove it and upload again."
            )
        result[name] = cell
    return result


def _header_names(
    header: Sequence[_Cell], columns: Sequence[str], required: Sequence[str]
) -> list[str]:
    """Match the first row to the expected columns (case-insensitively) and return their names."""
    expected = ", ".join(columns)
    cells = _without_trailing_blanks(header)
    if not cells:
        raise UploadError(f"The first row is empty. It must name the columns: {expected}.")
    by_folded = {column.casefold(): column for column in columns}
    names: list[str] = []
    for index, cell in enumerate(cells, start=1):
        names.append(_header_name(index, cell, by_folded, names, expected))
    for column in required:
        if column not in names:
            raise UploadError(
                f"The file has no '{column}' column. "
                f"The first row must name the columns: {expected}."
            )
    for name in names:
        if name not in columns:
            raise UploadError(f"Unknown column '{name}'. Use the template's columns: {expected}.")
    return names


def _header_name(
    index: int, cell: _Cell, by_folded: Mapping[str, str], seen: Sequence[str], expected: str
) -> str:
    """Return one header cell's column name (canonical if known), refusing blanks and repeats."""
    letter = get_column_letter(index)
    if isinstance(cell, _Formula):
        raise UploadError(
            f"Row 1, column {letter}: formulas are not accepted; type the column name itself."
        )
    if not cell:
        raise UploadError(
            f"Column {letter} has no name in the first row. "
            f"Name it with one of the columns {expected}, or delete the column."
        )
    name = by_folded.get(cell.casefold(), cell)
    if name.casefold() in (other.casefold() for other in seen):
        raise UploadError(f"Column '{cell}' appears more than once in the first row; keep one.")
    return name


def _without_trailing_blanks(cells: Sequence[_Cell]) -> list[_Cell]:
    """Drop empty cells from the end of a row."""
    result = list(cells)
    while result and result[-1] == "":
        result.pop()
    return result
