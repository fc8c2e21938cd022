"""The synthetic council's schemes and milestones, and their quarterly updates: one a
milestone a published quarter until it is complete (some at risk, some slipped once or twice,
with a reason, a corrective action and a revised date), and the open quarter's drafts and
submissions with the rest still owed. Bulk inserts, like the readings; the stored milestone
scores are judged afterwards, once."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from ambitions.models import Ambition, FocusArea, Milestone, Scheme
from bench.council import Periods, insert
from measures.models import DeliveryStatus, MilestoneUpdate, Reading, ReportingPeriod

MILESTONES_PER_SCHEME = 3
NOTE = "Work continues to programme; the next step is agreed with the delivery partners."
REASON = "The contractor's programme moved after a delay in the supply of materials."
ACTION = "The programme is re-sequenced and progress is reviewed weekly with the contractor."
RISK = "A dependency on a partner's approval could delay the next step."
SLIP_BY = timedelta(days=182)  # how far a slip moves the date
NEAR = timedelta(days=92)  # how close to its date a milestone slips or is at risk
EARLY = timedelta(days=730)  # further from its date than this, it has not started
SLIPS = {0: 1, 1: 2}  # by scheme id modulo 6: how many times its milestones slip
Status = DeliveryStatus


def schemes_per_focus_area(size: int) -> int:
    """2 at 1x, 6 at 10x, 20 at 100x: a larger council has more schemes as well."""
    return max(2, round(2 * math.sqrt(size)))


def council_schemes(
    size: int,
    blocks: Sequence[Ambition],
    periods: Periods,
    officer_id: int,
    officer_ids: Sequence[int],
) -> None:
    """Two focus areas a block, their schemes (the officer leads one in twenty, other officers
    the rest), three milestones a scheme; one in eight of them complete when the plan was
    written (owing no update), the others planned, due over the plan's years (give or take
    two months, so that not every scheme's steps fall due in the same quarter)."""
    areas = [
        FocusArea(ambition=block, code=f"{block.code}.F{n}", title=f"Focus {n}", position=n)
        for block in blocks
        for n in (1, 2)
    ]
    insert(FocusArea, areas)
    per_area = schemes_per_focus_area(size)
    schemes = [
        Scheme(
            focus_area=area,
            slug=f"scheme-{area.pk}-{n}",
            name=f"Scheme {area.code}.{n}",
            position=n,
        )
        for area in FocusArea.objects.filter(ambition__in=blocks).order_by("pk")
        for n in range(1, per_area + 1)
    ]
    for index, scheme in enumerate(schemes):
        scheme.owner_id = officer_id if index % 20 == 0 else officer_ids[index % len(officer_ids)]
    insert(Scheme, schemes)
    first, last = periods.published[0].end, periods.open_quarter.end + timedelta(days=365)
    step = (last - first) / MILESTONES_PER_SCHEME
    milestones = [
        Milestone(
            scheme=scheme,
            title=f"Milestone {n}",
            due=f"step {n}",
            due_date=first + step * n + timedelta(days=scheme.pk * 37 % 120 - 60),
            status=Milestone.Status.COMPLETE
            if (scheme.pk + n) % 8 == 0
            else Milestone.Status.PLANNED,
            position=n,
        )
        for scheme in Scheme.objects.filter(focus_area__ambition__in=blocks).order_by("pk")
        for n in range(1, MILESTONES_PER_SCHEME + 1)
    ]
    insert(Milestone, milestones)


@dataclass
class Course:
    """How one milestone goes: when it is now due, how many slips are left, whether it is
    reported at risk in the quarters before its date, and whether it has slipped."""

    current: date | None
    slips: int
    at_risk: bool
    behind: bool = False
    finished: bool = False


def council_milestone_updates(periods: Periods) -> None:
    """Every owed milestone's update in every published quarter, published, and the open
    quarter's: 30% drafts, 20% submitted, the rest still owed."""
    milestones = (
        Milestone.objects.exclude(status=Milestone.Status.COMPLETE)
        .select_related("scheme")
        .order_by("pk")
    )
    now = timezone.now()

    def rows() -> Iterator[MilestoneUpdate]:
        """Updates one at a time, so only a batch is ever in memory."""
        for milestone in milestones.iterator(chunk_size=2000):
            # A sixth of the schemes' milestones slip once, a sixth twice, a sixth are at risk.
            kind = milestone.scheme_id % 6
            course = Course(milestone.due_date, slips=SLIPS.get(kind, 0), at_risk=kind == 2)
            owner = milestone.owner_id or milestone.scheme.owner_id
            for period in periods.published:
                if course.finished:
                    break
                yield _update(milestone, period, course, owner, Reading.Status.PUBLISHED, now)
            share = milestone.pk % 10
            if not course.finished and share < 5:
                status = Reading.Status.DRAFT if share < 3 else Reading.Status.SUBMITTED
                yield _update(milestone, periods.open_quarter, course, owner, status, now)

    insert(MilestoneUpdate, rows())


def _update(
    milestone: Milestone,
    period: ReportingPeriod,
    course: Course,
    owner: int | None,
    status: str,
    now: datetime,
) -> MilestoneUpdate:
    """The milestone's update for the period, moving its course on."""
    revised, reason, action = None, "", ""
    current = course.current
    if current is None or period.end >= current:
        delivery = Status.COMPLETE
        course.finished = True
    elif course.slips and period.end >= current - NEAR:
        delivery, reason, action = Status.SLIPPED, REASON, ACTION
        revised = current + SLIP_BY
        course.current, course.slips, course.behind = revised, course.slips - 1, True
    elif course.behind:  # reported slipped, against its first date, until it is complete
        delivery, reason, action = Status.SLIPPED, REASON, ACTION
    elif course.at_risk and period.end >= current - NEAR:
        delivery, reason, action = Status.AT_RISK, RISK, ACTION
    elif period.end < current - EARLY:
        delivery = Status.NOT_STARTED
    else:
        delivery = Status.ON_TRACK
    return MilestoneUpdate(
        milestone=milestone,
        period=period,
        delivery_status=delivery,
        progress_note="" if delivery == Status.NOT_STARTED else NOTE,
        revised_date=revised,
        reason=reason,
        corrective_action=action,
        status=status,
        version=3 if status == Reading.Status.PUBLISHED else 1,
        is_synthetic=True,
        submitted_by_id=owner if status != Reading.Status.DRAFT else None,
        updated_by_id=owner,
        updated_at=now,
    )
