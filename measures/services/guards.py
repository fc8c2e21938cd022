"""Who may write which readings, and whether their period takes writes: checked before any
write, and the period checked again under a share lock inside the writing transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from core.roles import is_performance_team
from measures.models import Indicator, ReportingPeriod
from measures.permissions import can_edit_indicator, indicators_editable_by
from measures.plans import reported_on


def require_editor(by: User, indicator: Indicator) -> None:
    if not can_edit_indicator(by, indicator):
        raise PermissionDenied(
            f"You cannot enter readings for {indicator.code}: it is neither yours nor "
            "delegated to you."
        )


def require_editor_of_all(by: User, indicators: Iterable[Indicator]) -> None:
    """`require_editor` for many indicators, in at most one query."""
    if is_performance_team(by):
        return
    allowed = set(indicators_editable_by(by).values_list("pk", flat=True))
    for indicator in indicators:
        if indicator.pk not in allowed:
            require_editor(by, indicator)  # raises, with the message a single save gives


def require_performance_team(by: User) -> None:
    if not is_performance_team(by):
        raise PermissionDenied("Only the performance team can do this.")


def in_plans_of(pairs: Iterable[tuple[ReportingPeriod, Indicator]]) -> set[tuple[int, int]]:
    """The (period, indicator) pairs whose indicator serves the plan its period is reported
    against: one query per period, however many indicators."""
    by_period: dict[int, tuple[ReportingPeriod, set[int]]] = {}
    for period, indicator in pairs:
        by_period.setdefault(period.pk, (period, set()))[1].add(indicator.pk)
    served: set[tuple[int, int]] = set()
    for period, ids in by_period.values():
        found = Indicator.objects.filter(reported_on(period.start), pk__in=ids)
        served |= {(period.pk, pk) for pk in found.values_list("pk", flat=True)}
    return served


def open_problem(
    period: ReportingPeriod, indicator: Indicator, served: set[tuple[int, int]] | None = None
) -> str | None:
    """Why readings of this indicator cannot be entered for this period now, if they cannot.
    `served` is in_plans_of() for a batch; a single reading is looked up."""
    if period.state != ReportingPeriod.State.OPEN:
        return not_open(period)
    if not indicator.is_active_in(period.financial_year):
        return f"{indicator.code} is not reported in the financial year of {period}."
    if served is None:
        served = in_plans_of([(period, indicator)])
    if (period.pk, indicator.pk) not in served:
        return (
            f"{indicator.code} is not an indicator of the plan {period} is reported against, "
            "so it has no return for it."
        )
    return None


def require_open(period: ReportingPeriod, indicator: Indicator) -> None:
    if problem := open_problem(period, indicator):
        raise ValidationError(problem)


def not_open(period: ReportingPeriod) -> str:
    return (
        f"{period} is {period.get_state_display().lower()}: readings can only be entered "
        "or changed while it is open."
    )


def periods_still_open(periods: Iterable[ReportingPeriod]) -> None:
    """Refuse the save if a period has left the open state since the caller read it.

    On PostgreSQL the periods are read FOR SHARE, in id order, before any reading is locked:
    savers do not block one another, but a period cannot be closed (which locks it FOR UPDATE,
    then its readings) until the saves that saw it open have committed, and no two
    transactions take these locks in opposite orders.
    """
    ids = sorted({period.pk for period in periods})
    if not ids:
        return
    table = connection.ops.quote_name(ReportingPeriod._meta.db_table)
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            # Only the table name (from the model) and placeholders are put in the text.
            f"SELECT id, state FROM {table} WHERE id IN ({marks}) ORDER BY id{lock}",  # noqa: S608
            ids,
        )
        no_longer_open = [
            pk for pk, state in cursor.fetchall() if state != ReportingPeriod.State.OPEN
        ]
    if no_longer_open:
        raise ValidationError(not_open(ReportingPeriod.objects.get(pk=no_longer_open[0])))
