"""Performance status rules: RAG, direction of travel and trajectory, in one place.

Templates, charts and reports call these functions and never re-derive a status. The module is
plain Python (no Django, no database) and does all arithmetic in Decimal, never float.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "DIRECTION_LABELS",
    "DIRECTION_SYMBOLS",
    "FAR_IN_WORDS",
    "LOOK_BACK",
    "RAG_LABELS",
    "RAG_SYMBOLS",
    "TRAJECTORY_LABELS",
    "Basis",
    "Change",
    "Comparison",
    "Direction",
    "Polarity",
    "Rag",
    "StatusCounts",
    "TargetSpec",
    "Trajectory",
    "TrajectoryStatus",
    "compared_with",
    "count_directions",
    "count_rag",
    "direction_of_travel",
    "direction_words",
    "far_change",
    "rag_status",
    "trajectory_status",
    "trajectory_value",
    "worsened_beyond_tolerance",
]

ZERO = Decimal(0)


class Polarity(StrEnum):
    """Which way is good for an indicator."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    ON_TARGET_BAND = "on_target_band"  # good when inside [target.value, target.upper]


class Rag(StrEnum):
    """A value's standing against its target (red, amber, green, or why there is none)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


class Direction(StrEnum):
    """Whether a value got better or worse since the previous comparable period."""

    IMPROVED = "improved"
    NO_CHANGE = "no_change"
    WORSENED = "worsened"
    NOT_COMPARABLE = "not_comparable"


class Basis(StrEnum):
    """Which earlier period a direction of travel compares the current value with."""

    PREVIOUS = "previous"  # the period just before
    LATEST_EARLIER = (
        "latest_earlier"  # the latest earlier one with a figure: those between have none
    )
    SAME_PERIOD_LAST_YEAR = "same_period_last_year"  # seasonal or year-to-date figures
    NONE = "none"  # no earlier figure to compare with


class TrajectoryStatus(StrEnum):
    """Whether a value is on or off the straight line towards a future target."""

    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_TRAJECTORY = "no_trajectory"
    NO_DATA = "no_data"


def _reject_float(name: str, number: object) -> None:
    """Raise TypeError when a float slips in where only exact Decimal arithmetic is allowed."""
    if isinstance(number, float):
        raise TypeError(f"{name} must be a Decimal, not a float ({number!r})")


@dataclass(frozen=True)
class TargetSpec:
    """A target, its amber tolerance and, for a band, the band's upper edge."""

    value: Decimal  # the target (for a band: its lower edge)
    tolerance: Decimal = ZERO  # amber allowance, absolute, in the indicator's units, >= 0
    upper: Decimal | None = None  # the band's upper edge; required for ON_TARGET_BAND

    def __post_init__(self) -> None:
        """Refuse a float, a negative tolerance or a band whose upper edge is below its lower."""
        for field in fields(self):
            _reject_float(f"TargetSpec.{field.name}", getattr(self, field.name))
        if self.tolerance < ZERO:
            raise ValueError(f"tolerance must not be negative (got {self.tolerance})")
        if self.upper is not None and self.upper < self.value:
            raise ValueError(
                f"the band's upper edge ({self.upper}) must not be below its lower edge "
                f"({self.value})"
            )


@dataclass(frozen=True)
class Trajectory:
    """A straight line from a starting value to a target value due on a later date."""

    start_date: date
    start_value: Decimal
    due_date: date
    value: Decimal

    def __post_init__(self) -> None:
        """Refuse a float, or a due date that is not after the start date."""
        _reject_float("Trajectory.start_value", self.start_value)
        _reject_float("Trajectory.value", self.value)
        if self.start_date >= self.due_date:
            raise ValueError(
                f"a trajectory's start date ({self.start_date}) must be before its due date "
                f"({self.due_date})"
            )


# --- RAG -----------------------------------------------------------------------------------------


