"""Writes to readings and periods: every change validated, versioned and recorded with its reason.

Two people saving the same reading never lose an edit: each save names the version it started
from, and the update only happens if the row is still at that version (`ReadingConflict`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from core.roles import Role, has_role, is_performance_team
from measures import status
from measures.models import Indicator, Reading, ReadingEvent, ReadingUpload, ReportingPeriod
from measures.performance import Rag
from measures.permissions import can_edit_indicator, indicators_editable_by
from measures.signals import period_published
from measures.validation import fraction_errors, text_errors, value_errors

EDITABLE = (Reading.Status.DRAFT, Reading.Status.RETURNED)


class ReadingConflict(Exception):
    """Someone else changed the reading since it was opened; nothing was saved."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        super().__init__(
            f"{reading.indicator.code} was changed by someone else while you were editing it "
            f"(now version {reading.version}). Nothing was saved: check their change and enter "
            "yours again."
        )


@dataclass(frozen=True)
class ReadingInput:
    """What an officer enters for one indicator and period."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    commentary: str = ""
    corrective_action: str = ""
    data_quality: str = Reading.DataQuality.PROVISIONAL


def reading_errors(indicator: Indicator, data: ReadingInput) -> dict[str, list[str]]:
    """Field-by-field problems with the input, empty when it may be saved as a draft."""
    errors: dict[str, list[str]] = {}
    if data.value is not None and (problems := value_errors(indicator, data.value)):
        errors["value"] = problems
    for field, problems in fraction_errors(
        indicator, data.value, data.numerator, data.denominator
    ).items():
        errors.setdefault(field, []).extend(problems)
    if data.data_quality not in Reading.DataQuality.values:
        errors["data_quality"] = ["Choose provisional, final or estimated"]
    for name in ("commentary", "corrective_action"):
        if problems := text_errors(getattr(data, name)):
            errors[name] = problems
    return errors


def reading_save(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    data: ReadingInput,
    by: User,
    expected_version: int,
    action: str = ReadingEvent.Action.EDITED,
    note: str = "",
    is_synthetic: bool = False,
) -> Reading:
    """Create or edit the draft reading; unchanged input saves nothing and adds no version.

    `expected_version` is the version the person started from: 0 when there was no reading
    yet. If the reading is no longer at that version, someone else saved it meanwhile and
    nothing is saved (`ReadingConflict`)."""
    _require_editor(by, indicator)
    _require_open(period, indicator)
    errors = reading_errors(indicator, data)
    if errors:
        raise ValidationError(errors)
    fields = asdict(data)
    with transaction.atomic():
        _periods_still_open([period])
        reading = _locked(indicator, period)
        if reading is None:
            return _create(indicator, period, fields, by, action, note, is_synthetic)
        if reading.version != expected_version:
            raise ReadingConflict(reading)
        changes = _draft_changes(reading, fields)
        if not changes:
            return reading
        fields["status"] = Reading.Status.DRAFT
        return _apply(reading, fields, by=by, action=action, note=note, changes=changes)


@dataclass(frozen=True)
class ReadingEntry:
    """One reading of a batch: what `reading_save` takes for a single one, including the
    version the person started from (0 when there was no reading yet)."""

    indicator: Indicator
    period: ReportingPeriod
    data: ReadingInput
    expected_version: int
    note: str = ""


# Rows per INSERT, and indicators per locking query, in a batch save.
BATCH = 500


def readings_save_many(
    *, entries: Sequence[ReadingEntry], by: User, action: str = ReadingEvent.Action.UPLOADED
) -> int:
    """Save many drafts as one: all or nothing, with the checks, versions and history that
    `reading_save` gives each. New readings and every event are inserted in batches; each
    changed reading is updated on its own, on the condition that its version is still the
    one read, so no concurrent edit is ever lost. Returns how many readings changed."""
    _require_editor_of_all(by, [entry.indicator for entry in entries])
    for entry in entries:
        _require_open(entry.period, entry.indicator)
        if errors := reading_errors(entry.indicator, entry.data):
            problems = "; ".join(message for messages in errors.values() for message in messages)
            raise ValidationError(f"{entry.indicator.code} for {entry.period}: {problems}")
    keys = [(entry.indicator.pk, entry.period.pk) for entry in entries]
    if len(set(keys)) != len(keys):
        raise ValidationError("The same indicator and period appear more than once.")
    with transaction.atomic():
        _periods_still_open(entry.period for entry in entries)
        current = _locked_many(keys)
        events: list[ReadingEvent] = []
        new: list[tuple[ReadingEntry, Reading]] = []
        for entry in entries:
            reading = current.get((entry.indicator.pk, entry.period.pk))
            fields = asdict(entry.data)
            if reading is not None and reading.version != entry.expected_version:
                raise ReadingConflict(reading)
            if reading is None:
                created = Reading(
                    indicator=entry.indicator, period=entry.period, updated_by=by, **fields
                )
                new.append((entry, created))
            elif event := _apply_entry(reading, entry, fields, by=by, action=action):
                events.append(event)
        events += _create_many(new, by=by, action=action)
        ReadingEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(events)


def _require_editor_of_all(by: User, indicators: list[Indicator]) -> None:
    """`_require_editor` for many indicators, in at most one query."""
    if is_performance_team(by):
        return
    allowed: set[int] = set()
    if has_role(by, Role.OFFICER):
        allowed = set(indicators_editable_by(by).values_list("pk", flat=True))
    for indicator in indicators:
        if indicator.pk not in allowed:
            _require_editor(by, indicator)  # raises, with the message a single save gives


def _locked_many(keys: list[tuple[int, int]]) -> dict[tuple[int, int], Reading]:
    """The existing readings of these (indicator, period) pairs, locked (not their indicators
    or periods), in a fixed order so two batches never wait on each other in a cycle."""
    indicator_ids = sorted({indicator_id for indicator_id, _ in keys})
    period_ids = {period_id for _, period_id in keys}
    wanted = set(keys)
    found: dict[tuple[int, int], Reading] = {}
    for start in range(0, len(indicator_ids), BATCH):
        locked = (
            Reading.objects.select_for_update(of=("self",))
            .select_related("indicator", "period")
            .filter(indicator_id__in=indicator_ids[start : start + BATCH], period_id__in=period_ids)
            .order_by("indicator_id", "period_id")
        )
        for reading in locked:
            if (key := (reading.indicator_id, reading.period_id)) in wanted:
                found[key] = reading
    return found


def _apply_entry(
    reading: Reading, entry: ReadingEntry, fields: dict[str, Any], *, by: User, action: str
) -> ReadingEvent | None:
    """Update one existing reading as `reading_save` would; its event, or None if unchanged."""
    changes = _draft_changes(reading, fields)
    if not changes:
        return None
    _update_at_version(reading, {**fields, "status": Reading.Status.DRAFT}, by=by)
    return ReadingEvent(
        reading=reading,
        version=reading.version + 1,
        action=action,
        by=by,
        note=entry.note,
        changes=changes,
    )


def _draft_changes(reading: Reading, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """What saving these fields as a draft would change ({} for nothing); refused if the
    reading is no longer the officer's to change."""
    if reading.status not in EDITABLE:
        raise ValidationError(
            f"{reading.indicator.code} for {reading.period} is "
            f"{reading.get_status_display().lower()}: it can be changed only if the "
            "performance team returns it."
        )
    changes = {
        k: [_plain(getattr(reading, k)), _plain(v)]
        for k, v in fields.items()
        if getattr(reading, k) != v
    }
    if reading.status == Reading.Status.RETURNED:
        changes["status"] = [reading.status, Reading.Status.DRAFT]
    return changes


