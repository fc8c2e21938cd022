"""The quarterly report's renderers: PDF (tagged, escaped, paged), XLSX, tidy CSV, trend SVG."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from pypdf import PdfReader

from core.spreadsheet_writer import FIXED_TIME
from measures.performance import (
    DIRECTION_LABELS,
    RAG_LABELS,
    Direction,
    Rag,
    count_rag,
)
from reports.data import ReportData, ReportIndicator, ReportMilestone, ReportPortfolio
from reports.pdf import _DataOnlyFetcher
from reports.pdf_sections import summary_sentences
from reports.renderers import (
    CSV_COLUMN_NAMES,
    CSV_COLUMNS,
    NOT_ENOUGH_DATA,
    SYNTHETIC_NOTICE,
    render_csv,
    render_pdf,
    render_xlsx,
    trend_svg,
)

SCRIPT = "<script>alert(1)</script>"
HYPERLINK = '=HYPERLINK("http://evil.example/","Click me")'
LONG_NAME = "Economy, Regeneration & Housing: Homes/Planning [Cabinet]"
QUARTERS = ("2024/25 Q3", "2024/25 Q4", "2025/26 Q1", "2025/26 Q2")


def indicator(
    code: str,
    title: str,
    *,
    unit: str = "percentage",
    unit_label: str = "%",
    places: int = 1,
    values: tuple[str | None, ...] = ("40.0", "42.5", "44.0", "45.5"),
    target: str | None = "50",
    rag: Rag = Rag.AMBER,
    direction: Direction = Direction.IMPROVED,
    commentary: str = "Steady progress.",
    corrective_action: str = "",
    comparator: str | None = None,
) -> ReportIndicator:
    trend = tuple(
        (period, None if value is None else Decimal(value))
        for period, value in zip(QUARTERS, values, strict=True)
    )
    readings = [(period, value) for period, value in trend if value is not None]
    latest = readings[-1] if readings else ("", None)
    previous = readings[-2] if len(readings) > 1 else ("", None)
    return ReportIndicator(
        code=code,
        title=title,
        unit=unit,
        unit_label=unit_label,
        decimal_places=places,
        baseline=trend[0][1],
        baseline_period=QUARTERS[0],
        previous=previous[1],
        previous_period=previous[0],
        latest=latest[1],
        latest_period=latest[0],
        target=None if target is None else Decimal(target),
        rag=rag,
        rag_label=RAG_LABELS[rag],
        direction=direction,
        direction_label=DIRECTION_LABELS[direction],
        comparator=None if comparator is None else Decimal(comparator),
        comparator_label="England average" if comparator is not None else "",
        commentary=commentary,
        corrective_action=corrective_action,
        synthetic=True,
        trend=trend,
    )


def build_report(*, synthetic: bool = True) -> ReportData:
    children = (
        indicator(
            "A1.M1.1",
            "Children seen within timescale",
            commentary=SCRIPT,
            comparator="47.25",
        ),
        indicator(
            "A1.M1.2",
            "Children in care per 10,000",
            unit="rate_per_10000",
            unit_label="per 10,000",
            values=("80.1", "79.0", "81.2", "83.4"),
            target="78",
            rag=Rag.RED,
            direction=Direction.WORSENED,
            commentary="Rose after two large sibling groups came into care.",
            corrective_action="Edge-of-care team expanded from January.",
        ),
        indicator(
            "A1.M1.3",
            "Care leavers in education, employment or training",
            values=(None, None, None, "61.0"),
            target=None,
            rag=Rag.NO_TARGET,
            direction=Direction.NOT_COMPARABLE,
        ),
    )
    housing = (
        indicator(
            "B2.M1.1",
            "Net additional homes",
            unit="count",
            unit_label="homes",
            places=0,
            values=("1180", "1200", "12345", "1250.0000"),
            target="1000",
            rag=Rag.GREEN,
            direction=Direction.IMPROVED,
            commentary=HYPERLINK,
        ),
        indicator(
            "B2.M2.1",
            "Spend on temporary accommodation",
            unit="currency",
            unit_label="£",
            places=0,
            values=("250000", "260000", "255000", "240000"),
            target="245000",
            rag=Rag.GREEN,
            direction=Direction.IMPROVED,
            commentary="Fewer nights in bed and breakfast.\nSecond line.",
        ),
    )
    slipped = ReportMilestone(
        block="Ambition 2",
        scheme="Town centre living",
        title="Planning application submitted",
        state="slipped",
        state_label="Slipped",
        overdue=True,
        original_date=date(2025, 3, 31),
        current_date=date(2025, 6, 30),
        dates="due March 2025, revised to June 2025 (once)",
        revisions=1,
        revision_reason="Ecology survey needed first",
        progress_note="Survey under way.",
        reason="Ecology survey needed first",
        corrective_action="Survey commissioned",
        update_period="2025/26 Q1",
        synthetic=False,
    )
    on_track = dataclasses.replace(
        slipped,
        title="Site cleared",
        state="on_track",
        state_label="On track",
        overdue=False,
        original_date=date(2026, 3, 31),
        current_date=date(2026, 3, 31),
        dates="due March 2026",
        revisions=0,
        revision_reason="",
        progress_note="Demolition on programme.",
        reason="",
        corrective_action="",
        update_period="2025/26 Q2",
    )
    portfolios = tuple(
        ReportPortfolio(
            name=name,
            counts=count_rag(i.rag for i in indicators),
            indicators=indicators,
            milestones=milestones,
        )
        for name, indicators, milestones in (
            ("Children and Families", children, ()),
            (LONG_NAME, housing, (slipped, on_track)),
        )
    )
    every = [i for p in portfolios for i in p.indicators]
    return ReportData(
        council="Stockport Council",
        plan_title="Council Plan 2024\u201327",
        committee="Children and Families Scrutiny Committee",
        period_label="2025/26 Q2 (July to September 2025)",
        period_code="2025-26-Q2",
        data_as_at=datetime(2025, 10, 20, 16, 45, tzinfo=UTC),
        generated_at=datetime(2026, 1, 20, 9, 30, tzinfo=UTC),
        summary="2 of 5 indicators on or better than target; 3 improved since last period; "
        "0 returns missing.",
        counts=count_rag(i.rag for i in every),
        directions=(
            (Direction.IMPROVED, 3),
            (Direction.NO_CHANGE, 0),
            (Direction.WORSENED, 1),
            (Direction.NOT_COMPARABLE, 1),
        ),
        changes=("A1.M1.2 moved from amber to red.", "B2.M2.1 moved from amber to green."),
        portfolios=portfolios,
        milestones=(slipped, on_track),
        synthetic=synthetic,
        fingerprint="0123456789abcdef",
    )


@pytest.fixture(scope="module")
def report() -> ReportData:
    return build_report()


def flat(text: str) -> str:
    """Text with all whitespace removed, so words a line wrap split still match."""
    return "".join(text.split())


# --- PDF -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(report: ReportData) -> PdfReader:
    content = render_pdf(report)
    assert content.startswith(b"%PDF-1.7")
    return PdfReader(io.BytesIO(content))


@pytest.fixture(scope="module")
def pdf_text(pdf: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


def test_pdf_text_has_the_report_s_content(report: ReportData, pdf_text: str) -> None:
    text = flat(pdf_text)
    for expected in (
        report.council,
        report.committee,
        report.period_label,
        "Quarterly performance report",
        "Data as at 20 October 2025, 17:45",  # in London time (BST)
        "Generated 20 January 2026, 09:30",
        "Contents",
        "Executive summary",
        *(sentence for _, sentence in summary_sentences(report)),
        "Exceptions",
        "Changes since the last report",
        "This is the committee's first report in this service",
        "Appendix: indicator trends",
        "Page 1 of",
        "Planning application submitted",
        "due March 2025, revised to June 2025 (once)",
        "Slipped \u00b7 Overdue",
        "Reason: Ecology survey needed first",
        "Corrective action: Survey commissioned",
        "Update for 2025/26 Q1",
        "Demolition on programme.",
        "2 milestones: 1 on track, 1 slipped; 1 overdue.",
        "No milestones.",  # the children's portfolio delivers none
        NOT_ENOUGH_DATA,
        "45.5%",  # each figure in its unit
        "83.4 per 10,000",
        "£240,000",
        "Corrective action: Edge-of-care team expanded from January.",
    ):
        assert flat(expected) in text, expected
    for portfolio in report.portfolios:
        assert flat(portfolio.name) in text
        for item in portfolio.indicators:
            assert item.code in text
            assert flat(item.rag_label) in text
    for rag in (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.NO_TARGET):
        assert flat(RAG_LABELS[rag]) in text


def test_pdf_shows_user_text_as_text(pdf_text: str) -> None:
    assert flat(SCRIPT) in flat(pdf_text)
    assert flat(HYPERLINK) in flat(pdf_text)


def test_pdf_is_tagged_titled_in_english_and_paged(report: ReportData, pdf: PdfReader) -> None:
    catalog: Any = pdf.root_object
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert pdf.metadata is not None
    assert pdf.metadata.title == (
        f"{report.committee}: Quarterly performance report, {report.period_label}"
    )
    assert pdf.metadata.author == report.council
    assert len(pdf.pages) >= 3
    last = flat(pdf.pages[-1].extract_text())
    assert f"Page{len(pdf.pages)}of{len(pdf.pages)}" in last


def test_pdf_running_header_names_committee_and_period(report: ReportData, pdf: PdfReader) -> None:
    second = flat(pdf.pages[1].extract_text())
    assert flat(report.committee) in second
    assert flat(report.period_label) in second


def figure_alternatives(pdf: PdfReader) -> list[str]:
    """The alternative text of every tagged figure, in document order."""
    alternatives: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alternatives.append(str(node["/Alt"]))
            walk(node.get("/K"))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    catalog: Any = pdf.root_object
    walk(catalog["/StructTreeRoot"])
    return alternatives


def test_pdf_charts_have_their_values_as_alternative_text(pdf: PdfReader) -> None:
    alternatives = figure_alternatives(pdf)
    assert len(alternatives) == 4  # five indicators, one without enough data for a trend
    assert any("A1.M1.1" in alt and "2024/25 Q3: 40.0%" in alt for alt in alternatives)


def test_pdf_shows_every_trend_of_a_long_portfolio_in_order() -> None:
    """The trends are laid out in several small grids (for speed): none may be lost."""
    many = tuple(indicator(f"C1.M1.{n}", f"Measure {n}") for n in range(1, 27))
    portfolio = ReportPortfolio(
        name="Economy", counts=count_rag(i.rag for i in many), indicators=many
    )
    long_report = dataclasses.replace(build_report(), portfolios=(portfolio,))
    alternatives = figure_alternatives(PdfReader(io.BytesIO(render_pdf(long_report))))
    codes = [match.group() for alt in alternatives if (match := re.search(r"C1\.M1\.\d+", alt))]
    assert codes == [f"C1.M1.{n}" for n in range(1, 27)]


def test_pdf_synthetic_notice_only_when_synthetic(pdf_text: str, report: ReportData) -> None:
    assert flat(SYNTHETIC_NOTICE) in flat(pdf_text)
    real = dataclasses.replace(report, synthetic=False, portfolios=(), milestones=())
    real_text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(real))).pages
    )
    assert flat(report.committee) in flat(real_text)
    assert flat(SYNTHETIC_NOTICE) not in flat(real_text)
    assert flat("No milestones.") in flat(real_text)  # the summary's count says so


@pytest.mark.parametrize(
    "url",
    ["http://example.com/x.png", "https://example.com/s.css", "file:///etc/passwd", "ftp://x/y"],
)
def test_pdf_fetches_nothing_but_data_uris(url: str) -> None:
    fetcher = _DataOnlyFetcher()
    with pytest.raises(ValueError, match="nothing but data: URIs"):
        fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


# --- XLSX ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx(report: ReportData) -> bytes:
    return render_xlsx(report)


@pytest.fixture(scope="module")
def workbook(xlsx: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx))


def cell_text(value: object) -> str:
    """A cell's value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(str(value)), "f")
    return str(value)


