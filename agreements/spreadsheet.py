"""An agreement's measures as a spreadsheet, and that spreadsheet read back: the same columns
both ways, so the performance team can download, edit and upload without reformatting."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse

from agreements.models import AgreedMeasure, AgreementVersion
from agreements.rules import FIGURES
from agreements.selectors import candidates_for
from core.downloads import spreadsheet_response
from core.formatting import decimal_text
from core.spreadsheet_reader import UploadError, read_upload

# Read back: indicator_code, reported, the figures, polarity, note. The rest is for reading.
EDITABLE = ("reported", *FIGURES, "polarity", "note")
COLUMNS = ("indicator_code", "indicator", "unit", "frequency", "year_to_date", *EDITABLE)
REQUIRED = ("indicator_code", "reported")


def measure_cells(measure: AgreedMeasure) -> dict[str, str]:
    """A saved measure as the text a page's fields and a spreadsheet's cells show."""
    cells = {name: decimal_text(getattr(measure, name)) for name in FIGURES}
    if cells["tolerance"] == "0":
        cells["tolerance"] = ""
    return {**cells, "polarity": measure.polarity, "note": measure.note}


def download(version: AgreementVersion, fmt: str) -> HttpResponse:
    """Every indicator the portfolio may report that year: those in the version with their
    figures ("reported" yes), the others blank ("reported" no)."""
    measures = {m.indicator_id: m for m in version.measures.all()}
    rows = []
    for indicator in candidates_for(version):
        measure = measures.get(indicator.pk)
        cells = measure_cells(measure) if measure else {"polarity": indicator.polarity}
        rows.append(
            {
                "indicator_code": indicator.code,
                "indicator": indicator.title,
                "unit": indicator.get_unit_display(),
                "frequency": indicator.get_frequency_display(),
                "year_to_date": "yes" if indicator.cumulative else "no",
                "reported": "yes" if measure else "no",
                **cells,
            }
        )
    agreement = version.agreement
    name = f"agreement-{agreement.portfolio.slug}-{agreement.financial_year}-v{version.number}"
    return spreadsheet_response(rows, COLUMNS, fmt=fmt, name=name[:100], sheet_title="Targets")


@dataclass
class UploadRows:
    """The file's rows by indicator code (the editable cells only), each code's row number,
    and the problems found in the file itself (a row without a code, a code twice)."""

    by_code: dict[str, dict[str, str]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def problems_of(self, by_indicator: Mapping[str, Mapping[str, list[str]]]) -> list[str]:
        """The services' refusal, each problem named by its row and column."""
        return [
            f"Row {self.numbers.get(code, '?')}, column "
            f"{column if column in EDITABLE else 'indicator_code'} ({code}): {message}"
            for code, fields in by_indicator.items()
            for column, messages in fields.items()
            for message in messages
        ]


def rows_read(filename: str, content: bytes) -> UploadRows:
    """Read the uploaded file, or raise UploadError for a file that cannot be read at all."""
    raw = read_upload(
        filename,
        content,
        columns=COLUMNS,
        required=REQUIRED,
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_rows=settings.UPLOAD_MAX_ROWS,
    )
    rows = UploadRows()
    for row in raw:
        code = row.cells.get("indicator_code", "").strip()
        if not code:
            rows.problems.append(
                f"Row {row.number}, column indicator_code: enter the indicator's code"
            )
        elif code in rows.by_code:
            rows.problems.append(
                f"Row {row.number}, column indicator_code: {code} is also in row "
                f"{rows.numbers[code]}; give each indicator one row"
            )
        else:
            rows.by_code[code] = {name: row.cells.get(name, "") for name in EDITABLE}
            rows.numbers[code] = row.number
    return rows


def rows_from_json(text: str) -> dict[str, dict[str, str]]:
    """The rows a preview page carried to its confirmation, checked for shape only (the
    services check every value again)."""
    try:
        data = json.loads(text)
    except ValueError:
        raise UploadError("The preview could not be read back: upload the file again") from None
    if not isinstance(data, dict) or not all(
        isinstance(code, str)
        and isinstance(cells, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in cells.items())
        for code, cells in data.items()
    ):
        raise UploadError("The preview could not be read back: upload the file again")
    return {code: {name: cells.get(name, "") for name in EDITABLE} for code, cells in data.items()}
