"""Public pages of the plan: the plan on a page, and one page per ambition."""

from __future__ import annotations

from datetime import date
from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ambitions import selectors
from ambitions.models import Plan
from core.pagecache import cached_for_the_public


@cached_for_the_public
def home(request: HttpRequest) -> HttpResponse:
    """The plan in force today on a page."""
    plans = selectors.plans_in_order()
    return _plan_page(request, selectors.plan_current(plans), plans)


@cached_for_the_public
def plan_detail(request: HttpRequest, plan: str) -> HttpResponse:
    """A plan, by slug, on a page."""
    return _plan_page(request, selectors.plan_get(slug=plan), selectors.plans_in_order())


@cached_for_the_public
def block_detail(request: HttpRequest, plan: str, slug: str) -> HttpResponse:
    """One block of the plan with its focus areas, schemes, milestones and impact measures."""
    ambition = selectors.block_get(plan=selectors.plan_get(slug=plan), slug=slug)
    groups = groupby(ambition.commitments.all(), key=lambda commitment: commitment.statement)
    return render(
        request,
        "ambitions/block_detail.html",
        {
            "plan": ambition.plan,
            "ambition": ambition,
            "today": date.today(),
            # The plan often makes several numbers in one sentence: say it once for them all.
            "commitment_groups": [(statement, list(items)) for statement, items in groups],
        },
    )


def _plan_page(request: HttpRequest, plan: Plan, plans: list[Plan]) -> HttpResponse:
    blocks = list(selectors.plan_blocks(plan=plan))
    groups = [
        (kind, list(members)) for kind, members in groupby(blocks, key=lambda block: block.kind)
    ]
    today = date.today()
    in_force = selectors.plan_in_force(today, plans)
    return render(
        request,
        "ambitions/plan_detail.html",
        {
            "plan": plan,
            "values": plan.values.all(),
            "groups": groups,
            "blocks": blocks,
            "state": plan.state_on(today),
            "in_force": in_force,
            "plans": [(other, other.state_on(today)) for other in plans] if len(plans) > 1 else [],
        },
    )
