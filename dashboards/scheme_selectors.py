"""Reads for a scheme's page and the dashboards' milestones panel. Where a milestone stands
comes only from the stored milestone scores of the visitor's audience (measures/delivery.py
judged them and words them); nothing is judged here, and the plan's own status word is never
shown as the live status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from ambitions.models import Ambition, Milestone, Plan, Scheme
from measures.choices import ReadingStatus
from measures.delivery import (
    EXCEPTIONS,
    State,
    count_phrase,
    counts_of,
    dates_phrase,
    month,
    state_phrase,
)
from measures.models import MilestoneScore, ReportingPeriod
from measures.permissions import periods_shown_to
from measures.plans import plan_of_period
from portfolios.models import DeliveryAssignment, DeliveryPriority, Portfolio

# The order a scheme's milestones and the plan's schemes are read in.
PLAN_ORDER = (
    "milestone__scheme__focus_area__ambition__position",
    "milestone__scheme__focus_area__position",
    "milestone__scheme__position",
    "milestone__position",
)


@dataclass(frozen=True)
class RevisionRow:
    """One move of a milestone's date, as the stored score records it."""

    date_before: date | None
    date_after: date
    reason: str
    period: str

    @property
    def before(self) -> str:
        return month(self.date_before) or "no date"

    @property
    def after(self) -> str:
        return month(self.date_after)


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone with its stored score for one period and audience (None when no period
    has been reported that the visitor may see)."""

    milestone: Milestone
    score: MilestoneScore | None

    @property
    def scheme(self) -> Scheme:
        return self.milestone.scheme

    @property
    def planned(self) -> str:
        """The plan's own date: its words, and the month they were read as."""
        words, when = self.milestone.due, month(self.milestone.due_date)
        if words and when:
            return f"{words} ({when})"
        return words or when or "No date in the plan"

    @property
    def revisions(self) -> list[RevisionRow]:
        if self.score is None:
            return []
        return [
            RevisionRow(
                date_before=date.fromisoformat(r["date_before"]) if r["date_before"] else None,
                date_after=date.fromisoformat(r["date_after"]),
                reason=r["reason"],
                period=r["period"],
            )
            for r in self.score.revisions
        ]

    @property
    def current(self) -> str:
        return month(self.score.current_date if self.score else self.milestone.due_date)

    @property
    def dates(self) -> str:
        """ "due March 2025, revised to September 2025 (twice)"."""
        if self.score is None:
            return dates_phrase(self.milestone.due_date, self.milestone.due_date)
        return dates_phrase(self.score.original_date, self.score.current_date, self.score.revisions)

    @property
    def state(self) -> str:
        return self.score.state if self.score else ""

    @property
    def status(self) -> str:
        """ "Slipped · Overdue"; blank when nothing has been reported the visitor may see."""
        return state_phrase(self.score.state, self.score.overdue) if self.score else ""

    @property
    def update_status(self) -> str:
        """Where the latest update is in the workflow ("Approved"), when it is not published:
        only audiences that may see such updates have them in their scores."""
        if self.score is None or self.score.update_status in ("", ReadingStatus.PUBLISHED):
            return ""
        return ReadingStatus(self.score.update_status).label


@dataclass(frozen=True)
class Delivery:
    """Who the plan's delivery table gives a block to."""

    portfolios: list[Portfolio]
    all_cabinet_members: bool


@dataclass(frozen=True)
class MilestonePanel:
    """A dashboard's milestones for one period and audience: every count, and the rows to look
    at (exceptions first, then those due in the quarter)."""

    counts: dict[str, int]
    rows: list[MilestoneRow]

    @property
    def summary(self) -> str:
        return count_phrase(self.counts)


def scheme_get(*, plan: Plan, slug: str) -> Scheme:
    """The plan's scheme with this slug, or 404. Slugs are unique per focus area only: where
    two schemes of a plan share one, the first in the plan's order is the one at the address."""
    scheme = (
        Scheme.objects.filter(focus_area__ambition__plan=plan, slug=slug)
        .select_related("focus_area__ambition__plan", "focus_area__ambition__kind", "owner")
        .prefetch_related("commitments")
        .order_by("focus_area__ambition__position", "focus_area__position", "position", "pk")
        .first()
    )
    if scheme is None:
        raise Http404(f"The plan has no scheme called {slug!r}.")
    return scheme


