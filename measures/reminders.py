"""Emails that chase returns: to each officer before and after a deadline, and a daily digest.
Each goes to a person once a day, however many schedulers run (core/sent_once.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.urls import reverse

from core.roles import Role
from core.sent_once import send_once_a_day
from measures import selectors
from measures.models import Indicator, Reading, ReportingPeriod


@dataclass(frozen=True)
class Owed:
    """Returns one officer still owes for one open period."""

    officer: User
    period: ReportingPeriod
    indicators: tuple[Indicator, ...]


def returns_owed() -> list[Owed]:
    """For every open period: each owner or delegate and the returns they have not submitted."""
    owed: list[Owed] = []
    for period in selectors.periods_open():
        handed_in = set(
            Reading.objects.filter(period=period, status__in=selectors.HANDED_IN).values_list(
                "indicator_id", flat=True
            )
        )
        by_person: dict[User, list[Indicator]] = defaultdict(list)
        due = selectors.indicators_due(period).select_related("owner").prefetch_related("delegates")
        for indicator in due.order_by("position"):
            if indicator.pk in handed_in:
                continue
            for person in {indicator.owner, *indicator.delegates.all()} - {None}:
                by_person[person].append(indicator)  # type: ignore[index]
        owed += [Owed(person, period, tuple(items)) for person, items in by_person.items()]
    return sorted(owed, key=lambda o: (o.period.deadline, o.officer.username))


def reminders_send(*, today: date) -> int:
    """Email officers who owe returns: within REMINDER_DAYS_BEFORE of the deadline, and every
    day once it has passed. Returns how many emails were sent."""
    sent = 0
    for owed in returns_owed():
        days = owed.period.days_to_deadline(today)
        if days > settings.REMINDER_DAYS_BEFORE or not owed.officer.email:
            continue
        overdue = days < 0
        subject = (
            f"Overdue: {len(owed.indicators)} return(s) for {owed.period}"
            if overdue
            else f"Reminder: {len(owed.indicators)} return(s) for {owed.period} due "
            f"{owed.period.deadline:%d %B %Y}"
        )
        lines = [f"- {i.code} {i.title}" for i in owed.indicators]
        when = (
            f"were due on {owed.period.deadline:%d %B %Y} ({-days} days ago)"
            if overdue
            else f"are due by {owed.period.deadline:%d %B %Y}"
        )
        body = "\n".join(
            [
                f"Dear {owed.officer.get_full_name() or owed.officer.username},",
                "",
                f"These returns for {owed.period} {when} and have not been submitted:",
                "",
                *lines,
                "",
                f"Enter them at {settings.SITE_URL}{reverse('measures:returns')}"
                f"?period={owed.period.code}",
            ]
        )
        sent += send_once_a_day(
            kind="returns-reminder",
            recipient=owed.officer,
            about=owed.period.code,
            day=today,
            send=partial(
                send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [owed.officer.email]
            ),
        )
    return sent


def digest_send(*, today: date) -> int:
    """An email to each of the performance team listing what is missing in every open period,
    once a day; how many were sent."""
    team = list(
        User.objects.filter(groups__name=Role.PERFORMANCE_TEAM.value, is_active=True)
        .exclude(email="")
        .order_by("username")
    )
    owed = returns_owed()
    if not team:
        return 0
    lines = []
    for period in {o.period for o in owed}:
        missing = {i for o in owed if o.period == period for i in o.indicators}
        lines.append(
            f"{period} (deadline {period.deadline:%d %B %Y}, "
            f"{period.days_to_deadline(today)} days): {len(missing)} return(s) missing"
        )
        lines += [
            f"  - {o.officer.get_full_name() or o.officer.username}: "
            f"{', '.join(i.code for i in o.indicators)}"
            for o in owed
            if o.period == period
        ]
    body = "\n".join(lines) if lines else "Every return for the open periods has been submitted."
    subject = f"Returns digest {today:%d %B %Y}"
    return sum(
        send_once_a_day(
            kind="returns-digest",
            recipient=person,
            about="",
            day=today,
            send=partial(send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]),
        )
        for person in team
    )
