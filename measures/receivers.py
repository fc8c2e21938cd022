"""What keeps the scorecard true when its inputs change outside the services: the admin, the
shell and load_plan save targets, trajectories, indicators, periods and readings as models."""

from __future__ import annotations

from typing import Any

from ambitions.models import Milestone
from measures.models import (
    Indicator,
    MilestoneScore,
    Reading,
    ReportingPeriod,
    Score,
    Target,
    TrajectoryTarget,
)
from measures.scorecard import DUE_IN_QUARTERS
from measures.services.milestone_scores import milestone_scores_refresh
from measures.services.scorecard import EVERY_PERIOD, scorecard_rebuild, scores_refresh


def indicator_changed(sender: Any, instance: Indicator, **kwargs: Any) -> None:
    """Its polarity, frequency, public flag or anything else may change every score."""
    if not kwargs.get("raw"):
        scores_refresh(changes={instance.pk: EVERY_PERIOD})


def target_changed(sender: Any, instance: Target | TrajectoryTarget, **kwargs: Any) -> None:
    if not kwargs.get("raw") and Indicator.objects.filter(pk=instance.indicator_id).exists():
        scores_refresh(changes={instance.indicator_id: EVERY_PERIOD})


def reading_changed(sender: Any, instance: Reading, **kwargs: Any) -> None:
    """A reading saved on its own (the services write theirs in bulk and refresh themselves)."""
    if not kwargs.get("raw"):
        scores_refresh(changes={instance.indicator_id: {instance.period_id}})


def period_created(sender: Any, instance: ReportingPeriod, created: bool, **kwargs: Any) -> None:
    """A new period: every indicator reported in its kind of period gets its scores for it."""
    if not created or kwargs.get("raw"):
        return
    frequencies = (
        DUE_IN_QUARTERS
        if instance.kind == ReportingPeriod.Kind.QUARTER
        else (Indicator.Frequency.ANNUAL,)
    )
    indicators = Indicator.objects.filter(frequency__in=frequencies).values_list("pk", flat=True)
    scores_refresh(changes={pk: {instance.pk} for pk in indicators})
    if instance.kind == ReportingPeriod.Kind.QUARTER:
        milestone_scores_refresh(Milestone.objects.values_list("pk", flat=True))


def milestone_changed(sender: Any, instance: Milestone, **kwargs: Any) -> None:
    """A milestone loaded or edited (its date, the plan's status): judged again everywhere."""
    if not kwargs.get("raw"):
        milestone_scores_refresh([instance.pk])


def scorecard_ready(sender: Any, **kwargs: Any) -> None:
    """After migrating a database that has indicators but no scorecard yet (one made before
    the scorecard existed), judge it all once, so no page is empty after an upgrade."""
    if Indicator.objects.exists() and not Score.objects.exists():
        scorecard_rebuild()
    if Milestone.objects.exists() and not MilestoneScore.objects.exists():
        milestone_scores_refresh()
