"""Emails that chase returns: to each officer before and after a deadline, a daily digest, and
the chase the performance team sends from the completion page. Each goes to a person once a
day, however many schedulers run or buttons are pressed (core/sent_once.py)."""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.urls import reverse

from core.formatting import person_name
from core.roles import Role
from core.sent_once import send_once_a_day
from measures import selectors
from measures.completion import returns_owed as returns_owed_in
from measures.models import Indicator, Reading, ReportingPeriod
from measures.services.guards import require_performance_team
from portfolios.models import Portfolio

CHASE = "returns-chase"  # its own job: a chase never stops, nor is stopped by, a scheduled one
ALL: Literal["all"] = "all"


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
                f"Dear {person_name(owed.officer)},",
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
            f"  - {person_name(o.officer)}: {', '.join(i.code for i in o.indicators)}"
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


@dataclass(frozen=True)
class Chased:
    """What a chase did: who was emailed, who had been chased today already, and who could
    not be (no email address, the mail server refused, or no one owns the indicator)."""

    sent: tuple[User, ...] = ()
    already: tuple[User, ...] = ()
    no_email: tuple[User, ...] = ()
    failed: tuple[User, ...] = ()
    unowned: tuple[Indicator, ...] = ()


def chase_send(
    *,
    period: ReportingPeriod,
    portfolio: Portfolio | Literal["all"] | None,
    by: User,
    today: date,
) -> Chased:
    """Email now each owner and delegate of the period's missing or returned returns, in one
    lead portfolio (None: those with none) or ALL of them, at most once a day each."""
    require_performance_team(by)
    if period.state != ReportingPeriod.State.OPEN:
        raise ValidationError(
            f"{period} is {period.get_state_display().lower()}: officers can enter returns "
            "only in an open period, so open it before sending a reminder."
        )
    owed = returns_owed_in(period).select_related("owner").prefetch_related("delegates")
    if portfolio != ALL:
        owed = owed.filter(lead_portfolio=portfolio)
    by_person: dict[User, list[Indicator]] = defaultdict(list)
    unowned: list[Indicator] = []
    for indicator in owed:
        people = {indicator.owner, *indicator.delegates.all()} - {None}
        if not people:
            unowned.append(indicator)
        for person in people:
            by_person[person].append(indicator)  # type: ignore[index]
    sent: list[User] = []
    already: list[User] = []
    no_email: list[User] = []
    failed: list[User] = []
    for person in sorted(by_person, key=lambda p: p.username):
        if not person.email:
            no_email.append(person)
            continue
        subject, body = _chase_email(person, period, by_person[person], by)
        try:
            now = send_once_a_day(
                kind=CHASE,
                recipient=person,
                about=period.code,
                day=today,
                send=partial(send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]),
            )
        except (smtplib.SMTPException, OSError):
            failed.append(person)  # its record is gone: pressing the button again retries
            continue
        (sent if now else already).append(person)
    return Chased(tuple(sent), tuple(already), tuple(no_email), tuple(failed), tuple(unowned))


def _chase_email(
    person: User, period: ReportingPeriod, indicators: list[Indicator], by: User
) -> tuple[str, str]:
    lines = []
    for indicator in indicators:
        if indicator.reading_status == Reading.Status.RETURNED:  # type: ignore[attr-defined]
            note = indicator.return_note  # type: ignore[attr-defined]
            lines.append(
                f"- {indicator.code} {indicator.title}: returned to you"
                + (f" ({note})" if note else "")
            )
        else:
            lines.append(f"- {indicator.code} {indicator.title}: not entered yet")
    body = "\n".join(
        [
            f"Dear {person_name(person)},",
            "",
            f"The performance team ({person_name(by)}) asks you for these "
            f"returns for {period}, due by {period.deadline:%d %B %Y}:",
            "",
            *lines,
            "",
            f"Enter them at {settings.SITE_URL}{reverse('measures:returns')}?period={period.code}",
        ]
    )
    return f"Please send your {len(indicators)} return(s) for {period}", body
