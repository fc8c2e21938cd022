"""Who may open the finance pages, and the signed-in user."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest

from core.access import allow
from resources.permissions import works_on_finance

finance_staff = allow(works_on_finance, "finance officers and the performance team")


def me(request: HttpRequest) -> User:
    return cast(User, request.user)
