"""Setting the periods' targets (an agreement agreed or amended does it through here): every
change recorded with who, when, the old and new figures, why and what set it; a published
period's target is never changed, so nothing a committee was shown is judged again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from core.formatting import decimal_text
from measures.models import Indicator, ReportingPeriod, Target, TargetChange
from measures.services.scorecard import deferred, scores_refresh


@dataclass(frozen=True)
class TargetValues:
    """A period's target: the value (a band's lower edge), a band's upper edge, the tolerance
    for "close to target" and the polarity it is judged with (blank: the indicator's)."""

    value: Decimal
    upper: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    polarity: str = ""

    def as_record(self) -> dict[str, str]:
        """As the history keeps it: numbers as exact text, blanks left out."""
        record = {"value": decimal_text(self.value), "tolerance": decimal_text(self.tolerance)}
        if self.upper is not None:
            record["upper"] = decimal_text(self.upper)
        if self.polarity:
            record["polarity"] = self.polarity
        return record


@dataclass
class TargetsSet:
    """What `targets_set` did: how many targets changed, and the published ones it kept."""

    changed: int = 0
    unchanged: int = 0
    kept_published: list[str] = field(default_factory=list)


TargetKey = tuple[Indicator, ReportingPeriod]


def targets_set(
    *,
    targets: Mapping[TargetKey, TargetValues | None],
    by: User | None,
    reason: str,
    source: str,
) -> TargetsSet:
    """Set (or, for None, remove) each period's target, all or nothing, and judge the scores
    they touch again in the same transaction. Targets of published periods are kept as they
    are and named in the result."""
    result = TargetsSet()
    touched: dict[int, set[int]] = defaultdict(set)
    with transaction.atomic(), deferred():
        existing = _existing_locked(targets)
        for (indicator, period), values in targets.items():
            current = existing.get((indicator.pk, period.pk))
            before = _record(current)
            after = values.as_record() if values is not None else {}
            # The same figures again keep their source: a later version that left a target as
            # it was did not set it (a demo amendment must not claim the plan's own targets).
            if before == after:
                result.unchanged += 1
                continue
            if period.state == ReportingPeriod.State.PUBLISHED:
                result.kept_published.append(f"{indicator.code} {period.label}")
                continue
            _write(indicator, period, current, values, source)
            TargetChange.objects.create(
                indicator=indicator,
                period=period,
                by=by,
                before=before,
                after=after,
                reason=reason,
                source=source if values is not None else "",
            )
            touched[indicator.pk].add(period.pk)
            result.changed += 1
        scores_refresh(changes=touched)
    return result


def _existing_locked(
    targets: Mapping[TargetKey, TargetValues | None],
) -> dict[tuple[int, int], Target]:
    """The targets already set for these indicators' periods, locked until the change ends."""
    indicator_ids = {indicator.pk for indicator, _ in targets}
    period_ids = {period.pk for _, period in targets}
    rows = Target.objects.select_for_update().filter(
        indicator_id__in=indicator_ids, period_id__in=period_ids
    )
    return {(t.indicator_id, t.period_id): t for t in rows}


def _write(
    indicator: Indicator,
    period: ReportingPeriod,
    current: Target | None,
    values: TargetValues | None,
    source: str,
) -> None:
    if values is None:
        if current is not None:
            current.delete()
        return
    target = current or Target(indicator=indicator, period=period)
    target.value, target.upper = values.value, values.upper
    target.tolerance, target.polarity, target.source = values.tolerance, values.polarity, source
    target.full_clean(exclude=["indicator", "period"], validate_unique=False)
    target.save()


def _record(target: Target | None) -> dict[str, str]:
    if target is None:
        return {}
    return TargetValues(
        value=target.value, upper=target.upper, tolerance=target.tolerance, polarity=target.polarity
    ).as_record()
