"""Reads of the plan for pages, each in a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from ambitions.models import (
    Ambition,
    BoroughPlanTheme,
    Commitment,
    FocusArea,
    Milestone,
    Plan,
    Scheme,
)


def plan_current(plans: list[Plan] | None = None) -> Plan:
    """The plan in force today (by its dates); 404 when no plan has been loaded."""
    plan = plan_in_force(date.today(), plans)
    if plan is None:
        raise Http404("No plan has been loaded yet: run `python manage.py load_plan`.")
    return plan


def plan_in_force(day: date, plans: list[Plan] | None = None) -> Plan | None:
    """The plan in force on the day: of those whose period holds it, the one that started
    last; on a day no plan holds, the nearest (the last to end before it, else the first to
    start after it). None when no plan has been loaded. `plans`: plans_in_order(), if read."""
    covering = plans_covering(day, plans)
    return covering[0] if covering else None


def plans_covering(day: date, plans: list[Plan] | None = None) -> list[Plan]:
    """The plans in force on the day, latest started first; on a day no plan holds, those that
    ended last before it, else those that start first after it (see plan_in_force)."""
    plans = plans_in_order() if plans is None else plans
    covering = [p for p in plans if p.period_start <= day <= p.period_end]
    if covering:
        return covering
    ended = [p for p in plans if p.period_end < day]
    if ended:
        last = max(p.period_end for p in ended)
        return [p for p in ended if p.period_end == last]
    first = min((p.period_start for p in plans), default=None)
    return [p for p in plans if p.period_start == first]


def plans_in_order() -> list[Plan]:
    """Every plan loaded, the latest started first (one query: there are a handful)."""
    return sorted(Plan.objects.all(), key=lambda p: (p.period_start, p.slug), reverse=True)


def plan_get(*, slug: str) -> Plan:
    """One plan by its slug, or 404."""
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise Http404(f"There is no plan called {slug!r}.")
    return plan


def plan_blocks(*, plan: Plan) -> QuerySet[Ambition]:
    """The plan's blocks in order, counted, with focus areas and impact measures to link to."""
    return (
        Ambition.objects.filter(plan=plan)
        .select_related("plan", "kind")
        .annotate(
            focus_area_count=Count("focus_areas", distinct=True),
            impact_measure_count=Count("impact_measures", distinct=True),
            scheme_count=Count("focus_areas__schemes", distinct=True),
        )
        .prefetch_related("focus_areas", "impact_measures")
        .order_by("position")
    )


def block_get(*, plan: Plan, slug: str) -> Ambition:
    """One block with all it holds: focus areas, schemes, milestones, commitments, portfolios."""
    schemes = Scheme.objects.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("position")),
        Prefetch("commitments", queryset=Commitment.objects.order_by("position")),
    )
    block = (
        Ambition.objects.filter(plan=plan, slug=slug)
        .select_related("plan", "kind")
        .prefetch_related(
            Prefetch(
                "focus_areas",
                queryset=FocusArea.objects.order_by("position").prefetch_related(
                    Prefetch("schemes", queryset=schemes.order_by("position"))
                ),
            ),
            "impact_measures",
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related(
                    "focus_area", "scheme", "impact_measure"
                ).order_by("position"),
            ),
            Prefetch("supports", queryset=_themes_with_parents()),
            Prefetch("delivery_priorities__assignments", queryset=_assignments()),
        )
        .first()
    )
    if block is None:
        raise Http404(f"The plan has no block called {slug!r}.")
    return block


def _assignments() -> QuerySet[Any]:
    """Who delivers each priority, with their portfolio. The delivery table is portfolios'
    (the layer above the plan), so its model is found by name rather than imported."""
    return apps.get_model("portfolios", "DeliveryAssignment").objects.select_related("portfolio")


def _themes_with_parents() -> QuerySet[BoroughPlanTheme]:
    return BoroughPlanTheme.objects.select_related("parent", "borough_plan")
