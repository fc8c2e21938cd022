"""Load portfolios, the plan's delivery table and scrutiny committees from fixtures."""

from __future__ import annotations

from pathlib import Path

from ambitions.models import Ambition, Plan
from core.fixtures import Node, Problems, read_yaml
from core.upsert import LoadReport, save_if_valid, set_related
from portfolios.models import (
    DeliveryAssignment,
    DeliveryPriority,
    Portfolio,
    PortfolioNameVariant,
    ScrutinyCommittee,
)


def portfolios_load(*, path: Path, base: Path, problems: Problems, report: LoadReport) -> None:
    """Load portfolios (with their spelling variants), the delivery table and committees."""
    document = read_yaml(path, base, problems)
    if document is None:
        return
    document.allow_keys("portfolios", "delivery_table", "scrutiny_committees")
    portfolios = _portfolios_load(document, report)
    table = document.data.get("delivery_table")
    if table is not None and not isinstance(table, dict):
        problems.add(document.where, "'delivery_table' must be a mapping of plan and rows")
    elif table is not None:
        _delivery_table_load(
            Node(table, f"{document.where} > delivery_table", problems), portfolios, report
        )
    _committees_load(document, portfolios, report)


def delivery_table_load(*, path: Path, base: Path, problems: Problems, report: LoadReport) -> None:
    """A plan's delivery table kept beside it (plan/<slug>/delivery.yaml): the same rows as
    portfolios.yaml's delivery_table, naming portfolios already loaded."""
    document = read_yaml(path, base, problems)
    if document is None:
        return
    document.data.setdefault("plan", path.parent.name)
    portfolios = {p.slug: p for p in Portfolio.objects.all()}
    _delivery_table_load(document, portfolios, report)


def _portfolios_load(document: Node, report: LoadReport) -> dict[str, Portfolio]:
    loaded: dict[str, Portfolio] = {}
    names: dict[str, str] = {}
    for position, node in enumerate(document.children("portfolios", label="slug"), start=1):
        mark = node.problems.mark()
        node.allow_keys("slug", "name", "cabinet_member", "variants")
        slug = node.text("slug")
        name = node.text("name")
        node.problems.claim(slug, node.where, names)
        node.problems.claim(name, node.where, names)
        values: dict[str, object] = {"name": name, "position": position}
        if node.has("cabinet_member"):
            values["cabinet_member"] = node.text("cabinet_member", required=False)
        portfolio = save_if_valid(node, mark, Portfolio, {"slug": slug}, values, report)
        if portfolio is None:
            continue
        loaded[slug] = portfolio
        for variant in node.children("variants", label="as_written"):
            mark = node.problems.mark()
            variant.allow_keys("as_written", "note")
            as_written = variant.text("as_written")
            node.problems.claim(as_written, variant.where, names)
            save_if_valid(
                variant,
                mark,
                PortfolioNameVariant,
                {"as_written": as_written},
                {"portfolio": portfolio, "note": variant.text("note")},
                report,
            )
    return loaded


def _delivery_table_load(table: Node, portfolios: dict[str, Portfolio], report: LoadReport) -> None:
    table.allow_keys("plan", "rows")
    plan_slug = table.text("plan")
    plan = Plan.objects.filter(slug=plan_slug).first()
    if plan is None:
        table.problems.add(table.where, f"plan {plan_slug!r} is not loaded")
        return
    blocks = {a.slug: a for a in Ambition.objects.filter(plan=plan)}
    seen: dict[str, str] = {}
    for position, row in enumerate(table.children("rows", label="priority"), start=1):
        mark = row.problems.mark()
        row.allow_keys("priority", "blocks", "all_cabinet_members", "portfolios")
        name = row.text("priority")
        row.problems.claim(name, row.where, seen)
        row_blocks = []
        for slug in row.texts("blocks"):
            if slug in blocks:
                row_blocks.append(blocks[slug])
            else:
                row.problems.add(row.where, f"block {slug!r} is not in plan {plan_slug!r}")
        priority = save_if_valid(
            row,
            mark,
            DeliveryPriority,
            {"plan": plan, "name": name},
            {"position": position, "all_cabinet_members": row.flag("all_cabinet_members")},
            report,
        )
        if priority is None:
            continue
        set_related(priority.blocks, row_blocks, report, "delivery priority blocks")
        for cell_position, cell in enumerate(row.children("portfolios", label="portfolio"), 1):
            mark = row.problems.mark()
            cell.allow_keys("portfolio", "as_written")
            portfolio = _portfolio(cell, portfolios)
            save_if_valid(
                cell,
                mark,
                DeliveryAssignment,
                {"priority": priority, "portfolio": portfolio},
                {"as_written": cell.text("as_written"), "position": cell_position},
                report,
            )


def _committees_load(document: Node, portfolios: dict[str, Portfolio], report: LoadReport) -> None:
    seen: dict[str, str] = {}
    nodes = document.children("scrutiny_committees", label="slug")
    for position, node in enumerate(nodes, start=1):
        mark = node.problems.mark()
        node.allow_keys("slug", "name", "to_be_confirmed", "remit")
        slug = node.text("slug")
        node.problems.claim(slug, node.where, seen)
        remit = []
        for portfolio_slug in node.texts("remit"):
            if portfolio_slug not in portfolios:
                node.problems.add(node.where, f"remit names {portfolio_slug!r}, no portfolio")
            else:
                remit.append(portfolios[portfolio_slug])
        committee = save_if_valid(
            node,
            mark,
            ScrutinyCommittee,
            {"slug": slug},
            {
                "name": node.text("name"),
                "to_be_confirmed": node.flag("to_be_confirmed", default=True),
                "position": position,
            },
            report,
        )
        if committee is not None:
            set_related(committee.remit, remit, report, "scrutiny committee remits")


def _portfolio(node: Node, portfolios: dict[str, Portfolio]) -> Portfolio | None:
    slug = node.text("portfolio")
    if slug and slug not in portfolios:
        node.problems.add(node.where, f"portfolio {slug!r} is not in the portfolios list")
    return portfolios.get(slug)
