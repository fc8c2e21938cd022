"""What finance returns do when a period is published: they are checked for, then published."""

from __future__ import annotations

from typing import Any

from measures.models import ReportingPeriod
from resources.services.decisions import finance_publish, finance_waiting


def waiting_returns(sender: Any, period: ReportingPeriod, **kwargs: Any) -> str | None:
    """A period cannot be published while finance figures for it await approval."""
    waiting = finance_waiting(period)
    if not waiting:
        return None
    return (
        f"{waiting} finance return(s) for {period} still await approval: approve or return "
        "them before publishing."
    )


def publish_returns(sender: Any, period: ReportingPeriod, **kwargs: Any) -> None:
    """Approved finance figures are published with the period, in its transaction."""
    finance_publish(period=period, by=kwargs.get("by"))
