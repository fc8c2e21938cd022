"""Scrutiny reports: each committee's reports by period, requesting one, progress, downloads."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.access import allow
from core.downloads import CONTENT_TYPES
from core.roles import reads_reports
from measures.models import ReportingPeriod
from measures.permissions import can_request_reports_for, committees_readable_by
from portfolios.models import ScrutinyCommittee
from reports.models import ReportRun
from reports.services import report_request

readers = allow(reads_reports, "councillors, scrutiny members and the performance team")


def _committee(request: HttpRequest, slug: str) -> ScrutinyCommittee:
    """The committee, if this user may read its reports; 404 otherwise (no hint it exists)."""
    return get_object_or_404(committees_readable_by(request.user), slug=slug)


@readers
def committee_list(request: HttpRequest) -> HttpResponse:
    committees = committees_readable_by(request.user).prefetch_related("remit")
    return render(request, "reports/committee_list.html", {"committees": committees})


@readers
@require_http_methods(["GET", "POST"])
def committee_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """Reports by period, newest first, and (for those allowed) a form to request one now."""
    committee = _committee(request, slug)
    user = cast(User, request.user)
    may_request = can_request_reports_for(user, committee)
    periods = ReportingPeriod.objects.exclude(state=ReportingPeriod.State.NOT_OPEN).order_by("-end")
    error = ""
    if request.method == "POST":
        if not may_request:
            raise PermissionDenied("You cannot request this committee's reports.")
        period = periods.filter(code=request.POST.get("period", "")).first()
        formats = [f for f in request.POST.getlist("formats") if f in ReportRun.FORMATS]
        if period is None:
            error = "Choose a period to report on"
        else:
            asked_at = timezone.now()
            try:
                run = report_request(committee=committee, period=period, by=user, formats=formats)
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                if run.requested_at < asked_at:
                    messages.info(
                        request,
                        f"The {period} report for {committee} is already being made: it is "
                        "below, and was not asked for again.",
                    )
                else:
                    messages.success(
                        request, f"The {period} report for {committee} has been requested."
                    )
                return redirect("reports:list", slug=committee.slug)
    runs = committee.report_runs.select_related("period", "requested_by")
    return render(
        request,
        "reports/committee_reports.html",
        {
            "committee": committee,
            "runs": runs,
            "periods": periods,
            "may_request": may_request,
            "error": error,
            "formats": ReportRun.FORMATS,
        },
    )


@readers
@never_cache
def report_status(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """A run's progress, for the page to update itself without a full reload."""
    run = get_object_or_404(ReportRun, pk=pk, committee=_committee(request, slug))
    downloads = {
        fmt: reverse("reports:download", args=[slug, run.pk, fmt])
        for fmt in run.formats
        if run.status == ReportRun.Status.DONE and getattr(run, fmt)
    }
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": run.progress,
            "step": run.step,
            "error": run.error,
            "downloads": downloads,
        }
    )


@readers
def report_download(request: HttpRequest, slug: str, pk: int, fmt: str) -> FileResponse:
    """The file, as an attachment named from codes; permission checked on every download."""
    run = get_object_or_404(ReportRun, pk=pk, committee=_committee(request, slug))
    if fmt not in ReportRun.FORMATS or run.status != ReportRun.Status.DONE:
        raise Http404("No such file.")
    stored = getattr(run, fmt)
    if not stored or not default_storage.exists(stored.name):
        raise Http404("That file is not available.")
    response = FileResponse(
        default_storage.open(stored.name, "rb"),
        as_attachment=True,
        filename=run.download_name(fmt),
        content_type=CONTENT_TYPES[fmt],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
