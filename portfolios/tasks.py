"""Celery tasks: each takes ids and calls a service; safe to run twice."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from portfolios import report_runs


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=4)
def report_build(self: Any, run_id: int) -> None:
    """Build one report run; brief outages are retried with growing waits, never forever."""
    try:
        report_runs.report_run_execute(run_id=run_id)
    except report_runs.ReportTransientError as error:
        if self.request.retries >= self.max_retries:
            report_runs.report_run_fail(
                run_id=run_id, message=f"Gave up after {self.max_retries + 1} tries: {error}"
            )
            return
        # The run goes back to queued so the retry can claim it.
        from portfolios.models import ReportRun

        ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(
            status=ReportRun.Status.QUEUED, step="Waiting to try again"
        )
        raise self.retry(
            exc=error,
            countdown=min(settings.REPORT_RETRY_BASE_SECONDS * 2**self.request.retries, 300),
        ) from None


@shared_task
def reports_sweep() -> list[int]:
    """Beat runs this every minute: re-send reports that are stuck or whose message was lost."""
    return report_runs.reports_sweep()
