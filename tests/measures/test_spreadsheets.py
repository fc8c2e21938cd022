"""Spreadsheet upload reading and export writing: round trips, every refusal, and neutralising."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from core.cells import neutralise_formula
from core.spreadsheet_reader import RawRow, UploadError, read_upload
from core.spreadsheet_writer import write_csv, write_xlsx

MB = 1024 * 1024
COLUMNS = ("indicator_code", "period", "value", "note")
REQUIRED = ("indicator_code", "period", "value")
EXPECTED = "indicator_code, period, value, note"
ROWS: list[Mapping[str, object]] = [
    {"indicator_code": "CP-01", "period": "2024-25 Q1", "value": Decimal("612"), "note": None},
    {"indicator_code": "CP-02", "period": "2024-25 Q1", "value": Decimal("45.5"), "note": "ok"},
    {"indicator_code": "CP-03", "period": "2024-25 Q2", "value": 7, "note": 'a, "quoted"\nline'},
    {
        "indicator_code": "CP-04",
        "period": "2024-25 Q2",
        "value": Decimal("-12.5"),
        "note": "£5 \u2013 up",
    },
]
ROW_TEXTS = [
    {"indicator_code": "CP-01", "period": "2024-25 Q1", "value": "612", "note": ""},
    {"indicator_code": "CP-02", "period": "2024-25 Q1", "value": "45.5", "note": "ok"},
    {"indicator_code": "CP-03", "period": "2024-25 Q2", "value": "7", "note": 'a, "quoted"\nline'},
    {"indicator_code": "CP-04", "period": "2024-25 Q2", "value": "-12.5", "note": "£5 \u2013 up"},
]


def read(
    filename: str, content: bytes, *, max_bytes: int = 2 * MB, max_rows: int = 10_000
) -> list[RawRow]:
    """Read an upload with the test columns and generous limits unless told otherwise."""
    return read_upload(
        filename,
        content,
        columns=COLUMNS,
        required=REQUIRED,
        max_bytes=max_bytes,
        max_rows=max_rows,
    )


def exactly(message: str) -> str:
    """A pattern for pytest.raises that matches only this whole message."""
    return f"^{re.escape(message)}$"


def starts(prefix: str) -> str:
    """A pattern for pytest.raises that matches a message beginning with this text."""
    return f"^{re.escape(prefix)}"


def csv_bytes(*lines: str) -> bytes:
    """A CSV file from its lines, as Excel's 'CSV UTF-8' writes it (BOM, CRLF)."""
    return ("\ufeff" + "".join(line + "\r\n" for line in lines)).encode("utf-8")


def xlsx_bytes(*rows: list[object]) -> bytes:
    """An XLSX file whose first sheet holds these rows, saved by openpyxl."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(member: bytes) -> bytes:
    """A zip holding one deflated member (not a workbook) with these contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", member)
    return buffer.getvalue()


def cell_texts(rows: list[RawRow]) -> list[dict[str, str]]:
    """The cells of each row, for comparing with plain dicts."""
    return [row.cells for row in rows]


# --- Round trips ---------------------------------------------------------------------------


def test_a_csv_export_reads_back_as_the_same_cell_texts() -> None:
    rows = read("readings.csv", write_csv(ROWS, COLUMNS))

    assert cell_texts(rows) == ROW_TEXTS
    assert [row.number for row in rows] == [2, 3, 4, 5]


def test_an_xlsx_export_reads_back_as_the_same_cell_texts() -> None:
    content = write_xlsx(ROWS, COLUMNS, sheet_title="Readings", number_formats={"value": "0.0"})

    rows = read("readings.xlsx", content)

    assert cell_texts(rows) == ROW_TEXTS
    assert [row.number for row in rows] == [2, 3, 4, 5]


