"""Milestone updates in an uploaded file of returns: every row that names a milestone, checked
as the readings' rows are, before anything is saved; uploads.py reads the file and saves both
parts in one transaction.

In an Excel file they are on a sheet of their own, "Milestones"; a CSV is one table, so there
they are rows of their own in it, told apart by their milestone_ref.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from ambitions.models import Milestone
from core.cells import restore_neutralised
from core.spreadsheet_reader import RawRow, UploadError, read_upload
from measures.milestone_returns import owed_in
from measures.models import DeliveryStatus, MilestoneUpdate, MilestoneUpdateEvent, ReportingPeriod
from measures.permissions import milestones_editable_by
from measures.services.errors import WHOLE, ReadingsRefused
from measures.services.milestones import (
    EDITABLE,
    MilestoneEntry,
    MilestoneInput,
    label_of,
    milestone_from_ref,
    milestone_ref,
    milestone_updates_save,
    one_line_break,
    update_errors,
)

MILESTONE_SHEET = "Milestones"
MILESTONE_COLUMNS = (
    "milestone_ref",
    "scheme",
    "milestone",
    "period",
    "current_date",
    "delivery_status",
    "progress_note",
    "revised_date",
    "reason",
    "corrective_action",
)
MILESTONE_REQUIRED = ("milestone_ref", "period", "delivery_status")
# What an officer fills in: a row with none of these is a return not started, and is skipped.
FILLED_IN = ("delivery_status", "progress_note", "revised_date", "reason", "corrective_action")
# In a CSV's one table, the readings' columns a milestone update's row leaves empty.
READING_ONLY = ("indicator_code", "value", "numerator", "denominator", "data_quality", "commentary")
STATUS_CHOICES = ", ".join(label.lower() for label in DeliveryStatus.labels)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_UK_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


@dataclass(frozen=True)
class MilestoneRow:
    """A row that names a milestone: its number, its cells, and the sheet it is on (empty for
    a CSV's one table)."""

    number: int
    cells: dict[str, str]
    sheet: str = ""

    @property
    def place(self) -> str:
        """Where a person finds the row: "Row 4", or "Milestones sheet, row 4"."""
        return f"{self.sheet} sheet, row {self.number}" if self.sheet else f"Row {self.number}"


@dataclass
class MilestoneOutcome:
    """What will happen (or happened) to one milestone update's row of the file."""

    row: MilestoneRow
    ref: str
    period_code: str
    fate: str = ""  # new | changed | unchanged | blank | error
    errors: list[str] = field(default_factory=list)
    data: MilestoneInput | None = None
    milestone: Milestone | None = None
    period: ReportingPeriod | None = None
    saved: MilestoneUpdate | None = None  # the update the row would change, as it is now

    @property
    def status_label(self) -> str:
        """The delivery status the row gives, in words."""
        return DeliveryStatus(self.data.delivery_status).label if self.data else ""

    def fail(self, column: str, message: str) -> None:
        where = self.row.place if column == WHOLE else f"{self.row.place}, column '{column}'"
        self.errors.append(f"{where}: {message}")


def milestone_sheet_read(
    filename: str, content: bytes, *, max_bytes: int, max_rows: int
) -> list[MilestoneRow]:
    """The rows of an Excel file's Milestones sheet ([] for a CSV, or a workbook without
    one), or UploadError saying the sheet is where the problem is."""
    try:
        rows = read_upload(
            filename,
            content,
            columns=MILESTONE_COLUMNS,
            required=MILESTONE_REQUIRED,
            max_bytes=max_bytes,
            max_rows=max_rows,
            sheet=MILESTONE_SHEET,
            rows_required=False,
        )
    except UploadError as error:
        raise UploadError(f"On the {MILESTONE_SHEET} sheet: {error.message}") from None
    return [MilestoneRow(row.number, row.cells, MILESTONE_SHEET) for row in rows]


def is_milestone_row(row: RawRow) -> bool:
    """Whether a row of the file's main table is a milestone update (it names a milestone)."""
    return bool(row.cells.get("milestone_ref", "").strip())


def stray_milestone_cells(row: RawRow) -> list[str]:
    """The columns of a milestone update a reading's row fills in (corrective_action is both
    a reading's and an update's): refused, so nothing typed there is ignored unseen."""
    only = (name for name in FILLED_IN if name != "corrective_action")
    return [name for name in only if row.cells.get(name, "").strip()]


def version_key(ref: str, period_code: str) -> str:
    """How an update's version at upload is kept beside the readings': "milestone|MS-12|…"."""
    return f"milestone|{ref}|{period_code}"


def milestone_versions_seen(rows: Sequence[MilestoneRow]) -> dict[str, int]:
    """The version of each update the rows name, as it is now (0: none yet)."""
    periods = {row.cells.get("period", "").strip() for row in rows}
    updates = MilestoneUpdate.objects.filter(
        milestone_id__in=_milestone_ids(rows), period__code__in=periods
    ).select_related("milestone", "period")
    return {
        version_key(milestone_ref(update.milestone), update.period.code): update.version
        for update in updates.only("version", "milestone__id", "period__code")
    }


def _milestone_ids(rows: Iterable[MilestoneRow]) -> set[int]:
    refs = (milestone_from_ref(row.cells.get("milestone_ref", "")) for row in rows)
    return {pk for pk in refs if pk is not None}


@dataclass(frozen=True)
class _Known:
    """What the rows are checked against, read once for the whole file."""

    milestones: dict[int, Milestone]
    editable: set[int]
    periods: dict[str, ReportingPeriod]
    owed: dict[int, set[int]]
    existing: dict[tuple[int, int], MilestoneUpdate]

    @classmethod
    def of(cls, rows: Sequence[MilestoneRow], by: User) -> _Known:
        ids = _milestone_ids(rows)
        milestones = Milestone.objects.select_related("scheme").filter(pk__in=ids)
        editable = milestones_editable_by(by).filter(pk__in=ids).values_list("pk", flat=True)
        codes = {row.cells.get("period", "").strip() for row in rows}
        periods = {p.code: p for p in ReportingPeriod.objects.filter(code__in=codes)}
        open_ones = [p for p in periods.values() if p.state == ReportingPeriod.State.OPEN]
        return cls(
            milestones={m.pk: m for m in milestones},
            editable=set(editable),
            periods=periods,
            owed={
                p.pk: set(owed_in(p).filter(pk__in=ids).values_list("pk", flat=True))
                for p in open_ones
            },
            existing={
                (u.milestone_id, u.period_id): u
                for u in MilestoneUpdate.objects.filter(milestone_id__in=ids, period__in=open_ones)
            },
        )


def milestone_preview(
    *, rows: Sequence[MilestoneRow], by: User, versions: dict[str, int]
) -> list[MilestoneOutcome]:
    """Each milestone row's fate and errors, without saving anything. An update changed by
    someone else since `versions` were taken (at upload) is an error: confirming would
    overwrite it."""
    if not rows:
        return []
    known = _Known.of(rows, by)
    seen: dict[tuple[str, str], str] = {}
    outcomes = []
    for row in rows:
        outcome = MilestoneOutcome(
            row, row.cells.get("milestone_ref", "").strip(), row.cells.get("period", "").strip()
        )
        _check(outcome, known, seen, versions)
        outcome.fate = "error" if outcome.errors else outcome.fate
        outcomes.append(outcome)
    return outcomes


def _check(
    outcome: MilestoneOutcome,
    known: _Known,
    seen: dict[tuple[str, str], str],
    versions: dict[str, int],
) -> None:
    row, fail = outcome.row, outcome.fail
    milestone = _milestone(outcome, known)
    period = _period(outcome, known, milestone)
    if not row.sheet:
        for name in READING_ONLY:
            if row.cells.get(name, "").strip():
                fail(
                    name,
                    f"a milestone update's row has no {name}: put each reading on a row of "
                    "its own, without a milestone_ref",
                )
    ref = milestone_ref(milestone) if milestone else outcome.ref
    if (ref, outcome.period_code) in seen:
        fail(
            "milestone_ref",
            f"{ref} for {outcome.period_code} is already in {seen[(ref, outcome.period_code)]}",
        )
    seen.setdefault((ref, outcome.period_code), row.place.lower())
    if outcome.errors or milestone is None or period is None:
        return
    saved = known.existing.get((milestone.pk, period.pk))
    outcome.milestone, outcome.period, outcome.saved = milestone, period, saved
    if not any(row.cells.get(name, "").strip() for name in FILLED_IN):
        # A milestone the officer has not filled in, as the download gives a return not yet
        # started: skipped, whatever is saved is kept.
        outcome.fate = "blank"
        return
    data = _row_input(outcome)
    if data is None:
        return
    for name, messages in update_errors(milestone, data).items():
        for message in messages:
            fail(name, message)
    if (saved.version if saved else 0) != versions.get(version_key(ref, period.code), 0):
        fail(
            "milestone_ref",
            f"the update of {label_of(milestone, period)} was changed by someone else after you "
            "uploaded this file (nothing of theirs or yours has been overwritten): upload the "
            "file again to see their change",
        )
    elif saved is not None and saved.status not in EDITABLE and not _same(saved, data):
        fail(
            "delivery_status",
            f"the update is {saved.get_status_display().lower()}, and this row changes it; ask "
            "the performance team to return it first, or put back what was submitted",
        )
    if outcome.errors:
        return
    outcome.data = data
    outcome.fate = "new" if saved is None else ("unchanged" if _same(saved, data) else "changed")


def _milestone(outcome: MilestoneOutcome, known: _Known) -> Milestone | None:
    ref, fail = outcome.ref, outcome.fail
    pk = milestone_from_ref(ref)
    milestone = known.milestones.get(pk) if pk is not None else None
    if not ref:
        fail("milestone_ref", "enter the milestone's reference, like MS-12, as in the template")
    elif pk is None:
        fail("milestone_ref", f"{ref!r} is not a milestone reference: use one like MS-12")
    elif milestone is None:
        fail("milestone_ref", f"there is no milestone {ref!r}")
    elif milestone.pk not in known.editable:
        fail(
            "milestone_ref",
            f"{milestone_ref(milestone)} ({label_of(milestone)}) is neither yours nor delegated "
            "to you",
        )
        return None
    return milestone


def _period(
    outcome: MilestoneOutcome, known: _Known, milestone: Milestone | None
) -> ReportingPeriod | None:
    code, fail = outcome.period_code, outcome.fail
    period = known.periods.get(code)
    if not code:
        fail("period", "enter the period, like 2025-26-Q2")
    elif period is None:
        fail("period", f"there is no reporting period {code!r}; use a code like 2025-26-Q2")
    elif period.state != ReportingPeriod.State.OPEN:
        fail(
            "period",
            f"{period} is {period.get_state_display().lower()}: only open periods take "
            "milestone updates",
        )
    elif period.kind != ReportingPeriod.Kind.QUARTER:
        fail("period", f"milestone updates are given for quarters, not for the whole year {period}")
    elif milestone is not None and milestone.pk not in known.owed[period.pk]:
        fail(
            "period",
            f"{milestone_ref(milestone)} owes no update for {period}: it was finished in an "
            "earlier quarter, or is not a milestone of the plan that quarter is reported against",
        )
    else:
        return period
    return None


def _row_input(outcome: MilestoneOutcome) -> MilestoneInput | None:
    cells, fail = outcome.row.cells, outcome.fail
    status_text = cells.get("delivery_status", "").strip()
    status = delivery_status_from_text(status_text)
    if not status_text:
        fail("delivery_status", f"choose the delivery status: one of {STATUS_CHOICES}")
    elif status is None:
        fail("delivery_status", f"{status_text!r} is not one of: {STATUS_CHOICES}")
    date_text = cells.get("revised_date", "").strip()
    revised = date_from_text(date_text)
    if date_text and revised is None:
        fail(
            "revised_date",
            f"{date_text!r} is not a date: write it like 2025-09-30 or 30/09/2025",
        )
    if status is None or (date_text and revised is None):
        return None
    return MilestoneInput(
        delivery_status=status,
        progress_note=_text(cells, "progress_note"),
        revised_date=revised,
        reason=_text(cells, "reason"),
        corrective_action=_text(cells, "corrective_action"),
    )


def delivery_status_from_text(text: str) -> str | None:
    """The delivery status a cell names by its code or its words, in any case ("On track",
    "on_track"), or None."""
    words = " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()
    return next(
        (value for value, label in DeliveryStatus.choices if words == label.casefold()), None
    )


def date_from_text(text: str) -> date | None:
    """The date a cell holds as ISO (2025-09-30, as a date cell reads) or as the UK writes it
    (30/09/2025), or None; a day that does not exist (31/02/2025) is None too."""
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _UK_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _text(cells: dict[str, str], name: str) -> str:
    return one_line_break(restore_neutralised(cells.get(name, "").strip()))


def _same(update: MilestoneUpdate, data: MilestoneInput) -> bool:
    return all(getattr(update, name) == getattr(data, name) for name in data.__dataclass_fields__)


class MilestoneRowsRefused(Exception):
    """The save refused some of the file's updates; nothing was saved. Each refusal is on its
    row's outcome, and `unplaced` holds any that name no row of the file."""

    def __init__(self, unplaced: list[str]) -> None:
        self.unplaced = unplaced
        super().__init__("; ".join(unplaced) or "the milestone updates were refused")


def milestone_rows_save(
    *, outcomes: Sequence[MilestoneOutcome], by: User, versions: dict[str, int]
) -> None:
    """Save every new or changed row's update, from the version seen at upload, all or
    nothing (uploads.py holds the transaction the readings share); MilestoneRowsRefused."""
    entries = _entries(outcomes, versions)
    if not entries:
        return
    try:
        milestone_updates_save(entries=entries, by=by, action=MilestoneUpdateEvent.Action.UPLOADED)
    except ReadingsRefused as refused:
        raise MilestoneRowsRefused(_refusal_on_rows(outcomes, refused)) from None
    except PermissionDenied as error:
        raise MilestoneRowsRefused([str(error)]) from None


def _entries(
    outcomes: Sequence[MilestoneOutcome], versions: dict[str, int]
) -> list[MilestoneEntry]:
    entries = []
    for outcome in outcomes:
        if outcome.fate not in ("new", "changed"):
            continue
        # milestone_preview sets all three on every new or changed row.
        assert outcome.milestone and outcome.period and outcome.data  # noqa: S101 - invariant
        key = version_key(milestone_ref(outcome.milestone), outcome.period.code)
        entries.append(
            MilestoneEntry(
                milestone=outcome.milestone,
                period=outcome.period,
                data=outcome.data,
                expected_version=versions.get(key, 0),
                note=f"{outcome.row.place} of an uploaded file",
            )
        )
    return entries


def _refusal_on_rows(outcomes: Sequence[MilestoneOutcome], refused: ReadingsRefused) -> list[str]:
    """Put each refusal on the row it is about; those that name no row are returned."""
    by_key = {
        (milestone_ref(o.milestone), o.period.code): o for o in outcomes if o.milestone and o.period
    }
    unplaced = []
    for key, fields in refused.by_reading.items():
        outcome = by_key.get(key)
        for name, messages in fields.items():
            for message in messages:
                if outcome is None:
                    unplaced.append(f"{key[0]} for {key[1]}: {message}")
                else:
                    outcome.fail(name, message)
                    outcome.fate = "error"
    return unplaced
