"""The order in which fixture files are loaded, all in one transaction."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from ambitions.models import Plan
from ambitions.services import borough_plans_load, plan_load
from core.fixtures import FixtureError, Problems
from core.upsert import LoadReport
from measures.indicator_loader import indicators_load
from measures.periods import financial_year_of, periods_ensure
from portfolios.services import portfolios_load


def load_all(directory: Path) -> LoadReport:
    """Load every fixture below the folder, or raise FixtureError having changed nothing."""
    if not directory.is_dir():
        raise FixtureError([f"{directory}: no such folder of fixtures"])
    plan_dirs = sorted(p for p in (directory / "plan").glob("*") if (p / "plan.yaml").is_file())
    if not plan_dirs:
        raise FixtureError([f"{directory / 'plan'}: no plan folder with a plan.yaml"])
    problems = Problems()
    report = LoadReport()
    with transaction.atomic():
        borough_plans_load(
            path=directory / "borough-plans.yaml", base=directory, problems=problems, report=report
        )
        for plan_dir in plan_dirs:
            plan_load(directory=plan_dir, base=directory, problems=problems, report=report)
        portfolios_load(
            path=directory / "portfolios.yaml", base=directory, problems=problems, report=report
        )
        for plan in Plan.objects.filter(slug__in=[p.name for p in plan_dirs]):
            periods_ensure(
                first_year=financial_year_of(plan.period_start),
                last_year=financial_year_of(plan.period_end),
                report=report,
            )
            indicators = directory / "indicators" / f"{plan.slug}.yaml"
            if indicators.exists():
                indicators_load(path=indicators, base=directory, problems=problems, report=report)
        problems.raise_if_any()
    return report
