"""The rules of measures.performance applied to indicators, targets and readings.

Works on prefetched `indicator.targets` (with their periods) and `indicator.trajectories`, so a
page of many indicators costs no query per row.
"""

from __future__ import annotations

from datetime import date

from measures.models import Indicator, Reading, ReportingPeriod, Target
from measures.performance import (
    Direction,
    Polarity,
    Rag,
    TargetSpec,
    Trajectory,
    TrajectoryStatus,
    direction_of_travel,
    rag_status,
    trajectory_status,
    trajectory_value,
)


def polarity_of(indicator: Indicator, period: ReportingPeriod | None = None) -> Polarity:
    """The indicator's polarity, or the one its target for the period was agreed with."""
    target = target_for(indicator, period) if period is not None else None
    return Polarity(target.polarity if target and target.polarity else indicator.polarity)


def target_for(indicator: Indicator, period: ReportingPeriod) -> Target | None:
    """The period's own target; for a cumulative indicator's Q4, the year's target."""
    targets = list(indicator.targets.all())
    for target in targets:
        if target.period_id == period.pk:
            return target
    # A year-to-date total at Q4 is the year's total, so it answers to the year's target.
    if indicator.cumulative and period.quarter == 4:
        for target in targets:
            if target.period.kind == ReportingPeriod.Kind.YEAR and (
                target.period.financial_year == period.financial_year
            ):
                return target
    return None


def target_spec(target: Target | None) -> TargetSpec | None:
    if target is None:
        return None
    return TargetSpec(value=target.value, tolerance=target.tolerance, upper=target.upper)


def target_spec_for(indicator: Indicator, period: ReportingPeriod) -> TargetSpec | None:
    """What a reading is judged against: the period's target, or else where the trajectory's
    straight line stands at the period's end ("750 homes by now, on the way to 1,500")."""
    spec = target_spec(target_for(indicator, period))
    if spec is not None or indicator.polarity == Polarity.ON_TARGET_BAND:
        return spec
    trajectory = trajectory_of(indicator, period.end)
    if trajectory is None:
        return None
    return TargetSpec(value=trajectory_value(trajectory, period.end))


def reading_rag(
    reading: Reading | None,
    *,
    indicator: Indicator | None = None,
    period: ReportingPeriod | None = None,
) -> Rag:
    """RAG of a reading (or of a missing one, given its indicator and period)."""
    if reading is not None:
        indicator, period = indicator or reading.indicator, period or reading.period
    assert indicator is not None and period is not None  # noqa: S101 - a caller's mistake
    value = reading.value if reading is not None else None
    return rag_status(value, target_spec_for(indicator, period), polarity_of(indicator, period))


def last_before(
    period: ReportingPeriod, readings: list[Reading], indicator: Indicator
) -> Reading | None:
    """The latest reading of a comparable earlier period (the value an officer compares with)."""
    earlier = [
        r for r in readings if r.period.kind == period.kind and r.period.start < period.start
    ]
    if period.kind == ReportingPeriod.Kind.QUARTER and (indicator.cumulative or indicator.seasonal):
        earlier = [r for r in earlier if r.period.quarter == period.quarter]
    return max(earlier, key=lambda r: r.period.start, default=None)


def reading_direction(
    indicator: Indicator,
    current: Reading | None,
    previous: Reading | None,
    *,
    period: ReportingPeriod | None = None,
) -> Direction:
    """Direction of travel between two readings of one indicator (`period`: the current
    reading's, when the caller has it loaded)."""
    band = None
    if current is not None and period is None:
        period = current.period
    polarity = polarity_of(indicator, period)
    if polarity == Polarity.ON_TARGET_BAND and current is not None and period is not None:
        band = target_spec(target_for(indicator, period))
        if band is None:
            return Direction.NOT_COMPARABLE
    return direction_of_travel(
        current.value if current else None,
        previous.value if previous else None,
        polarity,
        band=band,
        places=indicator.decimal_places,
    )


def trajectory_of(indicator: Indicator, at: date) -> Trajectory | None:
    """The trajectory in force at a date (the first not yet due), starting from the baseline
    when it states no start value; None when there is none or no start is known."""
    trajectories = sorted(indicator.trajectories.all(), key=lambda t: t.due_date)
    current = next((t for t in trajectories if t.due_date >= at), None) or (
        trajectories[-1] if trajectories else None
    )
    if current is None:
        return None
    start_value = current.start_value
    if start_value is None:
        start_value = indicator.baseline_value
    if start_value is None:
        return None
    return Trajectory(current.start_date, start_value, current.due_date, current.value)


def reading_trajectory(
    indicator: Indicator, reading: Reading | None, period: ReportingPeriod
) -> TrajectoryStatus:
    """On track or not against the straight line, judged at the period's end."""
    if indicator.polarity == Polarity.ON_TARGET_BAND:
        return TrajectoryStatus.NO_TRAJECTORY
    return trajectory_status(
        reading.value if reading else None,
        period.end,
        trajectory_of(indicator, period.end),
        polarity_of(indicator),
    )
