from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from scrutiny.models import Meeting, Recommendation
from scrutiny.services import meeting_record, recommendation_add
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, team) -> Meeting:
    return meeting_record(committee=committee, held_on=date(2025, 11, 12), period=None, by=team)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_a_member_the_meetings_and_open_recommendations(committee, team, meeting) -> None:
    recommendation_add(
        meeting=meeting, text="Explain apprenticeships", owner_name="Head of Skills", by=team
    )
    member = make.user(Role.SCRUTINY_MEMBER)
    committee.members.add(member)
    page = _client(member).get(reverse("scrutiny:meetings", args=[committee.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "12 November 2025" in text and "Explain apprenticeships" in text
    assert "Head of Skills" in text and "Record a meeting" not in text


def test_it_shows_the_meetings_on_the_committees_page(committee, team, meeting) -> None:
    recommendation_add(meeting=meeting, text="Explain apprenticeships", by=team)
    page = _client(team).get(reverse("reports:list", args=[committee.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Explain apprenticeships" in text
    assert reverse("scrutiny:meeting_new", args=[committee.slug]) in text


def test_it_hides_another_committees_meetings_from_a_member(committee, meeting) -> None:
    page = _client(make.user(Role.SCRUTINY_MEMBER)).get(
        reverse("scrutiny:meeting", args=[committee.slug, meeting.pk])
    )
    assert page.status_code == 404


def test_it_records_a_meeting_from_the_form(committee, team) -> None:
    period = make.quarter(2025, 2)
    page = _client(team).post(
        reverse("scrutiny:meeting_new", args=[committee.slug]),
        {"held_on": "2025-11-12", "period": period.pk, "minutes_url": ""},
    )
    meeting = Meeting.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("scrutiny:meeting", args=[committee.slug, meeting.pk])
    assert meeting.period == period


def test_it_says_why_a_meeting_is_refused(committee, team) -> None:
    page = _client(team).post(
        reverse("scrutiny:meeting_new", args=[committee.slug]), {"held_on": "2999-01-01"}
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "There is a problem" in text and "not after today" in text
    assert not Meeting.objects.exists()


def test_it_adds_a_recommendation_from_the_form(committee, team, meeting) -> None:
    indicator = make.indicator(code="E1")
    page = _client(team).post(
        reverse("scrutiny:recommendation_new", args=[committee.slug, meeting.pk]),
        {"text": "Report back", "indicators": ["E1"], "due_on": "2026-03-31"},
    )
    assert page.status_code == 302
    added = Recommendation.objects.get()
    assert (added.text, added.due_on) == ("Report back", date(2026, 3, 31))
    assert list(added.indicators.all()) == [indicator]


def test_it_refuses_an_empty_recommendation(committee, team, meeting) -> None:
    page = _client(team).post(
        reverse("scrutiny:recommendation_new", args=[committee.slug, meeting.pk]), {"text": ""}
    )
    assert page.status_code == 400
    assert "Enter the recommendation&#x27;s text" in page.content.decode()


def test_it_updates_progress_and_shows_the_history(committee, team, meeting) -> None:
    added = recommendation_add(meeting=meeting, text="Report back", by=team)
    url = reverse("scrutiny:recommendation_update", args=[committee.slug, meeting.pk, added.pk])
    client = _client(team)
    page = client.post(url, {"status": "done", "note": "Reported in March", "version": "1"})
    assert page.status_code == 302
    detail = client.get(reverse("scrutiny:meeting", args=[committee.slug, meeting.pk]))
    text = detail.content.decode()
    assert "Reported in March" in text and "History (2 updates)" in text
    assert Recommendation.objects.get().status == "done"


def test_it_keeps_the_note_when_the_page_was_out_of_date(committee, team, meeting) -> None:
    added = recommendation_add(meeting=meeting, text="Report back", by=team)
    url = reverse("scrutiny:recommendation_update", args=[committee.slug, meeting.pk, added.pk])
    page = _client(team).post(url, {"status": "done", "note": "My careful note", "version": "7"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Someone else updated" in text and "My careful note" in text
    assert 'name="version" value="1"' in text
    assert Recommendation.objects.get().status == "open"
