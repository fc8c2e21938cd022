"""Reminders: officers are told what they owe before the deadline and chased after it, by
the schedule and by the performance team's "Send a reminder now"."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied

from core.models import ScheduledEmail
from core.roles import Role
from measures.reminders import ALL, chase_send, digest_send, reminders_send, returns_owed
from measures.services import reading_return, reading_submit
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


def test_a_chase_goes_to_owners_and_delegates_of_missing_and_returned_returns_only() -> None:
    team = make.user(Role.PERFORMANCE_TEAM, "priya")
    officer, delegate = make.user(Role.OFFICER, "olivia"), make.user(Role.OFFICER, "dan")
    period = make.quarter()
    missing = make.indicator(owner=officer, title="Homes delivered")
    missing.delegates.add(delegate)
    returned = make.indicator(owner=officer, title="Jobs fairs held")
    reading = reading_submit(
        reading=make.draft(returned, period, "4", officer), by=officer, expected_version=1
    )
    reading_return(reading=reading, by=team, expected_version=2, note="Which fairs?")
    drew = make.user(Role.OFFICER, "drew")
    drafted = make.indicator(owner=drew)
    make.draft(drafted, period, "1", drew)  # entered, not owed: no chase
    chased = chase_send(period=period, portfolio=ALL, by=team, today=period.deadline)
    assert [p.username for p in chased.sent] == ["dan", "olivia"]
    body = next(m.body for m in mail.outbox if m.to == [officer.email])
    assert f"- {missing.code} Homes delivered: not entered yet" in body
    assert f"- {returned.code} Jobs fairs held: returned to you (Which fairs?)" in body
    assert "priya" in body and drafted.code not in body
    assert [m.to for m in mail.outbox if m.to != [officer.email]] == [[delegate.email]]


def test_a_chase_is_its_own_job_so_the_scheduled_reminder_neither_stops_it_nor_doubles() -> None:
    officer, delegate = make.user(Role.OFFICER, "olivia"), make.user(Role.OFFICER, "dan")
    team, period = make.user(Role.PERFORMANCE_TEAM), make.quarter()
    make.indicator(owner=officer).delegates.add(delegate)  # missing: both reminders chase it
    today = period.deadline - timedelta(days=3)
    assert reminders_send(today=today) == 2
    chased = chase_send(period=period, portfolio=ALL, by=team, today=today)
    assert {p.username for p in chased.sent} == {"olivia", "dan"} and chased.already == ()
    again = chase_send(period=period, portfolio=ALL, by=team, today=today)
    assert again.sent == () and {p.username for p in again.already} == {"olivia", "dan"}
    assert reminders_send(today=today) == 0
    assert len(mail.outbox) == 4
    tomorrow = chase_send(period=period, portfolio=ALL, by=team, today=today + timedelta(days=1))
    assert len(tomorrow.sent) == 2


def test_a_chase_names_who_it_could_not_reach_and_a_refused_one_can_be_retried(
    monkeypatch,
) -> None:
    team, period = make.user(Role.PERFORMANCE_TEAM), make.quarter()
    olivia, silent = make.user(Role.OFFICER, "olivia"), make.user(Role.OFFICER, "silent")
    User.objects.filter(pk=silent.pk).update(email="")
    make.indicator(owner=olivia)
    make.indicator(owner=silent)
    unowned = make.indicator(owner=None)

    def refused(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    monkeypatch.setattr("measures.reminders.send_mail", refused)
    chased = chase_send(period=period, portfolio=ALL, by=team, today=period.deadline)
    assert [p.username for p in chased.failed] == ["olivia"] and chased.sent == ()
    assert [p.username for p in chased.no_email] == ["silent"]
    assert chased.unowned == (unowned,)
    assert not ScheduledEmail.objects.exists()
    monkeypatch.undo()
    retried = chase_send(period=period, portfolio=ALL, by=team, today=period.deadline)
    assert [p.username for p in retried.sent] == ["olivia"]


def test_a_chase_of_one_portfolio_leaves_the_others_alone() -> None:
    team, period = make.user(Role.PERFORMANCE_TEAM), make.quarter()
    olivia, dan = make.user(Role.OFFICER, "olivia"), make.user(Role.OFFICER, "dan")
    make.indicator(owner=olivia, lead_portfolio=make.portfolio("economy"))
    make.indicator(owner=dan, lead_portfolio=make.portfolio("parks"))
    make.indicator(owner=dan, lead_portfolio=None)
    parks = chase_send(
        period=period, portfolio=make.portfolio("parks"), by=team, today=period.deadline
    )
    assert [p.username for p in parks.sent] == ["dan"]
    assert "1 return(s)" in mail.outbox[0].subject
    unled = chase_send(period=period, portfolio=None, by=team, today=period.deadline)
    assert unled.already == (dan,) and unled.sent == ()


def test_only_the_performance_team_can_chase() -> None:
    officer, period = make.user(Role.OFFICER), make.quarter()
    make.indicator(owner=officer)
    with pytest.raises(PermissionDenied):
        chase_send(period=period, portfolio=ALL, by=officer, today=period.deadline)
    assert mail.outbox == [] and not ScheduledEmail.objects.exists()
