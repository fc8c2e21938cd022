from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.roles import Role
from scrutiny.models import Meeting, Recommendation, RecommendationUpdate
from scrutiny.services import (
    StaleUpdate,
    meeting_record,
    recommendation_add,
    recommendation_update,
)
from tests import factories as make

pytestmark = pytest.mark.django_db
HELD = date(2025, 11, 12)


def test_it_records_a_meeting_and_the_report_it_considered(committee, team) -> None:
    period = make.quarter(2025, 2)
    meeting = meeting_record(committee=committee, held_on=HELD, period=period, by=team)
    assert Meeting.objects.get().period == period
    assert meeting.recorded_by == team


@pytest.mark.parametrize("role", [Role.SCRUTINY_MEMBER, Role.COUNCILLOR, Role.OFFICER])
def test_it_lets_only_the_performance_team_record(committee, role) -> None:
    with pytest.raises(PermissionDenied):
        meeting_record(committee=committee, held_on=HELD, period=None, by=make.user(role))
    assert not Meeting.objects.exists()


def test_it_refuses_a_meeting_in_the_future(committee, team) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        meeting_record(committee=committee, held_on=tomorrow, period=None, by=team)
    assert "not after today" in refused.value.message_dict["held_on"][0]


def test_it_refuses_a_report_of_a_period_not_yet_ended(committee, team) -> None:
    with pytest.raises(ValidationError) as refused:
        meeting_record(
            committee=committee, held_on=date(2025, 8, 1), period=make.quarter(2025, 2), by=team
        )
    assert "ends on 30 September 2025" in refused.value.message_dict["period"][0]


def test_it_refuses_a_second_meeting_on_the_same_day(committee, team) -> None:
    meeting_record(committee=committee, held_on=HELD, period=None, by=team)
    with pytest.raises(ValidationError) as refused:
        meeting_record(committee=committee, held_on=HELD, period=None, by=team)
    assert "already has a meeting" in refused.value.message_dict["held_on"][0]
    assert Meeting.objects.count() == 1


def test_it_adds_a_recommendation_with_its_first_update(committee, team) -> None:
    meeting = meeting_record(committee=committee, held_on=HELD, period=None, by=team)
    indicator = make.indicator()
    added = recommendation_add(
        meeting=meeting,
        text="  Explain the fall in apprenticeships ",
        indicators=[indicator],
        owner_name="Head of Skills",
        due_on=date(2026, 3, 31),
        by=team,
    )
    assert added.text == "Explain the fall in apprenticeships"
    assert list(added.indicators.all()) == [indicator]
    assert added.owner_text == "Head of Skills"
    assert list(added.updates.values_list("version", "status")) == [(1, "open")]


@pytest.mark.parametrize(
    ("text", "due_on", "field", "words"),
    [
        ("   ", None, "text", "Enter the recommendation's text"),
        ("Report back", date(2025, 11, 1), "due_on", "on or after the meeting (12 November 2025)"),
        ("x" * 5001, None, "text", "at most 5,000 characters"),
    ],
)
def test_it_refuses_a_recommendation_it_cannot_keep(
    committee, team, text, due_on, field, words
) -> None:
    meeting = meeting_record(committee=committee, held_on=HELD, period=None, by=team)
    with pytest.raises(ValidationError) as refused:
        recommendation_add(meeting=meeting, text=text, due_on=due_on, by=team)
    assert words in refused.value.message_dict[field][0]
    assert not Recommendation.objects.exists()


def test_it_keeps_every_update_and_stamps_the_closing(committee, team) -> None:
    meeting = meeting_record(committee=committee, held_on=HELD, period=None, by=team)
    added = recommendation_add(meeting=meeting, text="Report back", by=team)
    working = recommendation_update(
        recommendation=added, status="in_progress", note="Started", by=team, expected_version=1
    )
    done = recommendation_update(
        recommendation=working, status="done", note="Reported in March", by=team, expected_version=2
    )
    assert done.closed_at is not None
    history = RecommendationUpdate.objects.filter(recommendation=added)
    assert list(history.values_list("status", "note")) == [
        ("open", "Made at the meeting"),
        ("in_progress", "Started"),
        ("done", "Reported in March"),
    ]
    reopened = recommendation_update(
        recommendation=done, status="open", note="Not finished", by=team, expected_version=3
    )
    assert reopened.closed_at is None


def test_it_refuses_an_update_made_from_an_old_page(committee, team) -> None:
    meeting = meeting_record(committee=committee, held_on=HELD, period=None, by=team)
    added = recommendation_add(meeting=meeting, text="Report back", by=team)
    recommendation_update(
        recommendation=added, status="in_progress", note="A", by=team, expected_version=1
    )
    with pytest.raises(StaleUpdate):
        recommendation_update(
            recommendation=added, status="done", note="B", by=team, expected_version=1
        )
    added.refresh_from_db()
    assert (added.status, added.version, added.updates.count()) == ("in_progress", 2, 2)


def test_it_refuses_an_update_without_a_note_or_from_others(committee, team) -> None:
    meeting = meeting_record(committee=committee, held_on=HELD, period=None, by=team)
    added = recommendation_add(meeting=meeting, text="Report back", by=team)
    with pytest.raises(ValidationError) as refused:
        recommendation_update(
            recommendation=added, status="done", note=" ", by=team, expected_version=1
        )
    assert refused.value.message_dict["note"] == ["Say what has happened since the last update"]
    with pytest.raises(PermissionDenied):
        recommendation_update(
            recommendation=added,
            status="done",
            note="Done",
            by=make.user(Role.SCRUTINY_MEMBER),
            expected_version=1,
        )
    assert Recommendation.objects.get().status == "open"
