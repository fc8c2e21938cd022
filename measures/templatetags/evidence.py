"""The plan's pages ask for the figures that evidence a block's impact measures."""

from __future__ import annotations

from typing import Any

from django import template

from ambitions.models import Ambition, ImpactMeasure
from measures.evidence import Evidence, evidence_for

register = template.Library()


@register.simple_tag(takes_context=True)
def impact_evidence(
    context: dict[str, Any], block: Ambition
) -> list[tuple[ImpactMeasure, list[Evidence]]]:
    """The block's impact measures, each with its indicators and their latest figures."""
    return evidence_for(block.impact_measures.all(), context["request"].user)
