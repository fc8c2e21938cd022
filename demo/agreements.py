"""Synthetic agreements for the demo: for each year the demo shows, an amendment of every
portfolio's agreement, labelled as made up, giving a believable target to each indicator the
plan sets no number for (the plan's own targets and trajectories are kept). So the demo's
dashboards show a real mix of on, close to and off target instead of "No target"."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User

from agreements import services
from agreements.models import AgreedMeasure, Agreement, AgreementVersion, VersionState
from agreements.selectors import schemes_for
from measures.models import Indicator, IndicatorPolarity

SYNTHETIC_REASON = (
    "Demo data: made-up targets, so the demo shows how targets judge. Not the council's."
)
SYNTHETIC_NOTE = "Synthetic demo target: not the council's."
DECIDED_BY = "Cabinet (demo)"
KEY_PROJECTS = 3
SYNTHETIC_INTRODUCTION = (
    "Demo data: a made-up introduction, not the portfolio holder's words.\n\n"
    "This year {portfolio} will keep its focus on the plan's ambitions, report every measure "
    "below to scrutiny each quarter, and deliver the key projects listed, with their "
    "milestones."
)
LEVELS = {
    "percentage": (35, 85),
    "percentage_points": (4, 15),
    "count": (20, 400),
    "rate_per_1000": (5, 80),
    "rate_per_10000": (20, 120),
    "rate_per_100000": (100, 900),
    "currency": (1000, 90000),
    "days": (5, 40),
    "ratio": (0.5, 3),
    "score": (3, 8),
}


def synthetic_agreements(*, years: list[int], by: User, today: date) -> int:
    """Amend each agreed agreement of these years with synthetic targets; how many."""
    made = 0
    agreements = Agreement.objects.filter(financial_year__in=years).select_related("portfolio")
    for agreement in agreements:
        current = agreement.versions.filter(state=VersionState.AGREED).first()
        if (
            current is None
            or current.is_synthetic
            or any(v.is_open for v in agreement.versions.all())
        ):
            continue
        amendment = services.amend_start(
            agreement=agreement,
            by=by,
            reason=SYNTHETIC_REASON,
            effective_from=agreement.year_start,
        )
        AgreementVersion.objects.filter(pk=amendment.pk).update(is_synthetic=True)
        amendment.refresh_from_db()
        services.details_save(
            version=amendment,
            introduction=SYNTHETIC_INTRODUCTION.format(portfolio=agreement.portfolio.name),
            scheme_ids=[s.pk for s in schemes_for(portfolio=agreement.portfolio)[:KEY_PROJECTS]],
            by=by,
            revision=amendment.revision,
        )
        rows = {
            measure.indicator.code: _row(measure)
            for measure in amendment.measures.select_related("indicator").prefetch_related(
                "indicator__trajectories"
            )
            if _needs_target(measure)
        }
        amendment.refresh_from_db()
        services.measures_save(
            version=amendment, rows=rows, by=by, revision=amendment.revision, note=SYNTHETIC_REASON
        )
        amendment.refresh_from_db()
        services.agree(
            version=amendment,
            by=by,
            agreed_on=min(date(agreement.financial_year, 3, 18), today),
            decided_by=DECIDED_BY,
            revision=amendment.revision,
            today=today,
        )
        made += 1
    return made


def level_of(indicator: Indicator) -> Decimal:
    """Where the indicator's synthetic values sit, the same every run (seeded by its code)."""
    rng = random.Random(indicator.code)  # noqa: S311 - demo figures, not security
    low, high = LEVELS.get(indicator.unit, (1, 100))
    return Decimal(str(rng.uniform(low, high)))


def _needs_target(measure: AgreedMeasure) -> bool:
    indicator = measure.indicator
    return (
        measure.target is None
        and not indicator.trajectories.all()
        and indicator.unit != Indicator.Unit.YES_NO
        and measure.polarity != IndicatorPolarity.ON_TARGET_BAND
    )


def _row(measure: AgreedMeasure) -> dict[str, str]:
    indicator = measure.indicator
    rng = random.Random(f"target/{indicator.code}")  # noqa: S311 - demo figures, not security
    level = level_of(indicator)
    stretch = rng.uniform(0.97, 1.06)
    if measure.polarity == IndicatorPolarity.LOWER_IS_BETTER:
        stretch = 2 - stretch
    step = Decimal(1).scaleb(-indicator.decimal_places)
    target = (level * Decimal(str(stretch))).quantize(step, rounding=ROUND_HALF_UP)
    if indicator.unit == Indicator.Unit.PERCENTAGE:
        target = min(target, Decimal(99))
    tolerance = max(step, (target * Decimal("0.05")).quantize(step, rounding=ROUND_HALF_UP))
    return {
        "reported": "yes",
        "target": format(target, "f"),
        "tolerance": format(tolerance, "f"),
        "polarity": measure.polarity,
        "note": SYNTHETIC_NOTE,
    }
