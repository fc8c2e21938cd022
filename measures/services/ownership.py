"""Giving indicators to someone else in bulk ("all of Jane's indicators to Sam while she is
on leave"), as their owner or as a delegate, and ending such delegations; every change is
kept with who made it, when and why."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from core import versioning
from core.formatting import person_name
from core.roles import can_enter_readings
from measures.models import Indicator, OwnershipChange
from measures.services.guards import require_performance_team
from measures.validation import TEXT_LIMIT


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why (for example: on leave until 3 March)"})
    if len(reason) > TEXT_LIMIT:
        raise ValidationError({"reason": f"Keep the reason under {TEXT_LIMIT} characters"})
    return reason


def indicators_hand_over(
    *, from_user: User, to_user: User, as_delegate: bool, reason: str, by: User
) -> int:
    """Give every indicator `from_user` owns to `to_user`: as its new owner, or as a delegate
    beside them (who can then enter and submit its readings); how many indicators changed."""
    require_performance_team(by)
    reason = _checked_reason(reason)
    if from_user.pk == to_user.pk:
        raise ValidationError({"to_user": "Choose someone else: they already have them"})
    if not can_enter_readings(to_user):
        cannot = f"{person_name(to_user)} cannot enter readings: give them the Officer role first"
        raise ValidationError({"to_user": cannot})
    with transaction.atomic():
        owned = list(Indicator.objects.select_for_update().filter(owner=from_user).order_by("pk"))
        if not owned:
            raise ValidationError(f"{person_name(from_user)} owns no indicators to hand over")
        if as_delegate:
            already = set(to_user.delegated_indicators.values_list("pk", flat=True))
            changing = [indicator for indicator in owned if indicator.pk not in already]
            to_user.delegated_indicators.add(*changing)
            kind = OwnershipChange.Kind.DELEGATE_ADDED
            before = None
        else:
            changing = owned
            Indicator.objects.filter(pk__in=[i.pk for i in owned]).update(owner=to_user)
            # The new owner needs no delegation of their own indicators.
            to_user.delegated_indicators.remove(*owned)
            kind, before = OwnershipChange.Kind.OWNER, from_user
        OwnershipChange.objects.bulk_create(
            OwnershipChange(
                indicator=indicator,
                kind=kind,
                owner=from_user,
                before=before,
                after=to_user,
                changed_by=by,
                reason=reason,
            )
            for indicator in changing
        )
        versioning.bump()
    return len(changing)


def delegations_end(*, delegate: User, owner: User, reason: str, by: User) -> int:
    """Stop `delegate` entering readings for the indicators `owner` owns (back from leave);
    how many delegations ended."""
    require_performance_team(by)
    reason = _checked_reason(reason)
    with transaction.atomic():
        ending = list(
            delegate.delegated_indicators.select_for_update().filter(owner=owner).order_by("pk")
        )
        if not ending:
            whose = f"{person_name(owner)}'s indicators"
            raise ValidationError(f"{person_name(delegate)} is not a delegate on any of {whose}")
        delegate.delegated_indicators.remove(*ending)
        OwnershipChange.objects.bulk_create(
            OwnershipChange(
                indicator=indicator,
                kind=OwnershipChange.Kind.DELEGATE_REMOVED,
                owner=owner,
                before=delegate,
                changed_by=by,
                reason=reason,
            )
            for indicator in ending
        )
        versioning.bump()
    return len(ending)
