"""Officer pages (My returns, upload) and the performance team's: approvals, completion, periods."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import date
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import allow
from core.roles import Role, can_enter_readings, has_role, is_performance_team
from core.spreadsheet_reader import RawRow, UploadError, read_upload
from core.spreadsheet_writer import write_csv, write_xlsx
from measures import imports, selectors, services
from measures.forms import ReturnForm, ReturnRowForm, UploadForm, initial_for
from measures.models import Reading, ReadingUpload, ReportingPeriod
from measures.permissions import submits_with_own_return

logger = logging.getLogger("stockport_plan.uploads")
officers = allow(can_enter_readings, "officers and the performance team")
performance_team = allow(is_performance_team, "the performance team")


def _me(request: HttpRequest) -> User:
    """The signed-in user (every view that calls this is behind `allow`)."""
    return cast(User, request.user)


class _Rollback(Exception):
    """Undo every row of a return when one row fails."""


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
    period = _chosen_open_period(request)
    if period is None:
        return render(request, "measures/no_open_period.html", status=200)
    rows = selectors.returns_for(user=_me(request), period=period)
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
        saved = _save_returns(request, period, editable, forms, submit=submit)
        if saved is not None:
            verb = "submitted for approval" if submit else "saved as drafts"
            messages.success(request, f"{saved} reading(s) {verb} for {period}.")
            return redirect(f"{reverse('measures:returns')}?period={period.code}")
    return render(
        request,
        "measures/my_returns.html",
        {
            "period": period,
            "entries": [(row, forms.get(row.indicator.code)) for row in rows],
            "error_items": _error_items(forms.values()),
            "open_periods": selectors.periods_open(),
            "today": date.today(),
        },
    )


def _error_items(forms: Iterable[ReturnRowForm]) -> list[tuple[str, str]]:
    """(link, message) for the error summary: each error links to its field."""
    items = []
    for form in forms:
        for name, errors in form.errors.items():
            target = form[name].id_for_label if name in form.fields else f"row-{form.prefix}"
            items += [(f"#{target}", f"{form.prefix}: {error}") for error in errors]
    return items


def _save_returns(
    request: HttpRequest,
    period: ReportingPeriod,
    rows: list[selectors.ReturnRow],
    forms: dict[str, ReturnRowForm],
    *,
    submit: bool,
) -> int | None:
    """Save (and maybe submit) every row sent, or none of them; the count saved, or None on
    errors."""
    sent = {code: form for code, form in forms.items() if form.is_bound}
    if not all(form.is_valid() for form in sent.values()):
        return None
    saved = 0
    try:
        with transaction.atomic():
            failed = False
            for row in rows:
                form = sent.get(row.indicator.code)
                if form is None or (form.is_blank() and row.reading is None):
                    continue
                try:
                    reading = services.reading_save(
                        indicator=row.indicator,
                        period=period,
                        data=form.reading_input(),
                        by=_me(request),
                        expected_version=form.cleaned_data["version"],
                    )
                    if submit and submits_with_own_return(_me(request), reading):
                        services.reading_submit(
                            reading=reading,
                            by=_me(request),
                            expected_version=reading.version,
                        )
                    saved += 1
                except ValidationError as error:
                    form.add_errors(error)
                    failed = True
                except services.ReadingConflict as error:
                    form.add_error(None, str(error))
                    failed = True
            if failed:
                raise _Rollback
    except _Rollback:
        return None
    return saved


def _chosen_open_period(request: HttpRequest) -> ReportingPeriod | None:
    code = request.GET.get("period")
    open_periods = selectors.periods_open()
    if code:
        period = selectors.period_get(code=code)
        if period.state != ReportingPeriod.State.OPEN:
            raise Http404(f"{period} is not open for returns.")
        return period
    return open_periods.filter(kind=ReportingPeriod.Kind.QUARTER).first() or open_periods.first()


@officers
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a file of readings; nothing is saved until its preview is confirmed."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > settings.UPLOAD_MAX_BYTES:
            logger.warning("Rejected upload by user %s: %s bytes", request.user.pk, file.size)
            form.add_error("file", _too_big(file.size))
        else:
            record = _upload_record(_me(request), file.name[:255], file.read())
            return redirect("measures:upload_preview", pk=record.pk)
    return render(
        request, "measures/upload.html", {"form": form, "open_periods": selectors.periods_open()}
    )


def _upload_record(by: User, filename: str, content: bytes) -> ReadingUpload:
    """Read the file once, keeping its rows and the version of every reading it names, so the
    preview never parses it again and the confirmation can tell what changed meanwhile."""
    try:
        rows = read_upload(
            filename,
            content,
            columns=imports.COLUMNS,
            required=imports.REQUIRED,
            max_bytes=settings.UPLOAD_MAX_BYTES,
            max_rows=settings.UPLOAD_MAX_ROWS,
        )
    except UploadError as error:
        rows, file_error = [], error.message
        logger.warning("Rejected upload by user %s: %s", by.pk, error.message)
    else:
        file_error = ""
    return ReadingUpload.objects.create(
        uploaded_by=by,
        filename=filename,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        rows=[[row.number, row.cells] for row in rows],
        versions=imports.versions_seen(rows),
        file_error=file_error,
    )


@officers
def upload_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Every row's fate and every error, before anything is saved."""
    record = _own_upload(request, pk)
    if record.file_error or record.purged_at:
        return _unreadable(request, record)
    outcomes = imports.upload_preview(
        rows=_rows_of(record), by=_me(request), versions=record.versions
    )
    return render(request, "measures/upload_preview.html", _preview_context(record, outcomes))


