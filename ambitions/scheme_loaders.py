"""Load a focus area's schemes from the plan's fixture: each with its description, the
partners the plan names, and its milestones with the plan's dates."""

from __future__ import annotations

from ambitions.models import FocusArea, Milestone, Scheme
from core.fixtures import Node
from core.upsert import LoadReport, save_if_valid


def scheme_load(
    node: Node, area: FocusArea, position: int, seen: dict[str, str], report: LoadReport
) -> None:
    mark = node.problems.mark()
    node.allow_keys("slug", "name", "description", "partners", "milestones")
    slug = node.text("slug")
    node.problems.claim(slug, node.where, seen)
    scheme = save_if_valid(
        node,
        mark,
        Scheme,
        {"focus_area": area, "slug": slug},
        {
            "name": node.text("name"),
            "description": node.text("description", required=False),
            "partners": _partners(node),
            "position": position,
        },
        report,
    )
    if scheme is None:
        return
    titles: dict[str, str] = {}
    for milestone_position, item in enumerate(node.children("milestones", label="title"), 1):
        mark = node.problems.mark()
        item.allow_keys("title", "due", "due_date", "status")
        title = item.text("title")
        node.problems.claim(title, item.where, titles)
        values = {
            "due": item.text("due", required=False),
            "due_date": item.date("due_date", required=False),
            "position": milestone_position,
        }
        # The fixture's status is what the plan said when it was written (complete for steps
        # already done); progress since is in the quarterly updates, never in this field, which
        # a reload leaves as it first was.
        status = item.choice("status", list(Milestone.Status.values), default="planned")
        save_if_valid(
            item,
            mark,
            Milestone,
            {"scheme": scheme, "title": title},
            values,
            report,
            initial={"status": status},
        )


def _partners(node: Node) -> list[str]:
    """The partners the plan names for a scheme, in its order and its words: a list of
    names, each given once (an absent key is none)."""
    value = node.data.get("partners")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        node.problems.add(
            node.where,
            "'partners' must be a list of names as the plan writes them (for example "
            f"[Muse]), none of them empty, not {value!r}",
        )
        return []
    names = [name.strip() for name in value]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            node.problems.add(node.where, f"'partners' names {name!r} more than once")
        seen.add(name)
    return names
