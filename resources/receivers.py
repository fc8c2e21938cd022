"""What finance returns do when a period is published: they are checked for, then published."""

from __future__ import annotations

from typing import Any

from measures.models import ReportingPeriod
from resources.choices import FinanceKind
from resources.services.decisions import finance_approved, finance_publish, finance_waiting


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


def returns_published_with(sender: Any, period: ReportingPeriod, **kwargs: Any) -> str | None:
    """What the publish page says finance publishes with the period."""
    approved = finance_approved(period)
    if not approved:
        return "No finance figures: none are approved for this quarter."
    kinds = ", ".join(FinanceKind(kind).label.lower() for kind in approved)
    count = len(approved)
    return f"{count} approved finance return{'s' if count != 1 else ''}: {kinds}."