def test_a_neutralised_formula_reads_back_with_its_apostrophe_from_both_formats() -> None:
    row = {"indicator_code": "CP-01", "period": "2024-25 Q1", "value": 1, "note": "=1+1"}

    from_csv = read("a.csv", write_csv([row], COLUMNS))
    from_xlsx = read("a.xlsx", write_xlsx([row], COLUMNS, sheet_title="Readings"))

    assert from_csv[0].cells["note"] == from_xlsx[0].cells["note"] == "'=1+1"


# --- Reading: what is accepted -------------------------------------------------------------


def test_the_extension_is_matched_case_insensitively() -> None:
    rows = read("READINGS.CSV", csv_bytes("indicator_code,period,value", "CP-01,Q1,5"))

    assert cell_texts(rows) == [{"indicator_code": "CP-01", "period": "Q1", "value": "5"}]


def test_a_csv_without_a_bom_is_read_the_same_as_one_with_it() -> None:
    lines = ("indicator_code,period,value", "CP-01,Q1,£5")
    with_bom = csv_bytes(*lines)

    assert with_bom.startswith(b"\xef\xbb\xbf")
    assert read("a.csv", with_bom) == read("a.csv", with_bom.removeprefix(b"\xef\xbb\xbf"))
    assert read("a.csv", with_bom)[0].cells["indicator_code"] == "CP-01"


def test_header_names_are_matched_case_insensitively_and_cells_are_stripped() -> None:
    content = csv_bytes(" Indicator_Code ,PERIOD,Value", "  CP-01 , Q1 , 5 ")

    rows = read("a.csv", content)

    assert cell_texts(rows) == [{"indicator_code": "CP-01", "period": "Q1", "value": "5"}]


def test_an_optional_column_may_be_left_out_and_short_rows_are_padded() -> None:
    rows = read("a.csv", csv_bytes("indicator_code,period,value,note", "CP-01,Q1"))

    assert cell_texts(rows) == [
        {"indicator_code": "CP-01", "period": "Q1", "value": "", "note": ""}
    ]


def test_empty_trailing_columns_and_rows_are_ignored() -> None:
    content = csv_bytes("indicator_code,period,value,,", "CP-01,Q1,5,,", ",,,,", ",,")

    rows = read("a.csv", content)

    assert cell_texts(rows) == [{"indicator_code": "CP-01", "period": "Q1", "value": "5"}]


def test_blank_csv_rows_are_skipped_but_later_rows_keep_their_numbers() -> None:
    content = csv_bytes("indicator_code,period,value", "CP-01,Q1,5", "", ",,", "CP-02,Q1,6")

    rows = read("a.csv", content)

    assert [(row.number, row.cells["indicator_code"]) for row in rows] == [
        (2, "CP-01"),
        (5, "CP-02"),
    ]


def test_a_quoted_newline_does_not_shift_later_csv_row_numbers() -> None:
    content = csv_bytes("indicator_code,period,value,note", 'CP-01,Q1,5,"two\nlines"', "CP-02,Q1,6")

    rows = read("a.csv", content)

    assert [row.number for row in rows] == [2, 3]
    assert rows[0].cells["note"] == "two\nlines"


def test_blank_xlsx_rows_are_skipped_but_later_rows_keep_their_sheet_numbers() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["indicator_code", "period", "value"])
    sheet.append(["CP-01", "Q1", 5])
    sheet["A6"] = "CP-02"
    sheet["B6"] = "Q1"
    sheet["C6"] = 6
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows = read("a.xlsx", buffer.getvalue())

    assert [(row.number, row.cells["indicator_code"]) for row in rows] == [
        (2, "CP-01"),
        (6, "CP-02"),
    ]


def test_xlsx_values_become_the_text_a_person_would_type() -> None:
    content = xlsx_bytes(
        ["indicator_code", "period", "value", "note"],
        ["CP-01", date(2024, 4, 1), 612.0, None],
        ["CP-02", datetime(2024, 4, 1, 9, 30), 45.5, True],
        ["CP-03", "Q1", 1e-7, 12],
    )

    rows = read("a.xlsx", content)

    assert cell_texts(rows) == [
        {"indicator_code": "CP-01", "period": "2024-04-01", "value": "612", "note": ""},
        {
            "indicator_code": "CP-02",
            "period": "2024-04-01T09:30:00",
            "value": "45.5",
            "note": "TRUE",
        },
        {"indicator_code": "CP-03", "period": "Q1", "value": "0.0000001", "note": "12"},
    ]


