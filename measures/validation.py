"""Whether a value suits its indicator: unit, range and decimal places, with messages to act on."""

from __future__ import annotations

from decimal import Decimal

from measures.models import Indicator

Unit = Indicator.Unit
MAX_MAGNITUDE = Decimal(10) ** 12  # the columns hold 16 digits, 4 after the point
RATE_MULTIPLIERS = {
    Unit.PERCENTAGE: 100,
    Unit.RATE_PER_1000: 1000,
    Unit.RATE_PER_10000: 10000,
    Unit.RATE_PER_100000: 100000,
}


def value_errors(indicator: Indicator, value: Decimal) -> list[str]:
    """Every reason the value does not fit the indicator's unit and precision."""
    if not value.is_finite():
        return ["Enter a number"]
    if abs(value) >= MAX_MAGNITUDE:
        return ["Enter a number smaller than 1,000,000,000,000"]
    errors = []
    unit = indicator.unit
    if unit == Unit.PERCENTAGE and not Decimal(0) <= value <= Decimal(100):
        errors.append("Enter a percentage between 0 and 100")
    elif unit == Unit.YES_NO and value not in (Decimal(0), Decimal(1)):
        errors.append("Enter 1 for yes or 0 for no")
    elif unit == Unit.COUNT and (value < 0 or value != value.to_integral_value()):
        errors.append("Enter a whole number of 0 or more")
    elif (
        unit
        in {Unit.RATE_PER_1000, Unit.RATE_PER_10000, Unit.RATE_PER_100000, Unit.DAYS, Unit.RATIO}
        and value < 0
    ):
        errors.append(f"Enter a {indicator.get_unit_display().lower()} of 0 or more")
    places = -int(value.normalize().as_tuple().exponent)
    if places > indicator.decimal_places:
        allowed = indicator.decimal_places
        errors.append(
            "Enter a whole number" if allowed == 0 else f"Enter at most {allowed} decimal places"
        )
    return errors


def fraction_errors(
    indicator: Indicator,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
) -> dict[str, list[str]]:
    """Numerator and denominator come as a pair and, for rates, must agree with the value."""
    if numerator is None and denominator is None:
        return {}
    if numerator is None:
        return {"numerator": ["Enter the numerator, or leave both numerator and denominator blank"]}
    if denominator is None:
        return {"denominator": ["Enter the denominator, or leave both blank"]}
    if denominator <= 0:
        return {"denominator": ["Enter a denominator greater than 0"]}
    if numerator < 0:
        return {"numerator": ["Enter a numerator of 0 or more"]}
    multiplier = RATE_MULTIPLIERS.get(Indicator.Unit(indicator.unit))
    if multiplier is None or value is None:
        return {}
    expected = numerator / denominator * multiplier
    allowed_gap = Decimal(1).scaleb(-indicator.decimal_places) / 2 + Decimal("1e-9")
    if abs(expected - value) > allowed_gap:
        shown = round(expected, indicator.decimal_places)
        return {"value": [f"The value does not match numerator ÷ denominator, which gives {shown}"]}
    return {}
