"""Emails that chase returns and milestone updates: to each officer before and after a
deadline, a daily digest, and the chase the performance team sends from the completion page.
Each goes to a person once a day, however many schedulers run or buttons are pressed
(core/sent_once.py), and names every return and milestone update they owe in one email."""

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

from ambitions.models import Milestone
from core.formatting import person_name
from core.roles import Role
from core.sent_once import send_once_a_day
from measures import selectors
from measures.completion import OwedUpdate, owed_updates
from measures.completion import returns_owed as returns_owed_in
from measures.models import Indicator, Reading, ReportingPeriod
from measures.services.guards import require_performance_team
from portfolios.models import Portfolio

CHASE = "returns-chase"  # its own job: a chase never stops, nor is stopped by, a scheduled one
ALL: Literal["all"] = "all"


@dataclass(frozen=True)
class Owed:
    """Returns and milestone updates one officer still owes for one open period."""

    officer: User
    period: ReportingPeriod
    indicators: tuple[Indicator, ...]
    milestones: tuple[OwedUpdate, ...] = ()


def givers(update: OwedUpdate) -> set[User]:
    """Who is asked for a milestone update: whoever owes it and its delegates."""
    return {update.owner, *update.delegates} - {None}  # type: ignore[return-value]


def missing_updates(period: ReportingPeriod) -> list[OwedUpdate]:
    """The period's milestone updates owed and not yet given (none, a draft, or returned)."""
    return [u for u in owed_updates(period, with_delegates=True) if not u.given]


def counted(indicators: int, milestones: int) -> str:
    """ "2 return(s)", "1 milestone update(s)", "2 return(s) and 1 milestone update(s)"."""
    parts = [f"{indicators} return(s)"] if indicators or not milestones else []
    if milestones:
        parts.append(f"{milestones} milestone update(s)")
    return " and ".join(parts)


def returns_owed() -> list[Owed]:
    """For every open period: each owner or delegate and the returns and milestone updates
    they have not submitted."""
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
        updates_of: dict[User, list[OwedUpdate]] = defaultdict(list)
        for update in missing_updates(period):
            for person in givers(update):
                updates_of[person].append(update)
        owed += [
            Owed(person, period, tuple(by_person.get(person, ())), tuple(updates_of[person]))
            for person in {*by_person, *updates_of}
        ]
    return sorted(owed, key=lambda o: (o.period.deadline, o.officer.username))


