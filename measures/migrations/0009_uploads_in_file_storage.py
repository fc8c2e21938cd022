"""Uploaded files move from a column of the database to the file storage every machine shares
(FILE_STORAGE): each kept file is written there before its column is dropped."""

import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

import measures.models


def files_to_storage(apps, schema_editor):
    ReadingUpload = apps.get_model("measures", "ReadingUpload")
    kept = ReadingUpload.objects.filter(purged_at__isnull=True).exclude(content=b"")
    for upload in kept.iterator():
        suffix = Path(upload.filename).suffix.lower()
        name = f"uploads/{upload.uploaded_by_id}/{uuid.uuid4().hex}"
        name += suffix if suffix.isascii() else ""
        upload.file = default_storage.save(name, ContentFile(bytes(upload.content)))
        upload.save(update_fields=["file"])


def files_back_to_the_database(apps, schema_editor):
    ReadingUpload = apps.get_model("measures", "ReadingUpload")
    for upload in ReadingUpload.objects.exclude(file="").iterator():
        with default_storage.open(upload.file.name, "rb") as kept:
            upload.content = kept.read()
        upload.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0008_indicators_across_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="readingupload",
            name="file",
            field=models.FileField(
                blank=True, max_length=200, upload_to=measures.models.upload_path
            ),
        ),
        migrations.AlterField(
            model_name="readingupload",
            name="content",
            field=models.BinaryField(default=b""),
        ),
        migrations.RunPython(files_to_storage, files_back_to_the_database),
        migrations.RemoveField(
            model_name="readingupload",
            name="content",
        ),
    ]
