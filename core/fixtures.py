"""Read hand-written YAML fixtures with checks that say exactly where a mistake is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml


class FixtureError(Exception):
    """One or more mistakes in the fixture files; nothing was saved."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Problems:
    """The mistakes found so far, each with its file and place."""

    items: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def mark(self) -> int:
        """A bookmark for `since`: how many problems there are now."""
        return len(self.items)

    def since(self, mark: int) -> bool:
        """Whether any problem was found after the bookmark."""
        return len(self.items) > mark

    def claim(self, key: str, where: str, seen: dict[str, str]) -> None:
        """Record a key as used, or the mistake of using it twice."""
        if not key:
            return
        if key in seen:
            self.add(where, f"{key!r} is used again (first in {seen[key]})")
        else:
            seen[key] = where

    def raise_if_any(self) -> None:
        if self.items:
            raise FixtureError(self.items)


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, base: Path, problems: Problems) -> Node | None:
    """Parse one YAML file into a Node, or record why it cannot be read."""
    name = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
    if not path.is_file():
        problems.add(name, "is missing")
        return None
    try:
        # libyaml's safe loader where PyYAML has it (it does in its wheels): the same safe
        # constructor, several times faster than the pure-Python one.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506
    except UnicodeDecodeError:
        problems.add(name, "is not UTF-8 text")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "is not valid YAML"
        problems.add(name, f"{problem}{place}")
        return None
    if not isinstance(data, dict):
        problems.add(name, "must hold a mapping of keys to values at the top level")
        return None
    return Node(data, name, problems)


class Node:
    """A mapping from a fixture file, read key by key with typed, checked accessors."""

    def __init__(self, data: dict[str, Any], where: str, problems: Problems) -> None:
        self.data = data
        self.where = where
        self.problems = problems

    def allow_keys(self, *keys: str) -> None:
        """Record any key that is not one of these (a typo would otherwise be ignored)."""
        for key in self.data:
            if key not in keys:
                allowed = ", ".join(keys)
                self.problems.add(self.where, f"unknown key {key!r} (expected one of: {allowed})")

    def has(self, key: str) -> bool:
        return key in self.data

    def _missing(self, key: str) -> None:
        self.problems.add(self.where, f"{key!r} is required")

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return ""
        if not isinstance(value, str):
            self.problems.add(self.where, f"{key!r} must be text, not {type(value).__name__}")
            return ""
        value = value.strip()
        if required and not value:
            self.problems.add(self.where, f"{key!r} must not be empty")
        return value

    def number(self, key: str, *, required: bool = True) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problems.add(self.where, f"{key!r} must be a whole number, not {value!r}")
            return None
        return value

    def decimal(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            self._missing(key)
            return None
        if isinstance(value, bool):
            self.problems.add(self.where, f"{key!r} must be a number, not {value!r}")
            return None
        try:
            result = Decimal(str(value).replace(",", ""))
        except InvalidOperation:
            self.problems.add(self.where, f"{key!r} must be a number, not {value!r}")
            return None
        if not result.is_finite():
            self.problems.add(self.where, f"{key!r} must be a finite number, not {value!r}")
            return None
        return result

    def date(self, key: str, *, required: bool = True) -> datetime.date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        self.problems.add(self.where, f"{key!r} must be a date written YYYY-MM-DD, not {value!r}")
        return None

    def flag(self, key: str, *, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.problems.add(self.where, f"{key!r} must be true or false, not {value!r}")
            return default
        return value

    def choice(self, key: str, choices: list[str], *, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            self._missing(key)
            return ""
        if value not in choices:
            self.problems.add(
                self.where, f"{key!r} is {value!r}; it must be one of: {', '.join(choices)}"
            )
            return ""
        return str(value)

    def texts(self, key: str) -> list[str]:
        """A list of strings (slugs or codes); an absent key is an empty list."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.add(self.where, f"{key!r} must be a list of names")
            return []
        return list(value)

    def children(self, key: str, *, label: str = "code") -> list[Node]:
        """A list of mappings, each a Node whose place names its position and label."""
        value = self.data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.add(self.where, f"{key!r} must be a list")
            return []
        nodes = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                self.problems.add(f"{self.where} > {key} #{index}", "must be a mapping of keys")
                continue
            name = item.get(label)
            tag = f" ({name})" if isinstance(name, str) else ""
            nodes.append(Node(item, f"{self.where} > {key} #{index}{tag}", self.problems))
        return nodes
