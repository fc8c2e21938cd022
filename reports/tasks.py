"""Celery tasks: each takes ids and calls a service; safe to run twice."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from reports import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=4)
def report_build(self: Any, run_id: int) -> None:
    """Build one report run; brief outages are retried with growing waits, never forever."""
    try:
        services.report_run_execute(run_id=run_id)
    except services.ReportTransientError as error:
        if self.request.retries >= self.max_retries:
            services.report_run_fail(
                run_id=run_id, message=f"Gave up after {self.max_retries + 1} tries: {error}"
            )
            return
        services.report_run_requeue(run_id=run_id)
        raise self.retry(
            exc=error,
            countdown=min(settings.REPORT_RETRY_BASE_SECONDS * 2**self.request.retries, 300),
        ) from None


@shared_task
def reports_sweep() -> list[int]:
    """Beat runs this every minute: re-send reports that are stuck or whose message was lost."""
    return services.reports_sweep()
