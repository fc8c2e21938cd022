"""What the officer and performance-team pages share: who may open them, and the period."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest

from core.access import allow
from core.roles import can_enter_readings, is_performance_team
from measures import selectors
from measures.models import ReportingPeriod

officers = allow(can_enter_readings, "officers and the performance team")
performance_team = allow(is_performance_team, "the performance team")


def me(request: HttpRequest) -> User:
    """The signed-in user (every view that calls this is behind `allow`)."""
    return cast(User, request.user)


def chosen_open_period(request: HttpRequest) -> ReportingPeriod | None:
    """The open period asked for (404 if it is not open), or else the latest open quarter."""
    code = request.GET.get("period")
    open_periods = selectors.periods_open()
    if code:
        period = selectors.period_get(code=code)
        if period.state != ReportingPeriod.State.OPEN:
            raise Http404(f"{period} is not open for returns.")
        return period
    return open_periods.filter(kind=ReportingPeriod.Kind.QUARTER).first() or open_periods.first()


def version_from(text: str) -> int | None:
    """A version number from a hidden field, or None when it is not one."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
