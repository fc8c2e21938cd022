"""The agreements' pages as each role uses them: residents read agreed targets, the team edits
a draft on one page or through the spreadsheet it downloads, scrutiny members comment."""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreements import services
from agreements.models import AgreementVersion
from ambitions.models import Plan
from core.roles import Role
from measures.models import Indicator
from portfolios.models import Portfolio
from tests import factories as make

pytestmark = pytest.mark.django_db
plan = pytest.fixture(lambda shared_plan: shared_plan)
ECONOMY = "economy-regeneration-housing"


def signed_in(role: Role) -> Client:
    client = Client()
    client.force_login(make.user(role))
    return client


def draft() -> AgreementVersion:
    return services.draft_start(
        portfolio=Portfolio.objects.get(slug=ECONOMY), financial_year=2027, by=None
    )


def url(name: str, *extra: str) -> str:
    return reverse(f"agreements:{name}", args=[ECONOMY, 2027, *extra])


def test_residents_read_the_agreed_targets_and_where_they_came_from(plan: Plan) -> None:
    page = Client().get(reverse("agreements:detail", args=[ECONOMY, 2025]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Jobs fairs held (count)" in text
    assert "agreed by Council, in adopting the Council Plan 2024\u201327" in text
    assert "No target" in text  # an indicator the plan gives no number
    indicator = Client().get(Indicator.objects.get(code="A2.M9.3").get_absolute_url())
    assert "Target for 2025/26: 4, set by the" in indicator.content.decode()
    assert reverse("agreements:detail", args=[ECONOMY, 2025]) in indicator.content.decode()


def test_a_draft_is_the_teams_and_scrutinys_to_read_not_the_publics(plan: Plan) -> None:
    version = draft()
    assert Client().get(url("detail")).status_code == 404
    assert signed_in(Role.COUNCILLOR).get(url("detail")).status_code == 404
    assert signed_in(Role.SCRUTINY_MEMBER).get(url("detail")).status_code == 404
    services.send_for_comment(version=version, by=None, revision=version.revision)
    member = signed_in(Role.SCRUTINY_MEMBER)
    page = member.get(url("detail"))
    assert page.status_code == 200 and "Add your comment" in page.content.decode()
    response = member.post(url("comment"), {"indicator": "A2.M9.3", "text": "Why only four?"})
    assert response.status_code == 302
    assert version.comments.get().text == "Why only four?"
    assert signed_in(Role.COUNCILLOR).post(url("comment"), {"text": "x"}).status_code == 403


def test_the_team_edits_targets_on_one_page_and_sees_every_problem_by_row(plan: Plan) -> None:
    version = draft()
    team = signed_in(Role.PERFORMANCE_TEAM)
    page = team.get(url("edit"))
    assert page.status_code == 200
    form = _form_of(page.content.decode(), version)
    form.update({"A2.M9.1-target": "high", "A2.M9.2-target": "5"})
    refused = team.post(url("edit"), form)
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "There is a problem" in text
    assert 'href="#A2.M9.1-target"' in text and "Annual target must be a number" in text
    assert 'value="5"' in text  # what was typed is kept
    assert version.measures.get(indicator__code="A2.M9.2").target is None
    form["A2.M9.1-target"] = "71"
    form["why"] = "As the service proposed"
    saved = team.post(url("edit"), form)
    assert saved.status_code == 302
    assert version.measures.get(indicator__code="A2.M9.1").target == 71
    event = version.events.get(action="edited")
    assert event.note == "As the service proposed"
    assert event.changes["A2.M9.1"]["target"] == ["", "71"]
    assert event.changes["A2.M9.2"]["target"] == ["", "5"]


def test_an_agreed_version_is_not_edited_and_says_how_to_amend(plan: Plan) -> None:
    team = signed_in(Role.PERFORMANCE_TEAM)
    response = team.get(reverse("agreements:edit", args=[ECONOMY, 2025]), follow=True)
    assert "cannot be edited: start an amendment instead" in response.content.decode()
    amend = team.post(
        reverse("agreements:decide", args=[ECONOMY, 2025]),
        {"action": "amend", "reason": "", "effective_from": "2025-10-01"},
    )
    assert amend.status_code == 400
    assert "Say why the agreement is being amended" in amend.content.decode()
    started = team.post(
        reverse("agreements:decide", args=[ECONOMY, 2025]),
        {"action": "amend", "reason": "Cabinet's own targets", "effective_from": "2025-10-01"},
    )
    assert started.status_code == 302
    assert AgreementVersion.objects.get(
        agreement__portfolio__slug=ECONOMY, agreement__financial_year=2025, number=2
    ).is_open


def test_recording_approval_refuses_a_missing_or_badly_written_date(plan: Plan) -> None:
    version = draft()
    team = signed_in(Role.PERFORMANCE_TEAM)
    for typed, message in (("", "Enter the date"), ("12/03/2027", "Enter the date as day")):
        response = team.post(
            url("decide"), {"action": "agree", "agreed_on": typed, "revision": version.revision}
        )
        assert response.status_code == 400 and message in response.content.decode()
    version.refresh_from_db()
    assert version.state == "draft"
    agreed = team.post(
        url("decide"),
        {"action": "agree", "agreed_on": date.today().isoformat(), "revision": version.revision},
    )
    assert agreed.status_code == 302
    version.refresh_from_db()
    assert version.state == "agreed"


def test_the_spreadsheet_round_trips_unchanged_then_with_a_change(plan: Plan) -> None:
    version = draft()
    team = signed_in(Role.PERFORMANCE_TEAM)
    download = team.get(url("download", "xlsx"))
    assert download.status_code == 200
    unchanged = team.post(url("upload"), {"file": _xlsx(download.content)})
    assert unchanged.status_code == 200
    assert "0 measures would change: the file matches the agreement" in unchanged.content.decode()

    edited = _xlsx(download.content, {"A2.M9.1": {"target": "73", "tolerance": "2"}})
    preview = team.post(url("upload"), {"file": edited})
    assert preview.status_code == 200
    assert version.measures.get(indicator__code="A2.M9.1").target is None  # not yet
    rows = _hidden(preview.content.decode(), "rows")
    confirmed = team.post(url("upload"), {"rows": rows, "revision": version.revision})
    assert confirmed.status_code == 302
    measure = version.measures.get(indicator__code="A2.M9.1")
    assert (measure.target, measure.tolerance) == (73, 2)
    assert version.events.filter(action="uploaded").exists()
    # The same confirmation again is from an old copy: refused, nothing changed.
    again = team.post(url("upload"), {"rows": rows, "revision": version.revision}, follow=True)
    assert "Someone else changed this agreement" in again.content.decode()


def test_an_upload_names_each_problem_by_row_and_column_and_saves_nothing(plan: Plan) -> None:
    version = draft()
    team = signed_in(Role.PERFORMANCE_TEAM)
    download = team.get(url("download", "xlsx")).content
    bad = _xlsx(download, {"A2.M9.1": {"target": "lots"}, "A2.M9.2": {"reported": "maybe"}})
    response = team.post(url("upload"), {"file": bad})
    text = response.content.decode()
    assert response.status_code == 400
    assert "nothing has been saved" in text
    assert "column target (A2.M9.1): Annual target must be a number" in text
    assert "column reported (A2.M9.2): Enter yes if it is reported this year, or no" in text
    assert "Row " in text
    assert not version.events.filter(action="uploaded").exists()
    not_a_sheet = team.post(url("upload"), {"file": SimpleUploadedFile("t.txt", b"hello")})
    assert not_a_sheet.status_code == 400


def _form_of(html: str, version: AgreementVersion) -> dict[str, str]:
    """The edit page's fields as it shows them (ticked boxes and typed values)."""
    import re

    form = {"revision": str(version.revision)}
    for name, value in re.findall(r'name="([A-Z][^"]*)" type="text"[^>]*value="([^"]*)"', html):
        form[name] = value
    for name in re.findall(
        r'name="([A-Z][^"]*-reported)" type="checkbox" value="yes" checked', html
    ):
        form[name] = "yes"
    for name, value in re.findall(
        r'name="([A-Z][^"]*-polarity)">.*?<option value="([^"]*)" selected', html, re.S
    ):
        form[name] = value
    return form


def _xlsx(content: bytes, edits: dict[str, dict[str, str]] | None = None) -> SimpleUploadedFile:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    for line in sheet.iter_rows(min_row=2):
        code = line[0].value
        for name, value in (edits or {}).get(code, {}).items():
            line[header.index(name)].value = value
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("targets.xlsx", out.getvalue())


def _hidden(html: str, name: str) -> str:
    import html as html_module
    import re

    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    value = html_module.unescape(match.group(1))
    json.loads(value)
    return value
