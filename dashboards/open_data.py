"""Open data: every published reading of every public indicator, as CSV and JSON, for anyone."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import IO

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.spreadsheet_writer import write_csv_to
from measures import rag
from measures.models import Indicator, ReportingPeriod
from measures.performance import rag_status
from measures.periods import periods_attach
from measures.permissions import open_data_readings

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
    return render(request, "dashboards/open_data.html", {"columns": COLUMNS, "count": count})


def open_data_csv(request: HttpRequest) -> FileResponse:
    return _attachment(
        lambda spool: write_csv_to(spool, _records(), COLUMN_NAMES),
        "council-plan-readings.csv",
        "text/csv; charset=utf-8",
    )


def open_data_json(request: HttpRequest) -> FileResponse:
    return _attachment(_write_json, "council-plan-readings.json", "application/json")


def _write_json(spool: IO[bytes]) -> None:
    """The JSON document, written row by row so a large release never sits in memory whole."""
    head = {
        "title": "Council Plan performance: published readings",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "columns": [{"name": name, "description": text} for name, text in COLUMNS],
    }
    spool.write(json.dumps(head, indent=1)[:-2].encode() + b',\n "rows": [')
    for number, record in enumerate(_records()):
        spool.write(b"," if number else b"")
        spool.write(b"\n  " + json.dumps(record, default=_json_default).encode())
    spool.write(b"\n ]\n}\n")


def _attachment(
    write: Callable[[IO[bytes]], None], filename: str, content_type: str
) -> FileResponse:
    """The file `write` produces, spooled to a temporary file that FileResponse closes (and
    so deletes) once sent; closed at once if writing fails."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse or below
    try:
        write(spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=content_type)


# Readings are read in batches of this many, so memory stays flat however many are published.
BATCH = 5000


def _records() -> Iterator[dict[str, object]]:
    """Every open data row, in indicator then period order, built from five queries."""
    periods = ReportingPeriod.objects.in_bulk()
    indicators = _public_indicators(periods)
    readings = (
        open_data_readings()
        .only(*READING_FIELDS)
        .order_by("indicator__position", "indicator__code", "period__start")
    )
    for reading in readings.iterator(chunk_size=BATCH):
        indicator, period = indicators.get(reading.indicator_id), periods.get(reading.period_id)
        if indicator is None or period is None:
            continue  # made public, or created, after the lists above were read
        target = rag.target_spec_for(indicator, period)
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
            # The status rule itself, given the target just found rather than finding it again.
            "rag": rag_status(reading.value, target, rag.polarity_of(indicator)).value,
            "data_quality": reading.data_quality,
            "commentary": reading.commentary,
            "published_at": _when(period.published_at),
            "synthetic": "yes" if reading.is_synthetic else "no",
        }


READING_FIELDS = (
    "indicator_id",
    "period_id",
    "value",
    "numerator",
    "denominator",
    "data_quality",
    "commentary",
    "is_synthetic",
)


def _public_indicators(periods: dict[int, ReportingPeriod]) -> dict[int, Indicator]:
    """Public indicators with their targets and trajectories, each loaded once (not per
    reading), the targets' periods taken from `periods` rather than loaded again."""
    indicators = Indicator.objects.filter(is_public=True).select_related(
        "impact_measure__ambition", "lead_portfolio"
    )
    by_pk = {
        indicator.pk: indicator
        for indicator in indicators.prefetch_related("targets", "trajectories")
    }
    for indicator in by_pk.values():
        periods_attach(indicator.targets.all(), periods)
    return by_pk


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _plain(number: Decimal | None) -> Decimal | None:
    return number.normalize() if number is not None else None


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON")
