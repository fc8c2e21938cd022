"""Moving uploaded files out of the database (measures 0009) keeps every file still held: each
is written to the file storage, byte for byte, before the column goes; and it goes back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = ("measures", "0008_indicators_across_plans")
AFTER = ("measures", "0009_uploads_in_file_storage")


def migrate_to(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture(autouse=True)
def latest_schema_after() -> Iterator[None]:
    """Every later migration back in place afterwards, for the tests that follow this one."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_kept_files_move_to_storage_and_purged_ones_stay_empty() -> None:
    officer = make.user()
    old = migrate_to(BEFORE)
    Upload = old.get_model("measures", "ReadingUpload")
    kept = Upload.objects.create(
        uploaded_by_id=officer.pk, filename="Q2 returns.CSV", content=b"a,b\n1,2\n", sha256="x"
    )
    purged = Upload.objects.create(
        uploaded_by_id=officer.pk,
        filename="old.csv",
        content=b"",
        sha256="y",
        purged_at="2026-01-01T00:00Z",
    )
    new = migrate_to(AFTER)
    Upload = new.get_model("measures", "ReadingUpload")
    moved = Upload.objects.get(pk=kept.pk)
    assert moved.file.name.startswith(f"uploads/{officer.pk}/") and moved.file.name.endswith(".csv")
    assert default_storage.open(moved.file.name).read() == b"a,b\n1,2\n"
    assert Upload.objects.get(pk=purged.pk).file.name == ""
    back = migrate_to(BEFORE).get_model("measures", "ReadingUpload")
    assert bytes(back.objects.get(pk=kept.pk).content) == b"a,b\n1,2\n"
