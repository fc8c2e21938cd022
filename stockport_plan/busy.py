"""A database too busy to take a write (SQLite with many writers at once) gets a "try again"
page, never a server error: nothing was saved, because the transaction never began."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger("stockport_plan.busy")
BUSY_MESSAGES = ("database is locked", "database table is locked")


class DatabaseBusyMiddleware:
    """Turns "database is locked" into a 503 page saying that nothing was saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        if not any(message in str(exception) for message in BUSY_MESSAGES):
            return None
        logger.warning("Busy database on %s %s: %s", request.method, request.path, exception)
        response = render(request, "busy.html", status=503)
        response["Retry-After"] = "5"
        return response
