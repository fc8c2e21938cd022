"""Looking up a row's value or errors by field name in the agreement's edit page."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def get_value(values: Mapping[str, str], name: str) -> str:
    return values.get(name, "")


@register.filter
def get_errors(errors: Mapping[str, list[str]], name: str) -> list[str]:
    return errors.get(name, [])
