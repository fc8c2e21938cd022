"""The dashboard table of indicators (django-tables2) over the stored scores: sorted and paged
by the database, only the page's rows ever loaded."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from core.svg import sparkline_svg
from measures.models import Score
from measures.performance import Rag
from measures.scorecard import trend_values
from measures.templatetags.performance import direction_with_basis, measured, rag_tag


def _cell(name: str, numeric: bool = False) -> dict[str, dict[str, str]]:
    """A column's classes: GOV.UK's numeric alignment, and a name the narrow-screen cards use."""
    extra = " govuk-table__cell--numeric" if numeric else ""
    header = " govuk-table__header--numeric" if numeric else ""
    return {"th": {"class": f"app-col-{name}{header}"}, "td": {"class": f"app-col-{name}{extra}"}}


class IndicatorTable(tables.Table):
    """Indicator, status, latest, target, direction (from the figure compared) and trend: six
    columns that fit the page at 1280 px and become one card per indicator on a phone."""

    title = tables.Column(
        accessor="indicator__title",
        verbose_name="Indicator",
        order_by=("indicator__position",),
        attrs=_cell("indicator"),
    )
    rag = tables.Column(verbose_name="Status", order_by=("rag_order",), attrs=_cell("rag"))
    value = tables.Column(verbose_name="Latest", attrs=_cell("value", numeric=True))
    target_value = tables.Column(verbose_name="Target", attrs=_cell("target", numeric=True))
    direction = tables.Column(
        verbose_name="Direction", order_by=("direction_order",), attrs=_cell("direction")
    )
    trend = tables.Column(verbose_name="Trend", orderable=False, attrs=_cell("trend"))

    class Meta:
        template_name = "includes/govuk_table.html"
        attrs = {"class": "govuk-table app-dashboard-table"}
        per_page = 25
        empty_text = "No indicators match these filters."

    def render_title(self, value: str, record: Score) -> SafeString:
        return format_html(
            '<a class="govuk-link" href="{}"><span class="app-code">{}</span> {}</a>',
            record.indicator.get_absolute_url(),
            record.indicator.code,
            value,
        )

    def render_value(self, value: Any, record: Score) -> SafeString:
        synthetic = (
            format_html('<br><span class="app-synthetic">{}</span>', "synthetic demo data")
            if record.is_synthetic
            else ""
        )
        updated = (
            format_html(
                '<br><span class="govuk-body-s app-muted">updated {}</span>',
                date_format(localtime(record.last_changed), "j M Y"),
            )
            if record.last_changed
            else ""
        )
        return format_html(
            '{}<br><span class="govuk-body-s">{}</span>{}{}',
            measured(value, record.indicator),
            record.period.label,
            updated,
            synthetic,
        )

    def render_target_value(self, value: Any, record: Score) -> str:
        return measured(value, record.indicator)

    def render_rag(self, value: Any, record: Score) -> SafeString:
        return rag_tag(Rag(record.rag))

    def render_direction(self, value: Any, record: Score) -> SafeString:
        """The direction, what it was judged against (the period before, or the latest earlier
        one when that is missing: measures/scorecard.py says which) and that period's figure."""
        if record.previous_value is None:
            return direction_with_basis(record)
        return format_html(
            '{}<br><span class="govuk-body-s">from {}</span>',
            direction_with_basis(record),
            measured(record.previous_value, record.indicator),
        )

    def render_trend(self, value: Any, record: Score) -> SafeString:
        """The trend on a scale from zero (or one its label explains), with the target."""
        return sparkline_svg(
            trend_values(record),
            label=f"Trend of {record.indicator.code}",
            value_format=lambda v: measured(v, record.indicator),
            target=record.target_value,
            unit=record.indicator.unit,
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
