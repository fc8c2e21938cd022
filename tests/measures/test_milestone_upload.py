"""Milestone updates in the officer's upload: a second sheet of the workbook (rows of their own in
a CSV), the same preview, and one all-or-nothing save with the readings."""

from __future__ import annotations

import html
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from core.spreadsheet_writer import Sheet, write_csv, write_xlsx_sheets
from measures.models import MilestoneUpdate, MilestoneUpdateEvent, Reading, ReadingUpload
from measures.services import milestone_upload
from measures.services.milestone_upload import MILESTONE_COLUMNS
from measures.services.milestones import MilestoneInput, milestone_ref, milestone_update_save
from measures.services.uploads import COLUMNS, TABLE_COLUMNS
from measures.validation import TEXT_LIMIT
from tests import factories as make

pytestmark = pytest.mark.django_db
PERIOD = "2025-26-Q2"


@pytest.fixture
def officer_client(client: Client):
    officer = make.user(Role.OFFICER)
    client.force_login(officer)
    make.quarter(2025, 2)
    return client, officer


def reading_row(code: str, value: object) -> dict[str, object]:
    return {"indicator_code": code, "period": PERIOD, "value": value}


def milestone_row(milestone, status: str = "On track", **extra: object) -> dict[str, object]:
    ref = milestone if isinstance(milestone, str) else milestone_ref(milestone)
    return {"milestone_ref": ref, "period": PERIOD, "delivery_status": status, **extra}


def workbook(readings: list[dict], milestones: list[dict]) -> SimpleUploadedFile:
    content = write_xlsx_sheets(
        [Sheet("Returns", COLUMNS, readings), Sheet("Milestones", MILESTONE_COLUMNS, milestones)]
    )
    return SimpleUploadedFile("returns.xlsx", content)


def upload(client: Client, file: SimpleUploadedFile) -> tuple[str, ReadingUpload]:
    response = client.post(reverse("measures:upload"), {"file": file})
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"])
    return html.unescape(page.content.decode()), ReadingUpload.objects.latest("pk")


def confirm(client: Client, record: ReadingUpload):
    return client.post(reverse("measures:upload_confirm", args=[record.pk]), follow=True)


def download(client: Client, fmt: str) -> bytes:
    response = client.get(reverse("measures:returns_template", args=[fmt]), {"period": PERIOD})
    assert response.status_code == 200
    return response.content


def test_a_workbook_with_both_sheets_saves_readings_and_updates_as_uploaded(
    officer_client,
) -> None:
    client, officer = officer_client
    indicator, milestone = make.indicator(owner=officer), make.milestone(officer)
    slipped = make.milestone(officer)
    file = workbook(
        [reading_row(indicator.code, 12)],
        [
            milestone_row(milestone, "On track", progress_note="Contractor on site"),
            milestone_row(
                slipped,
                "slipped",
                progress_note="Planning delayed",
                revised_date="31/03/2026",
                reason="Planning committee deferred",
                corrective_action="Resubmitted in October",
            ),
        ],
    )
    page, record = upload(client, file)
    assert "Milestone updates: 2 rows. 2 new, 0 changed" in page
    assert "Slipped, revised date 31 March 2026" in page
    assert not MilestoneUpdate.objects.exists()  # the preview saves nothing
    saved = html.unescape(confirm(client, record).content.decode())
    assert "1 reading(s) saved as drafts from returns.xlsx" in saved
    assert "2 milestone update(s) saved as drafts; 0 unchanged; 0 left blank." in saved
    assert Reading.objects.get().value == Decimal(12)
    on_track = MilestoneUpdate.objects.get(milestone=milestone)
    assert (on_track.delivery_status, on_track.progress_note, on_track.status) == (
        "on_track",
        "Contractor on site",
        "draft",
    )
    moved = MilestoneUpdate.objects.get(milestone=slipped)
    assert (moved.revised_date, moved.reason) == (date(2026, 3, 31), "Planning committee deferred")
    assert set(MilestoneUpdateEvent.objects.values_list("action", "note")) == {
        ("uploaded", "Milestones sheet, row 2 of an uploaded file"),
        ("uploaded", "Milestones sheet, row 3 of an uploaded file"),
    }
    assert Reading.objects.get().events.get().action == "uploaded"
    assert ReadingUpload.objects.get().rows_saved == 3


