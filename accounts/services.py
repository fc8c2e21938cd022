"""Signing someone in from their council account: the person found or created from the
identity provider's claims, their roles and committees set from its groups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from accounts.models import SignInIdentity
from core.roles import Role
from portfolios.models import ScrutinyCommittee

ROLE_KEYS = {role.name.lower(): role for role in Role}


class NotAllowedIn(Exception):
    """The account is not allowed to sign in here, with a reason a person can act on."""


def roles_from_groups(groups: Iterable[str], mapping: Mapping[str, str]) -> set[Role]:
    """The app's roles for the provider's groups (`mapping`: group id or name to role key)."""
    return {ROLE_KEYS[mapping[group]] for group in groups if group in mapping}


def identity_sign_in(*, issuer: str, claims: Mapping[str, Any]) -> User:
    """The person these verified claims name, found by issuer and subject (or created, when
    OIDC_CREATE_USERS allows), with their name and email, roles and committee memberships set
    from the provider's groups at this sign-in; NotAllowedIn when they may not sign in."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise NotAllowedIn("the sign-in service did not say who you are (no subject)")
    groups = _groups(claims)
    with transaction.atomic():
        identity = (
            SignInIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is None and (known := _known_account(claims)) is not None:
            identity = SignInIdentity(user=known, issuer=issuer, subject=subject)
        if identity is None:
            if not settings.OIDC_CREATE_USER:
                raise NotAllowedIn(
                    "your council account has not been given access to this service: ask the "
                    "performance team to add you"
                )
            user = User.objects.create_user(_free_username(claims, subject))
            user.set_unusable_password()
            identity = SignInIdentity(user=user, issuer=issuer, subject=subject)
        user = identity.user
        if not user.is_active:
            raise NotAllowedIn("your account here has been switched off: ask the performance team")
        user.first_name = str(claims.get("given_name") or "")[:150]
        user.last_name = str(claims.get("family_name") or "")[:150]
        if not (user.first_name or user.last_name) and claims.get("name"):
            user.first_name = str(claims["name"])[:150]
        user.email = str(claims.get("email") or user.email)[:254]
        roles = roles_from_groups(groups, settings.OIDC_GROUP_ROLES)
        user.is_staff = user.is_superuser = Role.ADMINISTRATOR in roles
        user.save()
        _set_roles(user, roles)
        _set_committees(user, groups)
        identity.groups = sorted(groups)
        identity.last_signed_in = timezone.now()
        identity.save()
    return user


def _known_account(claims: Mapping[str, Any]) -> User | None:
    """An account made here before the person first signed in with their council account,
    whose username is their preferred username (their UPN in Entra ID): it becomes theirs, so
    what it owns and did stays with them. Superusers (break-glass) are never taken over."""
    wanted = str(claims.get("preferred_username") or "")
    if not wanted:
        return None
    return (
        User.objects.select_for_update(of=("self",))
        .filter(username__iexact=wanted, sign_in_identity__isnull=True, is_superuser=False)
        .first()
    )


def _groups(claims: Mapping[str, Any]) -> set[str]:
    claim = settings.OIDC_GROUPS_CLAIM
    if claim not in claims and (claims.get("hasgroups") or claim in claims.get("_claim_names", {})):
        # Entra ID leaves the groups out of a token when someone is in too many of them.
        raise NotAllowedIn(
            "your account is in too many groups for the sign-in service to list them, so "
            "your roles here cannot be worked out: ask IT to send only the groups assigned to "
            "this service (SECURITY.md)"
        )
    raw = claims.get(claim) or []
    if isinstance(raw, str):
        raw = [raw]
    return {str(group) for group in raw if isinstance(group, str | int)}


def _free_username(claims: Mapping[str, Any], subject: str) -> str:
    """A readable username not yet taken: the preferred username or email, else the subject."""
    wanted = str(claims.get("preferred_username") or claims.get("email") or subject)[:140]
    name, number = wanted, 1
    while User.objects.filter(username=name).exists():
        number += 1
        name = f"{wanted}-{number}"
    return name


def _set_roles(user: User, roles: set[Role]) -> None:
    """The user's role groups become exactly these (other groups are left alone)."""
    role_groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    user.groups.remove(*[group for role, group in role_groups.items() if role not in roles])
    user.groups.add(*[role_groups[role] for role in roles])


def _set_committees(user: User, groups: set[str]) -> None:
    """Committee memberships named by OIDC_COMMITTEE_GROUPS follow the groups; committees not
    named there are managed in the app and left alone."""
    mapping: Mapping[str, str] = settings.OIDC_COMMITTEE_GROUPS
    if not mapping:
        return
    managed = ScrutinyCommittee.objects.filter(slug__in=set(mapping.values()))
    wanted = {mapping[group] for group in groups if group in mapping}
    for committee in managed:
        if committee.slug in wanted:
            committee.members.add(user)
        else:
            committee.members.remove(user)
