"""Moving readings through approval: submit, approve, return; and the two pages' whole
actions (an officer's return of many readings, saved then checked then submitted; the
performance team's decision on many), each all or nothing."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.roles import is_performance_team
from measures import rag
from measures.models import Reading, ReadingEvent, ReportingPeriod
from measures.performance import Rag
from measures.permissions import submits_with_own_return
from measures.services.errors import WHOLE, ReadingConflict, ReadingKey, ReadingsRefused, key_of
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


def submit_errors(reading: Reading) -> dict[str, list[str]]:
    """Why the reading cannot be sent for approval yet, by field; empty when it can."""
    if reading.status not in EDITABLE:
        return {
            WHOLE: [f"{reading.indicator.code} is already {reading.get_status_display().lower()}."]
        }
    if not reading.commentary.strip():
        if reading.value is None:
            return {"commentary": ["Explain why there is no value for this period"]}
        if rag.reading_rag(reading) == Rag.RED:
            return {
                "commentary": ["The value is off target (red): explain why and what is being done"]
            }
    return {}


def reading_submit(*, reading: Reading, by: User, expected_version: int) -> Reading:
    """Send a draft for approval; a missing or red value needs commentary first."""
    require_editor(by, reading.indicator)
    require_open(reading.period, reading.indicator)
    if problems := submit_errors(reading):
        whole = problems.pop(WHOLE, None)
        raise ValidationError(whole[0] if whole else problems)
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
    to_submit: list[Reading]  # of them, the ones chosen to submit, each ready to be sent


def returns_save(
    *,
    period: ReportingPeriod,
    entries: Sequence[ReadingEntry],
    by: User,
    to_submit: Collection[str] = (),
) -> ReturnsSaved:
    """Save every row of an officer's return for a period as drafts and check, without sending
    them, that the readings of the indicators chosen to submit (`to_submit`, codes) can be
    sent: all or nothing, every problem of every row in one ReadingsRefused."""
    with transaction.atomic():
        readings = readings_save(entries=entries, by=by) if entries else []
        chosen = [r for r in readings if r.indicator.code in to_submit]
        refused: dict[ReadingKey, dict[str, list[str]]] = {}
        for reading in chosen:
            if problems := returns_submit_errors(reading=reading, by=by):
                refused[key_of(reading.indicator.code, period.code)] = problems
        if refused:
            raise ReadingsRefused(refused, {entry.key: entry.label for entry in entries})
    return ReturnsSaved(saved=len(readings), to_submit=chosen)


def returns_submit_errors(*, reading: Reading, by: User) -> dict[str, list[str]]:
    """Why this person cannot send the reading from their returns now, by field (empty when
    they can): it must be theirs to send and ready (submit_errors)."""
    if not submits_with_own_return(by, reading):
        return {
            WHOLE: [
                "it was entered by someone else: only they can submit it from their returns"
                if is_performance_team(by)
                else "it is neither yours nor delegated to you"
            ]
        }
    return submit_errors(reading)


CHANGED_SINCE_CHECKED = (
    "it was changed after you checked it (by someone else, or by you in another window): "
    "check it again below"
)


def returns_submit(
    *, period: ReportingPeriod, chosen: Sequence[tuple[Reading, int | None]], by: User
) -> int:
    """Send for approval exactly the readings an officer checked, each at the version the check
    page showed (None: the page sent something that is not one): all or none, every problem
    in one ReadingsRefused; how many were sent."""
    if not chosen:
        raise ValidationError("Choose at least one reading to submit for approval")
    refused: dict[ReadingKey, dict[str, list[str]]] = {}
    labels: dict[ReadingKey, str] = {}
    with transaction.atomic(), deferred():
        for reading, version in chosen:
            key = key_of(reading.indicator.code, period.code)
            labels[key] = f"{reading.indicator.code} ({period})"
            if reading.period_id != period.pk:
                refused[key] = {WHOLE: [f"it is not a reading for {period}"]}
                continue
            if version is None or version != reading.version:
                refused[key] = {WHOLE: [CHANGED_SINCE_CHECKED]}
                continue
            if problems := returns_submit_errors(reading=reading, by=by):
                refused[key] = problems
                continue
            try:
                reading_submit(reading=reading, by=by, expected_version=version)
            except ReadingConflict:
                refused[key] = {WHOLE: [CHANGED_SINCE_CHECKED]}
            except (ValidationError, PermissionDenied) as error:
                refused.update(_refused(key, error))
        if refused:
            raise ReadingsRefused(refused, labels)
    return len(chosen)


@dataclass(frozen=True)
class Decision:
    """One reading the performance team decided on: the version the page showed (None when
    the page sent something that is not one) and, for a return, its own note."""

    reading: Reading
    version: int | None
    note: str = ""


def readings_decide(
    *, decisions: Sequence[Decision], approve: bool, by: User, note: str = ""
) -> int:
    """Approve, or return each with its own note (or else `note`, the one for them all), each
    reading at the version the page showed: all or none. A version of None is refused as out
    of date. Every problem of every reading in one ReadingsRefused; how many were decided."""
    require_performance_team(by)
    refused: dict[ReadingKey, dict[str, list[str]]] = {}
    labels: dict[ReadingKey, str] = {}
    with transaction.atomic(), deferred():
        for decision in decisions:
            reading, version = decision.reading, decision.version
            key = key_of(reading.indicator.code, reading.period.code)
            labels[key] = f"{reading.indicator.code} ({reading.period})"
            try:
                if version is None:
                    raise ValidationError("this page was out of date: reload it and choose again")
                if approve:
                    reading_approve(reading=reading, by=by, expected_version=version)
                else:
                    reading_return(
                        reading=reading,
                        by=by,
                        note=decision.note.strip() or note,
                        expected_version=version,
                    )
            except (ValidationError, PermissionDenied) as error:
                refused.update(_refused(key, error))
        if refused:
            raise ReadingsRefused(refused, labels)
    return len(decisions)


def _refused(
    key: ReadingKey, error: ValidationError | PermissionDenied
) -> dict[ReadingKey, dict[str, list[str]]]:
    """One reading's refusal, by field, in the shape ReadingsRefused collects."""
    problem = error if isinstance(error, ValidationError) else ValidationError(str(error))
    return ReadingsRefused.of(key, "", problem).by_reading
