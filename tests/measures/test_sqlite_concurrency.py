"""Twenty people saving the same empty reading at once on SQLite, through a real server: one is
saved, the others are told it changed or to try again, and nobody gets a server error."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings

WRITERS = 20
SETUP = """
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from tests import factories as make
from core.roles import Role
officer = make.user(Role.OFFICER, username="officer")
make.indicator(owner=officer, code="RACE.1", first_year=2025)
make.quarter(2025, 2)
for _ in range({writers}):
    session = SessionStore()
    session["_auth_user_id"] = str(officer.pk)
    session["_auth_user_backend"] = "accounts.backends.PasswordBackend"
    session["_auth_user_hash"] = officer.get_session_auth_hash()
    session.create()
    print("session", session.session_key)
"""
CHECK = """
from measures.models import Reading, ReadingEvent
print("readings", list(Reading.objects.values_list("value", "version")))
print("events", ReadingEvent.objects.count())
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[str], dict[str, str]]]:
    """gunicorn with 4 workers of 5 threads on a file SQLite database of its own."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stockport_plan.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "SECRET_KEY": "sqlite-concurrency-test-key",
        "DEBUG": "1",  # static files without a collectstatic manifest; status codes are the same
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("REDIS_URL", None)
    _manage(env, "migrate", "--no-input")
    sessions = re.findall(
        r"session (\w+)", _manage(env, "shell", "-c", SETUP.format(writers=WRITERS))
    )
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - lives with the server
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(gunicorn),
            "stockport_plan.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--threads",
            "5",
            "--timeout",
            "60",
            "--graceful-timeout",
            "2",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - our server
                break
            except OSError:
                time.sleep(0.2)
        yield base, sessions, env
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_twenty_first_saves_at_once_give_one_saved_and_no_server_error(server) -> None:
    base, sessions, env = server
    assert len(sessions) == WRITERS
    barrier = threading.Barrier(WRITERS)
    outcomes: list[tuple[int, str]] = []

    def writer(number: int, session: str) -> None:
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        opener.addheaders = [("Cookie", f"sessionid={session}")]
        page = opener.open(f"{base}/returns/", timeout=60).read().decode()
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found is not None, page[:500]
        token = found.group(1)
        csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "action": "save",
                "RACE.1-value": str(number),
                "RACE.1-numerator": "",
                "RACE.1-denominator": "",
                "RACE.1-data_quality": "provisional",
                "RACE.1-commentary": f"Writer {number}",
                "RACE.1-corrective_action": "",
                "RACE.1-version": "0",
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own server
            f"{base}/returns/",
            data=body,
            headers={"Cookie": f"sessionid={session}; csrftoken={csrf}", "Referer": base},
        )
        barrier.wait()
        try:
            response = opener.open(request, timeout=60)
            outcomes.append((response.status, response.read().decode()))
        except urllib.error.HTTPError as error:
            outcomes.append((error.code, error.read().decode()))

    threads = [
        threading.Thread(target=writer, args=(number, session))
        for number, session in enumerate(sessions, start=1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _ in outcomes)
    assert len(outcomes) == WRITERS
    assert 500 not in statuses
    assert statuses.count(302) == 1, statuses
    for status, page in outcomes:
        if status == 200:
            assert "changed by someone else" in page
        elif status == 503:
            assert "Nothing you sent has been saved" in page
    state = _manage(env, "shell", "-c", CHECK)
    assert "readings [(Decimal('" in state and ", 1)]" in state, state
    assert "events 1" in state
