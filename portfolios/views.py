"""Public pages about cabinet portfolios and which parts of the plan each delivers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.pagecache import cached_for_the_public
from portfolios import selectors


@cached_for_the_public
def portfolio_list(request: HttpRequest) -> HttpResponse:
    """Every cabinet portfolio, with the scrutiny committee whose remit covers it."""
    return render(
        request,
        "portfolios/portfolio_list.html",
        {"portfolios": selectors.portfolio_list(), "committees": selectors.committee_list()},
    )


@cached_for_the_public
def portfolio_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One portfolio and the blocks of the plan it delivers."""
    portfolio = selectors.portfolio_get(slug=slug)
    return render(
        request,
        "portfolios/portfolio_detail.html",
        {
            "portfolio": portfolio,
            "priorities": selectors.portfolio_priorities(portfolio=portfolio),
        },
    )
