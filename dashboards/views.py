"""Dashboards: one portfolio's indicators, or the whole plan's, for a chosen quarter."""

from __future__ import annotations

from datetime import date

from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string

from agreements.selectors import version_in_force
from ambitions.models import Ambition, Plan
from ambitions.selectors import plan_current
from core.downloads import spreadsheet_response
from core.pagecache import cached_for_the_public, cached_fragment
from dashboards import open_data
from dashboards.filters import IndicatorFilter
from dashboards.resources_panel import council_panel, portfolio_panel
from dashboards.scheme_selectors import milestone_panel, milestones_all
from dashboards.selectors import (
    IndicatorRow,
    block_mix,
    dashboard_build,
    dashboard_periods,
    default_period,
    heatmap_build,
    visible_scores,
)
from dashboards.tables import IndicatorTable, paginate
from measures.delivery import dates_phrase
from measures.models import MilestoneScore, ReportingPeriod
from measures.performance import Direction, Rag
from measures.permissions import audience_key, indicators_visible_to, milestone_audience
from measures.plans import in_plan, plan_of_period
from measures.scorecard import direction_sentence
from portfolios import selectors
from portfolios.models import Portfolio
from resources.permissions import finance_audience

EXPORT_COLUMNS = (
    "indicator_code",
    "indicator_title",
    "block",
    "lead_portfolio",
    "period",
    "value",
    "unit",
    "previous_value",
    "previous_period",
    "target",
    "rag",
    "direction",
    "direction_basis",
    "reading_status",
    "synthetic",
)


@cached_for_the_public
def portfolio_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """How one portfolio's indicators are doing in a quarter."""
    portfolio = selectors.portfolio_get(slug=slug)
    indicators = indicators_visible_to(request.user).filter(lead_portfolio=portfolio)
    blocks = Ambition.objects.filter(
        Q(delivery_priorities__assignments__portfolio=portfolio)
        | Q(delivery_priorities__all_cabinet_members=True)
    ).distinct()
    return _dashboard_page(
        request,
        indicators,
        {"portfolio": portfolio, "blocks": blocks},
        name=f"dashboard-{portfolio.slug}",
    )


@cached_for_the_public
def plan_dashboard(request: HttpRequest) -> HttpResponse:
    """Every block of the plan with its RAG mix and a heatmap, and every indicator: the plan
    the chosen quarter is reported against (the one in force today when there is none)."""
    period = _chosen_period(request)
    reported_against = plan_of_period(period) if period else None
    plan = reported_against or plan_current()
    indicators = in_plan(indicators_visible_to(request.user), plan)
    blocks = Ambition.objects.filter(plan=plan)
    return _dashboard_page(
        request,
        indicators,
        {"plan": plan, "blocks": blocks},
        name="dashboard-plan",
        with_heatmap=True,
        chosen=(period, reported_against),
    )


