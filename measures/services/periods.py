"""Reporting periods' state: open for returns, closed, published (when approved readings of
public indicators become everyone's)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from measures.models import Reading, ReadingEvent, ReportingPeriod
from measures.periods import has_ended
from measures.services import milestones
from measures.services.guards import require_performance_team
from measures.services.history import transition
from measures.services.scorecard import deferred
from measures.signals import period_publish_check, period_published


def period_open(
    *, period: ReportingPeriod, by: User, reason: str = "", today: date | None = None
) -> ReportingPeriod:
    """Open a period for returns once it has ended (or reopen a closed one for corrections);
    opening one before it ends needs a reason, which is kept and shown."""
    require_performance_team(by)
    today = today or timezone.localdate()
    reason = reason.strip()
    with transaction.atomic():
        period = _locked_for_move(
            period,
            {ReportingPeriod.State.NOT_OPEN, ReportingPeriod.State.CLOSED},
            ReportingPeriod.State.OPEN,
        )
        early = not has_ended(period, today)
        if early and not reason:
            raise ValidationError(
                f"{period} does not end until {period.end.day} {period.end:%B %Y}: give the "
                "reason for opening it early, or wait until it has ended."
            )
        period.state = ReportingPeriod.State.OPEN
        period.opened_at, period.opened_by = timezone.now(), by
        period.opened_early_reason = reason if early else ""
        period.save(update_fields=["state", "opened_at", "opened_by", "opened_early_reason"])
    return period


def period_close(*, period: ReportingPeriod, by: User) -> ReportingPeriod:
    """Stop officers changing readings for the period."""
    require_performance_team(by)
    with transaction.atomic():
        period = _locked_for_move(
            period, {ReportingPeriod.State.OPEN}, ReportingPeriod.State.CLOSED
        )
        period.state = ReportingPeriod.State.CLOSED
        period.closed_at, period.closed_by = timezone.now(), by
        period.save(update_fields=["state", "closed_at", "closed_by"])
    return period


def period_publish(*, period: ReportingPeriod, by: User) -> ReportingPeriod:
    """Publish a closed period: every approved reading becomes public (if its indicator is),
    and every approved milestone update."""
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
        if waiting := milestones.waiting_in(period):
            raise ValidationError(
                f"{waiting} milestone update(s) for {period} still await approval: approve or "
                "return them before publishing."
            )
        for _receiver, reason in period_publish_check.send(sender=ReportingPeriod, period=period):
            if reason:
                raise ValidationError(reason)
        milestones.milestone_updates_publish(period=period, by=by)
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
        period.published_at, period.published_by = timezone.now(), by
        period.save(update_fields=["state", "published_at", "published_by"])
        period_published.send(sender=ReportingPeriod, period=period, by=by)
    return period


def _locked_for_move(period: ReportingPeriod, allowed_from: set[str], to: str) -> ReportingPeriod:
    """The period locked for the rest of the transaction, if it may move to `to` from its state."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state not in allowed_from:
        label = ReportingPeriod.State(to).label.lower()
        raise ValidationError(
            f"{period} is {period.get_state_display().lower()}, so it cannot be {label}."
        )
    return period
