"""More than one machine, proven on this one: two gunicorn nodes on two ports, two Celery
workers and one beat, sharing PostgreSQL, Redis and a real Azure Blob service (Azurite), each a
process of its own with nothing in common but those. A session made on node A works on node B;
a reading approved on A is on B's dashboard at the next request; a report asked for on A is
built by a worker and downloaded from B; a worker killed mid-report still gives exactly one
report; and a daily job that two schedulers both send emails each person once.

Runs in CI's PostgreSQL pass (REDIS_URL and a PostgreSQL DATABASE_URL) with Azurite installed
(`make azurite`); skips elsewhere, saying what it needs."""

from __future__ import annotations

import email
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
import requests
from azure.storage.blob import BlobServiceClient
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from core.roles import Role
from measures.models import Indicator, Reading, ReportingPeriod
from measures.services import reading_submit
from portfolios.models import ScrutinyCommittee
from reports.models import ReportRun
from tests import azurite as emulator
from tests import factories as make
from tests import processes
from tests.processes import url_of_test_database

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "not-a-real-password-1"  # noqa: S105 - what tests.factories gives every user
STUCK_AFTER = 45  # seconds: longer than any build here takes, so only a lost one is re-sent


@pytest.fixture(autouse=True)
def _needs_the_shared_services() -> None:
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL (CI's second pass has both)")
    if emulator.binary() is None:
        pytest.skip("needs Azurite: `make azurite` installs it (CI does)")


@pytest.fixture(scope="session")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """collectstatic once, as a release does: the nodes serve with DEBUG off, from a manifest."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "STATIC_ROOT": str(root), "SECRET_KEY": "collect", "DEBUG": "0"},
        check=True,
        capture_output=True,
    )
    return root


@dataclass
class Cluster:
    node_a: str
    node_b: str
    container: str
    connection_string: str
    mail: Path
    workdir: Path
    queue: str
    workers: list[subprocess.Popen] = field(default_factory=list)

    def blobs(self, prefix: str = "") -> list[str]:
        client = BlobServiceClient.from_connection_string(self.connection_string)
        container = client.get_container_client(self.container)
        return sorted(b.name for b in container.list_blobs(name_starts_with=prefix or None))

    def blob(self, name: str) -> bytes:
        client = BlobServiceClient.from_connection_string(self.connection_string)
        return client.get_blob_client(self.container, name).download_blob().readall()

    def log_of(self, worker: subprocess.Popen) -> str:
        return (self.workdir / f"worker-{self.workers.index(worker)}.log").read_text()

    def is_ready(self, worker: subprocess.Popen) -> bool:
        return "ready." in self.log_of(worker)

    def emails(self) -> list[email.message.Message]:
        found = []
        for path in sorted(self.mail.glob("*.log")):
            for raw in path.read_text().split("-" * 79):
                if raw.strip():
                    found.append(email.message_from_string(raw.strip()))
        return found


@pytest.fixture
def cluster(tmp_path: Path, static_root: Path, azurite: str) -> Iterator[Cluster]:
    container = f"nodes-{uuid.uuid4().hex[:10]}"
    BlobServiceClient.from_connection_string(azurite).create_container(container)
    mail = tmp_path / "mail"
    mail.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stockport_plan.settings",
        "SECRET_KEY": "two-nodes-test-key",
        "DEBUG": "0",
        "DATABASE_URL": url_of_test_database(),
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": f"nodes-{uuid.uuid4().hex[:8]}",
        "FILE_STORAGE": "azure",
        "AZURE_CONNECTION_STRING": azurite,
        "AZURE_CONTAINER": container,
        "STATIC_ROOT": str(static_root),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "REPORT_SWEEP_SECONDS": "2",
        "REPORT_STUCK_AFTER_SECONDS": str(STUCK_AFTER),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    running: list[subprocess.Popen] = []

    def start(name: str, *command: str) -> subprocess.Popen:
        process = processes.start(tmp_path / f"{name}.log", env, *command)
        running.append(process)
        return process

    ports = [emulator.free_port(), emulator.free_port()]
    for n, port in enumerate(ports):
        bind = f"127.0.0.1:{port}"
        start(f"node-{n}", "gunicorn", "stockport_plan.wsgi", "-b", bind, "--no-control-socket")
    queue = env["CELERY_QUEUE"]
    worker_command = ("celery", "-A", "stockport_plan", "worker", "--pool=solo", "-Q", queue)
    workers = [
        start(f"worker-{n}", *worker_command, "-n", f"w{n}@%h", "--loglevel=INFO") for n in range(2)
    ]
    beat_schedule = str(tmp_path / "beat-schedule")
    start("beat", "celery", "-A", "stockport_plan", "beat", "-s", beat_schedule, "-l", "INFO")
    made = Cluster(
        node_a=f"http://127.0.0.1:{ports[0]}",
        node_b=f"http://127.0.0.1:{ports[1]}",
        container=container,
        connection_string=azurite,
        mail=mail,
        workdir=tmp_path,
        queue=queue,
        workers=workers,
    )
    try:
        for node in (made.node_a, made.node_b):
            _wait_for(partial(_answers, f"{node}/readyz"), what=f"{node}/readyz")
        for worker in workers:
            _wait_for(partial(made.is_ready, worker), what="a worker to be ready")
        yield made
    finally:
        processes.stop(running)


def _status(run: ReportRun) -> str:
    return ReportRun.objects.values_list("status", flat=True).get(pk=run.pk)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=30).status_code == 200
    except requests.RequestException:
        return False


def _wait_for(check: Callable[[], bool], what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def signed_in(node: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{node}/sign-in/", timeout=10)
    assert page.status_code == 200
    answer = session.post(
        f"{node}/sign-in/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{node}/sign-in/"},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def post(session: requests.Session, url: str, data: dict) -> requests.Response:
    token = session.cookies["csrftoken"]
    return session.post(
        url,
        data={**data, "csrfmiddlewaretoken": token},
        headers={"Referer": url},
        timeout=30,
        allow_redirects=False,
    )


@dataclass
class Scene:
    committee: ScrutinyCommittee
    period: ReportingPeriod
    reading: Reading
    owed: Indicator


@pytest.fixture
def scene() -> Scene:
    """A committee whose portfolio has a reading awaiting approval, an indicator still owed,
    a councillor, two of the performance team, and enough indicators that a PDF takes time."""
    committee = ScrutinyCommittee.objects.create(slug="economy", name="Economy", position=1)
    committee.remit.add(make.portfolio("economy"))
    period = make.quarter()
    ReportingPeriod.objects.filter(pk=period.pk).update(
        deadline=timezone.localdate() + timedelta(days=3)
    )
    officer, delegate = make.user(Role.OFFICER, "olivia"), make.user(Role.OFFICER, "dan")
    make.user(Role.PERFORMANCE_TEAM, "tessa")
    make.user(Role.PERFORMANCE_TEAM, "tom")
    make.user(Role.COUNCILLOR, "cara")
    homes = make.indicator(owner=officer, title="Homes delivered by the council")
    reading = reading_submit(
        reading=make.draft(homes, period, "61207", officer), by=officer, expected_version=1
    )
    owed = make.indicator(owner=officer, title="Jobs created")
    owed.delegates.add(delegate)
    Reading.objects.bulk_create(
        Reading(
            indicator=make.indicator(owner=officer, title=f"Measure {n} " + "x" * 60),
            period=period,
            value=n,
            status="approved",
            commentary="Steady. " * 20,
        )
        for n in range(150)
    )
    # The nodes check passwords with production's hashers, which the tests' fast one is not.
    hasher = PBKDF2PasswordHasher()
    for person in User.objects.all():
        person.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
        person.save(update_fields=["password"])
    return Scene(committee, period, reading, owed)


def test_a_session_and_a_write_on_one_node_are_seen_on_the_other(cluster, scene) -> None:
    councillor = signed_in(cluster.node_b, "cara")
    dashboard = f"{cluster.node_b}/portfolios/economy/dashboard/?q=Homes+delivered+by"
    before = councillor.get(dashboard, timeout=30)
    assert before.status_code == 200 and "Homes delivered by the council" in before.text
    assert "61,207" not in before.text  # submitted, not yet approved: not shown to members
    team = signed_in(cluster.node_a, "tessa")
    approved = post(
        team,
        f"{cluster.node_a}/performance/approvals/",
        {
            "reading": scene.reading.pk,
            f"version-{scene.reading.pk}": scene.reading.version,
            "action": "approve",
            "note": "",
        },
    )
    assert approved.status_code == 302, approved.text[:1000]
    assert Reading.objects.get(pk=scene.reading.pk).status == "approved"
    after = councillor.get(dashboard, timeout=30)  # the very next request, on the other node
    assert after.status_code == 200 and "61,207" in after.text
    # The session made on node A is good on node B: sessions are in the shared database.
    queue = team.get(f"{cluster.node_b}/performance/approvals/", timeout=30)
    assert queue.status_code == 200 and "sign-in" not in queue.url


def test_a_report_asked_for_on_one_node_is_built_by_a_worker_and_downloaded_from_the_other(
    cluster, scene
) -> None:
    team = signed_in(cluster.node_a, "tessa")
    reports = f"/committees/{scene.committee.slug}/reports/"
    asked = post(
        team, cluster.node_a + reports, {"period": scene.period.code, "formats": ["pdf", "csv"]}
    )
    assert asked.status_code == 302, asked.text[:1000]
    run = ReportRun.objects.get()
    _wait_for(lambda: _status(run) == "done", what="the report to be built", seconds=120)
    run.refresh_from_db()
    assert (run.attempts, run.error) == (1, "")
    # It is on the shared storage, and nowhere on this machine's disk.
    assert cluster.blobs(f"reports/{scene.committee.slug}/") == sorted(
        [str(run.pdf.name), str(run.csv.name)]
    )
    downloaded = team.get(f"{cluster.node_b}{reports}{run.pk}/pdf", timeout=60)
    assert downloaded.status_code == 200
    assert downloaded.headers["Content-Disposition"].startswith("attachment;")
    assert downloaded.content.startswith(b"%PDF")
    assert downloaded.content == cluster.blob(str(run.pdf.name))
    stranger = requests.get(f"{cluster.node_b}{reports}{run.pk}/pdf", timeout=30)
    assert "sign-in" in stranger.url and b"%PDF" not in stranger.content


def test_a_worker_killed_mid_report_leaves_exactly_one_report(cluster, scene) -> None:
    team = signed_in(cluster.node_a, "tom")
    reports = f"{cluster.node_a}/committees/{scene.committee.slug}/reports/"
    formats = ["pdf", "xlsx", "csv"]
    assert post(team, reports, {"period": scene.period.code, "formats": formats}).status_code == 302
    run = ReportRun.objects.get()
    _wait_for(
        lambda: ReportRun.objects.filter(
            pk=run.pk, status="running", step__startswith="Making the PDF"
        ).exists(),
        what="the PDF to be under way",
    )
    received = re.compile(r"reports\.tasks\.report_build\[[^\]]+\] received")
    building = next(w for w in cluster.workers if received.search(cluster.log_of(w)))
    os.killpg(building.pid, signal.SIGKILL)
    building.wait(timeout=30)
    assert _status(run) == "running"  # as a machine that died leaves it
    # The one beat's sweeper finds it stale and re-sends it; the other worker builds it.
    _wait_for(lambda: _status(run) == "done", what="the report to be rebuilt", seconds=240)
    time.sleep(3)  # a second delivery, if there were one, must not build it again
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 2)
    assert ReportRun.objects.count() == 1
    folder = str(run.pdf.name).rsplit("/", 1)[0]
    names = [name.rsplit("/", 1)[1] for name in cluster.blobs(folder + "/")]
    assert names == ["report.csv", "report.pdf", "report.xlsx"]
    survivor = next(w for w in cluster.workers if w is not building)
    assert re.search(r"report_build\[[^\]]+\] succeeded", cluster.log_of(survivor))


@pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task")
def test_a_daily_job_sent_by_two_schedulers_emails_each_person_once(cluster, scene) -> None:
    from stockport_plan import celery_app

    # What two schedulers would do: each sends the day's jobs; both workers take one at once.
    for task in ("measures.tasks.reminders_send", "measures.tasks.digest_send"):
        for _ in range(2):
            celery_app.send_task(task, queue=cluster.queue)
    expected = {"olivia@example.invalid", "dan@example.invalid"}  # owner and delegate
    expected |= {"tessa@example.invalid", "tom@example.invalid"}  # the team's digest
    _wait_for(lambda: {m["To"] for m in cluster.emails()} == expected, what="the emails")
    time.sleep(3)  # the second of each pair has run too (or would have sent by now)
    sent = cluster.emails()
    assert sorted(m["To"] for m in sent) == sorted(expected)  # once each, not twice
    reminder = next(m for m in sent if m["To"] == "dan@example.invalid")
    assert reminder["Subject"].startswith(f"Reminder: 1 return(s) for {scene.period}")
