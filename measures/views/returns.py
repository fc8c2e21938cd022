"""My returns: every indicator an officer reports for an open period, and every milestone they
owe an update on, in one form; the check page before the readings and updates ticked are
submitted. The milestones' half is in milestone_returns.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.roles import Role, has_role, is_performance_team
from measures import selectors, services
from measures.forms import ReturnRowForm, initial_for
from measures.milestone_returns import MilestoneReturn
from measures.models import ReportingPeriod
from measures.permissions import submits_with_own_return
from measures.views import milestone_returns
from measures.views.common import chosen_open_period, me, officers, version_from
from measures.views.milestone_returns import MilestoneRow, SubmitChoice


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
    """Every indicator the user reports for an open period, and every milestone they owe an
    update on, in one form; "Submit" saves them and leads to the check page for the readings
    and updates ticked to submit."""
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
    milestones = milestone_returns.rows_for(request, user=me(request), period=period)
    # The ticks sent (a refused page, or "Change" on the check page), else the defaults.
    # One set for both kinds of row: indicator codes and milestone references ("MS-12").
    ticked: set[str] | None = set(request.POST.getlist("chosen"))
    if request.method == "GET":
        ticked = set(request.GET.getlist("chosen")) if "chosen" in request.GET else None
    page_errors: list[tuple[str, str]] = []
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        done = None
        if submit and not ticked:
            page_errors.append((_first_tick(editable, milestones), NONE_TICKED))
        else:
            done = _save(
                request, period, editable, forms, milestones, ticked or set(), submit, page_errors
            )
        if done is not None and submit:
            messages.info(
                request,
                f"Your returns for {period} are saved as drafts. Check the ones you chose, "
                "then submit them.",
            )
            return redirect(_check_url(period, done.readings, done.milestones))
        if done is not None:
            saved = f"{done.saved} reading(s)"
            if milestones:
                saved += f" and {done.milestones_saved} milestone update(s)"
            messages.success(request, f"{saved} saved as drafts for {period}.")
            return redirect(f"{reverse('measures:returns')}?period={period.code}")
    return render(
        request,
        "measures/my_returns.html",
        {
            "period": period,
            "entries": [
                (row, forms.get(row.indicator.code), _choice(request, row, ticked)) for row in rows
            ],
            "milestones": [
                (row, milestone_returns.choice(row, ticked, user=me(request))) for row in milestones
            ],
            "milestones_returned": milestone_returns.returned(milestones),
            "progress": selectors.returns_progress(rows),
            "error_items": [
                *page_errors,
                *_error_items(forms.values()),
                *milestone_returns.error_items(milestones),
            ],
            "open_periods": selectors.periods_open(),
            "today": date.today(),
        },
    )


NONE_TICKED = (
    "Tick at least one reading to submit for approval, or one milestone update, or choose "
    '"Save as draft" to keep your changes without submitting them'
)


def _first_tick(rows: list[selectors.ReturnRow], milestones: list[MilestoneRow]) -> str:
    """The link to the page's first tick, for an error about the ticks."""
    if rows:
        return f"#chosen-{rows[0].indicator.code}"
    editable = [row for row in milestones if row.form is not None]
    return f"#chosen-{editable[0].ref}" if editable else ""


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


def _check_url(period: ReportingPeriod, codes: Iterable[str], refs: Iterable[str] = ()) -> str:
    """The check page for these readings and milestone updates of the period."""
    query = urlencode(
        [
            ("period", period.code),
            *(("indicator", code) for code in codes),
            *(("milestone", ref) for ref in refs),
        ]
    )
    return f"{reverse('measures:submit_check')}?{query}"


@dataclass(frozen=True)
class _Saved:
    """What a save of the page did: how many readings and milestone updates it saved, and of
    them the ones chosen to submit, each checked ready to be sent."""

    saved: int
    readings: list[str]
    milestones_saved: int
    milestones: list[str]


