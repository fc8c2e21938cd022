"""Every write of the scrutiny loop: recording a meeting, adding a recommendation made at it,
and updating a recommendation's progress. The performance team only; all or nothing; every
change to a recommendation is kept as a RecommendationUpdate; an edit from an out-of-date
page is refused."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ambitions.models import Milestone
from core import versioning
from measures.models import Indicator, ReportingPeriod
from measures.validation import text_errors
from portfolios.models import Portfolio, ScrutinyCommittee
from scrutiny.models import CLOSED, Meeting, Recommendation, RecommendationUpdate
from scrutiny.permissions import can_record

Status = Recommendation.Status
NOT_ALLOWED = "Only the performance team records committee meetings and recommendations."
FINGERPRINT = 64


class StaleUpdate(ValidationError):
    """The recommendation changed since the page the update was made on."""


def _allowed(by: User) -> None:
    if not can_record(by):
        raise PermissionDenied(NOT_ALLOWED)


def _text_problems(text: str, *, required: str) -> list[str]:
    if not text.strip():
        return [required]
    return text_errors(text)


def meeting_record(
    *,
    committee: ScrutinyCommittee,
    held_on: date | None,
    period: ReportingPeriod | None,
    by: User,
    minutes_url: str = "",
    report_fingerprint: str = "",
) -> Meeting:
    """Record a meeting the committee has held, and the period whose report it considered."""
    _allowed(by)
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = ["Enter the date the meeting was held"]
    elif held_on > timezone.localdate():
        errors["held_on"] = [
            "The meeting must already have been held: enter a date not after today"
        ]
    elif Meeting.objects.filter(committee=committee, held_on=held_on).exists():
        errors["held_on"] = [f"{committee} already has a meeting on {held_on:%d %B %Y}"]
    if period is not None and held_on is not None and held_on < period.end:
        errors["period"] = [
            f"A meeting on {held_on:%d %B %Y} cannot have considered the {period} report: "
            f"that period ends on {period.end:%d %B %Y}"
        ]
    if len(report_fingerprint) > FINGERPRINT:
        errors["report_fingerprint"] = [f"A fingerprint is at most {FINGERPRINT} characters"]
    if errors or held_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            committee=committee,
            held_on=held_on,
            period=period,
            minutes_url=minutes_url.strip(),
            report_fingerprint=report_fingerprint.strip(),
            recorded_by=by,
        )
    versioning.bump()
    return meeting


def meeting_fingerprint_set(*, meeting: Meeting, fingerprint: str, by: User) -> Meeting:
    """Note which report (by its fingerprint) the meeting considered."""
    _allowed(by)
    if not fingerprint.strip() or len(fingerprint.strip()) > FINGERPRINT:
        raise ValidationError(
            {
                "report_fingerprint": [
                    f"Give the report's fingerprint (up to {FINGERPRINT} characters)"
                ]
            }
        )
    Meeting.objects.filter(pk=meeting.pk).update(report_fingerprint=fingerprint.strip())
    meeting.report_fingerprint = fingerprint.strip()
    versioning.bump()
    return meeting


def recommendation_add(
    *,
    meeting: Meeting,
    text: str,
    by: User,
    portfolio: Portfolio | None = None,
    indicators: Iterable[Indicator] = (),
    milestones: Iterable[Milestone] = (),
    owner: User | None = None,
    owner_name: str = "",
    due_on: date | None = None,
) -> Recommendation:
    """Add a recommendation the committee made at the meeting: open, with its first update."""
    _allowed(by)
    errors: dict[str, list[str]] = {}
    if problems := _text_problems(text, required="Enter the recommendation's text"):
        errors["text"] = problems
    if len(owner_name.strip()) > 200:
        errors["owner_name"] = ["Enter the owner's name in at most 200 characters"]
    if due_on is not None and due_on < meeting.held_on:
        errors["due_on"] = [
            f"The due date must be on or after the meeting ({meeting.held_on:%d %B %Y})"
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            meeting=meeting,
            text=text.strip(),
            portfolio=portfolio,
            owner=owner,
            owner_name="" if owner else owner_name.strip(),
            due_on=due_on,
        )
        recommendation.indicators.set(list(indicators))
        recommendation.milestones.set(list(milestones))
        RecommendationUpdate.objects.create(
            recommendation=recommendation,
            version=1,
            by=by,
            status=Status.OPEN,
            note="Made at the meeting",
        )
    versioning.bump()
    return recommendation


def recommendation_update(
    *,
    recommendation: Recommendation,
    status: str,
    note: str,
    by: User,
    expected_version: int | None,
) -> Recommendation:
    """Record progress: a new status (or the same) with a note saying what happened. Closing it
    (done, or not accepted) stamps when; reopening clears that."""
    _allowed(by)
    errors: dict[str, list[str]] = {}
    if status not in Status.values:
        errors["status"] = ["Choose the recommendation's status"]
    if problems := _text_problems(note, required="Say what has happened since the last update"):
        errors["note"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if expected_version != current.version:
            raise StaleUpdate(
                "Someone else updated this recommendation while you were editing: "
                "read its latest update below and try again"
            )
        was_closed = current.status in CLOSED
        current.status = status
        current.version += 1
        if status in CLOSED and not was_closed:
            current.closed_at = timezone.now()
        elif status not in CLOSED:
            current.closed_at = None
        current.save(update_fields=["status", "version", "closed_at"])
        RecommendationUpdate.objects.create(
            recommendation=current,
            version=current.version,
            by=by,
            status=status,
            note=note.strip(),
        )
    versioning.bump()
    return current