def test_a_csv_carries_milestone_updates_as_rows_of_their_own(officer_client) -> None:
    client, officer = officer_client
    indicator, milestone = make.indicator(owner=officer), make.milestone(officer)
    rows = [
        reading_row(indicator.code, 5),
        milestone_row(milestone, "AT_RISK", revised_date="2025-12-31", reason="Supplier late"),
    ]
    content = write_csv(rows, TABLE_COLUMNS)
    page, record = upload(client, SimpleUploadedFile("returns.csv", content))
    assert "1 new, 0 changed, 0 unchanged, 0 left blank, 0 with errors" in page
    assert "Milestone updates: 1 row. 1 new" in page
    confirm(client, record)
    update = MilestoneUpdate.objects.get()
    assert (update.delivery_status, update.revised_date) == ("at_risk", date(2025, 12, 31))
    assert update.events.get().note == "Row 3 of an uploaded file"
    assert Reading.objects.get().value == Decimal(5)


def test_a_real_date_cell_and_any_spelling_of_a_status_are_read(officer_client) -> None:
    client, officer = officer_client
    first, second = make.milestone(officer), make.milestone(officer)
    file = workbook(
        [],
        [
            milestone_row(first, "ON TRACK", revised_date=date(2025, 11, 30)),
            milestone_row(second, "not_started"),
        ],
    )
    _, record = upload(client, file)
    confirm(client, record)
    assert MilestoneUpdate.objects.get(milestone=first).revised_date == date(2025, 11, 30)
    assert MilestoneUpdate.objects.get(milestone=second).delivery_status == "not_started"


@pytest.mark.parametrize(
    ("make_row", "message"),
    [
        (
            lambda mine, theirs: milestone_row(mine, revised_date="31/02/2025"),
            "Milestones sheet, row 2, column 'revised_date': '31/02/2025' is not a date: "
            "write it like 2025-09-30 or 30/09/2025",
        ),
        (
            lambda mine, theirs: milestone_row(mine, "Going well"),
            "Milestones sheet, row 2, column 'delivery_status': 'Going well' is not one of: "
            "complete, on track, at risk, slipped, not started, cancelled",
        ),
        (
            lambda mine, theirs: milestone_row(theirs),
            "Milestones sheet, row 2, column 'milestone_ref': {theirs} (Scheme",
        ),
        (
            lambda mine, theirs: milestone_row(theirs),
            "is neither yours nor delegated to you",
        ),
        (
            lambda mine, theirs: milestone_row(mine, progress_note="x" * (TEXT_LIMIT + 1)),
            "Milestones sheet, row 2, column 'progress_note': Enter at most 5,000 characters",
        ),
        (
            lambda mine, theirs: milestone_row(mine, revised_date="2025-06-30"),
            "Milestones sheet, row 2, column 'reason': The revised date is before the original "
            "date (30 September 2025): say why it was brought forward",
        ),
        (
            lambda mine, theirs: milestone_row("MS-999999"),
            "Milestones sheet, row 2, column 'milestone_ref': there is no milestone 'MS-999999'",
        ),
        (
            lambda mine, theirs: milestone_row("Weir Mill"),
            "Milestones sheet, row 2, column 'milestone_ref': 'Weir Mill' is not a milestone "
            "reference: use one like MS-12",
        ),
    ],
)
def test_each_bad_milestone_row_is_named_and_nothing_at_all_is_saved(
    officer_client, make_row, message
) -> None:
    client, officer = officer_client
    indicator, mine = make.indicator(owner=officer), make.milestone(officer)
    theirs = make.milestone(make.user(Role.OFFICER))
    message = message.replace("{theirs}", milestone_ref(theirs))
    page, record = upload(
        client, workbook([reading_row(indicator.code, 3)], [make_row(mine, theirs)])
    )
    assert message in page
    assert "nothing has been saved" in page and "Save these readings" not in page
    assert confirm(client, record).status_code == 400
    assert not Reading.objects.exists() and not MilestoneUpdate.objects.exists()


