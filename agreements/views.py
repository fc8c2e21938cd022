"""The agreements' pages: the list, one agreement (any version), and the performance team's
pages to draft, edit, upload, send for comment, record approval and amend; scrutiny members'
comments. Views only translate requests into agreements.services calls."""

from __future__ import annotations

import json
from datetime import date
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from agreements import permissions, selectors, services, spreadsheet
from agreements.models import AgreedMeasure, AgreementVersion, VersionState
from agreements.rules import FIGURES, LABELS, QUARTERS, profile_text
from core.access import allow
from core.roles import Role, has_role
from core.spreadsheet_reader import UploadError
from measures.models import Indicator, IndicatorPolarity
from measures.periods import financial_year_of, year_label
from portfolios.selectors import portfolio_get, portfolio_list

performance_team = allow(permissions.can_manage, "the performance team")
scrutiny_members = allow(lambda user: has_role(user, Role.SCRUTINY_MEMBER), "scrutiny members")
ROW_FIELDS = (*FIGURES, "polarity", "note")


def agreement_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.agreement_list(user=request.user)
    portfolio = request.GET.get("portfolio", "")
    if portfolio:
        rows = [row for row in rows if row.agreement.portfolio.slug == portfolio]
    context: dict[str, object] = {
        "rows": rows,
        "can_manage": permissions.can_manage(request.user),
        "portfolio": portfolio_get(slug=portfolio) if portfolio else None,
    }
    if context["can_manage"]:
        context["portfolios"] = portfolio_list()
        context["years"] = [(year, year_label(year)) for year in _years_to_start()]
    return render(request, "agreements/list.html", context)


def agreement_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    agreement = selectors.agreement_get(slug=slug, year=year)
    number = request.GET.get("version", "")
    version = selectors.version_for_page(
        agreement=agreement,
        user=request.user,
        number=int(number) if number.isdigit() and len(number) < 5 else None,
    )
    comments = selectors.comments_for(version=version, user=request.user)
    measures = list(version.measures.all())
    for measure in measures:
        measure.profile_text = profile_text(measure.indicator, measure.target, measure.profile)  # type: ignore[attr-defined]
    # Each key project links to its scheme's page, whose address holds the plan's slug.
    key_projects = list(version.key_projects.all())
    prefetch_related_objects(key_projects, "scheme__focus_area__ambition__plan")
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "version": version,
            "versions": selectors.versions_of(agreement=agreement, user=request.user),
            "comments": comments,
            "sees_comments": permissions.sees_comments(request.user),
            "can_manage": permissions.can_manage(request.user),
            "can_comment": permissions.can_comment(request.user, version),
            "events": version.events.select_related("by")
            if permissions.can_manage(request.user)
            else [],
            "measures": measures,
            "key_projects": key_projects,
        },
    )


