"""The performance team's approval queue: approve or return submitted readings, and
submitted milestone updates, many at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from measures import delivery, selectors, services
from measures.filters import ApprovalQueueFilter, MilestoneQueueFilter
from measures.forms import ReturnForm
from measures.models import MilestoneUpdate, Reading
from measures.performance import FAR_IN_WORDS
from measures.permissions import milestone_scores_visible_to
from measures.services.errors import ReadingKey
from measures.services.milestones import MilestoneDecision, label_of, milestone_updates_decide
from measures.services.milestones import key_of as milestone_key
from measures.views.common import me, performance_team, version_from

MILESTONES = "milestones"  # the `queue` the milestone updates' form posts
ACTIONS = ("approve", "return")
# Where each refused item's problems go: its label, and the ids of its tick box and its note.
Targets = dict[ReadingKey, tuple[str, str, str]]


@dataclass(frozen=True)
class MilestoneQueueRow:
    """One submitted milestone update with its dates in words, the revision it proposes
    included (from the stored milestone score, as every page reads delivery)."""

    update: MilestoneUpdate
    dates: str

    @property
    def proposed(self) -> str:
        """The month the update moves the milestone to, or "" when it moves nothing."""
        return delivery.month(self.update.revised_date)


@performance_team
@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    """Submitted readings and milestone updates: approve or return them, one or many at a
    time, all or none; each list its own form."""
    submitters = selectors.queue_submitters() | _milestone_submitters()
    filters = ApprovalQueueFilter(
        request.GET or None, queryset=selectors.approval_queue(), submitters=submitters
    )
    milestone_filters = MilestoneQueueFilter(
        request.GET or None, queryset=_milestones_waiting(), submitters=submitters
    )
    queue = list(filters.qs)
    updates = list(milestone_filters.qs)
    posted = request.POST.get("queue") if request.method == "POST" else None
    form = ReturnForm(request.POST if request.method == "POST" and posted != MILESTONES else None)
    milestone_form = ReturnForm(request.POST if posted == MILESTONES else None, prefix=MILESTONES)
    chosen = _chosen(request, "reading") if form.is_bound else set()
    chosen_updates = _chosen(request, "milestone_update") if milestone_form.is_bound else set()
    row_errors: dict[str, list[str]] = {}
    error_items: list[tuple[str, str]] = []
    action = request.POST.get("action")
    done: int | None = None
    if form.is_bound and form.is_valid():
        if problem := _choice_problem(chosen, {r.pk for r in queue}, action, "reading"):
            form.add_error(None, problem)
        else:
            done = _decide(request, queue, chosen, form, row_errors, error_items)
    elif milestone_form.is_bound and milestone_form.is_valid():
        waiting = {u.pk for u in updates}
        if problem := _choice_problem(chosen_updates, waiting, action, "milestone update"):
            milestone_form.add_error(None, problem)
        else:
            done = _decide_milestones(
                request, updates, chosen_updates, milestone_form, row_errors, error_items
            )
    if done is not None:
        verb = "approved" if action == "approve" else "returned"
        noun = "milestone update(s)" if posted == MILESTONES else "reading(s)"
        messages.success(request, f"{done} {noun} {verb}.")
        query = request.GET.urlencode()
        return redirect(reverse("measures:approvals") + (f"?{query}" if query else ""))
    return render(
        request,
        "measures/approvals.html",
        {
            # Each row with what the person sent for it, so a refused page keeps their ticks
            # and notes: (row, ticked, its note, its problems).
            "entries": [
                (
                    row,
                    row.reading.pk in chosen,
                    request.POST.get(f"note-{row.reading.pk}", ""),
                    row_errors.get(f"reading-{row.reading.pk}", []),
                )
                for row in selectors.approval_rows(queue)
            ],
            "milestone_entries": [
                (
                    row,
                    row.update.pk in chosen_updates,
                    request.POST.get(f"milestone-note-{row.update.pk}", ""),
                    row_errors.get(f"milestone-update-{row.update.pk}", []),
                )
                for row in _milestone_rows(request, updates)
            ],
            "filters": filters,
            "form": form,
            "milestone_form": milestone_form,
            "far_in_words": FAR_IN_WORDS,
            "error_items": [
                *(("#queue", error) for error in form.non_field_errors()),
                *(("#id_note", error) for error in form.errors.get("note", [])),
                *(("#milestone-queue", error) for error in milestone_form.non_field_errors()),
                *(
                    (f"#id_{MILESTONES}-note", error)
                    for error in milestone_form.errors.get("note", [])
                ),
                *error_items,
            ],
            "filtered": bool(request.GET.urlencode()),
            "by_portfolio": bool(request.GET.get("portfolio")),
        },
    )


def _milestones_waiting() -> QuerySet[MilestoneUpdate]:
    """Milestone updates waiting for the performance team, oldest period first, then in the
    plan's order."""
    return (
        MilestoneUpdate.objects.filter(status=MilestoneUpdate.Status.SUBMITTED)
        .select_related("milestone__scheme", "period", "submitted_by")
        .order_by(
            "period__start",
            "milestone__scheme__focus_area__ambition__position",
            "milestone__scheme__focus_area__position",
            "milestone__scheme__position",
            "milestone__position",
        )
    )


