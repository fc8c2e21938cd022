"""The one data structure a scrutiny report is built from; PDF, XLSX and CSV all render it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from measures.delivery import EXCEPTIONS, count_phrase, counts_of
from measures.performance import Direction, Rag, StatusCounts
from reports.resources_data import ReportReserves, ReportResources

if TYPE_CHECKING:  # both modules read this one's classes
    from reports.exceptions import ReportException
    from reports.since import ReportSince
    from scrutiny.selectors import ReportRecommendations


@dataclass(frozen=True)
class ReportIndicator:
    """One indicator's line in the report: the raw numbers, with their unit and decimal places
    (each format writes them with core/formatting.py), and the statuses' labels."""

    code: str
    title: str
    unit: str  # the Indicator.Unit value, e.g. "percentage"
    unit_label: str  # e.g. "%", "per 10,000", "count"
    decimal_places: int
    baseline: Decimal | None
    baseline_period: str
    previous: Decimal | None
    previous_period: str
    latest: Decimal | None
    latest_period: str
    target: Decimal | None
    rag: Rag
    rag_label: str
    direction: Direction
    direction_label: str
    comparator: Decimal | None
    comparator_label: str
    commentary: str
    corrective_action: str
    synthetic: bool
    trend: tuple[tuple[str, Decimal | None], ...]  # (period label, value), oldest first
    tolerance: Decimal = Decimal(0)  # how far from target is still amber ("close")
    polarity: str = "higher_is_better"  # the Indicator.Polarity value


@dataclass(frozen=True)
class ReportMilestone:
    """Where a milestone stood at the end of the period, as members know it (approved and
    published updates only), read from its stored score and worded by measures/delivery.py."""

    block: str
    scheme: str
    title: str
    state: str  # the MilestoneState value, e.g. "slipped"
    state_label: str  # e.g. "Slipped"
    overdue: bool  # past its current date and not complete or cancelled
    original_date: date | None  # the plan's date
    current_date: date | None  # after every revision
    dates: str  # e.g. "due June 2025, revised to March 2026 (twice)"
    revisions: int  # how many times its date has moved
    revision_reason: str  # why it last moved; "" if it never has
    progress_note: str
    reason: str  # why it slipped, is at risk or moved, from its latest update
    corrective_action: str
    update_period: str  # the period its latest update is for; "" with no update
    synthetic: bool


def _milestone_counts(milestones: tuple[ReportMilestone, ...]) -> dict[str, int]:
    return counts_of((m.state, m.overdue) for m in milestones)


@dataclass(frozen=True)
class ReportPortfolio:
    """A portfolio in the committee's remit, its indicators, and the milestones of the blocks
    it delivers (a block delivered by two portfolios of the remit is in both)."""

    name: str
    counts: StatusCounts
    indicators: tuple[ReportIndicator, ...]
    milestones: tuple[ReportMilestone, ...] = ()
    resources: ReportResources | None = None  # its finance figures; None: not read
    introduction: str = ""  # the portfolio holder's, from the agreement in force

    @property
    def milestone_counts(self) -> dict[str, int]:
        return _milestone_counts(self.milestones)

    @property
    def milestone_summary(self) -> str:
        """ "8 milestones: 2 complete, 3 on track, …; 2 overdue." """
        return count_phrase(self.milestone_counts)


@dataclass(frozen=True)
class ReportData:
    """Everything in one committee's report for one period."""

    council: str
    plan_title: str
    committee: str
    period_label: str
    period_code: str
    data_as_at: datetime | None  # the latest change to any reading or milestone update included
    generated_at: datetime
    summary: str
    counts: StatusCounts
    directions: tuple[tuple[Direction, int], ...]
    changes: tuple[str, ...]  # plain sentences: what changed since the previous period
    portfolios: tuple[ReportPortfolio, ...]
    milestones: tuple[ReportMilestone, ...]  # every portfolio's, once each, exceptions first
    synthetic: bool  # any figure or milestone update is synthetic demo data
    fingerprint: str  # of everything but generated_at: same data, same fingerprint
    reserves: ReportReserves | None = None  # the council's, if the remit is every portfolio
    exceptions: tuple[ReportException, ...] = ()  # what needs attention (exceptions.py)
    since: ReportSince | None = None  # against the committee's last report; None: no report yet
    recommendations: ReportRecommendations | None = None  # the committee's, open and closed

    @property
    def milestone_counts(self) -> dict[str, int]:
        return _milestone_counts(self.milestones)

    @property
    def milestone_summary(self) -> str:
        """Every milestone of the report counted in one sentence, good and bad alike."""
        return count_phrase(self.milestone_counts)

    @property
    def milestone_exceptions(self) -> tuple[ReportMilestone, ...]:
        """The milestones a committee is asked to look at: slipped or at risk."""
        return tuple(m for m in self.milestones if m.state in EXCEPTIONS)
