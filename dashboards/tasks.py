"""Celery tasks for open data: the files are built when the published data changes."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from dashboards import open_data


@shared_task(acks_late=True)
def open_data_publish() -> int:
    """Build the open data files afresh and make them current, then clear away any release
    left behind; how many rows they hold."""
    release = open_data.open_data_build()
    open_data.open_data_sweep(now=timezone.now(), keep=release)
    return release.rows
