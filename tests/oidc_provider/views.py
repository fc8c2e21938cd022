"""Test-only control endpoints: switch ID-token faults, and create or change users."""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tests.oidc_provider import faults, settings
from tests.oidc_provider.accounts import put_user


def _body_if_allowed(request: HttpRequest) -> dict[str, Any] | None:
    """The request's JSON object, or None when it lacks the control token."""
    given = request.headers.get("X-Control-Token", "")
    if not hmac.compare_digest(given, settings.CONTROL_TOKEN):
        return None
    body = json.loads(request.body or b"{}")
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


@csrf_exempt
@require_POST
def set_faults(request: HttpRequest) -> HttpResponse:
    """Switch on exactly the fault flags given as true in the body ({} resets)."""
    body = _body_if_allowed(request)
    if body is None:
        return HttpResponse(status=403)
    try:
        chosen = faults.switch_on(body)
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"faults": sorted(chosen)})


@csrf_exempt
@require_POST
def put_user_view(request: HttpRequest) -> HttpResponse:
    """Create or update the user named in the body; its groups as they now are."""
    body = _body_if_allowed(request)
    if body is None:
        return HttpResponse(status=403)
    if not body.get("username"):
        return JsonResponse({"error": "username is required"}, status=400)
    user = put_user(body)
    groups = sorted(user.groups.values_list("name", flat=True))
    return JsonResponse({"username": user.username, "groups": groups})
