"""The performance team's start page: what is waiting for them, and where each job is done."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ambitions.models import Scheme
from ambitions.selectors import plan_in_force
from measures import selectors
from measures.views.common import performance_team


@performance_team
def team(request: HttpRequest) -> HttpResponse:
    """Readings waiting for approval, the periods open for returns and how many of the plan's
    schemes have no lead officer yet, with links to the jobs."""
    open_periods = list(selectors.periods_open())
    plan = plan_in_force(date.today())
    schemes = (
        Scheme.objects.filter(focus_area__ambition__plan=plan) if plan else Scheme.objects.none()
    )
    return render(
        request,
        "measures/team.html",
        {
            "waiting": selectors.approval_queue().count(),
            "open_periods": open_periods,
            "today": date.today(),
            "schemes_without_lead": schemes.filter(owner__isnull=True).count(),
        },
    )
