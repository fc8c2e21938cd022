"""Two people saving one reading at the same moment: one wins, the other is told, none lost."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from core.roles import Role
from measures.models import Reading
from measures.services import ReadingConflict, ReadingInput, reading_save
from tests import factories as make


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_commit_or_conflict_and_lose_nothing() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one connection (runs in CI)")
    owner = make.user(Role.OFFICER)
    period = make.quarter()
    indicator = make.indicator(owner=owner)
    make.draft(indicator, period, "0", owner)
    barrier = threading.Barrier(20)
    committed: list[int] = []
    conflicts: list[int] = []

    def writer(number: int) -> None:
        try:
            barrier.wait()
            for attempt in range(3):
                version = Reading.objects.values_list("version", flat=True).get()
                value = number * 10 + attempt + 1
                try:
                    reading_save(
                        indicator=indicator,
                        period=period,
                        by=owner,
                        data=ReadingInput(value=Decimal(value)),
                        expected_version=version,
                    )
                    committed.append(value)
                except ReadingConflict:
                    conflicts.append(value)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(committed) + len(conflicts) == 60
    assert committed and conflicts
    reading = Reading.objects.get()
    assert reading.version == 1 + len(committed)
    saved = [event.changes["value"][1] for event in reading.events.order_by("version")[1:]]
    assert sorted(saved, key=int) == sorted(map(str, committed), key=int)
    assert reading.value is not None and str(reading.value.normalize()) == saved[-1]


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_first_saves_give_one_reading_and_nineteen_conflicts() -> None:
    """Twenty people open the empty form (version 0) and save at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one connection (runs in CI)")
    owner = make.user(Role.OFFICER)
    period = make.quarter()
    indicator = make.indicator(owner=owner)
    barrier = threading.Barrier(20)
    saved: list[int] = []
    conflicts: list[int] = []
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            barrier.wait()
            reading_save(
                indicator=indicator,
                period=period,
                by=owner,
                data=ReadingInput(value=Decimal(number), commentary=f"Writer {number}"),
                expected_version=0,
            )
            saved.append(number)
        except ReadingConflict:
            conflicts.append(number)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert (len(saved), len(conflicts)) == (1, 19)
    reading = Reading.objects.get()
    assert (reading.value, reading.commentary) == (Decimal(saved[0]), f"Writer {saved[0]}")
    assert (reading.version, reading.events.count()) == (1, 1)