def _create_many(
    new: list[tuple[ReadingEntry, Reading]], *, by: User, action: str
) -> list[ReadingEvent]:
    """Insert new readings in batches; their creation events (not yet saved)."""
    try:
        with transaction.atomic():
            Reading.objects.bulk_create([reading for _, reading in new], batch_size=BATCH)
    except IntegrityError:
        # Someone created one of them between our look and our insert.
        keys = {(reading.indicator_id, reading.period_id) for _, reading in new}
        for existing in Reading.objects.select_related("indicator").filter(
            period_id__in={period_id for _, period_id in keys}
        ):
            if (existing.indicator_id, existing.period_id) in keys:
                raise ReadingConflict(existing) from None
        raise
    if any(reading.pk is None for _, reading in new):  # SQLite before 3.35 returns no ids
        _fill_ids([reading for _, reading in new])
    return [
        _creation_event(reading, asdict(entry.data), by=by, action=action, note=entry.note)
        for entry, reading in new
    ]


def _fill_ids(readings: list[Reading]) -> None:
    ids = {
        (indicator_id, period_id): pk
        for pk, indicator_id, period_id in Reading.objects.filter(
            period_id__in={r.period_id for r in readings}
        ).values_list("pk", "indicator_id", "period_id")
    }
    for reading in readings:
        reading.pk = ids[(reading.indicator_id, reading.period_id)]


