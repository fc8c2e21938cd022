"""Whether input suits its indicator and the database: numbers read from text, their range and
decimal places, numerator and denominator, and free text, with messages a person can act on.

One set of rules for the My returns form, the upload and the services: the form and the upload
read text with `number_from_text`; the services check every number and text they are given
with the functions below, so nothing reaches the database that a page cannot show.
"""

from __future__ import annotations

import re
from decimal import Decimal

from measures.models import Indicator, Reading

Unit = Indicator.Unit
_COLUMN = Reading._meta.get_field("value")
# The columns hold 16 digits, 4 after the point: at most 12 before it.
MAX_INTEGER_DIGITS = _COLUMN.max_digits - _COLUMN.decimal_places
MAX_PLACES = _COLUMN.decimal_places
TOO_BIG = "Enter a number smaller than 1,000,000,000,000"
TEXT_LIMIT = 5000
RATE_MULTIPLIERS = {
    Unit.PERCENTAGE: 100,
    Unit.RATE_PER_1000: 1000,
    Unit.RATE_PER_10000: 10000,
    Unit.RATE_PER_100000: 100000,
}

# Digits with an optional decimal part, or digits grouped in threes by commas ("1,500.5").
# Only ASCII digits: Decimal would also read Arabic-Indic or full-width digits.
_BODY = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|\.[0-9]+)")
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}|[0-9]+,[0-9]{4,}")
_MINUS_SIGNS = ("-", "\u2212")  # hyphen-minus and the minus sign our pages print
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NotANumber(ValueError):
    """Text that is not a number in the form people are asked for; `detail` says why, if known."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or "not a number")
        self.detail = detail

    def for_field(self, label: str) -> str:
        """ "The value must be a number, like 12 or 12.5", or with the specific reason."""
        if self.detail:
            return f"{label} must be a number: {self.detail}"
        return f"{label} must be a number, like 12 or 12.5"

    def for_cell(self, text: str) -> str:
        """ "'12,5' is not a number", with the specific reason where there is one."""
        return f"{text!r} is not a number" + (f": {self.detail}" if self.detail else "")


def number_from_text(text: str, *, unit: str) -> Decimal | None:
    """A number as people type it ("1,500", " 12.5 ", "45%" for a percentage, "£12" for money),
    or None for a blank. Anything else is refused rather than guessed at: "12,5" is not 125,
    "1_000" and "1e3" are not numbers, and a % or £ sign is accepted only in its own unit."""
    cleaned = text.strip()
    if not cleaned:
        return None
    negative = cleaned.startswith(_MINUS_SIGNS)
    body = cleaned[1:].strip() if negative or cleaned.startswith("+") else cleaned
    if body.startswith("£"):
        if unit != Unit.CURRENCY:
            raise NotANumber("a £ sign is only for amounts of money; enter the number alone")
        body = body[1:].strip()
    if body.endswith("%"):
        if unit != Unit.PERCENTAGE:
            raise NotANumber("a % sign is only for percentages; enter the number alone")
        body = body[:-1].strip()
    if not _BODY.fullmatch(body):
        if _DECIMAL_COMMA.fullmatch(body):
            raise NotANumber(
                "use a full stop for decimals (12.5), and commas only between thousands (1,500)"
            )
        raise NotANumber()
    number = Decimal(body.replace(",", ""))
    return -number if negative else number


def decimal_places(number: Decimal) -> int:
    """How many decimal places the number needs (trailing zeros do not count), without the
    context arithmetic that overflows on a number like 1e999999999."""
    _, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or not any(digits):
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing))


def _too_big(number: Decimal) -> bool:
    """Whether the number has more digits before the point than the columns hold."""
    return number.adjusted() >= MAX_INTEGER_DIGITS


def figure_errors(number: Decimal) -> list[str]:
    """Why a number (a numerator, a denominator, a target) cannot be stored exactly."""
    if not number.is_finite():
        return ["Enter a number"]
    if _too_big(number):
        return [TOO_BIG]
    if decimal_places(number) > MAX_PLACES:
        return [f"Enter at most {MAX_PLACES} decimal places"]
    return []


def value_errors(indicator: Indicator, value: Decimal) -> list[str]:
    """Every reason the value does not fit the indicator's unit and precision."""
    if not value.is_finite():
        return ["Enter a number"]
    if _too_big(value):
        return [TOO_BIG]
    errors = []
    unit = indicator.unit
    if unit == Unit.PERCENTAGE and not Decimal(0) <= value <= Decimal(100):
        errors.append("Enter a percentage between 0 and 100")
    elif unit == Unit.PERCENTAGE_POINTS and not Decimal(-100) <= value <= Decimal(100):
        errors.append("Enter a difference in percentage points between -100 and 100")
    elif unit == Unit.YES_NO and value not in (Decimal(0), Decimal(1)):
        errors.append("Enter 1 for yes or 0 for no")
    elif unit == Unit.COUNT and (value < 0 or decimal_places(value) > 0):
        errors.append("Enter a whole number of 0 or more")
    elif (
        unit
        in {Unit.RATE_PER_1000, Unit.RATE_PER_10000, Unit.RATE_PER_100000, Unit.DAYS, Unit.RATIO}
        and value < 0
    ):
        errors.append(f"Enter a {indicator.get_unit_display().lower()} of 0 or more")
    if decimal_places(value) > indicator.decimal_places:
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
    """Numerator and denominator come as a pair, fit the columns and, for rates, agree with
    the value."""
    if numerator is None and denominator is None:
        return {}
    if numerator is None:
        return {"numerator": ["Enter the numerator, or leave both numerator and denominator blank"]}
    if denominator is None:
        return {"denominator": ["Enter the denominator, or leave both blank"]}
    stored = {
        name: problems
        for name, number in (("numerator", numerator), ("denominator", denominator))
        if (problems := figure_errors(number))
    }
    if stored:
        return stored
    if denominator <= 0:
        return {"denominator": ["Enter a denominator greater than 0"]}
    if numerator < 0:
        return {"numerator": ["Enter a numerator of 0 or more"]}
    multiplier = RATE_MULTIPLIERS.get(Indicator.Unit(indicator.unit))
    if multiplier is None or value is None or not value.is_finite() or _too_big(value):
        return {}
    expected = numerator / denominator * multiplier
    allowed_gap = Decimal(1).scaleb(-indicator.decimal_places) / 2 + Decimal("1e-9")
    if abs(expected - value) > allowed_gap:
        shown = round(expected, indicator.decimal_places)
        return {"value": [f"The value does not match numerator ÷ denominator, which gives {shown}"]}
    return {}


def text_errors(text: str) -> list[str]:
    """Why free text (commentary, a note) cannot be kept as typed: too long, or holding
    control characters that no keyboard types (a NUL byte, say)."""
    errors = []
    if len(text) > TEXT_LIMIT:
        errors.append(f"Enter at most {TEXT_LIMIT:,} characters (this has {len(text):,})")
    if match := _CONTROL.search(text):
        errors.append(
            f"Remove the control character (code {ord(match.group())}) from the text: "
            "only letters, numbers, punctuation, spaces and line breaks are kept"
        )
    return errors
