"""Public pages of the plan: the plan on a page, and one page per ambition."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ambitions import selectors
from ambitions.models import Ambition, Plan
from core.pagecache import cached_for_the_public


@cached_for_the_public
def home(request: HttpRequest) -> HttpResponse:
    """The current plan on a page."""
    return _plan_page(request, selectors.plan_current())


@cached_for_the_public
def plan_detail(request: HttpRequest, plan: str) -> HttpResponse:
    """A plan, by slug, on a page."""
    return _plan_page(request, selectors.plan_get(slug=plan))


@cached_for_the_public
def block_detail(request: HttpRequest, plan: str, slug: str) -> HttpResponse:
    """One block of the plan with its focus areas, schemes, milestones and impact measures."""
    ambition = selectors.block_get(plan=selectors.plan_get(slug=plan), slug=slug)
    return render(
        request, "ambitions/block_detail.html", {"plan": ambition.plan, "ambition": ambition}
    )


def _plan_page(request: HttpRequest, plan: Plan) -> HttpResponse:
    blocks = list(selectors.plan_blocks(plan=plan))
    kind_names = dict(Ambition.Kind.choices)
    groups = [
        (kind_names[kind], list(members))
        for kind, members in groupby(blocks, key=lambda block: block.kind)
    ]
    return render(
        request,
        "ambitions/plan_detail.html",
        {"plan": plan, "values": plan.values.all(), "groups": groups, "blocks": blocks},
    )
