"""The benchmark's figures: aligned tables with ratios to the smallest size, goals, JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.generate import Shape
from bench.measure import PageResult, UploadResult, WriteResult
from bench.reports import ReportResult
from bench.served import ServedResult

PAGE_LIMIT_MS = 100.0
DASHBOARDS = ("plan dashboard", "portfolio dashboard", "public plan dashboard")
FIRST_BYTE_LIMIT_MS = 50.0
PDF_LIMIT_S = 20.0  # at 100x (issue 17), and at 10x:
PDF_LIMIT_10X_S = 5.0
MEMORY_LIMIT_MB = 500.0
GOAL_UPLOAD_ROWS = 10_000
WRITE_COST_LIMIT = 2.0  # the write path with the scorecard, as a multiple of without
# Served requests per second, as a share of /healthz's in the same run (at 10x and 100x).
SERVED_SHARES = {
    "public plan dashboard": 0.25,
    "councillor plan dashboard": 0.05,
    "portfolio dashboard": 0.05,
    "indicator page": 0.05,
    "my returns": 0.03,
}
SERVED_P95_LIMIT_MS = 1000.0


@dataclass
class SizeResult:
    """Everything measured at one size."""

    size: int
    shape: Shape
    counts: dict[str, int]
    generate_s: float
    pages: list[PageResult] = field(default_factory=list)
    reports: list[ReportResult] = field(default_factory=list)
    upload: UploadResult | None = None
    measure_s: float = 0.0
    scorecard_s: float = 0.0
    milestone_scores_s: float = 0.0
    open_data_s: float = 0.0
    served: list[ServedResult] = field(default_factory=list)
    write: WriteResult | None = None


@dataclass(frozen=True)
class Figure:
    """One number in the tables."""

    label: str
    value: float
    places: int
    at_least: bool = False  # a lower bound: the measurement was stopped at its time limit
    compared: bool = True  # whether a ratio to the smallest size means anything


@dataclass(frozen=True)
class Goal:
    """One of the issue's goals and whether this run met it."""

    name: str
    verdict: str  # PASS, MISS or N/A
    detail: str


def figures(result: SizeResult) -> list[Figure]:
    """Every figure of one size, in the order the tables show them."""
    rows = [
        Figure("indicators", result.counts["indicators"], 0),
        Figure("readings", result.counts["readings"], 0),
        Figure("targets", result.counts["targets"], 0),
        Figure("milestones", result.counts.get("milestones", 0), 0),
        Figure("milestone updates", result.counts.get("milestone updates", 0), 0),
        Figure("generate council (s)", result.generate_s, 1),
        Figure("judge the whole scorecard (s)", result.scorecard_s, 1),
        Figure("judge every milestone's scores (s)", result.milestone_scores_s, 1),
        Figure("build the open data files (s)", result.open_data_s, 1),
    ]
    for page in result.pages:
        rows += [
            Figure(f"{page.name}: median ms", page.median_ms, 1),
            Figure(f"{page.name}: p95 ms", page.p95_ms, 1),
            Figure(f"{page.name}: after a change, median ms", page.rebuilt_median_ms, 1),
            Figure(f"{page.name}: after a change, p95 ms", page.rebuilt_p95_ms, 1),
            Figure(f"{page.name}: queries", page.queries, 0),
            Figure(f"{page.name}: requests timed", page.n, 0, compared=False),
            Figure(f"{page.name}: memory MB", page.memory_mb, 0),
        ]
    for served in result.served:
        rows += [
            Figure(f"served {served.name}: req/s", served.rps, 1),
            Figure(f"served {served.name}: share of /healthz %", served.share_of_healthz * 100, 2),
            Figure(f"served {served.name}: p50 ms", served.p50_ms, 0),
            Figure(f"served {served.name}: p95 ms", served.p95_ms, 0),
            Figure(f"served {served.name}: failures", served.failures, 0, compared=False),
        ]
    if result.write:
        rows += [
            Figure("one reading saved and approved: ms", result.write.with_scorecard_ms, 1),
            Figure("the same without the scorecard: ms", result.write.without_scorecard_ms, 1),
            Figure("one reading saved and approved: queries", result.write.queries, 0),
        ]
    size_kb = next((p.size_bytes / 1024 for p in result.pages if p.name == "open data CSV"), 0.0)
    rows.append(Figure("open data CSV: size KiB", size_kb, 0))
    for report in result.reports:
        bound = not report.finished
        rows += [
            Figure(f"report {report.fmt}: data build s", report.data_s, 2),
            Figure(f"report {report.fmt}: render s", report.render_s, 2, bound),
            Figure(f"report {report.fmt}: total s", report.total_s, 2, bound),
            Figure(f"report {report.fmt}: peak RSS MB", report.peak_rss_mb, 0, bound),
        ]
    if result.reports:
        rows.append(Figure("report: indicators in it", result.reports[0].indicators, 0))
    if result.upload:
        upload = result.upload
        rows += [
            Figure("upload: rows", upload.rows, 0),
            Figure("upload preview: s (median)", upload.preview_s, 2),
            Figure("upload preview: rows/s", upload.preview_rows_per_s, 0),
            Figure("upload preview: queries", upload.preview_queries, 0),
            Figure("upload confirm: s", upload.confirm_s, 2),
            Figure(
                "upload confirm without the scorecard: s", upload.confirm_without_scorecard_s, 2
            ),
            Figure("upload confirm: rows/s", upload.confirm_rows_per_s, 0),
            Figure("upload confirm: queries", upload.confirm_queries, 0),
        ]
    return rows


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain text with aligned columns: the first left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        """One row, padded to the column widths."""
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _number(figure: Figure) -> str:
    """The figure with thousands separators, marked >= when it is a lower bound."""
    text = f"{figure.value:,.{figure.places}f}"
    return f">={text}" if figure.at_least else text