@performance_team
@require_POST
def agreement_start(request: HttpRequest) -> HttpResponse:
    portfolio = portfolio_get(slug=request.POST.get("portfolio", ""))
    year_text = request.POST.get("year", "")
    if year_text not in {str(year) for year in _years_to_start()}:
        messages.error(request, "Choose a financial year to draft an agreement for.")
        return redirect("agreements:list")
    try:
        version = services.draft_start(
            portfolio=portfolio, financial_year=int(year_text), by=_me(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agreements:list")
    messages.success(request, f"Draft started: {version}.")
    return redirect("agreements:edit", slug=portfolio.slug, year=version.agreement.financial_year)


@performance_team
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Every indicator the portfolio leads that year on one page: reported or not, targets,
    profile, tolerance, polarity and note; all saved or, with any problem, none."""
    version = _open_version(request, slug, year)
    if version is None:
        return redirect("agreements:detail", slug=slug, year=year)
    candidates = list(selectors.candidates_for(version))
    measures = {m.indicator_id: m for m in version.measures.all()}
    errors: dict[str, dict[str, list[str]]] = {}
    typed: dict[str, dict[str, str]] = {}
    status = 200
    if request.method == "POST":
        typed = {
            i.code: {
                "reported": "yes" if request.POST.get(f"{i.code}-reported") else "no",
                **{name: request.POST.get(f"{i.code}-{name}", "") for name in ROW_FIELDS},
            }
            for i in candidates
        }
        try:
            changes = services.measures_save(
                version=version,
                rows=typed,
                by=_me(request),
                revision=_revision(request),
                note=request.POST.get("why", "").strip()[:1000],
            )
        except services.AgreementRefused as refused:
            errors, status = refused.by_indicator, 400
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("agreements:edit", slug=slug, year=year)
        else:
            messages.success(request, f"Saved: {len(changes)} measure(s) changed.")
            return redirect("agreements:detail", slug=slug, year=year)
    rows = [
        _edit_row(i, measures.get(i.pk), typed.get(i.code), errors.get(i.code, {}))
        for i in candidates
    ]
    error_items = [
        (f"#{code}-{field if field in ROW_FIELDS else 'reported'}", f"{code}: {message}")
        for code, fields in errors.items()
        for field, field_messages in fields.items()
        for message in field_messages
    ]
    return render(
        request,
        "agreements/edit.html",
        {
            "version": version,
            "agreement": version.agreement,
            "rows": rows,
            "error_items": error_items,
            "polarities": IndicatorPolarity.choices,
            "labels": LABELS,
            "quarters": QUARTERS,
            "why": request.POST.get("why", ""),
        },
        status=status,
    )


@performance_team
@require_http_methods(["GET", "POST"])
def agreement_details(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The portfolio holder's introduction and the key projects."""
    version = _open_version(request, slug, year)
    if version is None:
        return redirect("agreements:detail", slug=slug, year=year)
    agreement = version.agreement
    schemes = list(
        selectors.schemes_for(
            portfolio=agreement.portfolio, financial_year=agreement.financial_year
        )
    )
    chosen = set(version.key_projects.values_list("scheme_id", flat=True))
    introduction, error_items, status = version.introduction, [], 200
    if request.method == "POST":
        introduction = request.POST.get("introduction", "")
        picked = [int(v) for v in request.POST.getlist("schemes") if v.isdigit() and len(v) < 10]
        try:
            services.details_save(
                version=version,
                introduction=introduction,
                scheme_ids=picked,
                by=_me(request),
                revision=_revision(request),
            )
        except ValidationError as error:
            if isinstance(error, services.AgreementConflict):
                messages.error(request, " ".join(error.messages))
                return redirect("agreements:details", slug=slug, year=year)
            error_items, status, chosen = (
                [("#introduction", m) for m in error.messages],
                400,
                set(picked),
            )
        else:
            messages.success(request, "Introduction and key projects saved.")
            return redirect("agreements:detail", slug=slug, year=year)
    return render(
        request,
        "agreements/details.html",
        {
            "version": version,
            "agreement": version.agreement,
            "schemes": schemes,
            "chosen": chosen,
            "introduction": introduction,
            "error_items": error_items,
        },
        status=status,
    )


@performance_team
@require_http_methods(["GET", "POST"])
def agreement_decide(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Send a draft for comment, record Cabinet's approval, or start an amendment."""
    agreement = selectors.agreement_get(slug=slug, year=year)
    version = selectors.version_for_page(agreement=agreement, user=request.user)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "send" and version.is_open:
                services.send_for_comment(
                    version=version, by=_me(request), revision=_revision(request)
                )
                messages.success(request, f"Version {version.number} is out for scrutiny comment.")
            elif action == "agree" and version.is_open:
                result = services.agree(
                    version=version,
                    by=_me(request),
                    agreed_on=_date(request, "agreed_on"),
                    decided_by=request.POST.get("decided_by", "Cabinet"),
                    revision=_revision(request),
                )
                kept = (
                    f" Published periods kept their targets: {', '.join(result.kept_published)}."
                    if result.kept_published
                    else ""
                )
                messages.success(request, f"Agreed: {result.changed} period target(s) set.{kept}")
            elif action == "amend" and version.state == VersionState.AGREED:
                amended = services.amend_start(
                    agreement=agreement,
                    by=_me(request),
                    reason=request.POST.get("reason", ""),
                    effective_from=_date(request, "effective_from"),
                )
                messages.success(request, f"Amendment started as version {amended.number}.")
                return redirect("agreements:edit", slug=slug, year=year)
            else:
                messages.error(request, "That cannot be done to this version of the agreement.")
            return redirect("agreements:detail", slug=slug, year=year)
        except services.AgreementConflict as conflict:
            messages.error(request, " ".join(conflict.messages))
            return redirect("agreements:detail", slug=slug, year=year)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    error_items = [(f"#{field}" if field else "", m) for field, ms in errors.items() for m in ms]
    return render(
        request,
        "agreements/decide.html",
        {
            "agreement": agreement,
            "version": version,
            "error_items": error_items,
            "errors": errors,
            "posted": request.POST,
            "today": date.today(),
        },
        status=400 if errors else 200,
    )


@scrutiny_members
@require_POST
def agreement_comment(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    agreement = selectors.agreement_get(slug=slug, year=year)
    version = selectors.version_for_page(agreement=agreement, user=request.user)
    if not permissions.can_comment(request.user, version):
        raise PermissionDenied("Comments are taken only while a draft is out for comment.")
    try:
        services.comment_add(
            version=version,
            by=_me(request),
            text=request.POST.get("text", ""),
            indicator_code=request.POST.get("indicator", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your comment has been added.")
    return redirect("agreements:detail", slug=slug, year=year)


@performance_team
def agreement_download(request: HttpRequest, slug: str, year: int, fmt: str) -> HttpResponse:
    """The targets as a spreadsheet, in exactly the format the upload reads."""
    agreement = selectors.agreement_get(slug=slug, year=year)
    version = selectors.version_for_page(agreement=agreement, user=request.user)
    return spreadsheet.download(version, fmt)


@performance_team
@require_http_methods(["GET", "POST"])
def agreement_upload(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Upload the downloaded spreadsheet, edited: a preview of every change and every problem,
    then (confirmed) all of it saved, or nothing."""
    version = _open_version(request, slug, year)
    if version is None:
        return redirect("agreements:detail", slug=slug, year=year)
    context: dict[str, object] = {"version": version, "agreement": version.agreement}
    if request.method == "GET":
        return render(request, "agreements/upload.html", context)
    if "rows" in request.POST:
        return _upload_confirm(request, version, context)
    file = request.FILES.get("file")
    if file is None:
        context["error_items"] = [("#file", "Choose the spreadsheet to upload")]
        return render(request, "agreements/upload.html", context, status=400)
    if (file.size or 0) > settings.UPLOAD_MAX_BYTES:
        context["error_items"] = [
            ("#file", "The file is too big: upload the downloaded spreadsheet")
        ]
        return render(request, "agreements/upload.html", context, status=400)
    try:
        rows = spreadsheet.rows_read(file.name or "", file.read())
    except UploadError as error:
        context["error_items"] = [("#file", error.message)]
        return render(request, "agreements/upload.html", context, status=400)
    return _upload_preview(request, version, context, rows)


def _upload_preview(
    request: HttpRequest,
    version: AgreementVersion,
    context: dict[str, object],
    rows: spreadsheet.UploadRows,
) -> HttpResponse:
    problems = rows.problems
    changes: dict[str, dict[str, list[str]]] = {}
    if not problems:
        try:
            changes = services.measures_preview(version=version, rows=rows.by_code)
        except services.AgreementRefused as refused:
            problems = rows.problems_of(refused.by_indicator)
    context.update(
        {
            "problems": problems,
            "changes": changes,
            "rows_json": json.dumps(rows.by_code),
            "row_count": len(rows.by_code),
        }
    )
    return render(
        request, "agreements/upload_preview.html", context, status=400 if problems else 200
    )


def _upload_confirm(
    request: HttpRequest, version: AgreementVersion, context: dict[str, object]
) -> HttpResponse:
    try:
        rows = spreadsheet.rows_from_json(request.POST.get("rows", ""))
        changes = services.measures_save(
            version=version,
            rows=rows,
            by=_me(request),
            revision=_revision(request),
            action=services.Action.UPLOADED,
        )
    except services.AgreementRefused as refused:
        context.update(
            {
                "problems": [
                    f"{code}: {m}"
                    for code, fs in refused.by_indicator.items()
                    for ms in fs.values()
                    for m in ms
                ]
            }
        )
        return render(request, "agreements/upload_preview.html", context, status=400)
    except UploadError as error:
        messages.error(request, error.message)
        return redirect(
            "agreements:upload",
            slug=version.agreement.portfolio.slug,
            year=version.agreement.financial_year,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(
            "agreements:upload",
            slug=version.agreement.portfolio.slug,
            year=version.agreement.financial_year,
        )
    messages.success(request, f"Uploaded: {len(changes)} measure(s) changed; the rest unchanged.")
    return redirect(
        "agreements:detail",
        slug=version.agreement.portfolio.slug,
        year=version.agreement.financial_year,
    )


def _open_version(request: HttpRequest, slug: str, year: int) -> AgreementVersion | None:
    """The version being drafted, or None (with a message saying why) when there is none."""
    agreement = selectors.agreement_get(slug=slug, year=year)
    version = selectors.version_for_page(agreement=agreement, user=request.user)
    if not version.is_open:
        messages.error(
            request,
            f"Version {version.number} was {version.decision or 'replaced'} and cannot be "
            "edited: start an amendment instead.",
        )
        return None
    return version


def _edit_row(
    indicator: Indicator,
    measure: AgreedMeasure | None,
    typed: dict[str, str] | None,
    errors: dict[str, list[str]],
) -> dict[str, object]:
    """One row of the edit page: what was typed (after a refusal) or what is saved."""
    if typed is not None:
        values = typed
    elif measure is not None:
        values = {"reported": "yes", **spreadsheet.measure_cells(measure)}
    else:
        values = {"reported": "no", "polarity": indicator.polarity}
    return {"indicator": indicator, "values": values, "errors": errors}


def _years_to_start() -> list[int]:
    """This financial year and the next: a draft is for the year ahead, or one forgotten."""
    this_year = financial_year_of(date.today())
    return [this_year, this_year + 1]


def _revision(request: HttpRequest) -> int:
    text = request.POST.get("revision", "")
    return int(text) if text.isdigit() and len(text) < 10 else -1


def _date(request: HttpRequest, name: str) -> date | None:
    text = request.POST.get(name, "").strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationError(
            {name: [f"Enter the date as day, month and year, like {date.today():%Y-%m-%d}"]}
        ) from None


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)
