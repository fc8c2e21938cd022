"""Open data: every published reading of every public indicator, and every published line of
the finance figures (resources/open_data.py), as CSV and JSON with a Frictionless Data Package
that describes them all, under the Open Government Licence v3.0.

The files are built when the published data changes (a period published, a public
indicator's definition, targets or flag changed, and nightly: dashboards/tasks.py), written
to the storage every web server shares, and served from there as files (dashboards/views.py).
A build writes its files under a folder of its own and then points `current.json` at it, so a
reader never sees half a release.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import IO, Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from ambitions.models import ImpactMeasure, Plan
from core.formatting import plain_decimal
from core.spreadsheet_writer import write_csv_to
from measures.models import Indicator, Score, ScoreAudience
from measures.plans import Carried, plan_of_period
from resources.open_data import (
    FINANCE_COLUMN_NAMES,
    FINANCE_COLUMNS,
    finance_package_resources,
    finance_records,
)
from resources.open_data import TITLE as FINANCE_TITLE

FOLDER = "open-data"
CURRENT = f"{FOLDER}/current.json"
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
TITLE = "Council Plan performance: published readings"

# (column, Table Schema type, meaning): the page, the JSON and the Data Package all say these.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("indicator_code", "string", "The indicator's code, stable across releases (e.g. A1.M1.1)."),
    ("indicator_title", "string", "What the indicator measures."),
    (
        "plan",
        "string",
        "The plan the period is reported against (its slug, e.g. council-plan-2024-27).",
    ),
    (
        "impact_measure_code",
        "string",
        "The plan's impact measure the indicator evidences (e.g. A1.M1).",
    ),
    (
        "block",
        "string",
        "The block of the plan the measure belongs to, as the plan names it.",
    ),
    ("lead_portfolio", "string", "The cabinet portfolio that leads on the indicator."),
    (
        "unit",
        "string",
        "percentage, percentage_points (a difference between two percentages), count, "
        "rate_per_1000, rate_per_10000, rate_per_100000, currency "
        "(pounds), days, ratio, score or yes_no (1 = yes).",
    ),
    ("polarity", "string", "higher_is_better, lower_is_better or on_target_band."),
    (
        "period",
        "string",
        "The financial-year period, e.g. 2025-26-Q2 (Q1 is April to June) or 2025-26.",
    ),
    ("period_start", "date", "First day of the period (ISO 8601)."),
    ("period_end", "date", "Last day of the period (ISO 8601)."),
    ("value", "number", "The published value, in the unit above; blank if none was available."),
    ("numerator", "number", "The count the value was calculated from, where recorded."),
    ("denominator", "number", "The population the value was calculated over, where recorded."),
    ("target", "number", "The value it is judged against for the period, where set."),
    (
        "rag",
        "string",
        "green (on or better than target), amber (within tolerance), red, no_target or no_data.",
    ),
    ("data_quality", "string", "provisional, final or estimated."),
    ("commentary", "string", "The officer's explanation of the figure."),
    ("published_at", "datetime", "When the period's figures were published (ISO 8601)."),
    (
        "synthetic",
        "string",
        "yes for made-up demonstration data (never in a real council's release).",
    ),
)
COLUMN_NAMES = tuple(name for name, _, _ in COLUMNS)
NUMBERS = {name for name, kind, _ in COLUMNS if kind == "number"}
ENUMS = {
    "rag": ["green", "amber", "red", "no_target", "no_data"],
    "data_quality": ["provisional", "final", "estimated"],
    "synthetic": ["yes", "no"],
}
# Scores are read in batches of this many, so memory stays flat however many are published.
BATCH = 5000


@dataclass(frozen=True)
class Release:
    """One build of the files: where they are, their ETags, how many rows, when it was made."""

    folder: str
    etags: dict[str, str]
    rows: int
    built_at: str

    def path(self, name: str) -> str:
        return f"{self.folder}/{name}"


FILES = {
    "readings.csv": "text/csv; charset=utf-8",
    "readings.json": "application/json",
    "finance.csv": "text/csv; charset=utf-8",
    "finance.json": "application/json",
    "datapackage.json": "application/json",
}


def release_current() -> Release | None:
    """The release being served, or None before the first build (or after an invalidation)."""
    if not default_storage.exists(CURRENT):
        return None
    with default_storage.open(CURRENT, "rb") as pointer:
        return Release(**json.loads(pointer.read()))


def open_data_build() -> Release:
    """Build every file from the public's scores, store it (with a gzipped copy), and make it
    the current release; earlier releases are removed."""
    built_at = timezone.now().isoformat(timespec="seconds")
    folder = f"{FOLDER}/{timezone.now():%Y%m%dT%H%M%S%f}"
    rows = 0
    etags: dict[str, str] = {}

    def counted() -> Iterator[dict[str, object]]:
        nonlocal rows
        for record in records():
            rows += 1
            yield record

    writers: dict[str, Callable[[IO[bytes]], None]] = {
        "readings.csv": lambda out: write_csv_to(out, counted(), COLUMN_NAMES),
        "readings.json": lambda out: _write_json(out, records(), built_at),
        "finance.csv": lambda out: write_csv_to(out, finance_records(), FINANCE_COLUMN_NAMES),
        "finance.json": lambda out: _write_json(
            out, finance_records(), built_at, title=FINANCE_TITLE, columns=FINANCE_COLUMNS
        ),
    }
    for name, write in writers.items():
        etags[name] = _store(f"{folder}/{name}", write)
    package = json.dumps(data_package(built_at), indent=2).encode()
    etags["datapackage.json"] = _store(f"{folder}/datapackage.json", lambda out: out.write(package))
    release = Release(folder=folder, etags=etags, rows=rows, built_at=built_at)
    _point_at(release)
    return release


def open_data_withdraw() -> None:
    """Stop serving the current release at once (an indicator stopped being public), and
    remove its files: the next request builds a new one."""
    withdrawn = release_current()
    if default_storage.exists(CURRENT):
        default_storage.delete(CURRENT)
    if withdrawn is not None:
        _remove(withdrawn)


def _store(name: str, write: Callable[[IO[bytes]], Any]) -> str:
    """Write a file through a spool (memory stays flat), and its gzipped twin; its ETag."""
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as spool, tempfile.TemporaryFile() as squeezed:
        write(spool)
        spool.seek(0)
        with gzip.GzipFile(fileobj=squeezed, mode="wb", mtime=0) as zipped:
            while chunk := spool.read(1 << 20):
                digest.update(chunk)
                zipped.write(chunk)
        spool.seek(0)
        squeezed.seek(0)
        default_storage.save(name, File(spool))
        default_storage.save(f"{name}.gz", File(squeezed))
    return f'"{digest.hexdigest()[:32]}"'


def _point_at(release: Release) -> None:
    """Make the release current, then remove the files of the one before it. Files are found
    by the names a release has, never by listing folders, which blob stores do not have."""
    previous = release_current()
    pointer = json.dumps(release.__dict__).encode()
    if default_storage.exists(CURRENT):
        default_storage.delete(CURRENT)
    default_storage.save(CURRENT, ContentFile(pointer))
    if previous is not None and previous.folder != release.folder:
        _remove(previous)


def _remove(release: Release) -> None:
    for name in FILES:
        default_storage.delete(release.path(name))
        default_storage.delete(release.path(f"{name}.gz"))


def open_data_sweep(*, now: datetime, keep: Release | None) -> int:
    """Delete the files of releases left behind (a build that failed before it was pointed
    at, two builds at once, a withdrawal during a build): everything under the folder but the
    current release, once it is an hour old, so a build still under way is never touched.
    How many files were deleted. Run nightly, after the rebuild."""
    cutoff = f"{FOLDER}/{now - timedelta(hours=1):%Y%m%dT%H%M%S%f}"
    stale = [
        name
        for name in _names_under(FOLDER)
        if name != CURRENT
        and not (keep and name.startswith(keep.folder + "/"))
        and name.rsplit("/", 1)[0] < cutoff
    ]
    for name in stale:
        default_storage.delete(name)
    return len(stale)


def _names_under(folder: str) -> list[str]:
    """Every file's full name under a folder, on any storage: the local disk lists one level
    at a time, S3 one level with names relative to it, Azure every name below it in full."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f if f.startswith(folder + "/") else f"{folder}/{f}" for f in files]
    for inner in folders:
        names += _names_under(f"{folder}/{inner}")
    return names


