"""The finance pages as their users work them: finance upload and confirm, the performance
team approve or return, the threshold, and the template to fill in."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.roles import Role
from measures.models import ReportingPeriod
from resources.models import FinanceReturn, FinanceUpload, RevenueLine, VarianceThreshold
from tests import factories
from tests.resources.figures import capital, quarter_saved, revenue

pytestmark = pytest.mark.django_db
HEADER = "period,portfolio,service_line,original_budget,current_budget,forecast_outturn,explanation"


@pytest.fixture
def quarter() -> ReportingPeriod:
    return factories.quarter(2025, 2, state="closed")


def signed_in(role: Role) -> Client:
    client = Client()
    client.force_login(factories.user(role))
    return client


def post_file(client: Client, rows: list[str]):
    content = ("\n".join([HEADER, *rows]) + "\n").encode()
    file = SimpleUploadedFile("ledger.csv", content, content_type="text/csv")
    response = client.post(reverse("resources:upload"), {"file": file})
    assert response.status_code == 302
    return client.get(response["Location"]), FinanceUpload.objects.latest("pk")


def test_finance_upload_preview_and_confirm_then_the_team_approves(quarter) -> None:
    factories.portfolio("economy")
    finance = signed_in(Role.FINANCE_OFFICER)
    page, upload = post_file(finance, ["2025-26-Q2,Economy,Growth,1000000,1000000,1000000,"])
    assert page.status_code == 200
    assert "Save these figures for approval" in page.content.decode()
    saved = finance.post(reverse("resources:upload_confirm", args=[upload.pk]))
    assert saved.status_code == 302
    finance_return = FinanceReturn.objects.get()
    assert finance_return.status == "submitted"
    home = finance.get(reverse("resources:home")).content.decode()
    assert "Awaiting approval" in home and "Revenue budget" in home

    team = signed_in(Role.PERFORMANCE_TEAM)
    detail = team.get(reverse("resources:return", args=[finance_return.pk])).content.decode()
    assert "Approve the figures" in detail and "£1m" in detail
    approved = team.post(
        reverse("resources:approve", args=[finance_return.pk]),
        {"version": finance_return.version},
    )
    assert approved.status_code == 302
    finance_return.refresh_from_db()
    assert finance_return.status == "approved"


def test_a_bad_row_is_shown_with_its_row_and_column_and_confirming_saves_nothing(
    quarter,
) -> None:
    factories.portfolio("economy")
    finance = signed_in(Role.FINANCE_OFFICER)
    page, upload = post_file(finance, ["2025-26-Q2,Economy,Growth,1000000,lots,1000000,"])
    text = page.content.decode()
    assert "nothing has been saved" in text
    assert "Row 2, column &#x27;current_budget&#x27;: &#x27;lots&#x27; is not an amount" in text
    refused = finance.post(reverse("resources:upload_confirm", args=[upload.pk]))
    assert refused.status_code == 400
    assert FinanceReturn.objects.count() == 0


def test_an_unreadable_file_says_why_on_the_upload_page(quarter) -> None:
    finance = signed_in(Role.FINANCE_OFFICER)
    file = SimpleUploadedFile("ledger.csv", b"\xff\xfe not text", content_type="text/csv")
    response = finance.post(reverse("resources:upload"), {"file": file})
    page = finance.get(response["Location"])
    assert page.status_code == 400
    assert "The file is not UTF-8 text" in page.content.decode()


def test_nobody_decides_on_figures_they_uploaded(quarter) -> None:
    economy = factories.portfolio("economy")
    team_member = factories.user(Role.PERFORMANCE_TEAM)
    (own,) = quarter_saved(quarter, economy, team_member)
    client = Client()
    client.force_login(team_member)
    page = client.get(reverse("resources:return", args=[own.pk])).content.decode()
    assert "Approve the figures" not in page and "another member of the performance team" in page
    refused = client.post(reverse("resources:approve", args=[own.pk]), {"version": own.version})
    assert refused.status_code == 403
    own.refresh_from_db()
    assert own.status == "submitted"


def test_returning_figures_needs_a_note_and_a_stale_page_is_refused(quarter) -> None:
    economy = factories.portfolio("economy")
    (submitted,) = quarter_saved(quarter, economy, factories.user(Role.FINANCE_OFFICER))
    team = signed_in(Role.PERFORMANCE_TEAM)
    url = reverse("resources:return_back", args=[submitted.pk])
    no_note = team.post(url, {"version": submitted.version, "note": " "})
    assert no_note.status_code == 400
    assert "Say what needs correcting" in no_note.content.decode()
    stale = team.post(url, {"version": submitted.version - 1, "note": "Wrong year"})
    assert stale.status_code == 400
    assert "changed while you were looking at it" in stale.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    done = team.post(url, {"version": submitted.version, "note": "Wrong year"})
    assert done.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "returned" and submitted.return_note == "Wrong year"


def test_the_team_sets_the_threshold_and_a_bad_one_is_explained(quarter) -> None:
    team = signed_in(Role.PERFORMANCE_TEAM)
    url = reverse("resources:threshold")
    bad = team.post(url, {"financial_year": "2025", "amount": "", "percent": ""})
    assert bad.status_code == 400
    assert "Give an amount, a percentage, or both" in bad.content.decode()
    assert VarianceThreshold.objects.count() == 0
    good = team.post(url, {"financial_year": "2025", "amount": "250000", "percent": "2"})
    assert good.status_code == 302
    assert VarianceThreshold.objects.get().amount == Decimal("250000")
    finance = signed_in(Role.FINANCE_OFFICER)
    assert finance.post(url, {"financial_year": "2025", "amount": "1"}).status_code == 403


def test_the_template_has_a_sheet_per_kind_with_this_years_lines(quarter) -> None:
    economy = factories.portfolio("economy")
    earlier = factories.quarter(2025, 1, state="closed")
    quarter_saved(
        earlier,
        economy,
        factories.user(Role.FINANCE_OFFICER),
        revenue=[revenue(economy, "1000000", "1000000", service_line="Growth")],
        capital=[capital(economy, "C7", "500000", "100000", "500000")],
    )
    ReportingPeriod.objects.filter(pk=earlier.pk).update(state="published")
    finance = signed_in(Role.FINANCE_OFFICER)
    response = finance.get(reverse("resources:template", args=["xlsx"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Revenue", "Savings", "Capital", "Reserves"]
    revenue_rows = list(book["Revenue"].iter_rows(values_only=True))
    assert revenue_rows[1][:3] == ("2025-26-Q2", "Economy", "Growth")
    assert list(book["Capital"].iter_rows(values_only=True))[1][1] == "C7"
    # Filled in and uploaded again as it is, the template saves.
    file = SimpleUploadedFile("finance-2025-26-Q2.xlsx", response.content)
    posted = finance.post(reverse("resources:upload"), {"file": file})
    upload = FinanceUpload.objects.latest("pk")
    assert posted.status_code == 302 and upload.file_error == ""
    confirmed = finance.post(reverse("resources:upload_confirm", args=[upload.pk]))
    assert confirmed.status_code == 302
    assert RevenueLine.objects.filter(finance_return__period=quarter).count() == 1
