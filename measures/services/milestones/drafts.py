"""Saving milestone updates as drafts, one or many, all or nothing, with every check,
version and event; how an update is named and what makes it ready to submit (as readings.py
does for readings).

Two people saving the same update never lose an edit: each save names the version it started
from (0: there was no update yet), and an update is only changed if it is still at that
version (`MilestoneUpdateConflict`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ambitions.models import Milestone
from core.roles import is_performance_team
from measures import delivery
from measures.milestone_returns import plan_of_quarter
from measures.models import (
    DeliveryStatus,
    MilestoneUpdate,
    MilestoneUpdateEvent,
    Reading,
    ReportingPeriod,
)
from measures.permissions import (
    milestones_editable_by,
)
from measures.services.errors import WHOLE, ReadingKey, ReadingsRefused
from measures.services.guards import not_open, periods_still_open
from measures.services.milestone_scores import deferred, milestone_scores_refresh
from measures.validation import text_errors

EDITABLE = (Reading.Status.DRAFT, Reading.Status.RETURNED)
FIGURES = ("delivery_status", "progress_note", "revised_date", "reason", "corrective_action")
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
Action = MilestoneUpdateEvent.Action


def milestone_ref(milestone: Milestone) -> str:
    """How a milestone is named in forms, files and refusals: "MS-12"."""
    return f"MS-{milestone.pk}"


def milestone_from_ref(ref: str) -> int | None:
    """The milestone id in a reference ("MS-12", or just "12"), or None if it is not one."""
    text = ref.strip().upper().removeprefix("MS-")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def key_of(milestone: Milestone, period: ReportingPeriod) -> ReadingKey:
    return (milestone_ref(milestone), period.code)


def label_of(milestone: Milestone, period: ReportingPeriod | None = None) -> str:
    name = f"{milestone.scheme.name}: {milestone.title}"
    return f"{name} for {period}" if period else name


class MilestoneUpdateConflict(ReadingsRefused):
    """Someone else changed the update since it was opened; nothing was saved."""

    def __init__(self, update: MilestoneUpdate) -> None:
        self.update = update
        message = (
            f"The update of {label_of(update.milestone)} was changed by someone else while you "
            f"were editing it (now version {update.version}). Nothing was saved: check their "
            "change and enter yours again."
        )
        ValidationError.__init__(self, message)
        self.by_reading = {key_of(update.milestone, update.period): {WHOLE: [message]}}

    def __str__(self) -> str:
        return self.messages[0]


TEXTS = ("progress_note", "reason", "corrective_action")


def one_line_break(text: str) -> str:
    """Text with every line break as "\n": a browser sends a textarea's as "\r\n" and a
    spreadsheet gives "\n", and the same note must compare equal from either."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class MilestoneInput:
    """What an officer enters for one milestone and period (line breaks made one kind)."""

    delivery_status: str
    progress_note: str = ""
    revised_date: date | None = None
    reason: str = ""
    corrective_action: str = ""

    def __post_init__(self) -> None:
        for name in TEXTS:
            object.__setattr__(self, name, one_line_break(getattr(self, name)))


@dataclass(frozen=True)
class MilestoneEntry:
    """One update to save, and the version the person started from (0: none yet)."""

    milestone: Milestone
    period: ReportingPeriod
    data: MilestoneInput
    expected_version: int
    note: str = ""

    @property
    def key(self) -> ReadingKey:
        return key_of(self.milestone, self.period)

    @property
    def label(self) -> str:
        return label_of(self.milestone, self.period)


def current_date_before(milestone: Milestone, period: ReportingPeriod) -> date | None:
    """The milestone's date as the approved updates before this period left it: the date an
    update for this period revises."""
    earlier = MilestoneUpdate.objects.filter(
        milestone=milestone,
        period__end__lt=period.end,
        status__in=(Reading.Status.APPROVED, Reading.Status.PUBLISHED),
        revised_date__isnull=False,
    ).order_by("-period__end")
    latest = earlier.values_list("revised_date", flat=True).first()
    return latest or milestone.due_date


def update_errors(
    milestone: Milestone, data: MilestoneInput, current: date | None = None
) -> dict[str, list[str]]:
    """Field-by-field problems with the input, empty when it may be saved as a draft."""
    errors: dict[str, list[str]] = {}
    if data.delivery_status not in DeliveryStatus.values:
        choices = ", ".join(label.lower() for label in DeliveryStatus.labels)
        errors["delivery_status"] = [f"Choose one of: {choices}"]
    for name in TEXTS:
        if problems := text_errors(getattr(data, name)):
            errors[name] = problems
    revised = data.revised_date
    if revised is not None:
        if not EARLIEST <= revised <= LATEST:
            errors["revised_date"] = ["Enter a date between 2000 and 2100"]
        elif data.delivery_status in delivery.FINISHED:
            errors["revised_date"] = [
                "A complete or cancelled milestone has no revised date: leave it empty and say "
                "when and how it finished in the progress note"
            ]
        elif (
            milestone.due_date is not None
            and revised < milestone.due_date
            and not data.reason.strip()
        ):
            errors["reason"] = [
                f"The revised date is before the original date ({milestone.due_date:%-d %B %Y}): "
                "say why it was brought forward"
            ]
    return errors


