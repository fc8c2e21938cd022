"""The committee report's XLSX and CSV as people use them: rounded numbers, RAG fills, filters,
frozen headers, honest document properties and one period code format."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from measures.performance import RAG_LABELS, Rag
from reports.data import ReportData
from reports.renderers import render_csv, render_xlsx
from reports.tidy import period_code
from tests.reports.test_report_renderers import build_report

PORTFOLIO_SHEETS = ("Children and Families", "Economy, Regeneration & Housing")
TABLE_SHEETS = (*PORTFOLIO_SHEETS, "Milestones", "Resources", "Data")


def homes_target(value: str) -> ReportData:
    """The report with the homes indicator (0 decimal places) given this target."""
    data = build_report()
    housing = data.portfolios[1]
    homes = dataclasses.replace(housing.indicators[0], target=Decimal(value))
    housing = dataclasses.replace(housing, indicators=(homes, *housing.indicators[1:]))
    return dataclasses.replace(data, portfolios=(data.portfolios[0], housing))


@pytest.fixture(scope="module")
def report() -> ReportData:
    return homes_target("1250.457038391225")


@pytest.fixture(scope="module")
def xlsx(report: ReportData) -> bytes:
    return render_xlsx(report)


@pytest.fixture(scope="module")
def workbook(xlsx: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx))


@pytest.fixture(scope="module")
def csv_rows(report: ReportData) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render_csv(report).decode("utf-8-sig"))))


def column(sheet: openpyxl.worksheet.worksheet.Worksheet, name: str) -> int:
    return [cell.value for cell in sheet[1]].index(name) + 1


def test_it_stores_a_target_rounded_to_the_indicator_s_places(
    workbook: openpyxl.Workbook,
) -> None:
    sheet = workbook["Economy, Regeneration & Housing"]
    target = sheet.cell(row=2, column=column(sheet, "Target"))
    assert target.value == 1250
    assert target.number_format == "#,##0"
    data = workbook["Data"]
    assert data.cell(row=5, column=column(data, "target")).value == 1250


def test_it_formats_one_decimal_place_with_separators(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Children and Families"]
    rate = sheet.cell(row=3, column=column(sheet, "Latest"))
    assert (rate.value, rate.number_format) == (83.4, "#,##0.0")


def test_it_keeps_a_percentage_as_the_number_people_read(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Children and Families"]
    latest = sheet.cell(row=2, column=column(sheet, "Latest"))
    assert latest.value == 45.5  # not 0.455, and no "%" that would make it read as 0.455
    assert "%" not in latest.number_format
    assert sheet.cell(row=2, column=column(sheet, "Unit")).value == "%"
    data = workbook["Data"]
    assert data.cell(row=2, column=column(data, "unit")).value == "percentage"


def test_it_rounds_half_up_in_both_files_alike() -> None:
    data = homes_target("1250.5")
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))["Data"]
    rows = list(csv.DictReader(io.StringIO(render_csv(data).decode("utf-8-sig"))))
    assert sheet.cell(row=5, column=column(sheet, "target")).value == 1251
    assert rows[3]["target"] == "1251"


def test_csv_gives_the_rounded_target_not_every_decimal(
    csv_rows: list[dict[str, str]],
) -> None:
    homes = csv_rows[3]
    assert homes["indicator_code"] == "B2.M1.1"
    assert homes["target"] == "1250"
    assert csv_rows[0]["comparator"] == "47.3"  # 47.25 to one place, half up


def test_it_fills_each_rag_cell_and_keeps_its_words(workbook: openpyxl.Workbook) -> None:
    children = workbook["Children and Families"]
    rag = column(children, "RAG")
    cells = [children.cell(row=row, column=rag) for row in (2, 3, 4)]
    assert [cell.value for cell in cells] == [
        "! Close to target",
        "\u2717 Off target",
        "\u2013 No target",
    ]
    fills = [cell.fill.start_color.rgb for cell in cells]
    assert fills == ["00FFE3C9", "00F6D7D2", "00E5E6E7"]
    assert all(cell.fill.fill_type == "solid" for cell in cells)
    green = workbook["Economy, Regeneration & Housing"].cell(row=2, column=rag)
    assert green.fill.start_color.rgb == "00CCE2D8"
    data = workbook["Data"]
    data_rag = data.cell(row=2, column=column(data, "rag"))
    assert (data_rag.value, data_rag.fill.start_color.rgb) == ("amber", "00FFE3C9")
    assert children.cell(row=2, column=column(children, "Code")).fill.fill_type is None


def luminance(rgb: str) -> float:
    def channel(part: str) -> float:
        value = int(part, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(rgb[-6:][i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_rag_fills_keep_dark_text_readable(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Children and Families"]
    rag = column(sheet, "RAG")
    for row in (2, 3, 4):
        cell = sheet.cell(row=row, column=rag)
        lighter = luminance(cell.fill.start_color.rgb) + 0.05
        darker = luminance(cell.font.color.rgb) + 0.05
        assert lighter / darker >= 7, cell.value  # WCAG AAA for normal text


def test_every_table_sheet_has_a_filter_and_a_frozen_header(
    workbook: openpyxl.Workbook,
) -> None:
    assert workbook["Summary"].auto_filter.ref is None
    refs = {name: workbook[name].auto_filter.ref for name in TABLE_SHEETS}
    assert refs == {
        "Children and Families": "A1:Q4",
        "Economy, Regeneration & Housing": "A1:Q3",
        "Milestones": "A1:M3",
        "Resources": "A1:N3",
        "Data": "A1:T6",
    }
    assert {workbook[name].freeze_panes for name in TABLE_SHEETS} == {"A2"}


def test_properties_name_the_report_and_the_council(
    report: ReportData, workbook: openpyxl.Workbook
) -> None:
    properties = workbook.properties
    assert properties.title == (
        "Children and Families Scrutiny Committee performance report, "
        "2025/26 Q2 (July to September 2025)"
    )
    assert properties.creator == properties.lastModifiedBy == "Stockport Council"
    assert properties.identifier == report.fingerprint
    assert properties.language == "en-GB"


def test_properties_take_the_council_from_the_data() -> None:
    data = dataclasses.replace(build_report(), council="Anytown Borough Council")
    archive = zipfile.ZipFile(io.BytesIO(render_xlsx(data)))
    core = archive.read("docProps/core.xml").decode()
    app = archive.read("docProps/app.xml").decode()
    assert "<dc:creator>Anytown Borough Council</dc:creator>" in core
    assert "<cp:lastModifiedBy>Anytown Borough Council</cp:lastModifiedBy>" in core
    assert "<Company>Anytown Borough Council</Company>" in app
    assert "Stockport" not in core + app


def test_no_property_names_the_library(xlsx: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(xlsx))
    for name in ("docProps/core.xml", "docProps/app.xml"):
        assert "openpyxl" not in archive.read(name).decode().casefold(), name
    assert archive.read("docProps/core.xml").decode().count("2000-01-01T00:00:00Z") == 2


def test_without_a_council_the_workbook_names_no_author() -> None:
    data = dataclasses.replace(build_report(), council="")
    archive = zipfile.ZipFile(io.BytesIO(render_xlsx(data)))
    core = archive.read("docProps/core.xml").decode()
    assert "creator" not in core
    assert "lastModifiedBy" not in core
    assert "Company" not in archive.read("docProps/app.xml").decode()
    assert "<dc:title>Children and Families Scrutiny Committee performance report" in core


def test_every_period_column_holds_codes(
    workbook: openpyxl.Workbook, csv_rows: list[dict[str, str]]
) -> None:
    first = csv_rows[0]
    assert (first["period"], first["latest_period"]) == ("2025-26-Q2", "2025-26-Q2")
    assert (first["previous_period"], first["baseline_period"]) == ("2025-26-Q1", "2024-25-Q3")
    assert csv_rows[2]["previous_period"] == ""  # a single reading has no previous period
    children = workbook["Children and Families"]
    periods = [
        children.cell(row=2, column=column(children, name)).value
        for name in ("Baseline period", "Previous period", "Latest period")
    ]
    assert periods == ["2024-25-Q3", "2025-26-Q1", "2025-26-Q2"]
    milestones = workbook["Milestones"]
    update = column(milestones, "Update period")
    assert [milestones.cell(row=r, column=update).value for r in (2, 3)] == [
        "2025-26-Q1",
        "2025-26-Q2",
    ]
    every = [
        value
        for name in TABLE_SHEETS
        for row in workbook[name].iter_rows(min_row=2, values_only=True)
        for value in row
    ]
    assert not [v for v in every if isinstance(v, str) and v.startswith(("2024/25", "2025/26"))]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("2025/26 Q2", "2025-26-Q2"),
        ("2025/26", "2025-26"),
        (" 2023/24 ", "2023-24"),
        ("", ""),
        ("March 2023", "March 2023"),  # a baseline's free text is kept as entered
        ("2025-26-Q2", "2025-26-Q2"),
    ],
)
def test_period_code_from_a_label(label: str, code: str) -> None:
    assert period_code(label) == code


def test_a_missing_rag_is_grey_like_no_target() -> None:
    data = build_report()
    children = data.portfolios[0]
    missing = dataclasses.replace(
        children.indicators[0], rag=Rag.NO_DATA, rag_label=RAG_LABELS[Rag.NO_DATA], latest=None
    )
    children = dataclasses.replace(children, indicators=(missing,))
    data = dataclasses.replace(data, portfolios=(children,))
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))["Children and Families"]
    cell = sheet.cell(row=2, column=column(sheet, "RAG"))
    assert (cell.value, cell.fill.start_color.rgb) == ("? No data", "00E5E6E7")
    assert sheet.cell(row=2, column=column(sheet, "Latest")).value is None
