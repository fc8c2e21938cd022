"""Saving many readings at once (the upload's path): the same checks, versions and history as
one save gives each, all or nothing, and a number of queries that does not grow with new rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from measures import services
from measures.models import Reading, ReadingEvent
from measures.services import (
    ReadingConflict,
    ReadingEntry,
    ReadingInput,
    reading_return,
    reading_submit,
    readings_save_many,
)
from tests import factories as make

pytestmark = pytest.mark.django_db


def entry(indicator, period, value: str, **fields) -> ReadingEntry:
    data = ReadingInput(value=Decimal(value), **fields)
    return ReadingEntry(indicator, period, data, make.version_of(indicator, period), "Row 2")


def state() -> list[tuple]:
    """Every reading and event, to show that a refused batch changed nothing."""
    readings = Reading.objects.order_by("pk").values_list("pk", "value", "status", "version")
    events = ReadingEvent.objects.order_by("pk").values_list("pk", "version", "action")
    return [*readings, *events]


def test_a_batch_creates_and_edits_with_versions_and_history() -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    fresh, edited, same = (make.indicator(owner=officer) for _ in range(3))
    make.draft(edited, period, "10", officer)
    make.draft(same, period, "5", officer)

    changed = readings_save_many(
        entries=[
            entry(fresh, period, "3", commentary="First figure"),
            entry(edited, period, "12"),
            entry(same, period, "5"),
        ],
        by=officer,
    )

    assert changed == 2
    new = Reading.objects.get(indicator=fresh, period=period)
    assert (new.value, new.version, new.status, new.updated_by) == (
        Decimal(3),
        1,
        "draft",
        officer,
    )
    event = new.events.get()
    assert (event.version, event.action, event.note, event.by) == (1, "uploaded", "Row 2", officer)
    assert (
        event.changes["value"] == [None, "3"] and event.changes["commentary"][1] == "First figure"
    )
    edit = Reading.objects.get(indicator=edited, period=period)
    assert (edit.value, edit.version) == (Decimal(12), 2)
    assert edit.events.get(version=2).changes == {"value": ["10.0000", "12"]}
    untouched = Reading.objects.get(indicator=same, period=period)
    assert untouched.version == 1 and untouched.events.count() == 1


def test_a_returned_reading_goes_back_to_draft_and_says_so() -> None:
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    period = make.quarter()
    indicator = make.indicator(owner=officer)
    reading = reading_submit(
        reading=make.draft(indicator, period, "7", officer), by=officer, expected_version=1
    )
    reading_return(reading=reading, by=team, note="Check the source", expected_version=2)

    readings_save_many(entries=[entry(indicator, period, "8")], by=officer)

    reading = Reading.objects.get(indicator=indicator, period=period)
    assert (reading.status, reading.version, reading.value) == ("draft", 4, Decimal(8))
    assert reading.events.get(version=4).changes["status"] == ["returned", "draft"]


def test_a_submitted_reading_in_the_batch_refuses_the_whole_batch() -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    fresh, submitted = make.indicator(owner=officer), make.indicator(owner=officer)
    reading_submit(
        reading=make.draft(submitted, period, "7", officer), by=officer, expected_version=1
    )
    before = state()

    with pytest.raises(ValidationError, match=f"{submitted.code} .* is submitted"):
        readings_save_many(
            entries=[entry(fresh, period, "1"), entry(submitted, period, "9")], by=officer
        )

    assert state() == before


def test_another_officers_indicator_refuses_the_batch_but_a_delegated_one_is_allowed() -> None:
    officer, colleague = make.user(Role.OFFICER), make.user(Role.OFFICER)
    period = make.quarter()
    own, delegated, theirs = (make.indicator(owner=colleague) for _ in range(3))
    own.owner = officer
    own.save()
    delegated.delegates.add(officer)

    with pytest.raises(PermissionDenied, match=f"{theirs.code}: it is neither yours"):
        readings_save_many(
            entries=[entry(own, period, "1"), entry(theirs, period, "2")], by=officer
        )
    assert not Reading.objects.exists()

    assert (
        readings_save_many(
            entries=[entry(own, period, "1"), entry(delegated, period, "2")], by=officer
        )
        == 2
    )


def test_a_value_that_does_not_fit_the_unit_is_refused_with_its_indicator_named() -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    good, bad = make.indicator(owner=officer), make.indicator(owner=officer)

    with pytest.raises(ValidationError, match=f"{bad.code} for {period}: "):
        readings_save_many(entries=[entry(good, period, "1"), entry(bad, period, "-4")], by=officer)
    assert not Reading.objects.exists()


def test_a_closed_period_or_a_repeated_row_refuses_the_batch() -> None:
    officer = make.user(Role.OFFICER)
    indicator = make.indicator(owner=officer)
    closed, period = make.quarter(2025, 1, state="closed"), make.quarter(2025, 2)

    with pytest.raises(ValidationError, match="closed"):
        readings_save_many(entries=[entry(indicator, closed, "1")], by=officer)
    with pytest.raises(ValidationError, match="more than once"):
        readings_save_many(
            entries=[entry(indicator, period, "1"), entry(indicator, period, "2")], by=officer
        )
    assert not Reading.objects.exists()


def test_a_reading_created_meanwhile_is_a_conflict_and_nothing_is_saved(monkeypatch) -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    first, second = make.indicator(owner=officer), make.indicator(owner=officer)
    make.draft(second, period, "5", officer)
    before = state()
    # As if another person created `second`'s reading after this batch looked for it.
    monkeypatch.setattr(services.readings, "_locked_many", lambda keys: {})

    with pytest.raises(ReadingConflict, match=f"{second.code} was changed by someone else"):
        readings_save_many(
            entries=[entry(first, period, "1"), entry(second, period, "6")], by=officer
        )

    assert state() == before


def test_a_reading_changed_meanwhile_is_a_conflict_and_nothing_is_saved(monkeypatch) -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    first, second = make.indicator(owner=officer), make.indicator(owner=officer)
    make.draft(first, period, "1", officer)
    make.draft(second, period, "5", officer)
    locked_many = services.readings._locked_many

    def stale(keys):
        found = locked_many(keys)
        for reading in found.values():
            if reading.indicator_id == second.pk:
                reading.version = 0  # as if read before someone else's save
        return found

    monkeypatch.setattr(services.readings, "_locked_many", stale)
    before = state()

    with pytest.raises(ReadingConflict, match=second.code):
        readings_save_many(
            entries=[entry(first, period, "2"), entry(second, period, "6")], by=officer
        )

    assert state() == before


def test_new_readings_cost_no_query_each() -> None:
    team = make.user(Role.PERFORMANCE_TEAM)
    period = make.quarter()

    def queries_for(count: int) -> int:
        entries = [entry(make.indicator(), period, "1") for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            assert readings_save_many(entries=entries, by=team) == count
        return len(captured.captured_queries)

    queries_for(1)  # the first call also looks up the user's roles, which are then cached
    assert queries_for(3) == queries_for(30)


def test_a_period_closed_after_it_was_read_refuses_single_and_batch_saves() -> None:
    """The caller's copy of the period still says open; the database says closed."""
    from measures.models import ReportingPeriod
    from measures.services import period_close, reading_save

    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    stale = make.quarter()
    indicator = make.indicator(owner=officer)
    period_close(period=ReportingPeriod.objects.get(pk=stale.pk), by=team)
    assert stale.state == "open"

    with pytest.raises(ValidationError, match="closed: readings can only be entered"):
        reading_save(
            indicator=indicator,
            period=stale,
            data=ReadingInput(value=Decimal(1)),
            by=officer,
            expected_version=0,
        )
    with pytest.raises(ValidationError, match="closed: readings can only be entered"):
        readings_save_many(entries=[entry(indicator, stale, "1")], by=officer)
    assert not Reading.objects.exists()


def test_an_inactive_indicator_or_a_user_with_no_role_is_refused() -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter(2025, 2)
    retired = make.indicator(owner=officer, last_year=2024)

    with pytest.raises(ValidationError, match=f"{retired.code} is not reported"):
        readings_save_many(entries=[entry(retired, period, "1")], by=officer)
    with pytest.raises(PermissionDenied):
        readings_save_many(
            entries=[entry(make.indicator(owner=officer), period, "1")], by=make.user()
        )
    assert not Reading.objects.exists()


def test_new_readings_get_their_ids_where_the_database_returns_none(monkeypatch) -> None:
    """SQLite before 3.35 (still on some machines) returns no ids from a bulk insert."""
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    first, second = make.indicator(owner=officer), make.indicator(owner=officer)
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)

    readings_save_many(entries=[entry(first, period, "1"), entry(second, period, "2")], by=officer)

    for indicator, value in ((first, 1), (second, 2)):
        reading = Reading.objects.get(indicator=indicator, period=period)
        assert reading.value == value and reading.events.get().version == 1
