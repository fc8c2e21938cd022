"""Shared test set-up: settings for tests, and the plan loaded from the real fixtures."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from hypothesis import settings as hypothesis_settings

from ambitions.models import Plan
from measures.loaders import load_all

# Unit tests must be deterministic: Hypothesis explores the same examples on every run.
hypothesis_settings.register_profile("deterministic", derandomize=True, database=None)
hypothesis_settings.load_profile("deterministic")

PLAN_TEXT = settings.BASE_DIR.parent / "shared" / "plan" / "stockport-council-plan-2024-27.txt"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: pytest.FixtureRequest) -> None:
    """Pages render without a collectstatic manifest (the manifest itself has its own test)."""
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _own_media_folder(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Generated files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


@pytest.fixture
def plan(db: None) -> Plan:
    """The Stockport plan, loaded from fixtures/ exactly as `load_plan` does, for this test."""
    load_all(Path(settings.PLAN_FIXTURES_DIR))
    return Plan.objects.get(slug="council-plan-2024-27")


@pytest.fixture(scope="module")
def plan_for_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[Plan]:
    """The Stockport plan loaded once for a whole module whose tests only read it (or write
    only what their own test undoes): it is loaded inside a transaction that is rolled back
    when the module is done, and each test runs in a savepoint of it, as `db` gives."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_all(Path(settings.PLAN_FIXTURES_DIR))
        yield Plan.objects.get(slug="council-plan-2024-27")
        transaction.set_rollback(True)


@pytest.fixture
def shared_plan(plan_for_module: Plan, db: None) -> Plan:
    """`plan` for modules that load it once (they say `plan = shared_plan`)."""
    return plan_for_module


@pytest.fixture
def plan_text() -> str:
    """The plan's full text, the source of truth (beside the project, in ../shared)."""
    if not PLAN_TEXT.is_file():
        pytest.skip(f"the plan's text is not at {PLAN_TEXT}")
    return PLAN_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Azure Blob service (Azurite) for the session: its connection string."""
    from tests import azurite as emulator

    if emulator.binary() is None:
        pytest.skip("Azurite is not installed: `make azurite` installs it (needs Node and npm)")
    with emulator.running(tmp_path_factory.mktemp("azurite")) as connection_string:
        yield connection_string


@pytest.fixture
def azure_storage(azurite: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Files go to a fresh private container of this test's own on Azurite, through the
    storage that FILE_STORAGE=azure and its variables choose; the container's name."""
    import uuid

    from azure.storage.blob import BlobServiceClient

    from stockport_plan.file_storage import default_storage_from_env

    container = f"test-{uuid.uuid4().hex[:12]}"
    service = BlobServiceClient.from_connection_string(azurite)
    service.create_container(container)
    for name, value in {
        "FILE_STORAGE": "azure",
        "AZURE_CONNECTION_STRING": azurite,
        "AZURE_CONTAINER": container,
    }.items():
        monkeypatch.setenv(name, value)
    settings.FILE_STORAGE = "azure"
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_env()}
    yield container
    from azure.core.exceptions import ResourceNotFoundError

    with contextlib.suppress(ResourceNotFoundError):  # unless the test removed it
        service.delete_container(container)
