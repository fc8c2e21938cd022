"""Who has reported for a period, per lead portfolio (entered, submitted, approved, returned
and missing, each with its share of the returns due), who owes the rest, the milestone
updates owed beside them (by block and by officer), and what publishing the period would make
public: each read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.dispatch import Signal

from ambitions.models import Milestone
from core.formatting import person_name
from measures.milestone_returns import owed_in
from measures.models import Indicator, MilestoneUpdate, Reading, ReportingPeriod
from measures.permissions import milestone_delegates, milestone_owner_id
from measures.selectors import APPROVED, HANDED_IN, SUBMITTED, indicators_due
from measures.services.milestones import label_of, waiting_in
from measures.signals import period_publish_check, period_publish_preview
from portfolios.models import Portfolio

RETURNED = Reading.Status.RETURNED
NOT_PUBLISHED = (Reading.Status.DRAFT, Reading.Status.SUBMITTED, Reading.Status.RETURNED)
ENTERED = (Reading.Status.DRAFT, *SUBMITTED)  # every reading but a returned one


def percent_of(part: int, whole: int) -> int:
    """A whole-number percentage that reads 0 or 100 only when it is exactly that."""
    if whole <= 0 or part <= 0:
        return 0
    if part >= whole:
        return 100
    return min(99, max(1, round(100 * part / whole)))


@dataclass(frozen=True)
class Share:
    """A count and its share of the returns due."""

    label: str
    number: int
    of: int

    @property
    def percent(self) -> int:
        return percent_of(self.number, self.of)


@dataclass
class PortfolioCompletion:
    """How far a portfolio's returns for a period have got, and which are still owed."""

    portfolio: Portfolio | None
    due: int = 0
    entered: int = 0  # any reading not returned: drafts, submitted, approved, published
    submitted: int = 0  # handed in: submitted, approved or published
    approved: int = 0  # approved or published
    returned: int = 0  # sent back to be corrected (never counted as entered)
    owed: list[Indicator] = field(default_factory=list)

    @property
    def missing(self) -> int:
        """Returns due with no reading at all."""
        return self.due - self.entered - self.returned

    @property
    def key(self) -> str:
        """What the page's chase form names the portfolio by."""
        return self.portfolio.slug if self.portfolio else "none"

    @property
    def shares(self) -> list[Share]:
        """The counts in the page's column order, each with its share of those due."""
        counts = [
            ("Entered", self.entered),
            ("Submitted", self.submitted),
            ("Approved", self.approved),
            ("Returned", self.returned),
            ("Missing", self.missing),
        ]
        return [Share(label, number, self.due) for label, number in counts]


@dataclass(frozen=True)
class OwedUpdate:
    """A milestone that owes an update for the period, who owes it (its owner, else its
    scheme's lead officer) and how far this period's update has got (None: not started)."""

    milestone: Milestone
    owner: User | None
    status: str | None
    return_note: str
    delegates: tuple[User, ...] = ()  # read only when asked for (the reminders need them)

    @property
    def given(self) -> bool:
        """Handed in: submitted, approved or published, as a reading is."""
        return self.status in HANDED_IN

    @property
    def label(self) -> str:
        return label_of(self.milestone)


@dataclass
class MilestoneTally:
    """The milestone updates owed for a period by one block, one officer, or all: how many
    are owed, how many given, and which are still missing."""

    name: str
    owed: int = 0
    given: int = 0
    missing: list[OwedUpdate] = field(default_factory=list)

    def add(self, update: OwedUpdate) -> None:
        self.owed += 1
        if update.given:
            self.given += 1
        else:
            self.missing.append(update)

    @property
    def shares(self) -> list[Share]:
        """Given and missing, each with its share of those owed."""
        return [
            Share("Given", self.given, self.owed),
            Share("Missing", len(self.missing), self.owed),
        ]


@dataclass(frozen=True)
class MilestoneCompletion:
    """The milestone updates owed for a period, by block (a scheme has no lead portfolio of
    its own) and by the officer who owes them, and their total."""

    by_block: list[MilestoneTally]
    by_officer: list[MilestoneTally]
    total: MilestoneTally


NO_OWNER = "No owner yet"


