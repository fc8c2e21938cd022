"""Single sign-on against a real OpenID Connect provider (tests/oidc.py starts one on
127.0.0.1): the code flow with PKCE, groups mapped to roles at every sign-in, tokens that are
tampered with, expired or signed with another key refused, a forged state refused, sign-out
at the provider too, the break-glass password sign-in, and a provider that is down."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import SignInIdentity
from accounts.sso import EXPIRES_KEY
from core.roles import Role, role_names
from portfolios.models import ScrutinyCommittee
from tests import factories as make
from tests.oidc import Provider, running_provider

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        importlib.util.find_spec("oauth2_provider") is None,
        reason="django-oauth-toolkit is not installed: the test provider needs it",
    ),
]

CALLBACK = "http://testserver/sign-in/council/done/"
HOME = "http://testserver/"
PASSWORD = "not-a-real-password-3"  # noqa: S105 - a test user's password at the test provider
PEOPLE = [
    {
        "username": "alice",
        "first_name": "Alice",
        "last_name": "Able",
        "groups": ["g-team", "g-officers"],
    },
    {"username": "bob", "first_name": "Bob", "last_name": "Bare", "groups": ["g-unrelated"]},
    {
        "username": "carol",
        "first_name": "Carol",
        "last_name": "Chair",
        "groups": ["g-scrutiny", "g-econ"],
    },
]


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    users = [
        {**person, "password": PASSWORD, "email": f"{person['username']}@example.org"}
        for person in PEOPLE
    ]
    with running_provider(
        redirect_uri=CALLBACK, post_logout_redirect_uri=HOME, users=users
    ) as running:
        yield running


@pytest.fixture
def sso(provider: Provider, settings: Any) -> Provider:
    """The app configured for the provider, as the README's environment variables would."""
    cache.clear()
    provider.set_faults()
    for person in PEOPLE:
        provider.set_groups(str(person["username"]), list(person["groups"]))
    settings.SSO_ENABLED = True
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_GROUP_ROLES = {
        "g-team": "performance_team",
        "g-officers": "officer",
        "g-scrutiny": "scrutiny_member",
    }
    settings.OIDC_COMMITTEE_GROUPS = {"g-econ": "economy-scrutiny"}
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.sso.CouncilAccountBackend",
    ]
    return provider


