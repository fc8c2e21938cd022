"""Open data: every published reading of every public indicator, as CSV and JSON, for anyone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from measures import status
from measures.models import Target
from measures.spreadsheets import write_csv
from measures.visibility import open_data_readings

# (column, meaning) — shown on the open data page and in the JSON, so they cannot drift apart.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("indicator_code", "The indicator's code, stable across releases (e.g. A1.M1.1)."),
    ("indicator_title", "What the indicator measures."),
    ("impact_measure_code", "The plan's impact measure the indicator evidences (e.g. A1.M1)."),
    ("block", "The block of the plan: core services, an ambition, a theme or an enabler."),
    ("lead_portfolio", "The cabinet portfolio that leads on the indicator."),
    (
        "unit",
        "percentage, count, rate_per_1000, rate_per_10000, rate_per_100000, currency "
        "(pounds), days, ratio, score or yes_no (1 = yes).",
    ),
    ("polarity", "higher_is_better, lower_is_better or on_target_band."),
    ("period", "The financial-year period, e.g. 2025-26-Q2 (Q1 is April to June) or 2025-26."),
    ("period_start", "First day of the period (ISO 8601)."),
    ("period_end", "Last day of the period (ISO 8601)."),
    ("value", "The published value, in the unit above; blank if none was available."),
    ("numerator", "The count the value was calculated from, where recorded."),
    ("denominator", "The population the value was calculated over, where recorded."),
    ("target", "The value it is judged against for the period, where set."),
    (
        "rag",
        "green (on or better than target), amber (within tolerance), red, no_target or no_data.",
    ),
    ("data_quality", "provisional, final or estimated."),
    ("commentary", "The officer's explanation of the figure."),
    ("published_at", "When the period's figures were published (ISO 8601)."),
    ("synthetic", "yes for made-up demonstration data (never in a real council's release)."),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)


def open_data_page(request: HttpRequest) -> HttpResponse:
    """What the downloads hold, column by column."""
    count = open_data_readings().count()
    return render(request, "measures/open_data.html", {"columns": COLUMNS, "count": count})


def open_data_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        write_csv(_records(), COLUMN_NAMES), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="council-plan-readings.csv"'
    return response


def open_data_json(request: HttpRequest) -> HttpResponse:
    document = {
        "title": "Council Plan performance: published readings",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "columns": [{"name": name, "description": text} for name, text in COLUMNS],
        "rows": list(_records()),
    }
    response = HttpResponse(
        json.dumps(document, default=_json_default, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="council-plan-readings.json"'
    return response


def _records() -> Iterator[dict[str, object]]:
    readings = (
        open_data_readings()
        .select_related(
            "indicator__impact_measure__ambition", "indicator__lead_portfolio", "period"
        )
        .prefetch_related(
            Prefetch("indicator__targets", queryset=Target.objects.select_related("period")),
            "indicator__trajectories",
        )
        .order_by("indicator__position", "indicator__code", "period__start")
    )
    for reading in readings:
        indicator, period = reading.indicator, reading.period
        target = status.target_spec_for(indicator, period)
        yield {
            "indicator_code": indicator.code,
            "indicator_title": indicator.title,
            "impact_measure_code": indicator.impact_measure.code,
            "block": indicator.impact_measure.ambition.label,
            "lead_portfolio": indicator.lead_portfolio.name if indicator.lead_portfolio else "",
            "unit": indicator.unit,
            "polarity": indicator.polarity,
            "period": period.code,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "value": _plain(reading.value),
            "numerator": _plain(reading.numerator),
            "denominator": _plain(reading.denominator),
            "target": _plain(target.value) if target else None,
            "rag": status.reading_rag(reading, indicator=indicator, period=period).value,
            "data_quality": reading.data_quality,
            "commentary": reading.commentary,
            "published_at": _when(period.published_at),
            "synthetic": "yes" if reading.is_synthetic else "no",
        }


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _plain(number: Decimal | None) -> Decimal | None:
    return number.normalize() if number is not None else None


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON")
