"""A scheme's page: what the plan says of it, who delivers it, and its milestones as a timeline
of planned and revised dates with the latest progress the visitor may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ambitions.selectors import plan_get
from core.formatting import person_name
from core.pagecache import cached_for_the_public
from dashboards.resources_panel import scheme_money
from dashboards.scheme_selectors import (
    delivered_by,
    scheme_get,
    scheme_periods,
    scheme_timeline,
    timeline_counts,
)
from measures.delivery import count_phrase
from measures.models import ReportingPeriod
from measures.permissions import milestone_audience, sees_lead_officers
from resources.permissions import finance_audience


@cached_for_the_public
def scheme_detail(request: HttpRequest, plan: str, slug: str) -> HttpResponse:
    """One scheme of the plan, its milestones as the visitor's audience knows them at the end
    of the latest quarter they may see (or the one asked for)."""
    scheme = scheme_get(plan=plan_get(slug=plan), slug=slug)
    block = scheme.focus_area.ambition
    periods = scheme_periods(scheme=scheme, user=request.user)
    period = _chosen_period(request, periods)
    rows = scheme_timeline(scheme=scheme, period=period, audience=milestone_audience(request.user))
    # Officers and the performance team know who leads a scheme; the public pages do not say.
    lead = scheme.owner if sees_lead_officers(request.user) else None
    return render(
        request,
        "dashboards/scheme.html",
        {
            "plan": block.plan,
            "ambition": block,
            "scheme": scheme,
            "delivery": delivered_by(block),
            "shows_lead": sees_lead_officers(request.user),
            "lead_name": person_name(lead) if lead else "",
            "period": period,
            "periods": periods,
            "rows": rows,
            "summary": count_phrase(timeline_counts(rows)) if period else "",
            "money": scheme_money(
                scheme=scheme, period=period, audience=finance_audience(request.user)
            ),
        },
    )


def _chosen_period(
    request: HttpRequest, periods: QuerySet[ReportingPeriod]
) -> ReportingPeriod | None:
    """The quarter asked for (404 if the visitor may not be shown it), else the latest."""
    code = request.GET.get("period")
    if not code:
        return periods.first()
    period = periods.filter(code=code).first()
    if period is None:
        raise Http404(f"There is no reporting period {code!r} to show for this scheme.")
    return period
