"""Typed readers for environment variables that fail loudly on a bad value."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or the default when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """True or false from 1/0, true/false, yes/no, on/off; anything else is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value: use 1 or 0, true or false.")


def env_int(name: str, default: int) -> int:
    """A whole number; anything else is an error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list, blanks dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_pairs(name: str) -> dict[str, str]:
    """Comma-separated `key=value` pairs (`a1b2=officer,c3d4=councillor`); a pair without
    `=`, or with an empty side, is an error."""
    pairs: dict[str, str] = {}
    for item in env_list(name, []):
        key, equals, value = item.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name}: {item!r} is not a key=value pair.")
        pairs[key.strip()] = value.strip()
    return pairs