_LOOK_UP = object()


def submit_errors(update: MilestoneUpdate, current: object = _LOOK_UP) -> dict[str, list[str]]:
    """Why the update cannot be sent for approval yet, by field; empty when it can. An update
    that says slipped or at risk, or moves the date, needs the reason and the corrective
    action; a cancelled one the reason."""
    if update.status not in EDITABLE:
        return {WHOLE: [f"it is already {update.get_status_display().lower()}."]}
    errors: dict[str, list[str]] = {}
    status = update.delivery_status
    # `current`: the date the update revises, when the caller knows it already.
    revises = (
        current_date_before(update.milestone, update.period)
        if current is _LOOK_UP
        else cast("date | None", current)
    )
    moved = delivery.moves_date(update.revised_date, revises)
    label = DeliveryStatus(status).label.lower()
    if (status in delivery.NEEDS_REASON or moved) and not update.reason.strip():
        errors["reason"] = [
            "The date moves: say why"
            if moved and status not in delivery.NEEDS_REASON
            else f"It is {label}: say why"
        ]
    if (status in delivery.NEEDS_ACTION or moved) and not update.corrective_action.strip():
        errors["corrective_action"] = [
            "Say what is being done to bring it back on track, or to hold the new date"
        ]
    if not update.progress_note.strip() and status != DeliveryStatus.NOT_STARTED:
        errors["progress_note"] = ["Say what progress was made this quarter"]
    return errors


def open_problem(milestone: Milestone, period: ReportingPeriod) -> str | None:
    if period.state != ReportingPeriod.State.OPEN:
        return not_open(period).replace("readings", "milestone updates")
    if period.kind != ReportingPeriod.Kind.QUARTER:
        return f"Milestone updates are given for quarters, not for the whole year {period}."
    plan = plan_of_quarter(period)
    if plan is None or milestone.scheme.focus_area.ambition.plan_id != plan.pk:
        return (
            f"{label_of(milestone)} is not a milestone of the plan {period} is reported "
            "against, so it has no update for it."
        )
    return None


def _require_editor_of_all(by: User, milestones: Sequence[Milestone]) -> None:
    if is_performance_team(by):
        return
    allowed = set(milestones_editable_by(by).values_list("pk", flat=True))
    for milestone in milestones:
        if milestone.pk not in allowed:
            raise PermissionDenied(
                f"You cannot give the update for {label_of(milestone)}: it is neither yours "
                "nor delegated to you."
            )


def milestone_update_save(
    *,
    milestone: Milestone,
    period: ReportingPeriod,
    data: MilestoneInput,
    by: User,
    expected_version: int,
    action: str = Action.EDITED,
    is_synthetic: bool = False,
) -> MilestoneUpdate:
    """Create or edit one draft update; unchanged input saves nothing and adds no version."""
    entry = MilestoneEntry(milestone, period, data, expected_version)
    [update] = milestone_updates_save(
        entries=[entry], by=by, action=action, is_synthetic=is_synthetic
    )
    return update


def milestone_updates_save(
    *,
    entries: Sequence[MilestoneEntry],
    by: User,
    action: str = Action.EDITED,
    is_synthetic: bool = False,
) -> list[MilestoneUpdate]:
    """Save drafts as one: all or nothing, each checked, versioned and recorded. The updates,
    in the entries' order. Raises PermissionDenied for a milestone that is not the person's,
    MilestoneUpdateConflict for an update changed since it was read, and ReadingsRefused with
    every other problem of every entry, by milestone and field."""
    _require_editor_of_all(by, [entry.milestone for entry in entries])
    _refuse_bad_input(entries)
    saved: list[MilestoneUpdate] = []
    with transaction.atomic(), deferred():
        try:
            periods_still_open(entry.period for entry in entries)
        except ValidationError as closed:
            first = entries[0]
            raise ReadingsRefused.of(first.key, first.label, closed) from None
        current = _locked({(e.milestone.pk, e.period.pk) for e in entries})
        refused: dict[ReadingKey, dict[str, list[str]]] = {}
        for entry in entries:
            update = current.get((entry.milestone.pk, entry.period.pk))
            fields = asdict(entry.data)
            if update is None:
                update = _create(entry, fields, by=by, action=action, synthetic=is_synthetic)
            elif update.version != entry.expected_version:
                raise MilestoneUpdateConflict(update)
            elif update.status not in EDITABLE:
                refused[entry.key] = {
                    WHOLE: [
                        f"it is {update.get_status_display().lower()}: it can be changed only "
                        "if the performance team returns it."
                    ]
                }
                continue
            else:
                _edit(update, entry, fields, by=by, action=action, synthetic=is_synthetic)
            saved.append(update)
        if refused:
            raise ReadingsRefused(refused, {entry.key: entry.label for entry in entries})
        milestone_scores_refresh(update.milestone_id for update in saved)
    return saved


