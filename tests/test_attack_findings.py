"""The holes an attack on a production-like copy found, each replayed with its exact input, then
the state of the database and of the pages after it (SECURITY.md, "What the attack found")."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from core.spreadsheet_writer import write_csv
from measures import services
from measures.models import Reading, ReadingEvent, ReadingUpload
from measures.services import ReadingInput, reading_save, reading_submit
from measures.services.uploads import COLUMNS
from portfolios.models import ScrutinyCommittee
from reports.models import ReportRun
from tests import factories as make

pytestmark = pytest.mark.django_db
RETURNS = reverse("measures:returns")
HEADER = ",".join(COLUMNS[:6]) + "\n"


def signed_in(role: Role, person: User | None = None) -> tuple[Client, User]:
    person = person or make.user(role)
    client = Client()
    client.force_login(person)
    return client, person


def row_data(code: str, version: int = 0, **fields: str) -> dict[str, str]:
    data = {
        "value": "",
        "numerator": "",
        "denominator": "",
        "data_quality": "provisional",
        "commentary": "",
        "corrective_action": "",
        "version": str(version),
        **fields,
    }
    return {f"{code}-{name}": value for name, value in data.items()}


def upload(client: Client, name: str, content: bytes) -> tuple[int, str, ReadingUpload]:
    response = client.post(reverse("measures:upload"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"])
    return page.status_code, page.content.decode(), ReadingUpload.objects.latest("pk")


def confirm(client: Client, record: ReadingUpload):
    return client.post(reverse("measures:upload_confirm", args=[record.pk]))


@pytest.fixture
def scene():
    """An officer with a rate indicator in an open quarter, and the pages they and others use."""
    officer = make.user(Role.OFFICER)
    period = make.quarter(2026, 3)
    indicator = make.indicator(owner=officer, unit="percentage", decimal_places=1)
    return {"officer": officer, "period": period, "indicator": indicator}


def every_page_answers(scene: dict) -> None:
    """The pages that answered 500 after the bad number was saved, as the officer and others."""
    officer_client, _ = signed_in(Role.OFFICER, scene["officer"])
    team, _ = signed_in(Role.PERFORMANCE_TEAM)
    councillor, _ = signed_in(Role.COUNCILLOR)
    period = scene["period"].code
    for client, url in (
        (officer_client, f"{RETURNS}?period={period}"),
        (councillor, reverse("dashboards:plan") + f"?period={period}"),
        (councillor, reverse("dashboards:portfolio", args=["economy"]) + f"?period={period}"),
        (team, reverse("measures:completion") + f"?period={period}"),
        (councillor, reverse("measures:indicator", args=[scene["indicator"].code])),
    ):
        assert client.get(url).status_code == 200, url


# --- 1. One number that broke every page ---------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("5,1234567890123,7", "column &#x27;numerator&#x27;: Enter a number smaller than"),
        ("5,7,99999999999999", "column &#x27;denominator&#x27;: Enter a number smaller than"),
        ("1e999999999,,", "&#x27;1e999999999&#x27; is not a number"),
    ],
)
def test_a_number_too_big_for_the_database_is_refused_in_the_upload(scene, cells, message) -> None:
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    line = f"{scene['indicator'].code},x,2026-27-Q3,{cells}\n"
    status, page, record = upload(client, "returns.csv", (HEADER + line).encode())
    assert status == 200
    assert message in page
    assert confirm(client, record).status_code == 400
    assert not Reading.objects.exists()
    every_page_answers(scene)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "5", "numerator": "1234567890123", "denominator": "7"}, "smaller than"),
        ({"value": "5", "numerator": "7", "denominator": "99999999999999"}, "smaller than"),
        ({"value": "1e999999999"}, "The value must be a number"),
    ],
)
def test_a_number_too_big_for_the_database_is_refused_in_the_form(scene, fields, message) -> None:
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    data = {**row_data(scene["indicator"].code, **fields), "action": "save"}
    response = client.post(f"{RETURNS}?period=2026-27-Q3", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Reading.objects.exists()
    every_page_answers(scene)


def test_the_largest_number_the_database_holds_is_saved_and_every_page_shows_it(scene) -> None:
    count = make.indicator(owner=scene["officer"])
    make.draft(count, scene["period"], "999999999999", scene["officer"])
    assert Reading.objects.get().value == Decimal("999999999999")
    every_page_answers(scene)


def test_the_service_refuses_a_huge_number_whoever_calls_it(scene) -> None:
    with pytest.raises(services.ReadingsRefused) as refused:
        reading_save(
            indicator=scene["indicator"],
            period=scene["period"],
            data=ReadingInput(
                value=Decimal("1e999999999"), numerator=Decimal(1), denominator=Decimal(2)
            ),
            by=scene["officer"],
            expected_version=0,
        )
    [problems] = refused.value.by_reading.values()
    assert problems["value"] == ["Enter a number smaller than 1,000,000,000,000"]
    assert not Reading.objects.exists()


# --- 2. An edit lost when the reading did not exist yet ------------------------------------


def test_a_second_first_save_from_an_empty_form_is_a_conflict_and_loses_nothing(scene) -> None:
    code = scene["indicator"].code
    delegate = make.user(Role.OFFICER)
    scene["indicator"].delegates.add(delegate)
    officer, _ = signed_in(Role.OFFICER, scene["officer"])
    colleague, _ = signed_in(Role.OFFICER, delegate)
    url = f"{RETURNS}?period=2026-27-Q3"

    first = officer.post(url, {**row_data(code, value="11.1", commentary="Mine"), "action": "save"})
    second = colleague.post(url, {**row_data(code, value="22.2"), "action": "save"})

    assert first.status_code == 302
    assert second.status_code == 200
    assert "changed by someone else" in second.content.decode()
    reading = Reading.objects.get()
    assert (reading.value, reading.commentary, reading.version) == (Decimal("11.1"), "Mine", 1)
    assert reading.events.count() == 1


def test_a_confirmed_upload_never_overwrites_a_change_made_after_its_preview(scene) -> None:
    code = scene["indicator"].code
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    _, page, record = upload(
        client, "returns.csv", (HEADER + f"{code},x,2026-27-Q3,33.3,,\n").encode()
    )
    assert "1 new" in page
    make.draft(scene["indicator"], scene["period"], "44.4", make.user(Role.PERFORMANCE_TEAM))

    response = confirm(client, record)

    assert response.status_code == 400
    assert "was changed by someone else after you uploaded this file" in response.content.decode()
    assert Reading.objects.get().value == Decimal("44.4")
    assert ReadingEvent.objects.count() == 1


# --- 3. A 5 KB spreadsheet that stalled the site ---------------------------------------------


def _sheet(cells: dict[str, object], *, dimension: str, far_row: int = 0) -> bytes:
    """An XLSX in the template's columns with these cells, declaring this <dimension>, and
    with one more cell written straight into the XML at `far_row` (as an attacker would: Excel
    and openpyxl stop at row 1,048,576, a parser does not)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for column, name in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=column, value=name)
    for ref, value in cells.items():
        sheet[ref] = value
    buffer, rewritten = io.BytesIO(), io.BytesIO()
    workbook.save(buffer)
    far = (
        f'<row r="{far_row}"><c r="A{far_row}" t="inlineStr"><is><t>x</t></is></c></row>'
        if far_row
        else ""
    )
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(rewritten, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data
                )
                data = data.replace(b"</sheetData>", far.encode() + b"</sheetData>")
            copy.writestr(item, data)
    return rewritten.getvalue()


