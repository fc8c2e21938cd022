"""View decorators that let a role in and send everyone else to sign in, or refuse them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

logger = logging.getLogger("stockport_plan.access")

View = Callable[..., HttpResponseBase]


def allow(check: Callable[[Any], bool], what: str) -> Callable[[View], View]:
    """Anonymous visitors are asked to sign in; signed-in users who fail the check get 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                logger.warning(
                    "Refused %s %s to user %s", request.method, request.path, request.user.pk
                )
                raise PermissionDenied(f"Only {what} can use this page.")
            return view(request, *args, **kwargs)

        return guarded

    return decorate