def reading_submit(*, reading: Reading, by: User, expected_version: int) -> Reading:
    """Send a draft for approval; a missing or red value needs commentary first."""
    _require_editor(by, reading.indicator)
    _require_open(reading.period, reading.indicator)
    if reading.status not in EDITABLE:
        raise ValidationError(
            f"{reading.indicator.code} is already {reading.get_status_display().lower()}."
        )
    if not reading.commentary.strip():
        if reading.value is None:
            raise ValidationError({"commentary": ["Explain why there is no value for this period"]})
        if status.reading_rag(reading) == Rag.RED:
            raise ValidationError(
                {
                    "commentary": [
                        "The value is off target (red): explain why and what is being done"
                    ]
                }
            )
    with transaction.atomic():
        _periods_still_open([reading.period])
        return _transition(
            reading,
            Reading.Status.SUBMITTED,
            by=by,
            expected_version=expected_version,
            action=ReadingEvent.Action.SUBMITTED,
            extra={"submitted_by": by},
        )


def reading_approve(*, reading: Reading, by: User, expected_version: int) -> Reading:
    """The performance team approves a submitted reading; never one they submitted themselves."""
    _require_performance_team(by)
    if reading.status != Reading.Status.SUBMITTED:
        raise ValidationError(
            f"{reading.indicator.code} is {reading.get_status_display().lower()}, not "
            "submitted: only submitted readings can be approved."
        )
    if reading.submitted_by_id == by.pk:
        raise PermissionDenied(
            "You submitted this reading, so someone else in the performance team must approve it."
        )
    if figures_set_by(reading, by):
        raise PermissionDenied(
            "You entered or changed this reading's figures, so someone else in the performance "
            "team must approve it."
        )
    with transaction.atomic():
        return _transition(
            reading,
            Reading.Status.APPROVED,
            by=by,
            expected_version=expected_version,
            action=ReadingEvent.Action.APPROVED,
        )


FIGURES = ("value", "numerator", "denominator")


def figures_set_by(reading: Reading, by: User) -> bool:
    """Whether this person ever entered or changed the reading's figures (four eyes: they
    may not then approve it)."""
    return any(
        any(name in event.changes for name in FIGURES)
        for event in reading.events.filter(by=by).only("changes")
    )


