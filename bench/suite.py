"""One benchmark run over several sizes, in a configured Django (import after django.setup())."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import django
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

from bench.generate import council_generate, shape_for
from bench.measure import pages_measure, served_pages, upload_measure, write_measure
from bench.reports import reports_measure
from bench.results import (
    Goal,
    SizeResult,
    goals_judge,
    goals_text,
    json_write,
    size_table,
    summary_table,
)
from bench.served import USERS, WORKERS, served_measure

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "var" / "bench"


def say(message: str) -> None:
    """Print a progress line with the time of day."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def suite_run(sizes: Sequence[int], workdir: Path, command: str, report_limit: float) -> int:
    """Migrate, then generate and measure each size on a fresh database; print and save."""
    started, load = time.perf_counter(), os.getloadavg()
    _static_prepare(workdir)
    say("migrating the bench database")
    call_command("migrate", interactive=False, verbosity=0)
    results: list[SizeResult] = []
    for index, size in enumerate(sizes):
        if index:
            say("flushing the database for the next size")
            call_command("flush", interactive=False, verbosity=0)
        results.append(_size_run(size, report_limit, workdir))
        print(size_table(results[-1], results[0]), flush=True)
    goals = goals_judge(results, connection.vendor)
    _report(results, goals, {"command": command, "load_average_at_start": load}, started)
    return 0


def _static_prepare(workdir: Path) -> None:
    """Collect static files into a temporary STATIC_ROOT, so pages render as in production."""
    override_settings(STATIC_ROOT=workdir / "static").enable()
    say("collecting static files (manifest storage, as with DEBUG off in production)")
    call_command("collectstatic", interactive=False, verbosity=0)


def _size_run(size: int, report_limit: float, workdir: Path) -> SizeResult:
    """Generate a council of this size, then measure pages, reports and an upload."""
    shape = shape_for(size)
    say(f"{size}x: generating {shape.indicators:,} indicators over {shape.quarters} quarters")
    started = time.perf_counter()
    council = council_generate(size, today=date.today())
    generated = time.perf_counter()
    say(f"{size}x: generated in {generated - started:,.1f} s: {council.counts}")
    result = SizeResult(size, shape, council.counts, generated - started)
    result.scorecard_s = council.scorecard_s
    say(f"{size}x: scorecard judged in {council.scorecard_s:,.1f} s")
    result.milestone_scores_s = council.milestone_scores_s
    say(f"{size}x: milestone scores judged in {council.milestone_scores_s:,.1f} s")
    result.open_data_s = council.open_data_s
    say(f"{size}x: open data files built in {council.open_data_s:,.1f} s")
    say(f"{size}x: measuring pages")
    result.pages = pages_measure(council)
    for page in result.pages:
        say(
            f"  {page.name}: median {page.median_ms:,.1f} ms, {page.queries} queries, "
            f"n={page.n}, +{page.memory_mb:,.0f} MB"
        )
    say(f"{size}x: serving pages to {USERS} visitors at once (gunicorn, {WORKERS} workers)")
    result.served = served_measure(served_pages(council), council.users, workdir)
    for served in result.served:
        say(
            f"  {served.name}: {served.rps:,.1f} req/s ({served.share_of_healthz:.1%} of "
            f"/healthz), p50 {served.p50_ms:,.0f} ms, p95 {served.p95_ms:,.0f} ms, "
            f"{served.failures} failures"
        )
    say(f"{size}x: saving, submitting and approving one reading")
    result.write = write_measure(council)
    say(f"{size}x: building the largest committee's reports (one child process per format)")
    result.reports = reports_measure(council.latest_quarter, time_limit=report_limit)
    for report in result.reports:
        state = "" if report.finished else f" (stopped at the {report_limit:g} s limit)"
        say(f"  {report.fmt}: {report.total_s:,.1f} s, {report.peak_rss_mb:,.0f} MB{state}")
    say(f"{size}x: uploading readings (preview, then confirm)")
    result.upload = upload_measure(council)
    result.measure_s = time.perf_counter() - generated
    say(f"{size}x: measured in {result.measure_s:,.1f} s")
    return result


def _report(
    results: list[SizeResult], goals: list[Goal], facts: dict[str, Any], started: float
) -> None:
    """Print the summary table and goals, and write everything as JSON."""
    seconds = time.perf_counter() - started
    print("\nAll sizes (ratios are to the smallest size):\n", flush=True)
    print(summary_table(results))
    print("\nGoals:\n")
    print(goals_text(goals))
    if connection.vendor != "postgresql":
        print("\nThe 100 ms and 5x /healthz goals are defined for PostgreSQL; this run is SQLite.")
    capped = [f"{r.size}x {p.name} (n={p.n})" for r in results for p in r.pages if p.capped]
    if capped:
        print(
            "\nFewer timed requests (warm-up over 1 s: 5; over 10 s: 2; over 30 s: 1): "
            + ", ".join(capped)
        )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{stamp}-{connection.vendor}.json"
    json_write(path, results, goals, {**facts, **_meta(seconds)})
    print(f"\nWhole run: {seconds / 60:,.1f} minutes. Figures written to {path}")


def _meta(seconds: float) -> dict[str, Any]:
    """Facts about the machine and the run."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
        else:
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
        server = cursor.fetchone()[0]
    memory = Path("/proc/meminfo").read_text().split("\n")[0] if sys.platform == "linux" else ""
    return {
        "finished_at": datetime.now().isoformat(timespec="seconds"),
        "run_seconds": round(seconds, 1),
        "vendor": connection.vendor,
        "database_server": server,
        "machine": {
            "cpus": os.cpu_count(),
            "memory": memory,
            "platform": platform.platform(),
        },
        "python": platform.python_version(),
        "django": django.get_version(),
        "load_average_at_end": os.getloadavg(),
        "method": {
            "pages": "django.test.Client, DEBUG=0; one warm-up request (queries counted on it "
            "with CaptureQueriesContext, memory as its peak RSS above the RSS before it), then "
            "15 timed requests (5 when the warm-up took over 1 s, 2 over 10 s, 1 over 30 s); "
            "p95 is nearest-rank",
            "reports": "report_data_build then one renderer, each format in its own child "
            "process; peak RSS is the child's VmHWM (ru_maxrss of a fork+exec child inherits "
            "the parent's peak); a build still running at the time limit is stopped",
            "upload": "upload_preview (median of 5, or 3 when slow) then upload_confirm once, "
            "as a performance-team member, for the open quarter; the confirmation also once "
            "with the scorecard's refresh switched off, rolled back, for comparison",
            "served": f"gunicorn -w {WORKERS} on the bench database (DEBUG=0, connections kept "
            f"60 s); locust --headless with {USERS} users and no wait between requests, 15 s "
            "a page; /healthz first, in the same run; the Aggregated row of locust's CSV",
            "write": "reading_save, reading_submit and reading_approve of one reading, each "
            "repeat rolled back; median of 15 with the scorecard and 15 without",
        },
    }
