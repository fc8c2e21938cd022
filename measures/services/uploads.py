"""Bulk upload of readings and milestone updates: a file read once when it arrives, every row
checked before anything is saved, then one transaction for both; and the uploads purged when
their retention ends. The milestone rows' own checks are in milestone_upload.py."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.cells import restore_neutralised
from core.spreadsheet_reader import RawRow, UploadError, read_upload
from measures import selectors
from measures.models import Indicator, Reading, ReadingEvent, ReadingUpload, ReportingPeriod
from measures.permissions import indicators_editable_by
from measures.services.milestone_upload import (
    MILESTONE_COLUMNS,
    MilestoneOutcome,
    MilestoneRow,
    MilestoneRowsRefused,
    is_milestone_row,
    milestone_preview,
    milestone_rows_save,
    milestone_sheet_read,
    milestone_versions_seen,
    stray_milestone_cells,
)
from measures.services.readings import (
    EDITABLE,
    ReadingEntry,
    ReadingInput,
    reading_errors,
    readings_save_many,
)
from measures.validation import NotANumber, number_from_text

logger = logging.getLogger("stockport_plan.uploads")
COLUMNS = (
    "indicator_code",
    "indicator_title",
    "period",
    "value",
    "numerator",
    "denominator",
    "data_quality",
    "commentary",
    "corrective_action",
)
REQUIRED = ("indicator_code", "period", "value")
# A CSV is one table: its milestone updates are rows of their own, with these columns added.
TABLE_COLUMNS = COLUMNS + tuple(c for c in MILESTONE_COLUMNS if c not in COLUMNS)


@dataclass
class RowOutcome:
    """What will happen (or happened) to one row of the file."""

    number: int
    indicator_code: str
    period_code: str
    fate: str = ""  # new | changed | unchanged | blank | error
    errors: list[str] = field(default_factory=list)
    data: ReadingInput | None = None
    indicator: Indicator | None = None
    period: ReportingPeriod | None = None
    saved: Reading | None = None  # the reading the row would change, as it is now


@dataclass(frozen=True)
class UploadOutcomes:
    """What a file's rows will do (or did): its readings' and its milestone updates'."""

    readings: list[RowOutcome]
    milestones: list[MilestoneOutcome] = field(default_factory=list)

    @property
    def rows(self) -> list[RowOutcome | MilestoneOutcome]:
        return [*self.readings, *self.milestones]

    @property
    def errors(self) -> list[str]:
        return [error for o in self.rows for error in o.errors]

    def saved(self) -> int:
        """How many readings and updates the file changes."""
        return sum(1 for o in self.rows if o.fate in ("new", "changed"))


class UploadRefused(Exception):
    """At least one row is wrong; nothing was saved."""

    def __init__(
        self, outcomes: list[RowOutcome], milestones: list[MilestoneOutcome] | None = None
    ) -> None:
        self.outcomes = outcomes
        self.milestones = milestones or []
        wrong = sum(1 for o in UploadOutcomes(outcomes, self.milestones).rows if o.errors)
        super().__init__(f"{wrong} row(s) have errors")


def versions_seen(rows: list[RawRow]) -> dict[str, int]:
    """The version of each reading the file names, as it is now (0: none yet), keyed
    "code|period": what the officer's preview is judged against when they confirm it."""
    codes = {row.cells.get("indicator_code", "") for row in rows}
    periods = {row.cells.get("period", "") for row in rows}
    return {
        f"{code}|{period}": version
        for code, period, version in Reading.objects.filter(
            indicator__code__in=codes, period__code__in=periods
        ).values_list("indicator__code", "period__code", "version")
    }


