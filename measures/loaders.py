"""Load the whole fixture set (`load_all`, which `load_plan` runs): the plan, portfolios and
committees, the reporting periods of the plan's years, and its indicators, targets and
trajectories from fixtures/indicators/<plan>.yaml."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import transaction

from ambitions.loaders import borough_plans_load, plan_load
from ambitions.models import Ambition, ImpactMeasure, Plan
from core.fixtures import FixtureError, Node, Problems, read_yaml
from core.upsert import LoadReport, save_if_valid, set_related, upsert
from measures.models import Indicator, ReportingPeriod, Target, TrajectoryTarget
from measures.periods import financial_year_of, quarter_bounds, year_code
from measures.services import milestone_scores
from measures.services.scorecard import deferred
from portfolios.loaders import delivery_table_load, portfolios_load
from portfolios.models import Portfolio

T = TypeVar("T")

# Loaders of apps above this one (agreements), run by `load_all` after the indicators, in the
# same transaction: each app adds its own when it is ready, so this module imports none.
Loader = Callable[..., None]
FURTHER_LOADERS: list[Loader] = []

INDICATOR_KEYS = (
    "code",
    "impact_measure",
    "title",
    "definition",
    "lead_portfolio",
    "unit",
    "decimal_places",
    "polarity",
    "frequency",
    "cumulative",
    "seasonal",
    "baseline",
    "data_source",
    "public",
    "status",
    "first_year",
    "last_year",
    "themes",
    "source_statement",
    "targets",
    "trajectories",
)


def indicators_load(*, path: Path, base: Path, problems: Problems, report: LoadReport) -> None:
    """Upsert every indicator in the file. Owners, delegates and anything the performance team
    manages in the app (status once set, public flag, tolerances not in the file) are kept."""
    document = read_yaml(path, base, problems)
    if document is None:
        return
    document.allow_keys("plan", "indicators", "continued")
    plan = Plan.objects.filter(slug=document.text("plan")).first()
    if plan is None:
        problems.add(document.where, f"plan {document.data.get('plan')!r} is not loaded")
        return
    context = _Context(plan)
    seen: dict[str, str] = {}
    for position, node in enumerate(document.children("indicators"), start=1):
        _indicator_load(node, position, context, seen, report)
    _continued_load(document, plan, context, seen, report)


def _continued_load(
    document: Node, plan: Plan, context: _Context, seen: dict[str, str], report: LoadReport
) -> None:
    """Indicators of earlier plans that go on evidencing a measure of this one, so their
    history runs on unbroken (measures/plans.py). Each says which indicator and which of this
    plan's impact measures; the carried set for this plan becomes exactly the list."""
    wanted: dict[int, ImpactMeasure] = {}
    for node in document.children("continued", label="indicator"):
        node.allow_keys("indicator", "impact_measure")
        code = node.text("indicator")
        node.problems.claim(code, node.where, seen)
        measure = _lookup(node, "impact_measure", context.measures)
        indicator = (
            Indicator.objects.select_related("impact_measure__ambition__plan")
            .filter(code=code)
            .first()
        )
        if code and indicator is None:
            node.problems.add(
                node.where,
                f"indicator {code!r} is not loaded: a continued indicator is one an earlier "
                "plan's indicators file defines",
            )
            continue
        if indicator is None or measure is None:
            continue
        own = indicator.impact_measure.ambition.plan
        if own.period_start >= plan.period_start:
            node.problems.add(
                node.where,
                f"indicator {code!r} is defined for {own.title}, which does not come before "
                f"{plan.title}: only an earlier plan's indicator can be continued",
            )
            continue
        wanted[indicator.pk] = measure
    carried = Indicator.later_measures.through.objects.filter(impactmeasure__ambition__plan=plan)
    current = dict(carried.values_list("indicator_id", "impactmeasure_id"))
    if current == {pk: m.pk for pk, m in wanted.items()}:
        if wanted:
            report.unchanged["continued indicators"] += len(wanted)
        return
    carried.delete()
    Indicator.later_measures.through.objects.bulk_create(
        Indicator.later_measures.through(indicator_id=pk, impactmeasure_id=measure.pk)
        for pk, measure in wanted.items()
    )
    report.updated["continued indicators"] += 1


