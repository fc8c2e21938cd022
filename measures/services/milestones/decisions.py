"""Moving milestone updates through approval: submit, approve, return, publish with the
period; and the pages' whole actions on many, each all or nothing (as decisions.py does for
readings). Nobody approves an update they wrote or submitted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.roles import is_performance_team
from measures.models import (
    MilestoneUpdate,
    MilestoneUpdateEvent,
    Reading,
    ReportingPeriod,
)
from measures.permissions import (
    can_edit_milestone,
    submits_own_milestone_update,
)
from measures.services.errors import WHOLE, ReadingKey, ReadingsRefused
from measures.services.guards import periods_still_open, require_performance_team
from measures.services.milestone_scores import deferred, milestone_scores_refresh
from measures.services.milestones.drafts import (
    FIGURES,
    MilestoneUpdateConflict,
    key_of,
    label_of,
    open_problem,
    submit_errors,
    write_at_version,
)
from measures.validation import text_errors

Action = MilestoneUpdateEvent.Action


def _transition(
    update: MilestoneUpdate,
    to: str,
    *,
    by: User,
    expected_version: int,
    action: str,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> MilestoneUpdate:
    if update.version != expected_version:
        raise MilestoneUpdateConflict(update)
    before = update.status
    write_at_version(update, {"status": to, **(extra or {})}, by=by)
    MilestoneUpdateEvent.objects.create(
        update=update,
        version=update.version,
        action=action,
        by=by,
        note=note,
        changes={"status": [before, to]},
    )
    milestone_scores_refresh([update.milestone_id])
    return update


def milestone_update_submit(
    *, update: MilestoneUpdate, by: User, expected_version: int
) -> MilestoneUpdate:
    """Send a draft update for approval; slipped, at risk or a moved date need the reason and
    the corrective action first."""
    if not can_edit_milestone(by, update.milestone):
        raise PermissionDenied(
            f"You cannot submit the update for {label_of(update.milestone)}: it is neither "
            "yours nor delegated to you."
        )
    if problem := open_problem(update.milestone, update.period):
        raise ValidationError(problem)
    if problems := submit_errors(update):
        whole = problems.pop(WHOLE, None)
        raise ValidationError(whole[0] if whole else problems)
    with transaction.atomic():
        periods_still_open([update.period])
        return _transition(
            update,
            Reading.Status.SUBMITTED,
            by=by,
            expected_version=expected_version,
            action=Action.SUBMITTED,
            extra={"submitted_by": by},
        )


def set_by(update: MilestoneUpdate, by: User) -> bool:
    """Whether this person ever wrote the update's content (four eyes: they may not approve)."""
    return any(
        any(name in event.changes for name in FIGURES)
        for event in update.events.filter(by=by).only("changes")
    )


def milestone_update_approve(
    *, update: MilestoneUpdate, by: User, expected_version: int
) -> MilestoneUpdate:
    """The performance team approves a submitted update; never one they wrote or submitted."""
    require_performance_team(by)
    if update.status != Reading.Status.SUBMITTED:
        raise ValidationError(
            f"it is {update.get_status_display().lower()}, not submitted: only submitted "
            "updates can be approved."
        )
    if update.submitted_by_id == by.pk:
        raise PermissionDenied(
            "You submitted this update, so someone else in the performance team must approve it."
        )
    if set_by(update, by):
        raise PermissionDenied(
            "You wrote or changed this update, so someone else in the performance team must "
            "approve it."
        )
    with transaction.atomic():
        return _transition(
            update,
            Reading.Status.APPROVED,
            by=by,
            expected_version=expected_version,
            action=Action.APPROVED,
        )


def milestone_update_return(
    *, update: MilestoneUpdate, by: User, note: str, expected_version: int
) -> MilestoneUpdate:
    """Send a submitted or approved (unpublished) update back to its officer with a note."""
    require_performance_team(by)
    if update.status not in (Reading.Status.SUBMITTED, Reading.Status.APPROVED):
        raise ValidationError(
            f"it is {update.get_status_display().lower()}: only submitted or approved updates "
            "can be returned."
        )
    if not note.strip():
        raise ValidationError({"return_note": ["Say what the officer needs to change"]})
    if problems := text_errors(note):
        raise ValidationError({"return_note": problems})
    with transaction.atomic():
        return _transition(
            update,
            Reading.Status.RETURNED,
            by=by,
            expected_version=expected_version,
            action=Action.RETURNED,
            note=note.strip(),
            extra={"return_note": note.strip()},
        )


