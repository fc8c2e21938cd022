"""A gap between two percentages is in percentage points, written as such, not as a %."""

from __future__ import annotations

from decimal import Decimal

from core.formatting import format_value, short_value
from measures.models import Indicator
from measures.validation import value_errors


def test_percentage_points_are_written_out_and_never_as_a_percent_sign() -> None:
    assert format_value(Decimal("6.25"), unit="percentage_points", places=1) == (
        "6.3 percentage points"
    )
    assert short_value(Decimal("6.25"), unit="percentage_points", places=1) == "6.3 pp"


def test_a_gap_may_be_negative_but_not_beyond_a_hundred_points() -> None:
    gap = Indicator(code="G", unit="percentage_points", decimal_places=1)
    assert value_errors(gap, Decimal("-4.5")) == []
    assert value_errors(gap, Decimal("101")) == [
        "Enter a difference in percentage points between -100 and 100"
    ]
