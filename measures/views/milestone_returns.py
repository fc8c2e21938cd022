"""The milestones half of My returns and of its check page (returns.py calls these): a form
per milestone the person owes an update on, the drafts saved with the readings of the same
page, and the updates chosen to submit, each shown and refused beside its own row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.defaultfilters import pluralize

from core.roles import is_performance_team
from measures import delivery, milestone_returns
from measures.milestone_forms import MilestoneRowForm, initial_for_milestone
from measures.milestone_returns import MilestoneReturn
from measures.models import MilestoneUpdate, Reading, ReportingPeriod
from measures.permissions import milestone_scores_members_see, submits_own_milestone_update
from measures.services.errors import ReadingsRefused
from measures.services.milestones import (
    EDITABLE,
    MilestoneEntry,
    label_of,
    milestone_ref,
    submit_errors,
    submit_errors_for,
)
from measures.views.common import version_from


@dataclass(frozen=True)
class MilestoneRow:
    """One owed milestone on My returns: its return, its form (None when the update cannot be
    changed: submitted, approved or published), and its date in words."""

    entry: MilestoneReturn
    form: MilestoneRowForm | None
    dates: str

    @property
    def ref(self) -> str:
        return milestone_ref(self.entry.milestone)

    @property
    def label(self) -> str:
        return label_of(self.entry.milestone)

    @property
    def update(self) -> MilestoneUpdate | None:
        return self.entry.update


def rows_for(request: HttpRequest, *, user: User, period: ReportingPeriod) -> list[MilestoneRow]:
    """The person's owed milestones for the period, each with its form (bound to the page sent
    back only if that page had the row: one given to them since is left alone)."""
    returns = _returns(user, period)
    dates = _dates_in_words(returns, period)
    rows = []
    for entry in returns:
        ref = milestone_ref(entry.milestone)
        form = None
        if entry.update is None or entry.update.status in EDITABLE:
            sent = request.method == "POST" and f"{ref}-version" in request.POST
            form = MilestoneRowForm(
                request.POST if sent else None,
                prefix=ref,
                initial=initial_for_milestone(entry.update, entry.previous),
            )
        rows.append(MilestoneRow(entry, form, dates[entry.milestone.pk]))
    return rows


@dataclass(frozen=True)
class SubmitChoice:
    """A row's "submit this" tick on My returns, a reading's or a milestone update's: whether
    it is ticked, and why one not ready to submit is left unticked."""

    ticked: bool
    not_ready: str = ""


def choice(row: MilestoneRow, ticked: set[str] | None, *, user: User) -> SubmitChoice | None:
    """The row's tick, or None where the update is not the person's to submit (as a reading's,
    returns._choice): by default a row not yet started is ticked (sent only if something is
    entered in it), and so is a draft ready to submit; one not ready yet is not."""
    update = row.update
    if row.form is None:
        return None
    if update is None:
        return SubmitChoice(ticked is None or row.ref in ticked)
    if is_performance_team(user) and not submits_own_milestone_update(user, update):
        return None
    problems = submit_errors(update, row.entry.current_date)
    not_ready = next((text for texts in problems.values() for text in texts), "")
    if ticked is not None:
        return SubmitChoice(row.ref in ticked, not_ready)
    return SubmitChoice(not problems, not_ready)


def _returns(user: User, period: ReportingPeriod) -> list[MilestoneReturn]:
    """The person's milestone returns, each update given the milestone and period already
    loaded, so checking a row does not fetch them again."""
    returns = milestone_returns.returns_for(user=user, period=period)
    for entry in returns:
        if entry.update is not None:
            entry.update.milestone = entry.milestone
            entry.update.period = period
    return returns


def _dates_in_words(returns: list[MilestoneReturn], period: ReportingPeriod) -> dict[int, str]:
    """Each milestone's date as the approved updates leave it ("due March 2025, revised to
    September 2025 (once)"), from the stored scores members see: the date an update revises."""
    ids = [entry.milestone.pk for entry in returns]
    stored = milestone_scores_members_see().filter(period=period, milestone_id__in=ids)
    scores = {score.milestone_id: score for score in stored} if ids else {}
    words = {}
    for entry in returns:
        score = scores.get(entry.milestone.pk)
        words[entry.milestone.pk] = (
            delivery.dates_phrase(score.original_date, score.current_date, score.revisions)
            if score
            else delivery.dates_phrase(entry.milestone.due_date, entry.current_date)
        )
    return words


def returned(rows: Iterable[MilestoneRow]) -> list[MilestoneRow]:
    """The rows whose update the performance team sent back, for the page's banner."""
    return [row for row in rows if row.update and row.update.status == Reading.Status.RETURNED]


def forms_valid(rows: Iterable[MilestoneRow]) -> bool:
    """Every milestone row sent back reads as an update (each form checked, so each shows its
    own errors)."""
    return all([row.form.is_valid() for row in rows if row.form and row.form.is_bound])


