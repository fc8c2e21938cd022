"""The scorecard's one judgement: an indicator in a period, for an audience, as every page,
report and open data row shows it. Plain computation on rows already loaded (no query): the
services store what it gives (measures/services/scorecard.py), and the tests compare what is
stored with what it gives afresh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from measures import rag
from measures.models import Indicator, Reading, ReportingPeriod, Score, ScoreAudience
from measures.performance import (
    LOOK_BACK,
    Basis,
    Direction,
    Rag,
    compared_with,
    direction_words,
)
from measures.periods import year_label

TREND_LENGTH = 6
# A reading is in the judgement of its own period and of the next TREND_LENGTH - 1 (its trend),
# the next LOOK_BACK (the figure a direction of travel compares with, when those between have
# none) and the same period a year on (year-to-date and seasonal figures, last year).
REACH = max(TREND_LENGTH - 1, LOOK_BACK, 4)
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.NO_TARGET: 3, Rag.NO_DATA: 4}
DIRECTION_ORDER = {
    Direction.WORSENED: 0,
    Direction.NO_CHANGE: 1,
    Direction.IMPROVED: 2,
    Direction.NOT_COMPARABLE: 3,
}
AUDIENCES = tuple(ScoreAudience)
DUE_IN_QUARTERS = (Indicator.Frequency.MONTHLY, Indicator.Frequency.QUARTERLY)
# The fields a score holds, apart from which indicator, period and audience it is.
FIGURES = (
    "reading",
    "value",
    "previous_value",
    "previous_period",
    "last_year_value",
    "target_value",
    "target_upper",
    "tolerance",
    "rag",
    "rag_order",
    "direction",
    "direction_order",
    "direction_basis",
    "last_year_direction",
    "trajectory",
    "trend",
    "reading_status",
    "data_quality",
    "commentary",
    "corrective_action",
    "is_synthetic",
    "last_changed",
)


def kind_of(indicator: Indicator) -> str:
    """The kind of period the indicator is reported in: quarters, or years for annual ones."""
    return (
        ReportingPeriod.Kind.QUARTER
        if indicator.frequency in DUE_IN_QUARTERS
        else ReportingPeriod.Kind.YEAR
    )


def sees(audience: str, reading: Reading, indicator: Indicator) -> bool:
    """Whether the audience may see the reading (measures/permissions.py says the same)."""
    if audience == ScoreAudience.PUBLIC:
        return reading.status == Reading.Status.PUBLISHED and indicator.is_public
    if audience == ScoreAudience.MEMBERS:
        return reading.status in (Reading.Status.APPROVED, Reading.Status.PUBLISHED)
    return True


def judge(
    indicator: Indicator,
    periods: Sequence[ReportingPeriod],
    position: int,
    readings: Mapping[int, Reading],
    audience: str,
) -> Score:
    """The (unsaved) score of the indicator at periods[position], from the readings this
    audience may see, by period id. `periods` are every period of the indicator's kind, oldest
    first; the indicator's targets and trajectories are prefetched, their periods attached."""
    current = periods[position]
    reading = readings.get(current.pk)
    per_year = 4 if current.quarter else 1
    earlier = [
        readings.get(periods[position - back].pk)
        for back in range(1, min(max(LOOK_BACK, per_year), position) + 1)
    ]
    comparison = compared_with(
        [r.value if r else None for r in earlier],
        per_year=per_year,
        year_on_year=indicator.cumulative or indicator.seasonal,
    )
    previous = earlier[comparison.back - 1] if comparison else None
    previous_period = periods[position - comparison.back] if comparison else None
    last_year = earlier[per_year - 1] if len(earlier) >= per_year else None
    target = rag.target_spec_for(indicator, current)
    status = rag.reading_rag(reading, indicator=indicator, period=current)
    direction = rag.reading_direction(indicator, reading, previous, period=current)
    year_on_year = rag.reading_direction(indicator, reading, last_year, period=current)
    window = periods[max(0, position - TREND_LENGTH + 1) : position + 1]
    return Score(
        indicator=indicator,
        period=current,
        audience=audience,
        reading=reading,
        value=reading.value if reading else None,
        previous_value=previous.value if previous else None,
        previous_period=previous_period,
        last_year_value=last_year.value if last_year else None,
        target_value=target.value if target else None,
        target_upper=target.upper if target else None,
        tolerance=target.tolerance if target else Decimal(0),
        rag=status.value,
        rag_order=RAG_ORDER[status],
        direction=direction.value,
        direction_order=DIRECTION_ORDER[direction],
        direction_basis=(comparison.basis if comparison else Basis.NONE).value,
        last_year_direction=year_on_year.value,
        trajectory=rag.reading_trajectory(indicator, reading, current).value,
        trend=[[p.label, _text(readings.get(p.pk))] for p in window],
        reading_status=reading.status if reading else "",
        data_quality=reading.data_quality if reading else "",
        commentary=reading.commentary if reading else "",
        corrective_action=reading.corrective_action if reading else "",
        is_synthetic=bool(reading and reading.is_synthetic),
        last_changed=reading.updated_at if reading else None,
    )


