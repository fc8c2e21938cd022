"""The budget-against-forecast chart: its scale starts at £0 and says so, a quarter with no
figures is a gap (never a zero bar), and every value is said in words."""

from __future__ import annotations

import re
from decimal import Decimal

from core.money_chart import MoneyBar, budget_forecast_svg, money_words

YEAR = [
    MoneyBar("Q1", Decimal("2000000"), Decimal("2300000")),
    MoneyBar("Q2", None, None),
    MoneyBar("Q3", Decimal("2000000"), Decimal("1800000")),
]


def chart(bars: list[MoneyBar]) -> str:
    svg = budget_forecast_svg(bars, title="Budget by quarter, 2025/26", ident="money-test")
    assert svg is not None
    return str(svg)


def test_it_starts_the_scale_at_zero_and_says_so() -> None:
    svg = chart(YEAR)
    assert ">£0</text>" in svg
    assert "Scale starts at £0" in svg
    # The top of the scale is the highest value, so the bars' heights compare fairly.
    assert ">£2.3m</text>" in svg


def test_it_leaves_a_quarter_without_figures_as_a_gap_not_a_zero_bar() -> None:
    svg = chart(YEAR)
    assert svg.count(">No figures</text>") == 1 and "Q2: no figures" in svg
    assert len(re.findall(r"<rect [^>]*height=", svg)) == 2 + 4  # legend's two, then Q1's and Q3's
    assert ">£0</text>" in svg and svg.count(">£0<") == 1  # no bar labelled £0


def test_it_labels_every_bar_with_its_amount() -> None:
    svg = chart(YEAR)
    for amount in ("£2m", "£2.3m", "£1.8m"):
        assert f">{amount}</text>" in svg


def test_it_is_an_image_with_a_title_and_every_value_in_words() -> None:
    svg = chart(YEAR)
    assert 'role="img"' in svg
    assert 'aria-labelledby="money-test-title money-test-desc"' in svg
    assert '<title id="money-test-title">Budget by quarter, 2025/26</title>' in svg
    assert (
        "Q1: budget £2m, forecast outturn £2.3m; Q2: no figures; "
        "Q3: budget £2m, forecast outturn £1.8m. The scale starts at £0."
    ) in svg
    assert money_words(YEAR) in svg


def test_it_draws_nothing_when_no_quarter_has_figures() -> None:
    assert budget_forecast_svg([MoneyBar("Q1", None, None)], title="t", ident="i") is None


def test_it_escapes_its_words() -> None:
    svg = chart([MoneyBar("<Q1>", Decimal(5), Decimal(6))])
    assert "<Q1>" not in svg and "&lt;Q1&gt;" in svg


def test_a_year_of_zeros_draws_flat_bars_at_the_baseline() -> None:
    svg = chart([MoneyBar("Q1", Decimal(0), Decimal(0))])
    assert 'height="0"' in svg and "Scale starts at £0" in svg
