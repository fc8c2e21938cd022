"""The report's charts: an indicator's trend as SVG with its values in words, drawn by
core/trend_chart.py on the geometry the dashboards' sparklines use (core/svg.py): its target,
the tolerance around it, a scale that says where it starts, gaps as gaps, the latest labelled."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString

from core import trend_chart
from core.formatting import format_value, short_value
from measures.performance import RAG_LABELS, Polarity, Rag
from reports.data import ReportIndicator
from reports.labels import NOT_ENOUGH_DATA


def value_text(indicator: ReportIndicator, value: Decimal | None) -> str:
    """A figure of this indicator as people read it ("45.5%", "£1,200", a dash for none)."""
    return format_value(value, unit=indicator.unit, places=indicator.decimal_places)


def tolerance_zone(indicator: ReportIndicator) -> tuple[Decimal, Decimal] | None:
    """The values just short of target that measures.performance.rag_status judges close
    (amber): within the tolerance below a target where higher is better, above it where lower
    is better; None without a target, a tolerance or (for a band) the band's upper edge."""
    target, tolerance = indicator.target, indicator.tolerance
    if target is None or tolerance <= 0:
        return None
    if indicator.polarity == Polarity.HIGHER_IS_BETTER:
        return target - tolerance, target
    if indicator.polarity == Polarity.LOWER_IS_BETTER:
        return target, target + tolerance
    return None


def _movement(indicator: ReportIndicator) -> str:
    """How the figures moved from the first to the latest, in words."""
    known = [(period, value) for period, value in indicator.trend if value is not None]
    (first_period, first), (last_period, last) = known[0], known[-1]
    if all(value == first for _, value in known):
        return f"Level at {value_text(indicator, last)} from {first_period} to {last_period}."
    if first == last:
        return f"{value_text(indicator, last)} in {last_period}, as in {first_period}."
    verb = "Rose" if last > first else "Fell"
    return (
        f"{verb} from {value_text(indicator, first)} in {first_period} "
        f"to {value_text(indicator, last)} in {last_period}."
    )


def _tolerance_text(indicator: ReportIndicator) -> str:
    """The tolerance as a difference: in percentage points for a percentage."""
    unit = "percentage_points" if indicator.unit == "percentage" else indicator.unit
    return format_value(indicator.tolerance, unit=unit, places=indicator.decimal_places)


def _standing(indicator: ReportIndicator) -> str:
    """The latest figure against its target, as the scorecard judged it (measures.performance),
    and whether it is within its tolerance."""
    period, value = indicator.trend[-1]
    if value is None:
        known = [(p, v) for p, v in indicator.trend if v is not None]
        earlier, figure = known[-1]
        return (
            f"No figure for {period}; the latest, {earlier}, was {value_text(indicator, figure)}."
        )
    latest = f"Latest {period}: {value_text(indicator, value)}"
    rag = Rag(indicator.rag)
    if indicator.target is None or rag not in (Rag.GREEN, Rag.AMBER, Rag.RED):
        return f"{latest} ({RAG_LABELS[rag].lower()})."
    status = RAG_LABELS[rag].lower()
    if indicator.tolerance > 0 and rag is not Rag.GREEN:
        side = "within" if rag is Rag.AMBER else "beyond"
        status += f", {side} its tolerance of {_tolerance_text(indicator)}"
    return f"{latest} against a target of {value_text(indicator, indicator.target)} ({status})."


def trend_words(indicator: ReportIndicator) -> str:
    """The chart's text alternative: the trend, the latest figure against target, and every
    value (core/trend_chart.py adds where the scale starts when it is not zero)."""
    spoken = "; ".join(
        f"{period}: {'no data' if value is None else value_text(indicator, value)}"
        for period, value in indicator.trend
    )
    return (
        f"{indicator.code} {indicator.title}, trend by period. {_movement(indicator)} "
        f"{_standing(indicator)} Values: {spoken}."
    )


def trend_svg(indicator: ReportIndicator, *, width: int = 220, height: int = 70) -> SafeString:
    """An indicator's values over time as a small SVG line chart with its values in words
    (core/trend_chart.py draws it); with fewer than two values, a sentence saying so instead."""
    empty = format_html('<p class="trend-empty">{}</p>', NOT_ENOUGH_DATA)
    if sum(value is not None for _, value in indicator.trend) < 2:
        return empty  # nothing to say a trend of
    zone = tolerance_zone(indicator)
    chart = trend_chart.trend_svg(
        [value for _, value in indicator.trend],
        first_label=indicator.trend[0][0],
        last_label=indicator.trend[-1][0],
        words=trend_words(indicator),
        axis_text=lambda value: short_value(
            value, unit=indicator.unit, places=indicator.decimal_places
        ),
        value_text=lambda value: value_text(indicator, value),
        target=indicator.target,
        tolerance=[zone] if zone else [],
        unit=indicator.unit,
        width=width,
        height=height,
    )
    return empty if chart is None else chart
