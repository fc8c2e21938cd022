"""Moving readings through approval: submit, approve, return; and the two pages' whole
actions (an officer's return of many readings; the performance team's decision on many), each
all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from measures import rag
from measures.models import Reading, ReadingEvent, ReportingPeriod
from measures.performance import Rag
from measures.permissions import submits_with_own_return
from measures.services.errors import ReadingKey, ReadingsRefused, key_of
from measures.services.guards import (
    periods_still_open,
    require_editor,
    require_open,
    require_performance_team,
)
from measures.services.history import transition
from measures.services.readings import EDITABLE, ReadingEntry, readings_save
from measures.services.scorecard import deferred
from measures.validation import text_errors

FIGURES = ("value", "numerator", "denominator")


def reading_submit(*, reading: Reading, by: User, expected_version: int) -> Reading:
    """Send a draft for approval; a missing or red value needs commentary first."""
    require_editor(by, reading.indicator)
    require_open(reading.period, reading.indicator)
    if reading.status not in EDITABLE:
        raise ValidationError(
            f"{reading.indicator.code} is already {reading.get_status_display().lower()}."
        )
    if not reading.commentary.strip():
        if reading.value is None:
            raise ValidationError({"commentary": ["Explain why there is no value for this period"]})
        if rag.reading_rag(reading) == Rag.RED:
            raise ValidationError(
                {
                    "commentary": [
                        "The value is off target (red): explain why and what is being done"
                    ]
                }
            )
    with transaction.atomic():
        periods_still_open([reading.period])
        return transition(
            reading,
            Reading.Status.SUBMITTED,
            by=by,
            expected_version=expected_version,
            action=ReadingEvent.Action.SUBMITTED,
            extra={"submitted_by": by},
        )


def figures_set_by(reading: Reading, by: User) -> bool:
    """Whether this person ever entered or changed the reading's figures (four eyes: they
    may not then approve it)."""
    return any(
        any(name in event.changes for name in FIGURES)
        for event in reading.events.filter(by=by).only("changes")
    )


def reading_approve(*, reading: Reading, by: User, expected_version: int) -> Reading:
    """The performance team approves a submitted reading; never one whose figures they set or
    that they submitted themselves."""
    require_performance_team(by)
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
        return transition(
            reading,
            Reading.Status.APPROVED,
            by=by,
            expected_version=expected_version,
            action=ReadingEvent.Action.APPROVED,
        )


def reading_return(*, reading: Reading, by: User, note: str, expected_version: int) -> Reading:
    """Send a submitted or approved (unpublished) reading back to its officer with a note."""
    require_performance_team(by)
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
        return transition(
            reading,
            Reading.Status.RETURNED,
            by=by,
            expected_version=expected_version,
            action=ReadingEvent.Action.RETURNED,
            note=note.strip(),
            extra={"return_note": note.strip()},
        )


@dataclass(frozen=True)
class ReturnsSaved:
    """What an officer's save of their return did."""

    saved: int  # readings saved (changed or not)
    submitted: int  # of them, sent for approval


def returns_save(
    *, period: ReportingPeriod, entries: Sequence[ReadingEntry], by: User, submit: bool
) -> ReturnsSaved:
    """Save every row of an officer's return for a period, and with `submit` send for approval
    the drafts that are theirs to send (measures.permissions.submits_with_own_return): all or
    nothing, every problem of every row in one ReadingsRefused."""
    with transaction.atomic():
        readings = readings_save(entries=entries, by=by) if entries else []
        submitted = 0
        if submit:
            refused: dict[ReadingKey, dict[str, list[str]]] = {}
            for reading in readings:
                if reading.status not in EDITABLE or not submits_with_own_return(by, reading):
                    continue
                try:
                    reading_submit(reading=reading, by=by, expected_version=reading.version)
                except ValidationError as error:
                    key = key_of(reading.indicator.code, period.code)
                    refused.update(ReadingsRefused.of(key, "", error).by_reading)
                    continue
                submitted += 1
            if refused:
                labels = {entry.key: entry.label for entry in entries}
                raise ReadingsRefused(refused, labels)
    return ReturnsSaved(saved=len(readings), submitted=submitted)


def readings_decide(
    *, decisions: Sequence[tuple[Reading, int | None]], approve: bool, note: str, by: User
) -> int:
    """Approve, or return with the note, each (reading, version the page showed): all or none.
    A version of None (the page sent something that is not one) is refused as out of date.
    Every problem of every reading in one ReadingsRefused; how many were decided."""
    require_performance_team(by)
    refused: dict[ReadingKey, dict[str, list[str]]] = {}
    labels: dict[ReadingKey, str] = {}
    with transaction.atomic(), deferred():
        for reading, version in decisions:
            key = key_of(reading.indicator.code, reading.period.code)
            labels[key] = f"{reading.indicator.code} ({reading.period})"
            try:
                if version is None:
                    raise ValidationError("this page was out of date: reload it and choose again")
                if approve:
                    reading_approve(reading=reading, by=by, expected_version=version)
                else:
                    reading_return(reading=reading, by=by, note=note, expected_version=version)
            except (ValidationError, PermissionDenied) as error:
                problem = (
                    error if isinstance(error, ValidationError) else ValidationError(str(error))
                )
                refused.update(ReadingsRefused.of(key, "", problem).by_reading)
        if refused:
            raise ReadingsRefused(refused, labels)
    return len(decisions)
