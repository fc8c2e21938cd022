"""Server time and query counts of pages, and rows per second of uploads."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from unittest import mock

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.generate import Council
from bench.memory import peak_kib, peak_reset
from core import versioning
from core.roles import Role
from core.spreadsheet_reader import RawRow
from measures import selectors, services
from measures.models import ReportingPeriod
from measures.services import scorecard as scorecard_services
from measures.services import uploads

# Timed requests after the warm-up, by how long the warm-up took: (over seconds, repeats).
REPEATS = ((30.0, 1), (10.0, 2), (1.0, 5), (0.0, 15))
SLOW_SECONDS = 1.0
UPLOAD_ROWS = 10_000
PREVIEW_REPEATS = 5
CAPPED_PREVIEW_REPEATS = 3


@dataclass(frozen=True)
class PageResult:
    """One page's server time (ms) over n requests after a warm-up, and its query count."""

    name: str
    url: str
    visitor: str
    median_ms: float
    p95_ms: float
    n: int
    capped: bool
    queries: int
    memory_mb: float  # peak RSS during the warm-up request, above the RSS before it
    status: int
    size_bytes: int
    # The same requests, each right after a change (a data version bump), so no cached page
    # or fragment can answer: what the first visitor after a publication waits.
    rebuilt_median_ms: float = 0.0
    rebuilt_p95_ms: float = 0.0