def test_only_the_first_worksheet_is_read() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["indicator_code", "period", "value"])
    workbook.active.append(["CP-01", "Q1", 5])
    workbook.create_sheet("Other").append(["=1+1", "anything"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert cell_texts(read("a.xlsx", buffer.getvalue())) == [
        {"indicator_code": "CP-01", "period": "Q1", "value": "5"}
    ]


# --- Reading: file-level refusals ----------------------------------------------------------


def test_upload_error_keeps_its_message_to_show() -> None:
    error = UploadError("The file is empty.")

    assert error.message == str(error) == "The file is empty."


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused() -> None:
    with pytest.raises(
        UploadError, match=exactly("Upload a .csv or .xlsx file; 'x.pdf' is neither.")
    ):
        read("x.pdf", b"%PDF-1.7")


def test_a_file_without_an_extension_is_refused() -> None:
    with pytest.raises(UploadError, match=exactly("Upload a .csv or .xlsx file; 'x' is neither.")):
        read("x", b"a,b")


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(UploadError, match=exactly("The file is empty.")):
        read("a.csv", b"")


def test_an_oversized_file_is_refused_with_human_sizes() -> None:
    content = b"x" * int(3.2 * MB)

    with pytest.raises(UploadError, match=exactly("The file is 3.2 MB; the limit is 2 MB.")):
        read("a.csv", content, max_bytes=2 * MB)


def test_an_oversized_file_just_over_the_limit_gives_exact_byte_counts() -> None:
    message = "The file is 2,097,153 bytes; the limit is 2,097,152 bytes."

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.csv", b"x" * (2 * MB + 1), max_bytes=2 * MB)


def test_size_is_checked_before_the_content_is_looked_at() -> None:
    with pytest.raises(UploadError, match=exactly("The file is 2 KB; the limit is 1 KB.")):
        read("a.xlsx", b"not a zip" * 228, max_bytes=1024)


def test_an_xlsx_that_is_not_a_zip_is_refused() -> None:
    message = (
        "'old.xlsx' is not a valid Excel file. "
        "Save it from Excel as 'Excel Workbook (.xlsx)' and upload it again."
    )

    with pytest.raises(UploadError, match=exactly(message)):
        read("old.xlsx", b"\xd0\xcf\x11\xe0 an old .xls file")


def test_a_corrupt_zip_is_not_a_valid_excel_file() -> None:
    with pytest.raises(UploadError, match=starts("'a.xlsx' is not a valid Excel file")):
        read("a.xlsx", b"PK\x03\x04" + b"\x00" * 100)


def test_a_zip_that_is_not_a_workbook_is_not_a_valid_excel_file() -> None:
    with pytest.raises(UploadError, match=starts("'a.xlsx' is not a valid Excel file")):
        read("a.xlsx", zip_bytes(b"<worksheet/>"))


def test_a_zip_that_unpacks_to_more_than_twenty_times_the_limit_is_refused() -> None:
    bomb = zip_bytes(b"\x00" * (5 * MB))
    message = (
        "The Excel file unpacks to 5 MB; the limit is 3.8 MB (20 times the upload limit). "
        "Upload a smaller file or a CSV instead."
    )

    assert len(bomb) < 200_000
    with pytest.raises(UploadError, match=exactly(message)):
        read("a.xlsx", bomb, max_bytes=200_000)


def test_a_zip_member_compressed_more_than_a_hundred_to_one_is_refused() -> None:
    bomb = zip_bytes(b"\x00" * MB)
    message = (
        "The Excel file contains data compressed more than 100 to 1, which is refused for "
        "safety. Save it again from Excel, or upload a CSV instead."
    )

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.xlsx", bomb, max_bytes=200_000)


def test_a_workbook_saved_as_csv_by_name_is_refused() -> None:
    message = (
        "'a.csv' is an Excel workbook, not CSV text: "
        "rename it to end in .xlsx, or save it from Excel as 'CSV UTF-8'."
    )

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.csv", xlsx_bytes(["indicator_code", "period", "value"]))


def test_a_csv_that_is_not_utf8_is_refused() -> None:
    content = "indicator_code,period,value\r\nCP-01,Q1,£5\r\n".encode("cp1252")
    message = "The file is not UTF-8 text: in Excel choose 'CSV UTF-8' when saving."

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.csv", content)


def test_a_csv_the_csv_module_cannot_parse_is_refused() -> None:
    content = csv_bytes("indicator_code,period,value", "CP-01,Q1," + "9" * 200_000)

    with pytest.raises(UploadError, match=starts("The file is not valid CSV near line 2 ")):
        read("a.csv", content)


# --- Reading: the header row ---------------------------------------------------------------


def test_a_missing_required_column_is_named() -> None:
    message = (
        "The file has no 'value' column. "
        "The first row must name the columns: indicator_code, period, value, note."
    )

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.csv", csv_bytes("indicator_code,period,note", "CP-01,Q1,x"))


def test_an_unknown_column_is_named() -> None:
    message = f"Unknown column 'foo'. Use the template's columns: {EXPECTED}."

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.csv", csv_bytes("indicator_code,period,value,foo", "CP-01,Q1,5,x"))


def test_a_repeated_column_is_refused_whatever_its_case() -> None:
    message = "Column 'VALUE' appears more than once in the first row; keep one."

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.csv", csv_bytes("indicator_code,period,value,VALUE", "CP-01,Q1,5,6"))


def test_a_blank_column_name_between_named_columns_is_refused() -> None:
    message = (
        f"Column B has no name in the first row. "
        f"Name it with one of the columns {EXPECTED}, or delete the column."
    )

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.csv", csv_bytes("indicator_code,,period,value", "CP-01,x,Q1,5"))


def test_an_empty_first_row_is_refused() -> None:
    message = f"The first row is empty. It must name the columns: {EXPECTED}."

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.csv", csv_bytes(",,", "indicator_code,period,value", "CP-01,Q1,5"))


def test_a_header_row_without_readings_is_refused() -> None:
    with pytest.raises(UploadError, match=exactly("The file has a header row but no readings.")):
        read("a.csv", csv_bytes("indicator_code,period,value", ",,", ""))


# --- Reading: rows -------------------------------------------------------------------------


def test_a_row_with_more_cells_than_columns_is_refused() -> None:
    lines = ["indicator_code,period,value", *["CP-01,Q1,5"] * 5, "CP-01,Q1,5,surplus"]

    with pytest.raises(UploadError, match=exactly("Row 7 has more cells than there are columns.")):
        read("a.csv", csv_bytes(*lines))


def test_an_xlsx_row_with_a_cell_right_of_the_named_columns_is_refused() -> None:
    content = xlsx_bytes(["indicator_code", "period", "value"], ["CP-01", "Q1", 5, None, "x"])

    with pytest.raises(UploadError, match=exactly("Row 2 has more cells than there are columns.")):
        read("a.xlsx", content)


def test_a_formula_cell_in_an_xlsx_is_refused_and_never_evaluated() -> None:
    content = xlsx_bytes(
        ["indicator_code", "period", "value"],
        ["CP-01", "Q1", 5],
        ["CP-02", "Q1", 6],
        ["CP-03", "Q1", 7],
        ["CP-04", "Q1", "=SUM(1,2)"],
    )
    message = "Row 5, column 'value': formulas are not accepted; type the value itself."

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.xlsx", content)


def test_a_formula_in_an_xlsx_header_is_refused() -> None:
    content = xlsx_bytes(["indicator_code", '="period"', "value"], ["CP-01", "Q1", 5])
    message = "Row 1, column B: formulas are not accepted; type the column name itself."

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.xlsx", content)


def test_too_many_rows_are_refused_with_advice_to_split() -> None:
    content = csv_bytes("indicator_code,period,value", *["CP-01,Q1,5"] * 12_001)
    message = (
        "The file has more than 10,000 rows; at most 10,000 can be uploaded at once. "
        "Split it into smaller files."
    )

    with pytest.raises(UploadError, match=exactly(message)):
        read("a.csv", content, max_rows=10_000)


def test_exactly_the_row_limit_is_accepted() -> None:
    content = csv_bytes("indicator_code,period,value", *["CP-01,Q1,5"] * 3, ",,")

    assert len(read("a.csv", content, max_rows=3)) == 3


def test_csv_reading_stops_as_soon_as_the_row_limit_is_exceeded() -> None:
    # Row 6 is malformed; reading stops at row 5, the first over the limit, so never sees it.
    lines = ["indicator_code,period,value", *["CP-01,Q1,5"] * 4, "CP-01,Q1,5,surplus"]

    with pytest.raises(UploadError, match=starts("The file has more than 3 rows;")):
        read("a.csv", csv_bytes(*lines), max_rows=3)


def test_xlsx_reading_stops_as_soon_as_the_row_limit_is_exceeded() -> None:
    rows: list[list[object]] = [["CP-01", "Q1", 5]] * 4
    content = xlsx_bytes(["indicator_code", "period", "value"], *rows, ["CP-09", "Q1", "=1/0"])

    with pytest.raises(UploadError, match=starts("The file has more than 3 rows;")):
        read("a.xlsx", content, max_rows=3)


# --- Writing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1:A2)", "'+SUM(A1:A2)"),
        ("-A1", "'-A1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-", "'-"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-1e5", "-1e5"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (Decimal("-12.5"), Decimal("-12.5")),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise_formula_prefixes_only_text_that_could_start_a_formula(
    value: object, expected: object
) -> None:
    assert neutralise_formula(value) == expected


def test_write_csv_has_a_bom_a_header_and_plain_text_values() -> None:
    rows = [
        {"indicator_code": "CP-01", "value": Decimal("1E+3"), "note": "=HYPERLINK(1)"},
        {"indicator_code": "CP-02", "value": Decimal("0.0000001"), "period": None},
        {"indicator_code": "@CP", "value": Decimal("-12.50"), "note": "-12.5"},
    ]

    content = write_csv(rows, COLUMNS)

    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").split("\r\n") == [
        "indicator_code,period,value,note",
        "CP-01,,1000,'=HYPERLINK(1)",
        "CP-02,,0.0000001,",
        "'@CP,,-12.50,-12.5",
        "",
    ]


def test_write_xlsx_stores_formula_like_text_as_visible_plain_strings() -> None:
    rows = [{"indicator_code": "=1+1", "period": "#N/A", "value": 5, "note": "-12.5"}]

    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(rows, COLUMNS, sheet_title="R"))).active

    assert [(cell.value, cell.data_type) for cell in sheet[2]] == [
        ("'=1+1", "s"),
        ("#N/A", "s"),
        (5, "n"),
        ("-12.5", "s"),
    ]


