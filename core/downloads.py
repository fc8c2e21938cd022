"""Rows as a CSV or Excel download: the one place that builds these responses, with a name made
by the caller from codes (never from a URL), so no header can be injected."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from django.http import HttpResponse

from core.spreadsheet_writer import Sheet, write_csv, write_xlsx_sheets

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def spreadsheet_response(
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    *,
    fmt: str,
    name: str,
    sheet_title: str = "",
    more_sheets: Sequence[Sheet] = (),
) -> HttpResponse:
    """The rows as an attachment called `name`.`fmt`; fmt is "csv" or "xlsx". A workbook
    holds `more_sheets` after the rows' own; a CSV is one table, so it cannot."""
    if fmt not in FORMATS:
        raise ValueError(f"a download is csv or xlsx, not {fmt!r}")
    if more_sheets and fmt != "xlsx":
        raise ValueError("only a workbook holds more than one sheet")
    if not _SAFE_NAME.fullmatch(name):
        raise ValueError(
            f"a download's name is made of letters, digits, '.', '-' and '_': {name!r}"
        )
    body = (
        write_xlsx_sheets([Sheet(sheet_title or name, columns, rows), *more_sheets])
        if fmt == "xlsx"
        else write_csv(rows, columns)
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
