"""Saving a quarter's finance figures: each kind's return replaced whole, all kinds of one
file in one transaction, or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core import versioning
from core.formatting import decimal_text
from measures.models import ReportingPeriod
from resources.choices import FinanceKind, FinanceStatus
from resources.models import (
    CapitalLine,
    FinanceEvent,
    FinanceReturn,
    ReserveLine,
    RevenueLine,
    SavingItem,
)
from resources.permissions import can_upload_finance
from resources.rules import (
    KIND_OF,
    CapitalFigure,
    Figure,
    ReserveFigure,
    RevenueFigure,
    SavingFigure,
    duplicate_of,
    figure_problems,
    period_problem,
)
from resources.selectors import threshold_for

CHANGED_MEANWHILE = (
    "{what} changed after this file was uploaded (by another upload or a decision): upload "
    "the file again to see the figures as they are now."
)


class FiguresRefused(Exception):
    """Nothing was saved; `problems` says why, each a sentence a person can act on."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def return_statuses(periods: Sequence[ReportingPeriod]) -> dict[tuple[str, int], str]:
    """Every return's status in these periods' financial years, by (kind, period id)."""
    years = {p.financial_year for p in periods}
    return {
        (kind, period_id): status
        for kind, period_id, status in FinanceReturn.objects.filter(
            period__financial_year__in=years
        ).values_list("kind", "period_id", "status")
    }


def version_key(kind: str, period: ReportingPeriod) -> str:
    return f"{kind}|{period.code}"


def versions_now(periods: Sequence[ReportingPeriod]) -> dict[str, int]:
    """Each return's version (keyed "kind|period code"), for confirming later against."""
    return {
        f"{kind}|{code}": version
        for kind, code, version in FinanceReturn.objects.filter(period__in=periods).values_list(
            "kind", "period__code", "version"
        )
    }


def figures_problems(
    *, period: ReportingPeriod, figures: Mapping[str, Sequence[Figure]], today: date
) -> list[str]:
    """Everything that stops these figures being saved, as sentences (the upload gives the
    same problems by row and column, from the same rules)."""
    problems = []
    statuses = return_statuses([period])
    threshold = threshold_for(period.financial_year)
    for kind, rows in figures.items():
        label = FinanceKind(kind).label
        if reason := period_problem(period, kind, today=today, returns=statuses):
            problems.append(f"{label}: {reason}.")
        seen: dict[tuple[object, ...], int] = {}
        for number, figure in enumerate(rows, start=1):
            if KIND_OF[type(figure)] != kind:
                problems.append(f"{label}, row {number}: is not a {label.lower()} figure.")
                continue
            for name, message in figure_problems(figure, threshold):
                problems.append(f"{label}, row {number}, {name}: {message}.")
            if twice := duplicate_of(figure, seen, number):
                problems.append(f"{label}, row {number}: {twice}.")
        if not rows:
            problems.append(f"{label}: there are no figures to save.")
    return problems


def finance_figures_save(
    *,
    period: ReportingPeriod,
    figures: Mapping[str, Sequence[Figure]],
    by: User,
    source: str = "",
    expected_versions: Mapping[str, int] | None = None,
    synthetic: bool = False,
    today: date | None = None,
) -> list[FinanceReturn]:
    """Replace each kind's return for the period with these figures, awaiting approval; all
    kinds or none. `expected_versions` ("kind|period" -> version, 0 for none) refuses the lot
    if any return changed since they were read, so nobody's figures are lost unseen."""
    if not can_upload_finance(by):
        raise PermissionDenied(
            "Only finance officers and the performance team give finance figures."
        )
    today = today or timezone.localdate()
    saved = []
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if problems := figures_problems(period=period, figures=figures, today=today):
            raise FiguresRefused(problems)
        for kind, rows in figures.items():
            saved.append(_replace(period, kind, rows, by, source, expected_versions, synthetic))
    versioning.bump()
    return saved


def _replace(
    period: ReportingPeriod,
    kind: str,
    rows: Sequence[Figure],
    by: User,
    source: str,
    expected_versions: Mapping[str, int] | None,
    synthetic: bool,
) -> FinanceReturn:
    label = f"{FinanceKind(kind).label} for {period}"
    existing = FinanceReturn.objects.select_for_update().filter(kind=kind, period=period).first()
    if expected_versions is not None:
        expected = expected_versions.get(version_key(kind, period), 0)
        if (existing.version if existing else 0) != expected:
            raise FiguresRefused([CHANGED_MEANWHILE.format(what=label)])
    if existing and existing.status == FinanceStatus.PUBLISHED:
        raise FiguresRefused([f"{label} is published: its figures can no longer be changed."])
    replaced = _snapshot(existing) if existing else []
    now = timezone.now()
    if existing is None:
        existing = FinanceReturn(kind=kind, period=period, version=1)
        action = FinanceEvent.Action.UPLOADED
    else:
        existing.version += 1
        action = FinanceEvent.Action.REPLACED
        _lines(existing).delete()
    existing.status = FinanceStatus.SUBMITTED
    existing.source = source[:255]
    existing.is_synthetic = synthetic
    existing.submitted_by, existing.submitted_at = by, now
    existing.decided_by, existing.decided_at, existing.return_note = None, None, ""
    existing.save()
    _create_lines(existing, rows)
    FinanceEvent.objects.create(
        finance_return=existing,
        action=action,
        by=by,
        version=existing.version,
        note=f"{len(rows)} line(s) from {source}" if source else f"{len(rows)} line(s)",
        replaced=replaced,
    )
    return existing


def _lines(finance_return: FinanceReturn) -> QuerySet[Any]:
    managers: dict[str, Any] = {
        FinanceKind.REVENUE: finance_return.revenue_lines,
        FinanceKind.SAVINGS: finance_return.savings,
        FinanceKind.CAPITAL: finance_return.capital_lines,
        FinanceKind.RESERVES: finance_return.reserves,
    }
    return managers[finance_return.kind].all()


def _snapshot(finance_return: FinanceReturn) -> list[dict[str, object]]:
    """The lines as they are, in words and exact amounts, for the history."""
    kept = ("id", "finance_return_id")
    return [
        {name: _jsonable(value) for name, value in line.items() if name not in kept}
        for line in _lines(finance_return).values()
    ]


def _jsonable(value: object) -> object:
    return decimal_text(value) if isinstance(value, Decimal) else value


def _create_lines(finance_return: FinanceReturn, rows: Sequence[Figure]) -> None:
    model: dict[type, type[Any]] = {
        RevenueFigure: RevenueLine,
        SavingFigure: SavingItem,
        CapitalFigure: CapitalLine,
        ReserveFigure: ReserveLine,
    }
    objects = []
    for position, figure in enumerate(rows):
        fields = {f.name: getattr(figure, f.name) for f in dataclass_fields(figure)}
        line_model = model[type(figure)]
        objects.append(line_model(finance_return=finance_return, position=position, **fields))
    if objects:
        type(objects[0]).objects.bulk_create(objects)
