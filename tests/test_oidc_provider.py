"""The test OpenID Connect provider (tests/oidc.py) is a real one: it publishes its discovery
document and keys, signs in with its form, requires PKCE, issues ID tokens with the groups
claim that verify against its JWKS, signs out on request, and breaks tokens when told to."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import secrets
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.oidc import Provider, SignInFailed, running_provider

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("oauth2_provider") is None
    or importlib.util.find_spec("jwcrypto") is None,
    reason="django-oauth-toolkit (with jwcrypto) is not installed: the test provider needs it",
)

CALLBACK = "http://127.0.0.1:1/oidc/callback/"  # never opened: the tests stop at the redirect
SIGNED_OUT = "http://127.0.0.1:1/signed-out/"
PASSWORD = "not-a-real-password-2"  # noqa: S105 - a test user's password
ALICE = {
    "username": "alice",
    "password": PASSWORD,
    "email": "alice@example.org",
    "first_name": "Alice",
    "last_name": "Example",
    "groups": ["performance-team", "officers"],
}


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    """One provider for the module, with Alice."""
    with running_provider(
        redirect_uri=CALLBACK, post_logout_redirect_uri=SIGNED_OUT, users=[ALICE]
    ) as running:
        yield running


@pytest.fixture
def faultless(provider: Provider) -> Iterator[Provider]:
    """The provider, its faults reset after the test."""
    yield provider
    provider.set_faults()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def authorize_url(provider: Provider, **overrides: str) -> tuple[str, dict[str, str]]:
    """An authorization-code + PKCE (S256) request, as the application builds it; its secrets."""
    secret = {
        "verifier": secrets.token_urlsafe(48),
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
    }
    query = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": CALLBACK,
        "scope": "openid email profile",
        "state": secret["state"],
        "nonce": secret["nonce"],
        "code_challenge": _b64(hashlib.sha256(secret["verifier"].encode()).digest()),
        "code_challenge_method": "S256",
        **overrides,
    }
    endpoint = provider.discovery()["authorization_endpoint"]
    return f"{endpoint}?{urlencode({k: v for k, v in query.items() if v})}", secret


def signed_in_tokens(provider: Provider, username: str = "alice") -> tuple[dict[str, Any], str]:
    """Sign in and exchange the code as the application would: the token response, the nonce."""
    url, secret = authorize_url(provider)
    back = urlsplit(provider.sign_in(url, username, PASSWORD))
    query = parse_qs(back.query)
    assert back._replace(query="").geturl() == CALLBACK
    assert query["state"] == [secret["state"]]
    response = requests.post(
        provider.discovery()["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": CALLBACK,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
            "code_verifier": secret["verifier"],
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json(), secret["nonce"]


def verified_claims(provider: Provider, id_token: str, *, check_times: bool = True) -> Any:
    """The ID token's claims once its signature verifies against the provider's JWKS."""
    from jwcrypto import jwk, jwt

    keys = jwk.JWKSet.from_json(requests.get(provider.discovery()["jwks_uri"], timeout=30).text)
    header, _ = unverified(id_token)
    assert header["alg"] == "RS256"
    key = keys.get_key(header["kid"])
    assert key is not None, "the token's kid is not in the JWKS"
    token = jwt.JWT(
        jwt=id_token, key=key, expected_type="JWS", check_claims=None if check_times else {}
    )
    return json.loads(token.claims)


def unverified(id_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ID token's header and claims, without checking anything."""
    header, payload = (
        json.loads(base64.urlsafe_b64decode(p + "==")) for p in id_token.split(".")[:2]
    )
    return header, payload


def test_discovery_lists_the_endpoints_and_only_s256(provider: Provider) -> None:
    found = provider.discovery()
    assert found["issuer"] == provider.issuer == f"{provider.base_url}/o"
    for name, path in {
        "authorization_endpoint": "/o/authorize/",
        "token_endpoint": "/o/token/",
        "userinfo_endpoint": "/o/userinfo/",
        "jwks_uri": "/o/.well-known/jwks.json",
        "end_session_endpoint": "/o/logout/",
    }.items():
        assert found[name] == f"{provider.base_url}{path}"
    assert found["code_challenge_methods_supported"] == ["S256"]
    assert "RS256" in found["id_token_signing_alg_values_supported"]
    assert {"groups", "email", "preferred_username"} <= set(found["claims_supported"])