def test_an_xlsx_with_one_cell_at_row_ten_million_is_refused_without_reading_its_rows(
    scene,
) -> None:
    cells = {"A2": scene["indicator"].code, "C2": "2026-27-Q3", "D2": 5}
    # The file's own dimension hides the far cell, so only the rows themselves can tell.
    content = _sheet(cells, dimension="A1:I2", far_row=10_000_000)
    assert len(content) < 10_000
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    status, page, record = upload(client, "returns.xlsx", content)
    assert status == 400
    assert "has rows beyond row 21,001" in page
    assert "at most 20,000 readings can be uploaded" in page
    assert record.rows == []
    assert not Reading.objects.exists()


def test_an_xlsx_that_declares_ten_million_rows_is_refused(scene) -> None:
    cells = {"A2": scene["indicator"].code, "C2": "2026-27-Q3", "D2": 5}
    content = _sheet(cells, dimension="A1:I10000000")
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    status, page, _ = upload(client, "returns.xlsx", content)
    assert status == 400
    assert "says its sheet runs to row 10,000,000" in page


def test_an_xlsx_within_the_limits_is_read(scene) -> None:
    cells = {"A2": scene["indicator"].code, "C2": "2026-27-Q3", "D2": 5, "A900": ""}
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    status, page, record = upload(client, "returns.xlsx", _sheet(cells, dimension="A1:I900"))
    assert (status, "1 new" in page) == (200, True)
    assert confirm(client, record).status_code == 302


