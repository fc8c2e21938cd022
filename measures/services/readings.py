"""Saving readings as drafts: one path for one reading or many, with every check, version and
event, all or nothing.

Two people saving the same reading never lose an edit: each save names the version it started
from (0: there was no reading yet), and a reading is only updated if it is still at that
version (`ReadingConflict`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.models import Indicator, Reading, ReadingEvent, ReportingPeriod, ScoreAudience
from measures.services.errors import WHOLE, ReadingConflict, ReadingKey, ReadingsRefused, key_of
from measures.services.guards import (
    in_plans_of,
    open_problem,
    periods_still_open,
    require_editor_of_all,
)
from measures.services.history import as_json, creation_event, update_at_version
from measures.services.scorecard import scores_refresh
from measures.validation import fraction_errors, text_errors, value_errors

EDITABLE = (Reading.Status.DRAFT, Reading.Status.RETURNED)
# Rows per INSERT, and indicators per locking query, in a batch save.
BATCH = 500


@dataclass(frozen=True)
class ReadingInput:
    """What an officer enters for one indicator and period."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    commentary: str = ""
    corrective_action: str = ""
    data_quality: str = Reading.DataQuality.PROVISIONAL


@dataclass(frozen=True)
class ReadingEntry:
    """One reading to save: what was entered, and the version the person started from
    (0 when there was no reading yet)."""

    indicator: Indicator
    period: ReportingPeriod
    data: ReadingInput
    expected_version: int
    note: str = ""

    @property
    def key(self) -> ReadingKey:
        return key_of(self.indicator.code, self.period.code)

    @property
    def label(self) -> str:
        return f"{self.indicator.code} for {self.period}"


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
    """Create or edit one draft reading; unchanged input saves nothing and adds no version."""
    entry = ReadingEntry(indicator, period, data, expected_version, note)
    [reading] = readings_save(entries=[entry], by=by, action=action, is_synthetic=is_synthetic)
    return reading


def readings_save_many(
    *, entries: Sequence[ReadingEntry], by: User, action: str = ReadingEvent.Action.UPLOADED
) -> int:
    """`readings_save` for a file's rows; returns how many readings changed."""
    before = {entry.key: entry.expected_version for entry in entries}
    saved = readings_save(entries=entries, by=by, action=action)
    return sum(
        reading.version != before[key_of(reading.indicator.code, reading.period.code)]
        for reading in saved
    )


def readings_save(
    *,
    entries: Sequence[ReadingEntry],
    by: User,
    action: str = ReadingEvent.Action.EDITED,
    is_synthetic: bool = False,
) -> list[Reading]:
    """Save drafts as one: all or nothing, each checked, versioned and recorded. New readings
    and every event are inserted in batches; each changed reading is updated on its own, on
    the condition that its version is still the one read. The readings, in the entries' order.

    Raises PermissionDenied for an indicator that is not the person's, ReadingConflict for a
    reading changed since it was read, and ReadingsRefused with every other problem of every
    entry, by reading and by field."""
    require_editor_of_all(by, [entry.indicator for entry in entries])
    _refuse_bad_input(entries)
    fields_of = {entry.key: asdict(entry.data) for entry in entries}
    with transaction.atomic():
        try:
            periods_still_open(entry.period for entry in entries)
        except ValidationError as closed:
            first = entries[0]
            raise ReadingsRefused.of(first.key, first.label, closed) from None
        current = _locked_many([(entry.indicator.pk, entry.period.pk) for entry in entries])
        events: list[ReadingEvent] = []
        new: list[tuple[ReadingEntry, Reading]] = []
        saved: dict[ReadingKey, Reading] = {}
        refused: dict[ReadingKey, dict[str, list[str]]] = {}
        for entry in entries:
            reading = current.get((entry.indicator.pk, entry.period.pk))
            if reading is None:
                created = Reading(
                    indicator=entry.indicator,
                    period=entry.period,
                    updated_by=by,
                    is_synthetic=is_synthetic,
                    **fields_of[entry.key],
                )
                new.append((entry, created))
                saved[entry.key] = created
                continue
            if reading.version != entry.expected_version:
                raise ReadingConflict(reading)
            try:
                event = _apply_entry(
                    reading,
                    entry,
                    fields_of[entry.key],
                    by=by,
                    action=action,
                    synthetic=is_synthetic,
                )
            except ValidationError as not_editable:
                refused[entry.key] = {WHOLE: list(not_editable.messages)}
                continue
            if event is not None:
                events.append(event)
            saved[entry.key] = reading
        if refused:
            raise ReadingsRefused(refused, {entry.key: entry.label for entry in entries})
        events += _create_many(new, by=by, action=action)
        ReadingEvent.objects.bulk_create(events, batch_size=BATCH)
        # Drafts are seen only in the returns workflow: only its scores can change.
        scores_refresh(changes=_changed(events), audiences=(ScoreAudience.WORKFLOW,))
    return [saved[entry.key] for entry in entries]


