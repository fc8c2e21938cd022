"""Scrutiny report runs: requested, queued on publishing, built once, failed readably, swept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from celery.exceptions import Retry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.roles import Role
from measures.services import period_close, period_publish, reading_approve, reading_submit
from portfolios.models import ScrutinyCommittee
from reports import services as report_runs
from reports.builder import report_data_build
from reports.models import ReportRun
from reports.tasks import report_build
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee() -> ScrutinyCommittee:
    committee = ScrutinyCommittee.objects.create(
        slug="economy-scrutiny", name="Economy Scrutiny", position=1
    )
    committee.remit.add(make.portfolio("economy"), make.portfolio("housing"))
    return committee


@pytest.fixture
def approved_reading(committee: ScrutinyCommittee) -> dict[str, Any]:
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    period = make.quarter()
    indicator = make.indicator(owner=officer, title="Homes delivered")
    reading = reading_submit(
        reading=make.draft(indicator, period, "612", officer), by=officer, expected_version=1
    )
    reading_approve(reading=reading, by=team, expected_version=2)
    return {"period": period, "team": team, "officer": officer, "indicator": indicator}


def test_publishing_a_period_queues_every_committees_report_and_they_complete(
    committee, approved_reading, django_capture_on_commit_callbacks
) -> None:
    ScrutinyCommittee.objects.create(slug="other", name="Other Scrutiny", position=2)
    period, team = approved_reading["period"], approved_reading["team"]
    period_close(period=period, by=team)
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=period, by=team)
    runs = ReportRun.objects.order_by("committee__position")
    assert [(r.committee.slug, r.status, r.requested_by) for r in runs] == [
        ("economy-scrutiny", "done", None),
        ("other", "done", None),
    ]
    run = runs[0]
    assert (run.progress, run.attempts, run.error) == (100, 1, "")
    assert str(run.pdf.name).endswith("/report.pdf") and run.xlsx.name and run.csv.name
    assert "Homes delivered" in run.csv.read().decode("utf-8-sig")
    assert len(run.fingerprint) == 64


def test_running_a_run_twice_makes_one_set_of_files(
    committee, approved_reading, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = report_runs.report_request(
            committee=committee,
            period=approved_reading["period"],
            by=approved_reading["team"],
            formats=["csv"],
        )
    run.refresh_from_db()
    first = (run.status, run.csv.name, run.finished_at, run.attempts)
    report_runs.report_run_execute(run_id=run.pk)  # a duplicate delivery
    run.refresh_from_db()
    assert (run.status, run.csv.name, run.finished_at, run.attempts) == first
    assert first[0] == "done"
    folder = run.csv.path.rsplit("/", 1)[0]
    import os

    assert os.listdir(folder) == ["report.csv"]


def test_the_same_data_gives_the_same_fingerprint_and_a_change_a_new_one(
    committee, approved_reading
) -> None:
    period = approved_reading["period"]
    first = report_data_build(committee=committee, period=period, generated_at=timezone.now())
    again = report_data_build(
        committee=committee, period=period, generated_at=timezone.now() + timedelta(hours=1)
    )
    assert first.fingerprint == again.fingerprint
    from measures.models import Reading
    from measures.services.scorecard import scorecard_rebuild

    Reading.objects.update(commentary="Revised commentary")
    scorecard_rebuild()  # a change behind the services' back is judged by the rebuild
    changed = report_data_build(committee=committee, period=period, generated_at=timezone.now())
    assert changed.fingerprint != first.fingerprint


def test_a_rendering_error_fails_the_run_with_a_readable_message_and_no_retry(
    committee, approved_reading, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    calls = []

    def broken(data: object) -> bytes:
        calls.append(1)
        raise ValueError("font cache is corrupt")

    monkeypatch.setitem(report_runs.RENDERERS, "pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = report_runs.report_request(
            committee=committee,
            period=approved_reading["period"],
            by=approved_reading["team"],
            formats=["pdf"],
        )
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == "The report could not be made: ValueError: font cache is corrupt"
    assert calls == [1]


def test_a_transient_error_is_retried_with_growing_waits_then_given_up(
    committee, approved_reading, monkeypatch
) -> None:
    run = ReportRun.objects.create(
        committee=committee, period=approved_reading["period"], formats=["csv"]
    )

    def flaky(*args: object) -> str:
        raise report_runs.ReportTransientError("storage unavailable")

    monkeypatch.setattr(report_runs, "_store", flaky)
    waits = []
    for attempt in range(4):
        with pytest.raises(Retry) as retry:
            report_build.apply(args=(run.pk,), retries=attempt)
        waits.append(retry.value.when)
        run.refresh_from_db()
        assert (run.status, run.step) == ("queued", "Waiting to try again")
    assert waits == [10, 20, 40, 80]
    report_build.apply(args=(run.pk,), retries=4)
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "Gave up after 5 tries: storage unavailable")
    assert run.attempts == 5


def test_the_sweeper_resends_lost_and_stale_runs_and_fails_hopeless_ones(
    committee, approved_reading, django_capture_on_commit_callbacks, settings
) -> None:
    period, long_ago = approved_reading["period"], timezone.now() - timedelta(hours=1)
    lost = ReportRun.objects.create(
        committee=committee, period=period, formats=["csv"], enqueued_at=long_ago
    )
    stale = ReportRun.objects.create(
        committee=committee,
        period=period,
        formats=["csv"],
        status="running",
        started_at=long_ago,
        attempts=1,
    )
    hopeless = ReportRun.objects.create(
        committee=committee,
        period=period,
        formats=["csv"],
        status="running",
        started_at=long_ago,
        attempts=settings.REPORT_MAX_ATTEMPTS,
    )
    fresh = ReportRun.objects.create(
        committee=committee, period=period, formats=["csv"], enqueued_at=timezone.now()
    )
    sent = report_runs.reports_sweep()
    assert sorted(sent) == sorted([lost.pk, stale.pk])
    statuses = {r.pk: (r.status, r.attempts) for r in ReportRun.objects.all()}
    assert statuses[lost.pk] == ("done", 1)
    assert statuses[stale.pk] == ("done", 2)
    assert statuses[hopeless.pk][0] == "failed"
    assert statuses[fresh.pk] == ("queued", 0)
    assert "Stopped after 3 attempts" in ReportRun.objects.get(pk=hopeless.pk).error


def test_who_may_request_a_report(committee, approved_reading) -> None:
    period = approved_reading["period"]
    member, outsider = make.user(Role.SCRUTINY_MEMBER), make.user(Role.SCRUTINY_MEMBER)
    committee.members.add(member)
    assert report_runs.report_request(committee=committee, period=period, by=member).formats == [
        "pdf",
        "xlsx",
        "csv",
    ]
    for person in (outsider, approved_reading["officer"], make.user(Role.COUNCILLOR)):
        with pytest.raises(PermissionDenied):
            report_runs.report_request(committee=committee, period=period, by=person)
    with pytest.raises(ValidationError, match="Choose one or more"):
        report_runs.report_request(committee=committee, period=period, by=member, formats=["doc"])
    with pytest.raises(ValidationError, match="has not been opened"):
        report_runs.report_request(
            committee=committee, period=make.quarter(2026, 4, "not_open"), by=member
        )
    assert ReportRun.objects.count() == 1