def _ratio(figure: Figure, base: Figure | None) -> str:
    """The figure as a multiple of the smallest size's, or - when that means nothing."""
    if base is None or not figure.compared or round(base.value, base.places) == 0:
        return "-"
    bound = ">=" if figure.at_least and not base.at_least else ""
    return f"{bound}{figure.value / base.value:,.1f}x"


def size_table(result: SizeResult, base: SizeResult) -> str:
    """One size's figures with the ratio of each to the smallest size's."""
    baseline = {f.label: f for f in figures(base)}
    rows = [[f.label, _number(f), _ratio(f, baseline.get(f.label))] for f in figures(result)]
    return table(["figure", f"{result.size}x", f"ratio to {base.size}x"], rows)


def summary_table(results: Sequence[SizeResult]) -> str:
    """Every size's figures side by side, then each larger size's ratio to the smallest."""
    base, labels = results[0], [f.label for f in figures(results[0])]
    by_size = [{f.label: f for f in figures(result)} for result in results]
    headers = ["figure", *(f"{r.size}x" for r in results)]
    headers += [f"{r.size}x/{base.size}x" for r in results[1:]]
    rows = []
    for label in labels:
        cells = [by_size[i][label] for i in range(len(results)) if label in by_size[i]]
        if len(cells) != len(results):
            continue
        row = [label, *(_number(f) for f in cells)]
        row += [_ratio(f, cells[0]) for f in cells[1:]]
        rows.append(row)
    return table(headers, rows)


def goals_judge(results: Sequence[SizeResult], vendor: str) -> list[Goal]:
    """PASS or MISS for each goal of the issues, judged at the sizes they name."""
    largest = results[-1]
    return [
        _goal_queries(results),
        *_goal_pages(largest, vendor),
        _goal_first_byte(largest),
        *(goal for result in results if result.size >= 10 for goal in _goals_served(result)),
        _goal_write(largest),
        _goal_upload(largest),
        _goal_pdf(largest),
        *(_goal_pdf(result, PDF_LIMIT_10X_S) for result in results if result.size == 10),
        _goal_memory(largest),
    ]


def _goal_queries(results: Sequence[SizeResult]) -> Goal:
    """Each page's query count is the same at the smallest and the largest size."""
    small, large = results[0], results[-1]
    name = f"every page's query count is the same at {small.size}x and {large.size}x"
    if small is large:
        return Goal(name, "N/A", "only one size was measured")
    counts = {p.name: p.queries for p in small.pages}
    differ = [
        f"{p.name} {counts[p.name]} -> {p.queries}"
        for p in large.pages
        if counts[p.name] != p.queries
    ]
    detail = "; ".join(differ) if differ else "all equal"
    return Goal(name, "MISS" if differ else "PASS", detail)


def _goal_pages(largest: SizeResult, vendor: str) -> list[Goal]:
    """The three dashboards' median for one request is under 100 ms (PostgreSQL, at 100x),
    judged on the request right after a change (built afresh, not answered from the cache)."""
    goals = []
    for page in largest.pages:
        if page.name not in DASHBOARDS:
            continue
        name = (
            f"{page.name} at {largest.size}x: median under {PAGE_LIMIT_MS:.0f} ms, "
            "built afresh after a change"
        )
        detail = (
            f"median {page.rebuilt_median_ms:,.1f} ms, p95 {page.rebuilt_p95_ms:,.1f} ms "
            f"(from the cache: median {page.median_ms:,.1f} ms)"
        )
        if vendor != "postgresql" or largest.size < 100:
            goals.append(Goal(name, "N/A", f"{detail}; defined for PostgreSQL at 100x"))
            continue
        met = page.rebuilt_median_ms < PAGE_LIMIT_MS
        goals.append(Goal(name, "PASS" if met else "MISS", detail))
    return goals


def _goal_first_byte(largest: SizeResult) -> Goal:
    """Open data's first byte, served, arrives in under 50 ms."""
    name = f"open data's time to first byte under {FIRST_BYTE_LIMIT_MS:.0f} ms ({largest.size}x)"
    served = next((s for s in largest.served if s.name == "open data CSV"), None)
    if served is None:
        return Goal(name, "N/A", "not served in this run")
    met = served.first_byte_ms < FIRST_BYTE_LIMIT_MS
    detail = f"{served.first_byte_ms:,.1f} ms (median of single requests to gunicorn)"
    return Goal(name, "PASS" if met else "MISS", detail)


