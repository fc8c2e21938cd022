"""How a milestone's delivery is judged and said: its state in a period for an audience, its
original and current dates with every revision, whether it is overdue, and the words for all
of it. The one home of these rules: the stored milestone scores are judged here, and pages,
dashboards, downloads and committee reports read and word them with these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ambitions.models import Milestone
from measures.choices import DeliveryStatus, MilestoneState, ReadingStatus, ScoreAudience
from measures.models import MilestoneUpdate, ReportingPeriod

State = MilestoneState
# Exceptions first: the order lists and counts are given in.
STATE_ORDER = {
    State.SLIPPED: 0,
    State.AT_RISK: 1,
    State.NO_UPDATE: 2,
    State.NOT_STARTED: 3,
    State.ON_TRACK: 4,
    State.COMPLETE: 5,
    State.CANCELLED: 6,
}
# A milestone in one of these states is done with: never overdue, never owed an update.
FINISHED = (State.COMPLETE, State.CANCELLED)
# The states a committee is asked to look at.
EXCEPTIONS = (State.SLIPPED, State.AT_RISK)
# Statuses that need a reason and the corrective action before they can be submitted.
NEEDS_REASON = (DeliveryStatus.SLIPPED, DeliveryStatus.AT_RISK, DeliveryStatus.CANCELLED)
NEEDS_ACTION = (DeliveryStatus.SLIPPED, DeliveryStatus.AT_RISK)
_TIMES = {1: "once", 2: "twice"}


def sees(audience: str, update: MilestoneUpdate) -> bool:
    """Whether the audience may see the update (measures/permissions.py says the same)."""
    if audience == ScoreAudience.PUBLIC:
        return update.status == ReadingStatus.PUBLISHED
    if audience == ScoreAudience.MEMBERS:
        return update.status in (ReadingStatus.APPROVED, ReadingStatus.PUBLISHED)
    return True


def is_overdue(state: str, current_date: date | None, on: date) -> bool:
    """A milestone past its current date and not complete (or cancelled) is overdue."""
    return current_date is not None and current_date < on and state not in FINISHED


def moves_date(update_revised: date | None, current: date | None) -> bool:
    """Whether an update's revised date moves the milestone from the date it has now."""
    return update_revised is not None and update_revised != current


@dataclass(frozen=True)
class Revision:
    """One move of a milestone's date, with when and why."""

    date_before: date | None
    date_after: date
    reason: str
    period: str  # the label of the period whose update moved it
    at: str  # when that update was last changed, ISO 8601

    def as_json(self) -> dict[str, Any]:
        return {
            "date_before": self.date_before.isoformat() if self.date_before else None,
            "date_after": self.date_after.isoformat(),
            "reason": self.reason,
            "period": self.period,
            "at": self.at,
        }


@dataclass(frozen=True)
class Position:
    """Where a milestone stands at the end of a period, as one audience may know it."""

    state: str
    original_date: date | None
    current_date: date | None
    revisions: tuple[Revision, ...] = ()
    overdue: bool = False
    update: MilestoneUpdate | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def state_order(self) -> int:
        return STATE_ORDER[State(self.state)]


def judge(
    milestone: Milestone,
    period: ReportingPeriod,
    audience: str,
    updates: Sequence[MilestoneUpdate],
) -> Position:
    """The milestone's position at the end of `period` for `audience`, from its updates (any
    order; each with its period loaded): the latest one it may see, up to that period, gives
    the state; every one that moved the date is a revision."""
    seen = sorted(
        (u for u in updates if u.period.end <= period.end and sees(audience, u)),
        key=lambda u: (u.period.end, u.period.start),
    )
    current = milestone.due_date
    revisions: list[Revision] = []
    for update in seen:
        if update.revised_date is not None and moves_date(update.revised_date, current):
            revisions.append(
                Revision(
                    date_before=current,
                    date_after=update.revised_date,
                    reason=update.reason,
                    period=update.period.label,
                    at=update.updated_at.isoformat() if update.updated_at else "",
                )
            )
            current = update.revised_date
    latest = seen[-1] if seen else None
    if latest is not None:
        state = latest.delivery_status
    elif milestone.status == Milestone.Status.COMPLETE:
        state = State.COMPLETE  # done before the plan was written, as the plan says
    else:
        state = State.NO_UPDATE
    return Position(
        state=state,
        original_date=milestone.due_date,
        current_date=current,
        revisions=tuple(revisions),
        overdue=is_overdue(state, current, period.end),
        update=latest,
    )


def month(day: date | None) -> str:
    """ "March 2025": milestone dates as the plan and the reports say them."""
    return day.strftime("%B %Y") if day else ""


def times(count: int) -> str:
    return _TIMES.get(count, f"{count} times")


def dates_phrase(
    original: date | None, current: date | None, revisions: Iterable[object] = ()
) -> str:
    """ "due March 2025, revised to September 2025 (twice)"; "due March 2025"; "no date"."""
    moved = len(list(revisions))
    if original is None and current is None:
        return "no date"
    if original is None:
        return f"no date in the plan, now expected {month(current)}"
    if not moved:
        return f"due {month(original)}"
    return f"due {month(original)}, revised to {month(current)} ({times(moved)})"


def state_phrase(state: str, overdue: bool) -> str:
    """ "Slipped · Overdue", "On track", "No update"."""
    label = State(state).label
    return f"{label} · Overdue" if overdue else label


def count_phrase(counts: dict[str, int]) -> str:
    """Every milestone count in one honest sentence, good and bad alike:
    "8 milestones: 2 complete, 3 on track, 1 at risk, 1 slipped, 1 with no update; 2 overdue."
    """
    total = sum(n for key, n in counts.items() if key != "overdue")
    if not total:
        return "No milestones."
    words = {
        State.COMPLETE: "complete",
        State.ON_TRACK: "on track",
        State.AT_RISK: "at risk",
        State.SLIPPED: "slipped",
        State.NOT_STARTED: "not started",
        State.CANCELLED: "cancelled",
        State.NO_UPDATE: "with no update",
    }
    parts = [f"{counts[s]} {words[State(s)]}" for s in words if counts.get(s)]
    noun = "milestone" if total == 1 else "milestones"
    sentence = f"{total} {noun}: " + ", ".join(parts)
    overdue = counts.get("overdue", 0)
    return sentence + (f"; {overdue} overdue." if overdue else "; none overdue.")


def counts_of(states: Iterable[tuple[str, bool]]) -> dict[str, int]:
    """{state: n, …, "overdue": n} from (state, overdue) pairs."""
    counts: dict[str, int] = {s: 0 for s in State.values}
    counts["overdue"] = 0
    for state, overdue in states:
        counts[state] += 1
        counts["overdue"] += bool(overdue)
    return counts