def delivered_by(block: Ambition) -> Delivery:
    """The portfolios the plan's delivery table names for the block, in the table's order,
    each once (two queries)."""
    assignments = (
        DeliveryAssignment.objects.filter(priority__blocks=block)
        .select_related("portfolio")
        .order_by("priority__position", "position")
    )
    portfolios: dict[int, Portfolio] = {}
    for assignment in assignments:
        portfolios.setdefault(assignment.portfolio_id, assignment.portfolio)
    everyone = DeliveryPriority.objects.filter(blocks=block, all_cabinet_members=True).exists()
    return Delivery(portfolios=list(portfolios.values()), all_cabinet_members=everyone)


def scheme_periods(*, scheme: Scheme, user: User | AnonymousUser) -> QuerySet[ReportingPeriod]:
    """The quarters this visitor may be shown the scheme's progress in, newest first: those
    the dashboards may offer them (measures.permissions) that its milestones are judged in."""
    judged = MilestoneScore.objects.filter(milestone__scheme=scheme).values("period")
    return ReportingPeriod.objects.filter(
        periods_shown_to(user), kind=ReportingPeriod.Kind.QUARTER, pk__in=judged
    ).order_by("-start")


def scheme_timeline(
    *, scheme: Scheme, period: ReportingPeriod | None, audience: str
) -> list[MilestoneRow]:
    """The scheme's milestones in the plan's order, each with its score for the period and
    audience (two queries)."""
    milestones = list(scheme.milestones.order_by("position"))
    scores: dict[int, MilestoneScore] = {}
    if period is not None:
        found = MilestoneScore.objects.filter(
            milestone__scheme=scheme, period=period, audience=audience
        )
        scores = {score.milestone_id: score for score in found}
    for milestone in milestones:
        milestone.scheme = scheme  # already read: no query per row for its name or address
    return [MilestoneRow(milestone, scores.get(milestone.pk)) for milestone in milestones]


def timeline_counts(rows: list[MilestoneRow]) -> dict[str, int]:
    """The counts of a timeline's milestones by state, for count_phrase."""
    return counts_of((row.score.state, row.score.overdue) for row in rows if row.score)


def milestones_all(
    *, blocks: QuerySet[Ambition], period: ReportingPeriod, audience: str
) -> list[MilestoneScore]:
    """Every milestone of these blocks (of the plan the period is reported against) as the
    audience knows it at the period's end, exceptions first: the dashboards' download."""
    plan = plan_of_period(period)
    if plan is not None:
        blocks = blocks.filter(plan=plan)
    scores = (
        MilestoneScore.objects.filter(
            period=period, audience=audience, milestone__scheme__focus_area__ambition__in=blocks
        )
        .select_related("milestone__scheme__focus_area__ambition__kind", "update__period")
        .order_by("state_order", "-overdue", *PLAN_ORDER)
    )
    return list(scores)


def milestone_panel(
    *, blocks: QuerySet[Ambition], period: ReportingPeriod, audience: str
) -> MilestonePanel:
    """The milestones of these blocks (those of the plan the period is reported against) as
    the audience knows them at the period's end: counts of every one, then those slipped, at
    risk or overdue, then those due in the quarter (two queries)."""
    plan = plan_of_period(period)
    if plan is not None:
        blocks = blocks.filter(plan=plan)
    scores = MilestoneScore.objects.filter(
        period=period, audience=audience, milestone__scheme__focus_area__ambition__in=blocks
    )
    counts = counts_of(scores.values_list("state", "overdue"))
    listed = (
        scores.filter(
            Q(state__in=EXCEPTIONS)
            | Q(overdue=True)
            | Q(current_date__gte=period.start, current_date__lte=period.end)
        )
        .annotate(
            group=Case(
                When(state=State.SLIPPED, then=Value(0)),
                When(state=State.AT_RISK, then=Value(1)),
                When(overdue=True, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .select_related("milestone__scheme__focus_area__ambition__plan")
        .order_by("group", "current_date", *PLAN_ORDER)
    )
    return MilestonePanel(
        counts=counts, rows=[MilestoneRow(score.milestone, score) for score in listed]
    )