def _text(reading: Reading | None) -> str | None:
    """A trend value as JSON keeps it exactly: the number as text, None for a gap."""
    if reading is None or reading.value is None:
        return None
    return format(reading.value.normalize(), "f")


def trend_values(score: Score) -> list[Decimal | None]:
    """The score's trend values, oldest first, as numbers (None for a gap)."""
    return [None if value is None else Decimal(value) for _, value in score.trend]


def trend_labels(score: Score) -> list[str]:
    return [label for label, _ in score.trend]


def direction_sentence(score: Score) -> str:
    """The score's direction of travel in words, naming the period it was compared with and
    any left out for want of a figure (its period and previous period loaded with it)."""
    compared = score.previous_period
    if compared is None:
        return direction_words(Direction(score.direction), Basis.NONE)
    return direction_words(
        Direction(score.direction),
        Basis(score.direction_basis or Basis.PREVIOUS),
        compared=compared.label,
        skipped=_between(compared, score.period),
    )


def _between(earlier: ReportingPeriod, later: ReportingPeriod) -> list[str]:
    """The labels of the periods of their kind strictly between two periods, oldest first."""
    if earlier.quarter is None or later.quarter is None:
        return [year_label(fy) for fy in range(earlier.financial_year + 1, later.financial_year)]
    first = earlier.financial_year * 4 + earlier.quarter
    last = later.financial_year * 4 + later.quarter
    return [f"{year_label((n - 1) // 4)} Q{(n - 1) % 4 + 1}" for n in range(first + 1, last)]


def last_year_sentence(score: Score) -> str:
    """The score against the same quarter a year before, in words, for quarterly figures ("":
    an annual one, or no figure then or now)."""
    period = score.period
    if period.quarter is None or score.value is None or score.last_year_value is None:
        return ""
    return direction_words(
        Direction(score.last_year_direction or Direction.NOT_COMPARABLE),
        Basis.SAME_PERIOD_LAST_YEAR,
        compared=f"{year_label(period.financial_year - 1)} Q{period.quarter}",
    )


_RELATED = ("reading", "previous_period")
STORED = Decimal("0.0001")  # the score columns keep four decimal places
_NUMBERS = (
    "value",
    "previous_value",
    "last_year_value",
    "target_value",
    "target_upper",
    "tolerance",
)


def figures_of(score: Score) -> tuple[object, ...]:
    """What a score says, for comparing a stored one with one judged afresh."""

    def one(name: str) -> object:
        if name in _RELATED:
            return getattr(score, f"{name}_id")
        value = getattr(score, name)
        if name in _NUMBERS and value is not None:
            return Decimal(value).quantize(STORED)  # as the column keeps it
        return value

    return tuple(one(name) for name in FIGURES)