_PURGED = "This upload has been deleted under the retention policy: upload the file again."


def _unreadable(request: HttpRequest, record: ReadingUpload) -> HttpResponse:
    """The upload page again, saying why this file cannot be previewed or saved."""
    return render(
        request,
        "measures/upload.html",
        {
            "form": UploadForm(),
            "file_error": record.file_error or _PURGED,
            "filename": record.filename,
            "open_periods": selectors.periods_open(),
        },
        status=400,
    )


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
        outcomes = imports.upload_confirm(
            rows=_rows_of(record), by=_me(request), versions=record.versions
        )
    except imports.UploadRefused as refused:
        logger.warning(
            "Refused upload %s by user %s: %s", record.pk, record.uploaded_by_id, refused
        )
        context = _preview_context(record, refused.outcomes)
        return render(request, "measures/upload_preview.html", context, status=400)
    saved = sum(1 for o in outcomes if o.fate in ("new", "changed"))
    record.confirmed_at = timezone.now()
    record.rows_saved = saved
    record.save(update_fields=["confirmed_at", "rows_saved"])
    messages.success(
        request,
        f"{saved} reading(s) saved as drafts from {record.filename}; "
        f"{len(outcomes) - saved} unchanged.",
    )
    return redirect("measures:returns")


def _own_upload(request: HttpRequest, pk: int) -> ReadingUpload:
    return get_object_or_404(ReadingUpload, pk=pk, uploaded_by=_me(request))


def _rows_of(record: ReadingUpload) -> list[RawRow]:
    return [RawRow(number=number, cells=cells) for number, cells in record.rows]


def _preview_context(
    record: ReadingUpload, outcomes: list[imports.RowOutcome]
) -> dict[str, object]:
    errors = [message for o in outcomes for message in o.errors]
    counts = {
        fate: sum(1 for o in outcomes if o.fate == fate)
        for fate in ("new", "changed", "unchanged", "error")
    }
    return {"record": record, "outcomes": outcomes, "errors": errors, "counts": counts}


def _too_big(size: int) -> str:
    limit = settings.UPLOAD_MAX_BYTES / 1_000_000
    return f"The file is {size / 1_000_000:.1f} MB; the limit is {limit:.0f} MB."


@officers
def returns_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The user's returns for a period in the upload format, filled in so far."""
    period = _chosen_open_period(request)
    if period is None:
        raise Http404("No period is open for returns.")
    rows = selectors.returns_for(user=_me(request), period=period)
    records = [_export_row(row, period) for row in rows]
    name = f"returns-{period.code}"
    if fmt == "xlsx":
        body = write_xlsx(records, imports.COLUMNS, sheet_title=f"Returns {period.code}")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = write_csv(records, imports.COLUMNS), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _export_row(row: selectors.ReturnRow, period: ReportingPeriod) -> dict[str, object]:
    reading = row.reading
    return {
        "indicator_code": row.indicator.code,
        "indicator_title": row.indicator.title,
        "period": period.code,
        "value": reading.value.normalize() if reading and reading.value is not None else None,
        "numerator": reading.numerator.normalize()
        if reading and reading.numerator is not None
        else None,
        "denominator": reading.denominator.normalize()
        if reading and reading.denominator is not None
        else None,
        "data_quality": reading.data_quality if reading else "provisional",
        "commentary": reading.commentary if reading else "",
        "corrective_action": reading.corrective_action if reading else "",
    }


@performance_team
@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    """Submitted readings: approve or return them, one or many at a time."""
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
            done, problems = _decide(
                request, [r for r in queue if r.pk in chosen], action, form.cleaned_data["note"]
            )
            for problem in problems:
                form.add_error("note" if "change" in problem else None, problem)
            if done and not problems:
                verb = "approved" if action == "approve" else "returned"
                messages.success(request, f"{done} reading(s) {verb}.")
                return redirect("measures:approvals")
    return render(request, "measures/approvals.html", {"queue": queue, "form": form})


def _decide(
    request: HttpRequest, readings: list[Reading], action: str, note: str
) -> tuple[int, list[str]]:
    """Approve or return each reading, all or none."""
    problems = []
    try:
        with transaction.atomic():
            for reading in readings:
                # The queue's page always sends each version; a reading in the queue cannot
                # be edited, so a missing one means "as it is now", a malformed one is refused.
                version = _version(request.POST.get(f"version-{reading.pk}", str(reading.version)))
                try:
                    if version is None:
                        raise ValidationError(
                            "this page was out of date: reload it and choose again"
                        )
                    if action == "approve":
                        services.reading_approve(
                            reading=reading, by=_me(request), expected_version=version
                        )
                    else:
                        services.reading_return(
                            reading=reading, by=_me(request), note=note, expected_version=version
                        )
                except (ValidationError, PermissionDenied, services.ReadingConflict) as error:
                    text = "; ".join(getattr(error, "messages", [str(error)]))
                    problems.append(f"{reading.indicator.code} ({reading.period}): {text}")
            if problems:
                raise _Rollback
    except _Rollback:
        return 0, problems
    return len(readings), []


def _version(text: str) -> int | None:
    """A version number from a hidden field, or None when it is not one."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


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
        {
            "period": period,
            "periods": periods,
            "rows": rows,
            "today": date.today(),
        },
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
                move(period=period, by=_me(request))
                period.refresh_from_db()
                messages.success(request, f"{period} is now {period.get_state_display().lower()}.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect("measures:periods")
    all_periods = ReportingPeriod.objects.order_by("-financial_year", "kind", "-quarter")
    return render(request, "measures/periods.html", {"periods": all_periods})
