"""The report's parts in the order a committee reads them: contents, an executive summary of
every count, the portfolio holders' introductions, the exceptions, each portfolio, what
changed since the last report, and the appendix. This module says what each part holds and
how much of the full list a PDF carries (the rest is in the workbook and CSV)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.formatting import money_short
from measures.performance import Direction
from measures.summary import direction_clause, status_sentence
from reports.data import ReportData, ReportIndicator, ReportPortfolio
from reports.exceptions import KINDS, ReportException, indicator_findings
from resources.money import variance_sentence

# How much of a long report the PDF carries: a committee reads exceptions, not 3,000 rows, and
# WeasyPrint's time and memory grow with every row (at 10x, 318 indicators in full tables with
# 120 trends took 18.6 s; the goal is 5 s). Past TABLE_ROWS_LIMIT indicators the
# portfolios' indicator and milestone tables give way to their counts (the exceptions are
# listed once, under Exceptions); the workbook and CSV always hold everything.
TABLE_ROWS_LIMIT = 150
EXCEPTIONS_LIMIT = 100
TRENDS_LIMIT = 60
TRENDS_LIMIT_LONG = 48
# Which exceptions a PDF lists first when it cannot list them all: off target, then slipped,
# budget lines, worsened, at risk, no data.
_RANK = ("off target", "Slipped", "over the threshold", "Worsened", "At risk", "No figure")


@dataclass(frozen=True)
class Part:
    anchor: str
    title: str


def contents(data: ReportData) -> list[Part]:
    parts = [Part("summary", "Executive summary")]
    if any(p.introduction for p in data.portfolios):
        parts.append(Part("introductions", "Portfolio holders' introductions"))
    parts.append(Part("exceptions", "Exceptions"))
    parts += [Part(f"portfolio-{n}", p.name) for n, p in enumerate(data.portfolios, start=1)]
    if data.reserves:
        parts.append(Part("reserves", "Council reserves"))
    parts.append(Part("since", "Changes since the last report"))
    parts.append(Part("recommendations", "Recommendations and their progress"))
    parts.append(Part("appendix", "Appendix: indicator trends"))
    return parts


def summary_sentences(data: ReportData) -> list[tuple[str, str]]:
    """(heading, sentence): every count of the report, one plain sentence each."""
    directions = {Direction(d): n for d, n in data.directions}
    sentences = [
        ("Indicators", status_sentence(data.counts)),
        ("Direction of travel", f"{direction_clause(directions).capitalize()}."),
        ("Milestones", data.milestone_summary),
        ("Resources", resources_sentence(data.portfolios)),
        ("Exceptions", exceptions_sentence(data.exceptions)),
    ]
    return sentences


def resources_sentence(portfolios: Sequence[ReportPortfolio]) -> str:
    """The remit's forecast variance and savings at risk, summed over its portfolios."""
    revenue = [p.resources.revenue for p in portfolios if p.resources and p.resources.revenue]
    savings = [p.resources.savings for p in portfolios if p.resources and p.resources.savings]
    if not revenue and not savings:
        return "No finance figures are approved for the quarter."
    said = []
    if revenue:
        budget = sum((r.current_budget for r in revenue), Decimal(0))
        forecast = sum((r.forecast_outturn for r in revenue), Decimal(0))
        said.append(variance_sentence(budget=budget, forecast=forecast).rstrip("."))
    if savings:
        target = sum((s.target_saving for s in savings), Decimal(0))
        delivered = sum((s.forecast_delivered for s in savings), Decimal(0))
        risky = sum(len(s.not_on_track) for s in savings)
        said.append(
            f"{money_short(delivered)} of {money_short(target)} savings forecast to be "
            f"delivered, {risky} saving{'s' if risky != 1 else ''} at risk or not to be "
            "delivered in full"
        )
    return "; ".join(said) + "."


def exceptions_sentence(exceptions: Sequence[ReportException]) -> str:
    if not exceptions:
        return (
            "No exceptions: nothing is off target, worsened beyond its tolerance, missing, "
            "slipped, at risk or over the budget threshold."
        )
    counts = {kind: sum(1 for e in exceptions if e.kind == kind) for kind in KINDS}
    parts = [f"{n} {KINDS[kind][1]}" for kind, n in counts.items()]
    return f"{len(exceptions)} exception{'s' if len(exceptions) != 1 else ''}: {', '.join(parts)}."


def exceptions_by_portfolio(
    data: ReportData,
) -> tuple[int, list[tuple[str, list[ReportException]]]]:
    """The exceptions the PDF lists, by portfolio in the remit's order (the most serious
    EXCEPTIONS_LIMIT if there are more), and how many it leaves to the workbook."""
    chosen = sorted(data.exceptions, key=_rank)[:EXCEPTIONS_LIMIT]
    kept = {e.key for e in chosen}
    grouped: dict[str, list[ReportException]] = {p.name: [] for p in data.portfolios}
    for exception in data.exceptions:
        if exception.key in kept:
            grouped.setdefault(exception.portfolio, []).append(exception)
    left = len(data.exceptions) - len(chosen)
    return left, [(name, items) for name, items in grouped.items() if items]


def _rank(exception: ReportException) -> int:
    said = " ".join(exception.findings)
    return next((n for n, word in enumerate(_RANK) if word in said), len(_RANK))


def is_long(data: ReportData) -> bool:
    """Whether the report is too long for the PDF to carry every indicator's row."""
    return sum(len(p.indicators) for p in data.portfolios) > TABLE_ROWS_LIMIT


def appendix_indicators(data: ReportData) -> tuple[int, list[ReportIndicator]]:
    """The indicators whose trends the appendix draws (exceptions first, up to TRENDS_LIMIT),
    and how many were left out."""
    every = [i for p in data.portfolios for i in p.indicators]
    limit = TRENDS_LIMIT_LONG if is_long(data) else TRENDS_LIMIT
    ordered = sorted(every, key=lambda i: not indicator_findings(i))
    return max(0, len(every) - limit), ordered[:limit]