def test_the_same_milestone_twice_is_refused(officer_client) -> None:
    client, officer = officer_client
    milestone = make.milestone(officer)
    page, record = upload(
        client, workbook([], [milestone_row(milestone), milestone_row(milestone, "slipped")])
    )
    assert (
        f"Milestones sheet, row 3, column 'milestone_ref': {milestone_ref(milestone)} for "
        f"{PERIOD} is already in milestones sheet, row 2"
    ) in page
    assert confirm(client, record).status_code == 400
    assert not MilestoneUpdate.objects.exists()


def test_a_reading_row_that_gives_a_delivery_status_is_refused(officer_client) -> None:
    client, officer = officer_client
    indicator = make.indicator(owner=officer)
    rows = [{**reading_row(indicator.code, 4), "delivery_status": "On track"}]
    page, _ = upload(client, SimpleUploadedFile("r.csv", write_csv(rows, TABLE_COLUMNS)))
    assert "Row 2, column 'delivery_status': a reading's row has no delivery_status" in page


def test_a_milestone_row_with_a_value_is_refused(officer_client) -> None:
    client, officer = officer_client
    rows = [{**milestone_row(make.milestone(officer)), "value": "7"}]
    page, _ = upload(client, SimpleUploadedFile("r.csv", write_csv(rows, TABLE_COLUMNS)))
    assert "Row 2, column 'value': a milestone update's row has no value" in page


def test_an_update_changed_after_the_upload_is_refused_and_keeps_their_change(
    officer_client,
) -> None:
    client, officer = officer_client
    indicator, milestone = make.indicator(owner=officer), make.milestone(officer)
    delegate = make.user(Role.OFFICER)
    milestone.delegates.add(delegate)
    _, record = upload(
        client,
        workbook([reading_row(indicator.code, 8)], [milestone_row(milestone, "complete")]),
    )
    make.milestone_draft(milestone, make.quarter(), delegate, progress_note="Theirs")
    page = html.unescape(confirm(client, record).content.decode())
    assert "was changed by someone else after you uploaded this file" in page
    assert not Reading.objects.exists()
    update = MilestoneUpdate.objects.get()
    assert (update.progress_note, update.version) == ("Theirs", 1)


def test_a_milestone_refused_as_it_is_saved_undoes_the_readings_too(
    officer_client, monkeypatch
) -> None:
    """Someone saves the same update in the moment between the final check and the save."""
    client, officer = officer_client
    indicator, milestone = make.indicator(owner=officer), make.milestone(officer)
    _, record = upload(
        client, workbook([reading_row(indicator.code, 8)], [milestone_row(milestone)])
    )
    save = milestone_upload.milestone_updates_save

    def racing_save(**kwargs):
        milestone_update_save(
            milestone=milestone,
            period=make.quarter(),
            data=MilestoneInput("slipped", reason="Theirs"),
            by=make.user(Role.PERFORMANCE_TEAM),
            expected_version=0,
        )
        return save(**kwargs)

    monkeypatch.setattr(milestone_upload, "milestone_updates_save", racing_save)
    page = html.unescape(confirm(client, record).content.decode())
    assert "Milestones sheet, row 2: The update of" in page
    assert "was changed by someone else while you were editing it" in page
    assert not Reading.objects.exists()
    # The racing save shares this test's connection, so it is undone with the rest.
    assert not MilestoneUpdate.objects.exists()
    assert ReadingUpload.objects.get().confirmed_at is None