def test_xlsx_sheets(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == [
        "Summary",
        "Exceptions",
        "Children and Families",
        "Economy, Regeneration & Housing",  # []:/ removed, cut to 31 characters
        "Milestones",
        "Resources",
        "Data",
    ]
    for name in workbook.sheetnames[1:]:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)


def test_xlsx_summary(report: ReportData, workbook: openpyxl.Workbook) -> None:
    values = [cell for row in workbook["Summary"].iter_rows(values_only=True) for cell in row]
    for expected in (
        report.committee,
        report.period_label,
        report.summary,
        SYNTHETIC_NOTICE,
        "20 October 2025, 17:45",
        "20 January 2026, 09:30",
        *report.changes,
    ):
        assert expected in values
    assert "\u2713 On or better than target" in values


def test_xlsx_portfolio_sheet_numbers_and_text(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Children and Families"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Code", "Indicator", "Unit", "Baseline"]
    latest = header.index("Latest") + 1
    first = sheet.cell(row=2, column=latest)
    assert first.value == 45.5  # as entered, not 0.455
    assert first.number_format == "#,##0.0"
    assert sheet.cell(row=2, column=header.index("Unit") + 1).value == "%"
    assert sheet.cell(row=2, column=header.index("RAG") + 1).value == "! Close to target"
    assert sheet.cell(row=3, column=header.index("Direction") + 1).value == "\u25bc Worsened"
    assert sheet.cell(row=2, column=header.index("Commentary") + 1).value == SCRIPT

    housing = workbook["Economy, Regeneration & Housing"]
    assert housing.cell(row=2, column=latest).number_format == "#,##0"
    assert housing.cell(row=3, column=latest).number_format == '"£"#,##0'