def test_a_csv_that_goes_on_past_the_row_limit_is_refused(scene, settings) -> None:
    settings.UPLOAD_MAX_ROWS = 5
    line = f"{scene['indicator'].code},x,2026-27-Q3,5,,\n"
    content = (HEADER + line + "\n" * 2000 + line).encode()
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    status, page, _ = upload(client, "returns.csv", content)
    assert status == 400
    assert "goes on past row 1,006" in page


def test_a_preview_is_never_read_from_the_file_again(scene, monkeypatch) -> None:
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    line = f"{scene['indicator'].code},x,2026-27-Q3,5,,\n"
    _, _, record = upload(client, "returns.csv", (HEADER + line).encode())

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr("measures.services.uploads.read_upload", refuse)
    for _ in range(3):
        assert (
            "1 new"
            in client.get(reverse("measures:upload_preview", args=[record.pk])).content.decode()
        )
    assert confirm(client, record).status_code == 302
    assert Reading.objects.get().value == Decimal(5)


# --- 4. Four eyes that could be one pair --------------------------------------------------


def test_whoever_changed_a_readings_figures_cannot_approve_it(scene) -> None:
    editor = make.user(Role.PERFORMANCE_TEAM)
    other = make.user(Role.PERFORMANCE_TEAM)
    make.draft(scene["indicator"], scene["period"], "50.0", scene["officer"])
    changed = make.draft(scene["indicator"], scene["period"], "55.5", editor)
    submitted = reading_submit(reading=changed, by=scene["officer"], expected_version=2)
    client, _ = signed_in(Role.PERFORMANCE_TEAM, editor)

    page = client.post(
        reverse("measures:approvals"),
        {"reading": [submitted.pk], "action": "approve", f"version-{submitted.pk}": "3"},
    ).content.decode()

    assert "You entered or changed this reading" in page
    assert Reading.objects.get().status == "submitted"
    services.reading_approve(reading=submitted, by=other, expected_version=3)
    assert Reading.objects.get().status == "approved"


def test_the_performance_teams_submit_sends_only_the_drafts_they_entered(scene) -> None:
    theirs = make.draft(scene["indicator"], scene["period"], "50.0", scene["officer"])
    team_member = make.user(Role.PERFORMANCE_TEAM)
    own = make.indicator()
    client, _ = signed_in(Role.PERFORMANCE_TEAM, team_member)
    page = client.get(f"{RETURNS}?period=2026-27-Q3").content.decode()
    assert f'id="chosen-{scene["indicator"].code}"' not in page  # not offered to submit
    data = {
        **row_data(scene["indicator"].code, version=1, value="50.0"),
        **row_data(own.code, value="7"),
        "action": "submit",
        "chosen": [own.code],
    }
    response = client.post(f"{RETURNS}?period=2026-27-Q3", data)
    assert response.status_code == 302
    mine = Reading.objects.get(indicator=own)
    assert client.post(response["Location"], {f"version-{mine.pk}": "1"}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == "draft"
    assert Reading.objects.get(indicator=own).status == "submitted"


# --- 5. Server errors instead of answers --------------------------------------------------


@pytest.mark.parametrize("per_page", ["-1", "0", "abc", "99999999999999", "1e3"])
def test_a_strange_page_size_is_ignored_not_a_server_error(scene, client, per_page) -> None:
    scene["period"].state = "published"
    scene["period"].save()
    for url in (reverse("dashboards:plan"), reverse("dashboards:portfolio", args=["economy"])):
        response = client.get(url, {"per_page": per_page, "page": "-3"})
        assert response.status_code == 200, url


@pytest.mark.parametrize("version", ["abc", "", "1e3", "9" * 5000, "-1"])
def test_a_mangled_version_in_the_approval_queue_is_refused_with_a_message(scene, version) -> None:
    reading = reading_submit(
        reading=make.draft(scene["indicator"], scene["period"], "5.0", scene["officer"]),
        by=scene["officer"],
        expected_version=1,
    )
    client, _ = signed_in(Role.PERFORMANCE_TEAM)
    response = client.post(
        reverse("measures:approvals"),
        {"reading": [reading.pk], "action": "approve", f"version-{reading.pk}": version},
    )
    assert response.status_code == 200
    assert "this page was out of date" in response.content.decode()
    assert Reading.objects.get().status == "submitted"


@pytest.mark.parametrize("fmt", ["csv%0d%0aX:1", 'x";%20filename="evil.html', "html", "CSV"])
def test_a_download_name_never_comes_from_the_url(scene, fmt) -> None:
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    assert client.get(f"/returns/template.{fmt}").status_code == 404


def test_a_mangled_version_in_my_returns_is_a_row_error(scene) -> None:
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    data = {**row_data(scene["indicator"].code, value="5"), "action": "save"}
    data[f"{scene['indicator'].code}-version"] = "abc"
    response = client.post(f"{RETURNS}?period=2026-27-Q3", data)
    assert response.status_code == 200
    assert "This form is out of date" in response.content.decode()
    assert not Reading.objects.exists()


# --- 6. Numbers silently reinterpreted ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12,5", "use a full stop for decimals (12.5)"),
        ("45%", "a % sign is only for percentages"),
        ("£12", "a £ sign is only for amounts of money"),
        ("1_000", "The value must be a number, like 12 or 12.5"),
        ("1e3", "The value must be a number, like 12 or 12.5"),
        ("٣", "The value must be a number, like 12 or 12.5"),
    ],
)
def test_a_number_that_would_be_guessed_at_is_refused_on_a_count(scene, typed, message) -> None:
    count = make.indicator(owner=scene["officer"])
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    response = client.post(
        f"{RETURNS}?period=2026-27-Q3", {**row_data(count.code, value=typed), "action": "save"}
    )
    assert message in response.content.decode()
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    ("unit", "typed", "saved"),
    [
        ("count", "1,500", "1500"),
        ("percentage", "45%", "45"),
        ("score", "-2", "-2"),
        ("currency", "£1,200.50", "1200.50"),
        ("score", "\u22123", "-3"),
    ],
)
def test_numbers_written_as_people_write_them_are_still_read(scene, unit, typed, saved) -> None:
    indicator = make.indicator(owner=scene["officer"], unit=unit, decimal_places=2)
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    client.post(
        f"{RETURNS}?period=2026-27-Q3", {**row_data(indicator.code, value=typed), "action": "save"}
    )
    assert Reading.objects.get().value == Decimal(saved)


