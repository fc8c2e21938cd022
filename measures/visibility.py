"""Which readings and indicators each visitor may see: one place, used by every page and download.

- anyone: published readings of public indicators;
- councillors and scrutiny members: also every approved reading, published or not;
- officers: also every reading of their own and delegated indicators, drafts included;
- the performance team: everything.

Notes the performance team writes when it returns a reading are internal: only the people in the
returns workflow (officers and the performance team) see them. Everyone else sees the officer's
commentary, which is written to be read.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from measures.models import Indicator, Reading
from measures.roles import Role, has_role, is_performance_team

PUBLIC = Q(status=Reading.Status.PUBLISHED, indicator__is_public=True)


def readings_visible_to(user: User | AnonymousUser) -> QuerySet[Reading]:
    """The readings this visitor may see, on any page or in any download."""
    if is_performance_team(user):
        return Reading.objects.all()
    allowed = PUBLIC
    if has_role(user, Role.COUNCILLOR) or has_role(user, Role.SCRUTINY_MEMBER):
        allowed |= Q(status__in=[Reading.Status.APPROVED, Reading.Status.PUBLISHED])
    if has_role(user, Role.OFFICER):
        own = Indicator.objects.filter(Q(owner=user.pk) | Q(delegates=user.pk)).values("pk")
        allowed |= Q(indicator__in=own)
    return Reading.objects.filter(allowed)


def indicators_visible_to(user: User | AnonymousUser) -> QuerySet[Indicator]:
    """Residents see public indicators; anyone signed in with a role sees them all."""
    if user.is_authenticated and (
        is_performance_team(user)
        or any(
            has_role(user, role)
            for role in (Role.OFFICER, Role.COUNCILLOR, Role.SCRUTINY_MEMBER, Role.ADMINISTRATOR)
        )
    ):
        return Indicator.objects.all()
    return Indicator.objects.filter(is_public=True)


def open_data_readings() -> QuerySet[Reading]:
    """What is published as open data: published readings of public indicators, for everyone."""
    return Reading.objects.filter(PUBLIC)


def sees_internal_notes(user: User | AnonymousUser) -> bool:
    """Whether the visitor sees why readings were returned: officers and the performance team."""
    return is_performance_team(user) or has_role(user, Role.OFFICER)