def _refuse_bad_input(entries: Sequence[MilestoneEntry]) -> None:
    refused: dict[ReadingKey, dict[str, list[str]]] = {}
    seen: set[ReadingKey] = set()
    for entry in entries:
        problems = dict(update_errors(entry.milestone, entry.data))
        if whole := open_problem(entry.milestone, entry.period):
            problems[WHOLE] = [whole]
        if entry.key in seen:
            problems.setdefault(WHOLE, []).append(
                "The same milestone and period appear more than once."
            )
        seen.add(entry.key)
        if problems:
            refused[entry.key] = problems
    if refused:
        raise ReadingsRefused(refused, {entry.key: entry.label for entry in entries})


def _locked(keys: set[tuple[int, int]]) -> dict[tuple[int, int], MilestoneUpdate]:
    """The existing updates of these (milestone, period) pairs, locked, in a fixed order."""
    found: dict[tuple[int, int], MilestoneUpdate] = {}
    locked = (
        MilestoneUpdate.objects.select_for_update(of=("self",))
        .select_related("milestone__scheme", "period")
        .filter(milestone_id__in={m for m, _ in keys}, period_id__in={p for _, p in keys})
        .order_by("milestone_id", "period_id")
    )
    for update in locked:
        if (key := (update.milestone_id, update.period_id)) in keys:
            found[key] = update
    return found


def _as_json(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _create(
    entry: MilestoneEntry, fields: dict[str, Any], *, by: User, action: str, synthetic: bool
) -> MilestoneUpdate:
    if entry.expected_version != 0:
        # The page showed an update that is no longer there: it cannot be; refuse as changed.
        gone = ValidationError("the update you edited is no longer there: reload the page")
        raise ReadingsRefused.of(entry.key, entry.label, gone)
    update = MilestoneUpdate(
        milestone=entry.milestone,
        period=entry.period,
        updated_by=by,
        is_synthetic=synthetic,
        **fields,
    )
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError:
        existing = MilestoneUpdate.objects.select_related("milestone__scheme", "period").get(
            milestone=entry.milestone, period=entry.period
        )
        raise MilestoneUpdateConflict(existing) from None
    MilestoneUpdateEvent.objects.create(
        update=update,
        version=1,
        action=Action.CREATED if action == Action.EDITED else action,
        by=by,
        note=entry.note,
        changes={k: [None, _as_json(v)] for k, v in fields.items() if v not in (None, "")},
    )
    return update


def _edit(
    update: MilestoneUpdate,
    entry: MilestoneEntry,
    fields: dict[str, Any],
    *,
    by: User,
    action: str,
    synthetic: bool,
) -> None:
    changes = {
        k: [_as_json(getattr(update, k)), _as_json(v)]
        for k, v in fields.items()
        if getattr(update, k) != v
    }
    if not changes:
        return
    if update.status == Reading.Status.RETURNED:
        changes["status"] = [update.status, Reading.Status.DRAFT]
    if update.is_synthetic != synthetic:
        changes["is_synthetic"] = [update.is_synthetic, synthetic]
    write_at_version(
        update, {**fields, "status": Reading.Status.DRAFT, "is_synthetic": synthetic}, by=by
    )
    MilestoneUpdateEvent.objects.create(
        update=update,
        version=update.version,
        action=action,
        by=by,
        note=entry.note,
        changes=changes,
    )


def write_at_version(update: MilestoneUpdate, fields: dict[str, Any], *, by: User) -> None:
    """Write the fields and the next version, only if the row is still at the version read."""
    now = timezone.now()
    written = MilestoneUpdate.objects.filter(pk=update.pk, version=update.version).update(
        **fields, version=F("version") + 1, updated_by=by, updated_at=now
    )
    if not written:
        update.refresh_from_db()
        raise MilestoneUpdateConflict(update)
    for name, value in fields.items():
        setattr(update, name, value)
    update.version += 1
    update.updated_by, update.updated_at = by, now
