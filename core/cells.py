"""One spreadsheet cell as text, and text made safe from formula injection (both ways).

Shared by the reader (core/spreadsheet_reader.py) and the writer (core/spreadsheet_writer.py),
so a file this service writes reads back as it was.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from datetime import time as clock_time
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Characters no keyboard types (tab, line feed and carriage return are kept); a NUL cannot even
# be stored in PostgreSQL's text or JSON.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cell_text(value: object) -> str:
    """Render a cell value as text the way a person would type it (no float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        midnight = value.tzinfo is None and value.time() == clock_time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date | clock_time):
        return value.isoformat()
    return str(value)


def _float_text(value: float) -> str:
    """Render a float without binary noise or exponent: 612.0 -> "612", 45.5 -> "45.5"."""
    if not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(str(value)), "f")


def neutralise_formula(value: object) -> object:
    """Prefix "'" to text a spreadsheet could run as a formula; plain numbers like "-12.5" pass.

    Text starting with = + - @ tab or carriage return is neutralised, unless the whole text is a
    plain decimal number (e.g. "-12.5", "+3", "1e5"), which a spreadsheet reads as that number,
    never as a formula; this keeps negative readings usable. Non-text values are returned as is.
    """
    if isinstance(value, str):
        return neutralise_text(value)
    return value


def neutralise_text(text: str) -> str:
    """Return text, with a leading "'" if it could otherwise start a formula."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore_neutralised(text: str) -> str:
    """Undo neutralise_formula on text read back from a file this module wrote."""
    original = text[1:]
    return original if text.startswith("'") and neutralise_text(original) == text else text
