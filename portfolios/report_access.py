"""Who may see and request which committee's reports (they hold unpublished figures)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from measures.roles import Role, has_role, is_performance_team
from portfolios.models import ScrutinyCommittee


def committees_readable_by(user: User | AnonymousUser) -> QuerySet[ScrutinyCommittee]:
    """Councillors and the performance team: every committee; scrutiny members: their own."""
    if is_performance_team(user) or has_role(user, Role.COUNCILLOR):
        return ScrutinyCommittee.objects.all()
    if has_role(user, Role.SCRUTINY_MEMBER):
        return ScrutinyCommittee.objects.filter(members__pk=user.pk or 0)
    return ScrutinyCommittee.objects.none()


def can_request_for(user: User | AnonymousUser, committee: ScrutinyCommittee) -> bool:
    """The performance team for any committee; a scrutiny member for their own."""
    if is_performance_team(user):
        return True
    member = committee.members.filter(pk=user.pk or 0)
    return has_role(user, Role.SCRUTINY_MEMBER) and member.exists()
