"""Versioned writes to readings, each with the event that records it: who, when, what, why.

A reading is only ever updated on the condition that it is still at the version read, so a
concurrent edit is refused (ReadingConflict), never overwritten.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from measures.models import Reading, ReadingEvent
from measures.services.errors import ReadingConflict
from measures.services.scorecard import scores_after_move


def as_json(value: object) -> object:
    """A value as a reading event's JSON keeps it (a Decimal exactly, as text)."""
    return str(value) if isinstance(value, Decimal) else value


def update_at_version(reading: Reading, fields: dict[str, Any], *, by: User) -> None:
    """Write the fields and the next version, only if the row is still at the version read;
    otherwise someone else saved it meanwhile: a conflict, and nothing written. The object in
    hand is brought up to date with what was written."""
    now = timezone.now()
    updated = Reading.objects.filter(pk=reading.pk, version=reading.version).update(
        **fields, version=F("version") + 1, updated_by=by, updated_at=now
    )
    if not updated:
        reading.refresh_from_db()
        raise ReadingConflict(reading)
    for name, value in fields.items():
        setattr(reading, name, value)
    reading.version += 1
    reading.updated_by, reading.updated_at = by, now


def creation_event(
    reading: Reading, fields: dict[str, Any], *, by: User, action: str, note: str
) -> ReadingEvent:
    """The (unsaved) first event of a new reading: every field entered, from nothing."""
    return ReadingEvent(
        reading=reading,
        version=1,
        action=action if action != ReadingEvent.Action.EDITED else ReadingEvent.Action.CREATED,
        by=by,
        note=note,
        changes={k: [None, as_json(v)] for k, v in fields.items() if v not in (None, "")},
    )


def transition(
    reading: Reading,
    to: str,
    *,
    by: User,
    expected_version: int,
    action: str,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> Reading:
    """Move the reading to another status at the version the person saw, with its event."""
    if reading.version != expected_version:
        raise ReadingConflict(reading)
    fields = {"status": to, **(extra or {})}
    before = reading.status
    update_at_version(reading, fields, by=by)
    ReadingEvent.objects.create(
        reading=reading,
        version=reading.version,
        action=action,
        by=by,
        note=note,
        changes={"status": [before, to]},
    )
    scores_after_move(reading=reading, before=before, after=to)
    return reading
