"""Who may see and record a committee's meetings and recommendations: whoever may read the
committee's reports sees them (councillors and the performance team every committee's, scrutiny
members their own committees'; the public none); only the performance team records them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from core.roles import is_performance_team, reads_reports
from measures.permissions import committees_readable_by
from portfolios.models import ScrutinyCommittee


def reads_meetings(user: User | AnonymousUser) -> bool:
    """Opens the meetings pages at all (which committees: `committees_with_meetings_for`)."""
    return reads_reports(user)


def committees_with_meetings_for(user: User | AnonymousUser) -> QuerySet[ScrutinyCommittee]:
    """The committees whose meetings this user sees: those whose reports they read."""
    return committees_readable_by(user)


def can_record(user: User | AnonymousUser) -> bool:
    """Records meetings, adds recommendations and updates their progress."""
    return is_performance_team(user)
