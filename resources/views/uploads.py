"""Uploading the quarter's ledger extract: the file, its preview, confirming it, and the
template to fill in."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.downloads import spreadsheet_response
from core.spreadsheet_writer import Sheet
from measures.forms import UploadForm
from resources.choices import FinanceKind
from resources.extract_template import quarter_due, template_rows
from resources.models import FinanceUpload
from resources.services.figures import FiguresRefused
from resources.services.uploads import (
    finance_upload_confirm,
    finance_upload_preview,
    finance_upload_receive,
)
from resources.upload_format import COLUMNS, SHEET
from resources.views.common import finance_staff, me

logger = logging.getLogger("stockport_plan.uploads")


@finance_staff
@require_http_methods(["GET", "POST"])
def finance_upload(request: HttpRequest) -> HttpResponse:
    """Upload the ledger extract; nothing is saved until its preview is confirmed."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > settings.UPLOAD_MAX_BYTES:
            limit = settings.UPLOAD_MAX_BYTES / 1_000_000
            form.add_error(
                "file", f"The file is {file.size / 1_000_000:.1f} MB; the limit is {limit:.0f} MB."
            )
        else:
            record = finance_upload_receive(by=me(request), filename=file.name, content=file.read())
            return redirect("resources:upload_preview", pk=record.pk)
    return render(request, "resources/upload.html", _upload_context(form))


def _upload_context(form: UploadForm, **more: object) -> dict[str, object]:
    return {
        "page": "finance",
        "form": form,
        "due": quarter_due(timezone.localdate()),
        "formats": [
            (kind, FinanceKind(kind).label, SHEET[kind], columns)
            for kind, columns in COLUMNS.items()
        ],
        **more,
    }


@finance_staff
def finance_upload_preview_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Every line the file gives and every error, before anything is saved."""
    record = get_object_or_404(FinanceUpload, pk=pk, uploaded_by=me(request))
    if record.file_error:
        context = _upload_context(
            UploadForm(), file_error=record.file_error, filename=record.filename
        )
        return render(request, "resources/upload.html", context, status=400)
    preview = finance_upload_preview(upload=record)
    return render(
        request,
        "resources/upload_preview.html",
        {"page": "finance", "record": record, "preview": preview},
    )


@finance_staff
@require_POST
def finance_upload_confirm_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the file's figures whole, awaiting approval, or nothing if any line is wrong."""
    record = get_object_or_404(FinanceUpload, pk=pk, uploaded_by=me(request))
    if record.confirmed_at:
        messages.info(
            request,
            f"{record.filename} was already saved on {record.confirmed_at:%d %B %Y at %H:%M}; "
            "nothing was saved again.",
        )
        return redirect("resources:home")
    try:
        saved = finance_upload_confirm(upload=record, by=me(request))
    except FiguresRefused as refused:
        logger.warning(
            "Refused finance upload %s by user %s: %s", record.pk, request.user.pk, refused
        )
        preview = finance_upload_preview(upload=record)
        context = {
            "page": "finance",
            "record": record,
            "preview": preview,
            "refused": refused.problems,
        }
        return render(request, "resources/upload_preview.html", context, status=400)
    kinds = ", ".join(str(r) for r in saved)
    messages.success(
        request,
        f"Saved from {record.filename}, awaiting approval by the performance team: {kinds}.",
    )
    return redirect("resources:home")


@finance_staff
def finance_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The upload format for the quarter due, with this year's lines filled in as last given."""
    period = quarter_due(timezone.localdate())
    if period is None:
        raise Http404("No quarter is due for finance figures: the latest is published.")
    rows = template_rows(period)
    name = f"finance-{period.code}"
    if fmt == "csv":
        kind = request.GET.get("kind", FinanceKind.REVENUE)
        if kind not in COLUMNS:
            raise Http404("There is no such kind of finance figures.")
        return spreadsheet_response(rows[kind], COLUMNS[kind], fmt="csv", name=f"{name}-{kind}")
    first, *others = COLUMNS
    return spreadsheet_response(
        rows[first],
        COLUMNS[first],
        fmt="xlsx",
        name=name,
        sheet_title=SHEET[first],
        more_sheets=[Sheet(SHEET[k], COLUMNS[k], rows[k]) for k in others],
    )
