"""Small SVG line charts drawn without a browser: one geometry for the dashboards' sparklines
and the reports' trend charts (core/trend_chart.py), so both scale, place, round and break
lines at gaps the same way.

Scales start at zero unless zero would flatten the line, and then the chart says where they
start. Every chart says its values in words (aria-label and <title>), every piece of text in it
is escaped, and colour never carries meaning alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

Point = tuple[Decimal, Decimal]
NOT_ENOUGH_DATA = "Not enough data"
TEXT_COLOUR = "#0b0c0c"
TARGET_COLOUR = "#505a5f"
ZERO = Decimal(0)
# A line whose values spread over less than this share of their size would look flat on a
# scale from zero: its scale then spans this share around them, and the chart says so.
FLAT_SHARE = Decimal("0.1")


@dataclass(frozen=True)
class Box:
    """Where the line may go: the drawing's size less its padding on each side."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def x_range(self) -> tuple[Decimal, Decimal]:
        return Decimal(self.left), Decimal(self.width - self.right)

    @property
    def y_range(self) -> tuple[Decimal, Decimal]:
        return Decimal(self.top), Decimal(self.height - self.bottom)


def coordinate(number: Decimal) -> str:
    """An SVG coordinate with at most two decimal places and no trailing zeros."""
    text = f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Scale:
    """The scale's lowest and highest values, and how a value maps to y."""

    low: Decimal
    high: Decimal
    box: Box

    def y(self, value: Decimal) -> Decimal:
        top, bottom = self.box.y_range
        if self.high == self.low:
            return Decimal(self.box.height) / 2
        return top + (self.high - value) / (self.high - self.low) * (bottom - top)

    def clipped(self, value: Decimal) -> Decimal:
        return min(max(value, self.low), self.high)


def _step(span: Decimal) -> Decimal:
    """A round step for a scale this wide: half a power of ten (0.5, 5, 50 …)."""
    return Decimal(1).scaleb(span.adjusted()) / 2


def _rounded_to(value: Decimal, step: Decimal, rounding: str) -> Decimal:
    return (value / step).to_integral_value(rounding=rounding) * step


def scale_for(
    values: Sequence[Decimal | None], box: Box, *, also: Sequence[Decimal] = (), unit: str = ""
) -> Scale:
    """The scale for the values and `also` (a target), in round numbers: from zero, unless
    they differ by under FLAT_SHARE of their size (then FLAT_SHARE wide around them); a
    percentage stops at 100 unless a value is above it; yes or no runs from 0 to 1."""
    known = [*(v for v in values if v is not None), *also]
    if unit == "yes_no":
        return Scale(ZERO, Decimal(1), box)
    low, high = min(known), max(known)
    size = max(abs(low), abs(high))
    if low < high and high - low < size * FLAT_SHARE:
        middle, span = (low + high) / 2, size * FLAT_SHARE
        low, high = middle - span / 2, middle + span / 2
    else:
        low, high = min(low, ZERO), max(high, ZERO) or Decimal(1)
        span = high - low
    step = _step(span)
    low, high = _rounded_to(low, step, ROUND_FLOOR), _rounded_to(high, step, ROUND_CEILING)
    if unit == "percentage" and max(known) <= 100:
        high = min(high, Decimal(100))
    return Scale(low, high, box)


def scale_note(scale: Scale, axis_text: Callable[[Decimal], str]) -> str:
    """Where the scale starts, in words, when it leaves out zero ("" when it includes it)."""
    if scale.low > ZERO:
        return f"Scale starts at {axis_text(scale.low)}, not zero."
    if scale.high < ZERO:
        return f"Scale stops at {axis_text(scale.high)}, not zero."
    return ""


def place(values: Sequence[Decimal | None], scale: Scale) -> list[Point | None]:
    """Each value's (x, y), evenly spaced across the box, None where there is no value."""
    left, right = scale.box.x_range
    step = (right - left) / Decimal(max(len(values) - 1, 1))
    return [
        None if value is None else (left + step * index, scale.y(value))
        for index, value in enumerate(values)
    ]


def runs(points: Sequence[Point | None]) -> list[list[Point]]:
    """The points split into runs without gaps: a missing value breaks the line."""
    found: list[list[Point]] = [[]]
    for point in points:
        if point is None:
            if found[-1]:
                found.append([])
        else:
            found[-1].append(point)
    return [run for run in found if run]


def polylines(lines: list[list[Point]], colour: str) -> SafeString:
    return format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="1.5" '
        'stroke-linejoin="round" stroke-linecap="round"/>',
        (
            (" ".join(f"{coordinate(x)},{coordinate(y)}" for x, y in run), colour)
            for run in lines
            if len(run) > 1
        ),
    )


def dot(point: Point, radius: str, colour: str) -> SafeString:
    return format_html(
        '<circle cx="{}" cy="{}" r="{}" fill="{}"/>',
        coordinate(point[0]),
        coordinate(point[1]),
        radius,
        colour,
    )


def target_line(scale: Scale, target: Decimal, width: str) -> SafeString:
    left, right = (coordinate(x) for x in scale.box.x_range)
    return format_html(
        '<line class="chart-target" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" '
        'stroke-width="{}" stroke-dasharray="4 3"/>',
        *(left, right, TARGET_COLOUR, width),
        y=coordinate(scale.y(target)),
    )


def sparkline_svg(
    values: Sequence[Decimal | None],
    *,
    label: str,
    width: int = 96,
    height: int = 24,
    value_format: Callable[[Decimal], str] = str,
    target: Decimal | None = None,
    unit: str = "",
) -> SafeString:
    """A small inline line of the values for a table cell, on the trend chart's scale (from zero
    unless its label says otherwise), the target dashed, its numbers spoken through its label;
    the latest value is a dot, and so is a value standing alone between gaps."""
    if sum(v is not None for v in values) < 2:
        return format_html(
            '<span class="app-sparkline app-sparkline--empty">{}</span>', NOT_ENOUGH_DATA
        )
    box = Box(width, height, 2, 2, 2, 2)
    scale = scale_for(values, box, also=[] if target is None else [target], unit=unit)
    spoken = ", ".join("no data" if v is None else value_format(v) for v in values)
    aimed = "" if target is None else f"; target {value_format(target)}"
    note = scale_note(scale, value_format)
    text = f"{label}: {spoken}{aimed}" + (f". {note}" if note else "")
    lines = runs(place(values, scale))
    lone = SafeString(
        "".join(dot(run[0], "1.5", "currentColor") for run in lines[:-1] if len(run) == 1)
    )
    return format_html(
        '<svg class="app-sparkline" role="img" aria-label="{}" width="{}" height="{}" '
        'viewBox="0 0 {} {}" focusable="false"><title>{}</title>{}{}{}{}</svg>',
        text,
        width,
        height,
        width,
        height,
        text,
        SafeString("") if target is None else target_line(scale, target, "0.8"),
        polylines(lines, "currentColor"),
        lone,
        dot(lines[-1][-1], "2", "currentColor"),
    )