@dataclass(frozen=True)
class MilestonesToSave:
    """What a save of My returns does with its milestone rows: the updates to save (the rows
    changed), and the rows ticked to submit that have an update to send (saved now or before)."""

    entries: list[MilestoneEntry]
    to_submit: set[str]


def to_save(
    rows: Iterable[MilestoneRow], period: ReportingPeriod, ticked: set[str]
) -> MilestonesToSave:
    """The changed rows as entries; of the ticked ones, those with something to submit. A row
    never started and left as the page showed it (blank, or last quarter's carried forward)
    is not saved, as an empty reading is not."""
    entries, to_submit = [], set()
    for row in rows:
        form = row.form
        if form is None or not form.is_bound:
            continue
        changed = form.has_edits() and not (form.is_blank() and row.update is None)
        if changed:
            entries.append(
                MilestoneEntry(
                    milestone=row.entry.milestone,
                    period=period,
                    data=form.milestone_input(),
                    expected_version=form.cleaned_data["version"],
                )
            )
        if row.ref in ticked and (changed or row.update is not None):
            to_submit.add(row.ref)
    return MilestonesToSave(entries, to_submit)


def add_problems(rows: Iterable[MilestoneRow], refused: ReadingsRefused) -> None:
    """Put a refusal's problems with milestone rows beside their rows and fields."""
    forms = {row.ref: row.form for row in rows if row.form is not None}
    for (ref, _), problems in refused.by_reading.items():
        if form := forms.get(ref):
            form.add_problems(problems)


def error_items(rows: Iterable[MilestoneRow]) -> list[tuple[str, str]]:
    """(link, message) for the error summary: each error links to its field, or its row."""
    items = []
    for row in rows:
        if row.form is None:
            continue
        for name, errors in row.form.errors.items():
            field = row.form[name].id_for_label if name in row.form.fields else f"row-{row.ref}"
            items += [(f"#{field}", f"{row.label}: {error}") for error in errors]
    return items


def chosen_returns(
    *, user: User, period: ReportingPeriod, refs: list[str]
) -> list[MilestoneReturn]:
    """The person's milestone returns of these references for the period, in the plan's order."""
    if not refs:
        return []
    wanted = set(refs)
    return [e for e in _returns(user, period) if milestone_ref(e.milestone) in wanted]


def check_rows(returns: list[MilestoneReturn], period: ReportingPeriod) -> list[MilestoneRow]:
    """The chosen updates as the check page shows them: read only, with their dates in words."""
    dates = _dates_in_words(returns, period)
    return [MilestoneRow(entry, None, dates[entry.milestone.pk]) for entry in returns]


def count_words(readings: int, updates: int) -> str:
    """ "2 readings", "1 milestone update", "2 readings and 1 milestone update"."""
    parts = [f"{readings} reading{pluralize(readings)}"] if readings or not updates else []
    if updates:
        parts.append(f"{updates} milestone update{pluralize(updates)}")
    return " and ".join(parts)


def check_problems(
    *, user: User, period: ReportingPeriod, refs: list[str], returns: list[MilestoneReturn]
) -> list[tuple[str, str]]:
    """(link, message) for each reason the chosen updates cannot be submitted as they are."""
    found = {milestone_ref(entry.milestone) for entry in returns}
    problems = [
        ("", f"{ref} is not one of your milestone updates for {period}.")
        for ref in refs
        if ref not in found
    ]
    for entry in returns:
        link, label = f"#milestone-{milestone_ref(entry.milestone)}", label_of(entry.milestone)
        if entry.update is None:
            problems.append((link, f"{label}: nothing has been entered."))
            continue
        errors = submit_errors_for(update=entry.update, by=user)
        problems += [(link, f"{label}: {t}") for texts in errors.values() for t in texts]
    return problems


def chosen_versions(
    request: HttpRequest, returns: list[MilestoneReturn]
) -> list[tuple[MilestoneUpdate, int | None]]:
    """The updates the check page listed, each with the version it showed (None: not one)."""
    return [
        (entry.update, version_from(request.POST.get(f"milestone-version-{entry.update.pk}", "")))
        for entry in returns
        if entry.update is not None
    ]


def refusal_items(
    refused: ValidationError, returns: list[MilestoneReturn]
) -> list[tuple[str, str]]:
    """(link, message) for each problem a submission of milestone updates was refused with."""
    if not isinstance(refused, ReadingsRefused):
        return [("", text) for text in refused.messages]
    labels = {milestone_ref(entry.milestone): label_of(entry.milestone) for entry in returns}
    return [
        (f"#milestone-{ref}", f"{labels.get(ref, ref)}: {text}")
        for (ref, _), fields in refused.by_reading.items()
        for texts in fields.values()
        for text in texts
    ]
