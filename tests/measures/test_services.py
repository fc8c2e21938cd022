"""The readings workflow: each transition, each refusal, and that nothing is lost or half-saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.roles import Role
from measures.models import Reading, ReadingEvent, ReportingPeriod
from measures.services import (
    ReadingConflict,
    ReadingInput,
    period_close,
    period_open,
    period_publish,
    reading_approve,
    reading_return,
    reading_save,
    reading_submit,
)
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make.user(Role.OFFICER)


@pytest.fixture
def team():
    return make.user(Role.PERFORMANCE_TEAM)


@pytest.fixture
def period():
    return make.quarter()


def test_an_officer_saves_a_draft_and_every_change_is_kept(officer, period) -> None:
    indicator = make.indicator(owner=officer)
    reading = make.draft(indicator, period, "12", officer)
    assert (reading.value, reading.status, reading.version) == (Decimal(12), "draft", 1)
    edited = reading_save(
        indicator=indicator,
        period=period,
        by=officer,
        expected_version=1,
        data=ReadingInput(value=Decimal(15), commentary="Up"),
    )
    assert (edited.value, edited.version) == (Decimal(15), 2)
    events = list(reading.events.values_list("version", "action", "changes"))
    assert events == [
        (1, "created", {"value": [None, "12"], "data_quality": [None, "provisional"]}),
        (2, "edited", {"value": ["12.0000", "15"], "commentary": ["", "Up"]}),
    ]


def test_saving_the_same_values_again_adds_no_version(officer, period) -> None:
    indicator = make.indicator(owner=officer)
    make.draft(indicator, period, "12", officer)
    again = make.draft(indicator, period, "12", officer)
    assert again.version == 1
    assert ReadingEvent.objects.count() == 1


def test_a_second_editor_with_a_stale_version_gets_a_conflict_and_loses_nothing(
    officer, period
) -> None:
    delegate = make.user(Role.OFFICER)
    indicator = make.indicator(owner=officer)
    indicator.delegates.add(delegate)
    make.draft(indicator, period, "12", officer)
    reading_save(
        indicator=indicator,
        period=period,
        data=ReadingInput(value=Decimal(20)),
        by=officer,
        expected_version=1,
    )
    with pytest.raises(ReadingConflict, match="changed by someone else"):
        reading_save(
            indicator=indicator,
            period=period,
            data=ReadingInput(value=Decimal(30)),
            by=delegate,
            expected_version=1,
        )
    reading = Reading.objects.get()
    assert (reading.value, reading.version) == (Decimal(20), 2)


def test_the_full_journey_draft_submit_approve_publish(officer, team, period) -> None:
    indicator = make.indicator(owner=officer)
    reading = make.draft(indicator, period, "12", officer)
    reading = reading_submit(reading=reading, by=officer, expected_version=1)
    assert (reading.status, reading.submitted_by) == ("submitted", officer)
    reading = reading_approve(reading=reading, by=team, expected_version=2)
    assert reading.status == "approved"
    period_close(period=period, by=team)
    period_publish(period=period, by=team)
    reading.refresh_from_db()
    period.refresh_from_db()
    assert (reading.status, period.state) == ("published", "published")
    assert list(reading.events.values_list("action", flat=True)) == [
        "created",
        "submitted",
        "approved",
        "published",
    ]


def test_a_returned_reading_goes_back_to_draft_with_the_note(officer, team, period) -> None:
    indicator = make.indicator(owner=officer)
    reading = reading_submit(
        reading=make.draft(indicator, period, "12", officer), by=officer, expected_version=1
    )
    reading = reading_return(reading=reading, by=team, note="Check Q1's figure", expected_version=2)
    assert (reading.status, reading.return_note) == ("returned", "Check Q1's figure")
    edited = reading_save(
        indicator=indicator,
        period=period,
        data=ReadingInput(value=Decimal(13)),
        by=officer,
        expected_version=3,
    )
    assert edited.status == "draft"


def test_returning_needs_a_note(officer, team, period) -> None:
    reading = reading_submit(
        reading=make.draft(make.indicator(owner=officer), period, "1", officer),
        by=officer,
        expected_version=1,
    )
    with pytest.raises(ValidationError, match="Say what the officer needs to change"):
        reading_return(reading=reading, by=team, note="  ", expected_version=2)
    assert Reading.objects.get().status == "submitted"


def test_an_officer_cannot_touch_another_officers_indicator(officer, period) -> None:
    indicator = make.indicator(owner=make.user(Role.OFFICER))
    with pytest.raises(PermissionDenied, match="neither yours nor delegated"):
        make.draft(indicator, period, "12", officer)
    assert not Reading.objects.exists()


def test_a_councillor_cannot_enter_readings(period) -> None:
    councillor = make.user(Role.COUNCILLOR)
    indicator = make.indicator(owner=councillor)
    with pytest.raises(PermissionDenied):
        make.draft(indicator, period, "12", councillor)


@pytest.mark.parametrize("state", ["not_open", "closed", "published"])
def test_nothing_can_be_entered_outside_an_open_period(officer, state) -> None:
    period = make.quarter(state=state)
    with pytest.raises(ValidationError, match="only be entered or changed while it is open"):
        make.draft(make.indicator(owner=officer), period, "12", officer)
    assert not Reading.objects.exists()


def test_only_the_performance_team_approves_and_never_their_own_submission(
    officer, team, period
) -> None:
    own = make.indicator(owner=officer)
    reading = reading_submit(
        reading=make.draft(own, period, "1", officer), by=officer, expected_version=1
    )
    with pytest.raises(PermissionDenied, match="Only the performance team"):
        reading_approve(reading=reading, by=officer, expected_version=2)
    team_reading = reading_submit(
        reading=make.draft(make.indicator(), period, "1", team), by=team, expected_version=1
    )
    with pytest.raises(PermissionDenied, match="someone else in the performance team"):
        reading_approve(reading=team_reading, by=team, expected_version=2)
    assert set(Reading.objects.values_list("status", flat=True)) == {"submitted"}


def test_a_draft_cannot_be_approved_and_a_submitted_one_cannot_be_edited(
    officer, team, period
) -> None:
    indicator = make.indicator(owner=officer)
    reading = make.draft(indicator, period, "1", officer)
    with pytest.raises(ValidationError, match="only submitted readings can be approved"):
        reading_approve(reading=reading, by=team, expected_version=1)
    reading_submit(reading=reading, by=officer, expected_version=1)
    with pytest.raises(
        ValidationError, match="can be changed only if the performance team returns it"
    ):
        reading_save(
            indicator=indicator,
            period=period,
            data=ReadingInput(value=Decimal(2)),
            by=officer,
            expected_version=2,
        )
    assert Reading.objects.get().value == Decimal(1)


def test_a_red_or_missing_value_needs_commentary_to_be_submitted(officer, period) -> None:
    indicator = make.indicator(owner=officer)
    make.target(indicator, period, "100", tolerance="5")
    red = make.draft(indicator, period, "50", officer)
    with pytest.raises(ValidationError, match=r"off target \(red\)"):
        reading_submit(reading=red, by=officer, expected_version=1)
    missing = make.draft(make.indicator(owner=officer), period, None, officer, commentary="")
    with pytest.raises(ValidationError, match="Explain why there is no value"):
        reading_submit(reading=missing, by=officer, expected_version=1)
    explained = reading_save(
        indicator=indicator,
        period=period,
        by=officer,
        expected_version=1,
        data=ReadingInput(value=Decimal(50), commentary="Delayed completions"),
    )
    assert reading_submit(reading=explained, by=officer, expected_version=2).status == "submitted"


@pytest.mark.parametrize(
    ("unit", "places", "value", "message"),
    [
        ("percentage", 1, "101", "between 0 and 100"),
        ("percentage", 1, "-1", "between 0 and 100"),
        ("percentage", 1, "45.55", "at most 1 decimal places"),
        ("count", 0, "2.5", "whole number of 0 or more"),
        ("count", 0, "-3", "whole number of 0 or more"),
        ("yes_no", 0, "2", "1 for yes or 0 for no"),
        ("days", 1, "-1", "days of 0 or more"),
        ("count", 0, "1e13", "smaller than"),
    ],
)
def test_a_value_that_does_not_fit_the_unit_is_refused(
    officer, period, unit, places, value, message
) -> None:
    indicator = make.indicator(owner=officer, unit=unit, decimal_places=places)
    with pytest.raises(ValidationError, match=message):
        make.draft(indicator, period, value, officer)
    assert not Reading.objects.exists()


def test_numerator_and_denominator_must_agree_with_a_percentage(officer, period) -> None:
    indicator = make.indicator(owner=officer, unit="percentage", decimal_places=1)
    with pytest.raises(ValidationError, match=r"gives 42\.9"):
        make.draft(indicator, period, "45.0", officer, numerator=Decimal(3), denominator=Decimal(7))
    with pytest.raises(ValidationError, match="Enter the denominator"):
        make.draft(indicator, period, "45.0", officer, numerator=Decimal(3))
    reading = make.draft(
        indicator, period, "42.9", officer, numerator=Decimal(3), denominator=Decimal(7)
    )
    assert reading.value == Decimal("42.9")


def test_publishing_is_refused_while_readings_await_approval(officer, team, period) -> None:
    reading_submit(
        reading=make.draft(make.indicator(owner=officer), period, "1", officer),
        by=officer,
        expected_version=1,
    )
    period_close(period=period, by=team)
    with pytest.raises(
        ValidationError, match="1 reading\\(s\\) for 2025/26 Q2 still await approval"
    ):
        period_publish(period=period, by=team)
    period.refresh_from_db()
    assert period.state == "closed"


def test_period_states_move_only_forward_and_only_for_the_performance_team(officer, team) -> None:
    period = make.quarter(state="not_open")
    with pytest.raises(PermissionDenied):
        period_open(period=period, by=officer)
    with pytest.raises(ValidationError, match="close it before publishing"):
        period_publish(period=period, by=team)
    assert period_open(period=period, by=team).state == ReportingPeriod.State.OPEN
    with pytest.raises(ValidationError, match="cannot be open"):
        period_open(period=period, by=team)


def test_a_submission_into_a_period_closed_after_it_was_read_is_refused(officer, team) -> None:
    stale = make.quarter()
    reading = make.draft(make.indicator(owner=officer), stale, "5", officer)
    period_close(period=ReportingPeriod.objects.get(pk=stale.pk), by=team)
    assert reading.period.state == "open"  # the caller's copy

    with pytest.raises(ValidationError, match="closed: readings can only be entered"):
        reading_submit(reading=reading, by=officer, expected_version=1)

    reading.refresh_from_db()
    assert (reading.status, reading.version) == ("draft", 1)
