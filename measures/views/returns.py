"""My returns: every indicator an officer reports for an open period, in one form; the check
page before the readings ticked are submitted; and the same returns as a spreadsheet to fill
in and upload."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.roles import Role, has_role, is_performance_team
from measures import selectors, services
from measures.forms import ReturnRowForm, initial_for
from measures.models import ReportingPeriod
from measures.permissions import submits_with_own_return
from measures.views.common import chosen_open_period, me, officers, version_from


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
    """Every indicator the user reports for an open period, in one form; "Submit" saves them
    and leads to the check page for the readings ticked to submit."""
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
    # The ticks sent (a refused page, or "Change" on the check page), else the defaults.
    ticked: set[str] | None = set(request.POST.getlist("chosen"))
    if request.method == "GET":
        ticked = set(request.GET.getlist("chosen")) if "chosen" in request.GET else None
    page_errors: list[tuple[str, str]] = []
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        done = None
        if submit and not ticked:
            first = f"#chosen-{editable[0].indicator.code}" if editable else ""
            page_errors.append((first, NONE_TICKED))
        else:
            done = _save(request, period, editable, forms, ticked or set(), submit, page_errors)
        if done is not None and submit:
            messages.info(
                request,
                f"Your returns for {period} are saved as drafts. Check the readings you chose, "
                "then submit them.",
            )
            return redirect(_check_url(period, [r.indicator.code for r in done.to_submit]))
        if done is not None:
            messages.success(request, f"{done.saved} reading(s) saved as drafts for {period}.")
            return redirect(f"{reverse('measures:returns')}?period={period.code}")
    return render(
        request,
        "measures/my_returns.html",
        {
            "period": period,
            "entries": [
                (row, forms.get(row.indicator.code), _choice(request, row, ticked)) for row in rows
            ],
            "progress": selectors.returns_progress(rows),
            "error_items": [*page_errors, *_error_items(forms.values())],
            "open_periods": selectors.periods_open(),
            "today": date.today(),
        },
    )


NONE_TICKED = (
    'Tick at least one reading to submit for approval, or choose "Save as draft" to keep '
    "your changes without submitting them"
)


@dataclass(frozen=True)
class SubmitChoice:
    """A row's "submit this reading" tick on My returns: whether it is ticked, and why a
    reading not ready to submit is left unticked."""

    ticked: bool
    not_ready: str = ""


def _choice(
    request: HttpRequest, row: selectors.ReturnRow, ticked: set[str] | None
) -> SubmitChoice | None:
    """The row's tick, or None where the row is not the person's to submit. By default every
    reading ready to submit is ticked, and every row not yet started (sent only if something
    is entered in it); a draft that is not ready yet is not."""
    reading, user = row.reading, me(request)
    if reading is not None and reading.status not in services.EDITABLE:
        return None
    # An officer's page holds only their own and delegated indicators, all theirs to send
    # (submits_with_own_return); the performance team's holds every indicator.
    if reading is None:
        return SubmitChoice(ticked is None or row.indicator.code in ticked)
    if is_performance_team(user) and not submits_with_own_return(user, reading):
        return None
    problems = services.submit_errors(reading)
    not_ready = next((text for texts in problems.values() for text in texts), "")
    if ticked is not None:
        return SubmitChoice(row.indicator.code in ticked, not_ready)
    return SubmitChoice(not problems, not_ready)


def _check_url(period: ReportingPeriod, codes: Iterable[str]) -> str:
    """The check page for these readings of the period."""
    query = urlencode([("period", period.code), *(("indicator", code) for code in codes)])
    return f"{reverse('measures:submit_check')}?{query}"


def _save(
    request: HttpRequest,
    period: ReportingPeriod,
    rows: list[selectors.ReturnRow],
    forms: dict[str, ReturnRowForm],
    ticked: set[str],
    submit: bool,
    page_errors: list[tuple[str, str]],
) -> services.ReturnsSaved | None:
    """The rows sent, saved as drafts as one (with `submit`, the ticked ones checked ready to
    submit); None with each problem put beside its row and field when anything is wrong, and
    nothing saved."""
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
    to_submit = ticked & {entry.indicator.code for entry in entries} if submit else set()
    if submit and not to_submit:
        first = sorted(ticked)[0] if ticked else ""
        page_errors.append((f"#chosen-{first}", NOTHING_ENTERED))
        return None
    try:
        return services.returns_save(
            period=period, entries=entries, by=me(request), to_submit=to_submit
        )
    except services.ReadingsRefused as refused:
        for (code, _), problems in refused.by_reading.items():
            if form := sent.get(code):
                form.add_problems(problems)
        return None


NOTHING_ENTERED = (
    "The readings you ticked have nothing entered: enter a value (or say why there is none) "
    "in each one you want to submit"
)


@officers
@require_http_methods(["GET", "POST"])
def submit_check(request: HttpRequest) -> HttpResponse:
    """Check the readings chosen on My returns, then submit exactly those for approval."""
    period = chosen_open_period(request)
    if period is None:
        return render(request, "measures/no_open_period.html", status=200)
    codes = list(dict.fromkeys(request.GET.getlist("indicator")))
    rows = _chosen_rows(request, period, codes)
    refusals: list[tuple[str, str]] = []
    if request.method == "POST":
        # Exactly the readings the page listed, each at the version it showed.
        chosen = [
            (row.reading, version_from(request.POST.get(f"version-{row.reading.pk}", "")))
            for row in rows
            if row.reading is not None
        ]
        try:
            done = services.returns_submit(period=period, chosen=chosen, by=me(request))
        except ValidationError as refused:
            refusals = _refusals(refused)
            rows = _chosen_rows(request, period, codes)  # as they are now, to check again
        else:
            messages.success(
                request, f"{done} reading{pluralize(done)} submitted for approval for {period}."
            )
            return redirect(f"{reverse('measures:returns')}?period={period.code}")
    problems = _problems_now(request, period, codes, rows)
    back = urlencode([("period", period.code), *(("chosen", code) for code in codes)])
    return render(
        request,
        "measures/submit_check.html",
        {
            "period": period,
            "rows": rows,
            "error_items": [*refusals, *problems],
            "can_submit": bool(rows) and not problems,
            "back": f"{reverse('measures:returns')}?{back}",
        },
    )


def _problems_now(
    request: HttpRequest,
    period: ReportingPeriod,
    codes: list[str],
    rows: list[selectors.ReturnRow],
) -> list[tuple[str, str]]:
    """(link, message) for each reason the chosen readings cannot be submitted as they are."""
    if not codes:
        return [("", NONE_CHOSEN)]
    found = {row.indicator.code for row in rows}
    problems = [
        ("", f"{code} is not one of your returns for {period}.")
        for code in codes
        if code not in found
    ]
    for row in rows:
        code = row.indicator.code
        if row.reading is None:
            problems.append((f"#reading-{code}", f"{code}: nothing has been entered."))
            continue
        errors = services.returns_submit_errors(reading=row.reading, by=me(request))
        problems += [
            (f"#reading-{code}", f"{code}: {t}") for texts in errors.values() for t in texts
        ]
    return problems


NONE_CHOSEN = "No readings were chosen to submit: go back to My returns and tick the ones to submit"


def _chosen_rows(
    request: HttpRequest, period: ReportingPeriod, codes: list[str]
) -> list[selectors.ReturnRow]:
    """The person's rows of these indicators for the period, in My returns' order."""
    wanted = set(codes)
    return [
        row
        for row in selectors.returns_for(user=me(request), period=period)
        if row.indicator.code in wanted
    ]


def _refusals(refused: ValidationError) -> list[tuple[str, str]]:
    """(link, message) for each problem the submission was refused with."""
    if isinstance(refused, services.ReadingsRefused):
        return [
            (f"#reading-{code}", f"{code}: {text}")
            for (code, _), fields in refused.by_reading.items()
            for texts in fields.values()
            for text in texts
        ]
    return [("", text) for text in refused.messages]


def _error_items(forms: Iterable[ReturnRowForm]) -> list[tuple[str, str]]:
    """(link, message) for the error summary: each error links to its field."""
    items = []
    for form in forms:
        for name, errors in form.errors.items():
            target = form[name].id_for_label if name in form.fields else f"row-{form.prefix}"
            items += [(f"#{target}", f"{form.prefix}: {error}") for error in errors]
    return items