def _sign_in(client: Client, provider: Provider, username: str) -> Any:
    """Start at the app, sign in at the provider, come back: the app's answer."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    back = urlsplit(provider.sign_in(start["Location"], username, PASSWORD))
    assert back.path == reverse("oidc_authentication_callback")
    return client.get(f"{back.path}?{back.query}")


def _signed_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def _refusal(client: Client) -> str:
    return client.get(reverse("login")).content.decode()


def test_it_starts_the_code_flow_with_pkce_state_and_nonce(client: Client, sso: Provider) -> None:
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    url = urlsplit(start["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == sso.discovery()["authorization_endpoint"]
    assert query["response_type"] == ["code"] and query["client_id"] == [sso.client_id]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == [CALLBACK]


def test_it_signs_in_and_sets_roles_from_the_groups_claim(client: Client, sso: Provider) -> None:
    answer = _sign_in(client, sso, "alice")
    assert answer.status_code == 302 and answer["Location"] == reverse("measures:start")
    alice = _signed_in_as(client)
    assert alice is not None and alice.get_full_name() == "Alice Able"
    assert alice.email == "alice@example.org" and not alice.has_usable_password()
    assert role_names(alice) == {Role.PERFORMANCE_TEAM.value, Role.OFFICER.value}
    identity = SignInIdentity.objects.get(user=alice)
    assert identity.issuer == sso.issuer and identity.groups == ["g-officers", "g-team"]
    assert client.session[EXPIRES_KEY] > time.time()


def test_leaving_a_group_takes_effect_at_the_next_sign_in(client: Client, sso: Provider) -> None:
    _sign_in(client, sso, "alice")
    first = _signed_in_as(client)
    client.post(reverse("logout"))
    sso.set_groups("alice", ["g-officers"])
    _sign_in(client, sso, "alice")
    again = _signed_in_as(client)
    assert again is not None and first is not None and again.pk == first.pk  # the same person
    assert role_names(again) == {Role.OFFICER.value}
    assert User.objects.filter(sign_in_identity__isnull=False).count() == 1


def test_someone_in_no_mapped_group_sees_the_public_view_and_is_told_why(
    client: Client, sso: Provider
) -> None:
    answer = _sign_in(client, sso, "bob")
    assert answer.status_code == 302 and answer["Location"] == reverse("ambitions:home")
    bob = _signed_in_as(client)
    assert bob is not None and role_names(bob) == frozenset()
    messages = [str(m) for m in answer.wsgi_request._messages]
    assert any("not in any of the groups this service gives a role to" in m for m in messages)
    assert client.get(reverse("measures:returns")).status_code == 403


def test_committee_membership_follows_a_group(client: Client, sso: Provider) -> None:
    committee = ScrutinyCommittee.objects.create(
        slug="economy-scrutiny", name="Economy scrutiny", position=1
    )
    other = ScrutinyCommittee.objects.create(slug="other-scrutiny", name="Other", position=2)
    _sign_in(client, sso, "carol")
    carol = _signed_in_as(client)
    assert carol is not None
    other.members.add(carol)  # set in the app: not managed by a group, so left alone
    assert committee.members.filter(pk=carol.pk).exists()
    client.post(reverse("logout"))
    sso.set_groups("carol", ["g-scrutiny"])
    _sign_in(client, sso, "carol")
    assert not committee.members.filter(pk=carol.pk).exists()
    assert other.members.filter(pk=carol.pk).exists()


@pytest.mark.parametrize(
    ("fault", "why"),
    [
        ("tamper", "verification failed"),
        ("wrong_key", "verification failed"),
        ("expired", "expired"),
    ],
)
def test_an_id_token_that_cannot_be_trusted_signs_no_one_in(
    client: Client, sso: Provider, fault: str, why: str, caplog: pytest.LogCaptureFixture
) -> None:
    sso.set_faults(**{fault: True})
    answer = _sign_in(client, sso, "alice")
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    assert _signed_in_as(client) is None
    assert not User.objects.filter(username="alice").exists()
    assert "could not be trusted" in _refusal(client)
    assert why in caplog.text.lower()


def test_a_forged_or_reused_state_is_refused(client: Client, sso: Provider) -> None:
    start = client.get(reverse("oidc_authentication_init"))
    back = urlsplit(sso.sign_in(start["Location"], "alice", PASSWORD))
    query = parse_qs(back.query)
    forged = urlencode({"code": query["code"][0], "state": "not-the-state-we-sent"})
    answer = client.get(f"{back.path}?{forged}")
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    assert _signed_in_as(client) is None
    assert "had been used already or had expired" in _refusal(client)
    # The genuine answer still works once; used again, it is refused.
    assert client.get(f"{back.path}?{back.query}")["Location"] == reverse("measures:start")
    client.post(reverse("logout"))
    assert client.get(f"{back.path}?{back.query}")["Location"] == reverse("login")
    assert _signed_in_as(client) is None


def test_unknown_people_are_refused_when_accounts_are_not_created(
    client: Client, sso: Provider, settings: Any
) -> None:
    settings.OIDC_CREATE_USER = False
    _sign_in(client, sso, "alice")
    assert _signed_in_as(client) is None
    assert "has not been given access to this service" in _refusal(client)


def test_sign_out_ends_the_providers_session_too_and_returns_home(
    client: Client, sso: Provider
) -> None:
    _sign_in(client, sso, "alice")
    out = client.post(reverse("logout"))
    assert out.status_code == 302
    url = urlsplit(out["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == sso.discovery()["end_session_endpoint"]
    assert query["post_logout_redirect_uri"] == [HOME] and query["id_token_hint"][0]
    assert _signed_in_as(client) is None
    assert sso.logout_url_followed(out["Location"]).startswith(HOME)
    # The provider's own session is over: the next sign-in asks for the password again.
    again = client.get(reverse("oidc_authentication_init"))
    ask = sso.browser.get(again["Location"], allow_redirects=True, timeout=10)
    assert "password" in ask.text.lower()


def test_a_session_ends_once_the_token_has_expired_and_the_idle_limit_passed(
    client: Client, sso: Provider, settings: Any
) -> None:
    _sign_in(client, sso, "alice")
    session = client.session
    session[EXPIRES_KEY] = time.time() - settings.SESSION_COOKIE_AGE - 1
    session.save()
    answer = client.get(reverse("measures:returns"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))
    assert _signed_in_as(client) is None


def test_a_provider_that_is_down_is_said_plainly_and_passwords_still_work(
    client: Client, sso: Provider, settings: Any
) -> None:
    settings.OIDC_ISSUER = "http://127.0.0.1:1/o"
    cache.clear()
    answer = client.get(reverse("oidc_authentication_init"))
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    page = _refusal(client)
    assert "sign-in service could not be reached" in page
    assert "Sign in with your council account" in page
    admin = make.user(Role.ADMINISTRATOR, username="ada")
    signed = client.post(reverse("login"), {"username": "ada", "password": "not-a-real-password-1"})
    assert signed.status_code == 302 and _signed_in_as(client) == admin


def test_passwords_can_be_kept_for_administrators_only(client: Client, settings: Any) -> None:
    settings.SSO_ENABLED = True
    settings.LOCAL_SIGN_IN = "administrators"
    make.user(Role.OFFICER, username="olivia")
    make.user(Role.ADMINISTRATOR, username="ada")
    refused = client.post(
        reverse("login"), {"username": "olivia", "password": "not-a-real-password-1"}
    )
    assert refused.status_code == 200 and _signed_in_as(client) is None
    assert "Passwords here are for administrators only" in refused.content.decode()
    allowed = client.post(
        reverse("login"), {"username": "ada", "password": "not-a-real-password-1"}
    )
    assert allowed.status_code == 302 and _signed_in_as(client) is not None


def test_the_break_glass_sign_in_is_still_locked_out_after_five_failures(
    client: Client, settings: Any
) -> None:
    settings.SSO_ENABLED = True
    settings.LOCAL_SIGN_IN = "administrators"
    make.user(Role.ADMINISTRATOR, username="ada")
    for _ in range(5):
        client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "ada", "password": "not-a-real-password-1"})
    assert _signed_in_as(client) is None
    assert locked.status_code in (403, 429)


def test_single_sign_on_is_off_unless_configured(client: Client) -> None:
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert "council account" not in client.get(reverse("login")).content.decode()


def test_failed_council_sign_ins_never_lock_anyone_out(client: Client, sso: Provider) -> None:
    sso.set_faults(tamper=True)
    for _ in range(6):
        _sign_in(client, sso, "alice")
    sso.set_faults()
    assert _sign_in(client, sso, "alice")["Location"] == reverse("measures:start")
    assert _signed_in_as(client) is not None


def test_switching_someone_off_ends_their_council_session_at_once(
    client: Client, sso: Provider
) -> None:
    _sign_in(client, sso, "alice")
    User.objects.filter(username="alice").update(is_active=False)
    answer = client.get(reverse("measures:returns"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_a_crafted_error_link_neither_signs_anyone_out_nor_speaks_for_the_provider(
    client: Client, sso: Provider
) -> None:
    _sign_in(client, sso, "alice")
    crafted = urlencode({"error": "access_denied", "error_description": "Call 0900 123 456"})
    answer = client.get(f"{reverse('oidc_authentication_callback')}?{crafted}")
    assert answer.status_code == 302 and _signed_in_as(client) is not None
    assert "0900" not in _refusal(client)


def test_the_providers_refusal_is_said_by_its_code_only(client: Client, sso: Provider) -> None:
    start = client.get(reverse("oidc_authentication_init"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    refusal = urlencode({"error": "access_denied", "error_description": "<b>x</b>", "state": state})
    client.get(f"{reverse('oidc_authentication_callback')}?{refusal}")
    page = _refusal(client)
    assert "the sign-in service refused it (access_denied)" in page and "<b>x</b>" not in page


def test_an_account_made_here_before_is_taken_over_not_duplicated(
    client: Client, sso: Provider
) -> None:
    made = make.user(Role.OFFICER, username="alice")
    owned = make.indicator(made)
    _sign_in(client, sso, "alice")
    assert _signed_in_as(client) == made
    assert SignInIdentity.objects.get().user == made and owned.owner == made
    assert User.objects.filter(username__startswith="alice").count() == 1


def test_a_superuser_account_is_never_taken_over(client: Client, sso: Provider) -> None:
    admin = make.user(Role.ADMINISTRATOR, username="alice")
    User.objects.filter(pk=admin.pk).update(is_superuser=True)
    _sign_in(client, sso, "alice")
    signed = _signed_in_as(client)
    assert signed is not None and signed != admin and signed.username == "alice-2"


def test_the_admins_own_sign_in_obeys_administrators_only_too(
    client: Client, settings: Any
) -> None:
    settings.SSO_ENABLED = True
    settings.LOCAL_SIGN_IN = "administrators"
    staff = make.user(Role.OFFICER, username="olivia")
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    answer = client.post(
        reverse("admin:login"), {"username": "olivia", "password": "not-a-real-password-1"}
    )
    assert answer.status_code == 200 and _signed_in_as(client) is None
