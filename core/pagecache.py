"""Pages that repeat are not rebuilt: what anonymous visitors see is cached whole, keyed on the
data version (core/versioning.py) and the address, and sent with an ETag and Last-Modified so
a browser's repeat visit is answered 304 with no body; the expensive part of a signed-in
person's page is cached the same way for everyone who sees the same figures. Any write bumps
the version, so a change is on the next request's page, from any process (the version is in
the database; the cache is Redis when REDIS_URL is set, each process's memory otherwise).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import http_date
from django.utils.safestring import SafeString

from core import versioning

View = Callable[..., HttpResponseBase]
KEPT_FOR = 24 * 60 * 60  # a version's pages outlive it by no more than a day
HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def cached_for_the_public(view: View) -> View:
    """Serve the view's answers to anonymous GETs from the cache while the data is unchanged."""

    @wraps(view)
    def cached(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        version = versioning.current()
        address = request.get_full_path()
        edition = _edition(version)
        etag = _etag(edition, address)
        if etag in _tags(request.headers.get("If-None-Match", "")):
            return _stamped(HttpResponseNotModified(), etag, version)
        key = f"page:{edition}:{hashlib.sha256(address.encode()).hexdigest()}"
        kept = cache.get(key)
        if kept is not None:
            again = HttpResponse(kept["content"], status=200)
            for header, value in kept["headers"].items():
                again[header] = value
            return _stamped(again, etag, version)
        response = view(request, *args, **kwargs)
        if (
            isinstance(response, HttpResponse)  # not streamed: it has its content whole
            and response.status_code == 200
            and not response.cookies
        ):
            headers = {h: response[h] for h in HEADERS if response.has_header(h)}
            cache.set(key, {"content": response.content, "headers": headers}, KEPT_FOR)
            return _stamped(response, etag, version)
        return response

    return cached


def cached_fragment(parts: tuple[str, ...], build: Callable[[], str]) -> SafeString:
    """The expensive part of a signed-in person's page, built once per data version for
    everyone whose view of the data is the same (`parts` says whose, and which page)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    key = f"fragment:{_edition(versioning.current())}:{digest}"
    kept = cache.get(key)
    if kept is None:
        kept = build()
        cache.set(key, kept, KEPT_FOR)
    return SafeString(kept)


def _cacheable(request: HttpRequest) -> bool:
    """Anonymous GETs only, with no session (a session may hold a message for this person)."""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _edition(version: versioning.Version) -> str:
    """The data version, when it was made, and today's date. The time: a database restored
    from a backup (or flushed) counts its versions again from an earlier number, and must not
    be served the pages cached for that number before. The date: pages say what is overdue,
    so a day's pages are not served on the next even when the data has not changed."""
    made = int(version.changed_at.timestamp() * 1_000_000)
    return f"{version.number}.{made}-{date.today().isoformat()}"


def _etag(edition: str, address: str) -> str:
    digest = hashlib.sha256(f"{edition}:{address}".encode()).hexdigest()[:20]
    return f'"{digest}"'


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _stamped(
    response: HttpResponseBase, etag: str, version: versioning.Version
) -> HttpResponseBase:
    """Say which version the page is of: browsers ask again each time (no-cache) and get 304
    while it is unchanged."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version.changed_at.timestamp())
    response["Cache-Control"] = "public, no-cache"
    return response