def reminders_send(*, today: date) -> int:
    """Email officers who owe returns or milestone updates: within REMINDER_DAYS_BEFORE of
    the deadline, and every day once it has passed. Returns how many emails were sent."""
    sent = 0
    for owed in returns_owed():
        days = owed.period.days_to_deadline(today)
        if days > settings.REMINDER_DAYS_BEFORE or not owed.officer.email:
            continue
        overdue = days < 0
        what = counted(len(owed.indicators), len(owed.milestones))
        subject = (
            f"Overdue: {what} for {owed.period}"
            if overdue
            else f"Reminder: {what} for {owed.period} due {owed.period.deadline:%d %B %Y}"
        )
        when = (
            f"were due on {owed.period.deadline:%d %B %Y} ({-days} days ago)"
            if overdue
            else f"are due by {owed.period.deadline:%d %B %Y}"
        )
        sections = []
        if owed.indicators:
            sections += [
                f"These returns for {owed.period} {when} and have not been submitted:",
                "",
                *(f"- {i.code} {i.title}" for i in owed.indicators),
                "",
            ]
        if owed.milestones:
            sections += [
                f"These milestone updates for {owed.period} {when} and have not been submitted:",
                "",
                *(f"- {u.label}" for u in owed.milestones),
                "",
            ]
        body = "\n".join(
            [
                f"Dear {person_name(owed.officer)},",
                "",
                *sections,
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
    for period in sorted({o.period for o in owed}, key=lambda p: p.deadline):
        missing = {i for o in owed if o.period == period for i in o.indicators}
        updates = {u.milestone.pk for o in owed if o.period == period for u in o.milestones}
        lines.append(
            f"{period} (deadline {period.deadline:%d %B %Y}, "
            f"{period.days_to_deadline(today)} days): {len(missing)} return(s)"
            + (f" and {len(updates)} milestone update(s)" if updates else "")
            + " missing"
        )
        lines += [
            f"  - {person_name(o.officer)}: {_digest_items(o)}" for o in owed if o.period == period
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


def _digest_items(owed: Owed) -> str:
    """ "IND-1, IND-2; milestones: Weir Mill: Scheme complete": what one person owes."""
    parts = []
    if owed.indicators:
        parts.append(", ".join(i.code for i in owed.indicators))
    if owed.milestones:
        parts.append("milestones: " + "; ".join(u.label for u in owed.milestones))
    return "; ".join(parts)


@dataclass(frozen=True)
class Chased:
    """What a chase did: who was emailed, who had been chased today already, and who could
    not be (no email address, the mail server refused, or no one owns the indicator or the
    milestone)."""

    sent: tuple[User, ...] = ()
    already: tuple[User, ...] = ()
    no_email: tuple[User, ...] = ()
    failed: tuple[User, ...] = ()
    unowned: tuple[Indicator, ...] = ()
    unowned_milestones: tuple[Milestone, ...] = ()


def chase_send(
    *,
    period: ReportingPeriod,
    portfolio: Portfolio | Literal["all"] | None,
    by: User,
    today: date,
) -> Chased:
    """Email now each owner and delegate of the period's missing or returned returns, in one
    lead portfolio (None: those with none) or ALL of them, at most once a day each. Each
    email also names every milestone update the person has not given for the period (a
    milestone is in no portfolio); chasing ALL reaches those who owe only milestone updates."""
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
    updates_of: dict[User, list[OwedUpdate]] = defaultdict(list)
    unowned_milestones: list[Milestone] = []
    for update in missing_updates(period):
        if not givers(update):
            unowned_milestones.append(update.milestone)
        for person in givers(update):
            updates_of[person].append(update)
    chased_people = {*by_person, *updates_of} if portfolio == ALL else set(by_person)
    sent: list[User] = []
    already: list[User] = []
    no_email: list[User] = []
    failed: list[User] = []
    for person in sorted(chased_people, key=lambda p: p.username):
        if not person.email:
            no_email.append(person)
            continue
        subject, body = _chase_email(
            person, period, by_person.get(person, []), updates_of.get(person, []), by
        )
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
    return Chased(
        tuple(sent),
        tuple(already),
        tuple(no_email),
        tuple(failed),
        tuple(unowned),
        tuple(unowned_milestones) if portfolio == ALL else (),
    )


def _update_line(update: OwedUpdate) -> str:
    if update.status == Reading.Status.RETURNED:
        note = update.return_note
        return f"- {update.label}: returned to you" + (f" ({note})" if note else "")
    if update.status == Reading.Status.DRAFT:
        return f"- {update.label}: a draft, not submitted yet"
    return f"- {update.label}: not given yet"


def _chase_email(
    person: User,
    period: ReportingPeriod,
    indicators: list[Indicator],
    updates: list[OwedUpdate],
    by: User,
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
    what = " and ".join(
        name for name, items in (("returns", indicators), ("milestone updates", updates)) if items
    )
    if lines and updates:
        lines += ["", "Milestone updates:", ""]
    lines += [_update_line(update) for update in updates]
    body = "\n".join(
        [
            f"Dear {person_name(person)},",
            "",
            f"The performance team ({person_name(by)}) asks you for these "
            f"{what} for {period}, due by {period.deadline:%d %B %Y}:",
            "",
            *lines,
            "",
            f"Enter them at {settings.SITE_URL}{reverse('measures:returns')}?period={period.code}",
        ]
    )
    return f"Please send your {counted(len(indicators), len(updates))} for {period}", body