def submit_errors_for(*, update: MilestoneUpdate, by: User) -> dict[str, list[str]]:
    """Why this person cannot send the update from their returns now (empty when they can)."""
    if not submits_own_milestone_update(by, update):
        return {
            WHOLE: [
                "it was entered by someone else: only they can submit it from their returns"
                if is_performance_team(by)
                else "it is neither yours nor delegated to you"
            ]
        }
    return submit_errors(update)


CHANGED_SINCE_CHECKED = (
    "it was changed after you checked it (by someone else, or by you in another window): "
    "check it again below"
)


def milestone_updates_submit(
    *,
    period: ReportingPeriod,
    chosen: Sequence[tuple[MilestoneUpdate, int | None]],
    by: User,
) -> int:
    """Send for approval exactly the updates an officer checked, each at the version the page
    showed (None: not a version): all or none, every problem in one ReadingsRefused."""
    if not chosen:
        raise ValidationError("Choose at least one milestone update to submit for approval")
    refused: dict[ReadingKey, dict[str, list[str]]] = {}
    labels: dict[ReadingKey, str] = {}
    with transaction.atomic(), deferred():
        for update, version in chosen:
            key = key_of(update.milestone, update.period)
            labels[key] = label_of(update.milestone, update.period)
            if update.period_id != period.pk:
                refused[key] = {WHOLE: [f"it is not an update for {period}"]}
            elif version is None or version != update.version:
                refused[key] = {WHOLE: [CHANGED_SINCE_CHECKED]}
            elif problems := submit_errors_for(update=update, by=by):
                refused[key] = problems
            else:
                try:
                    milestone_update_submit(update=update, by=by, expected_version=version)
                except MilestoneUpdateConflict:
                    refused[key] = {WHOLE: [CHANGED_SINCE_CHECKED]}
                except (ValidationError, PermissionDenied) as error:
                    refused.update(_refused(key, error))
        if refused:
            raise ReadingsRefused(refused, labels)
    return len(chosen)


@dataclass(frozen=True)
class MilestoneDecision:
    """One update the performance team decided on, at the version the page showed."""

    update: MilestoneUpdate
    version: int | None
    note: str = ""


def milestone_updates_decide(
    *, decisions: Sequence[MilestoneDecision], approve: bool, by: User, note: str = ""
) -> int:
    """Approve, or return each with its own note (or else `note`), all or none."""
    require_performance_team(by)
    refused: dict[ReadingKey, dict[str, list[str]]] = {}
    labels: dict[ReadingKey, str] = {}
    with transaction.atomic(), deferred():
        for decision in decisions:
            update, version = decision.update, decision.version
            key = key_of(update.milestone, update.period)
            labels[key] = label_of(update.milestone, update.period)
            try:
                if version is None:
                    raise ValidationError("this page was out of date: reload it and choose again")
                if approve:
                    milestone_update_approve(update=update, by=by, expected_version=version)
                else:
                    milestone_update_return(
                        update=update,
                        by=by,
                        note=decision.note.strip() or note,
                        expected_version=version,
                    )
            except (ValidationError, PermissionDenied) as error:
                refused.update(_refused(key, error))
        if refused:
            raise ReadingsRefused(refused, labels)
    return len(decisions)


def milestone_updates_publish(*, period: ReportingPeriod, by: User) -> int:
    """With its period (periods.period_publish calls this inside its transaction): every
    approved update becomes published; how many."""
    approved = MilestoneUpdate.objects.select_related("milestone__scheme", "period").filter(
        period=period, status=Reading.Status.APPROVED
    )
    count = 0
    with deferred():
        for update in approved:
            _transition(
                update,
                Reading.Status.PUBLISHED,
                by=by,
                expected_version=update.version,
                action=Action.PUBLISHED,
            )
            count += 1
    return count


def waiting_in(period: ReportingPeriod) -> int:
    """Updates of the period still awaiting approval."""
    return MilestoneUpdate.objects.filter(period=period, status=Reading.Status.SUBMITTED).count()


def _refused(
    key: ReadingKey, error: ValidationError | PermissionDenied
) -> dict[ReadingKey, dict[str, list[str]]]:
    problem = error if isinstance(error, ValidationError) else ValidationError(str(error))
    return ReadingsRefused.of(key, "", problem).by_reading
