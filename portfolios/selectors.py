"""Reads of portfolios for pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from ambitions.models import Ambition
from portfolios.models import DeliveryAssignment, DeliveryPriority, Portfolio, ScrutinyCommittee


def portfolio_list() -> QuerySet[Portfolio]:
    """Every portfolio in order, with its committees and the priorities it is named for."""
    return Portfolio.objects.annotate(
        named_priority_count=Count("delivery_priorities", distinct=True)
    ).prefetch_related("scrutiny_committees", "variants")


def portfolio_get(*, slug: str) -> Portfolio:
    """One portfolio with its committees and spelling variants, or 404."""
    portfolio = (
        Portfolio.objects.filter(slug=slug)
        .prefetch_related("scrutiny_committees", "variants")
        .first()
    )
    if portfolio is None:
        raise Http404(f"There is no portfolio called {slug!r}.")
    return portfolio


def portfolio_priorities(*, portfolio: Portfolio) -> QuerySet[DeliveryPriority]:
    """The delivery table rows this portfolio delivers: named in them, or given to all members."""
    return (
        DeliveryPriority.objects.filter(
            Q(assignments__portfolio=portfolio) | Q(all_cabinet_members=True)
        )
        .distinct()
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "blocks",
                queryset=Ambition.objects.select_related("plan", "kind").order_by("position"),
            ),
            Prefetch(
                "assignments",
                queryset=DeliveryAssignment.objects.filter(portfolio=portfolio),
                to_attr="own_assignments",
            ),
        )
        .order_by("plan", "position")
    )


def priorities_for_all_members() -> QuerySet[DeliveryPriority]:
    """The delivery table rows each plan gives to all cabinet members, latest plan first."""
    return (
        DeliveryPriority.objects.filter(all_cabinet_members=True)
        .select_related("plan")
        .order_by("-plan__period_start", "position")
    )


def committee_list() -> QuerySet[ScrutinyCommittee]:
    """Scrutiny committees with the portfolios in their remit."""
    return ScrutinyCommittee.objects.prefetch_related("remit")