def _changed(events: Sequence[ReadingEvent]) -> dict[int, set[int]]:
    """The periods of each indicator whose readings the events changed."""
    changed: dict[int, set[int]] = {}
    for event in events:
        reading = event.reading
        changed.setdefault(reading.indicator_id, set()).add(reading.period_id)
    return changed


def _refuse_bad_input(entries: Sequence[ReadingEntry]) -> None:
    """Every problem with what was entered, before anything is locked or written."""
    refused: dict[ReadingKey, dict[str, list[str]]] = {}
    seen: set[ReadingKey] = set()
    served = in_plans_of((entry.period, entry.indicator) for entry in entries)
    for entry in entries:
        problems = dict(reading_errors(entry.indicator, entry.data))
        if whole := open_problem(entry.period, entry.indicator, served):
            problems[WHOLE] = [whole]
        if entry.key in seen:
            problems.setdefault(WHOLE, []).append(
                "The same indicator and period appear more than once."
            )
        seen.add(entry.key)
        if problems:
            refused[entry.key] = problems
    if refused:
        raise ReadingsRefused(refused, {entry.key: entry.label for entry in entries})


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
    reading: Reading,
    entry: ReadingEntry,
    fields: dict[str, Any],
    *,
    by: User,
    action: str,
    synthetic: bool,
) -> ReadingEvent | None:
    """Update one existing reading with what was entered; its event, or None if unchanged. A
    figure a person changes is theirs: it stops being labelled synthetic demo data."""
    changes = draft_changes(reading, fields)
    if not changes:
        return None
    if reading.is_synthetic != synthetic:
        changes["is_synthetic"] = [reading.is_synthetic, synthetic]
    update_at_version(
        reading, {**fields, "status": Reading.Status.DRAFT, "is_synthetic": synthetic}, by=by
    )
    return ReadingEvent(
        reading=reading,
        version=reading.version,
        action=action,
        by=by,
        note=entry.note,
        changes=changes,
    )


def draft_changes(reading: Reading, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """What saving these fields as a draft would change ({} for nothing); refused if the
    reading is no longer the officer's to change."""
    if reading.status not in EDITABLE:
        raise ValidationError(
            f"it is {reading.get_status_display().lower()}: it can be changed only if the "
            "performance team returns it."
        )
    changes = {
        k: [as_json(getattr(reading, k)), as_json(v)]
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
    if not new:
        return []
    try:
        with transaction.atomic():
            Reading.objects.bulk_create([reading for _, reading in new], batch_size=BATCH)
    except IntegrityError:
        # Someone created one of them between our look and our insert.
        keys = {(reading.indicator_id, reading.period_id) for _, reading in new}
        for existing in Reading.objects.select_related("indicator", "period").filter(
            period_id__in={period_id for _, period_id in keys}
        ):
            if (existing.indicator_id, existing.period_id) in keys:
                raise ReadingConflict(existing) from None
        raise
    if any(reading.pk is None for _, reading in new):  # SQLite before 3.35 returns no ids
        _fill_ids([reading for _, reading in new])
    return [
        creation_event(reading, asdict(entry.data), by=by, action=action, note=entry.note)
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
