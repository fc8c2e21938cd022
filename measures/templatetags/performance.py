"""Template filters that show values and statuses; the statuses come from measures.performance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.template.defaultfilters import pluralize
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core import formatting
from core.formatting import format_value
from measures.models import Indicator, ReportingPeriod, Score
from measures.performance import (
    DIRECTION_LABELS,
    DIRECTION_SYMBOLS,
    RAG_LABELS,
    RAG_SYMBOLS,
    Direction,
    Rag,
    StatusCounts,
)
from measures.scorecard import direction_sentence, last_year_sentence

register = template.Library()

RAG_TAG_COLOURS = {
    Rag.GREEN: "green",
    Rag.AMBER: "yellow",
    Rag.RED: "red",
    Rag.NO_TARGET: "grey",
    Rag.NO_DATA: "grey",
}


@register.filter
def measured(value: Decimal | None, indicator: Indicator) -> str:
    """A value as people read it: "45.5%", "£1,200", "Yes", "12.3 per 10,000"; a dash if none."""
    return format_value(value, unit=indicator.unit, places=indicator.decimal_places)


@register.filter
def rag_tag(rag: Rag) -> SafeString:
    """RAG as a coloured tag that also says it in words and with a symbol."""
    rag = Rag(rag)
    return format_html(
        '<strong class="govuk-tag govuk-tag--{} app-nowrap">'
        '<span aria-hidden="true">{}</span> {}</strong>',
        RAG_TAG_COLOURS[rag],
        RAG_SYMBOLS[rag],
        RAG_LABELS[rag],
    )


@register.filter
def direction_text(direction: Direction) -> SafeString:
    direction = Direction(direction)
    return format_html(
        '<span aria-hidden="true">{}</span> {}',
        DIRECTION_SYMBOLS[direction],
        DIRECTION_LABELS[direction],
    )


@register.filter
def direction_with_basis(score: Score) -> SafeString:
    """A score's direction with its symbol and what it compared, e.g. "▲ Improved since 2025/26
    Q3 (no figure for 2025/26 Q4)" (load its period and previous_period with it)."""
    return format_html(
        '<span aria-hidden="true">{}</span> {}',
        DIRECTION_SYMBOLS[Direction(score.direction)],
        direction_sentence(score),
    )


@register.filter
def year_on_year_text(score: Score) -> SafeString:
    """A quarter's direction against the same quarter a year before, with its symbol ("" if
    there is no such comparison)."""
    words = last_year_sentence(score)
    if not words:
        return SafeString("")
    return format_html(
        '<span aria-hidden="true">{}</span> {}',
        DIRECTION_SYMBOLS[Direction(score.last_year_direction or Direction.NOT_COMPARABLE)],
        words,
    )


@register.filter
def unit_prefix(indicator: Indicator) -> str:
    return formatting.unit_prefix(indicator.unit)


@register.filter
def unit_suffix(indicator: Indicator) -> str:
    return formatting.unit_suffix(indicator.unit)


@register.filter
def deadline_note(period: ReportingPeriod, today: date) -> str:
    """ "due in 5 days", "due today" or "12 days overdue"."""
    days = period.days_to_deadline(today)
    if days > 0:
        return f"due in {days} day{pluralize(days)}"
    if days == 0:
        return "due today"
    return f"{-days} day{pluralize(-days)} overdue"


@register.filter
def heat_level(counts: StatusCounts) -> str:
    """A shading step for a heatmap cell by the share on target: none, low, mid or high."""
    judged = counts.green + counts.amber + counts.red
    if not judged:
        return "none"
    share = counts.green / judged
    return "high" if share >= 0.75 else "mid" if share >= 0.4 else "low"
