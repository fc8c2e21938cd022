"""Values every page template needs."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ambitions.selectors import plan_in_force
from core.roles import can_enter_readings, is_performance_team, reads_reports
from resources.permissions import works_on_finance

# The performance team's pages, grouped under one navigation item so the bar fits one line.
TEAM_PAGES = ("team", "approvals", "completion", "periods", "people", "person")


def service(request: HttpRequest) -> dict[str, object]:
    """The service name, the plan in force (whose council names the header, unless the page
    is about another plan), whether this copy runs on demo data, and what the visitor may do."""
    user = request.user
    return {
        "SERVICE_NAME": "Council Plan performance",
        "CURRENT_PLAN": SimpleLazyObject(lambda: plan_in_force(date.today())),
        "DEMO": settings.DEMO,
        "CAN_ENTER_READINGS": can_enter_readings(user),
        "IS_PERFORMANCE_TEAM": is_performance_team(user),
        "WORKS_ON_FINANCE": works_on_finance(user),
        "READS_REPORTS": reads_reports(user),
        "TEAM_PAGES": TEAM_PAGES,
    }
