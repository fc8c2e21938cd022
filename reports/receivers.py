"""What reports do when something happens in measures."""

from __future__ import annotations

from typing import Any

from measures.models import ReportingPeriod
from reports.services import reports_queue_for_period


def queue_reports_on_publish(sender: Any, period: ReportingPeriod, **kwargs: Any) -> None:
    """Publishing a period queues every committee's report, in the same transaction."""
    reports_queue_for_period(period=period)
