"""Load fixtures/agreements/<plan>.yaml: the agreements as far as the plan states them. An
agreement not yet in the database is created (version 1, every indicator its portfolio leads
that year, the file's targets) and put in force; one already there is the performance team's
and is left as it is (they change it by amendment)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from agreements.models import AgreedMeasure, Agreement, AgreementVersion
from agreements.selectors import candidates_for
from agreements.services import fixture_agree
from ambitions.models import Plan
from core.fixtures import Node, Problems, read_yaml
from core.upsert import LoadReport
from measures.models import Indicator
from portfolios.models import Portfolio

KIND = "agreements"


def agreements_load(*, directory: Path, problems: Problems, report: LoadReport) -> None:
    for path in sorted((directory / "agreements").glob("*.yaml")):
        _file_load(path, directory, problems, report)


def _file_load(path: Path, base: Path, problems: Problems, report: LoadReport) -> None:
    document = read_yaml(path, base, problems)
    if document is None:
        return
    mark = problems.mark()
    document.allow_keys("plan", "years", "decided_by", "introduction", "targets")
    if not Plan.objects.filter(slug=document.text("plan")).exists():
        problems.add(document.where, f"plan {document.data.get('plan')!r} is not loaded")
        return
    years = _years(document)
    decided_by = document.text("decided_by")
    introduction = document.text("introduction", required=False)
    targets = _targets(document, years)
    if problems.since(mark):
        return
    led = set(
        Indicator.objects.exclude(lead_portfolio=None).values_list("lead_portfolio", flat=True)
    )
    for portfolio in Portfolio.objects.filter(pk__in=led).order_by("position"):
        for year in years:
            _agreement_load(portfolio, year, introduction, decided_by, targets, report)


def _years(document: Node) -> list[int]:
    years = document.data.get("years")
    if (
        not isinstance(years, list)
        or not years
        or not all(
            isinstance(y, int) and not isinstance(y, bool) and 2000 <= y <= 2100 for y in years
        )
    ):
        document.problems.add(document.where, "'years' must be a list of years like [2024, 2025]")
        return []
    return sorted(set(years))


def _targets(document: Node, years: list[int]) -> dict[tuple[str, int], tuple[Decimal | None, str]]:
    """(indicator code, year) -> (annual target or None, note)."""
    codes = set(Indicator.objects.values_list("code", flat=True))
    targets: dict[tuple[str, int], tuple[Decimal | None, str]] = {}
    for item in document.children("targets", label="indicator"):
        item.allow_keys("indicator", "years", "target", "note")
        code = item.text("indicator")
        if code and code not in codes:
            item.problems.add(item.where, f"indicator {code!r} does not exist")
        item_years = item.data.get("years")
        if not isinstance(item_years, list) or not set(item_years) <= set(years) or not item_years:
            item.problems.add(item.where, f"'years' must be a list drawn from {years}")
            continue
        target = item.decimal("target") if item.has("target") else None
        for year in item_years:
            if (code, year) in targets:
                item.problems.add(item.where, f"{code} is given twice for {year}")
            targets[(code, year)] = (target, item.text("note", required=False))
    return targets


def _agreement_load(
    portfolio: Portfolio,
    year: int,
    introduction: str,
    decided_by: str,
    targets: dict[tuple[str, int], tuple[Decimal | None, str]],
    report: LoadReport,
) -> None:
    agreement, created = Agreement.objects.get_or_create(portfolio=portfolio, financial_year=year)
    if not created and agreement.versions.exists():
        report.unchanged[KIND] += 1
        return
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=1,
        effective_from=agreement.year_start,
        introduction=introduction,
    )
    measures = []
    for indicator in candidates_for(version):
        target, note = targets.get((indicator.code, year), (None, ""))
        measures.append(
            AgreedMeasure(
                version=version,
                indicator=indicator,
                target=target,
                polarity=indicator.polarity,
                note=note,
            )
        )
    AgreedMeasure.objects.bulk_create(measures)
    fixture_agree(version=version, decided_by=decided_by)
    report.created[KIND] += 1
