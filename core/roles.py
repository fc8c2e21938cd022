"""The roles of DOMAIN.md as Django groups, and the checks that need nothing but the person.

Rules that also need the thing asked about (an indicator, a reading, a committee) are in
measures/permissions.py, which builds on these.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class Role(StrEnum):
    """A role is a Django group of this name (created by a migration)."""

    OFFICER = "Officer"
    PERFORMANCE_TEAM = "Performance team"
    COUNCILLOR = "Councillor"
    SCRUTINY_MEMBER = "Scrutiny member"
    ADMINISTRATOR = "Administrator"
    FINANCE_OFFICER = "Finance officer"


# Members read approved figures before they are published, and committees' reports.
MEMBER_ROLES = (Role.COUNCILLOR, Role.SCRUTINY_MEMBER)


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


def has_any_role(user: User | AnonymousUser, roles: tuple[Role, ...] = tuple(Role)) -> bool:
    """Whether the user holds one of these roles (by default: any role at all)."""
    names = role_names(user)
    return any(role.value in names for role in roles)


def is_performance_team(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.PERFORMANCE_TEAM)


def is_member(user: User | AnonymousUser) -> bool:
    """Councillors and scrutiny members."""
    return has_any_role(user, MEMBER_ROLES)


def can_enter_readings(user: User | AnonymousUser) -> bool:
    """Officers and the performance team enter readings."""
    return has_role(user, Role.OFFICER) or is_performance_team(user)


def is_finance_officer(user: User | AnonymousUser) -> bool:
    """Finance officers upload the quarter's revenue, savings, capital and reserves figures."""
    return has_role(user, Role.FINANCE_OFFICER)


def reads_reports(user: User | AnonymousUser) -> bool:
    """The performance team and members open the committees' report pages."""
    return is_performance_team(user) or is_member(user)
