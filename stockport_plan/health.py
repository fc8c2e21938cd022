"""What load balancers and monitors poll: /healthz (is this process alive and its database
answering: cheap, for liveness) and /readyz (can this node do its job: the database, Redis
when configured, and the file storage, each checked, for taking a node into rotation)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
PROBE_FOLDER = "readyz"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 (with the reason logged) when it does not."""
    try:
        _database()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when every dependency answers; 503 naming each one that did not ("unavailable"),
    with the reason in the log (not in the answer, which anyone can read)."""
    checks: dict[str, Callable[[], None] | None] = {
        "database": _database,
        "redis": _redis if settings.REDIS_URL else None,
        "storage": storage_round_trip,
    }
    answer: dict[str, str] = {}
    for name, check in checks.items():
        if check is None:
            answer[name] = "not configured"
            continue
        try:
            check()
        except Exception:
            logger.exception("Readiness check: %s is unavailable", name)
            answer[name] = "unavailable"
        else:
            answer[name] = "ok"
    ready = "unavailable" not in answer.values()
    return JsonResponse(
        {"status": "ok" if ready else "error", **answer}, status=200 if ready else 503
    )


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def storage_round_trip() -> None:
    """Write, read back and delete a small file: proves the container or folder exists and this
    node may use it, whichever backend FILE_STORAGE chose."""
    name = default_storage.save(f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    try:
        with default_storage.open(name, "rb") as probe:
            if probe.read() != b"ready":
                raise OSError(f"storage gave back something else for {name}")
    finally:
        default_storage.delete(name)
