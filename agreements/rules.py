"""The rules for one agreed measure, as typed on the page or in a spreadsheet row: each figure a
number the indicator can hold, a band the right way up, a tolerance that keeps "close to
target" beside the target, and a quarterly profile that reaches the year's target where it
must. Pure: no database. The services, the page and the upload all use these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.formatting import format_value
from measures.models import Indicator, IndicatorFrequency, IndicatorPolarity
from measures.validation import NotANumber, figure_errors, number_from_text, value_errors

QUARTERS = ("q1", "q2", "q3", "q4")
FIGURES = ("target", "upper", *QUARTERS, "tolerance")
LABELS = {
    "reported": "Reported this year",
    "target": "Annual target",
    "upper": "Band's upper edge",
    "q1": "Q1 profile",
    "q2": "Q2 profile",
    "q3": "Q3 profile",
    "q4": "Q4 profile",
    "tolerance": "Tolerance",
    "polarity": "Polarity",
    "note": "Note",
}
MAX_NOTE = 2000


@dataclass
class MeasureInput:
    """One measure's figures once read, and every problem found, by field."""

    reported: bool
    figures: dict[str, Decimal | None] = field(default_factory=dict)
    polarity: str = ""
    note: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def measure_read(indicator: Indicator, cells: Mapping[str, str], *, reported: bool) -> MeasureInput:
    """Read and check one measure's cells (text as typed). A measure not reported this year
    carries nothing, whatever its cells say."""
    measure = MeasureInput(reported=reported)
    if not reported:
        return measure
    for name in FIGURES:
        measure.figures[name] = _number(indicator, measure, name, cells.get(name, ""))
    measure.polarity = (cells.get("polarity") or "").strip() or indicator.polarity
    if measure.polarity not in IndicatorPolarity.values:
        measure.add("polarity", "Choose higher is better, lower is better or within a band")
    measure.note = (cells.get("note") or "").strip()
    if len(measure.note) > MAX_NOTE:
        measure.add("note", f"Keep the note to {MAX_NOTE:,} characters or fewer")
    if not measure.errors:
        _check_band(indicator, measure)
        _check_tolerance(indicator, measure)
        _check_profile(indicator, measure)
    return measure


def _number(indicator: Indicator, measure: MeasureInput, name: str, text: str) -> Decimal | None:
    label = LABELS[name]
    try:
        number = number_from_text(text, unit=indicator.unit)
    except NotANumber as error:
        measure.add(name, error.for_field(label))
        return None
    if number is None:
        return None
    problems = figure_errors(number) if name == "tolerance" else value_errors(indicator, number)
    for problem in problems:
        measure.add(name, f"{label}: {problem[0].lower()}{problem[1:]}")
    return None if problems else number


def _check_band(indicator: Indicator, measure: MeasureInput) -> None:
    target, upper = measure.figures["target"], measure.figures["upper"]
    if measure.polarity == IndicatorPolarity.ON_TARGET_BAND:
        if target is not None and upper is None:
            measure.add("upper", "A measure judged within a band needs the band's upper edge")
        elif target is not None and upper is not None and upper < target:
            measure.add(
                "upper",
                f"The band's upper edge ({_shown(indicator, upper)}) is below its lower edge, "
                f"the target ({_shown(indicator, target)}): swap them",
            )
    elif upper is not None:
        measure.add(
            "upper",
            "Only a measure judged within a band has an upper edge: leave it blank, "
            "or choose 'within a target band'",
        )
    if target is None and upper is not None:
        measure.add("target", "Enter the band's lower edge as the annual target")


