"""Values every page template needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from measures.roles import Role, role_names


def service(request: HttpRequest) -> dict[str, object]:
    """The service name, whether this copy runs on demo data, and what the visitor may do."""
    roles = role_names(request.user)
    performance = Role.PERFORMANCE_TEAM.value in roles
    return {
        "SERVICE_NAME": "Council Plan performance",
        "DEMO": settings.DEMO,
        "CAN_ENTER_READINGS": performance or Role.OFFICER.value in roles,
        "IS_PERFORMANCE_TEAM": performance,
        "READS_REPORTS": performance
        or bool({Role.COUNCILLOR.value, Role.SCRUTINY_MEMBER.value} & roles),
    }
