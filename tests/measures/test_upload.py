"""Bulk upload: preview every row, save all or nothing, no duplicates, limits before parsing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.roles import Role
from core.spreadsheet_writer import write_csv, write_xlsx
from measures.models import Reading, ReadingUpload
from measures.services import reading_approve, reading_submit
from measures.services.uploads import COLUMNS
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client: Client):
    officer = make.user(Role.OFFICER)
    client.force_login(officer)
    return client, officer


def csv_file(rows: list[dict[str, object]], name: str = "returns.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_csv(rows, COLUMNS), content_type="text/csv")


def row(code: str, value: object, period: str = "2025-26-Q2", **extra: object) -> dict[str, object]:
    return {"indicator_code": code, "period": period, "value": value, **extra}


def upload(client: Client, file: SimpleUploadedFile):
    response = client.post(reverse("measures:upload"), {"file": file})
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"]), ReadingUpload.objects.latest("pk")


def test_the_preview_lists_each_rows_fate_and_saves_nothing(officer_client) -> None:
    client, officer = officer_client
    period = make.quarter()
    first, second = make.indicator(owner=officer), make.indicator(owner=officer)
    make.draft(second, period, "5", officer)
    page, _ = upload(client, csv_file([row(first.code, 10), row(second.code, 6)]))
    text = page.content.decode()
    assert "1 new, 1 changed, 0 unchanged, 0 left blank, 0 with errors" in text
    assert Reading.objects.get(indicator=second).value == Decimal(5)
    assert not Reading.objects.filter(indicator=first).exists()


def test_confirming_saves_every_row_and_confirming_again_saves_nothing_more(officer_client) -> None:
    client, officer = officer_client
    make.quarter()
    indicator = make.indicator(owner=officer)
    _, record = upload(client, csv_file([row(indicator.code, 10, commentary="Steady")]))
    confirm = reverse("measures:upload_confirm", args=[record.pk])
    assert client.post(confirm).status_code == 302
    reading = Reading.objects.get()
    assert (reading.value, reading.commentary, reading.version) == (Decimal(10), "Steady", 1)
    assert reading.events.get().action == "uploaded"
    client.post(confirm)  # the same upload confirmed twice
    _, again = upload(client, csv_file([row(indicator.code, 10, commentary="Steady")]))
    client.post(reverse("measures:upload_confirm", args=[again.pk]))  # the same file again
    assert Reading.objects.count() == 1
    assert Reading.objects.get().version == 1


def test_a_file_whose_last_row_is_bad_saves_nothing_and_names_row_and_column(
    officer_client,
) -> None:
    client, officer = officer_client
    make.quarter()
    good = [make.indicator(owner=officer) for _ in range(3)]
    rows = [row(i.code, n) for n, i in enumerate(good, start=1)] + [
        row(good[0].code, "lots", period="2025-26-Q3")
    ]
    page, record = upload(client, csv_file(rows))
    text = page.content.decode()
    assert "Row 5, column &#x27;value&#x27;: &#x27;lots&#x27; is not a number" in text
    assert "Row 5, column &#x27;period&#x27;: there is no reporting period" in text
    assert "Save these readings" not in text
    response = client.post(reverse("measures:upload_confirm", args=[record.pk]))
    assert response.status_code == 400
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    ("make_row", "message"),
    [
        (lambda i, other: row("NOPE", 1), "there is no indicator &#x27;NOPE&#x27;"),
        (lambda i, other: row(other.code, 1), "is neither yours nor delegated to you"),
        (lambda i, other: row(i.code, -4), "Enter a whole number of 0 or more"),
        (lambda i, other: row(i.code, 1, data_quality="guess"), "&#x27;guess&#x27; is not one of"),
        (lambda i, other: row(i.code, 1, period="2019-20-Q1"), "there is no reporting period"),
        (
            lambda i, other: row(i.code, "", corrective_action="Chasing the data"),
            "enter a value, or leave it blank and explain why",
        ),
    ],
)
def test_each_kind_of_bad_row_gets_its_own_message(officer_client, make_row, message) -> None:
    client, officer = officer_client
    make.quarter()
    mine, theirs = make.indicator(owner=officer), make.indicator(owner=make.user(Role.OFFICER))
    page, _ = upload(client, csv_file([make_row(mine, theirs)]))
    assert message in page.content.decode()
    assert not Reading.objects.exists()


def test_the_same_reading_twice_in_one_file_is_refused(officer_client) -> None:
    client, officer = officer_client
    make.quarter()
    indicator = make.indicator(owner=officer)
    page, _ = upload(client, csv_file([row(indicator.code, 1), row(indicator.code, 2)]))
    assert "is already in row 2" in page.content.decode()


def test_a_closed_period_is_refused(officer_client) -> None:
    client, officer = officer_client
    make.quarter(state="closed")
    page, _ = upload(client, csv_file([row(make.indicator(owner=officer).code, 1)]))
    assert "is closed: only open periods take readings" in page.content.decode()


def test_an_xlsx_file_in_the_template_format_is_read(officer_client) -> None:
    client, officer = officer_client
    make.quarter()
    indicator = make.indicator(owner=officer)
    content = write_xlsx([row(indicator.code, Decimal(7))], COLUMNS, sheet_title="Returns")
    _, record = upload(client, SimpleUploadedFile("returns.xlsx", content))
    client.post(reverse("measures:upload_confirm", args=[record.pk]))
    assert Reading.objects.get().value == Decimal(7)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(officer_client, settings) -> None:
    client, _ = officer_client
    settings.UPLOAD_MAX_BYTES = 1000
    response = client.post(
        reverse("measures:upload"), {"file": SimpleUploadedFile("big.csv", b"x" * 5000)}
    )
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert not ReadingUpload.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"%PDF", "Upload a .csv or .xlsx file"),
        ("returns.xlsx", b"not a zip", "is not a valid Excel file"),
        (
            "returns.csv",
            b"indicator_code,period\nA,2025-26-Q2\n",
            "has no &#x27;value&#x27; column",
        ),
        (
            "returns.csv",
            b"indicator_code,period,value\n" + "é".encode("latin-1"),
            "not UTF-8",
        ),
    ],
)
def test_a_malformed_file_gets_a_specific_message(officer_client, name, content, message) -> None:
    client, _ = officer_client
    page, _ = upload(client, SimpleUploadedFile(name, content))
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not Reading.objects.exists()


def test_another_officers_upload_cannot_be_seen_or_confirmed(officer_client) -> None:
    client, officer = officer_client
    make.quarter()
    _, record = upload(client, csv_file([row(make.indicator(owner=officer).code, 1)]))
    other = Client()
    other.force_login(make.user(Role.OFFICER))
    assert other.get(reverse("measures:upload_preview", args=[record.pk])).status_code == 404
    assert other.post(reverse("measures:upload_confirm", args=[record.pk])).status_code == 404
    assert not Reading.objects.exists()


def test_the_template_download_round_trips_through_upload(officer_client) -> None:
    client, officer = officer_client
    period = make.quarter()
    indicator = make.indicator(owner=officer, title='=HYPERLINK("x")')
    make.draft(indicator, period, "3", officer, commentary="+1 since last quarter")
    for fmt in ("csv", "xlsx"):
        response = client.get(
            reverse("measures:returns_template", args=[fmt]), {"period": period.code}
        )
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="returns-2025-26-Q2.{fmt}"'
        content = b"".join(response.streaming_content) if response.streaming else response.content
        page, _ = upload(client, SimpleUploadedFile(f"returns.{fmt}", content))
        text = page.content.decode()
        assert "0 new, 0 changed, 1 unchanged, 0 left blank, 0 with errors" in text, text[:3000]
    csv_text = client.get(reverse("measures:returns_template", args=["csv"])).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in csv_text and "'+1 since last quarter" in csv_text


def test_the_untouched_download_uploads_cleanly_whatever_its_rows_hold(officer_client) -> None:
    """The round trip as an officer makes it mid-quarter: one reading submitted, one approved,
    one draft and one not started, downloaded and uploaded again as it is."""
    client, officer = officer_client
    period = make.quarter()
    team = make.user(Role.PERFORMANCE_TEAM)
    submitted, approved, drafted, untouched = (make.indicator(owner=officer) for _ in range(4))
    for indicator, value in ((submitted, "4"), (approved, "7")):
        reading_submit(
            reading=make.draft(indicator, period, value, officer, commentary="Noted"),
            by=officer,
            expected_version=1,
        )
    reading_approve(reading=Reading.objects.get(indicator=approved), by=team, expected_version=2)
    make.draft(drafted, period, "12", officer)
    download = client.get(
        reverse("measures:returns_template", args=["csv"]), {"period": period.code}
    )
    content = b"".join(download.streaming_content) if download.streaming else download.content
    page, record = upload(client, SimpleUploadedFile("returns.csv", content))
    text = page.content.decode()
    assert "0 new, 0 changed, 3 unchanged, 1 left blank, 0 with errors" in text, text[:2000]
    assert "Left blank: nothing saved" in text and "problem" not in text
    before = list(Reading.objects.order_by("pk").values_list("pk", "version", "status"))
    saved = client.post(reverse("measures:upload_confirm", args=[record.pk]), follow=True)
    assert "0 reading(s) saved as drafts from returns.csv; 3 unchanged; 1 left blank." in (
        saved.content.decode()
    )
    assert list(Reading.objects.order_by("pk").values_list("pk", "version", "status")) == before
    assert not Reading.objects.filter(indicator=untouched).exists()


def test_changing_a_submitted_reading_in_the_file_is_still_refused(officer_client) -> None:
    client, officer = officer_client
    period = make.quarter()
    indicator = make.indicator(owner=officer)
    reading_submit(
        reading=make.draft(indicator, period, "4", officer), by=officer, expected_version=1
    )
    page, record = upload(client, csv_file([row(indicator.code, 5)]))
    assert "the reading is submitted, and this row changes it" in page.content.decode()
    assert client.post(reverse("measures:upload_confirm", args=[record.pk])).status_code == 400
    assert Reading.objects.get(indicator=indicator).value == Decimal(4)


def test_a_blank_row_keeps_the_saved_draft(officer_client) -> None:
    client, officer = officer_client
    period = make.quarter()
    indicator = make.indicator(owner=officer)
    make.draft(indicator, period, "9", officer)
    page, record = upload(client, csv_file([row(indicator.code, "", data_quality="final")]))
    assert "Left blank: nothing saved, the saved reading is kept" in page.content.decode()
    client.post(reverse("measures:upload_confirm", args=[record.pk]))
    assert Reading.objects.get(indicator=indicator).value == Decimal(9)


def test_the_preview_shows_the_value_read_what_is_saved_and_the_period_before(
    officer_client,
) -> None:
    client, officer = officer_client
    earlier, period = make.quarter(2025, 1), make.quarter(2025, 2)
    indicator = make.indicator(owner=officer, unit="percentage", decimal_places=1)
    make.draft(indicator, earlier, "41.5", officer)
    make.draft(indicator, period, "43", officer)
    page, _ = upload(client, csv_file([row(indicator.code, "44.2")]))
    text = page.content.decode()
    cell = re.compile(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', re.S)
    cell = re.compile(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', re.S)
    cells = [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in cell.findall(text)]
    assert cells[3] == "44.2%", cells
    assert cells[4].startswith("43.0%") and "Draft" in cells[4]
    assert cells[5].startswith("41.5%") and "2025/26 Q1" in cells[5]
    assert cells[6] == "Updates the draft"


def test_the_period_before_skips_a_quarter_never_reported(officer_client) -> None:
    client, officer = officer_client
    make.quarter(2025, 1, state="closed")
    make.quarter(2025, 2, state="closed")
    make.quarter(2025, 3)
    indicator = make.indicator(owner=officer)
    Reading.objects.create(indicator=indicator, period=make.quarter(2025, 1), value=12)
    page, _ = upload(client, csv_file([row(indicator.code, 15, period="2025-26-Q3")]))
    text = page.content.decode()
    assert re.search(r">\s*12\s*<span[^>]*>2025/26 Q1</span>", text), text[-4000:]
