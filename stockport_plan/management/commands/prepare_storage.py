"""`manage.py prepare_storage`: make sure the file storage FILE_STORAGE names is there (once per
release, beside `migrate`): the Azure container is created, private, if missing; an S3 bucket
must exist already (IT creates it, with its policy); the local folder is made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from stockport_plan.health import storage_round_trip


class Command(BaseCommand):
    help = "Create the Azure container or local folder for files if missing, then check it."

    def handle(self, *args: Any, **options: Any) -> None:
        kind = settings.FILE_STORAGE
        try:
            if kind == "azure":
                self._azure_container()
            elif kind == "local":
                Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
            storage_round_trip()
        except Exception as error:
            raise CommandError(
                f"The {kind} file storage cannot be written, read and deleted: {error}"
            ) from error
        self.stdout.write(f"The {kind} file storage is ready.")

    def _azure_container(self) -> None:
        from azure.core.exceptions import ResourceExistsError

        container = default_storage.client  # type: ignore[attr-defined]
        try:
            container.create_container()  # no public access: the app serves every file
        except ResourceExistsError:
            return
        self.stdout.write(f"Created the private container {container.container_name}.")
