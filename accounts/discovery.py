"""The identity provider's endpoints, read from its discovery document (OpenID Connect
Discovery 1.0) at OIDC_ISSUER and kept for an hour, so only the issuer is configured."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from mozilla_django_oidc.utils import import_from_settings

DISCOVERY_PATH = "/.well-known/openid-configuration"
KEPT_SECONDS = 60 * 60
FAILED_KEPT_SECONDS = 30
REQUIRED = ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")


class ProviderUnavailable(Exception):
    """The identity provider could not be reached, or answered with something unusable."""


def provider_configuration() -> dict[str, Any]:
    """The provider's discovery document, from the cache or fetched (ProviderUnavailable when
    it cannot be read, or names another issuer than the one configured)."""
    issuer = settings.OIDC_ISSUER
    if not settings.SSO_ENABLED or not issuer:
        raise ProviderUnavailable("single sign-on is not set up (OIDC_ISSUER is empty)")
    key = f"oidc-discovery:{issuer}"
    kept = cache.get(key)
    if kept is not None:
        return dict(kept)
    if failed := cache.get(f"{key}:failed"):
        raise ProviderUnavailable(failed)  # asked again in a moment, not on every click
    try:
        return _fetched(issuer, key)
    except ProviderUnavailable as error:
        cache.set(f"{key}:failed", str(error), FAILED_KEPT_SECONDS)
        raise


def _fetched(issuer: str, key: str) -> dict[str, Any]:
    """The discovery document, fetched and checked, kept for KEPT_SECONDS."""
    try:
        response = requests.get(issuer + DISCOVERY_PATH, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(
            f"the sign-in service at {issuer} could not be reached ({type(error).__name__})"
        ) from error
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(
            f"the sign-in service's discovery document does not name {issuer} as its issuer"
        )
    missing = [name for name in REQUIRED if not document.get(name)]
    if missing:
        raise ProviderUnavailable(f"the sign-in service does not say its {', '.join(missing)}")
    cache.set(key, document, KEPT_SECONDS)
    return document


# mozilla-django-oidc's settings for the endpoints, and the discovery document's names for them.
ENDPOINT_SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def setting(name: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting, the endpoints taken from the discovery document."""
    if name in ENDPOINT_SETTINGS:
        return provider_configuration()[ENDPOINT_SETTINGS[name]]
    return import_from_settings(name, *default)
