"""Who may do what: the roles of DOMAIN.md as Django groups, and the checks views call."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from measures.models import Indicator, Reading


class Role(StrEnum):
    """A role is a Django group of this name (created by a migration)."""

    OFFICER = "Officer"
    PERFORMANCE_TEAM = "Performance team"
    COUNCILLOR = "Councillor"
    SCRUTINY_MEMBER = "Scrutiny member"
    ADMINISTRATOR = "Administrator"


def role_names(user: User | AnonymousUser) -> frozenset[str]:
    """The user's roles, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role.value in role_names(user)


def is_performance_team(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.PERFORMANCE_TEAM)


def can_enter_readings(user: User | AnonymousUser) -> bool:
    """Officers and the performance team enter readings."""
    return has_role(user, Role.OFFICER) or is_performance_team(user)


def can_edit_indicator(user: User | AnonymousUser, indicator: Indicator) -> bool:
    """The performance team edits every indicator's readings; an officer only their own."""
    if is_performance_team(user):
        return True
    if not has_role(user, Role.OFFICER):
        return False
    if indicator.owner_id == user.pk:
        return True
    return user.pk is not None and indicator.delegates.filter(pk=user.pk).exists()


def submits_with_own_return(user: User | AnonymousUser, reading: Reading) -> bool:
    """Whether "Submit" on this user's My returns sends this draft for approval: an officer's
    page holds only their own and delegated indicators, so all of them; the performance team's
    holds every indicator, so only the drafts they entered themselves, never an officer's."""
    if is_performance_team(user):
        return reading.updated_by_id == user.pk
    return can_edit_indicator(user, reading.indicator)
