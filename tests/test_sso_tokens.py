"""The ID token checks that need a clock or a key of their own: skew within
OIDC_CLOCK_SKEW_SECONDS, RS256 only, the audience, and Entra ID's groups overage."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation

from accounts.services import NotAllowedIn, identity_sign_in
from accounts.sso import CouncilAccountBackend

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
HMAC_KEY = "a-client-secret-long-enough-for-hs256-0123456789"


def _token(algorithm: str = "RS256", key: Any = KEY, **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": "https://idp.example", "aud": "app", "sub": "1", "iat": now, "exp": now + 600}
    return jwt.encode({**claims, **changes}, key, algorithm=algorithm)


@pytest.fixture
def backend(settings: Any) -> CouncilAccountBackend:
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "app", "secret"
    settings.OIDC_ISSUER, settings.OIDC_CLOCK_SKEW_SECONDS = "https://idp.example", 120
    return CouncilAccountBackend()


def test_a_provider_clock_a_minute_ahead_is_allowed_but_not_ten(
    backend: CouncilAccountBackend,
) -> None:
    ahead = int(time.time()) + 60
    assert backend._verify_jws(_token(iat=ahead, nbf=ahead), KEY.public_key())["sub"] == "1"
    far = int(time.time()) + 600
    with pytest.raises(jwt.ImmatureSignatureError):
        backend._verify_jws(_token(iat=far, nbf=far), KEY.public_key())
    with pytest.raises(jwt.ExpiredSignatureError):
        backend._verify_jws(_token(exp=int(time.time()) - 300), KEY.public_key())


def test_only_rs256_signed_for_this_app_is_accepted(backend: CouncilAccountBackend) -> None:
    with pytest.raises(SuspiciousOperation, match="RS256"):
        backend._verify_jws(_token("HS256", key=HMAC_KEY), HMAC_KEY)
    with pytest.raises(jwt.InvalidAudienceError):
        backend._verify_jws(_token(aud="another-app"), KEY.public_key())
    with pytest.raises(jwt.MissingRequiredClaimError):
        backend._verify_jws(_without("sub"), KEY.public_key())


def _without(claim: str) -> str:
    now = int(time.time())
    claims = {"iss": "https://idp.example", "aud": "app", "sub": "1", "iat": now, "exp": now + 600}
    del claims[claim]
    return jwt.encode(claims, KEY, algorithm="RS256")


@pytest.mark.django_db
def test_too_many_groups_to_list_is_refused_and_roles_are_left_alone(settings: Any) -> None:
    settings.OIDC_GROUP_ROLES = {"g": "officer"}
    claims = {"sub": "1", "hasgroups": True, "_claim_names": {"groups": "src1"}}
    with pytest.raises(NotAllowedIn, match="too many groups"):
        identity_sign_in(issuer="https://idp.example", claims=claims)
