"""Security that every response and sign-in shares: headers, the client's address, logging."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("stockport_plan.security")

# No inline or third-party script anywhere: chart data travels as JSON, not code. Inline styles
# are allowed because plotly.js and the Django admin set style attributes; styles cannot run code.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and Permissions-Policy headers to every response, and
    keeps what a signed-in person sees (unpublished figures, their exports) out of every cache:
    the browser's, a shared computer's, and any proxy's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


def client_ip(request: HttpRequest) -> str:
    """The address that reached us, or behind TRUSTED_PROXY_COUNT proxies the one the outermost
    proxy saw. Entries a client adds to X-Forwarded-For itself are never trusted."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [
            h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()
        ]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def axes_client_ip(request: HttpRequest) -> str:
    return client_ip(request)


def log_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    logger.info("Sign-in: user %s from %s", user.pk, client_ip(request))


def log_sign_in_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    where = client_ip(request) if request is not None else "unknown"
    logger.warning("Failed sign-in for username %r from %s", credentials.get("username"), where)


def log_sign_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    logger.info("Sign-out: user %s", getattr(user, "pk", None))