def test_write_xlsx_keeps_numbers_numeric_with_their_formats() -> None:
    rows = [{"indicator_code": "CP-01", "period": "Q1", "value": Decimal("45.5"), "note": None}]

    content = write_xlsx(rows, COLUMNS, sheet_title="R", number_formats={"value": "0.00"})
    value = openpyxl.load_workbook(io.BytesIO(content)).active["C2"]

    assert (value.value, value.data_type, value.number_format) == (45.5, "n", "0.00")


def test_write_xlsx_lays_out_one_tidy_sheet() -> None:
    rows = [{"indicator_code": "CP-01", "period": "Q1", "value": 1, "note": "x" * 100}]

    content = write_xlsx(rows, COLUMNS, sheet_title="Readings: 2024/25 [Q1] for the whole council")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active

    assert workbook.sheetnames == ["Readings 202425 Q1 for the whol"]
    assert [cell.font.b for cell in sheet[1]] == [True, True, True, True]
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert widths == [len("indicator_code") + 2, len("period") + 2, len("value") + 2, 60]


def test_write_xlsx_gives_identical_bytes_for_identical_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = write_xlsx(ROWS, COLUMNS, sheet_title="Readings")
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # a different day for zip stamps

    second = write_xlsx(ROWS, COLUMNS, sheet_title="Readings")

    assert first == second
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert stamps == {(2000, 1, 1, 0, 0, 0)}


