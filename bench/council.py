"""What the parts of the synthetic council share: what is known of each indicator and the
periods made, and inserting rows in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Model

from ambitions.models import Milestone
from measures.models import Indicator, MilestoneUpdate, Reading, ReportingPeriod, Target

BATCH = 5000
ModelT = TypeVar("ModelT", bound=Model)


@dataclass
class Spec:
    """What reading and target generation need to know about one indicator."""

    pk: int
    unit: str
    places: int
    base: float
    annual: bool
    owner_id: int
    targeted: bool
    polarity: str
    cumulative: bool


@dataclass(frozen=True)
class Periods:
    """The generated periods: published quarters (oldest first), the open quarter, years."""

    published: list[ReportingPeriod]
    open_quarter: ReportingPeriod
    published_years: list[ReportingPeriod]


def batches(items: Iterable[ModelT], size: int = BATCH) -> Iterator[list[ModelT]]:
    """Lists of at most size items, in order."""
    batch: list[ModelT] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(model: type[ModelT], objects: Iterable[ModelT]) -> None:
    """bulk_create in batches of BATCH rows."""
    for batch in batches(objects):
        model._default_manager.bulk_create(batch, batch_size=BATCH)


def database_analyse() -> None:
    """Refresh the planner's statistics, as a live database's autovacuum would have."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def rows_counted() -> dict[str, int]:
    """Rows of each kind generated."""
    models: dict[str, Any] = {
        "indicators": Indicator,
        "periods": ReportingPeriod,
        "readings": Reading,
        "targets": Target,
        "users": User,
        "milestones": Milestone,
        "milestone updates": MilestoneUpdate,
    }
    return {name: model.objects.count() for name, model in models.items()}
