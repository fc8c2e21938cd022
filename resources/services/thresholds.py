"""The variance threshold: set by the performance team for a financial year, kept with its
history (every change a new row)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from core import versioning
from resources.models import VarianceThreshold
from resources.permissions import can_set_threshold
from resources.rules import MOST


def threshold_set(
    *,
    financial_year: int,
    amount: Decimal | None,
    percent: Decimal | None,
    by: User,
    reason: str = "",
) -> VarianceThreshold:
    """When a variance needs explaining from now on: more than `amount` pounds either way or
    more than `percent` of the budget (either may be None, not both). Figures already saved
    are judged against it at once; new uploads must meet it."""
    if not can_set_threshold(by):
        raise PermissionDenied("Only the performance team sets the variance threshold.")
    errors = {}
    if amount is None and percent is None:
        errors["amount"] = (
            "Give an amount, a percentage, or both: otherwise no variance is ever explained."
        )
    if amount is not None and not Decimal(0) <= amount <= MOST:
        errors["amount"] = "The amount is in pounds, from £0 up."
    if percent is not None and not Decimal(0) <= percent <= Decimal(100):
        errors["percent"] = "The percentage is of the budget, from 0 to 100."
    if not 2000 <= financial_year <= 2100:
        errors["financial_year"] = (
            "Give the financial year as its first year, such as 2026 for 2026/27."
        )
    if errors:
        raise ValidationError(errors)
    row = VarianceThreshold.objects.create(
        financial_year=financial_year,
        amount=amount,
        percent=percent,
        set_by=by,
        reason=reason.strip(),
    )
    versioning.bump()
    return row
