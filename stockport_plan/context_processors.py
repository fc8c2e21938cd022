"""Values every page template needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, object]:
    """The service name and whether this machine runs on demo data."""
    return {"SERVICE_NAME": "Council Plan performance", "DEMO": settings.DEMO}
