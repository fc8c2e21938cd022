"""The one data structure a scrutiny report is built from; PDF, XLSX and CSV all render it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from measures.performance import Direction, Rag, StatusCounts


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


@dataclass(frozen=True)
class ReportPortfolio:
    """A portfolio in the committee's remit and its indicators."""

    name: str
    counts: StatusCounts
    indicators: tuple[ReportIndicator, ...]


@dataclass(frozen=True)
class ReportMilestone:
    """A milestone due by the period's end and not complete, or slipped."""

    block: str
    scheme: str
    title: str
    due: str
    due_date: date | None
    status_label: str


@dataclass(frozen=True)
class ReportData:
    """Everything in one committee's report for one period."""

    council: str
    plan_title: str
    committee: str
    period_label: str
    period_code: str
    data_as_at: datetime | None  # the latest change to any reading included
    generated_at: datetime
    summary: str
    counts: StatusCounts
    directions: tuple[tuple[Direction, int], ...]
    changes: tuple[str, ...]  # plain sentences: what changed since the previous period
    portfolios: tuple[ReportPortfolio, ...]
    milestones: tuple[ReportMilestone, ...]
    synthetic: bool  # any figure is synthetic demo data
    fingerprint: str  # of everything above except generated_at: same data, same fingerprint
