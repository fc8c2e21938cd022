"""Financial-year reporting periods: quarters (Q1 = April to June) and whole years."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from measures.models import Reading, ReportingPeriod, Target


def year_code(financial_year: int) -> str:
    """ "2025-26" for the financial year starting April 2025."""
    return f"{financial_year}-{(financial_year + 1) % 100:02d}"


def year_label(financial_year: int) -> str:
    """ "2025/26", as people write the financial year starting April 2025."""
    return f"{financial_year}/{(financial_year + 1) % 100:02d}"


def quarter_bounds(financial_year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a financial-year quarter."""
    first_month = 4 + 3 * (quarter - 1)
    year = financial_year + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    start = date(year, month, 1)
    next_month = month + 3
    end = date(year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def periods_attach(
    rows: Iterable[Reading | Target], periods: Mapping[int, ReportingPeriod]
) -> None:
    """Give prefetched readings or targets their period from periods already loaded, so a
    page of many rows neither queries nor builds a period per row."""
    for row in rows:
        row.period = periods[row.period_id]


def financial_year_of(day: date) -> int:
    """The financial year a day falls in (April starts a new one)."""
    return day.year if day.month >= 4 else day.year - 1


def has_ended(period: ReportingPeriod, today: date) -> bool:
    """Whether the period's last day is behind us (on its last day it has not ended)."""
    return period.end < today


def periods_skipped(periods: Iterable[ReportingPeriod], today: date) -> list[ReportingPeriod]:
    """Periods that ended and were never opened while a later one has been, latest first: the
    returns nobody was asked for."""
    periods = list(periods)
    opened = [p for p in periods if p.state != ReportingPeriod.State.NOT_OPEN]
    skipped = [
        p
        for p in periods
        if p.state == ReportingPeriod.State.NOT_OPEN
        and has_ended(p, today)
        and any(later.start > p.end for later in opened)
    ]
    return sorted(skipped, key=lambda p: (p.end, p.start), reverse=True)