def test_a_full_sign_in_gives_a_verified_id_token_with_groups(faultless: Provider) -> None:
    provider = faultless
    tokens, nonce = signed_in_tokens(provider)
    claims = verified_claims(provider, tokens["id_token"])
    assert claims["iss"] == provider.issuer and claims["aud"] == provider.client_id
    assert claims["nonce"] == nonce and claims["exp"] > time.time() >= claims["iat"] - 5
    assert claims["groups"] == ["officers", "performance-team"]
    assert {k: claims[k] for k in ("email", "name", "given_name", "family_name")} == {
        "email": "alice@example.org",
        "name": "Alice Example",
        "given_name": "Alice",
        "family_name": "Example",
    }
    assert claims["preferred_username"] == "alice" and claims["sub"]
    userinfo = requests.get(
        provider.discovery()["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=30,
    ).json()
    assert userinfo["sub"] == claims["sub"] and userinfo["groups"] == claims["groups"]


def test_groups_changed_between_sign_ins_are_in_the_next_token(faultless: Provider) -> None:
    provider = faultless
    provider.add_user(username="bob", password=PASSWORD, email="bob@example.org", groups=["a"])
    assert verified_claims(provider, signed_in_tokens(provider, "bob")[0]["id_token"])[
        "groups"
    ] == ["a"]
    provider.set_groups("bob", [])
    assert (
        verified_claims(provider, signed_in_tokens(provider, "bob")[0]["id_token"])["groups"] == []
    )


def test_signing_out_with_the_id_token_returns_to_the_application(faultless: Provider) -> None:
    provider = faultless
    tokens, _ = signed_in_tokens(provider)
    query = {
        "id_token_hint": tokens["id_token"],
        "post_logout_redirect_uri": SIGNED_OUT,
        "state": "after-sign-out",
    }
    url = f"{provider.discovery()['end_session_endpoint']}?{urlencode(query)}"
    assert provider.logout_url_followed(url) == f"{SIGNED_OUT}?state=after-sign-out"
    # Signed out at the provider too: the next sign-in asks for the password again.
    again = provider.browser.get(authorize_url(provider)[0], allow_redirects=False, timeout=30)
    assert "/accounts/login/" in again.headers["Location"]


def test_a_wrong_password_gives_no_code(provider: Provider) -> None:
    with pytest.raises(SignInFailed, match="sign-in form was shown again"):
        provider.sign_in(authorize_url(provider)[0], "alice", "wrong-password")


@pytest.mark.parametrize(
    "pkce",
    [{"code_challenge": "", "code_challenge_method": ""}, {"code_challenge_method": "plain"}],
)
def test_pkce_with_s256_is_required(provider: Provider, pkce: dict[str, str]) -> None:
    back = parse_qs(
        urlsplit(provider.sign_in(authorize_url(provider, **pkce)[0], "alice", PASSWORD)).query
    )
    assert "code" not in back and back["error"] == ["invalid_request"]


def test_tamper_breaks_the_signature(faultless: Provider) -> None:
    from jwcrypto.jws import InvalidJWSSignature

    faultless.set_faults(tamper=True)
    id_token = signed_in_tokens(faultless)[0]["id_token"]
    assert unverified(id_token)[1]["tampered"] is True
    with pytest.raises(InvalidJWSSignature):
        verified_claims(faultless, id_token)


def test_expired_dates_the_token_in_the_past(faultless: Provider) -> None:
    from jwcrypto.jwt import JWTExpired

    faultless.set_faults(expired=True)
    id_token = signed_in_tokens(faultless)[0]["id_token"]
    claims = verified_claims(faultless, id_token, check_times=False)  # properly signed
    assert claims["exp"] < time.time() - 3000 and claims["iat"] < time.time() - 7000
    with pytest.raises(JWTExpired):
        verified_claims(faultless, id_token)


def test_wrong_key_signs_with_a_key_not_in_the_jwks(faultless: Provider) -> None:
    from jwcrypto.jws import InvalidJWSSignature

    faultless.set_faults(wrong_key=True)
    id_token = signed_in_tokens(faultless)[0]["id_token"]
    published = requests.get(faultless.discovery()["jwks_uri"], timeout=30).json()["keys"]
    assert unverified(id_token)[0]["kid"] in [key["kid"] for key in published]
    with pytest.raises(InvalidJWSSignature):
        verified_claims(faultless, id_token)


def test_faults_reset_and_unknown_flags_are_refused(faultless: Provider) -> None:
    faultless.set_faults(tamper=True)
    faultless.set_faults()
    verified_claims(faultless, signed_in_tokens(faultless)[0]["id_token"])
    with pytest.raises(RuntimeError, match="unknown fault flags"):
        faultless.set_faults(sloppy=True)
