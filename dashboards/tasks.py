"""Celery tasks for open data: the files are built when the published data changes."""

from __future__ import annotations

from celery import shared_task

from dashboards import open_data


@shared_task(acks_late=True)
def open_data_publish() -> int:
    """Build the open data files afresh and make them current; how many rows they hold."""
    return open_data.open_data_build().rows
