"""Build a committee's report data for a period from the database: the members' stored
scores of indicators and milestones, and the finance figures members see (approved and
published readings, updates and figures only)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from datetime import date, datetime

from django.db.models import Max
from django.utils import timezone

from agreements.selectors import version_in_force
from ambitions.models import Ambition, Plan
from core.formatting import unit_suffix
from dashboards.selectors import IndicatorRow, dashboard_build
from measures.delivery import dates_phrase
from measures.models import Comparator, Indicator, MilestoneScore, ReportingPeriod
from measures.performance import DIRECTION_LABELS, RAG_LABELS, Direction, count_rag
from measures.permissions import (
    milestone_scores_members_see,
    readings_members_see,
    scores_members_see,
)
from measures.plans import in_plan, plan_of_period
from measures.templatetags.performance import measured
from portfolios.models import DeliveryAssignment, Portfolio, ScrutinyCommittee
from reports.data import ReportData, ReportIndicator, ReportMilestone, ReportPortfolio
from reports.exceptions import exceptions_of
from reports.models import ReportRun
from reports.resources_build import report_resources_build
from reports.since import ReportSince, changes_since, snapshot_of
from scrutiny.selectors import recommendations_for_report


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
    scores, delivered_by = _milestone_scores(remit, period, plan)
    milestones = [_milestone(score) for score in scores]
    delivering = [delivered_by[score.milestone.scheme.focus_area.ambition_id] for score in scores]
    resources, reserves = report_resources_build(remit=remit, period=period)
    portfolios = tuple(
        ReportPortfolio(
            name=portfolio.name,
            counts=count_rag(row.rag for row in by_portfolio[portfolio.pk]),
            indicators=tuple(
                _indicator(row, comparators.get(row.indicator.pk))
                for row in by_portfolio[portfolio.pk]
            ),
            milestones=tuple(
                milestone
                for milestone, by in zip(milestones, delivering, strict=True)
                if portfolio.pk in by
            ),
            resources=resources[portfolio.pk],
            introduction=_introduction(portfolio, period),
        )
        for portfolio in remit
    )
    exceptions = exceptions_of(portfolios)
    readings_as_at = readings.filter(
        indicator__in=indicators, period__end__lte=period.end
    ).aggregate(latest=Max("updated_at"))["latest"]
    moments = [readings_as_at, *(score.last_changed for score in scores)]
    as_at = max((moment for moment in moments if moment is not None), default=None)
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
        milestones=tuple(milestones),
        synthetic=(
            any(row.synthetic for row in rows)
            or any(m.synthetic for m in milestones)
            or any(r.synthetic for r in resources.values())
            or bool(reserves and reserves.synthetic)
        ),
        fingerprint="",
        reserves=reserves,
        exceptions=exceptions,
        since=_since(committee, period, snapshot_of(exceptions, portfolios)),
        recommendations=recommendations_for_report(committee, period, as_of=_day_of(generated_at)),
    )
    return replace(data, fingerprint=fingerprint_of(data))


def report_snapshot(data: ReportData) -> dict[str, object]:
    """What a report keeps for the next one to compare with."""
    return snapshot_of(data.exceptions, data.portfolios)


def _day_of(moment: datetime) -> date:
    """The council's day a report was made on (a naive time is taken as local already)."""
    return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).date()


def _introduction(portfolio: Portfolio, period: ReportingPeriod) -> str:
    version = version_in_force(portfolio=portfolio, financial_year=period.financial_year)
    return version.introduction.strip() if version else ""


def _since(
    committee: ScrutinyCommittee, period: ReportingPeriod, snapshot: dict[str, object]
) -> ReportSince | None:
    """This report against the committee's last report for an earlier period, if any."""
    last = (
        ReportRun.objects.filter(
            committee=committee, status=ReportRun.Status.DONE, period__start__lt=period.start
        )
        .exclude(snapshot={})
        .select_related("period")
        .order_by("-period__start", "-finished_at", "-pk")
        .first()
    )
    if last is None:
        return None
    return changes_since(
        snapshot=snapshot,
        last=last.snapshot,
        period_label=last.period.label,
        fingerprint=last.fingerprint,
    )


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
        tolerance=score.tolerance,
        polarity=indicator.polarity,
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


def _milestone_scores(
    remit: list[Portfolio], period: ReportingPeriod, plan: Plan | None
) -> tuple[list[MilestoneScore], dict[int, set[int]]]:
    """The members' scores of the milestones of the blocks the remit's portfolios deliver, in
    the plan the period is reported against, exceptions first (slipped, at risk, no update…,
    overdue first within each) then in the plan's order; and which of the remit's portfolios
    deliver each block (by block id)."""
    delivered_by: dict[int, set[int]] = {}
    assignments = DeliveryAssignment.objects.filter(
        portfolio__in=remit, priority__blocks__isnull=False
    ).order_by()
    for portfolio_id, block_id in assignments.values_list("portfolio_id", "priority__blocks"):
        delivered_by.setdefault(block_id, set()).add(portfolio_id)
    blocks = Ambition.objects.filter(pk__in=list(delivered_by))
    if plan is not None:
        blocks = blocks.filter(plan=plan)
    scores = (
        milestone_scores_members_see()
        .filter(
            milestone__scheme__focus_area__ambition__in=blocks,
            # Milestones are judged by quarter: a year's report reads its last quarter's.
            period__kind=ReportingPeriod.Kind.QUARTER,
            period__end=period.end,
        )
        .select_related("milestone__scheme__focus_area__ambition__kind")
        .order_by(
            "state_order",
            "-overdue",
            "milestone__scheme__focus_area__ambition__position",
            "milestone__scheme__focus_area__position",
            "milestone__scheme__position",
            "milestone__position",
            "milestone__pk",
        )
    )
    return list(scores), delivered_by


def _milestone(score: MilestoneScore) -> ReportMilestone:
    milestone, revisions = score.milestone, score.revisions
    return ReportMilestone(
        block=milestone.scheme.focus_area.ambition.label,
        scheme=milestone.scheme.name,
        title=milestone.title,
        state=score.state,
        state_label=score.get_state_display(),
        overdue=score.overdue,
        original_date=score.original_date,
        current_date=score.current_date,
        dates=dates_phrase(score.original_date, score.current_date, revisions),
        revisions=len(revisions),
        revision_reason=revisions[-1]["reason"] if revisions else "",
        progress_note=score.progress_note,
        reason=score.reason,
        corrective_action=score.corrective_action,
        update_period=score.update_period,
        synthetic=score.is_synthetic,
    )
