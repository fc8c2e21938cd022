"""A committee's report as a tagged, accessible PDF (PDF/UA-1), made by WeasyPrint from a
Django template with no network: every number arrives formatted, every chart as SVG."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from core.formatting import moment
from measures.delivery import EXCEPTIONS, state_phrase
from measures.performance import DIRECTION_LABELS, DIRECTION_SYMBOLS, RAG_SYMBOLS, Direction, Rag
from reports.charts import trend_svg, value_text
from reports.data import ReportData, ReportIndicator, ReportMilestone, ReportPortfolio
from reports.labels import (
    NO_READINGS,
    NOT_ENOUGH_DATA,
    REPORT_NAME,
    SYNTHETIC_NOTICE,
    rag_counts,
)
from reports.pdf_sections import (
    TABLE_ROWS_LIMIT,
    appendix_indicators,
    contents,
    exceptions_by_portfolio,
    is_long,
    summary_sentences,
)
from reports.resources_pdf import reserves_context, resources_context

TEMPLATE = "reports/report_pdf.html"
STYLESHEET = Path("static") / "css" / "report.css"  # relative to settings.BASE_DIR


class _DataOnlyFetcher(URLFetcher):
    """Refuses every URL except data: URIs, so a render never reaches the network or the disk."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        if not url.lower().startswith("data:"):
            raise ValueError(f"the report renderer fetches nothing but data: URIs (not {url!r})")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class _Row:
    """One indicator's line in the PDF, every number already as text."""

    code: str
    title: str
    unit_label: str
    baseline: str
    baseline_period: str
    previous: str
    previous_period: str
    latest: str
    latest_period: str
    target: str
    rag: str  # the Rag value, for the CSS class
    rag_symbol: str
    rag_label: str
    direction_symbol: str
    direction_label: str
    comparator: str
    comparator_label: str
    commentary: str
    corrective_action: str
    synthetic: bool
    trend: SafeString


def _row(indicator: ReportIndicator, *, with_trend: bool = False) -> _Row:
    rag, direction = Rag(indicator.rag), Direction(indicator.direction)

    def shown(value: Decimal | None) -> str:
        return value_text(indicator, value)

    return _Row(
        code=indicator.code,
        title=indicator.title,
        unit_label=indicator.unit_label,
        baseline=shown(indicator.baseline),
        baseline_period=indicator.baseline_period,
        previous=shown(indicator.previous),
        previous_period=indicator.previous_period,
        latest=shown(indicator.latest),
        latest_period=indicator.latest_period,
        target=shown(indicator.target),
        rag=rag.value,
        rag_symbol=RAG_SYMBOLS[rag],
        rag_label=indicator.rag_label,
        direction_symbol=DIRECTION_SYMBOLS[direction],
        direction_label=indicator.direction_label,
        comparator=shown(indicator.comparator) if indicator.comparator is not None else "",
        comparator_label=indicator.comparator_label,
        commentary=indicator.commentary,
        corrective_action=indicator.corrective_action,
        synthetic=indicator.synthetic,
        trend=trend_svg(indicator) if with_trend else SafeString(""),
    )


@dataclass(frozen=True)
class _MilestoneRow:
    """One milestone's line in the PDF, its status in words ("Slipped · Overdue")."""

    milestone: ReportMilestone
    status: str
    exception: bool  # slipped or at risk: its reason and corrective action are shown too
    moved_because: str  # why its date last moved, unless the reason shown already says so


def _milestone_row(milestone: ReportMilestone) -> _MilestoneRow:
    exception = milestone.state in EXCEPTIONS
    said = exception and milestone.revision_reason == milestone.reason
    return _MilestoneRow(
        milestone=milestone,
        status=state_phrase(milestone.state, milestone.overdue),
        exception=exception,
        moved_because="" if said else milestone.revision_reason,
    )


