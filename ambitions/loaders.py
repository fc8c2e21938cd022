"""Load the plan from its fixture files: plan.yaml and one file per block, and the partnership
plans they support."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

from django.contrib.staticfiles import finders
from django.db import models

from ambitions.models import (
    Ambition,
    BoroughPlan,
    BoroughPlanTheme,
    Commitment,
    FocusArea,
    ImpactMeasure,
    Plan,
    PlanBlockKind,
    PlanValue,
    Scheme,
)
from ambitions.scheme_loaders import scheme_load
from core.fixtures import Node, Problems, read_yaml
from core.upsert import LoadReport, save_if_valid, set_related

ModelT = TypeVar("ModelT", bound=models.Model)
RowT = TypeVar("RowT")
# Files beside plan.yaml that are not blocks: the plan's delivery table (portfolios/loaders.py).
NOT_BLOCK_FILES = ("plan.yaml", "delivery.yaml")


def borough_plans_load(*, path: Path, base: Path, problems: Problems, report: LoadReport) -> None:
    """Load the partnership plans and their pillars and strands."""
    document = read_yaml(path, base, problems)
    if document is None:
        return
    document.allow_keys("borough_plans")
    seen: dict[str, str] = {}
    for plan_node in document.children("borough_plans", label="slug"):
        mark = problems.mark()
        plan_node.allow_keys("slug", "name", "description", "themes")
        borough_plan = save_if_valid(
            plan_node,
            mark,
            BoroughPlan,
            {"slug": plan_node.text("slug")},
            {
                "name": plan_node.text("name"),
                "description": plan_node.text("description", required=False),
            },
            report,
        )
        if borough_plan is not None:
            _themes_load(plan_node, borough_plan, None, seen, report)


def _themes_load(
    node: Node,
    borough_plan: BoroughPlan,
    parent: BoroughPlanTheme | None,
    seen: dict[str, str],
    report: LoadReport,
) -> None:
    for position, theme_node in enumerate(node.children("themes", label="slug"), start=1):
        mark = node.problems.mark()
        theme_node.allow_keys("slug", "name", "description", "themes")
        slug = theme_node.text("slug")
        node.problems.claim(slug, theme_node.where, seen)
        theme = save_if_valid(
            theme_node,
            mark,
            BoroughPlanTheme,
            {"slug": slug},
            {
                "borough_plan": borough_plan,
                "parent": parent,
                "name": theme_node.text("name"),
                "description": theme_node.text("description", required=False),
                "position": position,
            },
            report,
        )
        if theme is not None:
            _themes_load(theme_node, borough_plan, theme, seen, report)


def plan_load(*, directory: Path, base: Path, problems: Problems, report: LoadReport) -> None:
    """Load one plan: plan.yaml, then every block file in name order."""
    document = read_yaml(directory / "plan.yaml", base, problems)
    if document is None:
        return
    mark = problems.mark()
    document.allow_keys(
        "slug",
        "council",
        "council_short_name",
        "brand_colour",
        "logo",
        "title",
        "strapline",
        "period_start",
        "period_end",
        "vision",
        "mission",
        "values_statement",
        "values",
        "introduction",
        "delivery_statement",
        "vocabulary",
    )
    slug = document.text("slug")
    if slug and slug != directory.name:
        problems.add(document.where, f"slug {slug!r} must match its folder name {directory.name!r}")
    vocabulary = _vocabulary(document)
    start, end = document.date("period_start"), document.date("period_end")
    if start and end and start >= end:
        problems.add(document.where, "period_start must come before period_end")
    plan = save_if_valid(
        document,
        mark,
        Plan,
        {"slug": slug},
        {
            "council": document.text("council"),
            "council_short_name": document.text("council_short_name", required=False),
            "brand_colour": _colour(document),
            "logo": _logo(document, base),
            **_words(vocabulary),
            "title": document.text("title"),
            "strapline": document.text("strapline", required=False),
            "period_start": start,
            "period_end": end,
            "vision": document.text("vision"),
            "mission": document.text("mission"),
            "values_statement": document.text("values_statement", required=False),
            "introduction": document.text("introduction", required=False),
            "delivery_statement": document.text("delivery_statement", required=False),
        },
        report,
    )
    if plan is None:
        return
    names: dict[str, str] = {}
    for position, value_node in enumerate(document.children("values", label="name"), start=1):
        mark = problems.mark()
        value_node.allow_keys("name", "description")
        name = value_node.text("name")
        problems.claim(name, value_node.where, names)
        save_if_valid(
            value_node,
            mark,
            PlanValue,
            {"plan": plan, "name": name},
            {"position": position, "description": value_node.text("description", required=False)},
            report,
        )
    kinds = _block_kinds_load(vocabulary, plan, report) if vocabulary else {}
    block_files = sorted(p for p in directory.glob("*.yaml") if p.name not in NOT_BLOCK_FILES)
    if not block_files:
        problems.add(document.where, "the plan has no block files beside plan.yaml")
    seen: dict[str, str] = {}
    for position, path in enumerate(block_files, start=1):
        block = read_yaml(path, base, problems)
        if block is not None:
            _block_load(block, plan, kinds, position, seen, report)


def _vocabulary(document: Node) -> Node | None:
    """The plan's own words: its kinds of block, and its names for focus areas and impact
    measures (fixtures/README.md, "The plan's vocabulary")."""
    data = document.data.get("vocabulary")
    where = f"{document.where} > vocabulary"
    if not isinstance(data, dict):
        document.problems.add(
            document.where,
            "'vocabulary' is required: a mapping with the plan's block_kinds (each with slug, "
            "singular and plural) and, optionally, its words for focus_areas and impact_measures",
        )
        return None
    node = Node(data, where, document.problems)
    node.allow_keys("block_kinds", "focus_areas", "impact_measures")
    if not node.children("block_kinds", label="slug"):
        node.problems.add(where, "'block_kinds' must list at least one kind of block")
    return node


def _words(vocabulary: Node | None) -> dict[str, str]:
    """The plan's names for focus areas and impact measures; what is not given keeps its
    default (the model's), so a plan need only say what differs."""
    words: dict[str, str] = {}
    if vocabulary is None:
        return words
    for key, field in (("focus_areas", "focus_area"), ("impact_measures", "impact_measure")):
        data = vocabulary.data.get(key)
        if data is None:
            continue
        if not isinstance(data, dict):
            vocabulary.problems.add(
                vocabulary.where, f"{key!r} must be a mapping of singular, plural and heading"
            )
            continue
        node = Node(data, f"{vocabulary.where} > {key}", vocabulary.problems)
        node.allow_keys("singular", "plural", "heading")
        for part, name in (
            ("singular", f"{field}_singular"),
            ("plural", f"{field}_plural"),
            ("heading", f"{key}_heading"),
        ):
            if node.has(part):
                words[name] = node.text(part)
    return words


def _block_kinds_load(vocabulary: Node, plan: Plan, report: LoadReport) -> dict[str, PlanBlockKind]:
    kinds: dict[str, PlanBlockKind] = {}
    seen: dict[str, str] = {}
    for position, node in enumerate(vocabulary.children("block_kinds", label="slug"), start=1):
        mark = node.problems.mark()
        node.allow_keys("slug", "singular", "plural", "numbered", "number_prefix", "cuts_across")
        slug = node.text("slug")
        node.problems.claim(slug, node.where, seen)
        kind = save_if_valid(
            node,
            mark,
            PlanBlockKind,
            {"plan": plan, "slug": slug},
            {
                "singular": node.text("singular"),
                "plural": node.text("plural"),
                "numbered": node.flag("numbered"),
                "number_prefix": node.text("number_prefix", required=False),
                "cuts_across": node.flag("cuts_across"),
                "position": position,
            },
            report,
        )
        if kind is not None:
            kinds[slug] = kind
    return kinds


def _colour(document: Node) -> str:
    colour = document.text("brand_colour", required=False)
    if colour and not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        document.problems.add(
            document.where,
            f"'brand_colour' must be written #rrggbb (for example #005ea5), not {colour!r}",
        )
        return ""
    return colour.lower()


def _logo(document: Node, base: Path) -> str:
    """A logo is a file under static/ (no page loads anything from elsewhere)."""
    logo = document.text("logo", required=False)
    if logo and ("://" in logo or logo.startswith("/") or ".." in logo or not finders.find(logo)):
        document.problems.add(
            document.where,
            f"'logo' must be the path of a file under static/ (for example brand/logo.svg); "
            f"{logo!r} is not one",
        )
        return ""
    return logo


def _block_load(
    node: Node,
    plan: Plan,
    kinds: dict[str, PlanBlockKind],
    position: int,
    seen: dict[str, str],
    report: LoadReport,
) -> None:
    mark = node.problems.mark()
    node.allow_keys(
        "slug",
        "code",
        "kind",
        "number",
        "title",
        "introduction",
        "supports",
        "focus_areas",
        "commitments",
        "impact_measures",
    )
    code = node.text("code")
    slug = node.text("slug")
    node.problems.claim(code, node.where, seen)
    node.problems.claim(slug, node.where, seen)
    themes = []
    for theme_slug in node.texts("supports"):
        theme = BoroughPlanTheme.objects.filter(slug=theme_slug).first()
        if theme is None:
            node.problems.add(
                node.where, f"supports {theme_slug!r}, which is no borough plan theme"
            )
        else:
            themes.append(theme)
    ambition = save_if_valid(
        node,
        mark,
        Ambition,
        {"plan": plan, "slug": slug},
        {
            "code": code,
            "kind": _kind(node, kinds),
            "number": node.number("number", required=False),
            "title": node.text("title"),
            "introduction": node.text("introduction", required=False),
            "position": position,
        },
        report,
    )
    if ambition is None:
        return
    set_related(ambition.supports, themes, report, "ambition supports")
    focus_areas = _focus_areas_load(node, ambition, seen, report)
    impact_measures = _impact_measures_load(node, ambition, seen, report)
    _commitments_load(node, ambition, focus_areas, impact_measures, seen, report)


def _kind(node: Node, kinds: dict[str, PlanBlockKind]) -> PlanBlockKind | None:
    slug = node.text("kind")
    if slug and slug not in kinds:
        declared = ", ".join(kinds) or "none"
        node.problems.add(
            node.where,
            f"kind {slug!r} is not one of the kinds plan.yaml declares in vocabulary.block_kinds "
            f"({declared})",
        )
    return kinds.get(slug)


def _focus_areas_load(
    node: Node, ambition: Ambition, seen: dict[str, str], report: LoadReport
) -> dict[str, FocusArea]:
    loaded: dict[str, FocusArea] = {}
    for position, area_node in enumerate(node.children("focus_areas"), start=1):
        mark = node.problems.mark()
        area_node.allow_keys("code", "title", "description", "schemes")
        code = area_node.text("code")
        node.problems.claim(code, area_node.where, seen)
        area = save_if_valid(
            area_node,
            mark,
            FocusArea,
            {"ambition": ambition, "code": code},
            {
                "title": area_node.text("title"),
                "description": area_node.text("description", required=False),
                "position": position,
            },
            report,
        )
        if area is None:
            continue
        loaded[code] = area
        schemes = area_node.children("schemes", label="slug")
        for scheme_position, scheme_node in enumerate(schemes, start=1):
            scheme_load(scheme_node, area, scheme_position, seen, report)
    return loaded


def _impact_measures_load(
    node: Node, ambition: Ambition, seen: dict[str, str], report: LoadReport
) -> dict[str, ImpactMeasure]:
    loaded: dict[str, ImpactMeasure] = {}
    for position, item in enumerate(node.children("impact_measures"), start=1):
        mark = node.problems.mark()
        item.allow_keys("code", "title", "statement")
        code = item.text("code")
        node.problems.claim(code, item.where, seen)
        measure = save_if_valid(
            item,
            mark,
            ImpactMeasure,
            {"ambition": ambition, "code": code},
            {
                "title": item.text("title"),
                "statement": item.text("statement"),
                "position": position,
            },
            report,
        )
        if measure is not None:
            loaded[code] = measure
    return loaded


def _commitments_load(
    node: Node,
    ambition: Ambition,
    focus_areas: dict[str, FocusArea],
    impact_measures: dict[str, ImpactMeasure],
    seen: dict[str, str],
    report: LoadReport,
) -> None:
    schemes = {s.slug: s for s in Scheme.objects.filter(focus_area__ambition=ambition)}
    for position, item in enumerate(node.children("commitments"), start=1):
        mark = node.problems.mark()
        item.allow_keys(
            "code",
            "statement",
            "quantity",
            "unit",
            "due",
            "due_date",
            "focus_area",
            "scheme",
            "impact_measure",
        )
        code = item.text("code")
        node.problems.claim(code, item.where, seen)
        save_if_valid(
            item,
            mark,
            Commitment,
            {"ambition": ambition, "code": code},
            {
                "statement": item.text("statement"),
                "quantity": item.decimal("quantity"),
                "unit": item.text("unit"),
                "due": item.text("due", required=False),
                "due_date": item.date("due_date", required=False),
                "focus_area": _reference(item, "focus_area", focus_areas),
                "scheme": _reference(item, "scheme", schemes),
                "impact_measure": _reference(item, "impact_measure", impact_measures),
                "position": position,
            },
            report,
        )


def _reference(node: Node, key: str, rows: dict[str, RowT]) -> RowT | None:
    name = node.text(key, required=False)
    if not name:
        return None
    if name not in rows:
        known = ", ".join(rows) or "none"
        node.problems.add(node.where, f"{key} {name!r} is not in this block (it has: {known})")
        return None
    return rows[name]