class _Context:
    """The rows an indicator may refer to, looked up once."""

    def __init__(self, plan: Plan) -> None:
        self.measures = {m.code: m for m in ImpactMeasure.objects.filter(ambition__plan=plan)}
        self.portfolios = {p.slug: p for p in Portfolio.objects.all()}
        self.themes = {
            a.slug: a for a in Ambition.objects.filter(plan=plan, kind__cuts_across=True)
        }
        self.periods = {p.code: p for p in ReportingPeriod.objects.all()}


def _indicator_load(
    node: Node, position: int, context: _Context, seen: dict[str, str], report: LoadReport
) -> None:
    mark = node.problems.mark()
    node.allow_keys(*INDICATOR_KEYS)
    code = node.text("code")
    node.problems.claim(code, node.where, seen)
    values: dict[str, object] = {
        "impact_measure": _lookup(node, "impact_measure", context.measures),
        "title": node.text("title"),
        "definition": node.text("definition", required=False),
        "lead_portfolio": _lookup(node, "lead_portfolio", context.portfolios, required=False),
        "unit": node.choice("unit", list(Indicator.Unit.values)),
        "decimal_places": _decimal_places(node),
        "polarity": node.choice("polarity", list(Indicator.Polarity.values)),
        "frequency": node.choice("frequency", list(Indicator.Frequency.values)),
        "cumulative": node.flag("cumulative"),
        "seasonal": node.flag("seasonal"),
        "data_source": node.text("data_source", required=False),
        "source_statement": node.text("source_statement", required=False),
        "first_year": node.number("first_year"),
        "last_year": node.number("last_year", required=False),
        "position": position,
    }
    if node.has("baseline"):
        values.update(_baseline(node))
    initial = {
        "status": node.choice("status", list(Indicator.Status.values)),
        "is_public": node.flag("public", default=True),
    }
    themes = [
        theme
        for slug in node.texts("themes")
        if (theme := _lookup_name(node, "themes", slug, context.themes)) is not None
    ]
    indicator = save_if_valid(
        node, mark, Indicator, {"code": code}, values, report, initial=initial
    )
    if indicator is None:
        return
    set_related(indicator.themes, themes, report, "indicator themes")
    _targets_load(node, indicator, context, report)
    _trajectories_load(node, indicator, report)


def _targets_load(node: Node, indicator: Indicator, context: _Context, report: LoadReport) -> None:
    periods: dict[str, str] = {}
    for item in node.children("targets", label="period"):
        mark = node.problems.mark()
        item.allow_keys("period", "value", "upper", "tolerance")
        period_code = str(item.data.get("period", ""))
        item.problems.claim(period_code, item.where, periods)
        period = _lookup_name(item, "period", period_code, context.periods)
        values = {"value": item.decimal("value"), "upper": None}
        if item.has("upper"):
            values["upper"] = item.decimal("upper")
        # A tolerance not in the file is the performance team's to set: a reload keeps it.
        if item.has("tolerance"):
            values["tolerance"] = item.decimal("tolerance")
        save_if_valid(
            item, mark, Target, {"indicator": indicator, "period": period}, values, report
        )


def _trajectories_load(node: Node, indicator: Indicator, report: LoadReport) -> None:
    for item in node.children("trajectories", label="due_date"):
        mark = node.problems.mark()
        item.allow_keys("start_date", "start_value", "due_date", "value")
        start, due = item.date("start_date"), item.date("due_date")
        if start and due and start >= due:
            item.problems.add(item.where, "start_date must come before due_date")
        save_if_valid(
            item,
            mark,
            TrajectoryTarget,
            {"indicator": indicator, "due_date": due},
            {
                "start_date": start,
                "start_value": item.decimal("start_value") if item.has("start_value") else None,
                "value": item.decimal("value"),
            },
            report,
        )


def _decimal_places(node: Node) -> int | None:
    places = node.number("decimal_places")
    if places is not None and places > 4:
        node.problems.add(node.where, f"'decimal_places' is {places}; at most 4")
    return places


