"""What reports do when something happens: a period published, a run queued."""

from __future__ import annotations

from typing import Any

from measures.models import ReportingPeriod
from reports.services import reports_queue_for_period
from reports.tasks import report_build


def queue_reports_on_publish(sender: Any, period: ReportingPeriod, **kwargs: Any) -> None:
    """Publishing a period queues every committee's report, in the same transaction."""
    reports_queue_for_period(period=period)


def build_queued_report(sender: Any, run_id: int, **kwargs: Any) -> None:
    """A run was queued and its transaction committed: send it to a worker."""
    report_build.delay(run_id)
