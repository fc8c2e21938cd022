"""Build a committee's report data for a period from the database (approved readings only)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from datetime import datetime

from django.db.models import Max

from ambitions.models import Ambition
from core.formatting import unit_suffix
from dashboards.selectors import IndicatorRow, dashboard_build, milestones_due
from measures.models import Comparator, Indicator, ReportingPeriod
from measures.performance import DIRECTION_LABELS, RAG_LABELS, Direction, count_rag
from measures.permissions import readings_members_see, scores_members_see
from measures.plans import in_plan, plan_of_period
from measures.templatetags.performance import measured
from portfolios.models import ScrutinyCommittee
from reports.data import ReportData, ReportIndicator, ReportMilestone, ReportPortfolio


def report_data_build(
    *, committee: ScrutinyCommittee, period: ReportingPeriod, generated_at: datetime
) -> ReportData:
    """Everything the committee's report shows for the period, with its data fingerprint."""
    remit = list(committee.remit.order_by("position"))
    readings = readings_members_see()
    plan = plan_of_period(period)
    indicators = in_plan(Indicator.objects.filter(lead_portfolio__in=remit), plan)
    dashboard = dashboard_build(scores=scores_members_see(), indicators=indicators, period=period)
    rows = dashboard.rows()
    comparators: dict[int, Comparator] = {}
    for comparator in Comparator.objects.filter(period=period, indicator__in=indicators):
        comparators.setdefault(comparator.indicator_id, comparator)  # the first, by label
    by_portfolio: dict[int, list[IndicatorRow]] = {p.pk: [] for p in remit}
    for row in rows:
        by_portfolio[row.indicator.lead_portfolio_id].append(row)  # type: ignore[index]
    portfolios = tuple(
        ReportPortfolio(
            name=portfolio.name,
            counts=count_rag(row.rag for row in by_portfolio[portfolio.pk]),
            indicators=tuple(
                _indicator(row, comparators.get(row.indicator.pk))
                for row in by_portfolio[portfolio.pk]
            ),
        )
        for portfolio in remit
    )
    blocks = Ambition.objects.filter(delivery_priorities__assignments__portfolio__in=remit)
    as_at = readings.filter(indicator__in=indicators, period__end__lte=period.end).aggregate(
        latest=Max("updated_at")
    )["latest"]
    data = ReportData(
        council=plan.council if plan else "",
        plan_title=plan.title if plan else "",
        committee=committee.name,
        period_label=period.label,
        period_code=period.code,
        data_as_at=as_at,
        generated_at=generated_at,
        summary=dashboard.summary,
        counts=dashboard.counts,
        directions=tuple(dashboard.directions.items()),
        changes=tuple(_changes(rows)),
        portfolios=portfolios,
        milestones=tuple(_milestones(blocks.distinct(), period)),
        synthetic=any(row.synthetic for row in rows),
        fingerprint="",
    )
    return replace(data, fingerprint=fingerprint_of(data))


def fingerprint_of(data: ReportData) -> str:
    """A hash of the report's content, leaving out when it was generated."""
    content = asdict(replace(data, generated_at=datetime.min, fingerprint=""))
    text = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _indicator(row: IndicatorRow, comparator: Comparator | None) -> ReportIndicator:
    indicator, score = row.indicator, row.score
    return ReportIndicator(
        code=indicator.code,
        title=indicator.title,
        unit=indicator.unit,
        unit_label=unit_suffix(indicator.unit) or indicator.get_unit_display().lower(),
        decimal_places=indicator.decimal_places,
        baseline=indicator.baseline_value,
        baseline_period=indicator.baseline_period,
        previous=row.previous_value,
        previous_period=row.previous_period.label if row.previous_period else "",
        latest=row.value,
        latest_period=row.period.label,
        target=row.target_value,
        rag=row.rag,
        rag_label=RAG_LABELS[row.rag],
        direction=row.direction,
        direction_label=DIRECTION_LABELS[row.direction],
        comparator=comparator.value if comparator else None,
        comparator_label=comparator.label if comparator else "",
        commentary=score.commentary,
        corrective_action=score.corrective_action,
        synthetic=row.synthetic,
        trend=tuple(zip(row.trend_labels, row.trend, strict=True)),
    )


def _changes(rows: list[IndicatorRow]) -> list[str]:
    """Plain sentences about what moved since the previous comparable period."""
    sentences = []
    for row in rows:
        if row.direction in (Direction.IMPROVED, Direction.WORSENED) and row.previous_period:
            word = "improved" if row.direction == Direction.IMPROVED else "worsened"
            sentences.append(
                f"{row.indicator.code} {row.indicator.title} {word}: "
                f"{measured(row.previous_value, row.indicator)} in {row.previous_period.label}, "
                f"{measured(row.value, row.indicator)} in {row.period.label}."
            )
    return sentences


def _milestones(blocks: object, period: ReportingPeriod) -> list[ReportMilestone]:
    return [
        ReportMilestone(
            block=m.scheme.focus_area.ambition.label,
            scheme=m.scheme.name,
            title=m.title,
            due=m.due,
            due_date=m.due_date,
            status_label=m.get_status_display(),
        )
        for m in milestones_due(blocks=blocks, period=period)  # type: ignore[arg-type]
    ]
