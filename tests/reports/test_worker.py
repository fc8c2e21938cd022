"""A real Celery worker against Redis and PostgreSQL: reports complete, survive a killed worker
and a flushed Redis, exactly once. Runs in CI (REDIS_URL and a PostgreSQL DATABASE_URL)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from core.roles import Role
from measures.models import Reading, ReportingPeriod
from portfolios.models import ScrutinyCommittee
from reports.models import ReportRun
from reports.services import report_request, reports_sweep
from stockport_plan import celery_app
from tests import factories as make
from tests import processes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _needs_redis_and_postgres() -> None:
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs a real worker: set REDIS_URL and a PostgreSQL DATABASE_URL (CI does)")


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of this test's own, and tasks sent to Redis rather than run in-process."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    before = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, name
    yield name
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = before


@pytest.fixture
def start_worker(queue: str, tmp_path: Path, settings) -> Iterator[Callable[[], subprocess.Popen]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stockport_plan.settings",
        "SECRET_KEY": "worker-test-key",
        "DATABASE_URL": processes.url_of_test_database(),
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    workers: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        worker = processes.start(
            tmp_path / f"worker-{len(workers)}.log",
            env,
            *("celery", "-A", "stockport_plan", "worker", "--pool=solo", "-Q", queue),
            *("--without-gossip", "--without-mingle", "--loglevel=INFO"),
        )
        workers.append(worker)
        return worker

    yield start
    processes.stop(workers)


def committee_with_figures(indicators: int) -> tuple[ScrutinyCommittee, ReportingPeriod]:
    committee = ScrutinyCommittee.objects.create(
        slug="economy", name="Economy Scrutiny", position=1
    )
    portfolio = make.portfolio("economy")
    committee.remit.add(portfolio)
    period = make.quarter()
    officer = make.user(Role.OFFICER)
    readings = [
        Reading(
            indicator=make.indicator(owner=officer, title=f"Measure {n} " + "x" * 60),
            period=period,
            value=n,
            status="approved",
            commentary="Steady. " * 20,
        )
        for n in range(indicators)
    ]
    Reading.objects.bulk_create(readings)
    return committee, period


def wait_for(check: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def status_of(run: ReportRun) -> str:
    return ReportRun.objects.values_list("status", flat=True).get(pk=run.pk)


def test_a_worker_builds_a_requested_report(start_worker) -> None:
    committee, period = committee_with_figures(5)
    start_worker()
    run = report_request(committee=committee, period=period, by=make.user(Role.PERFORMANCE_TEAM))
    wait_for(lambda: status_of(run) == "done")
    run.refresh_from_db()
    assert run.attempts == 1 and run.pdf.name and run.xlsx.name and run.csv.name


def test_a_worker_killed_mid_report_leaves_a_report_done_exactly_once(start_worker) -> None:
    committee, period = committee_with_figures(150)
    worker = start_worker()
    run = report_request(
        committee=committee,
        period=period,
        by=make.user(Role.PERFORMANCE_TEAM),
        formats=["pdf", "xlsx", "csv"],
    )
    wait_for(
        lambda: ReportRun.objects.filter(
            pk=run.pk, status="running", step__startswith="Making the PDF"
        ).exists()
    )
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert status_of(run) == "running"
    start_worker()
    reports_sweep(stuck_after=timedelta(0))  # what beat does once the run is stale
    wait_for(lambda: status_of(run) == "done", seconds=180)
    time.sleep(2)  # a redelivered message, if any, must not build it again
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 2)
    folder = Path(run.pdf.path).parent
    assert sorted(p.name for p in folder.iterdir()) == ["report.csv", "report.pdf", "report.xlsx"]
    assert ReportRun.objects.count() == 1


def test_reports_queued_when_redis_is_flushed_are_all_done_by_the_sweeper(start_worker) -> None:
    committee, period = committee_with_figures(3)
    team = make.user(Role.PERFORMANCE_TEAM)
    # Three different reports: the same one asked for again while queued is not made twice.
    runs = [
        report_request(committee=committee, period=period, by=team, formats=formats)
        for formats in (["csv"], ["xlsx"], ["csv", "xlsx"])
    ]
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # Redis here keeps nothing on disk
    start_worker()
    time.sleep(3)
    assert {status_of(run) for run in runs} == {"queued"}
    assert sorted(reports_sweep(stuck_after=timedelta(0))) == sorted(r.pk for r in runs)
    wait_for(lambda: {status_of(run) for run in runs} == {"done"})
    assert [ReportRun.objects.get(pk=r.pk).attempts for r in runs] == [1, 1, 1]
