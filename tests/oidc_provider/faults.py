"""The faults the tests switch on (see validators.py for what each does to ID tokens), kept in
a file so that every process and thread of the provider sees the same ones."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.oidc_provider import settings

FLAGS = ("tamper", "expired", "wrong_key")


def _path() -> Path:
    return settings.STATE_DIR / "faults.json"


def active() -> set[str]:
    """The faults switched on now."""
    try:
        return set(json.loads(_path().read_text()))
    except FileNotFoundError:
        return set()


def switch_on(flags: dict[str, bool]) -> set[str]:
    """Switch on exactly the flags given as true (none: reset); unknown flags are refused."""
    unknown = set(flags) - set(FLAGS)
    if unknown:
        raise ValueError(f"unknown fault flags {sorted(unknown)}; known: {list(FLAGS)}")
    chosen = {name for name, on in flags.items() if on}
    partial = _path().with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(sorted(chosen)))
    partial.replace(_path())
    return chosen
