"""Who may do what with agreements: the performance team drafts, edits and records Cabinet's
approval; scrutiny members read a draft out for comment and comment on it; everyone, signed in
or not, reads the agreed versions (and the versions they replaced). Pages and services ask here."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from agreements.models import READ_STATES, AgreementVersion, VersionState
from core.roles import Role, has_role, is_performance_team


def can_manage(user: User | AnonymousUser) -> bool:
    """Draft, edit, upload, send for comment, record approval, amend."""
    return is_performance_team(user)


def can_comment(user: User | AnonymousUser, version: AgreementVersion) -> bool:
    return has_role(user, Role.SCRUTINY_MEMBER) and version.state == VersionState.FOR_COMMENT


def sees_comments(user: User | AnonymousUser) -> bool:
    return is_performance_team(user) or has_role(user, Role.SCRUTINY_MEMBER)


def versions_visible_to(user: User | AnonymousUser) -> QuerySet[AgreementVersion]:
    versions = AgreementVersion.objects.all()
    if is_performance_team(user):
        return versions
    if has_role(user, Role.SCRUTINY_MEMBER):
        return versions.filter(state__in=[*READ_STATES, VersionState.FOR_COMMENT])
    return versions.filter(state__in=READ_STATES)
