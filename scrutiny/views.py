"""A committee's meetings and recommendations: the list, a meeting with its recommendations'
progress, and the performance team's forms to record them. Views only parse and render; the
services write and the permissions decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import allow
from portfolios.models import ScrutinyCommittee
from scrutiny import selectors, services
from scrutiny.forms import MeetingForm, ProgressForm, RecommendationForm
from scrutiny.models import Meeting
from scrutiny.permissions import can_record, committees_with_meetings_for, reads_meetings

readers = allow(reads_meetings, "councillors, scrutiny members and the performance team")
recorders = allow(can_record, "the performance team")


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _committee(request: HttpRequest, slug: str) -> ScrutinyCommittee:
    """The committee, if this user may see its meetings; 404 otherwise (no hint it exists)."""
    return get_object_or_404(committees_with_meetings_for(request.user), slug=slug)


def _meeting(request: HttpRequest, slug: str, pk: int) -> Meeting:
    committee = _committee(request, slug)
    return get_object_or_404(
        Meeting.objects.select_related("committee", "period"), pk=pk, committee=committee
    )


def _refused(form: forms.Form, error: ValidationError) -> None:
    """Put the service's reasons on the form's fields (or above it)."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _error_items(form: forms.Form) -> list[tuple[str, str]]:
    """The error summary's links: each field's problems, then the form's own."""
    items = [
        (f"#id_{name}", str(message))
        for name, problems in form.errors.items()
        if name != "__all__"
        for message in problems
    ]
    return items + [("", str(message)) for message in form.non_field_errors()]


def _form_page(
    request: HttpRequest, template: str, form: forms.Form, **context: Any
) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context.update(form=form, error_items=_error_items(form) if form.is_bound else [])
    return render(request, template, context, status=status)


@readers
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    committee = _committee(request, slug)
    return render(
        request,
        "scrutiny/meeting_list.html",
        {
            "committee": committee,
            "meetings": selectors.meetings_of(committee),
            "open": selectors.open_progress(committee, as_of=timezone.localdate()),
            "may_record": can_record(request.user),
        },
    )


@readers
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
    today = timezone.localdate()
    recommendations = [
        {"item": selectors.report_recommendation(r, as_of=today), "updates": r.updates.all()}
        for r in selectors.recommendations_with_history().filter(meeting=meeting)
    ]
    return render(
        request,
        "scrutiny/meeting_detail.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "recommendations": recommendations,
            "may_record": can_record(request.user),
        },
    )


@recorders
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    committee = _committee(request, slug)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_record(
                committee=committee,
                held_on=data["held_on"],
                period=data["period"],
                minutes_url=data["minutes_url"],
                by=_me(request),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(
                request, f"The meeting of {selectors.day_text(meeting.held_on)} is recorded."
            )
            return redirect("scrutiny:meeting", slug=slug, pk=meeting.pk)
    return _form_page(request, "scrutiny/meeting_form.html", form, committee=committee)


@recorders
@require_http_methods(["GET", "POST"])
def recommendation_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
    posted = request.POST if request.method == "POST" else None
    form = RecommendationForm(posted, committee=meeting.committee)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_add(
                meeting=meeting,
                text=data["text"],
                portfolio=data["portfolio"],
                indicators=data["indicators"],
                milestones=data["milestones"],
                owner=data["owner"],
                owner_name=data["owner_name"],
                due_on=data["due_on"],
                by=_me(request),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "The recommendation is added.")
            return redirect("scrutiny:meeting", slug=slug, pk=meeting.pk)
    return _form_page(
        request,
        "scrutiny/recommendation_form.html",
        form,
        meeting=meeting,
        committee=meeting.committee,
    )


@recorders
@require_http_methods(["GET", "POST"])
def recommendation_progress(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
    recommendation = get_object_or_404(
        selectors.recommendations_with_history(), pk=number, meeting=meeting
    )
    initial = {"status": recommendation.status, "version": recommendation.version}
    form = ProgressForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_update(
                recommendation=recommendation,
                status=data["status"],
                note=data["note"],
                expected_version=data["version"],
                by=_me(request),
            )
        except services.StaleUpdate as error:
            # Keep what they typed, against the version they have now been shown.
            recommendation = selectors.recommendations_with_history().get(pk=recommendation.pk)
            form = ProgressForm({**request.POST.dict(), "version": recommendation.version})
            form.is_valid()
            form.add_error(None, error.messages)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "The recommendation's progress is saved.")
            return redirect("scrutiny:meeting", slug=slug, pk=meeting.pk)
    return _form_page(
        request,
        "scrutiny/recommendation_update.html",
        form,
        meeting=meeting,
        committee=meeting.committee,
        recommendation=recommendation,
        current=selectors.report_recommendation(recommendation, as_of=timezone.localdate()),
    )
