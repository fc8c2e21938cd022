"""Uploading the ledger extract: a good file is previewed then saved whole, awaiting approval;
a bad one says which row and column is wrong and saves nothing."""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from core.roles import Role
from measures.models import ReportingPeriod
from portfolios.models import Portfolio
from resources.models import FinanceReturn, FinanceUpload, RevenueLine, SavingItem
from resources.services import finance_approve
from resources.services.figures import FiguresRefused
from resources.services.uploads import (
    finance_upload_confirm,
    finance_upload_preview,
    finance_upload_receive,
)
from resources.upload_format import COLUMNS
from tests import factories
from tests.resources.figures import quarter_saved

pytestmark = pytest.mark.django_db
REVENUE_HEADER = ",".join(COLUMNS["revenue"])


def csv_bytes(header: str, rows: Sequence[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture
def economy() -> Portfolio:
    return factories.portfolio("economy")


@pytest.fixture
def finance() -> User:
    return factories.user(Role.FINANCE_OFFICER)


@pytest.fixture
def quarter() -> ReportingPeriod:
    return factories.quarter(2025, 2, state="closed")


def received(by: User, content: bytes, name: str = "ledger.csv") -> FinanceUpload:
    return finance_upload_receive(by=by, filename=name, content=content)


def test_a_good_revenue_file_is_previewed_then_saved_whole(economy, finance, quarter) -> None:
    content = csv_bytes(
        REVENUE_HEADER,
        [
            "2025-26-Q2,Economy,Growth,1000000,1000000,1000000,",
            '2025-26-Q2,economy,Markets,"£2,000,000.00",2000000,2500000,Footfall fell',
        ],
    )
    upload = received(finance, content)
    preview = finance_upload_preview(upload=upload)
    assert preview.errors == [] and preview.period == quarter
    assert FinanceReturn.objects.count() == 0  # the preview saves nothing
    (saved,) = finance_upload_confirm(upload=upload, by=finance)
    assert saved.status == "submitted" and saved.source == "ledger.csv"
    lines = RevenueLine.objects.order_by("position")
    assert [(line.service_line, line.variance) for line in lines] == [
        ("Growth", 0),
        ("Markets", 500000),
    ]
    upload.refresh_from_db()
    assert upload.confirmed_at and upload.lines_saved == 2
    with pytest.raises(FiguresRefused, match="saved already"):
        finance_upload_confirm(upload=upload, by=finance)
    assert RevenueLine.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "2025-26-Q2,Economy,Growth,1000000,lots,1000000,",
            "Row 2, column 'current_budget': 'lots' is not an amount in pounds",
        ),
        (
            "2025-26-Q2,Nowhere,Growth,1000000,1000000,1000000,",
            "Row 2, column 'portfolio': there is no portfolio 'Nowhere'",
        ),
        (
            "2025-26-Q2,Economy,Growth,1000000,1000000,1500000,",
            "Row 2, column 'explanation': the variance of +£500k",
        ),
        (
            "2025-26-Q2,Economy,Growth,1000000,1000000.505,1000000,",
            "Row 2, column 'current_budget': 1000000.505 has more than two decimal places",
        ),
        (
            "2030-31-Q2,Economy,Growth,1000000,1000000,1000000,",
            "Row 2, column 'period': there is no reporting period '2030-31-Q2'",
        ),
        (
            "2025-26-Q2,Economy,Growth,,1000000,1000000,",
            "Row 2, column 'original_budget': is empty",
        ),
    ],
)
def test_a_bad_revenue_row_is_named_by_row_and_column_and_nothing_is_saved(
    economy, finance, quarter, row: str, expected: str
) -> None:
    good = "2025-26-Q2,Economy,Markets,1000000,1000000,1000000,"
    upload = received(finance, csv_bytes(REVENUE_HEADER, [row, good]))
    preview = finance_upload_preview(upload=upload)
    assert any(error.startswith(expected) for error in preview.errors), preview.errors
    with pytest.raises(FiguresRefused):
        finance_upload_confirm(upload=upload, by=finance)
    assert FinanceReturn.objects.count() == 0 and RevenueLine.objects.count() == 0
    upload.refresh_from_db()
    assert upload.confirmed_at is None


def test_a_duplicated_line_and_a_second_quarter_in_one_file_are_refused(
    economy, finance, quarter
) -> None:
    factories.quarter(2025, 1, state="closed")
    line = "2025-26-Q2,Economy,Growth,1000000,1000000,1000000,"
    other = "2025-26-Q1,Economy,Markets,1000000,1000000,1000000,"
    preview = finance_upload_preview(
        upload=received(finance, csv_bytes(REVENUE_HEADER, [line, line, other]))
    )
    assert "Row 3: the same portfolio and service line as row 2: give each once" in preview.errors
    assert any(
        e.startswith("Row 4, column 'period': 2025-26-Q1 is not 2025-26-Q2 (row 2)")
        for e in preview.errors
    )


