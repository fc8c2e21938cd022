"""Reminders: officers are told what they owe before the deadline and chased after it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from core.models import ScheduledEmail
from core.roles import Role
from measures.reminders import digest_send, reminders_send, returns_owed
from measures.services import reading_submit
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def owing():
    officer, delegate = make.user(Role.OFFICER, "olivia"), make.user(Role.OFFICER, "dan")
    period = make.quarter()
    owed = make.indicator(owner=officer, title="Homes delivered")
    owed.delegates.add(delegate)
    done = make.indicator(owner=officer, title="Jobs fairs held")
    reading_submit(reading=make.draft(done, period, "1", officer), by=officer, expected_version=1)
    make.draft(owed, period, "5", officer)  # a draft is still owed
    return period, officer, delegate, owed


def test_owner_and_delegates_owe_what_is_not_submitted(owing) -> None:
    owed = owing[3]
    found = {(o.officer.username, tuple(i.code for i in o.indicators)) for o in returns_owed()}
    assert found == {("olivia", (owed.code,)), ("dan", (owed.code,))}


def test_no_reminder_long_before_the_deadline(owing) -> None:
    period = owing[0]
    assert reminders_send(today=period.deadline - timedelta(days=30)) == 0
    assert mail.outbox == []


def test_a_reminder_before_the_deadline_and_a_chase_after_it(owing) -> None:
    period, officer, _, owed = owing
    assert reminders_send(today=period.deadline - timedelta(days=3)) == 2
    message = next(m for m in mail.outbox if m.to == [officer.email])
    assert message.subject == f"Reminder: 1 return(s) for {period} due {period.deadline:%d %B %Y}"
    assert f"- {owed.code} Homes delivered" in message.body and "Jobs fairs" not in message.body
    mail.outbox.clear()
    reminders_send(today=period.deadline + timedelta(days=2))
    assert mail.outbox[0].subject.startswith("Overdue: 1 return(s)")
    assert "(2 days ago)" in mail.outbox[0].body


def test_the_performance_team_gets_a_daily_digest(owing) -> None:
    period = owing[0]
    make.user(Role.PERFORMANCE_TEAM, "priya")
    assert digest_send(today=period.deadline) == 1
    digest = mail.outbox[0]
    assert digest.to == ["priya@example.invalid"]
    assert f"{period} (deadline" in digest.body and "1 return(s) missing" in digest.body


def test_a_reminder_goes_to_a_person_once_a_day_however_often_the_job_runs(owing) -> None:
    period, officer, delegate, _ = owing
    today = period.deadline - timedelta(days=3)
    assert reminders_send(today=today) == 2
    assert reminders_send(today=today) == 0  # a second scheduler, or the task delivered twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, delegate.email])
    sent = ScheduledEmail.objects.filter(kind="returns-reminder", day=today, about=period.code)
    assert {e.recipient for e in sent} == {officer, delegate}
    assert reminders_send(today=today + timedelta(days=1)) == 2  # and again the next day
    assert len(mail.outbox) == 4


def test_a_reminder_that_failed_to_send_is_sent_by_the_next_run(owing, monkeypatch) -> None:
    period = owing[0]
    today = period.deadline - timedelta(days=3)

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("measures.reminders.send_mail", refused)
    with pytest.raises(ConnectionRefusedError):
        reminders_send(today=today)
    assert not ScheduledEmail.objects.exists()
    monkeypatch.undo()
    assert reminders_send(today=today) == 2


def test_the_digest_goes_to_each_of_the_team_once_a_day(owing) -> None:
    period = owing[0]
    make.user(Role.PERFORMANCE_TEAM, "priya")
    make.user(Role.PERFORMANCE_TEAM, "pete")
    assert digest_send(today=period.deadline) == 2
    assert digest_send(today=period.deadline) == 0
    assert sorted(m.to for m in mail.outbox) == [
        ["pete@example.invalid"],
        ["priya@example.invalid"],
    ]
