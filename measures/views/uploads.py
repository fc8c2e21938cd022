"""Uploading a file of readings and milestone updates: the file, its preview, and confirming
it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from measures import selectors
from measures.forms import UploadForm
from measures.models import ReadingUpload
from measures.services import uploads
from measures.services.milestone_upload import MilestoneOutcome
from measures.views.common import me, officers

logger = logging.getLogger("stockport_plan.uploads")
PURGED = "This upload has been deleted under the retention policy: upload the file again."


@officers
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a file of returns; nothing is saved until its preview is confirmed."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > settings.UPLOAD_MAX_BYTES:
            logger.warning("Rejected upload by user %s: %s bytes", request.user.pk, file.size)
            form.add_error("file", _too_big(file.size))
        else:
            record = uploads.upload_receive(by=me(request), filename=file.name, content=file.read())
            return redirect("measures:upload_preview", pk=record.pk)
    return render(
        request, "measures/upload.html", {"form": form, "open_periods": selectors.periods_open()}
    )


@officers
def upload_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Every row's fate and every error, before anything is saved."""
    record = _own_upload(request, pk)
    if record.file_error or record.purged_at:
        return _unreadable(request, record)
    outcomes = uploads.upload_outcomes(upload=record, by=me(request))
    return render(request, "measures/upload_preview.html", _preview_context(record, outcomes))


@officers
@require_POST
def upload_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the whole file in one transaction, or nothing if any row is wrong."""
    record = _own_upload(request, pk)
    if record.confirmed_at:
        messages.info(
            request,
            f"{record.filename} was already saved on {record.confirmed_at:%d %B %Y at %H:%M}; "
            "nothing was saved again.",
        )
        return redirect("measures:returns")
    if record.file_error or record.purged_at:
        return _unreadable(request, record)
    try:
        outcomes = uploads.upload_save(upload=record, by=me(request))
    except uploads.UploadRefused as refused:
        logger.warning(
            "Refused upload %s by user %s: %s", record.pk, record.uploaded_by_id, refused
        )
        outcomes = uploads.UploadOutcomes(refused.outcomes, refused.milestones)
        context = _preview_context(record, outcomes)
        return render(request, "measures/upload_preview.html", context, status=400)
    readings = _counts(outcomes.readings)
    said = (
        f"{readings['new'] + readings['changed']} reading(s) saved as drafts from "
        f"{record.filename}; {readings['unchanged']} unchanged; {readings['blank']} left blank."
    )
    if outcomes.milestones:
        updates = _counts(outcomes.milestones)
        said += (
            f" {updates['new'] + updates['changed']} milestone update(s) saved as drafts; "
            f"{updates['unchanged']} unchanged; {updates['blank']} left blank."
        )
    messages.success(request, said)
    return redirect("measures:returns")


def _own_upload(request: HttpRequest, pk: int) -> ReadingUpload:
    return get_object_or_404(ReadingUpload, pk=pk, uploaded_by=me(request))


def _unreadable(request: HttpRequest, record: ReadingUpload) -> HttpResponse:
    """The upload page again, saying why this file cannot be previewed or saved."""
    return render(
        request,
        "measures/upload.html",
        {
            "form": UploadForm(),
            "file_error": record.file_error or PURGED,
            "filename": record.filename,
            "open_periods": selectors.periods_open(),
        },
        status=400,
    )


def _preview_context(record: ReadingUpload, outcomes: uploads.UploadOutcomes) -> dict[str, object]:
    readings = outcomes.readings
    earlier = selectors.earlier_figures(
        (o.indicator.pk, o.period.pk) for o in readings if o.indicator and o.period
    )
    rows = [
        PreviewRow(
            o, earlier.get((o.indicator.pk, o.period.pk)) if o.indicator and o.period else None
        )
        for o in readings
    ]
    return {
        "record": record,
        "rows": rows,
        "errors": outcomes.errors,
        "counts": _counts(readings),
        "milestones": outcomes.milestones,
        "milestone_counts": _counts(outcomes.milestones),
    }


def _counts(outcomes: Sequence[uploads.RowOutcome | MilestoneOutcome]) -> dict[str, int]:
    """How many rows meet each fate."""
    return {
        fate: sum(1 for o in outcomes if o.fate == fate)
        for fate in ("new", "changed", "unchanged", "blank", "error")
    }


@dataclass(frozen=True)
class PreviewRow:
    """A row of the upload's preview: what it will do, and the figure before it to compare."""

    outcome: uploads.RowOutcome
    earlier: selectors.EarlierFigure | None


def _too_big(size: int) -> str:
    limit = settings.UPLOAD_MAX_BYTES / 1_000_000
    return f"The file is {size / 1_000_000:.1f} MB; the limit is {limit:.0f} MB."