def _goals_served(result: SizeResult) -> list[Goal]:
    """Served throughput as a share of /healthz's, p95 under 1 s, and no failures."""
    goals = []
    for served in result.served:
        share = SERVED_SHARES.get(served.name)
        if share is not None:
            met = served.share_of_healthz >= share
            goals.append(
                Goal(
                    f"served {served.name} at {result.size}x: at least {share:.0%} of /healthz",
                    "PASS" if met else "MISS",
                    f"{served.rps:,.1f} req/s = {served.share_of_healthz:.2%} of "
                    f"{served.healthz_rps:,.0f}",
                )
            )
    slow = [f"{s.name} {s.p95_ms:,.0f} ms" for s in result.served if s.p95_ms > SERVED_P95_LIMIT_MS]
    failed = [f"{s.name} {s.failures}" for s in result.served if s.failures]
    goals.append(
        Goal(
            f"served at {result.size}x: every page's p95 under {SERVED_P95_LIMIT_MS:,.0f} ms",
            "MISS" if slow else "PASS",
            "; ".join(slow) or "all under",
        )
    )
    goals.append(
        Goal(
            f"served at {result.size}x: no errors",
            "MISS" if failed else "PASS",
            "; ".join(failed) or "none",
        )
    )
    return goals


def _goal_write(largest: SizeResult) -> Goal:
    """One reading's save, submission and approval costs under 2x what it did before."""
    name = f"one reading saved and approved: under {WRITE_COST_LIMIT:g}x the cost without"
    write = largest.write
    if write is None:
        return Goal(name, "N/A", "not measured")
    detail = (
        f"{write.with_scorecard_ms:,.1f} ms with the scorecard, "
        f"{write.without_scorecard_ms:,.1f} ms without ({write.ratio:.2f}x)"
    )
    return Goal(name, "PASS" if write.ratio < WRITE_COST_LIMIT else "MISS", detail)


def _goal_upload(largest: SizeResult) -> Goal:
    """A 10,000-row upload confirmed costs under 2x what it did without the scorecard."""
    name = (
        f"a {GOAL_UPLOAD_ROWS:,}-row upload confirmed: under {WRITE_COST_LIMIT:g}x the cost "
        "without the scorecard"
    )
    upload = largest.upload
    if upload is None or upload.rows < GOAL_UPLOAD_ROWS:
        rows = upload.rows if upload else 0
        return Goal(name, "N/A", f"only {rows:,} rows could be uploaded at {largest.size}x")
    without = upload.confirm_without_scorecard_s
    ratio = upload.confirm_s / without if without else 0.0
    detail = f"{upload.confirm_s:,.1f} s with, {without:,.1f} s without ({ratio:.2f}x)"
    return Goal(name, "PASS" if ratio < WRITE_COST_LIMIT else "MISS", detail)


def _goal_pdf(largest: SizeResult, limit: float = PDF_LIMIT_S) -> Goal:
    """A committee's PDF is built in under 20 s (under 5 s at 10x)."""
    pdf = next(r for r in largest.reports if r.fmt == "pdf")
    name = f"a committee's PDF under {limit:.0f} s (at {largest.size}x)"
    detail = f"{pdf.total_s:,.1f} s for {pdf.indicators:,} indicators ({pdf.committee})"
    if not pdf.finished:
        detail = (
            f"not finished after {pdf.total_s:,.0f} s (stopped) for {pdf.indicators:,} indicators"
        )
    met = pdf.finished and pdf.total_s < limit
    return Goal(name, "PASS" if met else "MISS", detail)


def _goal_memory(largest: SizeResult) -> Goal:
    """A report build's peak memory is under 500 MB."""
    worst = max(largest.reports, key=lambda r: r.peak_rss_mb)
    name = f"peak memory of a report build under {MEMORY_LIMIT_MB:.0f} MB (at {largest.size}x)"
    detail = f"worst is {worst.fmt}: {worst.peak_rss_mb:,.0f} MB peak RSS"
    if worst.peak_rss_mb >= MEMORY_LIMIT_MB:
        return Goal(name, "MISS", detail + (" before it was stopped" if not worst.finished else ""))
    unfinished = [r.fmt for r in largest.reports if not r.finished]
    if unfinished:
        return Goal(name, "N/A", f"{detail}; {', '.join(unfinished)} stopped before the end")
    return Goal(name, "PASS", detail)


def goals_text(goals: Sequence[Goal]) -> str:
    """One line a goal: its verdict, the goal, and the figures behind the verdict."""
    return "\n".join(f"{g.verdict:<4}  {g.name}: {g.detail}" for g in goals)


def json_write(
    path: Path, results: Sequence[SizeResult], goals: Sequence[Goal], meta: dict[str, Any]
) -> None:
    """All figures, goals and facts about the run, as JSON."""
    document = {
        **meta,
        "sizes": [asdict(result) for result in results],
        "goals": [asdict(goal) for goal in goals],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, default=str) + "\n", encoding="utf-8")