def _save(
    request: HttpRequest,
    period: ReportingPeriod,
    rows: list[selectors.ReturnRow],
    forms: dict[str, ReturnRowForm],
    milestones: list[MilestoneRow],
    ticked: set[str],
    submit: bool,
    page_errors: list[tuple[str, str]],
) -> _Saved | None:
    """The rows sent, readings and milestone updates, saved as drafts as one (with `submit`,
    the ticked ones checked ready to submit); None with each problem put beside its row and
    field when anything is wrong, and nothing saved."""
    sent = {code: form for code, form in forms.items() if form.is_bound}
    readings_read = all([form.is_valid() for form in sent.values()])
    if not (milestone_returns.forms_valid(milestones) and readings_read):
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
    plan = milestone_returns.to_save(milestones, period, ticked if submit else set())
    if submit and not to_submit and not plan.to_submit:
        first = sorted(ticked)[0] if ticked else ""
        page_errors.append((f"#chosen-{first}", NOTHING_ENTERED))
        return None
    chosen = {row.entry.milestone.pk for row in milestones if row.ref in plan.to_submit}
    try:
        done = services.returns_page_save(
            period=period,
            entries=entries,
            to_submit=to_submit,
            milestone_entries=plan.entries,
            milestones_chosen=chosen,
            by=me(request),
        )
    except services.ReturnsPageRefused as refused:
        for refusal in (refused.readings, refused.milestones):
            if not isinstance(refusal, services.ReadingsRefused):
                continue
            for (code, _), problems in refusal.by_reading.items():
                if form := sent.get(code):
                    form.add_problems(problems)
            milestone_returns.add_problems(milestones, refusal)
        return None
    return _Saved(
        saved=done.readings.saved,
        readings=[reading.indicator.code for reading in done.readings.to_submit],
        milestones_saved=done.milestones_saved,
        milestones=[row.ref for row in milestones if row.ref in plan.to_submit],
    )


NOTHING_ENTERED = (
    "The readings and milestone updates you ticked have nothing entered: enter a value (or "
    "say why there is none), or the milestone's progress, in each one you want to submit"
)


@officers
@require_http_methods(["GET", "POST"])
def submit_check(request: HttpRequest) -> HttpResponse:
    """Check the readings and milestone updates chosen on My returns, then submit exactly
    those for approval."""
    period = chosen_open_period(request)
    if period is None:
        return render(request, "measures/no_open_period.html", status=200)
    codes = list(dict.fromkeys(request.GET.getlist("indicator")))
    refs = list(dict.fromkeys(request.GET.getlist("milestone")))
    rows = _chosen_rows(request, period, codes)
    milestones = milestone_returns.chosen_returns(user=me(request), period=period, refs=refs)
    refusals: list[tuple[str, str]] = []
    if request.method == "POST":
        sent, refusals = _submit(request, period, rows, milestones)
        if not refusals:
            messages.success(request, f"{sent} submitted for approval for {period}.")
            return redirect(f"{reverse('measures:returns')}?period={period.code}")
        # As they are now, to check again.
        rows = _chosen_rows(request, period, codes)
        milestones = milestone_returns.chosen_returns(user=me(request), period=period, refs=refs)
    problems = [
        *_problems_now(request, period, codes, rows),
        *milestone_returns.check_problems(
            user=me(request), period=period, refs=refs, returns=milestones
        ),
    ]
    if not codes and not refs:
        problems = [("", NONE_CHOSEN)]
    back = urlencode(
        [
            ("period", period.code),
            *(("chosen", code) for code in [*codes, *refs]),
        ]
    )
    return render(
        request,
        "measures/submit_check.html",
        {
            "period": period,
            "rows": rows,
            "milestones": milestone_returns.check_rows(milestones, period),
            "count": milestone_returns.count_words(len(rows), len(milestones)),
            "error_items": [*refusals, *problems],
            "can_submit": bool(rows or milestones) and not problems,
            "back": f"{reverse('measures:returns')}?{back}",
        },
    )


def _submit(
    request: HttpRequest,
    period: ReportingPeriod,
    rows: list[selectors.ReturnRow],
    milestones: list[MilestoneReturn],
) -> tuple[str, list[tuple[str, str]]]:
    """Submit the readings and updates the page listed, each at the version it showed, as one:
    what was sent in words, or (link, message) for every problem and nothing submitted."""
    chosen = [
        (row.reading, version_from(request.POST.get(f"version-{row.reading.pk}", "")))
        for row in rows
        if row.reading is not None
    ]
    updates = milestone_returns.chosen_versions(request, milestones)
    try:
        readings, sent = services.returns_page_submit(
            period=period, readings=chosen, updates=updates, by=me(request)
        )
    except services.ReturnsPageRefused as refused:
        refusals: list[tuple[str, str]] = []
        if refused.readings is not None:
            refusals += _refusals(refused.readings)
        if refused.milestones is not None:
            refusals += milestone_returns.refusal_items(refused.milestones, milestones)
        return "", refusals
    return milestone_returns.count_words(readings, sent), []


def _problems_now(
    request: HttpRequest,
    period: ReportingPeriod,
    codes: list[str],
    rows: list[selectors.ReturnRow],
) -> list[tuple[str, str]]:
    """(link, message) for each reason the chosen readings cannot be submitted as they are."""
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


NONE_CHOSEN = (
    "No readings or milestone updates were chosen to submit: go back to My returns and tick "
    "the ones to submit"
)


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
