"""A small SVG bar chart of budget against forecast outturn, quarter by quarter: drawn on the
server with core/svg.py's geometry, its scale starting at £0 (and saying so), a quarter with
no figures left as a gap, and every value said in words for those who cannot see it.

Colour never carries meaning alone: budget bars are solid, forecast bars outlined, and every
bar is labelled with its amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.formatting import money_short
from core.svg import TEXT_COLOUR, Box, Scale, coordinate

BUDGET_COLOUR = "#505a5f"
FORECAST_COLOUR = "#1d70b8"
NO_FIGURES = "No figures"
ZERO = Decimal(0)


@dataclass(frozen=True)
class MoneyBar:
    """One quarter of the chart: its label, and its budget and forecast (None: no figures)."""

    label: str
    budget: Decimal | None
    forecast: Decimal | None

    @property
    def known(self) -> bool:
        return self.budget is not None and self.forecast is not None


def money_words(bars: Sequence[MoneyBar]) -> str:
    """Every value of the chart in one sentence, and where its scale starts."""
    said = [
        f"{bar.label}: budget {money_short(bar.budget)}, forecast outturn "
        f"{money_short(bar.forecast)}"
        if bar.known
        else f"{bar.label}: no figures"
        for bar in bars
    ]
    return "; ".join(said) + ". The scale starts at £0."


def budget_forecast_svg(
    bars: Sequence[MoneyBar], *, title: str, ident: str, width: int = 480, height: int = 220
) -> SafeString | None:
    """Budget and forecast side by side for each quarter; None when no quarter has figures."""
    known = [
        value
        for bar in bars
        if bar.known
        for value in (bar.budget, bar.forecast)
        if value is not None
    ]
    if not known:
        return None
    box = Box(width, height, 52, 8, 30, 40)
    high = max(*known, ZERO)
    scale = Scale(min(*known, ZERO), high if high > ZERO else Decimal(1), box)
    left, right = box.x_range
    slot = (right - left) / len(bars)
    baseline = scale.y(ZERO)
    drawn = SafeString(
        "".join(_slot(bar, left + slot * i, slot, scale) for i, bar in enumerate(bars))
    )
    top = box.y_range[0]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-money-chart" role="img" '
        'aria-labelledby="{}-title {}-desc" width="{}" height="{}" viewBox="0 0 {} {}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<g font-family="Arial, sans-serif" font-size="10" fill="{}">'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">£0</text>'
        '<text x="{}" y="{}" text-anchor="start">Scale starts at £0</text>'
        "{}</g>"
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        "{}</svg>",
        ident,
        ident,
        width,
        height,
        width,
        height,
        ident,
        title,
        ident,
        money_words(bars),
        TEXT_COLOUR,
        coordinate(left - 4),
        coordinate(top),
        money_short(scale.high),
        coordinate(left - 4),
        coordinate(baseline),
        coordinate(left),
        height - 4,
        _legend(right),
        coordinate(left),
        coordinate(top),
        coordinate(left),
        coordinate(baseline),
        TEXT_COLOUR,
        coordinate(left),
        coordinate(baseline),
        coordinate(right),
        coordinate(baseline),
        TEXT_COLOUR,
        drawn,
    )


def _slot(bar: MoneyBar, start: Decimal, slot: Decimal, scale: Scale) -> SafeString:
    """One quarter: its two labelled bars, or the words "No figures" where they would be."""
    middle = start + slot / 2
    label_y = Decimal(scale.box.height - scale.box.bottom + 14)
    label = format_html(
        '<text x="{}" y="{}" text-anchor="middle" font-family="Arial, sans-serif" '
        'font-size="10" fill="{}">{}</text>',
        coordinate(middle),
        coordinate(label_y),
        TEXT_COLOUR,
        bar.label,
    )
    if bar.budget is None or bar.forecast is None:
        return format_html(
            '{}<text class="app-money-chart__gap" x="{}" y="{}" text-anchor="middle" '
            'font-family="Arial, sans-serif" font-size="10" fill="{}">{}</text>',
            label,
            coordinate(middle),
            coordinate(scale.y(ZERO) - 6),
            BUDGET_COLOUR,
            NO_FIGURES,
        )
    width = slot * Decimal("0.34")
    budget = _bar(bar.budget, middle - width, width, scale, solid=True)
    forecast = _bar(bar.forecast, middle, width, scale, solid=False)
    return format_html("{}{}{}", label, budget, forecast)


def _bar(value: Decimal, x: Decimal, width: Decimal, scale: Scale, *, solid: bool) -> SafeString:
    """A bar from £0 to the value, its amount written above it."""
    zero, end = scale.y(ZERO), scale.y(value)
    top, bottom = min(zero, end), max(zero, end)
    inset = Decimal(1)  # an outlined bar's stroke stays inside its width
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-family="Arial, sans-serif" '
        'font-size="9" fill="{}">{}</text>',
        coordinate(x + (0 if solid else inset)),
        coordinate(top),
        coordinate(width - (0 if solid else 2 * inset)),
        coordinate(bottom - top),
        BUDGET_COLOUR if solid else "#ffffff",
        BUDGET_COLOUR if solid else FORECAST_COLOUR,
        "0" if solid else "2",
        coordinate(x + width / 2),
        coordinate(top - 3),
        TEXT_COLOUR,
        money_short(value),
    )


def _legend(right: Decimal) -> SafeString:
    """Which bar is which, by fill as well as colour."""
    return format_html_join(
        "",
        '<rect x="{}" y="2" width="10" height="10" fill="{}" stroke="{}" stroke-width="{}"/>'
        '<text x="{}" y="10" text-anchor="start">{}</text>',
        (
            (
                coordinate(right - 190),
                BUDGET_COLOUR,
                BUDGET_COLOUR,
                "0",
                coordinate(right - 176),
                "Budget",
            ),
            (
                coordinate(right - 110),
                "#ffffff",
                FORECAST_COLOUR,
                "2",
                coordinate(right - 96),
                "Forecast outturn",
            ),
        ),
    )
