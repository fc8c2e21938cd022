"""Report pages: who may see which committee's reports, requesting, progress and downloads."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from portfolios.models import ScrutinyCommittee
from reports.models import ReportRun
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def committees() -> tuple[ScrutinyCommittee, ScrutinyCommittee]:
    own = ScrutinyCommittee.objects.create(slug="economy", name="Economy Scrutiny", position=1)
    other = ScrutinyCommittee.objects.create(slug="children", name="Children Scrutiny", position=2)
    own.remit.add(make.portfolio("economy"))
    return own, other


@pytest.fixture
def done_run(committees, django_capture_on_commit_callbacks) -> ReportRun:
    from reports.services import report_request

    period = make.quarter()
    with django_capture_on_commit_callbacks(execute=True):
        run = report_request(
            committee=committees[0],
            period=period,
            by=make.user(Role.PERFORMANCE_TEAM),
            formats=["csv", "pdf"],
        )
    run.refresh_from_db()
    assert run.status == "done"
    return run


def test_anonymous_visitors_sign_in_and_officers_are_refused(client: Client, committees) -> None:
    url = reverse("reports:list", args=["economy"])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(make.user(Role.OFFICER))
    assert client.get(url).status_code == 403


def test_a_scrutiny_member_sees_only_their_own_committee(
    client: Client, committees, done_run
) -> None:
    member = make.user(Role.SCRUTINY_MEMBER)
    committees[0].members.add(member)
    client.force_login(member)
    listing = client.get(reverse("reports:committees")).content.decode()
    assert "Economy Scrutiny" in listing and "Children Scrutiny" not in listing
    assert client.get(reverse("reports:list", args=["children"])).status_code == 404
    other_run = ReportRun.objects.create(
        committee=committees[1], period=done_run.period, formats=["csv"], status="done"
    )
    for url in (
        reverse("reports:download", args=["children", other_run.pk, "csv"]),
        reverse("reports:download", args=["economy", other_run.pk, "csv"]),
        reverse("reports:status", args=["children", other_run.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_finished_report_downloads_as_an_attachment_named_from_codes(
    client: Client, committees, done_run
) -> None:
    client.force_login(make.user(Role.COUNCILLOR))
    page = client.get(reverse("reports:list", args=["economy"])).content.decode()
    assert "Download CSV" in page and "Download PDF" in page and "Request report" not in page
    response = client.get(reverse("reports:download", args=["economy", done_run.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="economy-2025-26-Q2-performance-report.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert (
        client.get(reverse("reports:download", args=["economy", done_run.pk, "docx"])).status_code
        == 404
    )
    assert (
        client.get(reverse("reports:download", args=["economy", done_run.pk, "xlsx"])).status_code
        == 404
    )


def test_the_status_endpoint_reports_progress_and_links(
    client: Client, committees, done_run
) -> None:
    client.force_login(make.user(Role.PERFORMANCE_TEAM))
    state = client.get(reverse("reports:status", args=["economy", done_run.pk])).json()
    assert state["status"] == "done" and state["progress"] == 100
    assert set(state["downloads"]) == {"csv", "pdf"}
    queued = ReportRun.objects.create(
        committee=committees[0], period=done_run.period, formats=["csv"]
    )
    page = client.get(reverse("reports:list", args=["economy"])).content.decode()
    assert f'data-status-url="{reverse("reports:status", args=["economy", queued.pk])}"' in page
    assert (
        client.get(reverse("reports:status", args=["economy", queued.pk])).json()["downloads"] == {}
    )


def test_the_performance_team_requests_a_report_from_the_page(
    client: Client, committees, django_capture_on_commit_callbacks
) -> None:
    period = make.quarter()
    client.force_login(make.user(Role.PERFORMANCE_TEAM))
    url = reverse("reports:list", args=["economy"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"period": period.code, "formats": ["csv"]})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert (run.status, run.formats) == ("done", ["csv"])
    bad = client.post(url, {"period": "1999-00-Q1", "formats": ["csv"]})
    assert "Choose a period to report on" in bad.content.decode()
    assert ReportRun.objects.count() == 1


def test_a_councillor_cannot_request_a_report(client: Client, committees) -> None:
    period = make.quarter()
    client.force_login(make.user(Role.COUNCILLOR))
    response = client.post(reverse("reports:list", args=["economy"]), {"period": period.code})
    assert response.status_code == 403
    assert not ReportRun.objects.exists()
