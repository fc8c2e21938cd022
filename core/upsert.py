"""Create or update rows by natural key, touching only the fields a fixture sets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass
class LoadReport:
    """How many rows of each kind a load created, updated or left as they were."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.unchanged[name]} unchanged"
            for name in names
        ]


def upsert(
    model: type[ModelT],
    keys: dict[str, Any],
    values: dict[str, Any],
    report: LoadReport,
    *,
    initial: dict[str, Any] | None = None,
) -> ModelT:
    """The row with these natural keys, created or brought up to date with these values.

    `initial` values are used only when the row is created: afterwards they belong to the app.
    """
    label = str(model._meta.verbose_name_plural)
    row = model._default_manager.filter(**keys).first()
    if row is None:
        row = model._default_manager.create(**keys, **values, **(initial or {}))
        report.created[label] += 1
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
        report.updated[label] += 1
    else:
        report.unchanged[label] += 1
    return row


def set_related(manager: Any, rows: Iterable[models.Model], report: LoadReport, label: str) -> None:
    """Make a many-to-many relation hold exactly these rows, counting it as one change."""
    wanted = {row.pk for row in rows}
    current = set(manager.values_list("pk", flat=True))
    if wanted != current:
        manager.set(list(wanted))
        report.updated[label] += 1
