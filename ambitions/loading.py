"""The order in which fixture files are loaded, all in one transaction."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from ambitions.fixture_reader import FixtureError, Problems
from ambitions.services import borough_plans_load, plan_load
from ambitions.upsert import LoadReport
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
        problems.raise_if_any()
    return report