def milestone_updates_owed(period: ReportingPeriod) -> QuerySet[Milestone]:
    """The milestones that owe an update for the period (milestone_returns.owed_in says
    which), in the plan's order, each with this period's update's status as `update_status`
    (None when there is none yet) and its `return_note`."""
    return (
        owed_in(period)
        .annotate(this=FilteredRelation("updates", condition=Q(updates__period=period)))
        .annotate(update_status=F("this__status"), return_note=F("this__return_note"))
        .select_related("scheme__focus_area__ambition__kind")
        .order_by(
            "scheme__focus_area__ambition__position",
            "scheme__focus_area__position",
            "scheme__position",
            "position",
        )
    )


def owed_updates(period: ReportingPeriod, *, with_delegates: bool = False) -> list[OwedUpdate]:
    """Each milestone update owed for the period with who owes it (two queries; two more for
    the delegates: the milestone's own and its scheme's, who may give it too)."""
    owed = milestone_updates_owed(period)
    if with_delegates:
        owed = owed.prefetch_related("delegates", "scheme__delegates")
    milestones = list(owed)
    people = User.objects.in_bulk({milestone_owner_id(m) for m in milestones} - {None})
    found = []
    for milestone in milestones:
        owner_id = milestone_owner_id(milestone)
        delegates: tuple[User, ...] = ()
        if with_delegates:
            delegates = tuple(milestone_delegates(milestone))
        found.append(
            OwedUpdate(
                milestone=milestone,
                owner=people.get(owner_id) if owner_id else None,
                status=milestone.update_status,  # type: ignore[attr-defined]
                return_note=milestone.return_note or "",  # type: ignore[attr-defined]
                delegates=delegates,
            )
        )
    return found


def milestone_completion_for(*, period: ReportingPeriod) -> MilestoneCompletion:
    """The milestone updates owed for the period, given and missing, by block and by officer
    (officers by name, those with no owner last)."""
    by_block: dict[int, MilestoneTally] = {}
    by_officer: dict[int | None, MilestoneTally] = {}
    total = MilestoneTally("All milestones")
    for update in owed_updates(period):
        block = update.milestone.scheme.focus_area.ambition
        by_block.setdefault(block.pk, MilestoneTally(block.label)).add(update)
        owner = update.owner
        name = person_name(owner) if owner else NO_OWNER
        by_officer.setdefault(owner.pk if owner else None, MilestoneTally(name)).add(update)
        total.add(update)
    officers = sorted(by_officer.items(), key=lambda kv: (kv[0] is None, kv[1].name.lower()))
    return MilestoneCompletion(list(by_block.values()), [t for _, t in officers], total)


@dataclass(frozen=True)
class Completion:
    """Every lead portfolio's completion for a period, and their total; and the milestone
    updates owed beside them."""

    period: ReportingPeriod
    rows: list[PortfolioCompletion]
    total: PortfolioCompletion
    milestones: MilestoneCompletion

    @property
    def anything_owed(self) -> bool:
        """Whether anyone still owes a return or a milestone update (so may be chased)."""
        return bool(self.total.owed or self.milestones.total.missing)


def with_this_reading(period: ReportingPeriod) -> QuerySet[Indicator]:
    """The indicators due in the period, each joined to its reading for it (if any) as `this`
    (which indicators are due is asked once, here: a queryset made from this one asks again)."""
    return indicators_due(period).annotate(
        this=FilteredRelation("readings", condition=Q(readings__period=period))
    )


