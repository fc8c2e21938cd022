"""Which milestones owe an update for a period, and an officer's milestone returns: the one
home of that rule, for My returns, the upload, completion and the reminders.

A milestone owes a quarterly update in every quarter of the plan it belongs to until it is
finished: complete or cancelled in an approved update of an earlier quarter, or complete
already when the plan was written (and never updated since).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q, QuerySet

from ambitions.models import Milestone, Plan
from measures import delivery
from measures.models import MilestoneUpdate, Reading, ReportingPeriod
from measures.permissions import milestones_editable_by
from measures.plans import plan_of_period

APPROVED = (Reading.Status.APPROVED, Reading.Status.PUBLISHED)


def plan_of_quarter(period: ReportingPeriod) -> Plan | None:
    """The plan whose milestones are reported in this quarter: the one it starts within (so a
    quarter after the plan's end, before the next plan is loaded, has none; its milestone
    scores cover exactly these quarters too, services/milestone_scores.py)."""
    plan = plan_of_period(period)
    if plan is None or period.kind != ReportingPeriod.Kind.QUARTER:
        return None
    return plan if plan.period_start <= period.start <= plan.period_end else None


def owed_in(period: ReportingPeriod) -> QuerySet[Milestone]:
    """The milestones that owe an update for the period (none for a whole-year period)."""
    plan = plan_of_quarter(period)
    if plan is None:
        return Milestone.objects.none()
    earlier = MilestoneUpdate.objects.filter(
        milestone=OuterRef("pk"), period__end__lt=period.end, status__in=APPROVED
    )
    finished_before = Exists(earlier.filter(delivery_status__in=delivery.FINISHED))
    updated_before = Exists(earlier)
    done_in_plan = Q(status=Milestone.Status.COMPLETE) & ~updated_before
    return (
        Milestone.objects.filter(scheme__focus_area__ambition__plan=plan)
        .exclude(finished_before)
        .exclude(done_in_plan)
    )


@dataclass(frozen=True)
class MilestoneReturn:
    """One milestone on an officer's returns: this period's update (None: not started), the
    latest approved one before it (to start from), and the date an update would revise."""

    milestone: Milestone
    update: MilestoneUpdate | None
    previous: MilestoneUpdate | None
    current_date: date | None

    @property
    def version(self) -> int:
        return self.update.version if self.update else 0


def returns_for(*, user: User | AnonymousUser, period: ReportingPeriod) -> list[MilestoneReturn]:
    """The milestone updates this person gives for the period, in the plan's order: their own
    and delegated milestones (every owed one for the performance team)."""
    milestones = list(
        owed_in(period)
        .filter(pk__in=milestones_editable_by(user).values("pk"))
        .select_related("scheme__focus_area__ambition", "owner", "scheme__owner")
        .order_by(
            "scheme__focus_area__ambition__position",
            "scheme__focus_area__position",
            "scheme__position",
            "position",
        )
    )
    ids = [m.pk for m in milestones]
    this_period = {
        u.milestone_id: u
        for u in MilestoneUpdate.objects.filter(milestone_id__in=ids, period=period)
    }
    previous: dict[int, MilestoneUpdate] = {}
    current: dict[int, date | None] = {m.pk: m.due_date for m in milestones}
    for update in (
        MilestoneUpdate.objects.select_related("period")
        .filter(milestone_id__in=ids, period__end__lt=period.end, status__in=APPROVED)
        .order_by("period__end")
    ):
        previous[update.milestone_id] = update
        if update.revised_date is not None:
            current[update.milestone_id] = update.revised_date
    return [
        MilestoneReturn(m, this_period.get(m.pk), previous.get(m.pk), current[m.pk])
        for m in milestones
    ]
