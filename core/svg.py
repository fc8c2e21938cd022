"""Small SVG line charts drawn without a browser: one geometry for the dashboards' sparklines
and the reports' trend charts, so both place, round and break lines at gaps the same way.

Every chart says its values in words (aria-label and <title>), every piece of text in it is
escaped, and colour never carries meaning alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

Point = tuple[Decimal, Decimal]
NOT_ENOUGH_DATA = "Not enough data"
TEXT_COLOUR = "#0b0c0c"
TARGET_COLOUR = "#505a5f"


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
    """The values' lowest and highest (with any reference line), and how a value maps to y."""

    low: Decimal
    high: Decimal
    box: Box

    def y(self, value: Decimal) -> Decimal:
        top, bottom = self.box.y_range
        if self.high == self.low:
            return Decimal(self.box.height) / 2
        return top + (self.high - value) / (self.high - self.low) * (bottom - top)


def scale_for(
    values: Sequence[Decimal | None], box: Box, *, also: Sequence[Decimal] = (), pad_flat: bool
) -> Scale:
    """The scale that fits the values and `also` (a target line). A flat series sits at mid
    height, or with pad_flat is given a little room above and below (so axes can be labelled)."""
    known = [*(v for v in values if v is not None), *also]
    low, high = min(known), max(known)
    if low == high and pad_flat:
        spread = abs(low) / 10 or Decimal(1)
        low, high = low - spread, high + spread
    return Scale(low, high, box)


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


def _polylines(lines: list[list[Point]], colour: str) -> SafeString:
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


def _dot(point: Point, radius: str, colour: str) -> SafeString:
    return format_html(
        '<circle cx="{}" cy="{}" r="{}" fill="{}"/>',
        coordinate(point[0]),
        coordinate(point[1]),
        radius,
        colour,
    )


def sparkline_svg(
    values: Sequence[Decimal | None],
    *,
    label: str,
    width: int = 96,
    height: int = 24,
    value_format: Callable[[Decimal], str] = str,
) -> SafeString:
    """A small inline line of the values for a table cell, its numbers spoken through its label;
    the latest value is a dot, and so is a value standing alone between gaps."""
    if sum(v is not None for v in values) < 2:
        return format_html(
            '<span class="app-sparkline app-sparkline--empty">{}</span>', NOT_ENOUGH_DATA
        )
    spoken = ", ".join("no data" if v is None else value_format(v) for v in values)
    text = f"{label}: {spoken}"
    box = Box(width, height, 2, 2, 2, 2)
    lines = runs(place(values, scale_for(values, box, pad_flat=False)))
    lone = SafeString(
        "".join(_dot(run[0], "1.5", "currentColor") for run in lines[:-1] if len(run) == 1)
    )
    return format_html(
        '<svg class="app-sparkline" role="img" aria-label="{}" width="{}" height="{}" '
        'viewBox="0 0 {} {}" focusable="false"><title>{}</title>{}{}{}</svg>',
        text,
        width,
        height,
        width,
        height,
        text,
        _polylines(lines, "currentColor"),
        lone,
        _dot(lines[-1][-1], "2", "currentColor"),
    )


def trend_svg(
    values: Sequence[Decimal | None],
    *,
    first_label: str,
    last_label: str,
    words: str,
    axis_text: Callable[[Decimal], str],
    target: Decimal | None = None,
    width: int = 220,
    height: int = 70,
) -> SafeString | None:
    """A trend chart for a printed report: the values as a line with a dot each (the latest
    larger), the target as a dashed line, the y axis labelled with its lowest and highest
    values and the x axis with the first and last periods. None with fewer than two values."""
    if sum(v is not None for v in values) < 2:
        return None
    box = Box(width, height, 40, 8, 8, 14)
    also = [target] if target is not None else []
    scale = scale_for(values, box, also=also, pad_flat=True)
    points = [point for point in place(values, scale) if point is not None]
    left, right = box.x_range
    top, bottom = box.y_range
    dots = SafeString(
        "".join(_dot(point, "3" if point == points[-1] else "1.8", TEXT_COLOUR) for point in points)
    )
    reference = SafeString("")
    if target is not None:
        target_y = coordinate(scale.y(target))
        reference = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.2" '
            'stroke-dasharray="4 3"/>',
            coordinate(left),
            target_y,
            coordinate(right),
            target_y,
            TARGET_COLOUR,
        )
    axis_x = coordinate(left - 3)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        'aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}">'
        "<title>{}</title>"
        '<g font-family="DejaVu Sans, Arial, sans-serif" font-size="7" fill="{}">'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="start">{}</text>'
        '<text x="{}" y="{}" text-anchor="end">{}</text>'
        "</g>"
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="0.8"/>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="0.8"/>'
        "{}{}{}</svg>",
        words,
        width,
        height,
        width,
        height,
        words,
        TEXT_COLOUR,
        axis_x,
        coordinate(top),
        axis_text(scale.high),
        axis_x,
        coordinate(bottom),
        axis_text(scale.low),
        coordinate(left),
        height - 3,
        first_label,
        coordinate(right),
        height - 3,
        last_label,
        coordinate(left),
        coordinate(top),
        coordinate(left),
        coordinate(bottom),
        TEXT_COLOUR,
        coordinate(left),
        coordinate(bottom),
        coordinate(right),
        coordinate(bottom),
        TEXT_COLOUR,
        reference,
        _polylines(runs(place(values, scale)), TEXT_COLOUR),
        dots,
    )
