"""/healthz answers 200 when the database does, and 503 when it does not; /readyz checks
the database, Redis (when configured) and the file storage, and names the one that failed."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_is_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_is_unavailable_when_the_database_is_not(client: Client) -> None:
    with mock.patch("stockport_plan.health.connection.cursor", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_it_refuses_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_ready_when_the_database_and_storage_answer(client: Client, settings) -> None:
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not configured",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"]
    assert not list((settings.MEDIA_ROOT / "readyz").iterdir())  # the probe cleared up


def test_not_ready_names_redis_when_it_does_not_answer(client: Client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "redis": "unavailable",
        "storage": "ok",
    }


def test_not_ready_names_the_storage_when_files_cannot_be_written(
    client: Client, settings, tmp_path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage"] == "unavailable"
    assert response.json()["database"] == "ok"


def test_not_ready_names_the_database_when_it_does_not_answer(client: Client) -> None:
    with mock.patch("stockport_plan.health.connection.cursor", side_effect=OperationalError):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert client.post("/readyz").status_code == 405


def test_the_probes_answer_over_plain_http_behind_a_tls_proxy(client: Client, settings) -> None:
    """With HTTPS=1 everything else redirects to HTTPS; a load balancer's probe reaching a
    node directly over HTTP gets its answer."""
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/accessibility/").status_code == 301