def test_a_numerator_with_more_places_than_the_database_keeps_is_refused(scene) -> None:
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    line = f"{scene['indicator'].code},x,2026-27-Q3,50.0,7.123456,14.24691\n"
    _, page, record = upload(client, "returns.csv", (HEADER + line).encode())
    assert "column &#x27;numerator&#x27;: Enter at most 4 decimal places" in page
    assert confirm(client, record).status_code == 400


def test_re_uploading_the_same_file_with_a_fraction_changes_nothing(scene) -> None:
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    content = (HEADER + f"{scene['indicator'].code},x,2026-27-Q3,50.0,7.5,15\n").encode()
    for _ in range(3):
        _, page, record = upload(client, "returns.csv", content)
        confirm(client, record)
    assert "0 new, 0 changed, 1 unchanged" in page
    assert Reading.objects.get().version == 1


# --- 7. Internal notes made public ---------------------------------------------------------


def test_a_return_note_is_kept_from_the_public_after_publication(scene, client) -> None:
    team, other = make.user(Role.PERFORMANCE_TEAM), make.user(Role.PERFORMANCE_TEAM)
    reading = reading_submit(
        reading=make.draft(
            scene["indicator"],
            scene["period"],
            "5.0",
            scene["officer"],
            commentary="Steady quarter",
        ),
        by=scene["officer"],
        expected_version=1,
    )
    note = "INTERNAL: figure looks wrong, check with J. Smith"
    reading = services.reading_return(reading=reading, by=team, note=note, expected_version=2)
    reading = services.reading_submit(reading=reading, by=scene["officer"], expected_version=3)
    services.reading_approve(reading=reading, by=other, expected_version=4)
    services.period_close(period=scene["period"], by=team)
    services.period_publish(period=scene["period"], by=team)
    url = reverse("measures:indicator", args=[scene["indicator"].code])

    public = client.get(url).content.decode()
    councillor, _ = signed_in(Role.COUNCILLOR)
    officer, _ = signed_in(Role.OFFICER, scene["officer"])

    assert "Steady quarter" in public and "J. Smith" not in public
    assert "J. Smith" not in councillor.get(url).content.decode()
    assert "J. Smith" in officer.get(url).content.decode()