def test_the_workbook_download_has_a_milestones_sheet_of_the_officers_own(
    officer_client,
) -> None:
    client, officer = officer_client
    period = make.quarter()
    owned, drafted = make.milestone(officer), make.milestone(officer)
    make.milestone(make.user(Role.OFFICER))  # someone else's
    make.milestone(officer, status="complete")  # done when the plan was written: owes nothing
    make.milestone_draft(drafted, period, officer, status="at_risk", reason="Funding")
    book = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx")))
    assert book.sheetnames == ["Returns 2025-26-Q2", "Milestones"]
    rows = list(book["Milestones"].iter_rows(values_only=True))
    assert rows[0] == MILESTONE_COLUMNS
    by_ref = {row[0]: row for row in rows[1:]}
    assert set(by_ref) == {milestone_ref(owned), milestone_ref(drafted)}
    assert by_ref[milestone_ref(drafted)][5:9] == (
        "At risk",
        "Work is going to plan.",
        None,
        "Funding",
    )
    assert by_ref[milestone_ref(owned)][4].date() == date(2025, 9, 30)  # its current date
    assert by_ref[milestone_ref(owned)][5] is None  # not started: left for the officer


def test_the_untouched_downloads_upload_again_without_changing_anything(officer_client) -> None:
    client, officer = officer_client
    period = make.quarter()
    indicator, drafted = make.indicator(owner=officer), make.milestone(officer)
    untouched = make.milestone(officer)
    make.draft(indicator, period, "3", officer)
    make.milestone_draft(drafted, period, officer, status="slipped", revised_date=date(2026, 1, 31))
    for fmt in ("xlsx", "csv"):
        page, record = upload(client, SimpleUploadedFile(f"r.{fmt}", download(client, fmt)))
        assert "0 new, 0 changed, 1 unchanged, 0 left blank, 0 with errors" in page, page[-3000:]
        assert "Milestone updates: 2 rows. 0 new, 0 changed, 1 unchanged, 1 left blank" in page
        confirm(client, record)
    assert MilestoneUpdate.objects.get().version == 1
    assert not MilestoneUpdate.objects.filter(milestone=untouched).exists()


def test_a_workbook_of_milestone_updates_alone_is_accepted(officer_client) -> None:
    client, officer = officer_client
    milestone = make.milestone(officer)
    page, record = upload(client, workbook([], [milestone_row(milestone)]))
    assert "0 rows." in page and "Milestone updates: 1 row." in page
    confirm(client, record)
    assert MilestoneUpdate.objects.get().delivery_status == "on_track"


def test_an_upload_stored_before_milestones_were_uploaded_still_previews(officer_client) -> None:
    client, officer = officer_client
    indicator = make.indicator(owner=officer)
    record = ReadingUpload.objects.create(
        uploaded_by=officer,
        filename="old.csv",
        sha256="x",
        rows=[[2, {"indicator_code": indicator.code, "period": PERIOD, "value": "9"}]],
        versions={},
    )
    page = client.get(reverse("measures:upload_preview", args=[record.pk]))
    assert "1 new, 0 changed" in page.content.decode()
    assert 'id="milestone-updates"' not in page.content.decode()
    confirm(client, record)
    assert Reading.objects.get().value == Decimal(9)


def test_the_preview_reads_the_same_number_of_queries_for_one_milestone_or_many(
    officer_client,
) -> None:
    client, officer = officer_client

    def preview_queries(count: int) -> int:
        rows = [milestone_row(make.milestone(officer), progress_note="Ok") for _ in range(count)]
        _, record = upload(client, workbook([], rows))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("measures:upload_preview", args=[record.pk]))
        assert f"{count} new" in page.content.decode()
        return len(queries)

    assert preview_queries(1) == preview_queries(6)


def test_a_formula_on_the_milestones_sheet_refuses_the_file(officer_client) -> None:
    client, officer = officer_client
    book = openpyxl.Workbook()
    book.active.append(list(COLUMNS))
    book.active.append([make.indicator(owner=officer).code, None, PERIOD, 4])
    sheet = book.create_sheet("milestones")  # the sheet's name in any case
    sheet.append(list(MILESTONE_COLUMNS))
    sheet.append([milestone_ref(make.milestone(officer)), None, None, PERIOD, None, "=A1"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        reverse("measures:upload"), {"file": SimpleUploadedFile("r.xlsx", buffer.getvalue())}
    )
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert (
        "On the Milestones sheet: Row 2, column 'delivery_status': formulas are not accepted"
    ) in page
    assert not Reading.objects.exists() and not MilestoneUpdate.objects.exists()
