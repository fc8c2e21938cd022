"""The performance team's periods page (open, close, publish, each confirmed) and who has
reported, with the chase."""

from __future__ import annotations

from typing import Literal

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.formatting import person_name
from measures import reminders, services
from measures.completion import completion_for, publish_summary
from measures.models import ReportingPeriod
from measures.periods import has_ended, periods_skipped
from measures.services.milestones import label_of
from measures.views.common import me, performance_team
from portfolios.models import Portfolio

CONFIRMED = ("open", "close", "publish")


@performance_team
def completion(request: HttpRequest) -> HttpResponse:
    """Per portfolio, who has reported for a period and who has not, with the chase."""
    today = timezone.localdate()
    every = list(ReportingPeriod.objects.order_by("-end", "kind"))
    skipped = periods_skipped(every, today)
    choices = [p for p in every if p.state != ReportingPeriod.State.NOT_OPEN or p in skipped]
    code = request.GET.get("period")
    if code:
        period = next((p for p in every if p.code == code), None)
        if period is None:
            raise Http404(f"There is no reporting period {code!r}.")
    else:
        period = next((p for p in choices if p.kind == "quarter" and p not in skipped), None)
    return render(
        request,
        "measures/completion.html",
        {
            "period": period,
            "periods": choices,
            "completion": completion_for(period=period) if period else None,
            "today": today,
        },
    )


@performance_team
@require_POST
def completion_remind(request: HttpRequest) -> HttpResponse:
    """Email now the owners of one portfolio's (or every portfolio's) owed returns, with the
    milestone updates each of them owes."""
    period = get_object_or_404(ReportingPeriod, code=request.POST.get("period", ""))
    key = request.POST.get("portfolio", "")
    scope: Portfolio | Literal["all"] | None
    if key == reminders.ALL:
        scope = reminders.ALL
    elif key == "none":
        scope = None  # the indicators with no lead portfolio
    else:
        scope = get_object_or_404(Portfolio, slug=key)
    try:
        chased = reminders.chase_send(
            period=period,
            portfolio=scope,
            by=me(request),
            today=timezone.localdate(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        for level, text in _chase_messages(chased, period):
            messages.add_message(request, level, text)
    return redirect(reverse("measures:completion") + f"?period={period.code}")


@performance_team
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    """Reporting periods and their moves; closing and publishing are confirmed on a page."""
    if request.method == "POST":
        period = get_object_or_404(ReportingPeriod, code=request.POST.get("period", ""))
        action = request.POST.get("action", "")
        if action in ("close", "publish"):
            return redirect("measures:period_move", code=period.code, move=action)
        if action != "open":
            messages.error(request, "Choose open, close or publish.")
        else:
            try:
                moved = services.period_open(period=period, by=me(request))
                messages.success(request, f"{moved} is now open for returns.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect("measures:periods")
    today = timezone.localdate()
    every = list(
        ReportingPeriod.objects.select_related("opened_by").order_by(
            "-financial_year", "kind", "-quarter"
        )
    )
    return render(
        request,
        "measures/periods.html",
        {"periods": every, "skipped": periods_skipped(every, today), "today": today},
    )


@performance_team
@require_http_methods(["GET", "POST"])
def period_move(request: HttpRequest, code: str, move: str) -> HttpResponse:
    """Confirm a move: opening early (with its reason), closing, or publishing."""
    if move not in CONFIRMED:
        raise Http404("A period can be opened, closed or published.")
    period = get_object_or_404(ReportingPeriod, code=code)
    today = timezone.localdate()
    reason = request.POST.get("reason", "")
    error = ""
    if request.method == "POST":
        try:
            if move == "open":
                moved = services.period_open(period=period, by=me(request), reason=reason)
            elif move == "close":
                moved = services.period_close(period=period, by=me(request))
            else:
                moved = services.period_publish(period=period, by=me(request))
        except ValidationError as failed:
            error = " ".join(failed.messages)
        else:
            messages.success(request, f"{moved} is now {moved.get_state_display().lower()}.")
            return redirect("measures:periods")
    early = not has_ended(period, today)
    return render(
        request,
        f"measures/period_{move}.html",
        {
            "period": period,
            "early": early,
            "reason": reason,
            "error": error,
            # The reason box is the thing to fix when an early opening is refused.
            "error_items": [("#reason" if move == "open" and early else "", error)]
            if error
            else [],
            "summary": publish_summary(period=period) if move != "open" else None,
        },
    )


def _chase_messages(chased: reminders.Chased, period: ReportingPeriod) -> list[tuple[int, str]]:
    """What the page says after a chase, one banner per kind of outcome."""

    def names(people: tuple[User, ...]) -> str:
        return ", ".join(person_name(p) for p in people)

    said: list[tuple[int, str]] = []
    if chased.sent:
        count = len(chased.sent)
        said.append((messages.SUCCESS, f"Reminder sent to {count} {_people(count)}."))
    if chased.already:
        said.append((messages.INFO, f"Already reminded today: {names(chased.already)}."))
    if chased.failed:
        said.append(
            (
                messages.ERROR,
                f"The mail server did not accept the reminder to {names(chased.failed)}: "
                "try again later.",
            )
        )
    if chased.no_email:
        said.append(
            (
                messages.WARNING,
                f"No email address for {names(chased.no_email)}: add one in the admin, or "
                "contact them another way.",
            )
        )
    if chased.unowned:
        codes = ", ".join(i.code for i in chased.unowned)
        said.append(
            (messages.WARNING, f"No one owns {codes}, so no one was reminded: give it an owner.")
        )
    if chased.unowned_milestones:
        milestones = "; ".join(label_of(m) for m in chased.unowned_milestones)
        said.append(
            (
                messages.WARNING,
                f"No one gives the update for {milestones}, so no one was reminded: give the "
                "milestone or its scheme an owner.",
            )
        )
    if not said:
        said.append((messages.INFO, f"No one to remind: every return due for {period} is in."))
    return said


def _people(count: int) -> str:
    return "person" if count == 1 else "people"
