"""Create or update rows by natural key, touching only the fields a fixture sets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction

from core.fixtures import Node

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
    The row must keep its model's rules (field limits, choices, check constraints), which are
    the only statement of them: a ValidationError, and nothing saved, if it breaks one.
    """
    label = str(model._meta.verbose_name_plural)
    row = model._default_manager.filter(**keys).first()
    if row is None:
        row = model(**keys, **values, **(initial or {}))
        _save(row, force_insert=True)
        report.created[label] += 1
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        _save(row, update_fields=changed)
        report.updated[label] += 1
    else:
        report.unchanged[label] += 1
    return row


def _save(row: models.Model, **options: Any) -> None:
    """Save the row if it keeps its model's rules, or raise ValidationError saying which it
    breaks: field limits and choices are checked here, check constraints by the database (a
    savepoint keeps a refused row from spoiling the load's transaction)."""
    # Related rows come from the loaders as rows they just read, so asking the database
    # whether each exists (full_clean's check of a foreign key) would only cost a query.
    related = [field.name for field in row._meta.fields if field.is_relation]
    row.full_clean(exclude=related, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            row.save(**options)
    except IntegrityError as refused:
        raise ValidationError(_broken_rule(row, refused)) from None


def _broken_rule(row: models.Model, refused: IntegrityError) -> str:
    """The broken constraint's own message, found by its name in the database's error."""
    for constraint in row._meta.constraints:
        if constraint.name in str(refused):
            return str(constraint.get_violation_error_message())
    return f"the database refused it: {refused}"


def save_if_valid(
    node: Node,
    mark: int,
    model: type[ModelT],
    keys: dict[str, Any],
    values: dict[str, Any],
    report: LoadReport,
    *,
    initial: dict[str, Any] | None = None,
) -> ModelT | None:
    """Upsert the row unless reading its node found a mistake, or the row breaks its model's
    rules: each problem is then named with the node's place (and the load is refused)."""
    if node.problems.since(mark):
        return None
    try:
        return upsert(model, keys, values, report, initial=initial)
    except ValidationError as invalid:
        by_field = (
            invalid.message_dict
            if hasattr(invalid, "error_dict")
            else {NON_FIELD_ERRORS: invalid.messages}
        )
        for field, messages in by_field.items():
            for message in messages:
                node.problems.add(
                    node.where, message if field == NON_FIELD_ERRORS else f"{field!r}: {message}"
                )
        return None


def set_related(manager: Any, rows: Iterable[models.Model], report: LoadReport, label: str) -> None:
    """Make a many-to-many relation hold exactly these rows, counting it as one change."""
    wanted = {row.pk for row in rows}
    current = set(manager.values_list("pk", flat=True))
    if wanted != current:
        manager.set(list(wanted))
        report.updated[label] += 1