def _milestone_submitters() -> QuerySet[User]:
    waiting = MilestoneUpdate.objects.filter(status=MilestoneUpdate.Status.SUBMITTED)
    return User.objects.filter(pk__in=waiting.values("submitted_by"))


def _milestone_rows(
    request: HttpRequest, updates: list[MilestoneUpdate]
) -> list[MilestoneQueueRow]:
    """Each update with its milestone's dates as its stored score says them, revisions and
    the one this update proposes included (one query, however many)."""
    scores = {
        (score.milestone_id, score.period_id): score
        for score in milestone_scores_visible_to(request.user).filter(
            milestone_id__in={u.milestone_id for u in updates},
            period_id__in={u.period_id for u in updates},
        )
    }
    rows = []
    for update in updates:
        score = scores.get((update.milestone_id, update.period_id))
        due = update.milestone.due_date
        dates = (
            delivery.dates_phrase(score.original_date, score.current_date, score.revisions)
            if score
            else delivery.dates_phrase(due, due)  # not judged yet: the plan's own date
        )
        rows.append(MilestoneQueueRow(update, dates))
    return rows


def _chosen(request: HttpRequest, name: str) -> set[int]:
    return {int(pk) for pk in request.POST.getlist(name) if pk.isdigit() and len(pk) < 10}


def _choice_problem(chosen: set[int], waiting: set[int], action: str | None, noun: str) -> str:
    """Why the ticks sent cannot be decided as they stand ("" when they can)."""
    gone = chosen - waiting
    if not chosen:
        return f"Select at least one {noun}"
    if action not in ACTIONS:
        return "Choose approve or return"
    if gone:
        return (
            f"{len(gone)} of the {noun}s you selected are no longer waiting for approval "
            "(someone else decided them, or they are not in this filtered list): nothing "
            "was changed. Check the list below and choose again."
        )
    return ""


def _decide(
    request: HttpRequest,
    queue: list[Reading],
    chosen: set[int],
    form: ReturnForm,
    row_errors: dict[str, list[str]],
    error_items: list[tuple[str, str]],
) -> int | None:
    """Decide the chosen readings as one; None with each problem put beside its row and in
    the error summary's items when any is refused, and nothing changed."""
    # The queue's page always sends each version; a reading in the queue cannot be edited,
    # so a missing one means "as it is now", a malformed one is refused.
    decisions = [
        services.Decision(
            reading=r,
            version=version_from(request.POST.get(f"version-{r.pk}", str(r.version))),
            note=request.POST.get(f"note-{r.pk}", ""),
        )
        for r in queue
        if r.pk in chosen
    ]
    try:
        return services.readings_decide(
            decisions=decisions,
            approve=request.POST.get("action") == "approve",
            note=form.cleaned_data["note"],
            by=me(request),
        )
    except services.ReadingsRefused as refused:
        targets: Targets = {
            services.key_of(d.reading.indicator.code, d.reading.period.code): (
                f"{d.reading.indicator.code} ({d.reading.period})",
                f"reading-{d.reading.pk}",
                f"note-{d.reading.pk}",
            )
            for d in decisions
        }
        _place(refused, targets, row_errors, error_items)
        return None


def _decide_milestones(
    request: HttpRequest,
    updates: list[MilestoneUpdate],
    chosen: set[int],
    form: ReturnForm,
    row_errors: dict[str, list[str]],
    error_items: list[tuple[str, str]],
) -> int | None:
    """As `_decide`, for the chosen milestone updates."""
    decisions = [
        MilestoneDecision(
            update=u,
            version=version_from(request.POST.get(f"milestone-version-{u.pk}", str(u.version))),
            note=request.POST.get(f"milestone-note-{u.pk}", ""),
        )
        for u in updates
        if u.pk in chosen
    ]
    try:
        return milestone_updates_decide(
            decisions=decisions,
            approve=request.POST.get("action") == "approve",
            note=form.cleaned_data["note"],
            by=me(request),
        )
    except services.ReadingsRefused as refused:
        targets: Targets = {
            milestone_key(d.update.milestone, d.update.period): (
                label_of(d.update.milestone, d.update.period),
                f"milestone-update-{d.update.pk}",
                f"milestone-note-{d.update.pk}",
            )
            for d in decisions
        }
        _place(refused, targets, row_errors, error_items)
        return None


def _place(
    refused: services.ReadingsRefused,
    targets: Targets,
    row_errors: dict[str, list[str]],
    error_items: list[tuple[str, str]],
) -> None:
    """Each refusal beside its row (by its tick box's id) and in the error summary, linked to
    the note when the note is what to fix, else to the tick box."""
    for key, problems in refused.by_reading.items():
        label, box, note = targets[key]
        for field, texts in problems.items():
            target = note if field == "return_note" else box
            for text in texts:
                row_errors.setdefault(box, []).append(text)
                error_items.append((f"#{target}", f"{label}: {text}"))
