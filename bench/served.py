"""Pages as users get them: gunicorn with two workers on the benchmark's database, and locust
(headless) keeping 16 visitors asking at once, each page's requests per second measured side by
side with /healthz's in the same run."""

from __future__ import annotations

import csv
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore

WORKERS = 2
USERS = 16
SECONDS = 15
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass(frozen=True)
class ServedResult:
    """One page under load: requests per second, latency percentiles, failures."""

    name: str
    visitor: str
    url: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    healthz_rps: float  # /healthz's, measured in the same run
    first_byte_ms: float = 0.0  # median of single requests: until the first byte arrives

    @property
    def share_of_healthz(self) -> float:
        return self.rps / self.healthz_rps if self.healthz_rps else 0.0


def served_measure(
    pages: list[tuple[str, str, str]], users: dict[str, int], workdir: Path, seconds: int = SECONDS
) -> list[ServedResult]:
    """Each (name, visitor, url) under load, after /healthz under the same load."""
    port = _free_port()
    server = _gunicorn(port, workdir)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/healthz")
        cookies = {visitor: _session_cookie(pk) for visitor, pk in users.items()}
        healthz = _load(base, "/healthz", "", workdir, seconds)
        results = []
        for name, visitor, url in pages:
            figures = _load(base, url, cookies.get(visitor, ""), workdir, seconds)
            results.append(ServedResult(name, visitor, url, **figures, healthz_rps=healthz["rps"]))
        return [
            ServedResult("healthz", "anonymous", "/healthz", **healthz, healthz_rps=healthz["rps"]),
            *results,
        ]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _gunicorn(port: int, workdir: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    environment = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        "DATABASE_CONN_MAX_AGE": "60",  # as a deployment would: a connection per worker
    }
    log = open(workdir / "gunicorn.log", "a")  # noqa: SIM115 - lives with the server
    return subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(gunicorn),
            "stockport_plan.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _load(base: str, path: str, cookie: str, workdir: Path, seconds: int) -> dict:
    """Locust, headless, USERS visitors for `seconds`; its figures for the path."""
    prefix = workdir / f"locust-{abs(hash((path, cookie)))}"
    locust = Path(sys.executable).with_name("locust")
    subprocess.run(  # noqa: S603 - our own locust, fixed arguments
        [
            str(locust),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "-u",
            str(USERS),
            "-r",
            str(USERS),
            "-t",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        env={**os.environ, "BENCH_PATH": path, "BENCH_COOKIE": cookie},
        check=True,
        capture_output=True,
        timeout=seconds + 120,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
    }


def _first_byte_ms(port: int, path: str, cookie: str, repeats: int = 5) -> float:
    """The median time from sending a request until the first byte of the answer arrives."""
    timings = []
    for _ in range(repeats + 1):  # the first one warms the worker, and is not counted
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read(1)
        timings.append((time.perf_counter() - started) * 1000)
        response.read()
        connection.close()
    return statistics.median(timings[1:])


def _session_cookie(user_pk: int) -> str:
    """A signed-in session for the user, as the Cookie header a browser would send."""
    user = User.objects.get(pk=user_pk)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "accounts.backends.PasswordBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own server
            return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"gunicorn did not answer {url}")
