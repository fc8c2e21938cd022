"""Performance status rules: worked examples at the boundaries, and properties that must hold."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measures.performance import (
    DIRECTION_LABELS,
    DIRECTION_SYMBOLS,
    LOOK_BACK,
    RAG_LABELS,
    RAG_SYMBOLS,
    TRAJECTORY_LABELS,
    Basis,
    Comparison,
    Direction,
    Polarity,
    Rag,
    StatusCounts,
    TargetSpec,
    Trajectory,
    TrajectoryStatus,
    compared_with,
    count_directions,
    count_rag,
    direction_of_travel,
    direction_words,
    rag_status,
    trajectory_status,
    trajectory_value,
)
from measures.summary import summary_sentence

D = Decimal
HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER
BAND = Polarity.ON_TARGET_BAND
STEP = D("0.01")  # the smallest step in two-decimal data
TINY = D("1E-20")  # Decimal is exact, so even this step crosses a boundary

# Worse to better, for monotonicity; "no target" and "no data" are not on this scale.
RAG_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
FLIPPED = {
    Direction.IMPROVED: Direction.WORSENED,
    Direction.WORSENED: Direction.IMPROVED,
    Direction.NO_CHANGE: Direction.NO_CHANGE,
}

PROPERTY = settings(max_examples=200, deadline=None, database=None)
numbers = st.decimals(
    allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6
)
tolerances = st.decimals(
    allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**6
)
directed = st.sampled_from([HIGHER, LOWER])
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 12, 31))


@st.composite
def bands(draw: st.DrawFn) -> TargetSpec:
    """A band with lower <= upper and any tolerance."""
    lower, upper = sorted([draw(numbers), draw(numbers)])
    return TargetSpec(lower, draw(tolerances), upper)


@st.composite
def trajectories(draw: st.DrawFn) -> Trajectory:
    """A trajectory at least one day long."""
    start = draw(days)
    length = draw(st.integers(min_value=1, max_value=3650))
    return Trajectory(start, draw(numbers), start + timedelta(days=length), draw(numbers))


# --- RAG: worked examples ------------------------------------------------------------------------

TARGET = TargetSpec(D(80), D(5))  # e.g. 80% of calls answered, amber down to 75
CEILING = TargetSpec(D(20), D(5))  # e.g. 20 days to process, amber up to 25
RANGE = TargetSpec(D(40), D(2), D(60))  # e.g. 40-60 occupancy, amber 38-40 and 60-62


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(90), Rag.GREEN),
        (D(80), Rag.GREEN),  # exactly on target
        (D(80) - TINY, Rag.AMBER),
        (D(78), Rag.AMBER),
        (D(75), Rag.AMBER),  # exactly target - tolerance
        (D(75) - STEP, Rag.RED),
        (D(75) - TINY, Rag.RED),
        (D(-3), Rag.RED),
    ],
)
def test_higher_is_better_rag_at_the_boundaries(value: Decimal, expected: Rag) -> None:
    assert rag_status(value, TARGET, HIGHER) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(10), Rag.GREEN),
        (D(20), Rag.GREEN),  # exactly on target
        (D(20) + TINY, Rag.AMBER),
        (D(25), Rag.AMBER),  # exactly target + tolerance
        (D(25) + STEP, Rag.RED),
        (D(25) + TINY, Rag.RED),
        (D(1000), Rag.RED),
    ],
)
def test_lower_is_better_rag_mirrors_it(value: Decimal, expected: Rag) -> None:
    assert rag_status(value, CEILING, LOWER) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(40), Rag.GREEN),  # lower edge, inclusive
        (D(50), Rag.GREEN),
        (D(60), Rag.GREEN),  # upper edge, inclusive
        (D(40) - TINY, Rag.AMBER),
        (D(38), Rag.AMBER),  # lower edge - tolerance
        (D(38) - STEP, Rag.RED),
        (D(60) + TINY, Rag.AMBER),
        (D(62), Rag.AMBER),  # upper edge + tolerance
        (D(62) + STEP, Rag.RED),
        (D(0), Rag.RED),
        (D(100), Rag.RED),
    ],
)
def test_on_target_band_rag_at_both_edges(value: Decimal, expected: Rag) -> None:
    assert rag_status(value, RANGE, BAND) is expected


@pytest.mark.parametrize("polarity", list(Polarity))
def test_zero_tolerance_means_there_is_no_amber(polarity: Polarity) -> None:
    target = TargetSpec(D(10), upper=D(10) if polarity is BAND else None)
    assert rag_status(D(10), target, polarity) is Rag.GREEN
    worse = D(10) - STEP if polarity is HIGHER else D(10) + STEP
    assert rag_status(worse, target, polarity) is Rag.RED


def test_a_single_point_band_is_green_only_on_the_point() -> None:
    point = TargetSpec(D(5), D(1), D(5))
    assert rag_status(D(5), point, BAND) is Rag.GREEN
    assert rag_status(D(4), point, BAND) is Rag.AMBER
    assert rag_status(D(6) + STEP, point, BAND) is Rag.RED


def test_it_compares_decimals_of_different_precision_exactly() -> None:
    assert rag_status(D("80.000"), TargetSpec(D("80")), HIGHER) is Rag.GREEN
    assert rag_status(D("79.999"), TargetSpec(D("80"), D("0.001")), HIGHER) is Rag.AMBER


def test_it_ignores_an_upper_edge_for_a_directional_polarity() -> None:
    target = TargetSpec(D(10), D(0), D(20))
    assert rag_status(D(30), target, HIGHER) is Rag.GREEN
    assert rag_status(D(30), target, LOWER) is Rag.RED


@pytest.mark.parametrize("polarity", list(Polarity))
def test_no_value_is_no_data_even_without_a_target(polarity: Polarity) -> None:
    target = TargetSpec(D(1), upper=D(2))
    assert rag_status(None, target, polarity) is Rag.NO_DATA
    assert rag_status(None, None, polarity) is Rag.NO_DATA


@pytest.mark.parametrize("polarity", list(Polarity))
def test_no_target_is_no_target_not_green(polarity: Polarity) -> None:
    assert rag_status(D(100), None, polarity) is Rag.NO_TARGET


def test_a_negative_tolerance_is_refused() -> None:
    with pytest.raises(ValueError, match=r"tolerance must not be negative \(got -0\.01\)"):
        rag_status(D(1), TargetSpec(D(1), D("-0.01")), HIGHER)


def test_a_band_without_an_upper_edge_is_refused() -> None:
    with pytest.raises(ValueError, match="on-target band needs an upper edge"):
        rag_status(D(1), TargetSpec(D(1)), BAND)


def test_no_data_comes_before_checking_the_band() -> None:
    assert rag_status(None, TargetSpec(D(1)), BAND) is Rag.NO_DATA


def test_a_band_upside_down_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"upper edge \(4\) must not be below its lower edge \(5\)"
    ):
        TargetSpec(D(5), D(0), D(4))


def test_a_float_is_refused_because_the_arithmetic_is_decimal() -> None:
    with pytest.raises(TypeError, match=r"TargetSpec\.value must be a Decimal, not a float"):
        TargetSpec(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="value must be a Decimal, not a float"):
        rag_status(0.1, TargetSpec(D(1)), HIGHER)  # type: ignore[arg-type]


# --- RAG: properties -----------------------------------------------------------------------------


@PROPERTY
@given(value=numbers, target=numbers, tolerance=tolerances)
def test_lower_is_better_is_higher_is_better_negated(
    value: Decimal, target: Decimal, tolerance: Decimal
) -> None:
    assert rag_status(value, TargetSpec(target, tolerance), HIGHER) is rag_status(
        -value, TargetSpec(-target, tolerance), LOWER
    )


@PROPERTY
@given(value=numbers, band=bands())
def test_a_band_reflected_through_zero_gives_the_same_status(
    value: Decimal, band: TargetSpec
) -> None:
    assert band.upper is not None
    mirrored = TargetSpec(-band.upper, band.tolerance, -band.value)
    assert rag_status(value, band, BAND) is rag_status(-value, mirrored, BAND)


@PROPERTY
@given(a=numbers, b=numbers, target=numbers, tolerance=tolerances, polarity=directed)
def test_a_better_value_never_has_a_worse_rag(
    a: Decimal, b: Decimal, target: Decimal, tolerance: Decimal, polarity: Polarity
) -> None:
    worse, better = sorted([a, b]) if polarity is HIGHER else sorted([a, b], reverse=True)
    spec = TargetSpec(target, tolerance)
    assert (
        RAG_RANK[rag_status(worse, spec, polarity)] <= RAG_RANK[rag_status(better, spec, polarity)]
    )


@PROPERTY
@given(a=numbers, b=numbers, band=bands())
def test_a_value_nearer_the_band_never_has_a_worse_rag(
    a: Decimal, b: Decimal, band: TargetSpec
) -> None:
    assert band.upper is not None
    for edge in (band.value, band.upper):  # walking towards either edge from outside
        nearer, further = (a, b) if abs(a - edge) <= abs(b - edge) else (b, a)
        if (nearer - edge) * (further - edge) >= 0:  # same side of the edge
            assert (
                RAG_RANK[rag_status(nearer, band, BAND)]
                >= RAG_RANK[rag_status(further, band, BAND)]
            )


@PROPERTY
@given(value=numbers, target=numbers, tolerance=tolerances, polarity=st.sampled_from(Polarity))
def test_green_exactly_when_on_or_better_than_target(
    value: Decimal, target: Decimal, tolerance: Decimal, polarity: Polarity
) -> None:
    spec = TargetSpec(target, tolerance, target + D(3) if polarity is BAND else None)
    on_or_better = {
        HIGHER: value >= target,
        LOWER: value <= target,
        BAND: target <= value <= target + D(3),
    }[polarity]
    assert (rag_status(value, spec, polarity) is Rag.GREEN) == on_or_better


# --- Direction of travel: worked examples --------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        (D(81), D(80), HIGHER, Direction.IMPROVED),
        (D(79), D(80), HIGHER, Direction.WORSENED),
        (D(80), D("80.00"), HIGHER, Direction.NO_CHANGE),
        (D(80) + TINY, D(80), HIGHER, Direction.IMPROVED),
        (D(19), D(20), LOWER, Direction.IMPROVED),  # fewer days is better
        (D(21), D(20), LOWER, Direction.WORSENED),
        (D(20), D(20), LOWER, Direction.NO_CHANGE),
    ],
)
def test_direction_for_higher_and_lower_is_better(
    current: Decimal, previous: Decimal, polarity: Polarity, expected: Direction
) -> None:
    assert direction_of_travel(current, previous, polarity) is expected


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (D(45), D(55), Direction.NO_CHANGE),  # moving within the band
        (D(40), D(60), Direction.NO_CHANGE),  # edge to edge
        (D(39), D(40), Direction.WORSENED),  # left the band
        (D(50), D(61), Direction.IMPROVED),  # came back into it
        (D(63), D(35), Direction.IMPROVED),  # 3 above is nearer than 5 below
        (D(35), D(63), Direction.WORSENED),
        (D(37), D(63), Direction.NO_CHANGE),  # 3 below and 3 above: equal distance
    ],
)
def test_direction_in_a_band_is_by_distance_to_the_band(
    current: Decimal, previous: Decimal, expected: Direction
) -> None:
    assert direction_of_travel(current, previous, BAND, band=RANGE) is expected


@pytest.mark.parametrize(
    ("current", "previous", "places", "expected"),
    [
        (D("80.04"), D("80.01"), 1, Direction.NO_CHANGE),  # both 80.0
        (D("80.05"), D("80.04"), 1, Direction.IMPROVED),  # half up: 80.1 against 80.0
        (D("80.04"), D("80.01"), 2, Direction.IMPROVED),
        (D("80.4"), D("79.6"), 0, Direction.NO_CHANGE),  # both 80
        (D("-0.05"), D("-0.04"), 1, Direction.WORSENED),  # half up is away from zero: -0.1, 0.0
        (D("80.04"), D("80.01"), None, Direction.IMPROVED),
    ],
)
def test_direction_rounds_half_up_first_when_asked(
    current: Decimal, previous: Decimal, places: int | None, expected: Direction
) -> None:
    assert direction_of_travel(current, previous, HIGHER, places=places) is expected


@pytest.mark.parametrize("polarity", [HIGHER, LOWER])
@pytest.mark.parametrize(("current", "previous"), [(None, D(1)), (D(1), None), (None, None)])
def test_a_missing_value_is_not_comparable(
    current: Decimal | None, previous: Decimal | None, polarity: Polarity
) -> None:
    assert direction_of_travel(current, previous, polarity) is Direction.NOT_COMPARABLE
    assert direction_of_travel(current, previous, BAND, band=RANGE) is Direction.NOT_COMPARABLE


def test_direction_in_a_band_needs_the_band() -> None:
    with pytest.raises(ValueError, match=r"ON_TARGET_BAND needs the band \(band=...\)"):
        direction_of_travel(D(1), D(2), BAND)
    assert direction_of_travel(None, D(2), BAND) is Direction.NOT_COMPARABLE  # None comes first
    with pytest.raises(ValueError, match="on-target band needs an upper edge"):
        direction_of_travel(D(1), D(2), BAND, band=TargetSpec(D(1)))


def test_direction_ignores_a_band_for_a_directional_polarity() -> None:
    assert direction_of_travel(D(70), D(50), HIGHER, band=RANGE) is Direction.IMPROVED


# --- Direction of travel: properties -------------------------------------------------------------


@PROPERTY
@given(a=numbers, b=numbers, polarity=st.sampled_from(Polarity), band=bands())
def test_swapping_periods_flips_the_direction(
    a: Decimal, b: Decimal, polarity: Polarity, band: TargetSpec
) -> None:
    forwards = direction_of_travel(a, b, polarity, band=band)
    assert direction_of_travel(b, a, polarity, band=band) is FLIPPED[forwards]


@PROPERTY
@given(a=numbers, b=numbers)
def test_lower_is_better_is_the_opposite_of_higher_is_better(a: Decimal, b: Decimal) -> None:
    assert direction_of_travel(a, b, LOWER) is FLIPPED[direction_of_travel(a, b, HIGHER)]


@PROPERTY
@given(a=numbers, b=numbers, polarity=directed, target=numbers, tolerance=tolerances)
def test_an_improvement_never_worsens_the_rag(
    a: Decimal, b: Decimal, polarity: Polarity, target: Decimal, tolerance: Decimal
) -> None:
    spec = TargetSpec(target, tolerance)
    if direction_of_travel(a, b, polarity) is Direction.IMPROVED:
        assert RAG_RANK[rag_status(a, spec, polarity)] >= RAG_RANK[rag_status(b, spec, polarity)]


@PROPERTY
@given(a=numbers, b=numbers, band=bands())
def test_an_improvement_in_a_band_never_worsens_the_rag(
    a: Decimal, b: Decimal, band: TargetSpec
) -> None:
    if direction_of_travel(a, b, BAND, band=band) is Direction.IMPROVED:
        assert RAG_RANK[rag_status(a, band, BAND)] >= RAG_RANK[rag_status(b, band, BAND)]


@PROPERTY
@given(a=numbers, b=numbers, polarity=directed, places=st.integers(min_value=2, max_value=6))
def test_rounding_to_the_data_precision_or_finer_changes_nothing(
    a: Decimal, b: Decimal, polarity: Polarity, places: int
) -> None:
    rounded = direction_of_travel(a, b, polarity, places=places)
    assert rounded is direction_of_travel(a, b, polarity)


# --- What a direction of travel compares with: worked examples ----------------------------------

N = None


@pytest.mark.parametrize(
    ("earlier", "year_on_year", "expected"),
    [
        ([D(5), D(4), D(3), D(2)], False, Comparison(1, Basis.PREVIOUS)),
        ([N, D(4), D(3), D(2)], False, Comparison(2, Basis.LATEST_EARLIER)),  # one quarter missing
        ([N, N, N, D(2)], False, Comparison(4, Basis.LATEST_EARLIER)),
        ([N, N, N, N, D(1)], False, None),  # more than a year back: too old to compare with
        ([], False, None),  # the first period there is
        ([D(5), D(4), D(3), D(2)], True, Comparison(4, Basis.SAME_PERIOD_LAST_YEAR)),
        ([D(5), D(4), D(3), N], True, None),  # seasonal: another quarter will not do
        ([D(5), D(4)], True, None),
    ],
)
def test_the_comparison_is_the_latest_earlier_figure_or_the_same_quarter_a_year_before(
    earlier: list[Decimal | None], year_on_year: bool, expected: Comparison | None
) -> None:
    assert compared_with(earlier, per_year=4, year_on_year=year_on_year) == expected


def test_a_yearly_figure_compares_with_the_latest_earlier_year_even_when_seasonal() -> None:
    assert compared_with([D(1)], per_year=1, year_on_year=True) == Comparison(1, Basis.PREVIOUS)
    assert compared_with([N, D(1)], per_year=1) == Comparison(2, Basis.LATEST_EARLIER)
    with pytest.raises(ValueError, match="at least one period"):
        compared_with([D(1)], per_year=0)


@pytest.mark.parametrize(
    ("direction", "basis", "skipped", "expected"),
    [
        (Direction.IMPROVED, Basis.PREVIOUS, (), "Improved since 2025/26 Q3"),
        (
            Direction.IMPROVED,
            Basis.LATEST_EARLIER,
            ("2025/26 Q4",),
            "Improved since 2025/26 Q3 (no figure for 2025/26 Q4)",
        ),
        (
            Direction.WORSENED,
            Basis.LATEST_EARLIER,
            ("2025/26 Q4", "2026/27 Q1", "2026/27 Q2"),
            "Worsened since 2025/26 Q3 (no figures for 2025/26 Q4, 2026/27 Q1 or 2026/27 Q2)",
        ),
        (
            Direction.NO_CHANGE,
            Basis.SAME_PERIOD_LAST_YEAR,
            (),
            "No change since 2025/26 Q3, the same quarter last year",
        ),
        (Direction.NOT_COMPARABLE, Basis.PREVIOUS, (), "Not comparable"),
        (Direction.IMPROVED, Basis.NONE, (), "Improved"),
    ],
)
def test_the_direction_in_words_says_what_it_compared(
    direction: Direction, basis: Basis, skipped: tuple[str, ...], expected: str
) -> None:
    assert direction_words(direction, basis, compared="2025/26 Q3", skipped=skipped) == expected


# --- What a direction of travel compares with: properties ---------------------------------------

figures = st.lists(st.one_of(st.none(), numbers), max_size=8)


@PROPERTY
@given(earlier=figures)
def test_the_comparison_is_the_nearest_figure_within_look_back(
    earlier: list[Decimal | None],
) -> None:
    found = compared_with(earlier, per_year=4)
    window = earlier[:LOOK_BACK]
    if found is None:
        assert all(figure is None for figure in window)
        return
    assert earlier[found.back - 1] is not None
    assert all(figure is None for figure in earlier[: found.back - 1])  # nothing nearer
    assert found.basis is (Basis.PREVIOUS if found.back == 1 else Basis.LATEST_EARLIER)


@PROPERTY
@given(earlier=figures)
def test_a_seasonal_comparison_is_always_a_year_back(earlier: list[Decimal | None]) -> None:
    found = compared_with(earlier, per_year=4, year_on_year=True)
    has_last_year = len(earlier) >= 4 and earlier[3] is not None
    assert found == (Comparison(4, Basis.SAME_PERIOD_LAST_YEAR) if has_last_year else None)


# --- Trajectory: worked examples -----------------------------------------------------------------

# From 60 on 1 April 2024 to 80 on 31 March 2025 (364 days).
LINE = Trajectory(date(2024, 4, 1), D(60), date(2025, 3, 31), D(80))


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (date(2023, 1, 1), D(60)),  # before the start: held at the start
        (date(2024, 4, 1), D(60)),
        (date(2024, 9, 30), D(60) + D(20) * D(182) / D(364)),  # halfway
        (date(2025, 3, 31), D(80)),
        (date(2030, 1, 1), D(80)),  # after it is due: held at the target
    ],
)
def test_trajectory_value_is_a_straight_line_held_flat_outside_it(
    at: date, expected: Decimal
) -> None:
    assert trajectory_value(LINE, at) == expected


def test_trajectory_value_is_not_rounded() -> None:
    thirds = Trajectory(date(2024, 1, 1), D(0), date(2024, 1, 4), D(1))
    assert trajectory_value(thirds, date(2024, 1, 2)) == D(1) / D(3)
    assert trajectory_value(LINE, date(2024, 9, 30)) == D(70)


def test_a_falling_trajectory_interpolates_downwards() -> None:
    falling = Trajectory(date(2024, 1, 1), D(30), date(2024, 1, 11), D(10))
    assert trajectory_value(falling, date(2024, 1, 3)) == D(26)


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (D(70), HIGHER, TrajectoryStatus.ON_TRACK),  # exactly on the line
        (D(70) - TINY, HIGHER, TrajectoryStatus.OFF_TRACK),
        (D(75), HIGHER, TrajectoryStatus.ON_TRACK),
        (D(70), LOWER, TrajectoryStatus.ON_TRACK),
        (D(70) + TINY, LOWER, TrajectoryStatus.OFF_TRACK),
        (D(65), LOWER, TrajectoryStatus.ON_TRACK),
    ],
)
def test_trajectory_status_against_the_line(
    value: Decimal, polarity: Polarity, expected: TrajectoryStatus
) -> None:
    assert trajectory_status(value, date(2024, 9, 30), LINE, polarity) is expected


@pytest.mark.parametrize("polarity", list(Polarity))
def test_no_trajectory_comes_before_no_data(polarity: Polarity) -> None:
    assert trajectory_status(D(1), date(2024, 1, 1), None, polarity) is (
        TrajectoryStatus.NO_TRAJECTORY
    )
    assert trajectory_status(None, date(2024, 1, 1), None, polarity) is (
        TrajectoryStatus.NO_TRAJECTORY
    )


@pytest.mark.parametrize("polarity", [HIGHER, LOWER])
def test_no_value_on_a_trajectory_is_no_data(polarity: Polarity) -> None:
    assert trajectory_status(None, date(2024, 9, 30), LINE, polarity) is TrajectoryStatus.NO_DATA


def test_a_band_cannot_have_a_trajectory() -> None:
    with pytest.raises(ValueError, match="a trajectory needs a direction"):
        trajectory_status(D(70), date(2024, 9, 30), LINE, BAND)
    assert trajectory_status(None, date(2024, 9, 30), LINE, BAND) is TrajectoryStatus.NO_DATA


@pytest.mark.parametrize("due", [date(2024, 4, 1), date(2024, 3, 31)])
def test_a_trajectory_must_end_after_it_starts(due: date) -> None:
    with pytest.raises(ValueError, match=r"start date \(2024-04-01\) must be before its due date"):
        Trajectory(date(2024, 4, 1), D(60), due, D(80))


# --- Trajectory: properties ----------------------------------------------------------------------


@PROPERTY
@given(trajectory=trajectories(), offset=st.integers(min_value=-400, max_value=4000))
def test_trajectory_value_stays_between_its_ends(trajectory: Trajectory, offset: int) -> None:
    low, high = sorted([trajectory.start_value, trajectory.value])
    assert low <= trajectory_value(trajectory, trajectory.start_date + timedelta(offset)) <= high


@PROPERTY
@given(trajectory=trajectories(), before=st.integers(min_value=0, max_value=400))
def test_trajectory_value_equals_its_ends_at_and_beyond_the_dates(
    trajectory: Trajectory, before: int
) -> None:
    start, due = trajectory.start_date, trajectory.due_date
    assert trajectory_value(trajectory, start) == trajectory.start_value
    assert trajectory_value(trajectory, start - timedelta(before)) == trajectory.start_value
    assert trajectory_value(trajectory, due) == trajectory.value
    assert trajectory_value(trajectory, due + timedelta(before)) == trajectory.value


@PROPERTY
@given(trajectory=trajectories(), a=st.integers(0, 4000), b=st.integers(0, 4000))
def test_trajectory_value_moves_one_way_only(trajectory: Trajectory, a: int, b: int) -> None:
    earlier, later = sorted([a, b])
    first = trajectory_value(trajectory, trajectory.start_date + timedelta(earlier))
    second = trajectory_value(trajectory, trajectory.start_date + timedelta(later))
    if trajectory.value >= trajectory.start_value:
        assert first <= second
    else:
        assert first >= second


@PROPERTY
@given(trajectory=trajectories(), a=numbers, b=numbers, offset=st.integers(-400, 4000))
def test_a_better_value_is_never_less_on_track(
    trajectory: Trajectory, a: Decimal, b: Decimal, offset: int
) -> None:
    at = trajectory.start_date + timedelta(offset)
    lower, higher = sorted([a, b])
    on = TrajectoryStatus.ON_TRACK
    if trajectory_status(lower, at, trajectory, HIGHER) is on:
        assert trajectory_status(higher, at, trajectory, HIGHER) is on
    if trajectory_status(higher, at, trajectory, LOWER) is on:
        assert trajectory_status(lower, at, trajectory, LOWER) is on


@PROPERTY
@given(trajectory=trajectories(), value=numbers, offset=st.integers(-400, 4000))
def test_lower_is_better_trajectory_is_higher_is_better_negated(
    trajectory: Trajectory, value: Decimal, offset: int
) -> None:
    at = trajectory.start_date + timedelta(offset)
    negated = Trajectory(
        trajectory.start_date, -trajectory.start_value, trajectory.due_date, -trajectory.value
    )
    assert trajectory_status(value, at, trajectory, HIGHER) is trajectory_status(
        -value, at, negated, LOWER
    )


# --- Labels and symbols --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mapping", "kind"),
    [
        (RAG_LABELS, Rag),
        (RAG_SYMBOLS, Rag),
        (DIRECTION_LABELS, Direction),
        (DIRECTION_SYMBOLS, Direction),
        (TRAJECTORY_LABELS, TrajectoryStatus),
    ],
)
def test_every_status_has_a_label_or_symbol(
    mapping: dict[StrEnum, str], kind: type[StrEnum]
) -> None:
    assert set(mapping) == set(kind)
    assert all(text.strip() for text in mapping.values())


def test_symbols_tell_statuses_apart_without_colour() -> None:
    assert len(set(RAG_SYMBOLS.values())) == len(Rag)
    assert len(set(DIRECTION_SYMBOLS.values())) == len(Direction)


def test_the_labels_say_what_the_domain_document_says() -> None:
    assert RAG_LABELS[Rag.GREEN] == "On or better than target"
    assert RAG_LABELS[Rag.AMBER] == "Close to target"
    assert RAG_LABELS[Rag.RED] == "Off target"
    assert [DIRECTION_LABELS[d] for d in Direction] == [
        "Improved",
        "No change",
        "Worsened",
        "Not comparable",
    ]
    assert DIRECTION_SYMBOLS[Direction.IMPROVED] == "\u25b2"
    assert DIRECTION_SYMBOLS[Direction.WORSENED] == "\u25bc"


# --- Counts and summaries ------------------------------------------------------------------------


def test_count_rag_counts_each_status() -> None:
    counts = count_rag([Rag.GREEN, Rag.RED, Rag.GREEN, Rag.NO_DATA, Rag.AMBER, Rag.NO_TARGET])
    assert counts == StatusCounts(green=2, amber=1, red=1, no_target=1, no_data=1)
    assert counts.total == 6
    assert counts.on_or_better == 2


def test_count_rag_of_nothing_is_all_zero() -> None:
    assert count_rag([]) == StatusCounts(0, 0, 0, 0, 0)
    assert count_rag(iter([])).total == 0


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match=r"StatusCounts\.red must not be negative"):
        StatusCounts(green=1, amber=0, red=-1, no_target=0, no_data=0)


def test_count_directions_has_every_key() -> None:
    assert count_directions([Direction.IMPROVED, Direction.IMPROVED, Direction.WORSENED]) == {
        Direction.IMPROVED: 2,
        Direction.NO_CHANGE: 0,
        Direction.WORSENED: 1,
        Direction.NOT_COMPARABLE: 0,
    }
    assert count_directions([]) == dict.fromkeys(Direction, 0)


@PROPERTY
@given(statuses=st.lists(st.sampled_from(Rag)), directions=st.lists(st.sampled_from(Direction)))
def test_counts_add_up_to_what_was_counted(
    statuses: list[Rag], directions: list[Direction]
) -> None:
    assert count_rag(statuses).total == len(statuses)
    assert count_rag(statuses).on_or_better == statuses.count(Rag.GREEN)
    assert sum(count_directions(directions).values()) == len(directions)


def test_the_summary_gives_every_count_bad_and_good_alike() -> None:
    counts = StatusCounts(green=9, amber=2, red=1, no_target=1, no_data=1)
    directions = {Direction.IMPROVED: 3, Direction.WORSENED: 4, Direction.NOT_COMPARABLE: 2}
    assert summary_sentence(counts, directions, missing=2) == (
        "Of 14 indicators, 9 on or better than target, 2 close to target, 1 off target, "
        "1 with no target and 1 with no data; 3 improved, 0 unchanged and 4 worsened on their "
        "previous figure (2 not comparable); 2 returns missing."
    )


def test_the_summary_uses_the_singular_for_one() -> None:
    counts = StatusCounts(green=1, amber=0, red=0, no_target=0, no_data=0)
    assert summary_sentence(counts, count_directions([Direction.IMPROVED]), missing=1) == (
        "Of 1 indicator, 1 on or better than target, 0 close to target and 0 off target; "
        "1 improved, 0 unchanged and 0 worsened on their previous figure; 1 return missing."
    )


def test_an_all_bad_summary_says_so_and_leaves_nothing_out() -> None:
    counts = StatusCounts(green=0, amber=0, red=3, no_target=0, no_data=0)
    directions = count_directions([Direction.WORSENED] * 3)
    assert summary_sentence(counts, directions, missing=0) == (
        "Of 3 indicators, 0 on or better than target, 0 close to target and 3 off target; "
        "0 improved, 0 unchanged and 3 worsened on their previous figure; no returns missing."
    )


def test_an_all_unjudged_summary_says_why() -> None:
    counts = StatusCounts(green=0, amber=0, red=0, no_target=2, no_data=1)
    directions = count_directions([Direction.NOT_COMPARABLE] * 3)
    assert summary_sentence(counts, directions, missing=1) == (
        "Of 3 indicators, 0 on or better than target, 0 close to target, 0 off target, "
        "2 with no target and 1 with no data; 0 improved, 0 unchanged and 0 worsened on their "
        "previous figure (3 not comparable); 1 return missing."
    )


def test_the_summary_copes_with_directions_missing_a_key() -> None:
    counts = StatusCounts(green=1, amber=1, red=0, no_target=0, no_data=0)
    assert summary_sentence(counts, {}, missing=0).startswith("Of 2 indicators, 1 on or better")


def test_the_summary_with_no_indicators() -> None:
    empty = count_rag([])
    assert summary_sentence(empty, count_directions([]), missing=0) == "No indicators to report."
    assert summary_sentence(empty, count_directions([]), missing=1) == (
        "No indicators to report; 1 return missing."
    )


def test_the_summary_refuses_a_negative_missing_count() -> None:
    with pytest.raises(ValueError, match=r"missing returns must not be negative \(got -1\)"):
        summary_sentence(count_rag([Rag.GREEN]), {}, missing=-1)


def test_the_summary_is_deterministic() -> None:
    statuses = [Rag.GREEN, Rag.RED, Rag.AMBER]
    directions = [Direction.IMPROVED, Direction.NO_CHANGE, Direction.NOT_COMPARABLE]
    sentences = {
        summary_sentence(count_rag(statuses), count_directions(directions), 1),
        summary_sentence(count_rag(reversed(statuses)), count_directions(reversed(directions)), 1),
    }
    assert sentences == {
        "Of 3 indicators, 1 on or better than target, 1 close to target and 1 off target; "
        "1 improved, 1 unchanged and 0 worsened on their previous figure (1 not comparable); "
        "1 return missing."
    }
