"""Reporting periods' state: open for returns, closed, published (when approved readings of
public indicators become everyone's)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from measures.models import Reading, ReadingEvent, ReportingPeriod
from measures.services.guards import require_performance_team
from measures.services.history import transition
from measures.services.scorecard import deferred
from measures.signals import period_published


def period_open(*, period: ReportingPeriod, by: User) -> ReportingPeriod:
    """Open a period for returns (or reopen a closed one for corrections)."""
    return _period_move(
        period,
        by,
        {ReportingPeriod.State.NOT_OPEN, ReportingPeriod.State.CLOSED},
        ReportingPeriod.State.OPEN,
    )


def period_close(*, period: ReportingPeriod, by: User) -> ReportingPeriod:
    """Stop officers changing readings for the period."""
    return _period_move(period, by, {ReportingPeriod.State.OPEN}, ReportingPeriod.State.CLOSED)


def period_publish(*, period: ReportingPeriod, by: User) -> ReportingPeriod:
    """Publish a closed period: every approved reading becomes public (if its indicator is)."""
    require_performance_team(by)
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.state != ReportingPeriod.State.CLOSED:
            raise ValidationError(
                f"{period} is {period.get_state_display().lower()}: close it before publishing."
            )
        waiting = period.readings.filter(status=Reading.Status.SUBMITTED).count()
        if waiting:
            raise ValidationError(
                f"{waiting} reading(s) for {period} still await approval: approve or return "
                "them before publishing."
            )
        approved = period.readings.filter(status=Reading.Status.APPROVED)
        with deferred():  # every reading's scores judged again once, not once per reading
            for reading in approved.select_related("indicator", "period"):
                transition(
                    reading,
                    Reading.Status.PUBLISHED,
                    by=by,
                    expected_version=reading.version,
                    action=ReadingEvent.Action.PUBLISHED,
                )
        period.state = ReportingPeriod.State.PUBLISHED
        period.published_at = timezone.now()
        period.save(update_fields=["state", "published_at"])
        period_published.send(sender=ReportingPeriod, period=period)
    return period


def _period_move(
    period: ReportingPeriod, by: User, allowed_from: set[str], to: str
) -> ReportingPeriod:
    require_performance_team(by)
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.state not in allowed_from:
            label = ReportingPeriod.State(to).label.lower()
            raise ValidationError(
                f"{period} is {period.get_state_display().lower()}, so it cannot be {label}."
            )
        period.state = to
        period.save(update_fields=["state"])
    return period