def _published() -> Any:
    return Score.objects.filter(
        audience=ScoreAudience.PUBLIC, reading__isnull=False, indicator__is_public=True
    )


def records_count() -> int:
    """How many rows the files hold (or will, once built)."""
    return int(_published().count())


def records() -> Iterator[dict[str, object]]:
    """Every open data row, in indicator then period order: the public's scores that have a
    published reading, each with what it was judged against."""
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(is_public=True).select_related(
            "impact_measure__ambition__kind", "impact_measure__ambition__plan", "lead_portfolio"
        )
    }
    measures = _measures_by_plan()
    plans: dict[int, Plan | None] = {}
    scores = (
        _published()
        .select_related("period", "reading")
        .order_by("indicator__position", "indicator__code", "period__start")
    )
    for score in scores.iterator(chunk_size=BATCH):
        indicator = indicators.get(score.indicator_id)
        reading = score.reading
        if indicator is None or reading is None:
            continue  # made public after the list above was read
        period = score.period
        if period.pk not in plans:
            plans[period.pk] = plan_of_period(period)
        plan = plans[period.pk]
        measure = measures.get((indicator.pk, plan.pk if plan else 0), indicator.impact_measure)
        yield {
            "indicator_code": indicator.code,
            "indicator_title": indicator.title,
            "plan": measure.ambition.plan.slug,
            "impact_measure_code": measure.code,
            "block": measure.ambition.label,
            "lead_portfolio": indicator.lead_portfolio.name if indicator.lead_portfolio else "",
            "unit": indicator.unit,
            "polarity": indicator.polarity,
            "period": period.code,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "value": plain_decimal(score.value),
            "numerator": plain_decimal(reading.numerator),
            "denominator": plain_decimal(reading.denominator),
            "target": plain_decimal(score.target_value),
            "rag": score.rag,
            "data_quality": reading.data_quality,
            "commentary": reading.commentary,
            "published_at": _when(period.published_at),
            "synthetic": "yes" if reading.is_synthetic else "no",
        }