def _band_upper(band: TargetSpec) -> Decimal:
    """Return the band's upper edge, or raise ValueError when an on-target band has none."""
    if band.upper is None:
        raise ValueError(
            "an on-target band needs an upper edge: give TargetSpec.upper for ON_TARGET_BAND"
        )
    return band.upper


def _shortfall(value: Decimal, target: TargetSpec, polarity: Polarity) -> Decimal:
    """Return how far the value falls short of the target (zero when on or better than it)."""
    if polarity is Polarity.HIGHER_IS_BETTER:
        return max(target.value - value, ZERO)
    if polarity is Polarity.LOWER_IS_BETTER:
        return max(value - target.value, ZERO)
    return _distance_to_band(value, target)


def _distance_to_band(value: Decimal, band: TargetSpec) -> Decimal:
    """Return the distance from the value to the nearest edge of the band, zero inside it."""
    upper = _band_upper(band)
    if value < band.value:
        return band.value - value
    if value > upper:
        return value - upper
    return ZERO


def rag_status(value: Decimal | None, target: TargetSpec | None, polarity: Polarity) -> Rag:
    """Return the RAG status of a value against its target (no data first, then no target)."""
    if value is None:
        return Rag.NO_DATA
    if target is None:
        return Rag.NO_TARGET
    _reject_float("value", value)
    shortfall = _shortfall(value, target, polarity)
    if shortfall == ZERO:
        return Rag.GREEN
    if shortfall <= target.tolerance:
        return Rag.AMBER
    return Rag.RED


# --- Direction of travel -------------------------------------------------------------------------


def _rounded(number: Decimal, places: int | None) -> Decimal:
    """Round half up to the given number of decimal places, or leave the number as it is."""
    if places is None:
        return number
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _badness(number: Decimal, polarity: Polarity, band: TargetSpec | None) -> Decimal:
    """Return a measure that is smaller the better the number is, for comparing two periods."""
    if polarity is Polarity.HIGHER_IS_BETTER:
        return -number
    if polarity is Polarity.LOWER_IS_BETTER:
        return number
    return _distance_to_band(number, _require_band(band))


def _require_band(band: TargetSpec | None) -> TargetSpec:
    """Return the band, or raise ValueError when the caller gave none."""
    if band is None:
        raise ValueError("direction of travel for ON_TARGET_BAND needs the band (band=...)")
    return band


def direction_of_travel(
    current: Decimal | None,
    previous: Decimal | None,
    polarity: Polarity,
    *,
    band: TargetSpec | None = None,
    places: int | None = None,
) -> Direction:
    """Return whether the current value is better, the same or worse than the previous one."""
    if current is None or previous is None:
        return Direction.NOT_COMPARABLE
    _reject_float("current", current)
    _reject_float("previous", previous)
    now = _badness(_rounded(current, places), polarity, band)
    before = _badness(_rounded(previous, places), polarity, band)
    if now < before:
        return Direction.IMPROVED
    if now > before:
        return Direction.WORSENED
    return Direction.NO_CHANGE


# How many periods back a direction of travel may look for a figure (a year of quarters): the
# stored scorecard judges a period again when any of these change (measures/scorecard.REACH).
LOOK_BACK = 4


@dataclass(frozen=True)
class Comparison:
    """The earlier figure a value is compared with: how many periods back, and why that one."""

    back: int  # 1 for the period just before
    basis: Basis


def compared_with(
    earlier: Sequence[Decimal | None], *, per_year: int, year_on_year: bool = False
) -> Comparison | None:
    """Return the earlier figure to compare with (`earlier`: the periods before, nearest first):
    the period just before, else the latest with a figure within LOOK_BACK periods, or for
    seasonal and year-to-date figures only the same period a year before (None: nothing)."""
    if per_year < 1:
        raise ValueError(f"a year holds at least one period (got per_year={per_year})")
    if year_on_year and per_year > 1:
        if len(earlier) >= per_year and earlier[per_year - 1] is not None:
            return Comparison(per_year, Basis.SAME_PERIOD_LAST_YEAR)
        return None
    for back, figure in enumerate(earlier[:LOOK_BACK], start=1):
        if figure is not None:
            return Comparison(back, Basis.PREVIOUS if back == 1 else Basis.LATEST_EARLIER)
    return None