@dataclass(frozen=True)
class UploadResult:
    """Preview (median of n) and confirm (once) of one upload of rows readings."""

    rows: int
    preview_s: float
    preview_n: int
    preview_queries: int
    confirm_s: float
    confirm_queries: int
    fates: dict[str, int]
    confirm_without_scorecard_s: float = 0.0

    @property
    def preview_rows_per_s(self) -> float:
        """Rows checked per second."""
        return self.rows / self.preview_s if self.preview_s else 0.0

    @property
    def confirm_rows_per_s(self) -> float:
        """Rows saved per second."""
        return self.rows / self.confirm_s if self.confirm_s else 0.0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (with 15 values, p95 is the slowest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def pages_measure(council: Council) -> list[PageResult]:
    """Every page of the benchmark, each as its usual visitor sees it."""
    period = f"?period={council.latest_quarter}"
    councillor = _client(council.users["councillor"])
    officer = _client(council.users["officer"])
    anonymous = Client()
    pages: list[tuple[str, Client, str, str]] = [
        ("healthz", anonymous, "anonymous", "/healthz"),
        ("plan dashboard", councillor, "councillor", f"/dashboard/{period}"),
        (
            "portfolio dashboard",
            councillor,
            "councillor",
            f"/portfolios/{council.portfolio_slug}/dashboard/{period}",
        ),
        ("indicator page", councillor, "councillor", f"/indicators/{council.indicator_code}/"),
        ("my returns", officer, "officer", "/returns/"),
        ("public plan dashboard", anonymous, "anonymous", f"/dashboard/{period}"),
        ("open data CSV", anonymous, "anonymous", "/open-data/readings.csv"),
    ]
    return [page_measure(name, client, visitor, url) for name, client, visitor, url in pages]


def served_pages(council: Council) -> list[tuple[str, str, str]]:
    """(name, visitor, url) of each page served under load, as the issue measured them."""
    period = f"?period={council.latest_quarter}"
    portfolio = f"/portfolios/{council.portfolio_slug}/dashboard/{period}"
    return [
        ("public plan dashboard", "anonymous", f"/dashboard/{period}"),
        ("councillor plan dashboard", "councillor", f"/dashboard/{period}"),
        ("portfolio dashboard", "councillor", portfolio),
        ("indicator page", "councillor", f"/indicators/{council.indicator_code}/"),
        ("my returns", "officer", "/returns/"),
        ("the plan on a page", "anonymous", "/"),
        ("open data CSV", "anonymous", "/open-data/readings.csv"),
    ]


def _client(user_pk: int) -> Client:
    """A test client signed in as the user."""
    client = Client()
    client.force_login(User.objects.get(pk=user_pk))
    return client


def page_measure(name: str, client: Client, visitor: str, url: str) -> PageResult:
    """A warm-up request (its queries and memory counted), then n timed requests."""
    before = peak_reset()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        body = response.getvalue()  # a streamed file is read to its end, as a browser would
        warm_up = time.perf_counter() - started
    count = len(queries.captured_queries)  # read now: later requests clear the log
    memory_mb = max(0, peak_kib() - before) / 1024
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    repeats = repeats_for(warm_up)
    timings = [_timed_get(client, url) for _ in range(repeats)]
    rebuilt = [_timed_get(client, url, changed=True) for _ in range(repeats)]
    return PageResult(
        name=name,
        url=url,
        visitor=visitor,
        median_ms=statistics.median(timings) * 1000,
        p95_ms=percentile(timings, 0.95) * 1000,
        n=len(timings),
        capped=repeats < REPEATS[-1][1],
        queries=count,
        memory_mb=memory_mb,
        status=response.status_code,
        size_bytes=len(body),
        rebuilt_median_ms=statistics.median(rebuilt) * 1000,
        rebuilt_p95_ms=percentile(rebuilt, 0.95) * 1000,
    )


def repeats_for(warm_up: float) -> int:
    """15 timed requests, fewer when one request takes over a second (see REPEATS)."""
    return next(repeats for over, repeats in REPEATS if warm_up > over or over == 0.0)


def _timed_get(client: Client, url: str, *, changed: bool = False) -> float:
    """Seconds one request takes, as the test client sees it; `changed`: just after the data
    version is bumped (not timed), as after a publication, so nothing cached can answer."""
    if changed:
        versioning.bump()  # outside a transaction: at once
    started = time.perf_counter()
    response = client.get(url)
    response.getvalue()  # reading a streamed file to its end also closes it (test client)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


@contextmanager
def query_counter() -> Iterator[list[int]]:
    """Count queries cheaply (no SQL kept): the count is the list's only item."""
    count = [0]

    def counting(execute: Callable[..., Any], *args: Any) -> Any:
        """Count one query and run it."""
        count[0] += 1
        return execute(*args)

    with connection.execute_wrapper(counting):
        yield count


def upload_measure(council: Council) -> UploadResult:
    """Preview then confirm up to 10,000 readings for the open quarter, as a bulk upload; the
    confirmation timed first without the scorecard's refresh (rolled back), then with it."""
    officer = User.objects.get(pk=council.users["officer"])
    officer.groups.add(Group.objects.get(name=Role.PERFORMANCE_TEAM.value))
    officer = User.objects.get(pk=officer.pk)  # forget the roles read before
    rows = upload_rows(council.open_quarter)
    versions = uploads.versions_seen(rows)
    preview, preview_queries = _timed(
        lambda: uploads.upload_preview(rows=rows, by=officer, versions=versions)
    )
    repeats = PREVIEW_REPEATS if preview < SLOW_SECONDS else CAPPED_PREVIEW_REPEATS
    timings = [preview] + [
        _timed(lambda: uploads.upload_preview(rows=rows, by=officer, versions=versions))[0]
        for _ in range(repeats - 1)
    ]
    fates: dict[str, int] = {}
    for outcome in uploads.upload_preview(rows=rows, by=officer, versions=versions):
        fates[outcome.fate] = fates.get(outcome.fate, 0) + 1
    if fates.get("error"):
        raise RuntimeError(f"the benchmark's upload has errors: {fates}")

    def confirm() -> None:
        uploads.upload_confirm(rows=rows, by=officer, versions=versions)

    with transaction.atomic(), scorecard_switched_off():
        without, _ = _timed(confirm)
        transaction.set_rollback(True)
    confirmed, confirm_queries = _timed(confirm)
    return UploadResult(
        rows=len(rows),
        preview_s=statistics.median(timings),
        preview_n=len(timings),
        preview_queries=preview_queries,
        confirm_s=confirmed,
        confirm_queries=confirm_queries,
        fates=fates,
        confirm_without_scorecard_s=without,
    )


@dataclass(frozen=True)
class WriteResult:
    """One reading saved, submitted and approved, as the services do it (median of n), with
    the scorecard kept up to date in the same transaction and, for comparison, without."""

    with_scorecard_ms: float
    without_scorecard_ms: float
    queries: int
    n: int

    @property
    def ratio(self) -> float:
        return (
            self.with_scorecard_ms / self.without_scorecard_ms if self.without_scorecard_ms else 0
        )


WRITE_REPEATS = 15


def write_measure(council: Council) -> WriteResult:
    """The write path's cost for one reading: each repeat is rolled back, so each starts from
    the same data."""
    officer = User.objects.get(pk=council.users["officer"])
    reviewer = User.objects.get(pk=council.users["performance"])
    period = ReportingPeriod.objects.get(code=council.open_quarter)
    indicator = (
        selectors.indicators_due(period)
        .exclude(readings__period=period)
        .order_by("position")
        .first()
    )
    if indicator is None:
        raise RuntimeError("every indicator already has a reading for the open quarter")

    def once() -> float:
        with transaction.atomic():
            indicator.delegates.add(officer)  # undone with the rest, and not timed
            officer_now = User.objects.get(pk=officer.pk)  # roles and delegations read afresh
            started = time.perf_counter()
            reading = services.reading_save(
                indicator=indicator,
                period=period,
                data=services.ReadingInput(value=Decimal(1), commentary="Benchmark"),
                by=officer_now,
                expected_version=0,
            )
            reading = services.reading_submit(reading=reading, by=officer_now, expected_version=1)
            services.reading_approve(reading=reading, by=reviewer, expected_version=2)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    with query_counter() as count:
        once()
    queries = count[0]
    with_scorecard = [once() for _ in range(WRITE_REPEATS)]
    with scorecard_switched_off():
        without = [once() for _ in range(WRITE_REPEATS)]
    return WriteResult(
        with_scorecard_ms=statistics.median(with_scorecard) * 1000,
        without_scorecard_ms=statistics.median(without) * 1000,
        queries=queries,
        n=WRITE_REPEATS,
    )


@contextmanager
def scorecard_switched_off() -> Iterator[None]:
    """The services as they were before the scorecard: no score is judged or stored."""
    with mock.patch.object(scorecard_services, "_refresh_chunk", lambda changes, audiences: 0):
        yield


def _timed(action: Callable[[], object]) -> tuple[float, int]:
    """Seconds the action takes, and the queries it made."""
    with query_counter() as count:
        started = time.perf_counter()
        action()
        elapsed = time.perf_counter() - started
    return elapsed, count[0]


def upload_rows(period_code: str) -> list[RawRow]:
    """A valid row for each indicator due in the period, up to UPLOAD_ROWS."""
    period = ReportingPeriod.objects.get(code=period_code)
    due = selectors.indicators_due(period).order_by("position")[:UPLOAD_ROWS]
    return [
        RawRow(
            number=number,
            cells={
                "indicator_code": code,
                "period": period.code,
                "value": "1" if unit == "yes_no" else str(number % 90 + 1),
                "data_quality": "provisional",
                "commentary": "Uploaded by the benchmark.",
            },
        )
        for number, (code, unit) in enumerate(due.values_list("code", "unit"), start=2)
    ]