def upload_preview(*, rows: list[RawRow], by: User, versions: dict[str, int]) -> list[RowOutcome]:
    """Each row's fate and errors, without saving anything. A reading changed by someone else
    since `versions` were taken (at upload) is an error: confirming would overwrite it."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    editable = set(indicators_editable_by(by).values_list("pk", flat=True))
    periods = {p.code: p for p in ReportingPeriod.objects.all()}
    due = {
        p.pk: set(selectors.indicators_due(p).values_list("pk", flat=True))
        for p in periods.values()
        if p.state == ReportingPeriod.State.OPEN
    }
    existing = {
        (r.indicator_id, r.period_id): r
        for r in Reading.objects.filter(period__state=ReportingPeriod.State.OPEN)
    }
    seen: dict[tuple[str, str], int] = {}
    outcomes = []
    for row in rows:
        outcome = RowOutcome(
            row.number, row.cells.get("indicator_code", ""), row.cells.get("period", "")
        )
        _check(row, outcome, indicators, editable, periods, due, existing, seen, versions)
        for name in stray_milestone_cells(row):
            outcome.errors.append(
                f"Row {row.number}, column '{name}': a reading's row has no {name}; put the "
                "milestone update on a row of its own, with its milestone_ref"
            )
        outcome.fate = "error" if outcome.errors else outcome.fate
        outcomes.append(outcome)
    return outcomes


def upload_confirm(
    *,
    rows: list[RawRow],
    by: User,
    versions: dict[str, int],
    milestone_rows: list[MilestoneRow] | None = None,
) -> UploadOutcomes:
    """Check again and save every reading and milestone update in one transaction; any error
    saves nothing, and so does one changed by someone else since the file was uploaded."""
    milestones = milestone_preview(rows=milestone_rows or [], by=by, versions=versions)
    outcomes = upload_preview(rows=rows, by=by, versions=versions)
    if UploadOutcomes(outcomes, milestones).errors:
        raise UploadRefused(outcomes, milestones)
    entries = []
    for outcome in outcomes:
        if outcome.fate in ("unchanged", "blank"):
            continue
        # upload_preview sets all three on every row without errors.
        assert outcome.indicator and outcome.period and outcome.data  # noqa: S101 - invariant
        entries.append(
            ReadingEntry(
                indicator=outcome.indicator,
                period=outcome.period,
                data=outcome.data,
                expected_version=versions.get(_key(outcome), 0),
                note=f"Row {outcome.number} of an uploaded file",
            )
        )
    with transaction.atomic():  # a refused milestone update undoes the readings too
        try:
            readings_save_many(entries=entries, by=by, action=ReadingEvent.Action.UPLOADED)
        except (ValidationError, PermissionDenied) as error:
            message = "; ".join(getattr(error, "messages", [str(error)]))
            raise UploadRefused([_whole_file(message)], milestones) from None
        try:
            milestone_rows_save(outcomes=milestones, by=by, versions=versions)
        except MilestoneRowsRefused as refused:
            unplaced = map(_whole_file, refused.unplaced)
            raise UploadRefused([*outcomes, *unplaced], milestones) from None
    return UploadOutcomes(outcomes, milestones)


def _whole_file(message: str) -> RowOutcome:
    return RowOutcome(0, "", "", "error", [message])


def _check(
    row: RawRow,
    outcome: RowOutcome,
    indicators: dict[str, Indicator],
    editable: set[int],
    periods: dict[str, ReportingPeriod],
    due: dict[int, set[int]],
    existing: dict[tuple[int, int], Reading],
    seen: dict[tuple[str, str], int],
    versions: dict[str, int],
) -> None:
    def fail(column: str, message: str) -> None:
        outcome.errors.append(f"Row {row.number}, column '{column}': {message}")

    code, period_code = outcome.indicator_code, outcome.period_code
    indicator = indicators.get(code)
    period = periods.get(period_code)
    if not code:
        fail("indicator_code", "enter the indicator's code, as in the template")
    elif indicator is None:
        fail("indicator_code", f"there is no indicator {code!r}")
    elif indicator.pk not in editable:
        fail("indicator_code", f"{code} is neither yours nor delegated to you")
    if not period_code:
        fail("period", "enter the period, like 2025-26-Q2")
    elif period is None:
        fail("period", f"there is no reporting period {period_code!r}; use a code like 2025-26-Q2")
    elif period.state != ReportingPeriod.State.OPEN:
        fail(
            "period",
            f"{period} is {period.get_state_display().lower()}: only open periods take readings",
        )
    elif indicator is not None and indicator.pk not in due[period.pk]:
        fail("period", f"{code} is not reported in {period}")
    if (code, period_code) in seen:
        fail(
            "indicator_code",
            f"{code} for {period_code} is already in row {seen[(code, period_code)]}",
        )
    seen.setdefault((code, period_code), row.number)
    if not outcome.errors and _is_blank(row):
        # A row the officer has not filled in, as the download gives a return not yet
        # started: skipped, as the web form skips an empty one, whatever is saved is kept.
        outcome.fate = "blank"
        outcome.indicator, outcome.period = indicator, period
        outcome.saved = existing.get((indicator.pk, period.pk)) if indicator and period else None
        return
    data = _row_input(row, fail, indicator.unit if indicator else "")
    if outcome.errors or indicator is None or period is None or data is None:
        return
    for name, messages in reading_errors(indicator, data).items():
        for message in messages:
            fail(name, message)
    reading = existing.get((indicator.pk, period.pk))
    seen_version = versions.get(_key(outcome), 0)
    if (reading.version if reading else 0) != seen_version:
        fail(
            "value",
            f"{code} for {period} was changed by someone else after you uploaded this file "
            "(nothing of theirs or yours has been overwritten): upload the file again to "
            "see their change",
        )
    elif reading is not None and reading.status not in EDITABLE and not _same(reading, data):
        # The file as downloaded carries submitted and approved readings too: unchanged, they
        # are left alone; only a change to one is refused.
        fail(
            "value",
            f"the reading is {reading.get_status_display().lower()}, and this row changes it; "
            "ask the performance team to return it first, or put back what was submitted",
        )
    if outcome.errors:
        return
    outcome.indicator, outcome.period, outcome.data, outcome.saved = (
        indicator,
        period,
        data,
        reading,
    )
    outcome.fate = (
        "new" if reading is None else ("unchanged" if _same(reading, data) else "changed")
    )


FILLED_IN = ("value", "numerator", "denominator", "commentary", "corrective_action")


def _is_blank(row: RawRow) -> bool:
    return not any(str(row.cells.get(name) or "").strip() for name in FILLED_IN)


def _row_input(row: RawRow, fail: Callable[[str, str], None], unit: str) -> ReadingInput | None:
    cells = row.cells
    numbers = {}
    for name in ("value", "numerator", "denominator"):
        try:
            numbers[name] = number_from_text(cells.get(name, ""), unit=unit)
        except NotANumber as error:
            fail(name, error.for_cell(cells.get(name, "")))
            return None
    if numbers["value"] is None and not cells.get("commentary", "").strip():
        fail("value", "enter a value, or leave it blank and explain why in commentary")
        return None
    quality = (cells.get("data_quality") or Reading.DataQuality.PROVISIONAL).strip().lower()
    if quality not in Reading.DataQuality.values:
        fail("data_quality", f"{quality!r} is not one of: provisional, final, estimated")
        return None
    return ReadingInput(
        value=numbers["value"],
        numerator=numbers["numerator"],
        denominator=numbers["denominator"],
        commentary=restore_neutralised(cells.get("commentary", "").strip()),
        corrective_action=restore_neutralised(cells.get("corrective_action", "").strip()),
        data_quality=quality,
    )


def _key(outcome: RowOutcome) -> str:
    return f"{outcome.indicator_code}|{outcome.period_code}"


def _same(reading: Reading, data: ReadingInput) -> bool:
    return all(getattr(reading, name) == getattr(data, name) for name in data.__dataclass_fields__)


def upload_receive(*, by: User, filename: str, content: bytes) -> ReadingUpload:
    """Keep an uploaded file, read once: its rows and the version of every reading it names
    are stored, so its preview never parses it again and confirming it can tell what changed
    meanwhile. A file that cannot be read is kept with the reason, for the page to show."""
    most_bytes, most_rows = settings.UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_ROWS
    try:
        rows = read_upload(
            filename,
            content,
            columns=TABLE_COLUMNS,
            required=REQUIRED,
            max_bytes=most_bytes,
            max_rows=most_rows,
            rows_required=False,
        )
        sheet = milestone_sheet_read(filename, content, max_bytes=most_bytes, max_rows=most_rows)
        if not rows and not sheet:
            raise UploadError("The file has a header row but no readings or milestone updates.")
    except UploadError as error:
        rows, sheet, file_error = [], [], error.message
        logger.warning("Rejected upload by user %s: %s", by.pk, error.message)
    else:
        file_error = ""
    readings = [row for row in rows if not is_milestone_row(row)]
    milestones = [MilestoneRow(r.number, r.cells) for r in rows if is_milestone_row(r)] + sheet
    upload = ReadingUpload(
        uploaded_by=by,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        # The Milestones sheet's rows are marked with the sheet, so an upload stored before
        # milestone updates were uploaded reads as it did: every row a table row.
        rows=[[row.number, row.cells] for row in rows]
        + [[row.number, row.cells, row.sheet] for row in sheet],
        versions=versions_seen(readings) | milestone_versions_seen(milestones),
        file_error=file_error,
    )
    upload.file.save(filename, ContentFile(content), save=False)  # to the shared storage
    try:
        upload.save()
    except Exception:
        upload.file.delete(save=False)  # no file without its record
        raise
    return upload


def upload_rows(upload: ReadingUpload) -> list[RawRow]:
    """The readings' rows the file held when it was read."""
    return [
        RawRow(number=entry[0], cells=entry[1])
        for entry in upload.rows
        if len(entry) == 2 and not is_milestone_row(RawRow(entry[0], entry[1]))
    ]


