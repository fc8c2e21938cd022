"""Keeping the stored scorecard true: the scores an indicator's change touches are judged again
and written in the same transaction as the change (measures/scorecard.py judges them).

The services call `scores_refresh` for the readings they write; measures/receivers.py calls it
for what is changed through the admin, the shell or load_plan (targets, trajectories,
indicators, periods, a reading saved on its own). Inside `deferred()` the refreshes are
gathered and made once, at the end of the block (load_plan does this).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from core import versioning
from measures.models import Indicator, Reading, ReportingPeriod, Score, ScoreAudience
from measures.periods import periods_attach
from measures.scorecard import AUDIENCES, FIGURES, REACH, figures_of, judge, kind_of, sees

# Indicators judged per round of queries, so memory stays flat however many are refreshed.
CHUNK = 500
EVERY_PERIOD = None
_deferred = threading.local()

Changes = Mapping[int, Collection[int] | None]  # indicator id -> changed period ids, or all


def scores_refresh(*, changes: Changes, audiences: Iterable[str] = AUDIENCES) -> int:
    """Judge again, for these audiences, every score that the changed periods of each
    indicator reach (its own, and the later ones whose trend, previous value or last year
    include it; all periods for EVERY_PERIOD), and store them. How many were written."""
    if not changes:
        return 0
    chosen = tuple(audiences)
    pending: dict[int, set[int] | None] | None = getattr(_deferred, "pending", None)
    if pending is not None:
        _gather(pending, changes, chosen)
        return 0
    written = 0
    # No savepoint of its own: inside a service's transaction a failure here undoes the whole
    # change anyway, and the savepoint's two statements were a sixth of a refresh's cost.
    with transaction.atomic(savepoint=False):
        ids = sorted(changes)
        for start in range(0, len(ids), CHUNK):
            part = {pk: changes[pk] for pk in ids[start : start + CHUNK]}
            written += _refresh_chunk(part, chosen)
        versioning.bump()
    return written


@contextmanager
def deferred() -> Iterator[None]:
    """Gather the refreshes asked for inside the block and make them once, at its end (in
    the same transaction as the block's writes, if it is in one)."""
    if getattr(_deferred, "pending", None) is not None:
        yield  # already gathering: the outermost block refreshes
        return
    _deferred.pending = {}
    _deferred.audiences = set()
    try:
        yield
        pending, audiences = _deferred.pending, _deferred.audiences
    finally:
        _deferred.pending = None
    if pending:
        scores_refresh(changes=pending, audiences=audiences or AUDIENCES)


def scores_after_move(*, reading: Reading, before: str, after: str) -> None:
    """A reading moved from one status to another (submitted, approved, returned, published).
    Audiences that start or stop seeing it are judged again; those that saw it before and
    still do only see its status and the time of the change differ, on its own period's score,
    so that is all that is written for them (one statement instead of a whole judgement)."""
    seen_before, seen_after = audiences_seeing(before), audiences_seeing(after)
    changes = {reading.indicator_id: {reading.period_id}}
    if getattr(_deferred, "pending", None) is not None:
        scores_refresh(changes=changes, audiences=seen_before | seen_after)
        return
    moved = seen_before ^ seen_after
    still = seen_before & seen_after
    with transaction.atomic(savepoint=False):
        if moved:
            scores_refresh(changes=changes, audiences=moved)  # it locks the indicator
        else:
            _lock([reading.indicator_id])
        stamped = Score.objects.filter(reading=reading, audience__in=still).update(
            reading_status=after, last_changed=reading.updated_at
        )
        if stamped < len(still):  # a score was missing: judge them whole instead
            scores_refresh(changes=changes, audiences=still)
        versioning.bump()


def audiences_seeing(status: str) -> set[str]:
    """The audiences whose scores a reading in this status is part of."""
    audiences = {ScoreAudience.WORKFLOW.value}
    if status in (Reading.Status.APPROVED, Reading.Status.PUBLISHED):
        audiences.add(ScoreAudience.MEMBERS.value)
    if status == Reading.Status.PUBLISHED:
        audiences.add(ScoreAudience.PUBLIC.value)
    return audiences


def _lock(indicator_ids: Collection[int]) -> None:
    """Lock the indicators, in a fixed order, until the transaction ends: two writers of one
    indicator's scores then write in turn, each from what the other committed."""
    list(
        Indicator.objects.select_for_update()
        .filter(pk__in=list(indicator_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _gather(pending: dict[int, set[int] | None], changes: Changes, audiences: tuple) -> None:
    _deferred.audiences |= set(audiences)
    for indicator_id, periods in changes.items():
        if periods is EVERY_PERIOD or pending.get(indicator_id, set()) is EVERY_PERIOD:
            pending[indicator_id] = EVERY_PERIOD
        else:
            pending.setdefault(indicator_id, set()).update(periods)  # type: ignore[union-attr]


def _refresh_chunk(changes: Changes, audiences: tuple[str, ...]) -> int:
    scores = _judged(changes, audiences)
    _store(scores)
    return len(scores)


def _judged(changes: Changes, audiences: tuple[str, ...]) -> list[Score]:
    """The scores the changes reach, judged afresh (not saved)."""
    periods = list(ReportingPeriod.objects.order_by("start", "-end"))
    # Each indicator is locked while its scores are judged, so two writers of one indicator
    # judge in turn, each from what the other committed (no stale score can win).
    locked = list(
        Indicator.objects.select_for_update()
        .filter(pk__in=list(changes))
        .order_by("pk")
        .prefetch_related("targets", "trajectories")
    )
    by_pk = {period.pk: period for period in periods}
    by_kind: dict[str, list[ReportingPeriod]] = defaultdict(list)
    for period in periods:
        by_kind[period.kind].append(period)
    reached = {indicator.pk: _reached(indicator, changes, by_kind) for indicator in locked}
    needed = {
        period.pk
        for indicator in locked
        for position in reached[indicator.pk]
        for period in by_kind[kind_of(indicator)][max(0, position - REACH) : position + 1]
    }
    readings: dict[int, dict[int, Reading]] = defaultdict(dict)
    for reading in Reading.objects.filter(indicator__in=locked, period_id__in=needed):
        readings[reading.indicator_id][reading.period_id] = reading
    scores = []
    for indicator in locked:
        periods_attach(indicator.targets.all(), by_pk)
        own = by_kind[kind_of(indicator)]
        for audience in audiences:
            visible = {
                period_id: reading
                for period_id, reading in readings[indicator.pk].items()
                if sees(audience, reading, indicator)
            }
            scores += [
                judge(indicator, own, position, visible, audience)
                for position in reached[indicator.pk]
            ]
    return scores


def _store(scores: list[Score]) -> None:
    """Insert the scores, or update those already stored (one statement per thousand)."""
    Score.objects.bulk_create(
        scores,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["indicator", "period", "audience"],
        update_fields=list(FIGURES),
    )


def _reached(
    indicator: Indicator, changes: Changes, by_kind: Mapping[str, list[ReportingPeriod]]
) -> list[int]:
    """The positions, among the periods of the indicator's kind, whose scores the change
    reaches: each changed period and the REACH periods after it (or all of them)."""
    own = by_kind[kind_of(indicator)]
    changed = changes[indicator.pk]
    if changed is EVERY_PERIOD:
        return list(range(len(own)))
    positions = {index for index, period in enumerate(own) if period.pk in changed}
    return sorted(
        {later for index in positions for later in range(index, min(index + REACH + 1, len(own)))}
    )


def scores_everywhere(indicators: Iterable[int]) -> Changes:
    """`changes` meaning every period of each indicator."""
    return dict.fromkeys(indicators, EVERY_PERIOD)


@dataclass
class Rebuilt:
    """What a rebuild found: scores that were missing, and stored ones it had to correct."""

    written: int = 0
    added: int = 0
    corrections: list[str] = field(default_factory=list)


def scorecard_rebuild() -> Rebuilt:
    """Judge every indicator in every period for every audience afresh, compare each with the
    score stored (naming any that differs), store them all and drop any score of a period an
    indicator is not reported in."""
    result = Rebuilt()
    with transaction.atomic():
        ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            stored = {
                (s.indicator_id, s.period_id, s.audience): figures_of(s)
                for s in Score.objects.filter(indicator_id__in=part)
            }
            fresh = _judged(scores_everywhere(part), AUDIENCES)
            for score in fresh:
                key = (score.indicator_id, score.period_id, score.audience)
                if key not in stored:
                    result.added += 1
                elif stored.pop(key) != figures_of(score):
                    result.corrections.append(
                        f"{score.indicator.code} {score.period.code} {score.audience}"
                    )
            _store(fresh)
            result.written += len(fresh)
            for indicator_id, period_id, audience in stored:  # of periods no longer its own
                Score.objects.filter(
                    indicator_id=indicator_id, period_id=period_id, audience=audience
                ).delete()
        versioning.bump()
    return result
