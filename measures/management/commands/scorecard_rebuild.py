"""Judge every score afresh, say which stored ones were wrong, and store the right ones."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from measures.services.milestone_scores import milestone_scores_refresh
from measures.services.scorecard import scorecard_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the stored scorecard from the readings, targets and indicators, and report "
        "every score it had to correct (there should be none)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = scorecard_rebuild()
        for line in result.corrections[:50]:
            self.stdout.write(f"  corrected {line}")
        if len(result.corrections) > 50:
            self.stdout.write(f"  … and {len(result.corrections) - 50} more")
        verdict = (
            f"{result.written:,} scores judged; {len(result.corrections):,} corrected, "
            f"{result.added:,} added."
        )
        style = self.style.WARNING if result.corrections else self.style.SUCCESS
        self.stdout.write(style(verdict))
        milestones = milestone_scores_refresh()
        self.stdout.write(self.style.SUCCESS(f"{milestones:,} milestone scores judged."))