# --- 8. Smaller findings --------------------------------------------------------------------


def test_a_person_with_history_cannot_be_deleted_so_who_made_each_change_is_kept(scene) -> None:
    make.draft(scene["indicator"], scene["period"], "5.0", scene["officer"])
    with pytest.raises(ProtectedError):
        scene["officer"].delete()
    assert ReadingEvent.objects.get().by == scene["officer"]


@pytest.mark.parametrize(
    ("commentary", "message"),
    [("x" * 100_000, "Enter at most 5,000 characters"), ("bad\x00byte", "control character")],
)
def test_the_upload_refuses_text_the_form_refuses(scene, commentary, message) -> None:
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    row = {
        "indicator_code": scene["indicator"].code,
        "period": "2026-27-Q3",
        "value": "5.0",
        "commentary": commentary,
    }
    _, page, record = upload(client, "returns.csv", write_csv([row], COLUMNS))
    assert message in page
    assert confirm(client, record).status_code == 400
    assert not Reading.objects.exists()


def test_uploads_are_purged_after_the_retention_period_and_the_record_stays(scene) -> None:
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    line = f"{scene['indicator'].code},x,2026-27-Q3,5,,\n"
    _, _, old = upload(client, "old.csv", (HEADER + line).encode())
    _, _, new = upload(client, "new.csv", (HEADER + line).encode())
    ReadingUpload.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=31))
    kept_as = str(old.file.name)
    assert kept_as.startswith("uploads/") and old.file.storage.exists(kept_as)

    assert services.uploads_purge(now=timezone.now()) == 1
    assert not old.file.storage.exists(kept_as)
    assert services.uploads_purge(now=timezone.now()) == 0

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.file.name, old.rows, old.filename) == ("", [], "old.csv")
    assert new.file.storage.exists(str(new.file.name))
    assert new.file.read() == (HEADER + line).encode()
    assert old.purged_at is not None and new.purged_at is None and new.rows
    page = client.get(reverse("measures:upload_preview", args=[old.pk]))
    assert page.status_code == 400 and "retention" in page.content.decode()


def test_signed_in_pages_and_exports_are_never_cached_and_public_ones_may_be(scene, client) -> None:
    officer, _ = signed_in(Role.OFFICER, scene["officer"])
    for url in (f"{RETURNS}?period=2026-27-Q3", "/returns/template.csv?period=2026-27-Q3"):
        assert "no-store" in officer.get(url)["Cache-Control"]
    assert "no-store" not in client.get(reverse("accessibility")).get("Cache-Control", "")


def test_asking_for_the_same_report_five_times_makes_it_once(scene, settings) -> None:
    committee = ScrutinyCommittee.objects.create(slug="c", name="C", position=1)
    team, _ = signed_in(Role.PERFORMANCE_TEAM)
    url = reverse("reports:list", args=["c"])
    data = {"period": scene["period"].code, "formats": ["csv"]}
    pages = [team.post(url, data, follow=True).content.decode() for _ in range(5)]
    assert ReportRun.objects.filter(committee=committee).count() == 1
    assert "has been requested" in pages[0]
    assert "is already being made" in pages[-1]


def test_one_person_can_ask_for_only_so_many_reports_an_hour(scene, settings) -> None:
    settings.REPORT_REQUESTS_PER_HOUR = 3
    committee = ScrutinyCommittee.objects.create(slug="c", name="C", position=1)
    team, person = signed_in(Role.PERFORMANCE_TEAM)
    url = reverse("reports:list", args=["c"])
    pages = [
        team.post(url, {"period": scene["period"].code, "formats": formats}, follow=True)
        for formats in (["csv"], ["xlsx"], ["pdf"], ["csv", "xlsx"])
    ]
    assert ReportRun.objects.filter(committee=committee, requested_by=person).count() == 3
    assert "You have asked for 3 reports in the last hour" in pages[-1].content.decode()


def test_a_busy_database_gets_a_try_again_page_not_a_server_error(scene, monkeypatch) -> None:
    def locked(**kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "returns_page_save", locked)
    client, _ = signed_in(Role.OFFICER, scene["officer"])
    response = client.post(
        f"{RETURNS}?period=2026-27-Q3",
        {**row_data(scene["indicator"].code, value="5.0"), "action": "save"},
    )
    assert response.status_code == 503
    assert "Nothing you sent has been saved" in response.content.decode()
    assert response["Retry-After"] == "5"
    assert not Reading.objects.exists()