def reading_return(*, reading: Reading, by: User, note: str, expected_version: int) -> Reading:
    """Send a submitted or approved (unpublished) reading back to its officer with a note."""
    _require_performance_team(by)
    if reading.status not in (Reading.Status.SUBMITTED, Reading.Status.APPROVED):
        raise ValidationError(
            f"{reading.indicator.code} is {reading.get_status_display().lower()}: only "
            "submitted or approved readings can be returned."
        )
    if not note.strip():
        raise ValidationError({"return_note": ["Say what the officer needs to change"]})
    if problems := text_errors(note):
        raise ValidationError({"return_note": problems})
    with transaction.atomic():
        return _transition(
            reading,
            Reading.Status.RETURNED,
            by=by,
            expected_version=expected_version,
            action=ReadingEvent.Action.RETURNED,
            note=note.strip(),
            extra={"return_note": note.strip()},
        )


def period_open(*, period: ReportingPeriod, by: User) -> ReportingPeriod:
    """Open a period for returns (or reopen a closed one for corrections)."""
    return _period_move(
        period,
        by,
        {ReportingPeriod.State.NOT_OPEN, ReportingPeriod.State.CLOSED},
        ReportingPeriod.State.OPEN,
    )


def period_close(*, period: ReportingPeriod, by: User) -> ReportingPeriod:
    """Stop officers changing readings for the period."""
    return _period_move(period, by, {ReportingPeriod.State.OPEN}, ReportingPeriod.State.CLOSED)


def period_publish(*, period: ReportingPeriod, by: User) -> ReportingPeriod:
    """Publish a closed period: every approved reading becomes public (if its indicator is)."""
    _require_performance_team(by)
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.state != ReportingPeriod.State.CLOSED:
            raise ValidationError(
                f"{period} is {period.get_state_display().lower()}: close it before publishing."
            )
        waiting = period.readings.filter(status=Reading.Status.SUBMITTED).count()
        if waiting:
            raise ValidationError(
                f"{waiting} reading(s) for {period} still await approval: approve or return "
                "them before publishing."
            )
        for reading in period.readings.filter(status=Reading.Status.APPROVED).select_related(
            "indicator", "period"
        ):
            _transition(
                reading,
                Reading.Status.PUBLISHED,
                by=by,
                expected_version=reading.version,
                action=ReadingEvent.Action.PUBLISHED,
            )
        period.state = ReportingPeriod.State.PUBLISHED
        period.published_at = timezone.now()
        period.save(update_fields=["state", "published_at"])
        period_published.send(sender=ReportingPeriod, period=period)
    return period


def uploads_purge(*, now: datetime) -> int:
    """Delete the content and rows of uploads older than UPLOAD_RETENTION_DAYS, keeping the
    record of who uploaded which file when; how many were purged."""
    cutoff = now - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    return ReadingUpload.objects.filter(uploaded_at__lt=cutoff, purged_at__isnull=True).update(
        content=b"", rows=[], versions={}, purged_at=now
    )


# --- the steps the services share -----------------------------------------------------------


def _require_editor(by: User, indicator: Indicator) -> None:
    if not can_edit_indicator(by, indicator):
        raise PermissionDenied(
            f"You cannot enter readings for {indicator.code}: it is neither yours nor "
            "delegated to you."
        )


def _require_performance_team(by: User) -> None:
    if not is_performance_team(by):
        raise PermissionDenied("Only the performance team can do this.")


def _require_open(period: ReportingPeriod, indicator: Indicator) -> None:
    if period.state != ReportingPeriod.State.OPEN:
        raise _not_open(period)
    if not indicator.is_active_in(period.financial_year):
        raise ValidationError(
            f"{indicator.code} is not reported in the financial year of {period}."
        )


def _periods_still_open(periods: Iterable[ReportingPeriod]) -> None:
    """Refuse the save if a period has left the open state since the caller read it.

    On PostgreSQL the periods are read FOR SHARE, in id order, before any reading is locked:
    savers do not block one another, but a period cannot be closed (which locks it FOR UPDATE,
    then its readings) until the saves that saw it open have committed, and no two
    transactions take these locks in opposite orders.
    """
    ids = sorted({period.pk for period in periods})
    if not ids:
        return
    table = connection.ops.quote_name(ReportingPeriod._meta.db_table)
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            # Only the table name (from the model) and placeholders are put in the text.
            f"SELECT id, state FROM {table} WHERE id IN ({marks}) ORDER BY id{lock}",  # noqa: S608
            ids,
        )
        no_longer_open = [
            pk for pk, state in cursor.fetchall() if state != ReportingPeriod.State.OPEN
        ]
    if no_longer_open:
        raise _not_open(ReportingPeriod.objects.get(pk=no_longer_open[0]))


