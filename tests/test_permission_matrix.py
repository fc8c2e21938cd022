"""Every URL of the project, for every role and method, against an explicit table. Deny by default:
a URL pattern with no row here fails the test, so a new page cannot go out unchecked."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements.models import Agreement, AgreementVersion
from ambitions.models import Plan
from core.roles import Role
from measures.models import Indicator, ReadingUpload, ReportingPeriod
from portfolios.models import Portfolio, ScrutinyCommittee
from reports.models import ReportRun
from resources.models import FinanceUpload
from scrutiny.models import Meeting, Recommendation
from scrutiny.services import meeting_record, recommendation_add
from tests import factories as make
from tests.resources.figures import quarter_saved

ROLES = (
    "anonymous",
    "owner",
    "other_officer",
    "team",
    "councillor",
    "scrutiny",
    "admin",
    "finance",
)
OPEN = {role: 200 for role in ROLES}
SIGN_IN = 302  # anonymous visitors are sent to sign in
OFFICERS = {
    "anonymous": SIGN_IN,
    "owner": 200,
    "other_officer": 200,
    "team": 200,
    "councillor": 403,
    "scrutiny": 403,
    "admin": 403,
    "finance": 403,
}
OWN_UPLOAD = {**OFFICERS, "other_officer": 404, "team": 404}
TEAM = {
    "anonymous": SIGN_IN,
    "owner": 403,
    "other_officer": 403,
    "team": 200,
    "councillor": 403,
    "scrutiny": 403,
    "admin": 403,
    "finance": 403,
}
READERS = {
    "anonymous": SIGN_IN,
    "owner": 403,
    "other_officer": 403,
    "team": 200,
    "councillor": 200,
    "scrutiny": 200,
    "admin": 403,
    "finance": 403,
}
FINANCE = {
    "anonymous": SIGN_IN,
    "owner": 403,
    "other_officer": 403,
    "team": 200,
    "councillor": 403,
    "scrutiny": 403,
    "admin": 403,
    "finance": 200,
}
FINANCE_POST_ONLY = {r: (405 if v == 200 else v) for r, v in FINANCE.items()}
# GET expectations for every URL name (admin: the index stands for the whole site).
GET: dict[str, dict[str, int]] = {
    "ambitions:home": OPEN,
    "ambitions:plan": OPEN,
    "ambitions:block": OPEN,
    "portfolios:list": OPEN,
    "portfolios:detail": OPEN,
    "dashboards:portfolio": OPEN,
    "dashboards:plan": OPEN,
    "dashboards:scheme": OPEN,
    "healthz": OPEN,
    "readyz": OPEN,
    "accessibility": OPEN,
    "measures:indicator": OPEN,
    "measures:hidden_indicator": {**OPEN, "anonymous": 404},
    "dashboards:open_data": OPEN,
    "dashboards:open_data_csv": OPEN,
    "dashboards:open_data_json": OPEN,
    "dashboards:open_data_package": OPEN,
    "dashboards:open_data_finance_csv": OPEN,
    "dashboards:open_data_finance_json": OPEN,
    "resources:home": FINANCE,
    "resources:return": FINANCE,
    "resources:approve": FINANCE_POST_ONLY,
    "resources:return_back": FINANCE_POST_ONLY,
    "resources:threshold": FINANCE_POST_ONLY,
    "resources:upload": FINANCE,
    "resources:upload_preview": {**FINANCE, "team": 404},  # the finance officer's own upload
    "resources:upload_confirm": FINANCE_POST_ONLY,
    "resources:template": FINANCE,
    "login": {**{role: 302 for role in ROLES}, "anonymous": 200},
    "logout": {role: 405 for role in ROLES},
    "measures:start": {role: 302 for role in ROLES},
    "measures:returns": OFFICERS,
    "measures:submit_check": OFFICERS,
    "measures:returns_template": OFFICERS,
    "measures:upload": OFFICERS,
    "measures:upload_preview": OWN_UPLOAD,
    "measures:upload_confirm": {**OFFICERS, "owner": 405, "other_officer": 405, "team": 405},
    "measures:approvals": TEAM,
    "measures:team": TEAM,
    "measures:completion": TEAM,
    "measures:milestone_owners": TEAM,
    "measures:periods": TEAM,
    "measures:period_move": TEAM,
    "measures:completion_remind": {**TEAM, "team": 405},
    "accounts:people": TEAM,
    "accounts:person": TEAM,
    # Single sign-on is off unless configured (tests/test_sso.py turns it on).
    "oidc_authentication_init": {**{role: 404 for role in ROLES}, "anonymous": 404},
    "oidc_authentication_callback": {**{role: 404 for role in ROLES}, "anonymous": 404},
    "reports:committees": READERS,
    "reports:list": READERS,
    "reports:status": READERS,
    "reports:download": READERS,
    "reports:other_committee": {**READERS, "scrutiny": 404},
    "scrutiny:meetings": READERS,
    "scrutiny:meeting": READERS,
    "scrutiny:other_committee_meeting": {**READERS, "scrutiny": 404},
    "scrutiny:meeting_new": TEAM,
    "scrutiny:recommendation_new": TEAM,
    "scrutiny:recommendation_update": TEAM,
    "agreements:list": OPEN,
    "agreements:detail": OPEN,
    # A version out for comment: the performance team and scrutiny members only.
    "agreements:draft_version": {
        **{role: 404 for role in ROLES},
        "team": 200,
        "scrutiny": 200,
    },
    "agreements:start": {**TEAM, "team": 405},
    "agreements:edit": TEAM,
    "agreements:details": TEAM,
    "agreements:decide": TEAM,
    "agreements:upload": TEAM,
    "agreements:download": TEAM,
    "agreements:comment": {
        **{role: 403 for role in ROLES},
        "anonymous": SIGN_IN,
        "scrutiny": 405,
    },
    "admin:index": {**{role: 302 for role in ROLES}, "admin": 200},
}
# POST expectations for the URLs that change things (the body is empty or harmless).
POST: dict[str, dict[str, set[int]]] = {
    "measures:returns": {r: ({200, 302} if v == 200 else {v}) for r, v in OFFICERS.items()},
    "measures:submit_check": {r: ({200} if v == 200 else {v}) for r, v in OFFICERS.items()},
    "measures:upload": {r: ({200} if v == 200 else {v}) for r, v in OFFICERS.items()},
    "measures:upload_confirm": {
        r: ({400, 302} if v == 200 else {v}) for r, v in OWN_UPLOAD.items()
    },
    "measures:approvals": {r: ({200, 302} if v == 200 else {v}) for r, v in TEAM.items()},
    # A POST that names no scheme is "not found" for the team.
    "measures:milestone_owners": {r: ({404} if v == 200 else {v}) for r, v in TEAM.items()},
    "measures:periods": {r: ({302, 404} if v == 200 else {v}) for r, v in TEAM.items()},
    # Publishing an open period: refused, and the page says why.
    "measures:period_move": {r: ({200} if v == 200 else {v}) for r, v in TEAM.items()},
    "measures:completion_remind": {r: ({404} if v == 200 else {v}) for r, v in TEAM.items()},
    # Nothing chosen to do: the page says so.
    "accounts:person": {r: ({400} if v == 200 else {v}) for r, v in TEAM.items()},
    "reports:list": {
        **{r: {v} for r, v in READERS.items()},
        "team": {200},
        "scrutiny": {200},
        "councillor": {403},
    },
    # An empty form is refused with the page again, saying why; only the team records these.
    "scrutiny:meeting_new": {r: ({400} if v == 200 else {v}) for r, v in TEAM.items()},
    "scrutiny:recommendation_new": {r: ({400} if v == 200 else {v}) for r, v in TEAM.items()},
    "scrutiny:recommendation_update": {r: ({400} if v == 200 else {v}) for r, v in TEAM.items()},
    # An empty form is refused with the page again, saying why; only the team sets thresholds.
    "resources:approve": {r: ({400} if v == 200 else {v}) for r, v in FINANCE.items()},
    "resources:return_back": {r: ({400} if v == 200 else {v}) for r, v in FINANCE.items()},
    "resources:threshold": {
        **{r: {v} for r, v in FINANCE.items()},
        "team": {400},
        "finance": {403},
    },
    "resources:upload": {r: ({200} if v == 200 else {v}) for r, v in FINANCE.items()},
    # The finance officer's own upload holds no figures: refused, nothing saved.
    "resources:upload_confirm": {
        **{r: {v} for r, v in FINANCE.items()},
        "team": {404},
        "finance": {400},
    },
    "agreements:start": {**{r: {v} for r, v in TEAM.items()}, "team": {404}},
    "agreements:edit": {**{r: {v} for r, v in TEAM.items()}, "team": {302}},
    "agreements:details": {**{r: {v} for r, v in TEAM.items()}, "team": {302}},
    "agreements:decide": {**{r: {v} for r, v in TEAM.items()}, "team": {302}},
    "agreements:upload": {**{r: {v} for r, v in TEAM.items()}, "team": {400}},
    "agreements:comment": {
        **{role: {403} for role in ROLES},
        "anonymous": {SIGN_IN},
        "scrutiny": {302},
    },
    # Last: signing out ends the session for the rows after it.
    "logout": {role: {302} for role in ROLES},
    "healthz": {role: {405} for role in ROLES},
    "readyz": {role: {405} for role in ROLES},
}


def _draft_for_comment(agreement: Agreement, team: User) -> AgreementVersion:
    """An amendment of the agreed version, out for scrutiny comment."""
    from agreements import services

    draft = services.amend_start(
        agreement=agreement,
        by=team,
        reason="Cabinet's own targets",
        effective_from=agreement.year_start,
    )
    services.send_for_comment(version=draft, by=team, revision=draft.revision)
    return draft


def _meetings(
    committee: ScrutinyCommittee, other: ScrutinyCommittee, team: User
) -> tuple[Meeting, Meeting, Recommendation]:
    """A meeting of each committee, and a recommendation made at the first."""
    held_on = date(2025, 11, 12)
    meeting = meeting_record(committee=committee, held_on=held_on, period=None, by=team)
    other_meeting = meeting_record(committee=other, held_on=held_on, period=None, by=team)
    recommendation = recommendation_add(meeting=meeting, text="Report back on Weir Mill", by=team)
    return meeting, other_meeting, recommendation


def url_names() -> set[str]:
    """Every named URL the resolver knows (the admin as one entry)."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                space = pattern.namespace or ""
                if space == "admin":
                    names.add("admin:index")
                    continue
                walk(pattern.url_patterns, f"{namespace}{space}:" if space else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_has_a_row_in_the_table() -> None:
    unchecked = url_names() - set(GET)
    assert unchecked == set(), f"add these URLs to the permission table: {sorted(unchecked)}"


@pytest.fixture
def world(plan: Plan, settings, django_capture_on_commit_callbacks) -> dict[str, Any]:
    people = {
        "owner": make.user(Role.OFFICER),
        "other_officer": make.user(Role.OFFICER),
        "team": make.user(Role.PERFORMANCE_TEAM),
        "councillor": make.user(Role.COUNCILLOR),
        "scrutiny": make.user(Role.SCRUTINY_MEMBER),
        "admin": User.objects.create_superuser("boss", "boss@example.invalid", "x" * 20),
        "finance": make.user(Role.FINANCE_OFFICER),
    }
    people["admin"].groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR.value)[0])
    indicator = Indicator.objects.get(code="A1.M1.1")
    indicator.owner = people["owner"]
    indicator.save()
    hidden = Indicator.objects.get(code="A1.M1.2")
    Indicator.objects.filter(pk=hidden.pk).update(is_public=False)
    period = ReportingPeriod.objects.get(code="2025-26-Q2")
    period.state = "open"
    period.save()
    committee, other = ScrutinyCommittee.objects.order_by("position")[:2]
    committee.members.add(people["scrutiny"])
    with django_capture_on_commit_callbacks(execute=True):
        from reports.services import report_request

        run = report_request(committee=committee, period=period, by=people["team"], formats=["csv"])
        other_run = report_request(
            committee=other, period=period, by=people["team"], formats=["csv"]
        )
    upload = ReadingUpload.objects.create(
        uploaded_by=people["owner"],
        filename="r.csv",
        sha256="0",
    )
    (finance_return,) = quarter_saved(
        period, Portfolio.objects.get(slug="finance-resources"), people["finance"]
    )
    finance_upload = FinanceUpload.objects.create(
        uploaded_by=people["finance"], filename="ledger.csv", sha256="0"
    )
    agreement = Agreement.objects.get(
        portfolio__slug="economy-regeneration-housing", financial_year=2025
    )
    draft = _draft_for_comment(agreement, people["team"])
    meeting, other_meeting, recommendation = _meetings(committee, other, people["team"])
    slug_year = [agreement.portfolio.slug, agreement.financial_year]
    block = plan.ambitions.first()
    assert block is not None
    urls = {
        "ambitions:home": "/",
        "ambitions:plan": reverse("ambitions:plan", args=[plan.slug]),
        "ambitions:block": block.get_absolute_url(),
        "portfolios:list": reverse("portfolios:list"),
        "portfolios:detail": reverse("portfolios:detail", args=["finance-resources"]),
        "dashboards:portfolio": reverse("dashboards:portfolio", args=["finance-resources"]),
        "dashboards:plan": reverse("dashboards:plan"),
        "dashboards:scheme": reverse("dashboards:scheme", args=[plan.slug, "weir-mill"]),
        "measures:milestone_owners": reverse("measures:milestone_owners"),
        "healthz": reverse("healthz"),
        "readyz": reverse("readyz"),
        "accessibility": reverse("accessibility"),
        "measures:indicator": indicator.get_absolute_url(),
        "measures:hidden_indicator": hidden.get_absolute_url(),
        "dashboards:open_data": reverse("dashboards:open_data"),
        "dashboards:open_data_csv": reverse("dashboards:open_data_csv"),
        "dashboards:open_data_json": reverse("dashboards:open_data_json"),
        "dashboards:open_data_package": reverse("dashboards:open_data_package"),
        "dashboards:open_data_finance_csv": reverse("dashboards:open_data_finance_csv"),
        "dashboards:open_data_finance_json": reverse("dashboards:open_data_finance_json"),
        "resources:home": reverse("resources:home"),
        "resources:return": reverse("resources:return", args=[finance_return.pk]),
        "resources:approve": reverse("resources:approve", args=[finance_return.pk]),
        "resources:return_back": reverse("resources:return_back", args=[finance_return.pk]),
        "resources:threshold": reverse("resources:threshold"),
        "resources:upload": reverse("resources:upload"),
        "resources:upload_preview": reverse("resources:upload_preview", args=[finance_upload.pk]),
        "resources:upload_confirm": reverse("resources:upload_confirm", args=[finance_upload.pk]),
        "resources:template": reverse("resources:template", args=["xlsx"]),
        "login": reverse("login"),
        "logout": reverse("logout"),
        "measures:start": reverse("measures:start"),
        "measures:returns": reverse("measures:returns"),
        "measures:submit_check": reverse("measures:submit_check"),
        "measures:returns_template": reverse("measures:returns_template", args=["csv"]),
        "measures:upload": reverse("measures:upload"),
        "measures:upload_preview": reverse("measures:upload_preview", args=[upload.pk]),
        "measures:upload_confirm": reverse("measures:upload_confirm", args=[upload.pk]),
        "measures:approvals": reverse("measures:approvals"),
        "measures:team": reverse("measures:team"),
        "measures:completion": reverse("measures:completion"),
        "measures:periods": reverse("measures:periods"),
        "measures:period_move": reverse("measures:period_move", args=[period.code, "publish"]),
        "measures:completion_remind": reverse("measures:completion_remind"),
        "accounts:people": reverse("accounts:people"),
        "accounts:person": reverse("accounts:person", args=[people["owner"].pk]),
        "oidc_authentication_init": reverse("oidc_authentication_init"),
        "oidc_authentication_callback": reverse("oidc_authentication_callback"),
        "reports:committees": reverse("reports:committees"),
        "reports:list": reverse("reports:list", args=[committee.slug]),
        "reports:status": reverse("reports:status", args=[committee.slug, run.pk]),
        "reports:download": reverse("reports:download", args=[committee.slug, run.pk, "csv"]),
        "reports:other_committee": reverse(
            "reports:download", args=[other.slug, other_run.pk, "csv"]
        ),
        "scrutiny:meetings": reverse("scrutiny:meetings", args=[committee.slug]),
        "scrutiny:meeting": reverse("scrutiny:meeting", args=[committee.slug, meeting.pk]),
        "scrutiny:other_committee_meeting": reverse(
            "scrutiny:meeting", args=[other.slug, other_meeting.pk]
        ),
        "scrutiny:meeting_new": reverse("scrutiny:meeting_new", args=[committee.slug]),
        "scrutiny:recommendation_new": reverse(
            "scrutiny:recommendation_new", args=[committee.slug, meeting.pk]
        ),
        "scrutiny:recommendation_update": reverse(
            "scrutiny:recommendation_update", args=[committee.slug, meeting.pk, recommendation.pk]
        ),
        "admin:index": reverse("admin:index"),
        "agreements:list": reverse("agreements:list"),
        "agreements:detail": reverse("agreements:detail", args=slug_year),
        "agreements:draft_version": reverse("agreements:detail", args=slug_year)
        + f"?version={draft.number}",
        "agreements:start": reverse("agreements:start"),
        "agreements:edit": reverse("agreements:edit", args=slug_year),
        "agreements:details": reverse("agreements:details", args=slug_year),
        "agreements:decide": reverse("agreements:decide", args=slug_year),
        "agreements:upload": reverse("agreements:upload", args=slug_year),
        "agreements:download": reverse("agreements:download", args=[*slug_year, "xlsx"]),
        "agreements:comment": reverse("agreements:comment", args=slug_year),
    }
    assert ReportRun.objects.filter(status="done").count() == 2
    call_command("check", stdout=StringIO())
    return {"people": people, "urls": urls}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_expected_answer_from_every_url(world, role: str) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(world["people"][role])
    wrong = []
    for name, expected in GET.items():
        status = client.get(world["urls"][name]).status_code
        if status != expected[role]:
            wrong.append(f"GET {name}: {status}, expected {expected[role]}")
    for name, allowed in POST.items():
        status = client.post(world["urls"][name], {}).status_code
        if status not in allowed[role]:
            wrong.append(f"POST {name}: {status}, expected one of {sorted(allowed[role])}")
    assert wrong == []