def test_xlsx_milestones_sheet_has_dates_as_dates_and_overdue_in_words(
    workbook: openpyxl.Workbook,
) -> None:
    rows = list(workbook["Milestones"].iter_rows(values_only=True))
    assert rows[0] == (
        "Block",
        "Scheme",
        "Milestone",
        "Original date",
        "Current date",
        "Revisions",
        "Status",
        "Overdue",
        "Progress note",
        "Reason",
        "Corrective action",
        "Update period",
        "Synthetic",
    )
    assert rows[1] == (
        "Ambition 2",
        "Town centre living",
        "Planning application submitted",
        datetime(2025, 3, 31),
        datetime(2025, 6, 30),
        1,
        "Slipped",
        "Yes",
        "Survey under way.",
        "Ecology survey needed first",
        "Survey commissioned",
        "2025-26-Q1",
        "No",
    )
    assert rows[2][2:8] == (
        "Site cleared",
        datetime(2026, 3, 31),
        datetime(2026, 3, 31),
        0,
        "On track",
        "No",
    )
    assert workbook["Milestones"]["D2"].number_format == "d mmmm yyyy"
    summary = [row for row in workbook["Summary"].iter_rows(values_only=True)]
    assert ("Milestones", "2 milestones: 1 on track, 1 slipped; 1 overdue.") in summary
    assert (
        "Slipped \u00b7 Overdue",
        "Town centre living, Planning application submitted "
        "(due March 2025, revised to June 2025 (once))",
    ) in summary


