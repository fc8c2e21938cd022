"""Members are told when their committee's report is ready: an email each, with a link to
the committee's page and never the file, once per report."""

from __future__ import annotations

import pytest
from django.core import mail

from core.roles import Role
from portfolios.models import ScrutinyCommittee
from reports import services as report_runs
from reports.models import ReportRun
from reports.notify import report_ready_notify
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee() -> ScrutinyCommittee:
    committee = ScrutinyCommittee.objects.create(
        slug="economy", name="Economy Scrutiny", position=1
    )
    committee.remit.add(make.portfolio("economy"))
    with_email = make.user(Role.SCRUTINY_MEMBER, username="ann")
    with_email.email = "ann@example.invalid"
    with_email.save()
    without = make.user(Role.SCRUTINY_MEMBER, username="bob")
    without.email = ""
    without.save()
    committee.members.add(with_email, without)
    return committee


def test_a_finished_report_emails_each_member_a_link_once(
    committee, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_URL = "https://plan.example.invalid"
    team = make.user(Role.PERFORMANCE_TEAM)
    period = make.quarter(2025, 2, state="published")
    with django_capture_on_commit_callbacks(execute=True):
        run = report_runs.report_request(
            committee=committee, period=period, by=team, formats=["pdf"]
        )
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.invalid"]
    assert message.subject == "Economy Scrutiny: the 2025/26 Q2 performance report is ready"
    assert "https://plan.example.invalid/committees/economy/reports/" in message.body
    assert run.fingerprint[:12] in message.body
    assert message.attachments == []
    assert report_ready_notify(run_id=run.pk) == 0  # told once
    assert len(mail.outbox) == 1


def test_a_report_that_is_not_done_tells_nobody(committee) -> None:
    run = ReportRun.objects.create(
        committee=committee, period=make.quarter(2025, 2), status=ReportRun.Status.FAILED
    )
    assert report_ready_notify(run_id=run.pk) == 0
    assert mail.outbox == []
