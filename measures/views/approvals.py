"""The performance team's approval queue: approve or return submitted readings, many at once."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from measures import selectors, services
from measures.forms import ReturnForm
from measures.views.common import me, performance_team, version_from


@performance_team
@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    """Submitted readings: approve or return them, one or many at a time, all or none."""
    queue = list(selectors.approval_queue())
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in request.POST.getlist("reading") if pk.isdigit()}
        action = request.POST.get("action")
        if not chosen:
            form.add_error(None, "Select at least one reading")
        elif action not in ("approve", "return"):
            form.add_error(None, "Choose approve or return")
        else:
            # The queue's page always sends each version; a reading in the queue cannot be
            # edited, so a missing one means "as it is now", a malformed one is refused.
            decisions = [
                (r, version_from(request.POST.get(f"version-{r.pk}", str(r.version))))
                for r in queue
                if r.pk in chosen
            ]
            try:
                done = services.readings_decide(
                    decisions=decisions,
                    approve=action == "approve",
                    note=form.cleaned_data["note"],
                    by=me(request),
                )
            except services.ReadingsRefused as refused:
                labels = {
                    services.key_of(r.indicator.code, r.period.code): f"{r.indicator.code} "
                    f"({r.period})"
                    for r, _ in decisions
                }
                for key, problems in refused.by_reading.items():
                    for field, texts in problems.items():
                        for text in texts:
                            form.add_error(
                                "note" if field == "return_note" else None, f"{labels[key]}: {text}"
                            )
            else:
                verb = "approved" if action == "approve" else "returned"
                messages.success(request, f"{done} reading(s) {verb}.")
                return redirect("measures:approvals")
    return render(request, "measures/approvals.html", {"queue": queue, "form": form})