def _not_open(period: ReportingPeriod) -> ValidationError:
    return ValidationError(
        f"{period} is {period.get_state_display().lower()}: readings can only be entered "
        "or changed while it is open."
    )


def _locked(indicator: Indicator, period: ReportingPeriod) -> Reading | None:
    return (
        Reading.objects.select_for_update(of=("self",))
        .select_related("indicator", "period")
        .filter(indicator=indicator, period=period)
        .first()
    )


def _create(
    indicator: Indicator,
    period: ReportingPeriod,
    fields: dict[str, Any],
    by: User,
    action: str,
    note: str,
    is_synthetic: bool,
) -> Reading:
    try:
        with transaction.atomic():
            reading = Reading.objects.create(
                indicator=indicator,
                period=period,
                updated_by=by,
                is_synthetic=is_synthetic,
                **fields,
            )
    except IntegrityError:
        # Someone created it between our look and our insert.
        existing = Reading.objects.select_related("indicator").get(
            indicator=indicator, period=period
        )
        raise ReadingConflict(existing) from None
    _creation_event(reading, fields, by=by, action=action, note=note).save()
    return reading


def _creation_event(
    reading: Reading, fields: dict[str, Any], *, by: User, action: str, note: str
) -> ReadingEvent:
    """The (unsaved) first event of a new reading: every field entered, from nothing."""
    return ReadingEvent(
        reading=reading,
        version=1,
        action=action if action != ReadingEvent.Action.EDITED else ReadingEvent.Action.CREATED,
        by=by,
        note=note,
        changes={k: [None, _plain(v)] for k, v in fields.items() if v not in (None, "")},
    )


def _apply(
    reading: Reading,
    fields: dict[str, Any],
    *,
    by: User,
    action: str,
    note: str,
    changes: dict[str, list[Any]],
) -> Reading:
    _update_at_version(reading, fields, by=by)
    reading.refresh_from_db()
    ReadingEvent.objects.create(
        reading=reading, version=reading.version, action=action, by=by, note=note, changes=changes
    )
    return reading


def _update_at_version(reading: Reading, fields: dict[str, Any], *, by: User) -> None:
    """Write the fields and the next version, only if the row is still at the version read;
    otherwise someone else saved it meanwhile: a conflict, and nothing written."""
    updated = Reading.objects.filter(pk=reading.pk, version=reading.version).update(
        **fields, version=F("version") + 1, updated_by=by, updated_at=timezone.now()
    )
    if not updated:
        reading.refresh_from_db()
        raise ReadingConflict(reading)


def _transition(
    reading: Reading,
    to: str,
    *,
    by: User,
    expected_version: int,
    action: str,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> Reading:
    if reading.version != expected_version:
        raise ReadingConflict(reading)
    fields = {"status": to, **(extra or {})}
    changes = {"status": [reading.status, to]}
    return _apply(reading, fields, by=by, action=action, note=note, changes=changes)


def _period_move(
    period: ReportingPeriod, by: User, allowed_from: set[str], to: str
) -> ReportingPeriod:
    _require_performance_team(by)
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.state not in allowed_from:
            label = ReportingPeriod.State(to).label.lower()
            raise ValidationError(
                f"{period} is {period.get_state_display().lower()}, so it cannot be {label}."
            )
        period.state = to
        period.save(update_fields=["state"])
    return period


def _plain(value: object) -> object:
    """A value as JSON can keep it."""
    return str(value) if isinstance(value, Decimal) else value