def _dashboard_page(
    request: HttpRequest,
    indicators: QuerySet,
    context: dict[str, object],
    *,
    name: str,
    with_heatmap: bool = False,
    chosen: tuple[ReportingPeriod | None, Plan | None] | None = None,
) -> HttpResponse:
    """`chosen`: the period and its plan, when the caller has read them already."""
    if chosen is None:
        period = _chosen_period(request)
        chosen = (period, plan_of_period(period) if period else None)
    period, plan = chosen
    milestones_export = request.GET.get("milestones")
    if period is not None and milestones_export:
        if milestones_export not in ("csv", "xlsx"):
            raise Http404("Exports are csv or xlsx.")
        milestones = milestones_all(
            blocks=context["blocks"],  # type: ignore[arg-type]
            period=period,
            audience=milestone_audience(request.user),
        )
        return spreadsheet_response(
            [_milestone_record(score, period) for score in milestones],
            MILESTONE_EXPORT_COLUMNS,
            fmt=milestones_export,
            name=f"{name}-milestones-{period.code}",
        )
    export = request.GET.get("export")
    if period is not None and export:
        if export not in ("csv", "xlsx"):
            raise Http404("Exports are csv or xlsx.")
        filters = _filters(request, indicators, plan, context)
        dashboard = dashboard_build(
            scores=visible_scores(request.user), indicators=filters.qs, period=period
        )
        rows = [IndicatorRow(score) for score in filters.scores_matching(dashboard.scores)]
        return _export(rows, dashboard.blocks(rows), export, f"{name}-{period.code}")

    def body() -> str:
        """Everything below the page's heading matter: the same for everyone who sees the
        same figures, so it is built once per data version (core.pagecache)."""
        page = {**context, "period": period, "reported_against": plan}
        if period is not None:
            page |= _dashboard_context(request, indicators, period, context, with_heatmap)
            # audience_key (the fragment's key) parts finance officers and the team from
            # everyone else, so figures awaiting approval stay with the workflow audience.
            audience = finance_audience(request.user)
            if isinstance(portfolio := context.get("portfolio"), Portfolio):
                page["agreement"] = version_in_force(
                    portfolio=portfolio, financial_year=period.financial_year
                )
                page["resources"] = portfolio_panel(
                    portfolio=portfolio, period=period, audience=audience
                )
            else:
                page["resources"] = council_panel(period=period, audience=audience)
        return render_to_string("dashboards/_dashboard_body.html", page, request=request)

    whose = audience_key(request.user)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            **context,
            "period": period,
            "body": cached_fragment(("dashboard", name, whose, request.get_full_path()), body),
        },
    )


def _dashboard_context(
    request: HttpRequest,
    indicators: QuerySet,
    period: ReportingPeriod,
    context: dict[str, object],
    with_heatmap: bool,
) -> dict[str, object]:
    plan = plan_of_period(period)
    filters = _filters(request, indicators, plan, context)
    scores = visible_scores(request.user)
    dashboard = dashboard_build(scores=scores, indicators=filters.qs, period=period)
    table = IndicatorTable(
        filters.scores_matching(dashboard.scores), order_by=request.GET.get("sort")
    )
    paginate(table, request)
    blocks = context["blocks"]
    return {
        "periods": dashboard_periods(request.user),
        "dashboard": dashboard,
        "shown_count": table.paginator.count,
        "filters": filters,
        "table": table,
        "today": date.today(),
        "block_mix": block_mix(dashboard) if with_heatmap else None,
        "heatmap": (
            heatmap_build(scores=scores, indicators=filters.qs, period=period)
            if with_heatmap
            else None
        ),
        # audience_key (the fragment's key) parts visitors at least as finely as
        # milestone_audience does, so a cached panel is only ever shown to its own audience.
        "milestones": milestone_panel(
            blocks=blocks,  # type: ignore[arg-type]
            period=period,
            audience=milestone_audience(request.user),
        ),
        "export_query": request.GET.urlencode(),
        "filters_set": sum(1 for name in filters.filters if request.GET.get(name)),
        "exceptions": dashboard.exceptions(),
        "worsened": dashboard.directions.get(Direction.WORSENED, 0),
        "off_target_query": _narrowed(request, rag=Rag.RED),
        "worsened_query": _narrowed(request, direction=Direction.WORSENED),
    }


def _narrowed(request: HttpRequest, **choice: str) -> str:
    """This page's query string with one status choice in place of any other (first page)."""
    query = request.GET.copy()
    for name in ("page", "rag", "direction", "export"):
        query.pop(name, None)
    query.update(choice)
    return query.urlencode()


def _filters(
    request: HttpRequest, indicators: QuerySet, plan: Plan | None, context: dict[str, object]
) -> IndicatorFilter:
    """The filter form; a portfolio's own dashboard has no "lead portfolio" choice."""
    filters = IndicatorFilter(request.GET or None, queryset=indicators, plan=plan)
    if "portfolio" in context:
        del filters.filters["portfolio"]
    return filters


