"""The arithmetic and the words of finance figures: Decimal throughout, never a float."""

from decimal import Decimal

import pytest

from core.formatting import money_exact, money_short
from resources.money import (
    Threshold,
    capital_sentence,
    capital_total,
    savings_sentence,
    savings_total,
    variance,
    variance_percent,
    variance_sentence,
)

D = Decimal


def test_variance_is_exact_with_pence_that_a_float_would_lose() -> None:
    result = variance(budget=D("0.10") + D("0.20"), forecast=D("0.30"))
    assert result == D("0.00") and isinstance(result, Decimal)
    big = variance(budget=D("52034117.01"), forecast=D("53268201.38"))
    assert big == D("1234084.37")


@pytest.mark.parametrize(
    ("budget", "forecast", "said"),
    [
        ("52000000", "53200000", "Forecast to overspend by £1.2m (2.3% of the £52m budget)."),
        ("8000000", "7650000", "Forecast to underspend by £350k (4.4% of the £8m budget)."),
        ("8000000", "8000000", "Forecast to spend exactly the £8m budget."),
        ("0", "12000", "Forecast to overspend by £12k (against a budget of £0)."),
        ("-2000000", "-1500000", "Forecast to overspend by £500k (25% of the \u2212£2m budget)."),
    ],
)
def test_variance_sentence(budget: str, forecast: str, said: str) -> None:
    assert variance_sentence(budget=D(budget), forecast=D(forecast)) == said


def test_variance_percent_of_a_zero_budget_is_none() -> None:
    assert variance_percent(budget=D(0), forecast=D(5)) is None
    assert variance_percent(budget=D(200), forecast=D(201)) == D("0.5")


@pytest.mark.parametrize(
    ("amount", "percent", "change", "budget", "needs"),
    [
        ("100000", "1", "100000", "50000000", False),  # exactly £100k and 0.2%: not over
        ("100000", "1", "100000.01", "50000000", True),
        ("100000", "1", "-100000.01", "50000000", True),  # either way
        ("100000", "1", "60000", "5000000", True),  # 1.2% of a small budget
        ("100000", "1", "50000", "5000000", False),  # exactly 1%: not over
        ("100000", None, "60000", "5000000", False),  # no percentage set
        (None, "1", "200000", "50000000", False),  # no amount set
        (None, "1", "5", "0", False),  # a percentage of nothing is never exceeded
    ],
)
def test_threshold(
    amount: str | None, percent: str | None, change: str, budget: str, needs: bool
) -> None:
    threshold = Threshold(D(amount) if amount else None, D(percent) if percent else None)
    assert threshold.exceeded_by(D(change), D(budget)) is needs


def test_threshold_phrase() -> None:
    assert Threshold().phrase() == "more than £100k or more than 1% of the current budget"
    assert Threshold(None, D("2.5")).phrase() == "more than 2.5% of the current budget"


def test_savings_sentence_counts_the_risks() -> None:
    total = savings_total(
        [
            (D("2100000"), D("2100000"), "green"),
            (D("1200000"), D("700000"), "amber"),
            (D("500000"), D("300000"), "amber"),
            (D("300000"), D("100000"), "red"),
        ]
    )
    assert total.target == D("4100000") and total.forecast == D("3200000")
    assert total.shortfall == D("900000")
    assert savings_sentence(total) == (
        "£3.2m of £4.1m forecast to be delivered; 2 savings at risk, "
        "1 will not be delivered in full."
    )
    assert savings_sentence(savings_total([])) == "No savings are recorded for this quarter."
    one = savings_total([(D(10), D(10), "green")])
    assert savings_sentence(one) == "£10 of £10 forecast to be delivered; on track."


def test_capital_sentence_and_slippage() -> None:
    total = capital_total([(D("12000000"), D("4500000"), D("10100000"))])
    assert total.slippage == D("1900000")
    assert capital_sentence(total) == (
        "£4.5m spent of a £12m budget for the year; £10.1m forecast, so £1.9m slips to later years."
    )


@pytest.mark.parametrize(
    ("value", "short", "exact"),
    [
        ("1234567", "£1.2m", "£1,234,567"),
        ("350000", "£350k", "£350,000"),
        ("8400", "£8.4k", "£8,400"),
        ("850.5", "£851", "£850.50"),
        ("-2500000", "\u2212£2.5m", "\u2212£2,500,000"),
        ("999999.50", "£1m", "£999,999.50"),
        ("999600", "£1m", "£999,600"),
        ("9999.60", "£10k", "£9,999.60"),
    ],
)
def test_money_formatting(value: str, short: str, exact: str) -> None:
    assert money_short(D(value)) == short
    assert money_exact(D(value)) == exact
