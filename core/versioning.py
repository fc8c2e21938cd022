"""The data version: every write that pages could show bumps it once its transaction commits,
and every cached page or fragment is keyed on it, so a change is visible on the next request
from any process or machine (the row is in the database, which they all share)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from core.models import DataVersion
from core.oncommit import once_on_commit

ROW = 1


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime


def current() -> Version:
    """The data version now (one query by primary key)."""
    row = DataVersion.objects.filter(pk=ROW).values_list("version", "changed_at").first()
    if row is None:
        return Version(0, datetime(2000, 1, 1, tzinfo=timezone.get_current_timezone()))
    return Version(row[0], row[1])


def bump() -> None:
    """Count a change once the current transaction commits (at once outside one), once however
    many writes the transaction holds. The row is updated after the commit, in a moment of its
    own, so writers never queue on it."""
    once_on_commit("data_version", _bump_now)


def _bump_now() -> None:
    now = timezone.now()
    updated = DataVersion.objects.filter(pk=ROW).update(version=F("version") + 1, changed_at=now)
    if not updated:
        DataVersion.objects.get_or_create(pk=ROW, defaults={"version": 1, "changed_at": now})
