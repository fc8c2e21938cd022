"""Giving one person's work to someone else in bulk ("all of Jane's indicators, schemes and
milestones to Sam while she is on leave"), as its owner or as a delegate, and ending such
delegations; every change is kept with who made it, when and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ambitions.models import Milestone, Scheme
from core import versioning
from core.formatting import person_name
from core.roles import Role, can_enter_readings
from measures.models import DeliveryOwnershipChange, Indicator, OwnershipChange
from measures.permissions import milestone_owner_id
from measures.services.guards import require_performance_team
from measures.validation import TEXT_LIMIT

EXAMPLE_REASON = "for example: on leave until 3 March"


@dataclass(frozen=True)
class WorkCount:
    """How many indicators, schemes and milestones a hand-over or an ended delegation changed."""

    indicators: int = 0
    schemes: int = 0
    milestones: int = 0

    @property
    def total(self) -> int:
        return self.indicators + self.schemes + self.milestones

    def in_words(self) -> str:
        """ "3 indicators, 1 scheme and 2 milestones", leaving out what is none."""
        parts = [
            f"{n} {word}{'s' if n != 1 else ''}"
            for n, word in (
                (self.indicators, "indicator"),
                (self.schemes, "scheme"),
                (self.milestones, "milestone"),
            )
            if n
        ]
        if not parts:
            return "nothing"
        return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def checked_reason(reason: str, *, required: bool = True) -> str:
    """The reason, trimmed; refused when it is needed and missing, or too long to keep."""
    reason = reason.strip()
    if required and not reason:
        raise ValidationError({"reason": f"Say why ({EXAMPLE_REASON})"})
    if len(reason) > TEXT_LIMIT:
        raise ValidationError({"reason": f"Keep the reason under {TEXT_LIMIT} characters"})
    return reason


def why_cannot_own(person: User, *, doing: str) -> str | None:
    """Why this person cannot be given indicators, schemes or milestones (as owner or
    delegate), if they cannot: only active officers and the performance team can. `doing` is
    what they could not do, for the message ("enter readings")."""
    if not person.is_active:
        return (
            f"{person_name(person)}'s account is switched off: choose someone who still works here"
        )
    if not can_enter_readings(person):
        return f"{person_name(person)} cannot {doing}: give them the Officer role first"
    return None


def people_who_can_own() -> QuerySet[User]:
    """Everyone `why_cannot_own` lets be given work, by name: the choices the pages offer."""
    return (
        User.objects.filter(
            is_active=True, groups__name__in=[Role.OFFICER.value, Role.PERFORMANCE_TEAM.value]
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def indicators_hand_over(
    *, from_user: User, to_user: User, as_delegate: bool, reason: str, by: User
) -> WorkCount:
    """Give every indicator `from_user` owns, every scheme they lead and every milestone they
    own themselves to `to_user`: as the new owner, or as a delegate beside them (who can then
    enter the readings and milestone updates); how many of each changed."""
    require_performance_team(by)
    reason = checked_reason(reason)
    if from_user.pk == to_user.pk:
        raise ValidationError({"to_user": "Choose someone else: they already have them"})
    if problem := why_cannot_own(to_user, doing="enter readings"):
        raise ValidationError({"to_user": problem})
    with transaction.atomic():
        # Locked in the order every writer of owners takes: indicators, schemes, milestones.
        owned = list(Indicator.objects.select_for_update().filter(owner=from_user).order_by("pk"))
        schemes = list(Scheme.objects.select_for_update().filter(owner=from_user).order_by("pk"))
        milestones = list(
            Milestone.objects.select_for_update().filter(owner=from_user).order_by("pk")
        )
        if not (owned or schemes or milestones):
            raise ValidationError(
                f"{person_name(from_user)} owns no indicators, schemes or milestones to hand over"
            )
        counted = WorkCount(
            indicators=_indicators_give(owned, from_user, to_user, as_delegate, reason, by),
            schemes=_delivery_give(
                schemes, to_user.delegated_schemes, from_user, to_user, as_delegate, reason, by
            ),
            milestones=_delivery_give(
                milestones,
                to_user.delegated_milestones,
                from_user,
                to_user,
                as_delegate,
                reason,
                by,
            ),
        )
        if counted.total:
            versioning.bump()
    return counted


def _indicators_give(
    owned: list[Indicator],
    from_user: User,
    to_user: User,
    as_delegate: bool,
    reason: str,
    by: User,
) -> int:
    """The indicators' part of a hand-over; how many changed."""
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
    return len(changing)


