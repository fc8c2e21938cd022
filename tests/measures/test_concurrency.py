"""Two people saving one reading at the same moment: one wins, the other is told, none lost."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from measures.models import Reading
from measures.roles import Role
from measures.services import ReadingConflict, ReadingInput, reading_save
from tests.measures import factories as make


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_saves_from_one_version_lose_no_update() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one connection (runs in CI)")
    owner, delegate = make.user(Role.OFFICER), make.user(Role.OFFICER)
    period = make.quarter()
    indicator = make.indicator(owner=owner)
    indicator.delegates.add(delegate)
    make.draft(indicator, period, "10", owner)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(person, value: int) -> None:
        try:
            barrier.wait()
            reading_save(
                indicator=indicator,
                period=period,
                data=ReadingInput(value=Decimal(value)),
                by=person,
                expected_version=1,
            )
            outcomes.append(f"saved {value}")
        except ReadingConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=args) for args in ((owner, 20), (delegate, 30))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[0] == "conflict" and sorted(outcomes)[1].startswith("saved")
    reading = Reading.objects.get()
    winner = Decimal(sorted(outcomes)[1].split()[1])
    assert (reading.value, reading.version, reading.events.count()) == (winner, 2, 2)
