"""Azurite, Microsoft's Azure Storage emulator (a real Blob service speaking the Azure REST API),
started on a free port for the tests of the Azure backend. `make azurite` installs it from the
npm registry into .ci/azurite; without it those tests skip, saying so (CI installs it)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

BINARY = settings.BASE_DIR / ".ci" / "azurite" / "node_modules" / ".bin" / "azurite-blob"
# Azurite's one account and its published key (the same in every copy of the emulator).
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def binary() -> Path | None:
    found = Path(os.environ.get("AZURITE_BIN", BINARY))
    return found if found.is_file() else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def connection_string(port: int) -> str:
    return (
        f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};"
        f"BlobEndpoint=http://127.0.0.1:{port}/{ACCOUNT};"
    )


@contextmanager
def running(workdir: Path) -> Iterator[str]:
    """Azurite's Blob service, in memory, until the block ends; its connection string."""
    found = binary()
    assert found is not None, "Azurite is not installed: run `make azurite`"
    port = free_port()
    log = open(workdir / "azurite.log", "w")  # noqa: SIM115 - lives with the server
    server = subprocess.Popen(  # noqa: S603 - the installed emulator, fixed arguments
        [
            str(found),
            "--blobHost=127.0.0.1",
            f"--blobPort={port}",
            "--inMemoryPersistence",
            "--skipApiVersionCheck",
            "--disableTelemetry",
            "--loose",
        ],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(port, server, workdir)
        yield connection_string(port)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        log.close()


def _wait_for(port: int, server: subprocess.Popen, workdir: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"Azurite stopped: {(workdir / 'azurite.log').read_text()[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("Azurite did not start listening within 30 s")
