"""What evidences the plan's impact measures: each measure's indicators with the latest figure
the visitor may see, read in two queries for a whole block (the plan's pages show them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

from ambitions.models import ImpactMeasure
from measures.models import Indicator, Score
from measures.permissions import indicators_visible_to, scores_visible_to


@dataclass(frozen=True)
class Evidence:
    """One indicator evidencing an impact measure, and its latest figure (None if none yet)."""

    indicator: Indicator
    latest: Score | None


def evidence_for(
    measures: Iterable[ImpactMeasure], user: User | AnonymousUser
) -> list[tuple[ImpactMeasure, list[Evidence]]]:
    """Each measure with the indicators that evidence it (defined for it, or carried into it
    from an earlier plan), in the plan's order, each with its latest figure this visitor may
    see: published ones for the public (measures.permissions)."""
    measures = list(measures)
    ids = [measure.pk for measure in measures]
    indicators = list(
        indicators_visible_to(user)
        .filter(Q(impact_measure__in=ids) | Q(later_measures__in=ids))
        .distinct()
        .order_by("position", "code")
    )
    latest: dict[int, Score] = {}
    scores = (
        scores_visible_to(user)
        .filter(indicator__in=[indicator.pk for indicator in indicators], value__isnull=False)
        .select_related("period")
        .order_by("indicator_id", "-period__start")
    )
    for score in scores:
        latest.setdefault(score.indicator_id, score)
    carried = _carried(indicators, ids)
    return [
        (
            measure,
            [
                Evidence(indicator, latest.get(indicator.pk))
                for indicator in indicators
                if indicator.impact_measure_id == measure.pk
                or measure.pk in carried.get(indicator.pk, ())
            ],
        )
        for measure in measures
    ]


def _carried(indicators: list[Indicator], ids: list[int]) -> dict[int, set[int]]:
    """Which of these measures each indicator was carried into (one query)."""
    links = Indicator.later_measures.through.objects.filter(
        indicator__in=[indicator.pk for indicator in indicators], impactmeasure__in=ids
    ).values_list("indicator_id", "impactmeasure_id")
    carried: dict[int, set[int]] = {}
    for indicator_id, measure_id in links:
        carried.setdefault(indicator_id, set()).add(measure_id)
    return carried
