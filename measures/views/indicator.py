"""The indicator page: definition, targets, a chart against target and trajectory, and every
reading this visitor may see with its commentary and history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from ambitions.models import ImpactMeasure
from core.pagecache import cached_for_the_public, cached_fragment
from measures import rag
from measures.charts import Chart, ChartPoint, ComparatorPoint, indicator_chart
from measures.models import Comparator, Indicator, Score
from measures.performance import Rag
from measures.permissions import (
    audience_key,
    indicators_visible_to,
    readings_visible_to,
    scores_visible_to,
    sees_internal_notes,
)
from measures.scorecard import direction_sentence
from measures.templatetags.performance import measured, unit_suffix


@cached_for_the_public
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator, as far as this visitor may see it."""
    indicator = get_object_or_404(
        indicators_visible_to(request.user).select_related("impact_measure__ambition__kind"),
        code=code,
    )

    def body() -> str:
        """The page below its breadcrumbs: the same for everyone who sees the same figures,
        so it is built once per data version (core.pagecache)."""
        return render_to_string(
            "measures/_indicator_body.html", _page(request, indicator.pk), request=request
        )

    whose = audience_key(request.user)
    return render(
        request,
        "measures/indicator_detail.html",
        {"indicator": indicator, "body": cached_fragment(("indicator", code, whose), body)},
    )


def _page(request: HttpRequest, pk: int) -> dict[str, object]:
    indicator = (
        Indicator.objects.select_related(
            "impact_measure__ambition__plan",
            "impact_measure__ambition__kind",
            "lead_portfolio",
            "owner",
        )
        .prefetch_related(
            "targets__period",
            "trajectories",
            "delegates",
            Prefetch(
                "later_measures",
                queryset=ImpactMeasure.objects.select_related(
                    "ambition__plan", "ambition__kind"
                ).order_by("ambition__plan__period_start"),
            ),
        )
        .get(pk=pk)
    )
    readings = list(
        readings_visible_to(request.user)
        .filter(indicator=indicator)
        .select_related("period")
        .prefetch_related("events__by")
        .order_by("-period__start")  # newest first
    )
    comparators = list(
        Comparator.objects.filter(indicator=indicator)
        .select_related("period")
        .order_by("period__start")
    )
    # The chart and its table are the stored judgements of the readings this visitor sees,
    # from the first to the latest, with the periods between that have none (gaps in the line).
    scores = _from_first_to_latest(
        scores_visible_to(request.user)
        .filter(indicator=indicator)
        .select_related("period", "previous_period")
        .order_by("period__start")
    )
    latest = scores[-1] if scores else None
    return {
        "indicator": indicator,
        # The measure it evidences in each plan it serves, its own plan's first.
        "evidences": [indicator.impact_measure, *indicator.later_measures.all()],
        "readings": readings,
        "targets": sorted(indicator.targets.all(), key=lambda t: t.period.start),
        "trajectories": indicator.trajectories.all(),
        # Targets replaced since they were first set: which version judged which period.
        "target_changes": [
            change
            for change in indicator.target_changes.select_related("period").order_by("at", "pk")
            if change.before
        ],
        "chart": _chart(indicator, scores, comparators),
        "latest": latest,
        "show_names": request.user.is_authenticated,
        "internal_notes": sees_internal_notes(request.user),
    }


def _from_first_to_latest(scores: Iterable[Score]) -> list[Score]:
    """The scores from the first with a reading to the latest with one, oldest first."""
    found = list(scores)
    held = [index for index, score in enumerate(found) if score.reading_id is not None]
    return found[held[0] : held[-1] + 1] if held else []


def _chart(indicator: Indicator, scores: list[Score], comparators: list[Comparator]) -> Chart:
    points = [
        ChartPoint(
            period_label=score.period.label,
            period_end=score.period.end,
            value=score.value,
            target=score.target_value,
            tolerance=score.tolerance if score.target_value is not None else Decimal(0),
            rag=Rag(score.rag),
            synthetic=score.is_synthetic,
            direction=direction_sentence(score) if score.value is not None else "",
        )
        for score in scores
    ]
    trajectory = rag.trajectory_of(indicator, date.today())
    line = (
        [(trajectory.start_date, trajectory.start_value), (trajectory.due_date, trajectory.value)]
        if trajectory
        else []
    )
    label = comparators[0].label if comparators else ""
    return indicator_chart(
        element_id=f"chart-{indicator.code.replace('.', '-')}",
        title=indicator.title,
        unit_label=unit_suffix(indicator) or indicator.get_unit_display(),
        points=points,
        trajectory=line,
        comparator=[
            ComparatorPoint(c.period.end, c.value) for c in comparators if c.label == label
        ],
        comparator_label=label,
        value_format=lambda value: measured(value, indicator),
    )