def test_restoring_neutralised_text_gives_back_exactly_what_was_written() -> None:
    from core.cells import restore_neutralised

    for text in ["=SUM(A1)", "+1 since last quarter", "@here", "-12.5", "plain", "'quoted", ""]:
        assert restore_neutralised(str(neutralise_formula(text))) == text


def _two_sheets(second_title: str, *second_rows: list[object]) -> bytes:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.append(list(COLUMNS))
    first.append(["CP-01", "2024-25 Q1", 612, ""])
    named = workbook.create_sheet(second_title)
    for row in second_rows:
        named.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _read_sheet(content: bytes, sheet: str, *, rows_required: bool = True) -> list[RawRow]:
    return read_upload(
        "returns.xlsx",
        content,
        columns=COLUMNS,
        required=REQUIRED,
        max_bytes=2 * MB,
        max_rows=10_000,
        sheet=sheet,
        rows_required=rows_required,
    )


def test_a_named_sheet_is_read_whatever_the_case_of_its_title() -> None:
    content = _two_sheets("MILESTONES", list(COLUMNS), ["CP-09", "2024-25 Q2", 3, "second"])
    rows = _read_sheet(content, "Milestones")
    assert cell_texts(rows) == [
        {"indicator_code": "CP-09", "period": "2024-25 Q2", "value": "3", "note": "second"}
    ]
    assert cell_texts(read("returns.xlsx", content))[0]["indicator_code"] == "CP-01"


