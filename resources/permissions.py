"""Who sees and does what with finance figures: the one home pages, downloads, reports and
open data all ask.

- finance officers upload the quarter's figures, and see every return in every state;
- the performance team sees them too, approves or returns them (never a return they uploaded
  themselves), and sets the variance threshold;
- councillors and scrutiny members see approved and published figures;
- everyone else, the public included, sees published figures only (council finance is public
  in England, so there is nothing else to hide).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from core.roles import is_finance_officer, is_member, is_performance_team
from resources.choices import FinanceStatus
from resources.models import FinanceReturn

WORKFLOW, MEMBERS, PUBLIC = "workflow", "members", "public"
SHOWN = {
    # What a dashboard shows each audience: the latest figures it may see, never a returned
    # return (its figures are known to be wrong).
    WORKFLOW: (FinanceStatus.SUBMITTED, FinanceStatus.APPROVED, FinanceStatus.PUBLISHED),
    MEMBERS: (FinanceStatus.APPROVED, FinanceStatus.PUBLISHED),
    PUBLIC: (FinanceStatus.PUBLISHED,),
}


def finance_audience(user: User | AnonymousUser) -> str:
    """Whose view of the finance figures this visitor has: workflow, members or public."""
    if is_finance_officer(user) or is_performance_team(user):
        return WORKFLOW
    if is_member(user):
        return MEMBERS
    return PUBLIC


def statuses_shown(audience: str) -> tuple[str, ...]:
    return tuple(str(status) for status in SHOWN[audience])


def works_on_finance(user: User | AnonymousUser) -> bool:
    """Finance officers and the performance team open the finance returns pages."""
    return is_finance_officer(user) or is_performance_team(user)


def can_upload_finance(user: User | AnonymousUser) -> bool:
    """Finance officers upload figures; so may the performance team, for a correction."""
    return works_on_finance(user)


def can_decide_finance(user: User | AnonymousUser, finance_return: FinanceReturn) -> bool:
    """The performance team approves or returns a return, but never one they uploaded."""
    return (
        is_performance_team(user)
        and finance_return.submitted_by_id != user.pk
        and finance_return.status == FinanceStatus.SUBMITTED
    )


def can_set_threshold(user: User | AnonymousUser) -> bool:
    return is_performance_team(user)
