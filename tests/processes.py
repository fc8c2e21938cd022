"""Real processes for the tests that need them (Celery workers, gunicorn nodes, beat): started
in a session of their own with their output in a log file, pointed at the test database, and
stopped, however the test ended."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection


def url_of_test_database() -> str:
    """The DATABASE_URL of the database this test runs on (pytest-django's test_<name>)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start(log: Path, env: dict[str, str], *module_and_arguments: str) -> subprocess.Popen:
    """`python -m <module> <arguments>` from the project's folder, logging to `log`."""
    output = open(log, "w")  # noqa: SIM115 - lives with the process
    return subprocess.Popen(  # noqa: S603 - our own interpreter and programs, fixed arguments
        [sys.executable, "-m", *module_and_arguments],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(processes: Iterable[subprocess.Popen]) -> None:
    """Ask each to stop, then wait; kill what has not stopped after 30 s."""
    running = [p for p in processes if p.poll() is None]
    for process in running:
        os.killpg(process.pid, signal.SIGTERM)
    for process in running:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
