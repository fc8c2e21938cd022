"""Settings come from the environment and refuse a dangerous or malformed value loudly."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DEMO", "DATABASE_URL", "REDIS_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import stockport_plan.settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        ],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_demo_starts_on_sqlite_with_eager_tasks_and_no_secret_key() -> None:
    result = load_settings(DEBUG="1", DEMO="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_database_and_redis_urls_choose_postgresql_and_a_real_broker() -> None:
    result = load_settings(
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@127.0.0.1:5432/db",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_a_yes_no_variable_with_another_value_is_refused() -> None:
    result = load_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a yes/no value" in result.stderr


def test_the_celery_app_reads_its_settings_from_django() -> None:
    from stockport_plan import celery_app

    # (Eager when REDIS_URL is unset is checked in a fresh interpreter above; the tests
    # themselves force eager mode in tests/settings.py.)
    assert celery_app.conf.task_always_eager is settings.CELERY_TASK_ALWAYS_EAGER
    assert celery_app.conf.broker_url == (settings.REDIS_URL or "memory://localhost/")
    assert celery_app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE
    assert "reports.tasks.reports_sweep" in {
        entry["task"] for entry in celery_app.conf.beat_schedule.values()
    }


def test_single_sign_on_is_off_by_default_and_refuses_a_half_or_wrong_configuration() -> None:
    issuer = {"DEBUG": "1", "OIDC_ISSUER": "https://login.example.invalid/tenant/v2.0"}
    assert load_settings(DEBUG="1").returncode == 0
    half = load_settings(**issuer)
    assert half.returncode != 0
    assert "set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too" in half.stderr
    client = {**issuer, "OIDC_CLIENT_ID": "app", "OIDC_CLIENT_SECRET": "secret"}
    assert load_settings(**client, OIDC_GROUP_ROLES="g1=officer,g2=councillor").returncode == 0
    wrong_role = load_settings(**client, OIDC_GROUP_ROLES="g1=officers")
    assert "OIDC_GROUP_ROLES names no such role: officers" in wrong_role.stderr
    not_a_pair = load_settings(**client, OIDC_GROUP_ROLES="g1")
    assert "'g1' is not a key=value pair" in not_a_pair.stderr
    local = load_settings(DEBUG="1", LOCAL_SIGN_IN="nobody")
    assert "LOCAL_SIGN_IN='nobody': use everyone or administrators" in local.stderr


def test_a_production_issuer_must_be_https() -> None:
    plain = load_settings(
        SECRET_KEY="k" * 50,
        OIDC_ISSUER="http://login.example.invalid/v2.0",
        OIDC_CLIENT_ID="app",
        OIDC_CLIENT_SECRET="secret",
    )
    assert plain.returncode != 0 and "OIDC_ISSUER must be https://" in plain.stderr