def owed_among(due: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Of `with_this_reading`'s indicators, those with no reading, or one returned to be
    corrected, annotated with `reading_status` (None when missing) and the `return_note`."""
    return (
        due.filter(Q(this__isnull=True) | Q(this__status=RETURNED))
        .annotate(reading_status=F("this__status"), return_note=F("this__return_note"))
        .order_by("position", "code")
    )


def returns_owed(period: ReportingPeriod) -> QuerySet[Indicator]:
    """The period's due returns that are missing or returned (see `owed_among`)."""
    return owed_among(with_this_reading(period))


def completion_for(*, period: ReportingPeriod) -> Completion:
    """Per lead portfolio: the counts, their shares and the returns owed (missing or returned,
    each with its owner), plus a total: the plans, the counts, the portfolios and the owed."""
    due = with_this_reading(period)
    counts = (
        due.values("lead_portfolio")
        .annotate(
            due=Count("pk", distinct=True),
            entered=Count("this", filter=Q(this__status__in=ENTERED)),
            submitted=Count("this", filter=Q(this__status__in=SUBMITTED)),
            approved=Count("this", filter=Q(this__status__in=APPROVED)),
            returned=Count("this", filter=Q(this__status=RETURNED)),
        )
        .order_by()
    )
    rows: dict[int | None, PortfolioCompletion] = {
        count["lead_portfolio"]: PortfolioCompletion(
            None,
            count["due"],
            count["entered"],
            count["submitted"],
            count["approved"],
            count["returned"],
        )
        for count in counts
    }
    for portfolio in Portfolio.objects.filter(pk__in=[pk for pk in rows if pk is not None]):
        rows[portfolio.pk].portfolio = portfolio
    for indicator in owed_among(due).select_related("owner"):
        rows[indicator.lead_portfolio_id].owed.append(indicator)
    ordered = sorted(
        rows.values(),
        key=lambda row: (row.portfolio is None, row.portfolio.position if row.portfolio else 0),
    )
    total = PortfolioCompletion(
        None,
        due=sum(r.due for r in ordered),
        entered=sum(r.entered for r in ordered),
        submitted=sum(r.submitted for r in ordered),
        approved=sum(r.approved for r in ordered),
        returned=sum(r.returned for r in ordered),
        owed=[i for r in ordered for i in r.owed],
    )
    return Completion(period, ordered, total, milestone_completion_for(period=period))


@dataclass(frozen=True)
class PublishSummary:
    """What publishing a period would do: which readings become published (and public), which
    due indicators will show "No data", and which readings stay behind."""

    approved: int
    indicators: int
    portfolios: int
    public: int
    no_data: list[Indicator]
    held_back: list[Reading]
    milestones_approved: int = 0
    milestones_waiting: int = 0
    milestones_held_back: int = 0  # drafts and returned updates, which stay behind
    also_published: tuple[str, ...] = ()  # what other apps publish with it, in sentences
    also_waiting: tuple[str, ...] = ()  # why other apps refuse it yet, in sentences

    @property
    def not_public(self) -> int:
        """Approved readings of indicators residents do not see."""
        return self.approved - self.public

    @property
    def awaiting_approval(self) -> int:
        """Submitted readings: publishing is refused until each is approved or returned."""
        return sum(1 for r in self.held_back if r.status == Reading.Status.SUBMITTED)

    @property
    def blocked(self) -> bool:
        """Whether publishing is refused: a reading, a milestone update or something of
        another app (a finance return) awaits approval."""
        return bool(self.awaiting_approval or self.milestones_waiting or self.also_waiting)


def publish_summary(*, period: ReportingPeriod) -> PublishSummary:
    """What publishing the period would make public, in a fixed number of queries."""
    approved = Reading.objects.filter(period=period, status=Reading.Status.APPROVED).aggregate(
        readings=Count("pk"),
        indicators=Count("indicator", distinct=True),
        portfolios=Count("indicator__lead_portfolio", distinct=True),
        public=Count("pk", filter=Q(indicator__is_public=True)),
    )
    no_data = (
        with_this_reading(period)
        .filter(Q(this__isnull=True) | Q(this__status__in=NOT_PUBLISHED))
        .order_by("position", "code")
    )
    held_back = (
        Reading.objects.filter(period=period, status__in=NOT_PUBLISHED)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code")
    )
    updates = MilestoneUpdate.objects.filter(period=period).aggregate(
        approved=Count("pk", filter=Q(status=Reading.Status.APPROVED)),
        held_back=Count("pk", filter=Q(status__in=(Reading.Status.DRAFT, RETURNED))),
    )
    return PublishSummary(
        approved=approved["readings"],
        indicators=approved["indicators"],
        portfolios=approved["portfolios"],
        public=approved["public"],
        no_data=list(no_data),
        held_back=list(held_back),
        milestones_approved=updates["approved"],
        milestones_waiting=waiting_in(period),
        milestones_held_back=updates["held_back"],
        also_published=_said(period_publish_preview, period),
        also_waiting=_said(period_publish_check, period),
    )


def _said(signal: Signal, period: ReportingPeriod) -> tuple[str, ...]:
    """The sentences the signal's receivers return for the period."""
    answers = signal.send(sender=ReportingPeriod, period=period)
    return tuple(said for _receiver, said in answers if said)