def _check_tolerance(indicator: Indicator, measure: MeasureInput) -> None:
    """ "Close to target" is the stretch just short of the target (a band widened on both
    sides): a negative tolerance turns it inside out, and one as large as the target counts
    nothing at all as off target."""
    target, tolerance = measure.figures["target"], measure.figures["tolerance"]
    if tolerance is None:
        return
    if tolerance < 0:
        measure.add(
            "tolerance",
            "A tolerance is how far short of target still counts as close: "
            "enter it as a positive number, or 0 for none",
        )
    elif target is None and tolerance > 0:
        measure.add("tolerance", "Enter the annual target before its tolerance")
    elif (
        target is not None
        and measure.polarity == IndicatorPolarity.HIGHER_IS_BETTER
        and target > 0
        and tolerance >= target
    ):
        measure.add(
            "tolerance",
            f"A tolerance of {_shown(indicator, tolerance)} would count a value of 0 as close to "
            f"the target of {_shown(indicator, target)}: enter a tolerance smaller than the target",
        )


def _check_profile(indicator: Indicator, measure: MeasureInput) -> None:
    profile = [measure.figures[name] for name in QUARTERS]
    given = [name for name, value in zip(QUARTERS, profile, strict=True) if value is not None]
    if not given:
        return
    if indicator.frequency == IndicatorFrequency.ANNUAL:
        measure.add(
            given[0],
            f"{indicator.code} is reported once a year, so it has no "
            "quarterly profile: leave the quarters blank",
        )
        return
    target = measure.figures["target"]
    if target is None:
        measure.add(given[0], "Enter the annual target before its quarterly profile")
        return
    if indicator.cumulative:
        full = profile_of(indicator, target, profile)
        if full[3] is not None and full[3] != target:
            measure.add(
                "q4",
                f"{indicator.code} is a year-to-date total, so Q4's profile is the year's total: "
                f"{_shown(indicator, full[3])} is not the annual target "
                f"{_shown(indicator, target)}",
            )
        for name, before, after in zip(QUARTERS[1:], full, full[1:], strict=False):
            if before is not None and after is not None and after < before:
                measure.add(
                    name,
                    f"A year-to-date profile cannot fall: {LABELS[name]} "
                    f"({_shown(indicator, after)}) is below the quarter before "
                    f"({_shown(indicator, before)})",
                )


def profile_of(
    indicator: Indicator,
    target: Decimal,
    profile: list[Decimal | None] | None = None,
    *,
    follows_trajectory: bool = False,
) -> list[Decimal | None]:
    """The four quarters' targets: those given, and for each blank one the default: for an
    indicator with a dated trajectory, none (its straight line judges the quarter); for a
    year-to-date total, the year's target in equal steps (Q4 is the year's target); for any
    other measure, the annual target itself (the level to reach each quarter)."""
    given = profile or [None] * 4
    if follows_trajectory:
        return list(given)
    step = Decimal(1).scaleb(-indicator.decimal_places)
    defaults = (
        [(target * n / 4).quantize(step, rounding=ROUND_HALF_UP) for n in (1, 2, 3)] + [target]
        if indicator.cumulative
        else [target] * 4
    )
    return [g if g is not None else d for g, d in zip(given, defaults, strict=True)]


def _shown(indicator: Indicator, number: Decimal) -> str:
    return format_value(number, unit=indicator.unit, places=indicator.decimal_places)


def profile_text(
    indicator: Indicator,
    target: Decimal | None,
    profile: list[Decimal | None],
    *,
    follows_trajectory: bool = False,
) -> str:
    """ "Q1 375 · Q2 750 · Q3 1,125 · Q4 1,500", the profile as it judges (defaults filled)."""
    if target is None or indicator.frequency == IndicatorFrequency.ANNUAL:
        return ""
    full = profile_of(indicator, target, profile, follows_trajectory=follows_trajectory)
    if full[0] is not None and all(value == full[0] for value in full):
        return f"{_shown(indicator, full[0])} each quarter"
    return " · ".join(
        f"Q{n} {_shown(indicator, value) if value is not None else 'on the trajectory'}"
        for n, value in enumerate(full, start=1)
    )


def reported_answer(text: str) -> bool | None:
    """ "Reported this year?" as typed in a cell: yes (True), no (False), or neither (None)."""
    answer = str(text).strip().casefold()
    if answer in ("yes", "y", "true", "1"):
        return True
    if answer in ("no", "n", "false", "0"):
        return False
    return None
