"""How numbers, units and moments are written for people, and decimals for machines: the one
formatter that pages, downloads, charts and reports all call.

Units are the values of `measures.models.Indicator.Unit` ("percentage", "count", …); this
module takes them as plain strings so that it needs nothing above it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

DASH = "\u2013"  # en dash, for a missing value (escaped: ruff RUF001 reads it as a hyphen)
MINUS = "\u2212"  # the minus sign, before a £
SUFFIXES = {
    "percentage": "%",
    "percentage_points": " percentage points",
    "rate_per_1000": " per 1,000",
    "rate_per_10000": " per 10,000",
    "rate_per_100000": " per 100,000",
    "days": " days",
}


def rounded(value: Decimal, places: int) -> Decimal:
    """Rounded half up to the indicator's decimal places, as every figure is shown."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_value(value: Decimal | None, *, unit: str, places: int) -> str:
    """A value as people read it: "45.5%", "£1,200", "Yes", "12.3 per 10,000"; a dash if none."""
    if value is None:
        return DASH
    if unit == "yes_no":
        return "Yes" if value == 1 else "No"
    shown = rounded(value, places)
    text = f"{shown:,.{places}f}"
    if unit == "currency":
        return f"£{text}" if shown >= 0 else f"{MINUS}£{text[1:]}"
    return text + SUFFIXES.get(unit, "")


def unit_suffix(unit: str) -> str:
    """What follows a number of this unit ("%", "per 10,000", "days"), or nothing."""
    return SUFFIXES.get(unit, "").strip()


def unit_prefix(unit: str) -> str:
    """What comes before a number of this unit ("£"), or nothing."""
    return "£" if unit == "currency" else ""


def short_value(value: Decimal, *, unit: str, places: int) -> str:
    """A value for an axis: thousands and millions shortened ("15k", "1.2m"), with % or £."""
    if unit == "yes_no":
        return format_value(value, unit=unit, places=places)
    size = abs(value)
    if size >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".removesuffix(".0") + "m"
    elif size >= 10_000:
        text = f"{value / 1_000:.0f}k"
    else:
        text = f"{rounded(value, places):,.{places}f}"
    if unit == "currency":
        return f"£{text}" if not text.startswith("-") else f"{MINUS}£{text[1:]}"
    if unit == "percentage_points":
        return f"{text} pp"
    return f"{text}%" if unit == "percentage" else text


def money_short(value: Decimal | None) -> str:
    """An amount of money as pages show it: "£1.2m", "£350k", "£8.4k", "£850", and a minus
    sign before the £ below zero; a dash if none. Exact amounts are for downloads
    (`decimal_text`)."""
    if value is None:
        return DASH
    size = rounded(abs(value), 0)  # whole pounds first, so £999,999.50 is £1m, not £1,000k
    if size >= 1_000_000:
        text = f"{rounded(size / 1_000_000, 1):,.1f}".removesuffix(".0") + "m"
    elif size >= 10_000:
        text = f"{rounded(size / 1_000, 0):,.0f}k"
        text = "1m" if text == "1,000k" else text
    elif size >= 1_000:
        text = f"{rounded(size / 1_000, 1):.1f}".removesuffix(".0") + "k"
    else:
        text = f"{size:,.0f}"
    return f"{MINUS}£{text}" if value < 0 and text != "0" else f"£{text}"


def money_exact(value: Decimal | None) -> str:
    """An amount of money to the penny, for tables that give it whole: "£1,234,567.89"."""
    if value is None:
        return DASH
    text = f"{rounded(abs(value), 2):,.2f}".removesuffix(".00")
    return f"{MINUS}£{text}" if value < 0 else f"£{text}"


def plain_decimal(value: Decimal | None) -> Decimal | None:
    """A number as a plain decimal, without trailing zeros or an exponent (1200.0000 -> 1200),
    for files people and programs read."""
    if value is None:
        return None
    return Decimal(format(value.normalize(), "f"))


def decimal_text(value: Decimal | None) -> str:
    """A number as text without trailing zeros or an exponent ("1200", "45.5"); "" for none."""
    plain = plain_decimal(value)
    return "" if plain is None else format(plain, "f")


def moment(when: datetime) -> str:
    """A date and time as people read it, in the site's time zone: "20 January 2026, 09:30"."""
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    return f"{local.day} {local:%B %Y, %H:%M}"


def person_name(person: AbstractBaseUser) -> str:
    """How a person is named on pages and in emails: their full name, else their username."""
    full = getattr(person, "get_full_name", lambda: "")()
    return str(full or person.get_username())
