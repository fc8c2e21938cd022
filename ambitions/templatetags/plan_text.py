"""Template filters that show the plan's text and numbers as the plan wrote them."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ambitions.models import Plan

register = template.Library()


@register.filter
def plan_paragraphs(text: str) -> SafeString:
    """Paragraphs (split on blank lines) as GOV.UK body text; lines starting "- " as lists."""
    parts = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        parts.extend(_block_html(lines))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is built by format_html


def _block_html(lines: list[str]) -> list[str]:
    html: list[str] = []
    prose: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if prose:
            html.append(format_html('<p class="govuk-body">{}</p>', " ".join(prose)))
            prose.clear()
        if bullets:
            items = format_html_join("", "<li>{}</li>", ((item,) for item in bullets))
            html.append(format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>', items))
            bullets.clear()

    for line in lines:
        if line.startswith("- "):
            if prose:
                flush()
            bullets.append(line[2:].strip())
        else:
            if bullets:
                flush()
            prose.append(line)
    flush()
    return html


@register.filter
def quantity(value: Decimal | None) -> str:
    """A number the plan commits to, with thousands separators and no trailing zeros."""
    if value is None:
        return ""
    normalised = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return f"{normalised:,}"


@register.filter
def anchor(code: str) -> str:
    """An HTML id for a code such as A1.F2 (lower case, no dots)."""
    return code.lower().replace(".", "-")


@register.simple_tag(takes_context=True)
def shown_plan(context: template.Context) -> object:
    """The plan whose council heads the page: the page's own plan where it is about one, else
    the plan in force (the context processor's, read only when used)."""
    plan = context.get("plan")
    return plan if isinstance(plan, Plan) else context.get("CURRENT_PLAN")
