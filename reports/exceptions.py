"""What needs the committee's attention, first: each indicator off target, worsened beyond
its tolerance or with no figure when one was due; each milestone slipped or at risk; each
budget line whose variance is over the threshold. Judged by measures/performance.py and
measures/delivery.py, worded here once for the PDF and compared between reports by key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.formatting import money_short
from measures.delivery import EXCEPTIONS, state_phrase
from measures.performance import MATERIAL_SHARE, Rag, worsened_beyond_tolerance
from reports.charts import value_text
from reports.data import ReportIndicator, ReportMilestone, ReportPortfolio
from reports.resources_data import ReportRevenueLine

KINDS = {  # kind: (one, many)
    "indicator": ("Indicator", "indicators"),
    "milestone": ("Milestone", "milestones"),
    "budget": ("Budget line", "budget lines"),
}


@dataclass(frozen=True)
class ReportException:
    """One thing a committee should look at, with what the officer says about it."""

    key: str  # the same thing has the same key in every report: "indicator:A1.M1.1"
    kind: str  # indicator | milestone | budget
    portfolio: str
    title: str
    findings: tuple[str, ...]  # why it is an exception, each a short sentence
    commentary: str
    corrective_action: str

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind][0]


def exceptions_of(portfolios: Sequence[ReportPortfolio]) -> tuple[ReportException, ...]:
    """Every exception of the report, portfolio by portfolio: indicators, then milestones,
    then budget lines; a milestone two portfolios deliver is listed once, under the first."""
    found: dict[str, ReportException] = {}
    for portfolio in portfolios:
        for indicator in portfolio.indicators:
            if findings := indicator_findings(indicator):
                _add(found, _indicator(portfolio.name, indicator, findings))
        for milestone in portfolio.milestones:
            if milestone.state in EXCEPTIONS:
                _add(found, _milestone(portfolio.name, milestone))
        revenue = portfolio.resources.revenue if portfolio.resources else None
        if revenue is not None:
            for line in revenue.over_threshold:
                _add(found, _budget(portfolio.name, line, revenue.threshold))
    return tuple(found.values())


def indicator_findings(indicator: ReportIndicator) -> tuple[str, ...]:
    """Why an indicator is an exception (empty: it is not one)."""
    findings = []
    latest = value_text(indicator, indicator.latest)
    if indicator.rag == Rag.RED and indicator.target is not None:
        target = value_text(indicator, indicator.target)
        findings.append(f"{latest} against a target of {target}: off target.")
    if indicator.rag == Rag.NO_DATA:
        findings.append(f"No figure for {indicator.latest_period or 'the period'}, though due.")
    if worsened_beyond_tolerance(
        indicator.direction, indicator.previous, indicator.latest, indicator.tolerance
    ):
        previous = value_text(indicator, indicator.previous)
        allowed = (
            f"its tolerance of {value_text(indicator, indicator.tolerance)}"
            if indicator.tolerance > 0
            else f"{MATERIAL_SHARE * 100:.0f}%"
        )
        findings.append(
            f"Worsened from {previous} ({indicator.previous_period}) to {latest}, by more "
            f"than {allowed}."
        )
    return tuple(findings)


def _indicator(
    portfolio: str, indicator: ReportIndicator, findings: tuple[str, ...]
) -> ReportException:
    return ReportException(
        key=f"indicator:{indicator.code}",
        kind="indicator",
        portfolio=portfolio,
        title=f"{indicator.code} {indicator.title}",
        findings=findings,
        commentary=indicator.commentary,
        corrective_action=indicator.corrective_action,
    )


def _milestone(portfolio: str, milestone: ReportMilestone) -> ReportException:
    status = state_phrase(milestone.state, milestone.overdue)
    return ReportException(
        key=f"milestone:{milestone.scheme}:{milestone.title}",
        kind="milestone",
        portfolio=portfolio,
        title=f"{milestone.scheme}: {milestone.title}",
        findings=(f"{status}; {milestone.dates}.",),
        commentary=milestone.reason or milestone.progress_note,
        corrective_action=milestone.corrective_action,
    )


def _budget(portfolio: str, line: ReportRevenueLine, threshold: str) -> ReportException:
    what = "overspend" if line.variance > 0 else "underspend"
    return ReportException(
        key=f"budget:{portfolio}:{line.service_line}",
        kind="budget",
        portfolio=portfolio,
        title=line.service_line or f"{portfolio} revenue budget",
        findings=(
            f"Forecast {what} of {money_short(abs(line.variance))} on a budget of "
            f"{money_short(line.current_budget)}, over the threshold ({threshold}).",
        ),
        commentary=line.explanation,
        corrective_action="",
    )


def _add(found: dict[str, ReportException], exception: ReportException) -> None:
    found.setdefault(exception.key, exception)
