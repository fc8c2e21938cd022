"""The reports' trend chart of one indicator, drawn with core/svg.py's geometry (the one the
dashboards' sparklines use): the target dashed over a light band where a value is close to it,
a scale from zero or a note saying where it starts, lines broken at gaps, the latest value
labelled, and every value said in words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.svg import (
    TEXT_COLOUR,
    Box,
    Point,
    Scale,
    coordinate,
    dot,
    place,
    polylines,
    runs,
    scale_for,
    scale_note,
    target_line,
)

TOLERANCE_COLOUR = "#fde3cd"  # a light amber: the values close to target
NOTE_HEIGHT = 10  # room under the chart for a note on where its scale starts
LABEL_HEIGHT = 7  # the font size of the chart's words


def _tolerance_bands(scale: Scale, zones: Sequence[tuple[Decimal, Decimal]]) -> SafeString:
    """A light band across the chart for each zone of values close to target, within the scale."""
    left, right = scale.box.x_range
    edges = [
        (
            Decimal(coordinate(scale.y(scale.clipped(high)))),
            Decimal(coordinate(scale.y(scale.clipped(low)))),
        )
        for low, high in zones
    ]
    return format_html_join(
        "",
        '<rect class="chart-tolerance" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        (
            (*(coordinate(n) for n in (left, top, right - left, bottom - top)), TOLERANCE_COLOUR)
            for top, bottom in edges
            if bottom > top
        ),
    )


_MIDDLE = SafeString(' dominant-baseline="middle"')
_LATEST = SafeString(' class="chart-latest" font-weight="bold"')


def _axes(
    scale: Scale, axis_text: Callable[[Decimal], str], periods: tuple[str, str], note: str
) -> SafeString:
    """The axes: the scale's ends beside the y axis, the first and last periods under the x
    axis, and any note on where the scale starts under them."""
    box = scale.box
    left, right = box.x_range
    top, bottom = box.y_range
    rows = [
        (coordinate(left - 3), coordinate(top), "end", _MIDDLE, axis_text(scale.high)),
        (coordinate(left - 3), coordinate(bottom), "end", _MIDDLE, axis_text(scale.low)),
        (coordinate(left), box.height - 3, "start", "", periods[0]),
        (coordinate(right), box.height - 3, "end", "", periods[1]),
    ]
    if note:
        rows.append((coordinate(left), box.height + NOTE_HEIGHT - 2, "start", "", note))
    lines = format_html(
        '<path d="M{},{} V{} H{}" fill="none" stroke="{}" stroke-width="0.8"/>',
        *(coordinate(n) for n in (left, top, bottom, right)),
        TEXT_COLOUR,
    )
    texts = format_html_join("", '<text x="{}" y="{}" text-anchor="{}"{}>{}</text>', rows)
    return format_html("{}{}", lines, texts)


def _latest_label(
    box: Box, points: Sequence[Point], text: str, avoid: Decimal | None
) -> SafeString:
    """The latest value in words by its dot, above or below it (whichever stays inside the
    drawing, clear of the target line `avoid` and of the line coming in from the point before),
    on a pale ground so that lines under it never hide it."""
    x, y = points[-1]
    came_from = points[-2][1] if len(points) > 1 else y
    left, right = box.x_range
    bottom = box.y_range[1]

    def clash(low: Decimal, high: Decimal, line_side: bool) -> int:
        outside = 4 if low < 0 or high > bottom else 0
        crossed = 2 if avoid is not None and low - 1 <= avoid <= high + 1 else 0
        return outside + crossed + line_side

    above = clash(y - 4 - LABEL_HEIGHT, y - 4, came_from < y)
    below = clash(y + 4, y + 4 + LABEL_HEIGHT, came_from > y)
    baseline = y - 4 if above <= below else y + 4 + LABEL_HEIGHT
    wide = Decimal(len(text)) * LABEL_HEIGHT * Decimal("0.62") + 2  # a generous guess
    end = x > (left + right) / 2
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.85"/>'
        '<text x="{}" y="{}" text-anchor="{}"{}>{}</text>',
        coordinate(x - wide if end else x - 1),
        coordinate(baseline - LABEL_HEIGHT),
        coordinate(wide + 1),
        LABEL_HEIGHT + 2,
        coordinate(x),
        coordinate(baseline),
        "end" if end else "start",
        _LATEST,
        text,
    )


def trend_svg(
    values: Sequence[Decimal | None],
    *,
    first_label: str,
    last_label: str,
    words: str,
    axis_text: Callable[[Decimal], str],
    value_text: Callable[[Decimal], str] | None = None,
    target: Decimal | None = None,
    tolerance: Sequence[tuple[Decimal, Decimal]] = (),
    unit: str = "",
    width: int = 220,
    height: int = 70,
) -> SafeString | None:
    """A trend chart for a printed report: the values as lines broken at gaps, a dot each (the
    latest larger, with its value), the target dashed over a light band for each `tolerance`
    zone (low, high), the y axis from zero or a note on where it starts (in the drawing and its
    words) and the x axis with the first and last periods. None with fewer than two values."""
    if sum(v is not None for v in values) < 2:
        return None
    box = Box(width, height, 40, 8, 8, 14)
    scale = scale_for(values, box, also=[] if target is None else [target], unit=unit)
    note = scale_note(scale, axis_text)
    spoken = f"{words} {note}".strip()
    placed = place(values, scale)
    known = [(p, v) for p, v in zip(placed, values, strict=True) if p is not None and v is not None]
    last = known[-1][0]
    dots = SafeString("".join(dot(p, "3" if p == last else "1.8", TEXT_COLOUR) for p, _ in known))
    drawn = height + (NOTE_HEIGHT if note else 0)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        'aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}">'
        "<title>{}</title>{}{}{}{}"
        '<g font-family="DejaVu Sans, Arial, sans-serif" font-size="{}" fill="{}">{}{}</g>'
        "</svg>",
        spoken,
        width,
        drawn,
        width,
        drawn,
        spoken,
        _tolerance_bands(scale, tolerance) if target is not None else "",
        SafeString("") if target is None else target_line(scale, target, "1.2"),
        polylines(runs(placed), TEXT_COLOUR),
        dots,
        LABEL_HEIGHT,
        TEXT_COLOUR,
        _axes(scale, axis_text, (first_label, last_label), note),
        _latest_label(
            box,
            [point for point, _ in known],
            (value_text or axis_text)(known[-1][1]),
            None if target is None else scale.y(target),
        ),
    )
