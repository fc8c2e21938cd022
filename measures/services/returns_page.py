"""My returns' two whole actions, readings and milestone updates together: saving the page
(drafts, with the ticked ones checked ready to submit) and submitting what the check page
listed. Each is one transaction: every problem of both kinds is found and reported, and if
there is any, nothing of either kind is kept."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from measures.models import MilestoneUpdate, Reading, ReportingPeriod
from measures.services.decisions import ReturnsSaved, returns_save, returns_submit
from measures.services.errors import ReadingKey, ReadingsRefused
from measures.services.milestones import (
    MilestoneEntry,
    key_of,
    label_of,
    milestone_updates_save,
    milestone_updates_submit,
    submit_errors_for,
)
from measures.services.readings import ReadingEntry


class ReturnsPageRefused(ValidationError):
    """Nothing was saved or submitted: `readings` and `milestones` hold each kind's refusal
    (None where that kind had no problem), so a page can put each beside its row."""

    def __init__(
        self, readings: ValidationError | None, milestones: ValidationError | None
    ) -> None:
        self.readings, self.milestones = readings, milestones
        messages = [
            *(readings.messages if readings else []),
            *(milestones.messages if milestones else []),
        ]
        super().__init__(messages)


@dataclass(frozen=True)
class PageSaved:
    readings: ReturnsSaved
    milestones_saved: int


def milestone_returns_save(
    *,
    period: ReportingPeriod,
    entries: Sequence[MilestoneEntry],
    chosen: Collection[int],
    by: User,
) -> int:
    """Save the milestone drafts and check that the updates of the `chosen` milestones (ids)
    can be submitted, without sending them; how many were saved. ReadingsRefused with every
    problem by milestone and field."""
    saved = milestone_updates_save(entries=entries, by=by) if entries else []
    updates = MilestoneUpdate.objects.select_related("milestone__scheme", "period").filter(
        period=period, milestone_id__in=chosen
    )
    refused: dict[ReadingKey, dict[str, list[str]]] = {}
    labels: dict[ReadingKey, str] = {}
    for update in updates:
        if problems := submit_errors_for(update=update, by=by):
            refused[key_of(update.milestone, period)] = problems
            labels[key_of(update.milestone, period)] = label_of(update.milestone)
    if refused:
        raise ReadingsRefused(refused, labels)
    return len(saved)


def returns_page_save(
    *,
    period: ReportingPeriod,
    entries: Sequence[ReadingEntry],
    to_submit: Collection[str],
    milestone_entries: Sequence[MilestoneEntry],
    milestones_chosen: Collection[int],
    by: User,
) -> PageSaved:
    """Save the page's readings and milestone updates as drafts, and check the ticked ones
    (`to_submit`: indicator codes; `milestones_chosen`: milestone ids) can be submitted: all
    or nothing, both kinds' problems in one ReturnsPageRefused."""
    readings_refused = milestones_refused = None
    with transaction.atomic():
        readings = ReturnsSaved(saved=0, to_submit=[])
        try:
            readings = returns_save(period=period, entries=entries, by=by, to_submit=to_submit)
        except ReadingsRefused as refused:
            readings_refused = refused
        saved = 0
        try:
            saved = milestone_returns_save(
                period=period, entries=milestone_entries, chosen=milestones_chosen, by=by
            )
        except ReadingsRefused as refused:
            milestones_refused = refused
        if readings_refused or milestones_refused:
            transaction.set_rollback(True)
    if readings_refused or milestones_refused:
        raise ReturnsPageRefused(readings_refused, milestones_refused)
    return PageSaved(readings=readings, milestones_saved=saved)


def returns_page_submit(
    *,
    period: ReportingPeriod,
    readings: Sequence[tuple[Reading, int | None]],
    updates: Sequence[tuple[MilestoneUpdate, int | None]],
    by: User,
) -> tuple[int, int]:
    """Submit exactly the readings and milestone updates the check page listed, each at the
    version it showed: all or none; (readings, updates) sent, or ReturnsPageRefused."""
    readings_refused = milestones_refused = None
    sent = (0, 0)
    with transaction.atomic():
        readings_sent = updates_sent = 0
        if readings or not updates:
            try:
                readings_sent = returns_submit(period=period, chosen=readings, by=by)
            except ValidationError as refused:
                readings_refused = refused
        if updates:
            try:
                updates_sent = milestone_updates_submit(period=period, chosen=updates, by=by)
            except ValidationError as refused:
                milestones_refused = refused
        if readings_refused or milestones_refused:
            transaction.set_rollback(True)
        else:
            sent = (readings_sent, updates_sent)
    if readings_refused or milestones_refused:
        raise ReturnsPageRefused(readings_refused, milestones_refused)
    return sent
