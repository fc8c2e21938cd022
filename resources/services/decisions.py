"""Approving, returning and publishing finance returns: the readings' workflow for the
quarter's figures. Nobody approves figures they uploaded."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import versioning
from core.roles import is_performance_team
from measures.models import ReportingPeriod
from resources.choices import FinanceStatus
from resources.models import FinanceEvent, FinanceReturn

CHANGED = (
    "{what} changed while you were looking at it (it is now version {now}, you saw version "
    "{seen}): look at it again before deciding."
)


def finance_waiting(period: ReportingPeriod) -> int:
    """How many of the period's returns await approval."""
    return FinanceReturn.objects.filter(period=period, status=FinanceStatus.SUBMITTED).count()


def finance_approved(period: ReportingPeriod) -> list[str]:
    """The kinds of the period's approved returns (published when the period is)."""
    return list(
        FinanceReturn.objects.filter(period=period, status=FinanceStatus.APPROVED)
        .order_by("kind")
        .values_list("kind", flat=True)
    )


def finance_approve(
    *, finance_return: FinanceReturn, by: User, expected_version: int
) -> FinanceReturn:
    """Approve a return awaiting approval: members see its figures from now on, and the
    public once the period is published."""
    with transaction.atomic():
        locked = _decidable(finance_return, by, expected_version)
        _move(locked, FinanceStatus.APPROVED, by, FinanceEvent.Action.APPROVED, "")
    versioning.bump()
    return locked


def finance_return_back(
    *, finance_return: FinanceReturn, by: User, note: str, expected_version: int
) -> FinanceReturn:
    """Send a return back to finance for correction, saying what is wrong."""
    note = note.strip()
    if not note:
        raise ValidationError(
            "Say what needs correcting: finance will see your note when they upload again."
        )
    with transaction.atomic():
        locked = _decidable(finance_return, by, expected_version)
        locked.return_note = note
        _move(locked, FinanceStatus.RETURNED, by, FinanceEvent.Action.RETURNED, note)
    versioning.bump()
    return locked


def finance_publish(*, period: ReportingPeriod, by: User | None) -> int:
    """Publish the period's approved returns (called as the period is published, in its
    transaction); how many were published."""
    count = 0
    with transaction.atomic():
        approved = FinanceReturn.objects.select_for_update().filter(
            period=period, status=FinanceStatus.APPROVED
        )
        for finance_return in approved:
            _move(finance_return, FinanceStatus.PUBLISHED, by, FinanceEvent.Action.PUBLISHED, "")
            count += 1
    if count:
        versioning.bump()
    return count


def _decidable(finance_return: FinanceReturn, by: User, expected_version: int) -> FinanceReturn:
    """The return locked, if this person may decide on it as they saw it."""
    if not is_performance_team(by):
        raise PermissionDenied("Only the performance team approves or returns finance figures.")
    locked = (
        FinanceReturn.objects.select_for_update().select_related("period").get(pk=finance_return.pk)
    )
    if locked.version != expected_version:
        raise ValidationError(
            CHANGED.format(what=str(locked), now=locked.version, seen=expected_version)
        )
    if locked.status != FinanceStatus.SUBMITTED:
        raise ValidationError(
            f"{locked} is {locked.get_status_display().lower()}: only figures awaiting "
            "approval can be approved or returned."
        )
    if locked.submitted_by_id == by.pk:
        raise PermissionDenied(
            f"You uploaded {locked}: another member of the performance team must approve or "
            "return it."
        )
    return locked


def _move(
    finance_return: FinanceReturn, status: str, by: User | None, action: str, note: str
) -> None:
    finance_return.status = status
    finance_return.version += 1
    if action in (FinanceEvent.Action.APPROVED, FinanceEvent.Action.RETURNED):
        finance_return.decided_by, finance_return.decided_at = by, timezone.now()
    finance_return.save()
    FinanceEvent.objects.create(
        finance_return=finance_return,
        action=action,
        by=by,
        version=finance_return.version,
        note=note,
    )
