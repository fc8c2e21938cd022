"""The periods' targets an agreement version sets: the year's target, and for a quarterly
indicator each quarter's from the profile, for the periods ending on or after its effective
date; an indicator the version it replaces reported and it drops loses its target from then."""

from __future__ import annotations

from collections.abc import Iterable

from agreements.models import AgreedMeasure, AgreementVersion
from agreements.rules import profile_of
from core.upsert import LoadReport
from measures.loaders import periods_ensure
from measures.models import Indicator, ReportingPeriod
from measures.services import TargetValues

Targets = dict[tuple[Indicator, ReportingPeriod], TargetValues | None]


def targets_of(version: AgreementVersion, replaced: AgreementVersion | None) -> Targets:
    """Each period's target as the version sets it, for the periods ending on or after its
    effective date; None for an indicator the version it replaces reported and it drops."""
    agreement = version.agreement
    periods_ensure(
        first_year=agreement.financial_year, last_year=agreement.financial_year, report=LoadReport()
    )
    periods = [
        p
        for p in ReportingPeriod.objects.filter(financial_year=agreement.financial_year)
        if p.end >= version.effective_from
    ]
    targets: Targets = {}
    kept = set()
    for measure in version.measures.select_related("indicator"):
        kept.add(measure.indicator_id)
        targets.update(measure_targets(measure, periods))
    if replaced is not None:
        for measure in replaced.measures.select_related("indicator").exclude(indicator_id__in=kept):
            targets.update({key: None for key in measure_targets(measure, periods)})
    return targets


def measure_targets(measure: AgreedMeasure, periods: Iterable[ReportingPeriod]) -> Targets:
    indicator = measure.indicator
    quarterly = indicator.frequency != Indicator.Frequency.ANNUAL
    polarity = "" if measure.polarity == indicator.polarity else measure.polarity
    follows = indicator.trajectories.exists()
    profile = (
        profile_of(indicator, measure.target, measure.profile, follows_trajectory=follows)
        if measure.target is not None
        else []
    )
    targets: Targets = {}
    for period in periods:
        if period.kind == ReportingPeriod.Kind.QUARTER and not quarterly:
            continue
        if measure.target is None:
            targets[(indicator, period)] = None
            continue
        value = profile[period.quarter - 1] if period.quarter else measure.target
        if value is None:
            targets[(indicator, period)] = None
            continue
        targets[(indicator, period)] = TargetValues(
            value=value, upper=measure.upper, tolerance=measure.tolerance, polarity=polarity
        )
    return targets
