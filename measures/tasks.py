"""Scheduled jobs for readings (Celery beat runs them daily)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from measures import reminders, services


@shared_task
def reminders_send() -> int:
    """Email each officer the returns they owe before the deadline, and chase overdue ones."""
    return reminders.reminders_send(today=timezone.localdate())


@shared_task
def digest_send() -> int:
    """Email the performance team what is missing in every open period."""
    return reminders.digest_send(today=timezone.localdate())


@shared_task
def uploads_purge() -> int:
    """Delete uploaded files past their retention (UPLOAD_RETENTION_DAYS)."""
    return services.uploads_purge(now=timezone.now())
