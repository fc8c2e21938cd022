"""Public pages about cabinet portfolios and which parts of the plan each delivers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.pagecache import cached_for_the_public
from portfolios import selectors


@cached_for_the_public
def portfolio_list(request: HttpRequest) -> HttpResponse:
    """Every cabinet portfolio, with the scrutiny committee whose remit covers it."""
    committees = list(selectors.committee_list())
    shared = list(selectors.priorities_for_all_members())
    return render(
        request,
        "portfolios/portfolio_list.html",
        {
            "portfolios": selectors.portfolio_list(),
            "committees": committees,
            "some_to_be_confirmed": any(c.to_be_confirmed for c in committees),
            "shared": shared,
            "several_plans": len({p.plan_id for p in shared}) > 1,
        },
    )


@cached_for_the_public
def portfolio_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One portfolio and the blocks of the plan it delivers."""
    portfolio = selectors.portfolio_get(slug=slug)
    priorities = list(selectors.portfolio_priorities(portfolio=portfolio))
    return render(
        request,
        "portfolios/portfolio_detail.html",
        {
            "portfolio": portfolio,
            "priorities": priorities,
            "several_plans": len({p.plan_id for p in priorities}) > 1,
        },
    )
