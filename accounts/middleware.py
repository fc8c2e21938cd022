"""A session begun with the council's account ends once the provider's ID token has expired
and the idle limit has passed since, so removing someone at the provider takes effect."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from accounts.sso import EXPIRES_KEY


class SignInExpiry:
    """Sign out a single sign-on session whose ID token expired more than the idle limit ago."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        expires = request.session.get(EXPIRES_KEY) if hasattr(request, "session") else None
        if expires is not None and time.time() > expires + settings.SESSION_COOKIE_AGE:
            logout(request)
            messages.info(
                request,
                "Your council sign-in has ended: sign in again to carry on.",
            )
        return self.get_response(request)