def _either(labels: Sequence[str]) -> str:
    """Return labels as people list alternatives: "A", "A or B", "A, B or C"."""
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


def direction_words(
    direction: Direction, basis: Basis, *, compared: str = "", skipped: Sequence[str] = ()
) -> str:
    """Return the direction of travel in words with what it compared, e.g. "Improved since
    2025/26 Q3 (no figure for 2025/26 Q4)" or "Worsened since 2024/25 Q2, the same quarter
    last year"."""
    label = DIRECTION_LABELS[direction]
    if direction is Direction.NOT_COMPARABLE or basis is Basis.NONE or not compared:
        return label
    if basis is Basis.SAME_PERIOD_LAST_YEAR:
        return f"{label} since {compared}, the same quarter last year"
    if basis is Basis.LATEST_EARLIER and skipped:
        nouns = "figure" if len(skipped) == 1 else "figures"
        return f"{label} since {compared} (no {nouns} for {_either(skipped)})"
    return f"{label} since {compared}"


class Change(StrEnum):
    """Which way a figure moved when it moved far from the one before."""

    HIGHER = "higher"
    LOWER = "lower"


# A figure is far from the one before it when a percentage moved more than FAR_POINTS
# percentage points, or any other figure more than FAR_SHARE of the earlier one (a half), up or
# down: enough to make a typo (7.94% entered as 79.4%) stand out, not ordinary movement.
FAR_POINTS = Decimal(10)
FAR_SHARE = Decimal("0.5")
FAR_IN_WORDS = (
    f"more than {FAR_POINTS} percentage points for a percentage, or more than "
    f"{FAR_SHARE:.0%} up or down for any other figure"
)


def far_change(value: Decimal, earlier: Decimal, *, in_points: bool) -> Change | None:
    """Return which way the value moved when it is far from the earlier figure, else None
    (`in_points`: the figures are percentages, compared in percentage points)."""
    difference = value - earlier
    limit = FAR_POINTS if in_points else FAR_SHARE * abs(earlier)
    if abs(difference) <= limit:
        return None
    return Change.HIGHER if difference > 0 else Change.LOWER


# --- Trajectory ----------------------------------------------------------------------------------


def trajectory_value(trajectory: Trajectory, at: date) -> Decimal:
    """Return the trajectory's value on a date, held flat before its start and after it is due."""
    if at <= trajectory.start_date:
        return trajectory.start_value
    if at >= trajectory.due_date:
        return trajectory.value
    elapsed = Decimal((at - trajectory.start_date).days)
    length = Decimal((trajectory.due_date - trajectory.start_date).days)
    rise = trajectory.value - trajectory.start_value
    return trajectory.start_value + rise * elapsed / length


def trajectory_status(
    value: Decimal | None, at: date, trajectory: Trajectory | None, polarity: Polarity
) -> TrajectoryStatus:
    """Return whether a value on a date is on or better than its trajectory's line for that date."""
    if trajectory is None:
        return TrajectoryStatus.NO_TRAJECTORY
    if value is None:
        return TrajectoryStatus.NO_DATA
    if polarity is Polarity.ON_TARGET_BAND:
        raise ValueError("a trajectory needs a direction: ON_TARGET_BAND cannot have one")
    _reject_float("value", value)
    line = trajectory_value(trajectory, at)
    on_track = value >= line if polarity is Polarity.HIGHER_IS_BETTER else value <= line
    return TrajectoryStatus.ON_TRACK if on_track else TrajectoryStatus.OFF_TRACK