def _pdf_context(data: ReportData) -> dict[str, object]:
    created = data.generated_at
    long = is_long(data)
    exceptions_left, exceptions = exceptions_by_portfolio(data)
    left_out, appendix = appendix_indicators(data)
    appendix_rows = [_row(indicator, with_trend=True) for indicator in appendix]
    return {
        "data": data,
        "report_name": REPORT_NAME,
        "document_title": f"{data.committee}: {REPORT_NAME}, {data.period_label}",
        "created": created.isoformat(timespec="seconds") if timezone.is_aware(created) else "",
        "data_as_at": (f"Data as at {moment(data.data_as_at)}" if data.data_as_at else NO_READINGS),
        "generated": f"Generated {moment(data.generated_at)}",
        "synthetic_notice": SYNTHETIC_NOTICE,
        "contents": contents(data),
        "summary_sentences": summary_sentences(data),
        "rag_counts": rag_counts(data.counts),
        "directions": [
            (DIRECTION_SYMBOLS[Direction(d)], DIRECTION_LABELS[Direction(d)], count)
            for d, count in data.directions
        ],
        "introductions": [(p.name, p.introduction) for p in data.portfolios if p.introduction],
        "exceptions": exceptions,
        "exceptions_left": exceptions_left,
        "long": long,
        "table_limit": TABLE_ROWS_LIMIT,
        "portfolios": [
            _portfolio_context(p, data.period_label, n, long=long)
            for n, p in enumerate(data.portfolios, start=1)
        ],
        "since": data.since,
        "recommendation_groups": (
            [
                ("Open", data.recommendations.open),
                (f"Closed {data.recommendations.since_text}", data.recommendations.closed_since),
            ]
            if data.recommendations
            else []
        ),
        "appendix_grids": [
            appendix_rows[start : start + TRENDS_PER_GRID]
            for start in range(0, len(appendix_rows), TRENDS_PER_GRID)
        ],
        "appendix_left_out": left_out,
        "fingerprint_short": data.fingerprint[:12],
        "not_enough_data": NOT_ENOUGH_DATA,
        "reserves": reserves_context(data.reserves),
    }


# Trend charts are laid out in grids of this many (four rows of three), not one grid per
# portfolio: WeasyPrint's time to split one grid over pages grows with the square of its
# length (a 3,355-indicator report took 25 minutes), while many small grids grow linearly.
TRENDS_PER_GRID = 12


def _portfolio_context(
    portfolio: ReportPortfolio, period_label: str, number: int, *, long: bool
) -> dict[str, object]:
    """One portfolio's section: its counts, its indicators' and milestones' tables (in a long
    report, their counts only), and its finance figures."""
    return {
        "anchor": f"portfolio-{number}",
        "name": portfolio.name,
        "counts": [c for c in rag_counts(portfolio.counts) if c[3]],
        "total": len(portfolio.indicators),
        "rows": [] if long else [_row(indicator) for indicator in portfolio.indicators],
        "milestone_summary": portfolio.milestone_summary,
        "milestones": (
            [] if long else [_milestone_row(milestone) for milestone in portfolio.milestones]
        ),
        "resources": resources_context(portfolio.resources, period_label),
    }


def _stylesheet() -> CSS:
    path = Path(settings.BASE_DIR) / STYLESHEET
    return CSS(string=path.read_text(encoding="utf-8"), url_fetcher=_DataOnlyFetcher())


def render_pdf(data: ReportData) -> bytes:
    """The report as a tagged, accessible PDF (PDF/UA-1): cover, summary, per portfolio its
    indicators, their trends, its milestones and its finance figures, then the council's
    reserves if the committee covers every portfolio.

    Title, language (en-GB), author and creation date come from the HTML's <title>, lang and
    <meta> elements. Nothing is fetched: the stylesheet is read from disk and any URL but a
    data: URI is refused.
    """
    html = render_to_string(TEMPLATE, _pdf_context(data))
    fetcher = _DataOnlyFetcher()
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        stylesheets=[_stylesheet()],
        pdf_variant="pdf/ua-1",  # PDF 1.7, tagged (StructTreeRoot, MarkInfo), UA metadata
        pdf_tags=True,
    )
    return pdf