def upload_milestone_rows(upload: ReadingUpload) -> list[MilestoneRow]:
    """The milestone updates' rows the file held: its table's first, then its sheet's."""
    table = [RawRow(entry[0], entry[1]) for entry in upload.rows if len(entry) == 2]
    sheet = [MilestoneRow(*entry) for entry in upload.rows if len(entry) == 3]
    return [MilestoneRow(r.number, r.cells) for r in table if is_milestone_row(r)] + sheet


def upload_outcomes(*, upload: ReadingUpload, by: User) -> UploadOutcomes:
    """What confirming the upload would do to every row, without saving anything."""
    return UploadOutcomes(
        readings=upload_preview(rows=upload_rows(upload), by=by, versions=upload.versions),
        milestones=milestone_preview(
            rows=upload_milestone_rows(upload), by=by, versions=upload.versions
        ),
    )


def upload_save(*, upload: ReadingUpload, by: User) -> UploadOutcomes:
    """Confirm an upload: every row saved in one transaction, or none (UploadRefused); the
    upload is marked saved with how many readings and updates it changed, exactly once."""
    with transaction.atomic():
        claimed = ReadingUpload.objects.select_for_update().get(pk=upload.pk)
        if claimed.confirmed_at is not None:
            raise UploadRefused([_whole_file("It was saved already.")])
        outcomes = upload_confirm(
            rows=upload_rows(claimed),
            by=by,
            versions=claimed.versions,
            milestone_rows=upload_milestone_rows(claimed),
        )
        claimed.confirmed_at = timezone.now()
        claimed.rows_saved = outcomes.saved()
        claimed.save(update_fields=["confirmed_at", "rows_saved"])
    upload.confirmed_at, upload.rows_saved = claimed.confirmed_at, claimed.rows_saved
    return outcomes


def uploads_purge(*, now: datetime) -> int:
    """Delete the files and rows of uploads older than UPLOAD_RETENTION_DAYS, keeping the
    record of who uploaded which file when; how many were purged. Each file is deleted before
    its record says so, so a purge stopped halfway is finished by the next one."""
    cutoff = now - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    expired = ReadingUpload.objects.filter(uploaded_at__lt=cutoff, purged_at__isnull=True)
    purged = 0
    for upload in expired.only("pk", "file").iterator():
        if upload.file:
            upload.file.delete(save=False)
        purged += ReadingUpload.objects.filter(pk=upload.pk, purged_at__isnull=True).update(
            file="", rows=[], versions={}, purged_at=now
        )
    return purged