def _baseline(node: Node) -> dict[str, object]:
    raw = node.data.get("baseline")
    if not isinstance(raw, dict):
        node.problems.add(
            node.where, "'baseline' must be a mapping like {value: 0, period: 2023/24}"
        )
        return {}
    baseline = Node(raw, f"{node.where} > baseline", node.problems)
    baseline.allow_keys("value", "period")
    return {
        "baseline_value": baseline.decimal("value"),
        "baseline_period": str(raw.get("period", "")),
    }


def _lookup(node: Node, key: str, rows: Mapping[str, T], *, required: bool = True) -> T | None:
    name = node.text(key, required=required)
    return _lookup_name(node, key, name, rows) if name else None


def _lookup_name(node: Node, key: str, name: str, rows: Mapping[str, T]) -> T | None:
    if name not in rows:
        node.problems.add(node.where, f"{key} {name!r} does not exist")
        return None
    return rows[name]


def periods_ensure(*, first_year: int, last_year: int, report: LoadReport) -> None:
    """Create any missing quarters and years; existing periods keep their state and deadline."""
    grace = timedelta(days=settings.READING_DEADLINE_DAYS)
    for financial_year in range(first_year, last_year + 1):
        for quarter in (1, 2, 3, 4):
            start, end = quarter_bounds(financial_year, quarter)
            _ensure(
                f"{year_code(financial_year)}-Q{quarter}",
                "quarter",
                financial_year,
                quarter,
                start,
                end,
                end + grace,
                report,
            )
        start, end = date(financial_year, 4, 1), date(financial_year + 1, 3, 31)
        _ensure(
            year_code(financial_year), "year", financial_year, None, start, end, end + grace, report
        )


def _ensure(
    code: str,
    kind: str,
    financial_year: int,
    quarter: int | None,
    start: date,
    end: date,
    deadline: date,
    report: LoadReport,
) -> None:
    values = {
        "kind": kind,
        "financial_year": financial_year,
        "quarter": quarter,
        "start": start,
        "end": end,
    }
    upsert(ReportingPeriod, {"code": code}, values, report, initial={"deadline": deadline})


def load_all(directory: Path) -> LoadReport:
    """Load every fixture below the folder, or raise FixtureError having changed nothing."""
    if not directory.is_dir():
        raise FixtureError([f"{directory}: no such folder of fixtures"])
    plan_dirs = sorted(p for p in (directory / "plan").glob("*") if (p / "plan.yaml").is_file())
    if not plan_dirs:
        raise FixtureError([f"{directory / 'plan'}: no plan folder with a plan.yaml"])
    problems = Problems()
    report = LoadReport()
    with transaction.atomic(), deferred(), milestone_scores.deferred():
        if (directory / "borough-plans.yaml").is_file():  # a council may have none
            borough_plans_load(
                path=directory / "borough-plans.yaml",
                base=directory,
                problems=problems,
                report=report,
            )
        for plan_dir in plan_dirs:
            plan_load(directory=plan_dir, base=directory, problems=problems, report=report)
        portfolios_load(
            path=directory / "portfolios.yaml", base=directory, problems=problems, report=report
        )
        for plan_dir in plan_dirs:
            if (plan_dir / "delivery.yaml").is_file():
                delivery_table_load(
                    path=plan_dir / "delivery.yaml",
                    base=directory,
                    problems=problems,
                    report=report,
                )
        # Earliest plan first: a later plan's indicators file may continue an earlier one's.
        plans = Plan.objects.filter(slug__in=[p.name for p in plan_dirs]).order_by("period_start")
        for plan in plans:
            periods_ensure(
                first_year=financial_year_of(plan.period_start),
                last_year=financial_year_of(plan.period_end),
                report=report,
            )
            indicators = directory / "indicators" / f"{plan.slug}.yaml"
            if indicators.exists():
                indicators_load(path=indicators, base=directory, problems=problems, report=report)
        if not problems.items:
            for further in FURTHER_LOADERS:
                further(directory=directory, problems=problems, report=report)
        problems.raise_if_any()
    return report
