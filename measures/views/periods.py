"""The performance team's periods page (open, close, publish) and who has reported."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from measures import selectors, services
from measures.models import ReportingPeriod
from measures.views.common import me, performance_team


@performance_team
def completion(request: HttpRequest) -> HttpResponse:
    """Per portfolio, who has reported for a period and who has not."""
    periods = ReportingPeriod.objects.exclude(state=ReportingPeriod.State.NOT_OPEN).order_by("-end")
    code = request.GET.get("period")
    period = selectors.period_get(code=code) if code else periods.filter(kind="quarter").first()
    rows = selectors.completion(period=period) if period else []
    return render(
        request,
        "measures/completion.html",
        {"period": period, "periods": periods, "rows": rows, "today": date.today()},
    )


@performance_team
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    """Open, close and publish reporting periods."""
    if request.method == "POST":
        period = get_object_or_404(ReportingPeriod, code=request.POST.get("period", ""))
        move = {
            "open": services.period_open,
            "close": services.period_close,
            "publish": services.period_publish,
        }.get(request.POST.get("action", ""))
        if move is None:
            messages.error(request, "Choose open, close or publish.")
        else:
            try:
                moved = move(period=period, by=me(request))
                messages.success(request, f"{moved} is now {moved.get_state_display().lower()}.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect("measures:periods")
    all_periods = ReportingPeriod.objects.order_by("-financial_year", "kind", "-quarter")
    return render(request, "measures/periods.html", {"periods": all_periods})
