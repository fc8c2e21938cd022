"""The committee page's part that shows its meetings and open recommendations."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from portfolios.models import ScrutinyCommittee
from scrutiny import selectors
from scrutiny.permissions import can_record

register = template.Library()
RECENT_MEETINGS = 5


@register.inclusion_tag("scrutiny/_committee_meetings.html", takes_context=True)
def committee_meetings(context: dict[str, Any], committee: ScrutinyCommittee) -> dict[str, Any]:
    """The latest meetings and every open recommendation with its progress (the page that
    includes this has already checked the visitor may read the committee's reports)."""
    user = context["request"].user
    return {
        "committee": committee,
        "meetings": list(selectors.meetings_of(committee)[:RECENT_MEETINGS]),
        "open": selectors.open_progress(committee, as_of=timezone.localdate()),
        "may_record": can_record(user),
    }