def test_xlsx_neutralises_formulas(workbook: openpyxl.Workbook) -> None:
    commentary = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value
    ]
    assert len(commentary) == 2  # the housing sheet and the Data sheet
    for cell in commentary:
        assert cell.data_type == "s"
        assert cell.value == "'" + HYPERLINK
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value


def test_xlsx_data_sheet_is_the_csv(report: ReportData, workbook: openpyxl.Workbook) -> None:
    rows = [[cell_text(v) for v in row] for row in workbook["Data"].iter_rows(values_only=True)]
    assert rows == list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig"))))


def test_xlsx_is_deterministic(report: ReportData, xlsx: bytes) -> None:
    assert render_xlsx(report) == xlsx
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        assert {info.date_time for info in archive.infolist()} == {FIXED_TIME.timetuple()[:6]}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2
    later = dataclasses.replace(report, generated_at=datetime(2026, 1, 21, tzinfo=UTC))
    assert render_xlsx(later) != xlsx


def test_xlsx_sheet_titles_are_unique() -> None:
    data = build_report()
    same = data.portfolios[1]
    data = dataclasses.replace(
        data,
        portfolios=(
            same,
            dataclasses.replace(same, name=LONG_NAME + " (north)"),
            dataclasses.replace(same, name="data"),
        ),
    )
    names = openpyxl.load_workbook(io.BytesIO(render_xlsx(data))).sheetnames
    assert names == [
        "Summary",
        "Exceptions",
        "Economy, Regeneration & Housing",
        "Economy, Regeneration & Hou (2)",
        "data (2)",
        "Milestones",
        "Resources",
        "Data",
    ]
    assert all(len(name) <= 31 for name in names)


