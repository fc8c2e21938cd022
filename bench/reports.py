"""Time and peak memory of one committee's report, each format built in a child process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count

from bench.memory import peak_kib
from portfolios.models import ScrutinyCommittee

FORMATS = ("pdf", "xlsx", "csv")
PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ReportResult:
    """One format's build: data and render seconds, the child's peak RSS, the file's size.

    When the build was stopped at the time limit, finished is False, render_s and the peak are
    what had been reached by then (lower bounds), and size_bytes is 0.
    """

    fmt: str
    committee: str
    indicators: int
    data_s: float
    render_s: float
    peak_rss_mb: float
    baseline_rss_mb: float
    size_bytes: int
    finished: bool = True

    @property
    def total_s(self) -> float:
        """Data build and render together."""
        return self.data_s + self.render_s


def committee_largest() -> ScrutinyCommittee:
    """The committee whose remit leads the most indicators."""
    committee = (
        ScrutinyCommittee.objects.annotate(indicators=Count("remit__indicators"))
        .order_by("-indicators", "position")
        .first()
    )
    if committee is None:
        raise RuntimeError("no scrutiny committee was generated")
    return committee


def reports_measure(period_code: str, *, time_limit: float) -> list[ReportResult]:
    """PDF, XLSX and CSV of the largest committee's report for the period, one child each."""
    committee = committee_largest()
    return [_in_child(fmt, committee, period_code, time_limit) for fmt in FORMATS]


def _in_child(
    fmt: str, committee: ScrutinyCommittee, period_code: str, time_limit: float
) -> ReportResult:
    """Run `bench.run --child-report`, watching its peak RSS, stopping it at the time limit."""
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "bench.run", "--child-report", fmt, committee.slug, period_code],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak, stopped_at = _watch(child, time_limit)
    stdout, stderr = child.communicate()
    lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    if stopped_at is None and child.returncode != 0:
        raise RuntimeError(f"the {fmt} report build failed:\n{stderr[-3000:]}")
    if not lines:
        raise RuntimeError(f"the {fmt} report build stopped before building its data")
    figures = lines[-1]
    finished = stopped_at is None
    render_s = figures["render_s"] if finished else stopped_at - figures["data_done_at"]
    return ReportResult(
        fmt=fmt,
        committee=committee.name,
        indicators=figures["indicators"],
        data_s=figures["data_s"],
        render_s=render_s,
        peak_rss_mb=max(peak, figures.get("peak_rss_kib", 0)) / 1024,
        baseline_rss_mb=figures["baseline_rss_kib"] / 1024,
        size_bytes=figures.get("size_bytes", 0),
        finished=finished,
    )


def _watch(child: subprocess.Popen[str], time_limit: float) -> tuple[int, float | None]:
    """Poll the child's peak RSS until it ends; kill it after time_limit seconds (0: never).

    Returns the highest peak seen (KiB) and, if it was stopped, the monotonic time it was.
    """
    started, peak = time.monotonic(), 0
    while child.poll() is None:
        peak = max(peak, peak_kib(child.pid))
        if time_limit and time.monotonic() - started > time_limit:
            child.kill()
            return peak, time.monotonic()
        time.sleep(0.2)
    return peak, None


def child_report(fmt: str, committee_slug: str, period_code: str) -> None:
    """In the child: build the report data, render one format, print figures as JSON lines."""
    from django.utils import timezone

    from measures.models import ReportingPeriod
    from reports.builder import report_data_build
    from reports.renderers import RENDERERS as renderers

    committee = ScrutinyCommittee.objects.get(slug=committee_slug)
    period = ReportingPeriod.objects.get(code=period_code)
    baseline = peak_kib()
    started = time.perf_counter()
    data = report_data_build(committee=committee, period=period, generated_at=timezone.now())
    figures: dict[str, float] = {
        "indicators": sum(len(portfolio.indicators) for portfolio in data.portfolios),
        "data_s": time.perf_counter() - started,
        "data_done_at": time.monotonic(),
        "baseline_rss_kib": baseline,
    }
    print(json.dumps(figures), flush=True)  # what the parent has if it must stop the render
    rendered = time.perf_counter()
    body = renderers[fmt](data)
    figures["render_s"] = time.perf_counter() - rendered
    figures["peak_rss_kib"] = peak_kib()
    figures["size_bytes"] = len(body)
    print(json.dumps(figures), flush=True)