def _measures_by_plan() -> dict[tuple[int, int], ImpactMeasure]:
    """The measure each indicator carried into a later plan evidences there, by (indicator,
    plan) (measures/plans.py); an indicator's own plan's measure is its impact_measure."""
    carried = Carried.objects.select_related(
        "impactmeasure__ambition__plan", "impactmeasure__ambition__kind"
    )
    return {
        (row.indicator_id, row.impactmeasure.ambition.plan_id): row.impactmeasure for row in carried
    }


def _write_json(
    out: IO[bytes],
    rows: Iterator[dict[str, object]],
    built_at: str,
    *,
    title: str = TITLE,
    columns: tuple[tuple[str, str, str], ...] = COLUMNS,
) -> None:
    """The JSON document, written row by row; numbers are JSON numbers, exactly as stored."""
    head = {
        "title": title,
        "licence": LICENCE,
        "generated_at": built_at,
        "columns": [{"name": n, "type": t, "description": d} for n, t, d in columns],
    }
    out.write(json.dumps(head, indent=1)[:-2].encode() + b',\n "rows": [')
    for number, row in enumerate(rows):
        out.write(b"," if number else b"")
        out.write(b"\n  " + _json_row(row).encode())
    out.write(b"\n ]\n}\n")


def _json_row(row: dict[str, object]) -> str:
    """One row as a JSON object; a Decimal is written as the number it is, never via float."""
    members = (
        f"{json.dumps(name)}: "
        + (format(value, "f") if isinstance(value, Decimal) else json.dumps(value))
        for name, value in row.items()
    )
    return "{" + ", ".join(members) + "}"


def data_package(built_at: str) -> dict[str, object]:
    """The Frictionless Data Package descriptor: both files, each with its Table Schema."""
    fields = [
        {
            "name": name,
            "type": kind,
            "description": meaning,
            **({"constraints": {"enum": ENUMS[name]}} if name in ENUMS else {}),
        }
        for name, kind, meaning in COLUMNS
    ]
    schema = {"fields": fields, "primaryKey": ["indicator_code", "period"], "missingValues": [""]}
    return {
        "name": "council-plan-performance",
        "title": TITLE,
        "licenses": [LICENCE],
        "created": built_at,
        "resources": [
            {
                "name": "readings-csv",
                "type": "table",
                "path": "readings.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": schema,
            },
            {
                "name": "readings-json",
                "type": "table",
                "path": "readings.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "dialect": {"json": {"property": "rows", "keyed": True}},
                "schema": {**schema, "missingValues": []},
            },
            *finance_package_resources(),
        ],
    }


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
