"""The one row every cached page is keyed on: the version of the data, bumped by every write."""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """How many times the data pages show has changed, and when it last did (one row)."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"version {self.version} ({self.changed_at:%Y-%m-%d %H:%M})"