def _chosen_period(request: HttpRequest) -> ReportingPeriod | None:
    code = request.GET.get("period")
    if code:
        period = dashboard_periods(request.user).filter(code=code).first()
        if period is None:
            raise Http404(f"There is no reporting period {code!r} to show.")
        return period
    return default_period(request.user)


def _export(
    rows: list[IndicatorRow], blocks: dict[int, Ambition], fmt: str, name: str
) -> HttpResponse:
    records = [
        {
            "indicator_code": row.indicator.code,
            "indicator_title": row.indicator.title,
            "block": blocks[row.indicator.pk].label,
            "lead_portfolio": getattr(row.indicator.lead_portfolio, "name", ""),
            "period": row.period.label,
            "value": row.value,
            "unit": row.indicator.get_unit_display(),
            "previous_value": row.previous_value,
            "previous_period": row.previous_period.label if row.previous_period else "",
            "target": row.target_value,
            "rag": row.rag.value,
            "direction": row.direction.value,
            "direction_basis": direction_sentence(row.score),
            "reading_status": row.reading_status,
            "synthetic": "yes" if row.synthetic else "no",
        }
        for row in rows
    ]
    return spreadsheet_response(records, EXPORT_COLUMNS, fmt=fmt, name=name)


MILESTONE_EXPORT_COLUMNS = (
    "block",
    "scheme",
    "milestone",
    "period",
    "status",
    "overdue",
    "original_date",
    "current_date",
    "revisions",
    "dates",
    "progress_note",
    "reason",
    "corrective_action",
    "update_period",
    "synthetic",
)


def _milestone_record(score: MilestoneScore, period: ReportingPeriod) -> dict[str, object]:
    """One milestone as the download holds it: dates as dates, the status and overdue in the
    words and flags the pages use (measures/delivery.py), the latest update's text."""
    scheme = score.milestone.scheme
    return {
        "block": scheme.focus_area.ambition.label,
        "scheme": scheme.name,
        "milestone": score.milestone.title,
        "period": period.code,
        "status": MilestoneScore.State(score.state).label,
        "overdue": "yes" if score.overdue else "no",
        "original_date": score.original_date,
        "current_date": score.current_date,
        "revisions": len(score.revisions),
        "dates": dates_phrase(score.original_date, score.current_date, score.revisions),
        "progress_note": score.progress_note,
        "reason": score.reason,
        "corrective_action": score.corrective_action,
        "update_period": score.update.period.code if score.update else "",
        "synthetic": "yes" if score.is_synthetic else "no",
    }


@cached_for_the_public
def open_data_page(request: HttpRequest) -> HttpResponse:
    """What the downloads hold, column by column, and under which licence."""
    release = open_data.release_current()
    count = release.rows if release else open_data.records_count()
    return render(
        request,
        "dashboards/open_data.html",
        {"columns": open_data.COLUMNS, "count": count, "licence": open_data.LICENCE},
    )


def open_data_csv(request: HttpRequest) -> HttpResponseBase:
    return _open_data_file(request, "readings.csv", "council-plan-readings.csv")


def open_data_json(request: HttpRequest) -> HttpResponseBase:
    return _open_data_file(request, "readings.json", "council-plan-readings.json")


def open_data_package(request: HttpRequest) -> HttpResponseBase:
    return _open_data_file(request, "datapackage.json", None)


def _open_data_file(request: HttpRequest, name: str, download: str | None) -> HttpResponseBase:
    """A file of the current release as stored (built first if there is none yet): 304 when
    the browser has it already, gzipped when the browser takes gzip."""
    release = open_data.release_current() or open_data.open_data_build()
    etag = release.etags[name]
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        stored = release.path(name) + (".gz" if gzipped else "")
        response = FileResponse(
            default_storage.open(stored, "rb"),
            as_attachment=download is not None,
            filename=download or name,
            content_type=open_data.FILES[name],
        )
        if gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = "public, no-cache"
    return response
