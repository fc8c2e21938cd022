"""The people page's reads: everyone with an account, their roles and what they own."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, Q, QuerySet

from core.roles import Role
from measures.models import Indicator, OwnershipChange


def people() -> QuerySet[User]:
    """Everyone, with their role groups, sign-in identity and how many indicators they own
    and are a delegate for (three queries, however many people)."""
    return (
        User.objects.select_related("sign_in_identity")
        .prefetch_related("groups")
        .annotate(
            owned=Count("owned_indicators", distinct=True),
            delegated=Count("delegated_indicators", distinct=True),
        )
        .order_by("first_name", "last_name", "username")
    )


def person_get(*, pk: int) -> User:
    """One person with their indicators (owned and delegated, with their owners)."""
    return (
        User.objects.select_related("sign_in_identity")
        .prefetch_related(
            "groups",
            Prefetch("owned_indicators", queryset=Indicator.objects.order_by("position", "code")),
            Prefetch(
                "delegated_indicators",
                queryset=Indicator.objects.select_related("owner").order_by("position", "code"),
            ),
        )
        .get(pk=pk)
    )


def people_who_enter_readings() -> QuerySet[User]:
    """Who indicators can be handed to: officers and the performance team, still active."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=[Role.OFFICER.value, Role.PERFORMANCE_TEAM.value],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def ownership_history(*, person: User, limit: int = 200) -> QuerySet[OwnershipChange]:
    """Changes of ownership that gave this person an indicator or took one away, or changed
    who else may enter theirs, newest first."""
    involved = Q(before=person) | Q(after=person) | Q(owner=person)
    return OwnershipChange.objects.filter(involved).select_related(
        "indicator", "owner", "before", "after", "changed_by"
    )[:limit]