# --- CSV -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def csv_rows(report: ReportData) -> list[dict[str, str]]:
    content = render_csv(report)
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_columns_are_documented(report: ReportData) -> None:
    header = next(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig"))))
    assert tuple(header) == CSV_COLUMN_NAMES == tuple(name for name, _ in CSV_COLUMNS)
    assert len(set(header)) == len(header)
    assert all(meaning.endswith(".") and len(meaning) > 10 for _, meaning in CSV_COLUMNS)


def test_csv_one_plain_row_per_indicator(
    report: ReportData, csv_rows: list[dict[str, str]]
) -> None:
    codes = [i.code for p in report.portfolios for i in p.indicators]
    assert [row["indicator_code"] for row in csv_rows] == codes
    first, _, third, homes, spend = csv_rows
    assert first["committee"] == report.committee
    assert first["period"] == "2025-26-Q2"
    assert first["portfolio"] == "Children and Families"
    assert (first["latest"], first["previous"], first["target"]) == ("45.5", "44", "50")
    assert first["comparator"] == "47.3"  # to the indicator's 1 decimal place
    assert first["comparator_label"] == "England average"
    assert (first["rag"], first["direction"], first["synthetic"]) == ("amber", "improved", "yes")
    assert first["commentary"] == SCRIPT
    assert (third["baseline"], third["previous"], third["target"]) == ("", "", "")
    assert third["latest"] == "61"
    assert homes["portfolio"] == LONG_NAME
    assert (homes["previous"], homes["latest"]) == ("12345", "1250")  # no separators or zeros
    assert homes["commentary"] == "'" + HYPERLINK
    assert spend["unit"] == "currency"
    assert spend["latest"] == "240000"
    assert spend["commentary"] == "Fewer nights in bed and breakfast.\nSecond line."
    for row in csv_rows:
        for column in ("baseline", "previous", "latest", "target", "comparator"):
            assert re.fullmatch(r"|-?[0-9]+(\.[0-9]+)?", row[column]), row[column]


# --- Trend chart -----------------------------------------------------------------------------


def test_trend_svg_speaks_its_values(report: ReportData) -> None:
    svg = str(trend_svg(report.portfolios[0].indicators[0]))
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output, checked to be well formed
    assert root.get("role") == "img"
    label = root.get("aria-label") or ""
    for period, value in (("2024/25 Q3", "40.0%"), ("2025/26 Q2", "45.5%")):
        assert f"{period}: {value}" in label
    assert "Latest 2025/26 Q2: 45.5% against a target of 50.0% (close to target)." in label
    title = root.find("{http://www.w3.org/2000/svg}title")
    assert title is not None
    assert title.text == label
    assert 'width="220" height="70"' in svg
    assert "stroke-dasharray" in svg  # the target line
    assert ">0.0%</text>" in svg and ">50.0%</text>" in svg  # a percentage starts at 0%


def test_trend_svg_gaps_and_size() -> None:
    item = indicator("X1", "Gappy", values=("1", None, "3", "4"), target=None)
    svg = str(trend_svg(item, width=300, height=90))
    assert "2024/25 Q4: no data" in svg
    assert svg.count("<polyline") == 1  # the run after the gap; the lone first value is a dot
    assert 'viewBox="0 0 300 90"' in svg
    assert "stroke-dasharray" not in svg


def test_trend_svg_escapes_text() -> None:
    item = indicator("X<1>", 'Homes & "flats" <b>built</b>', values=("1", "2", "2", "2"))
    svg = str(trend_svg(item))
    assert "<b>" not in svg
    assert "&lt;b&gt;built&lt;/b&gt;" in svg
    assert "X&lt;1&gt;" in svg
    ElementTree.fromstring(svg)  # noqa: S314 - our own output, checked to be well formed


def test_trend_svg_needs_two_values() -> None:
    for values in ((None, None, None, "61.0"), (None, None, None, None)):
        output = str(trend_svg(indicator("X1", "Few", values=values)))
        assert "<svg" not in output
        assert NOT_ENOUGH_DATA in output


def test_trend_svg_flat_series() -> None:
    item = indicator("X1", "Flat", values=("5", "5", "5", "5"), target=None)
    svg = str(trend_svg(item))
    ElementTree.fromstring(svg)  # noqa: S314 - our own output, checked to be well formed
    assert "5.0%" in svg
