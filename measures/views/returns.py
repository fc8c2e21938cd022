"""My returns: every indicator an officer reports for an open period, in one form, and the
same returns as a spreadsheet to fill in and upload."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.downloads import spreadsheet_response
from core.formatting import plain_decimal
from core.roles import Role, has_role, is_performance_team
from measures import selectors, services
from measures.forms import ReturnRowForm, initial_for
from measures.models import ReportingPeriod
from measures.services.uploads import COLUMNS
from measures.views.common import chosen_open_period, me, officers


def start(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: each role's own first page."""
    if is_performance_team(request.user):
        return redirect("measures:approvals")
    if has_role(request.user, Role.OFFICER):
        return redirect("measures:returns")
    return redirect("ambitions:home")


@officers
@require_http_methods(["GET", "POST"])
def my_returns(request: HttpRequest) -> HttpResponse:
    """Every indicator the user reports for an open period, in one form."""
    period = chosen_open_period(request)
    if period is None:
        return render(request, "measures/no_open_period.html", status=200)
    rows = selectors.returns_for(user=me(request), period=period)
    editable = [
        row for row in rows if row.reading is None or row.reading.status in services.EDITABLE
    ]

    def posted(code: str) -> bool:
        """A row is the person's input only if the page they sent had it (an indicator
        given to them after they opened the page is left alone, not blanked)."""
        return request.method == "POST" and f"{code}-version" in request.POST

    forms = {
        row.indicator.code: ReturnRowForm(
            request.POST if posted(row.indicator.code) else None,
            prefix=row.indicator.code,
            initial=initial_for(row.reading),
            indicator=row.indicator,
        )
        for row in editable
    }
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        done = _save(request, period, editable, forms, submit=submit)
        if done is not None:
            if submit:
                messages.success(
                    request, f"{done.submitted} reading(s) submitted for approval for {period}."
                )
            else:
                messages.success(request, f"{done.saved} reading(s) saved as drafts for {period}.")
            return redirect(f"{reverse('measures:returns')}?period={period.code}")
    return render(
        request,
        "measures/my_returns.html",
        {
            "period": period,
            "entries": [(row, forms.get(row.indicator.code)) for row in rows],
            "progress": selectors.returns_progress(rows),
            "error_items": _error_items(forms.values()),
            "open_periods": selectors.periods_open(),
            "today": date.today(),
        },
    )


def _save(
    request: HttpRequest,
    period: ReportingPeriod,
    rows: list[selectors.ReturnRow],
    forms: dict[str, ReturnRowForm],
    *,
    submit: bool,
) -> services.ReturnsSaved | None:
    """The rows sent, saved (and maybe submitted) as one; None with each problem put beside
    its row and field when anything is wrong, and nothing saved."""
    sent = {code: form for code, form in forms.items() if form.is_bound}
    if not all(form.is_valid() for form in sent.values()):
        return None
    entries = [
        services.ReadingEntry(
            indicator=row.indicator,
            period=period,
            data=form.reading_input(),
            expected_version=form.cleaned_data["version"],
        )
        for row in rows
        if (form := sent.get(row.indicator.code)) is not None
        and not (form.is_blank() and row.reading is None)
    ]
    try:
        return services.returns_save(period=period, entries=entries, by=me(request), submit=submit)
    except services.ReadingsRefused as refused:
        for (code, _), problems in refused.by_reading.items():
            if form := sent.get(code):
                form.add_problems(problems)
        return None


def _error_items(forms: Iterable[ReturnRowForm]) -> list[tuple[str, str]]:
    """(link, message) for the error summary: each error links to its field."""
    items = []
    for form in forms:
        for name, errors in form.errors.items():
            target = form[name].id_for_label if name in form.fields else f"row-{form.prefix}"
            items += [(f"#{target}", f"{form.prefix}: {error}") for error in errors]
    return items


@officers
def returns_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The user's returns for a period in the upload format, filled in so far."""
    period = chosen_open_period(request)
    if period is None:
        raise Http404("No period is open for returns.")
    rows = selectors.returns_for(user=me(request), period=period)
    return spreadsheet_response(
        [_export_row(row, period) for row in rows],
        COLUMNS,
        fmt=fmt,
        name=f"returns-{period.code}",
        sheet_title=f"Returns {period.code}",
    )


def _export_row(row: selectors.ReturnRow, period: ReportingPeriod) -> dict[str, object]:
    reading = row.reading
    return {
        "indicator_code": row.indicator.code,
        "indicator_title": row.indicator.title,
        "period": period.code,
        "value": plain_decimal(reading.value) if reading else None,
        "numerator": plain_decimal(reading.numerator) if reading else None,
        "denominator": plain_decimal(reading.denominator) if reading else None,
        "data_quality": reading.data_quality if reading else "provisional",
        "commentary": reading.commentary if reading else "",
        "corrective_action": reading.corrective_action if reading else "",
    }
