"""How finance figures are judged and said: the variance and when it needs explaining, a
saving's shortfall, a capital scheme's slippage, and the plain sentences pages, downloads
and reports all use. Decimal throughout: no amount ever passes through a float."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.formatting import money_short, rounded

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# When the performance team has set none for the year (README, Resources).
DEFAULT_AMOUNT = Decimal(100_000)
DEFAULT_PERCENT = Decimal(1)


@dataclass(frozen=True)
class Threshold:
    """A variance needs explaining when it is more than `amount` pounds either way, or more
    than `percent` of the current budget (either may be None: not used)."""

    amount: Decimal | None = DEFAULT_AMOUNT
    percent: Decimal | None = DEFAULT_PERCENT

    def exceeded_by(self, variance: Decimal, budget: Decimal) -> bool:
        size = abs(variance)
        if self.amount is not None and size > self.amount:
            return True
        if self.percent is not None and budget != ZERO:
            return size * HUNDRED > self.percent * abs(budget)
        return False

    def phrase(self) -> str:
        """As the upload's errors and the pages say it: "more than £100k or 1% of budget"."""
        parts = []
        if self.amount is not None:
            parts.append(f"more than {money_short(self.amount)}")
        if self.percent is not None:
            parts.append(f"more than {_percent_text(self.percent)} of the current budget")
        return " or ".join(parts) if parts else "never (no threshold is set)"


def variance(*, budget: Decimal, forecast: Decimal) -> Decimal:
    """Forecast outturn less budget: above zero an overspend, below an underspend."""
    return forecast - budget


def slippage(*, budget: Decimal, forecast: Decimal) -> Decimal:
    """How much of a capital budget is forecast not to be spent this year (0 if none)."""
    return max(budget - forecast, ZERO)


def variance_percent(*, budget: Decimal, forecast: Decimal) -> Decimal | None:
    """The variance as a percentage of the budget, to one place; None for a zero budget."""
    if budget == ZERO:
        return None
    return rounded(variance(budget=budget, forecast=forecast) * HUNDRED / abs(budget), 1)


def variance_sentence(*, budget: Decimal, forecast: Decimal) -> str:
    """ "Forecast to overspend by £1.2m (2.3% of the £52m budget)." and the like."""
    difference = variance(budget=budget, forecast=forecast)
    if difference == ZERO:
        return f"Forecast to spend exactly the {money_short(budget)} budget."
    word = "overspend" if difference > ZERO else "underspend"
    share = variance_percent(budget=budget, forecast=forecast)
    of = f" ({_percent_text(abs(share))} of the {money_short(budget)} budget)" if share else ""
    if share is None:
        of = " (against a budget of £0)"
    return f"Forecast to {word} by {money_short(abs(difference))}{of}."


@dataclass(frozen=True)
class SavingsTotal:
    target: Decimal
    forecast: Decimal
    items: int
    at_risk: int  # amber
    undeliverable: int  # red

    @property
    def shortfall(self) -> Decimal:
        return max(self.target - self.forecast, ZERO)


def savings_total(items: Iterable[tuple[Decimal, Decimal, str]]) -> SavingsTotal:
    """(target, forecast, rag) of each saving, summed."""
    target = forecast = ZERO
    count = amber = red = 0
    for item_target, item_forecast, rag in items:
        target += item_target
        forecast += item_forecast
        count += 1
        amber += rag == "amber"
        red += rag == "red"
    return SavingsTotal(target, forecast, count, amber, red)


def savings_sentence(total: SavingsTotal) -> str:
    """ "£3.2m of £4.1m forecast to be delivered; 2 savings at risk, 1 will not be delivered in
    full." """
    if not total.items:
        return "No savings are recorded for this quarter."
    said = f"{money_short(total.forecast)} of {money_short(total.target)} forecast to be delivered"
    risks = []
    if total.at_risk:
        risks.append(f"{total.at_risk} {_plural(total.at_risk, 'saving')} at risk")
    if total.undeliverable:
        risks.append(f"{total.undeliverable} will not be delivered in full")
    if not risks:
        risks.append(f"all {total.items} on track" if total.items > 1 else "on track")
    return f"{said}; {', '.join(risks)}."


@dataclass(frozen=True)
class CapitalTotal:
    budget: Decimal
    spend: Decimal
    forecast: Decimal
    schemes: int

    @property
    def slippage(self) -> Decimal:
        return slippage(budget=self.budget, forecast=self.forecast)


def capital_total(lines: Iterable[tuple[Decimal, Decimal, Decimal]]) -> CapitalTotal:
    """(budget, spend to date, forecast) of each capital scheme, summed."""
    budget = spend = forecast = ZERO
    count = 0
    for line_budget, line_spend, line_forecast in lines:
        budget += line_budget
        spend += line_spend
        forecast += line_forecast
        count += 1
    return CapitalTotal(budget, spend, forecast, count)


def capital_sentence(total: CapitalTotal) -> str:
    """ "£4.5m spent of a £12m budget for the year; £10.1m forecast, so £1.9m slips to later
    years." """
    if not total.schemes:
        return "No capital schemes are recorded for this quarter."
    said = (
        f"{money_short(total.spend)} spent of a {money_short(total.budget)} budget for the "
        f"year; {money_short(total.forecast)} forecast"
    )
    if total.slippage > ZERO:
        return f"{said}, so {money_short(total.slippage)} slips to later years."
    if total.forecast > total.budget:
        return f"{said}, {money_short(total.forecast - total.budget)} more than the budget."
    return f"{said}, the whole budget."


def _percent_text(value: Decimal) -> str:
    return f"{rounded(value, 1):.1f}".removesuffix(".0") + "%"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"
