"""The finance returns: every quarter's, one return's lines and history, deciding on it, and
the variance threshold."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from resources.choices import FinanceKind
from resources.extract_template import quarter_due
from resources.forms import DecisionForm, ThresholdForm
from resources.models import FinanceReturn
from resources.permissions import can_decide_finance, can_set_threshold
from resources.returns_page import return_lines, returns_listed
from resources.selectors import threshold_for
from resources.services import finance_approve, finance_return_back, threshold_set
from resources.views.common import finance_staff, me


@finance_staff
def finance_home(request: HttpRequest) -> HttpResponse:
    """Every return, latest quarter first, what awaits a decision, and the threshold."""
    due = quarter_due(timezone.localdate())
    year = due.financial_year if due else timezone.localdate().year
    threshold_form = ThresholdForm(initial={"financial_year": year})
    return render(request, "resources/home.html", _home_context(request, threshold_form, year))


def _home_context(request: HttpRequest, form: ThresholdForm, year: int) -> dict[str, object]:
    listed = returns_listed()
    return {
        "page": "finance",
        "due": quarter_due(timezone.localdate()),
        "returns": listed,
        "kinds": FinanceKind.labels,
        "synthetic": any(r and r.is_synthetic for quarter in listed for r in quarter.returns),
        "threshold": threshold_for(year),
        "threshold_year": year,
        "threshold_form": form if can_set_threshold(request.user) else None,
    }


@finance_staff
def finance_return(request: HttpRequest, pk: int) -> HttpResponse:
    """One return's lines in full, its history, and the decision if it is the user's to make."""
    finance_return = get_object_or_404(FinanceReturn.objects.select_related("period"), pk=pk)
    form = DecisionForm(initial={"version": finance_return.version})
    return render(request, "resources/return.html", _return_context(request, finance_return, form))


def _return_context(
    request: HttpRequest, finance_return: FinanceReturn, form: DecisionForm
) -> dict[str, object]:
    decidable = can_decide_finance(request.user, finance_return)
    own = finance_return.submitted_by_id == request.user.pk
    return {
        "page": "finance",
        "finance_return": finance_return,
        "table": return_lines(finance_return),
        "events": finance_return.events.select_related("by").order_by("-at", "-pk"),
        "form": form if decidable else None,
        "own": own,
    }


@finance_staff
@require_POST
def finance_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Approve the return, or send it back with a note; refused if it changed meanwhile."""
    finance_return = get_object_or_404(FinanceReturn.objects.select_related("period"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        form.add_error(None, "The page was out of date: look at the figures again.")
        return _decision_refused(request, finance_return, form)
    try:
        if decision == "approve":
            finance_approve(
                finance_return=finance_return,
                by=me(request),
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, f"{finance_return} approved: members can see the figures.")
        else:
            finance_return_back(
                finance_return=finance_return,
                by=me(request),
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, f"{finance_return} returned to finance with your note.")
    except ValidationError as error:
        form.add_error("note" if decision == "return" else None, error.messages)
        return _decision_refused(request, finance_return, form)
    return redirect("resources:home")


def _decision_refused(
    request: HttpRequest, finance_return: FinanceReturn, form: DecisionForm
) -> HttpResponse:
    finance_return.refresh_from_db()
    context = _return_context(request, finance_return, form)
    context["form"] = form
    return render(request, "resources/return.html", context, status=400)


@finance_staff
@require_POST
def finance_threshold(request: HttpRequest) -> HttpResponse:
    """Set the variance threshold for a year (the performance team only)."""
    if not can_set_threshold(request.user):
        raise PermissionDenied("Only the performance team sets the variance threshold.")
    form = ThresholdForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = threshold_set(
                financial_year=data["financial_year"],
                amount=data["amount"],
                percent=data["percent"],
                by=me(request),
                reason=data["reason"],
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            named = f"{row.financial_year}/{(row.financial_year + 1) % 100:02d}"
            phrase = threshold_for(row.financial_year).phrase()
            messages.success(
                request, f"From now on a {named} variance needs explaining when it is {phrase}."
            )
            return redirect("resources:home")
    chosen = form.cleaned_data.get("financial_year") if hasattr(form, "cleaned_data") else None
    context = _home_context(request, form, chosen or timezone.localdate().year)
    return render(request, "resources/home.html", context, status=400)
