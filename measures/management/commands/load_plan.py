"""Load the plan, its partnership plans and portfolios from the fixture files, idempotently."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.fixtures import FixtureError
from measures.loaders import load_all


class Command(BaseCommand):
    help = (
        "Load the council plan from the YAML fixtures (see fixtures/README.md). Safe to run "
        "again: unchanged files change nothing, and a file with a mistake changes nothing at all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=settings.PLAN_FIXTURES_DIR,
            help="Folder of fixtures (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        try:
            report = load_all(directory)
        except FixtureError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(
                f"The plan was not loaded: {len(error.problems)} problem(s) in {directory}. "
                f"Nothing was changed.\n{lines}"
            ) from None
        for line in report.lines():
            self.stdout.write(f"  {line}")
        verdict = "Plan loaded." if report.changed else "Plan already up to date: nothing changed."
        self.stdout.write(self.style.SUCCESS(verdict))
