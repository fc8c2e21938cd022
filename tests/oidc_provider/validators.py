"""DOT's OAuth2 validator with the claims the application reads, and the test faults.

Claims, in the ID token and from userinfo, by the scopes granted (standard OIDC scopes):
`sub` (the user's id) and `groups` (sorted names of the user's groups) with `openid`;
`email` and `email_verified` with `email`; `name`, `given_name`, `family_name` and
`preferred_username` (the username) with `profile`.

Faults (faults.py), applied to every ID token issued while switched on:
* expired: `exp` an hour ago, `iat` and `auth_time` two hours ago (properly signed);
* wrong_key: signed by a key not in the JWKS, keeping the published key's `kid` in the header
  (so a client finds the published key and its signature check must fail);
* tamper: after signing, the payload is re-encoded with `"tampered": true` added, so the
  signature no longer matches.
"""

from __future__ import annotations

import json
import time
from functools import cache
from typing import Any

from jwcrypto import jwk, jwt
from jwcrypto.common import base64url_decode, base64url_encode
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider import faults

PROFILE_CLAIMS = ("name", "given_name", "family_name", "preferred_username")


@cache
def unpublished_key() -> jwk.JWK:
    """An RSA key of this process's own, never in the JWKS."""
    return jwk.JWK.generate(kty="RSA", size=2048)


class Validator(OAuth2Validator):
    """DOT's validator, adding the profile, email and `groups` claims, and the test faults."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "openid"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        """The claims of `request.user` beyond `sub`."""
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.get_full_name(),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "preferred_username": user.get_username(),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }

    def get_discovery_claims(self, request: Any) -> list[str]:
        """The claims listed in the discovery document's claims_supported."""
        return ["sub", "groups", "email", "email_verified", *PROFILE_CLAIMS]

    def get_id_token_dictionary(
        self, token: Any, token_handler: Any, request: Any
    ) -> tuple[dict[str, Any], Any]:
        """DOT's claims, dated in the past while the `expired` fault is on."""
        claims, expires = super().get_id_token_dictionary(token, token_handler, request)
        if "expired" in faults.active():
            now = int(time.time())
            claims.update(iat=now - 7200, auth_time=now - 7200, exp=now - 3600)
        return claims, expires

    def finalize_id_token(self, id_token: Any, token: Any, token_handler: Any, request: Any) -> str:
        """DOT's signed ID token, re-signed or altered by the `wrong_key` and `tamper` faults."""
        signed: str = super().finalize_id_token(id_token, token, token_handler, request)
        active = faults.active()
        if "wrong_key" in active:
            signed = _signed_with(signed, unpublished_key())
        if "tamper" in active:
            signed = _tampered(signed)
        return signed


def _signed_with(signed: str, key: jwk.JWK) -> str:
    """The same header and claims as `signed`, signed with `key` instead."""
    header, payload, _ = signed.split(".")
    token = jwt.JWT(
        header=base64url_decode(header).decode(), claims=base64url_decode(payload).decode()
    )
    token.make_signed_token(key)
    return str(token.serialize())


def _tampered(signed: str) -> str:
    """`signed` with `"tampered": true` added to its payload and its signature left as it was."""
    header, payload, signature = signed.split(".")
    claims = json.loads(base64url_decode(payload))
    claims["tampered"] = True
    return ".".join([header, base64url_encode(json.dumps(claims)), signature])
