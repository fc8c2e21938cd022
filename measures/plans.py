"""Plans that follow each other: which indicators a plan is judged by, which are reported in a
period, and under which of a plan's blocks each indicator sits. The one home for these rules;
pages, returns, agreements, reports and open data all ask here.

An indicator is defined for one plan (its `impact_measure`) and may go on evidencing impact
measures of later plans (`later_measures`, at most one per plan), so its readings, targets and
history run on unbroken across the change of plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from ambitions.models import Ambition, Plan
from ambitions.selectors import plan_in_force, plans_covering, plans_in_order
from measures.models import Indicator, ReportingPeriod

Carried = Indicator.later_measures.through


def serving(plans: Iterable[Plan]) -> Q:
    """Indicators that evidence an impact measure of any of these plans: defined for one, or
    carried into one."""
    ids = [plan.pk for plan in plans]
    carried = Carried.objects.filter(
        indicator_id=OuterRef("pk"), impactmeasure__ambition__plan_id__in=ids
    )
    return Q(impact_measure__ambition__plan_id__in=ids) | Q(Exists(carried))


def reported_on(day: date) -> Q:
    """Indicators reported for a period starting that day: those serving a plan in force then.
    Before the first plan or after the last, the nearest plans' indicators stay reported
    (nothing is dropped because a plan's dates have passed without a successor). While every
    plan loaded is in force (one plan, the usual case) it asks the database nothing more."""
    plans = plans_in_order()
    covering = plans_covering(day, plans)
    if len(covering) == len(plans):
        return Q()
    return serving(covering)


def reported_in(period: ReportingPeriod) -> Q:
    """Indicators reported in the period: active in its financial year, serving a plan in
    force when it starts."""
    year = period.financial_year
    return (
        (Q(last_year__isnull=True) | Q(last_year__gte=year))
        & Q(first_year__lte=year)
        & reported_on(period.start)
    )


def plan_of_period(period: ReportingPeriod) -> Plan | None:
    """The plan a period is reported against: the one in force when it starts."""
    return plan_in_force(period.start)


def plan_of_year(financial_year: int) -> Plan | None:
    """The plan a financial year is reported against (and its agreements belong to)."""
    return plan_in_force(date(financial_year, 4, 1))


def in_plan(indicators: QuerySet[Indicator], plan: Plan | None) -> QuerySet[Indicator]:
    """The indicators that serve the plan (all of them when there is no plan, or when it is
    the only plan loaded: then the database is asked nothing more)."""
    if plan is None or [p.pk for p in plans_in_order()] == [plan.pk]:
        return indicators
    return indicators.filter(serving([plan]))


def blocks_in(plan: Plan | None, indicator_ids: Iterable[int]) -> dict[int, Ambition]:
    """Each indicator's block in the plan, by indicator id: the block of the measure it
    evidences there (two queries, whatever the number of indicators)."""
    ids = list(indicator_ids)
    blocks: dict[int, Ambition] = {}
    home = Indicator.objects.filter(pk__in=ids).values_list("pk", "impact_measure__ambition")
    carried = Carried.objects.filter(indicator_id__in=ids)
    if plan is not None:
        home = home.filter(impact_measure__ambition__plan=plan)
        carried = carried.filter(impactmeasure__ambition__plan=plan)
    pairs = [*home, *carried.values_list("indicator_id", "impactmeasure__ambition")]
    by_pk = Ambition.objects.select_related("plan", "kind").in_bulk({block for _, block in pairs})
    for indicator_id, block_id in pairs:
        blocks.setdefault(indicator_id, by_pk[block_id])
    return blocks


def carries_any(plan: Plan | None) -> bool:
    """Whether any indicator defined for an earlier plan is carried into this one."""
    return plan is not None and Carried.objects.filter(impactmeasure__ambition__plan=plan).exists()
