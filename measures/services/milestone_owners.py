"""Who leads each scheme and owns each milestone, and who are their delegates: assigned in the
app by the performance team, as indicators' owners are, each change kept with who made it,
when and why. A milestone with no owner of its own is its scheme's lead officer's
(measures/permissions.py says what each of them may then do)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from ambitions.models import Milestone, Scheme
from core import versioning
from core.formatting import person_name
from measures.models import DeliveryOwnershipChange
from measures.permissions import milestone_owner_id
from measures.services.guards import require_performance_team
from measures.services.ownership import change_of, checked_reason, why_cannot_own

Kind = DeliveryOwnershipChange.Kind
DOING = "give milestone updates"


@dataclass(frozen=True)
class Owners:
    """Who a scheme or a milestone is to belong to: its lead officer or owner (None: no lead
    officer yet for a scheme; the scheme's lead officer for a milestone) and its delegates."""

    owner: User | None
    delegates: frozenset[User] = field(default_factory=frozenset)


def milestone_field(milestone_pk: int, name: str) -> str:
    """The key a milestone's error is raised under: "owner", "delegates" or "reason" are the
    scheme's own; the owners page names its fields for a milestone the same way."""
    return f"milestone_{milestone_pk}_{name}"


CHANGED_MEANWHILE = "changed_meanwhile"


def scheme_owners_set(
    *,
    scheme: Scheme,
    lead: Owners | None,
    milestones: Mapping[int, Owners] | None = None,
    reason: str,
    by: User,
    seen: str | None = None,
) -> int:
    """Give the scheme the lead officer and delegates in `lead` (None: leave them as they are)
    and each of its milestones (by id) the owner and delegates given, all or nothing; how
    many changes were recorded (none when nothing differed). Whoever is given one must be an
    active officer or in the performance team, and a reason is needed whenever someone
    loses one. `seen` is `people_seen` of what the choices were made from: if someone has
    changed them since, nothing is saved and the person is told."""
    require_performance_team(by)
    wanted = dict(milestones or {})
    with transaction.atomic():
        # Schemes before milestones: the order the hand-over locks them in.
        locked = Scheme.objects.select_for_update().prefetch_related("delegates").get(pk=scheme.pk)
        theirs = {
            m.pk: m
            for m in Milestone.objects.select_for_update()
            .filter(scheme=locked)
            .prefetch_related("delegates")
            .order_by("pk")
        }
        if seen is not None and seen != people_seen(locked, theirs.values()):
            raise ValidationError(
                f"Someone else changed who leads {locked.name} or owns its milestones while "
                "you were choosing: the page now shows who does. Make your changes again.",
                code=CHANGED_MEANWHILE,
            )
        strangers = sorted(set(wanted) - set(theirs))
        if strangers:
            raise ValidationError(
                f"Milestone {strangers[0]} is not one of {locked.name}'s: reload the page"
            )
        lead_after = lead.owner if lead is not None else locked.owner
        changes: list[_Change] = []
        if lead is not None:
            changes += _scheme_changes(locked, lead)
        for pk, owners in sorted(wanted.items()):
            milestone = theirs[pk]
            milestone.scheme = locked  # its lead as it was, for milestone_owner_id
            changes += _milestone_changes(milestone, owners, lead_after)
        _apply(changes, reason=_checked(changes, reason), by=by)
    return len(changes)


def people_seen(scheme: Scheme, milestones: Iterable[Milestone]) -> str:
    """Who holds the scheme and its milestones now, as a short text a form carries, so that a
    save can tell whether someone else changed them since the form was shown (no queries
    when the delegates are prefetched)."""
    parts = [_holders(scheme)] + [f"{m.pk}:{_holders(m)}" for m in sorted(milestones, key=_pk_of)]
    return "|".join(parts)


def _holders(thing: Scheme | Milestone) -> str:
    delegates = ",".join(str(pk) for pk in sorted(p.pk for p in thing.delegates.all()))
    return f"{thing.owner_id or ''}/{delegates}"


def _pk_of(milestone: Milestone) -> int:
    return milestone.pk


def milestone_owners_set(*, milestone: Milestone, owners: Owners, reason: str, by: User) -> int:
    """Give one milestone its own owner (None: its scheme's lead officer) and delegates,
    leaving the scheme's as they are; how many changes were recorded."""
    return scheme_owners_set(
        scheme=milestone.scheme,
        lead=None,
        milestones={milestone.pk: owners},
        reason=reason,
        by=by,
    )


@dataclass(frozen=True)
class _Change:
    """One change to make and record; `key` is the field an error about it belongs beside,
    `lost` says who loses what by it (a reason is then needed), if anyone does."""

    thing: Scheme | Milestone
    kind: str
    before: User | None
    after: User | None
    key: str
    lost: str | None = None


def _scheme_changes(scheme: Scheme, lead: Owners) -> list[_Change]:
    changes = []
    name = scheme.name
    if _pk(lead.owner) != scheme.owner_id:
        lost = (
            f"{person_name(scheme.owner)} is no longer the lead officer of {name}"
            if scheme.owner is not None
            else None
        )
        changes.append(_Change(scheme, Kind.OWNER, scheme.owner, lead.owner, "owner", lost))
    before = frozenset(scheme.delegates.all())
    return changes + _delegate_changes(scheme, before, lead, name, key=lambda n: n)


def _milestone_changes(
    milestone: Milestone, owners: Owners, lead_after: User | None
) -> list[_Change]:
    changes = []
    name = f"the milestone “{milestone.title}”"
    if _pk(owners.owner) != milestone.owner_id:
        owned_by = milestone_owner_id(milestone)
        # Who gives its updates afterwards: its own owner, else its scheme's lead officer.
        owned_after = _pk(owners.owner) or _pk(lead_after)
        lost = None
        if owned_by is not None and owned_by != owned_after:
            whose = milestone.owner or milestone.scheme.owner
            lost = f"{person_name(whose)} no longer owns {name}" if whose else None
        changes.append(
            _Change(
                milestone,
                Kind.OWNER,
                milestone.owner,
                owners.owner,
                milestone_field(milestone.pk, "owner"),
                lost,
            )
        )
    before = frozenset(milestone.delegates.all())
    key = partial(milestone_field, milestone.pk)
    return changes + _delegate_changes(milestone, before, owners, name, key=key)


def _delegate_changes(
    thing: Scheme | Milestone,
    before: frozenset[User],
    wanted: Owners,
    name: str,
    *,
    key: Callable[[str], str],
) -> list[_Change]:
    """Delegates added and removed; whoever becomes the owner needs no delegation as well."""
    after = {person for person in wanted.delegates if person.pk != _pk(wanted.owner)}
    changes = [
        _Change(thing, Kind.DELEGATE_ADDED, None, person, key("delegates"))
        for person in sorted(after - before, key=_by_name)
    ]
    for person in sorted(before - after, key=_by_name):
        lost = None
        if person.pk != _pk(wanted.owner):
            lost = f"{person_name(person)} is no longer a delegate on {name}"
        changes.append(_Change(thing, Kind.DELEGATE_REMOVED, person, None, key("delegates"), lost))
    return changes


def _checked(changes: list[_Change], reason: str) -> str:
    """The reason, trimmed, once every change is allowed; else every problem at once, each
    under the field it is about: anyone given something they cannot hold, and a missing
    reason when someone loses a scheme or milestone (the first such loss is named, so the
    person knows what they are asked about)."""
    problems: dict[str, list[str]] = {}
    for change in changes:
        if change.after is not None and (problem := why_cannot_own(change.after, doing=DOING)):
            problems.setdefault(change.key, []).append(problem)
    losses = [change.lost for change in changes if change.lost]
    if losses and not reason.strip():
        more = f" (and {len(losses) - 1} more change{'s' if len(losses) > 2 else ''})"
        problems["reason"] = [
            f"Say why {losses[0]}{more if len(losses) > 1 else ''}, for example: moved team"
        ]
    if problems:
        raise ValidationError(problems)
    return checked_reason(reason, required=False)


def _apply(changes: list[_Change], *, reason: str, by: User) -> None:
    for change in changes:
        thing = change.thing
        if change.kind == Kind.OWNER:
            thing.owner = change.after
            thing.save(update_fields=["owner"])
        elif change.kind == Kind.DELEGATE_ADDED and change.after is not None:
            thing.delegates.add(change.after)
        elif change.before is not None:
            thing.delegates.remove(change.before)
    DeliveryOwnershipChange.objects.bulk_create(
        change_of(
            change.thing,
            kind=change.kind,
            before=change.before,
            after=change.after,
            changed_by=by,
            reason=reason,
        )
        for change in changes
    )
    if changes:
        versioning.bump()


def _pk(person: User | None) -> int | None:
    return person.pk if person is not None else None


def _by_name(person: User) -> tuple[str, int]:
    return (person_name(person), person.pk)