# --- Labels and symbols (colour is never the only carrier) ---------------------------------------

RAG_LABELS: dict[Rag, str] = {
    Rag.GREEN: "On or better than target",
    Rag.AMBER: "Close to target",
    Rag.RED: "Off target",
    Rag.NO_TARGET: "No target",
    Rag.NO_DATA: "No data",
}

RAG_SYMBOLS: dict[Rag, str] = {
    Rag.GREEN: "✓",
    Rag.AMBER: "!",
    Rag.RED: "✗",
    Rag.NO_TARGET: "\u2013",  # en dash (escaped: ruff RUF001 reads it as a hyphen)
    Rag.NO_DATA: "?",
}

DIRECTION_LABELS: dict[Direction, str] = {
    Direction.IMPROVED: "Improved",
    Direction.NO_CHANGE: "No change",
    Direction.WORSENED: "Worsened",
    Direction.NOT_COMPARABLE: "Not comparable",
}

DIRECTION_SYMBOLS: dict[Direction, str] = {
    Direction.IMPROVED: "▲",  # better, even when the number went down (lower is better)
    Direction.NO_CHANGE: "■",
    Direction.WORSENED: "▼",  # worse, even when the number went up (lower is better)
    Direction.NOT_COMPARABLE: "\u2013",  # en dash (escaped: ruff RUF001 reads it as a hyphen)
}
"""Symbols for better or worse, not up or down: for lower-is-better, ▲ means the value fell."""

TRAJECTORY_LABELS: dict[TrajectoryStatus, str] = {
    TrajectoryStatus.ON_TRACK: "On track",
    TrajectoryStatus.OFF_TRACK: "Off track",
    TrajectoryStatus.NO_TRAJECTORY: "No trajectory",
    TrajectoryStatus.NO_DATA: "No data",
}


# --- Counts and summaries ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCounts:
    """How many indicators have each RAG status, for dashboards and summaries."""

    green: int
    amber: int
    red: int
    no_target: int
    no_data: int

    def __post_init__(self) -> None:
        """Refuse a negative count."""
        for field in fields(self):
            if getattr(self, field.name) < 0:
                raise ValueError(f"StatusCounts.{field.name} must not be negative")

    @property
    def total(self) -> int:
        """Return how many indicators are counted, whatever their status."""
        return self.green + self.amber + self.red + self.no_target + self.no_data

    @property
    def on_or_better(self) -> int:
        """Return how many indicators are on or better than target (the green ones)."""
        return self.green


def count_rag(statuses: Iterable[Rag]) -> StatusCounts:
    """Count RAG statuses by kind."""
    tally = Counter(Rag(status) for status in statuses)
    return StatusCounts(
        green=tally[Rag.GREEN],
        amber=tally[Rag.AMBER],
        red=tally[Rag.RED],
        no_target=tally[Rag.NO_TARGET],
        no_data=tally[Rag.NO_DATA],
    )


def count_directions(directions: Iterable[Direction]) -> dict[Direction, int]:
    """Count directions of travel by kind, with every kind present (zero when none)."""
    tally = Counter(Direction(direction) for direction in directions)
    return {direction: tally[direction] for direction in Direction}


# A worsening counts as an exception when it is more than the indicator's tolerance, or, with
# no tolerance set, more than this share of the previous figure: so 266 to 265 is not one.
MATERIAL_SHARE = Decimal("0.05")


def worsened_beyond_tolerance(
    direction: Direction, previous: Decimal | None, latest: Decimal | None, tolerance: Decimal
) -> bool:
    """Whether a value got worse by more than its tolerance (or, with none, by more than
    MATERIAL_SHARE of the previous figure): a worsening a committee should look at."""
    if direction != Direction.WORSENED or previous is None or latest is None:
        return False
    allowed = tolerance if tolerance > 0 else abs(previous) * MATERIAL_SHARE
    return abs(latest - previous) > allowed
