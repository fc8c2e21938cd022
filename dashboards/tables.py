"""The dashboard table of indicators (django-tables2) over the stored scores: sorted and paged
by the database, only the page's rows ever loaded."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.svg import sparkline_svg
from measures.models import Score
from measures.performance import Direction, Rag
from measures.scorecard import trend_values
from measures.templatetags.performance import direction_text, measured, rag_tag

NUMERIC = {
    "th": {"class": "govuk-table__header--numeric"},
    "td": {"class": "govuk-table__cell--numeric"},
}


class IndicatorTable(tables.Table):
    """Code, title, latest, previous, target, RAG, direction, trend and when it was updated."""

    code = tables.Column(
        accessor="indicator__code", verbose_name="Code", order_by=("indicator__position",)
    )
    title = tables.Column(accessor="indicator__title", verbose_name="Indicator")
    value = tables.Column(verbose_name="Latest", attrs=NUMERIC)
    previous_value = tables.Column(verbose_name="Previous", attrs=NUMERIC)
    target_value = tables.Column(verbose_name="Target", attrs=NUMERIC)
    rag = tables.Column(verbose_name="Status", order_by=("rag_order",))
    direction = tables.Column(verbose_name="Direction", order_by=("direction_order",))
    trend = tables.Column(verbose_name="Trend", orderable=False)
    last_updated = tables.DateColumn(
        accessor="last_changed", verbose_name="Updated", format="j M Y"
    )

    class Meta:
        template_name = "includes/govuk_table.html"
        attrs = {"class": "govuk-table app-dashboard-table"}
        per_page = 25
        empty_text = "No indicators match these filters."

    def render_code(self, value: str, record: Score) -> SafeString:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', record.indicator.get_absolute_url(), value
        )

    def render_value(self, value: Any, record: Score) -> SafeString:
        period = record.period.label
        synthetic = (
            format_html('<br><span class="app-synthetic">{}</span>', "synthetic demo data")
            if record.is_synthetic
            else ""
        )
        return format_html(
            '{}<br><span class="govuk-body-s">{}</span>{}',
            measured(value, record.indicator),
            period,
            synthetic,
        )

    def render_previous_value(self, value: Any, record: Score) -> str:
        return measured(value, record.indicator)

    def render_target_value(self, value: Any, record: Score) -> str:
        return measured(value, record.indicator)

    def render_rag(self, value: Any, record: Score) -> SafeString:
        return rag_tag(Rag(record.rag))

    def render_direction(self, value: Any, record: Score) -> SafeString:
        return direction_text(Direction(record.direction))

    def render_trend(self, value: Any, record: Score) -> SafeString:
        return sparkline_svg(
            trend_values(record),
            label=f"Trend of {record.indicator.code}",
            value_format=lambda v: measured(v, record.indicator),
        )


PER_PAGE, MOST_PER_PAGE = 25, 100


def paginate(table: tables.Table, request: HttpRequest) -> None:
    """Page the table from ?page= and ?per_page=, ignoring values that are not sensible (a
    negative, zero or huge page size, a page past the end) instead of failing."""
    table.request = request
    per_page = _whole(request.GET.get(table.prefixed_per_page_field), PER_PAGE)
    page = _whole(request.GET.get(table.prefixed_page_field), 1)
    try:
        table.paginate(page=page, per_page=min(per_page, MOST_PER_PAGE))
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)


def _whole(text: str | None, default: int) -> int:
    """A positive whole number from a query string, or the default."""
    if text and text.isascii() and text.isdigit() and len(text) <= 6 and int(text) > 0:
        return int(text)
    return default
