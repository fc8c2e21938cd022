"""Who has reported for a period, per lead portfolio (entered, submitted, approved, returned
and missing, each with its share of the returns due), who owes the rest, and what publishing
the period would make public: each read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from measures.models import Indicator, Reading, ReportingPeriod
from measures.selectors import APPROVED, SUBMITTED, indicators_due
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
class Completion:
    """Every lead portfolio's completion for a period, and their total."""

    period: ReportingPeriod
    rows: list[PortfolioCompletion]
    total: PortfolioCompletion


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
    return Completion(period, ordered, total)


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

    @property
    def not_public(self) -> int:
        """Approved readings of indicators residents do not see."""
        return self.approved - self.public

    @property
    def awaiting_approval(self) -> int:
        """Submitted readings: publishing is refused until each is approved or returned."""
        return sum(1 for r in self.held_back if r.status == Reading.Status.SUBMITTED)


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
    return PublishSummary(
        approved=approved["readings"],
        indicators=approved["indicators"],
        portfolios=approved["portfolios"],
        public=approved["public"],
        no_data=list(no_data),
        held_back=list(held_back),
    )
