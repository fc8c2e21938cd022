"""The performance team's start page: what is waiting for them, and where each job is done."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from measures import selectors
from measures.views.common import performance_team


@performance_team
def team(request: HttpRequest) -> HttpResponse:
    """Readings waiting for approval and the periods open for returns, with links to the jobs."""
    open_periods = list(selectors.periods_open())
    return render(
        request,
        "measures/team.html",
        {
            "waiting": selectors.approval_queue().count(),
            "open_periods": open_periods,
            "today": date.today(),
        },
    )