def _delivery_give(
    things: Sequence[Scheme | Milestone],
    delegated: Any,
    from_user: User,
    to_user: User,
    as_delegate: bool,
    reason: str,
    by: User,
) -> int:
    """The schemes' (or the milestones') part of a hand-over, `delegated` being the ones
    `to_user` is a delegate for; how many changed. A milestone with no owner of its own
    follows its scheme, so only its scheme changes."""
    kind = DeliveryOwnershipChange.Kind
    ids = [thing.pk for thing in things]
    already = set(delegated.filter(pk__in=ids).values_list("pk", flat=True))
    if as_delegate:
        changing = [thing for thing in things if thing.pk not in already]
        delegated.add(*changing)
        records = [change_of(thing, kind=kind.DELEGATE_ADDED, after=to_user) for thing in changing]
    else:
        changing = list(things)
        for thing in changing:
            thing.owner = to_user
            thing.save(update_fields=["owner"])
        records = [
            change_of(thing, kind=kind.OWNER, before=from_user, after=to_user) for thing in changing
        ]
        # The new owner needs no delegation of what they now own; its end is kept on record.
        dropped = [thing for thing in things if thing.pk in already]
        delegated.remove(*dropped)
        records += [
            change_of(thing, kind=kind.DELEGATE_REMOVED, before=to_user) for thing in dropped
        ]
    DeliveryOwnershipChange.objects.bulk_create(
        _signed(record, reason=reason, by=by) for record in records
    )
    return len(changing)


def change_of(thing: Scheme | Milestone, **fields: Any) -> DeliveryOwnershipChange:
    """An unsaved record of a change to a scheme's or a milestone's people."""
    if isinstance(thing, Scheme):
        return DeliveryOwnershipChange(scheme=thing, **fields)
    return DeliveryOwnershipChange(milestone=thing, **fields)


def _signed(record: DeliveryOwnershipChange, *, reason: str, by: User) -> DeliveryOwnershipChange:
    record.reason, record.changed_by = reason, by
    return record


def delegations_end(*, delegate: User, owner: User, reason: str, by: User) -> WorkCount:
    """Stop `delegate` entering readings and milestone updates for what `owner` owns (back
    from leave): their indicators, the schemes they lead and the milestones that are theirs;
    how many of each delegation ended."""
    require_performance_team(by)
    reason = checked_reason(reason)
    with transaction.atomic():
        ending = list(
            delegate.delegated_indicators.select_for_update().filter(owner=owner).order_by("pk")
        )
        schemes = list(
            delegate.delegated_schemes.select_for_update().filter(owner=owner).order_by("pk")
        )
        milestones = [
            milestone
            for milestone in delegate.delegated_milestones.select_for_update(of=("self",))
            .select_related("scheme")
            .order_by("pk")
            if milestone_owner_id(milestone) == owner.pk
        ]
        if not (ending or schemes or milestones):
            whose = f"{person_name(owner)}'s indicators, schemes or milestones"
            raise ValidationError(f"{person_name(delegate)} is not a delegate on any of {whose}")
        delegate.delegated_indicators.remove(*ending)
        delegate.delegated_schemes.remove(*schemes)
        delegate.delegated_milestones.remove(*milestones)
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
        removed = DeliveryOwnershipChange.Kind.DELEGATE_REMOVED
        ended: list[Scheme | Milestone] = [*schemes, *milestones]
        DeliveryOwnershipChange.objects.bulk_create(
            change_of(thing, kind=removed, before=delegate, changed_by=by, reason=reason)
            for thing in ended
        )
        versioning.bump()
    return WorkCount(indicators=len(ending), schemes=len(schemes), milestones=len(milestones))