def test_a_named_sheet_that_is_not_there_or_a_csv_gives_no_rows() -> None:
    assert _read_sheet(xlsx_bytes(list(COLUMNS), ["CP-01", "Q1", 1, ""]), "Milestones") == []
    assert (
        read_upload(
            "returns.csv",
            csv_bytes("indicator_code,period,value", "CP-01,Q1,1"),
            columns=COLUMNS,
            required=REQUIRED,
            max_bytes=MB,
            max_rows=10,
            sheet="Milestones",
        )
        == []
    )


def test_a_formula_on_a_named_sheet_is_refused_as_on_the_first() -> None:
    content = _two_sheets("Milestones", list(COLUMNS), ["CP-09", "2024-25 Q2", "=1+1", ""])
    with pytest.raises(UploadError, match="formula"):
        _read_sheet(content, "Milestones")


def test_a_header_without_rows_is_empty_only_when_rows_are_not_required() -> None:
    content = _two_sheets("Milestones", list(COLUMNS))
    assert _read_sheet(content, "Milestones", rows_required=False) == []
    with pytest.raises(UploadError, match="header row but no readings"):
        _read_sheet(content, "Milestones")


def test_sheets_are_written_in_order_each_with_its_own_columns() -> None:
    from core.spreadsheet_writer import Sheet, write_xlsx_sheets

    content = write_xlsx_sheets(
        [
            Sheet("Returns", COLUMNS, ROWS[:1]),
            Sheet("Milestones", ("milestone_ref", "progress_note"), [{"milestone_ref": "MS-1"}]),
        ]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Returns", "Milestones"]
    milestones = workbook["Milestones"]
    assert [c.value for c in milestones[1]] == ["milestone_ref", "progress_note"]
    assert milestones["A2"].value == "MS-1"
