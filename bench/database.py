"""The benchmark's own throwaway database, and the environment Django is configured from."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
from psycopg import sql

ADMIN_DATABASE = "postgres"


@dataclass(frozen=True)
class BenchDatabase:
    """Where the benchmark's data lives, and how to remove it afterwards."""

    vendor: str  # "postgresql" or "sqlite"
    url: str
    name: str
    server_url: str  # the DATABASE_URL it was made beside ("" for SQLite)
    workdir: Path  # a temporary folder for the SQLite file, media and static files


def database_create(server_url: str | None) -> BenchDatabase:
    """A new PostgreSQL database beside server_url, or a SQLite file in a temporary folder."""
    workdir = Path(tempfile.mkdtemp(prefix="council-plan-bench-"))
    if not server_url:
        path = workdir / "bench.sqlite3"
        return BenchDatabase("sqlite", f"sqlite:///{path}", str(path), "", workdir)
    config = dj_database_url.parse(server_url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit(f"bench supports PostgreSQL or SQLite, not {config['ENGINE']}")
    name = f"{config['NAME'] or 'council_plan'}_bench_{os.getpid()}"
    with _admin_connection(server_url) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urlsplit(server_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    return BenchDatabase("postgresql", url, name, server_url, workdir)


def database_drop(database: BenchDatabase) -> None:
    """Drop the benchmark's database (only the one it created) and remove its temporary folder."""
    try:
        if database.vendor == "postgresql":
            with _admin_connection(database.server_url) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database.name)
                    )
                )
    finally:
        shutil.rmtree(database.workdir, ignore_errors=True)


def _admin_connection(server_url: str) -> psycopg.Connection:
    """An autocommit connection to the server's maintenance database."""
    config = dj_database_url.parse(server_url)
    return psycopg.connect(
        host=config.get("HOST") or None,
        port=str(config.get("PORT") or "") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname=ADMIN_DATABASE,
        autocommit=True,
    )


def environment_set(database: BenchDatabase) -> None:
    """Set the variables settings.py reads, before django.setup() (children inherit them)."""
    media = database.workdir / "media"
    media.mkdir(exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "stockport_plan.settings",
            "DEBUG": "0",
            "DEMO": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database.url,
            "DATABASE_CONN_MAX_AGE": "0",
            "ALLOWED_HOSTS": "testserver,localhost",
            "MEDIA_ROOT": str(media),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)  # Celery runs eagerly, the cache is in memory
