"""The performance team's approval queue: approve or return submitted readings, many at once."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from measures import selectors, services
from measures.filters import ApprovalQueueFilter
from measures.forms import ReturnForm
from measures.models import Reading
from measures.performance import FAR_IN_WORDS
from measures.views.common import me, performance_team, version_from


@performance_team
@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    """Submitted readings: approve or return them, one or many at a time, all or none."""
    filters = ApprovalQueueFilter(
        request.GET or None,
        queryset=selectors.approval_queue(),
        submitters=selectors.queue_submitters(),
    )
    queue = list(filters.qs)
    form = ReturnForm(request.POST or None)
    chosen = {int(pk) for pk in request.POST.getlist("reading") if pk.isdigit() and len(pk) < 10}
    row_errors: dict[int, list[str]] = {}
    error_items: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        gone = chosen - {r.pk for r in queue}
        if not chosen:
            form.add_error(None, "Select at least one reading")
        elif action not in ("approve", "return"):
            form.add_error(None, "Choose approve or return")
        elif gone:
            form.add_error(
                None,
                f"{len(gone)} of the readings you selected are no longer waiting for approval "
                "(someone else decided them, or they are not in this filtered list): nothing "
                "was changed. Check the list below and choose again.",
            )
        else:
            done = _decide(
                request, queue, chosen, form, row_errors, error_items, approve=action == "approve"
            )
            if done is not None:
                verb = "approved" if action == "approve" else "returned"
                messages.success(request, f"{done} reading(s) {verb}.")
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
                    row_errors.get(row.reading.pk, []),
                )
                for row in selectors.approval_rows(queue)
            ],
            "filters": filters,
            "form": form,
            "far_in_words": FAR_IN_WORDS,
            "error_items": [
                *(("#queue", error) for error in form.non_field_errors()),
                *(("#id_note", error) for error in form.errors.get("note", [])),
                *error_items,
            ],
            "filtered": bool(request.GET.urlencode()),
        },
    )


def _decide(
    request: HttpRequest,
    queue: list[Reading],
    chosen: set[int],
    form: ReturnForm,
    row_errors: dict[int, list[str]],
    error_items: list[tuple[str, str]],
    *,
    approve: bool,
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
            decisions=decisions, approve=approve, note=form.cleaned_data["note"], by=me(request)
        )
    except services.ReadingsRefused as refused:
        by_key = {
            services.key_of(d.reading.indicator.code, d.reading.period.code): d.reading
            for d in decisions
        }
        for key, problems in refused.by_reading.items():
            reading = by_key[key]
            label = f"{reading.indicator.code} ({reading.period})"
            for field, texts in problems.items():
                target = f"note-{reading.pk}" if field == "return_note" else f"reading-{reading.pk}"
                for text in texts:
                    row_errors.setdefault(reading.pk, []).append(text)
                    error_items.append((f"#{target}", f"{label}: {text}"))
        return None
