"""Settings of the test OpenID Connect provider: everything it keeps (SQLite database, signing
key, Django secret key, control token) is in the folder `OIDC_PROVIDER_DIR`, and its issuer is
`OIDC_PROVIDER_ISSUER` (such as http://127.0.0.1:8900/o, without a trailing slash)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

STATE_DIR = Path(os.environ["OIDC_PROVIDER_DIR"])
ISSUER = os.environ["OIDC_PROVIDER_ISSUER"].rstrip("/")


def _kept(name: str, make: Callable[[], str]) -> str:
    """The text in STATE_DIR/name, made on first use, so every process of the provider shares it."""
    path = STATE_DIR / name
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(make())
        partial.chmod(0o600)
        partial.replace(path)
    return path.read_text()


def new_rsa_key_pem() -> str:
    """A new 2048-bit RSA private key, PEM-encoded (PKCS#8)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


SECRET_KEY = _kept("secret-key", lambda: secrets.token_urlsafe(50))
CONTROL_TOKEN = _kept("control-token", lambda: secrets.token_urlsafe(32))
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_provider.urls"
WSGI_APPLICATION = "tests.oidc_provider.wsgi.application"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "tests.oidc_provider.apps.OidcProviderConfig",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": STATE_DIR / "db.sqlite3",
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
STATIC_URL = "/static/"
# Test users only: a fast hasher keeps each sign-in from costing PBKDF2's deliberate slowness.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/accounts/login/"
# Cookies are shared by every port of 127.0.0.1: these names keep the provider's session and
# CSRF cookies apart from the application's when both are signed in from one browser.
SESSION_COOKIE_NAME = "oidc_provider_sessionid"
CSRF_COOKIE_NAME = "oidc_provider_csrftoken"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": _kept("signing-key.pem", new_rsa_key_pem),
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validators.Validator",
    "SCOPES": {
        "openid": "OpenID Connect (sub and groups)",
        "profile": "Name and username",
        "email": "Email address",
    },
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only: "plain" is refused
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
}