def test_a_negative_capital_budget_is_refused(economy, finance, quarter) -> None:
    header = ",".join(COLUMNS["capital"])
    row = "2025-26-Q2,C1,Depot,Economy,,-5000,0,0,"
    preview = finance_upload_preview(upload=received(finance, csv_bytes(header, [row])))
    assert any(
        e.startswith("Row 2, column 'budget': -5000 is below zero") for e in preview.errors
    ), preview.errors


def test_a_quarter_before_an_approved_later_one_is_out_of_order(economy, finance, quarter) -> None:
    team = factories.user(Role.PERFORMANCE_TEAM)
    later = factories.quarter(2025, 3, state="closed")
    (third,) = quarter_saved(later, economy, finance)
    finance_approve(finance_return=third, by=team, expected_version=third.version)
    line = "2025-26-Q2,Economy,Growth,1000000,1000000,1000000,"
    preview = finance_upload_preview(upload=received(finance, csv_bytes(REVENUE_HEADER, [line])))
    assert any(
        "2025/26 Q3 revenue budget figures are approved already" in e for e in preview.errors
    )


def test_a_file_of_no_known_format_is_kept_with_the_reason(finance, quarter) -> None:
    upload = received(finance, csv_bytes("period,portfolio,amount", ["2025-26-Q2,Economy,1"]))
    assert "Unknown column 'amount'" in upload.file_error
    mixed = ",".join(["period", "portfolio", "forecast_outturn", "target_saving"])
    upload = received(finance, csv_bytes(mixed, ["2025-26-Q2,Economy,1,1"]))
    assert upload.file_error.startswith("The columns mix revenue budget and savings programme")
    empty = received(finance, csv_bytes(REVENUE_HEADER, []))
    assert empty.file_error.startswith("The file has a header row but no figures")


def test_figures_changed_after_the_upload_are_not_overwritten(economy, finance, quarter) -> None:
    line = "2025-26-Q2,Economy,Growth,1000000,1000000,1000000,"
    first = received(finance, csv_bytes(REVENUE_HEADER, [line]))
    second = received(finance, csv_bytes(REVENUE_HEADER, [line.replace("Growth", "Markets")]))
    finance_upload_confirm(upload=second, by=finance)
    with pytest.raises(FiguresRefused) as refused:
        finance_upload_confirm(upload=first, by=finance)
    assert "changed by someone else after you uploaded this file" in refused.value.problems[0]
    assert list(RevenueLine.objects.values_list("service_line", flat=True)) == ["Markets"]


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_gives_each_kind_on_its_sheet(economy, finance, quarter) -> None:
    content = workbook(
        {
            "Revenue": [
                list(COLUMNS["revenue"]),
                ["2025-26-Q2", "Economy", "", 1000000, 1000000, 1000000, ""],
            ],
            "Savings": [
                list(COLUMNS["savings"]),
                ["2025-26-Q2", "S1", "Shared service", "Economy", 50000, 20000, "At risk", ""],
            ],
        }
    )
    upload = received(finance, content, name="q2.xlsx")
    assert upload.file_error == ""
    saved = finance_upload_confirm(upload=upload, by=finance)
    assert sorted(r.kind for r in saved) == ["revenue", "savings"]
    assert SavingItem.objects.get().rag == "amber"


def test_a_workbook_sheet_of_the_wrong_kind_is_refused(finance, quarter) -> None:
    content = workbook({"Savings": [list(COLUMNS["revenue"]), ["2025-26-Q2", "Economy"]]})
    upload = received(finance, content, name="q2.xlsx")
    assert upload.file_error.startswith("Sheet 'Savings': its columns are the revenue budget")


def test_only_the_uploader_confirms_their_file(economy, finance, quarter) -> None:
    line = "2025-26-Q2,Economy,Growth,1000000,1000000,1000000,"
    upload = received(finance, csv_bytes(REVENUE_HEADER, [line]))
    other = factories.user(Role.FINANCE_OFFICER)
    with pytest.raises(PermissionDenied):
        finance_upload_confirm(upload=upload, by=other)
    with pytest.raises(PermissionDenied):
        finance_upload_receive(by=factories.user(Role.OFFICER), filename="x.csv", content=b"")
    assert FinanceReturn.objects.count() == 0
