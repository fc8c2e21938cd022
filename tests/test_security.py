"""Protections that a council system needs, each tested so that removing it fails a test."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests import factories as make

PASSWORD = "not-a-real-password-1"  # noqa: S105 - the factories' test password
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_production_settings_pass_the_deployment_check_with_no_warning(tmp_path: Path) -> None:
    # A production environment: none of the test run's own variables (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which production must never have).
    test_only = {"DEBUG", "DEMO", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(
        DJANGO_SETTINGS_MODULE="stockport_plan.settings",
        HTTPS="1",
        SECRET_KEY="tests-deploy-check-" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7",
        ALLOWED_HOSTS="plan.example.gov.uk",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client: Client) -> None:
    response = client.get("/healthz")
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)
    assert script_src is not None and script_src.group(1) == "'self'"
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_an_inline_script() -> None:
    """The policy forbids inline scripts, so none may be written (JSON data blocks are data)."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.name}: {tag}")
    assert offenders == []
    assert not re.search(r"\son[a-z]+=", "".join(p.read_text() for p in TEMPLATES.rglob("*.html")))


def test_passwords_must_be_long_and_not_common() -> None:
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Short1!x")
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")
    validate_password("correct horse battery staple")


def sign_in(client: Client, username: str, password: str, **meta: Any) -> Any:
    """Post the sign-in form; meta sets request headers such as REMOTE_ADDR."""
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


@pytest.mark.django_db
def test_five_failures_lock_that_username_from_that_address_only(client: Client) -> None:
    person = make.user(Role.OFFICER)
    for _ in range(4):
        assert sign_in(client, person.username, "wrong", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert sign_in(client, person.username, "wrong", REMOTE_ADDR="10.0.0.1").status_code == 429
    locked = sign_in(client, person.username, PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429 and "Sign-in is locked for now" in locked.content.decode()
    # A forged forwarding header does not make a new key...
    forged = sign_in(
        Client(),
        person.username,
        PASSWORD,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert forged.status_code == 429
    # ...and the attacker cannot lock the person out from everywhere.
    elsewhere = sign_in(Client(), person.username, PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_key(client: Client, settings) -> None:
    from stockport_plan.security import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = type(
        "R",
        (),
        {"META": {"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.5"}},
    )()
    assert client_ip(request) == "203.0.113.5"  # the client's own "6.6.6.6" is ignored
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.9.9.9"


@pytest.mark.django_db
def test_a_new_session_at_sign_in_which_ends_at_sign_out(client: Client) -> None:
    person = make.user(Role.OFFICER)
    client.get(reverse("login"))
    before = client.session.session_key
    assert sign_in(client, person.username, PASSWORD).status_code == 302
    assert client.session.session_key != before
    assert settings.SESSION_COOKIE_AGE <= 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    client.post(reverse("logout"))
    assert client.get(reverse("measures:returns")).status_code == 302


@pytest.mark.django_db
def test_a_disabled_account_is_signed_out_at_its_next_request(client: Client) -> None:
    person = make.user(Role.OFFICER)
    make.quarter()
    client.force_login(person)
    assert client.get(reverse("measures:returns")).status_code == 200
    person.is_active = False
    person.save()
    assert client.get(reverse("measures:returns")).status_code == 302


@pytest.mark.django_db
def test_sign_ins_failures_and_refusals_are_logged(client: Client, caplog) -> None:
    person = make.user(Role.OFFICER)
    caplog.set_level(logging.INFO)
    sign_in(client, person.username, "wrong")
    sign_in(client, person.username, PASSWORD)
    client.get(reverse("measures:approvals"))
    messages = [r.getMessage() for r in caplog.records]
    assert f"Failed sign-in for username '{person.username}' from 127.0.0.1" in messages
    assert f"Sign-in: user {person.pk} from 127.0.0.1" in messages
    assert any(m.startswith("Refused GET /performance/approvals/") for m in messages)
