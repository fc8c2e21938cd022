"""Scheduled emails go out once per person, per thing, per day, however many schedulers or
deliveries of the task there are: the send is recorded first, in a row the database allows
only once (ScheduledEmail), and only the process that made the row sends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from core.models import ScheduledEmail


def send_once_a_day(
    *, kind: str, recipient: User, about: str, day: date, send: Callable[[], object]
) -> bool:
    """Send unless this email went to this person today already; whether it was sent now. A
    send that fails removes its record, so the next run tries again."""
    claim = {"kind": kind, "recipient": recipient, "about": about, "day": day}
    try:
        with transaction.atomic():
            ScheduledEmail.objects.create(**claim)
    except IntegrityError:
        return False
    try:
        send()
    except Exception:
        ScheduledEmail.objects.filter(**claim).delete()
        raise
    return True
