from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from scrutiny.models import Recommendation
from scrutiny.selectors import recommendations_for_report
from scrutiny.services import meeting_record, recommendation_add, recommendation_update
from tests import factories as make

pytestmark = pytest.mark.django_db


def _closed(recommendation: Recommendation, team, on: date) -> None:
    """Close it, as if on that day."""
    recommendation_update(
        recommendation=recommendation, status="done", note="Done", by=team, expected_version=1
    )
    when = timezone.make_aware(datetime.combine(on, datetime.min.time().replace(hour=10)))
    Recommendation.objects.filter(pk=recommendation.pk).update(closed_at=when)


@pytest.fixture
def year_of_meetings(committee, team):
    q1, q2, q3, q4 = (make.quarter(2025, n) for n in (1, 2, 3, 4))
    august = meeting_record(committee=committee, held_on=date(2025, 8, 10), period=q1, by=team)
    meeting_record(committee=committee, held_on=date(2025, 11, 12), period=q2, by=team)
    meeting_record(committee=committee, held_on=date(2026, 2, 10), period=q3, by=team)
    indicator = make.indicator(code="E1")
    early = recommendation_add(meeting=august, text="Closed in October", by=team)
    late = recommendation_add(meeting=august, text="Closed in December", by=team)
    still = recommendation_add(
        meeting=august,
        text="Explain apprenticeships",
        indicators=[indicator],
        portfolio=committee.remit.get(),
        owner_name="Head of Skills",
        due_on=date(2025, 12, 31),
        by=team,
    )
    recommendation_update(
        recommendation=still,
        status="in_progress",
        note="Analysis under way",
        by=team,
        expected_version=1,
    )
    _closed(early, team, date(2025, 10, 1))
    _closed(late, team, date(2025, 12, 1))
    return {"q2": q2, "q3": q3, "q4": q4}


def test_it_lists_each_open_recommendation_with_its_progress(committee, year_of_meetings) -> None:
    report = recommendations_for_report(committee, year_of_meetings["q3"], as_of=date(2026, 1, 15))
    (item,) = report.open
    assert item.text == "Explain apprenticeships"
    assert item.status_label == "In progress"
    assert item.latest_note == "Analysis under way"
    assert item.due_text == "due 31 December 2025 (overdue)"
    assert item.overdue is True
    assert item.owner_name == "Head of Skills"
    assert item.links_text == "Economy; E1"
    assert item.made_on_text == "made at the meeting of 10 August 2025"


def test_it_is_not_overdue_before_its_due_date(committee, year_of_meetings) -> None:
    report = recommendations_for_report(committee, year_of_meetings["q2"], as_of=date(2025, 10, 20))
    assert report.open[0].overdue is False
    assert report.open[0].due_text == "due 31 December 2025"


def test_it_shows_a_closed_recommendation_in_the_next_report_once(
    committee, year_of_meetings
) -> None:
    q2 = recommendations_for_report(committee, year_of_meetings["q2"])
    q3 = recommendations_for_report(committee, year_of_meetings["q3"])
    q4 = recommendations_for_report(committee, year_of_meetings["q4"])
    assert [r.text for r in q2.closed_since] == ["Closed in October"]
    assert q2.since_text == "since the meeting of 10 August 2025"
    assert [r.text for r in q3.closed_since] == ["Closed in December"]
    assert q3.closed_since[0].closed_on_text == "closed 1 December 2025"
    assert q4.closed_since == ()


def test_it_carries_one_closed_after_the_meeting_into_the_following_report(committee, team) -> None:
    q1, q2 = make.quarter(2025, 1), make.quarter(2025, 2)
    meeting = meeting_record(committee=committee, held_on=date(2025, 7, 20), period=q1, by=team)
    _closed(recommendation_add(meeting=meeting, text="Quick win", by=team), team, date(2025, 7, 21))
    first = recommendations_for_report(committee, q1)
    assert (first.closed_since, first.since, first.since_text) == ((), None, "so far")
    assert [r.text for r in recommendations_for_report(committee, q2).closed_since] == ["Quick win"]
