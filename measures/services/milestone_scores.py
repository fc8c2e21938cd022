"""Keeping the stored milestone scores true: each change to a milestone's updates judges that
milestone again, in every period and for every audience, in the same transaction as the
change (measures/delivery.py judges). A milestone has a handful of updates, so judging all of
its periods again is a few rows, and always right."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Q

from ambitions.models import Milestone
from core import versioning
from measures import delivery
from measures.models import MilestoneScore, MilestoneUpdate, ReportingPeriod, ScoreAudience

CHUNK = 200
_deferred = threading.local()


def periods_for(plan_start: object, plan_end: object) -> Q:
    """The quarters a plan's milestones are reported in: those that start within it."""
    return Q(kind=ReportingPeriod.Kind.QUARTER, start__gte=plan_start, start__lte=plan_end)


def milestone_scores_refresh(milestone_ids: Iterable[int] | None = None) -> int:
    """Judge again every period of these milestones (all of them for None), for every
    audience, and store them; how many scores were written. Inside `deferred()` the ids are
    gathered and judged once, at the end of the block."""
    pending: set[int] | None = getattr(_deferred, "pending", None)
    if milestone_ids is not None:
        ids = set(milestone_ids)
        if pending is not None:
            pending |= ids
            return 0
        if not ids:
            return 0
    milestones = Milestone.objects.select_related("scheme__focus_area__ambition__plan")
    if milestone_ids is not None:
        milestones = milestones.filter(pk__in=ids)
    written = 0
    with transaction.atomic(savepoint=False):
        all_ids = sorted(milestones.values_list("pk", flat=True))
        for start in range(0, len(all_ids), CHUNK):
            part = list(milestones.filter(pk__in=all_ids[start : start + CHUNK]))
            written += _refresh(part)
        versioning.bump()
    return written


@contextmanager
def deferred() -> Iterator[None]:
    """Gather the refreshes asked for inside the block and make them once, at its end."""
    if getattr(_deferred, "pending", None) is not None:
        yield
        return
    _deferred.pending = set()
    try:
        yield
        pending = _deferred.pending
    finally:
        _deferred.pending = None
    if pending:
        milestone_scores_refresh(pending)


def _refresh(milestones: list[Milestone]) -> int:
    # Two saves of one milestone's updates (different quarters, so different update rows)
    # would each delete its scores and insert new ones: locking the milestones first, in id
    # order, makes the second wait and then see the first's rows (PostgreSQL; SQLite writes
    # one at a time anyway).
    list(
        Milestone.objects.select_for_update(of=("self",))
        .filter(pk__in=[m.pk for m in milestones])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    updates: dict[int, list[MilestoneUpdate]] = {m.pk: [] for m in milestones}
    for update in MilestoneUpdate.objects.select_related("period").filter(milestone__in=milestones):
        updates[update.milestone_id].append(update)
    periods_of_plan: dict[int, list[ReportingPeriod]] = {}
    scores: list[MilestoneScore] = []
    for milestone in milestones:
        plan = milestone.scheme.focus_area.ambition.plan
        if plan.pk not in periods_of_plan:
            periods_of_plan[plan.pk] = list(
                ReportingPeriod.objects.filter(periods_for(plan.period_start, plan.period_end))
            )
        for period in periods_of_plan[plan.pk]:
            for audience in ScoreAudience.values:
                position = delivery.judge(milestone, period, audience, updates[milestone.pk])
                scores.append(_score(milestone, period, audience, position))
    MilestoneScore.objects.filter(milestone__in=milestones).delete()
    MilestoneScore.objects.bulk_create(scores, batch_size=500)
    return len(scores)


def _score(
    milestone: Milestone,
    period: ReportingPeriod,
    audience: str,
    position: delivery.Position,
) -> MilestoneScore:
    update = position.update
    return MilestoneScore(
        milestone=milestone,
        period=period,
        audience=audience,
        update=update,
        state=position.state,
        state_order=position.state_order,
        original_date=position.original_date,
        current_date=position.current_date,
        revisions=[revision.as_json() for revision in position.revisions],
        overdue=position.overdue,
        progress_note=update.progress_note if update else "",
        reason=update.reason if update else "",
        corrective_action=update.corrective_action if update else "",
        update_status=update.status if update else "",
        update_period=update.period.label if update else "",
        is_synthetic=update.is_synthetic if update else False,
        last_changed=update.updated_at if update else None,
    )
