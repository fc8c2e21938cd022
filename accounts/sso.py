"""Single sign-on with the council's own accounts by OpenID Connect (Microsoft Entra ID or any
certified provider), through mozilla-django-oidc: the authorisation code flow with PKCE (S256),
`state` and `nonce` checked, the ID token's RS256 signature checked against the provider's
published keys, and here its issuer, audience and times too, within OIDC_CLOCK_SKEW_SECONDS.
The endpoints come from the provider's discovery document (accounts/discovery.py)."""

from __future__ import annotations

import logging
import re
import time
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import discovery
from accounts.services import NotAllowedIn, identity_sign_in
from core.roles import has_any_role

logger = logging.getLogger(__name__)
# Where a sign-in that went wrong, and why, is kept for the sign-in page to say.
FAILURE_KEY = "sso_failure"
UNTRUSTED = "the sign-in service's answer could not be trusted, so you were not signed in"
# When the provider's ID token of this session expires (seconds since the epoch).
EXPIRES_KEY = "sso_token_expires"


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Signs in the person the provider's verified ID token names (accounts.services)."""

    get_settings = staticmethod(discovery.setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Only the client's own settings: the endpoints are read when a sign-in needs them,
        so a password sign-in or an ordinary request never waits for the provider."""
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return str(discovery.setting("OIDC_OP_TOKEN_ENDPOINT"))

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return str(discovery.setting("OIDC_OP_USER_ENDPOINT"))

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return str(discovery.setting("OIDC_OP_JWKS_ENDPOINT"))

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        """The signed-in person, or None with the reason kept for the sign-in page."""
        if request is None or "nonce" not in kwargs or "code" not in request.GET:
            return None  # not the callback's (which passes the nonce): a password, say
        try:
            return super().authenticate(request, **kwargs)
        except NotAllowedIn as refused:
            _fail(request, str(refused))
        except IntegrityError:
            logger.warning("Single sign-on raced another first sign-in of the same account")
            _fail(request, "the same account was signing in twice at once: try again")
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            logger.warning("Single sign-on refused: %s", error)
            _fail(request, UNTRUSTED)
        except (requests.RequestException, discovery.ProviderUnavailable) as error:
            logger.warning("Single sign-on failed: %s", error)
            _fail(request, "the council's sign-in service could not be reached")
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            # A malformed answer (no kid, userinfo that is not an object, ...): never a 500.
            logger.warning("Single sign-on got a malformed answer: %r", error)
            _fail(request, UNTRUSTED)
        return None

    def get_user(self, user_id: int) -> User | None:
        """The session's person, while their account is active: switching someone off in the
        admin ends their sessions at once, as it does for passwords."""
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The token's claims if it is signed with RS256 by this key and its audience, expiry,
        issue and not-before times hold, within OIDC_CLOCK_SKEW_SECONDS (PyJWT checks them)."""
        if jwt.get_unverified_header(payload).get("alg") != "RS256":
            raise SuspiciousOperation("ID token refused: not signed with RS256")
        claims: dict[str, Any] = jwt.decode(
            payload,
            key,
            algorithms=["RS256"],
            audience=settings.OIDC_RP_CLIENT_ID,
            leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
        return claims

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The ID token's claims once its signature, audience and times (_verify_jws), its
        nonce (mozilla-django-oidc) and its issuer and authorised party (here) all hold."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audiences = payload.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else list(audiences or [])
        problems = [
            "issuer" * (str(payload.get("iss", "")).rstrip("/") != settings.OIDC_ISSUER),
            "authorised party"
            * (len(audiences) > 1 and payload.get("azp") != settings.OIDC_RP_CLIENT_ID),
        ]
        if any(problems):
            raise SuspiciousOperation(
                f"ID token refused: wrong {', '.join(p for p in problems if p)}"
            )
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        """The person, from the ID token's claims with the profile the provider's userinfo
        adds (the token's own claims win: groups and subject are the signed ones)."""
        claims = {**self.get_userinfo(access_token, id_token, payload), **payload}
        user = identity_sign_in(issuer=settings.OIDC_ISSUER, claims=claims)
        user.sso_token_expires = payload["exp"]  # type: ignore[attr-defined]
        return user


class SignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and the PKCE challenge kept in the
    session); says so plainly when the provider cannot be reached."""

    get_settings = staticmethod(discovery.setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().__init__(*args, **kwargs)
            self.unavailable = ""
        except discovery.ProviderUnavailable as error:
            self.unavailable = str(error)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.SSO_ENABLED:
            raise Http404("Single sign-on is not set up here.")
        if self.unavailable:
            logger.warning("Single sign-on unavailable: %s", self.unavailable)
            _fail(request, "the council's sign-in service could not be reached")
            return redirect("login")
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: the person signed in, or the sign-in page
    with what went wrong; a used, unknown or forged `state` is refused the same way."""

    get_settings = staticmethod(discovery.setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.SSO_ENABLED:
            raise Http404("Single sign-on is not set up here.")
        pending = request.session.get("oidc_states", {})
        if "error" in request.GET and request.GET.get("state") not in pending:
            # Not the answer to a sign-in this browser started: a crafted link must neither
            # sign the person out nor put its words on the sign-in page.
            return redirect("login")
        try:
            return super().get(request)
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            logger.warning("Single sign-on refused: %s", error)
            _fail(request, "that sign-in link had been used already or had expired")
            return redirect("login")

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        request = self.request
        request.session[EXPIRES_KEY] = getattr(self.user, "sso_token_expires", time.time())
        if not has_any_role(self.user):
            messages.info(
                request,
                "You are signed in with your council account, but it is not in any of the "
                "groups this service gives a role to, so you see what the public sees. Ask "
                "the performance team or IT to add you to the right group.",
            )
            return HttpResponseRedirect(reverse("ambitions:home"))
        return response

    def login_failure(self) -> HttpResponse:
        request = self.request
        code = request.GET.get("error", "")
        if code and FAILURE_KEY not in request.session:
            # The provider's own words are not shown; its standard error code is.
            said = code if re.fullmatch(r"[a-z_]{1,40}", code) else "an error"
            _fail(request, f"the sign-in service refused it ({said})")
        elif FAILURE_KEY not in request.session:
            _fail(request, "you were not signed in")
        return redirect("login")


def not_a_password_sign_in(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """For django-axes (AXES_WHITELIST_CALLABLE): its lockout counts password guesses only. A
    sign-in with the council's account carries no password (the provider guards its own
    form), and counting its failures by address would lock out a whole office behind one."""
    return credentials is not None and "password" not in credentials


def _fail(request: HttpRequest, reason: str) -> None:
    request.session[FAILURE_KEY] = reason


def provider_sign_out_url(request: HttpRequest) -> str:
    """Where to send the browser to end the provider's session too (RP-initiated logout),
    returning to the public home page; the home page itself when the provider has no such
    endpoint or cannot be reached. Called before the app's session ends."""
    home = request.build_absolute_uri(reverse("ambitions:home"))
    id_token = request.session.get("oidc_id_token")
    if not settings.SSO_ENABLED or not id_token:
        return home
    try:
        end_session = discovery.provider_configuration().get("end_session_endpoint")
    except discovery.ProviderUnavailable:
        return home
    if not end_session:
        return home
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": home,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
