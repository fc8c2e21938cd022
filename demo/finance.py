"""Synthetic finance figures for the demo: each portfolio's revenue budget and forecast, its
savings and capital schemes, and the council's reserves, for every quarter the demo has
readings for. Uploaded by the demo finance officer and approved by the performance team.

Every return is saved with synthetic=True, so every page that shows one says it is made up.
The figures (demo/finance.yaml) are in whole thousands of pounds and fixed, with a small wobble
seeded by the line and quarter: the same every run, drifting from quarter to quarter so the
trends show.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import User

from ambitions.models import Scheme
from measures.models import ReportingPeriod
from portfolios.models import Portfolio
from resources.choices import FinanceKind, FinanceStatus, SavingRag
from resources.models import FinanceReturn
from resources.rules import CapitalFigure, Figure, ReserveFigure, RevenueFigure, SavingFigure
from resources.selectors import threshold_for
from resources.services import finance_approve, finance_figures_save

SOURCE = "Synthetic demo data"
THOUSAND = Decimal(1000)
# How much of a line's full-year pressure (or a scheme's slippage) shows by each quarter, %.
PRESSURE_BY_QUARTER = {1: 60, 2: 85, 3: 100, 4: 90}
SLIPPAGE_BY_QUARTER = {1: 40, 2: 75, 3: 100, 4: 110}
SPENT_BY_QUARTER = {1: 15, 2: 38, 3: 62, 4: 97}
RAG_LETTER = {"G": SavingRag.GREEN, "A": SavingRag.AMBER, "R": SavingRag.RED}
DELIVERED_BY_RAG = {SavingRag.GREEN: 100, SavingRag.AMBER: 85, SavingRag.RED: 55}

STORY_FILE = Path(__file__).with_name("finance.yaml")


@cache
def story() -> dict[str, Any]:
    """The demo's made-up figures (demo/finance.yaml, which says what each part means)."""
    data: dict[str, Any] = yaml.safe_load(STORY_FILE.read_text(encoding="utf-8"))
    return data


def demo_finance_load(
    *,
    uploader: User,
    approver: User,
    published: Sequence[ReportingPeriod],
    current: ReportingPeriod | None,
    today: date,
) -> None:
    """Give every quarter its four synthetic returns: those of the quarters about to be
    published approved (so they are published with them), the current one's awaiting
    approval. Kinds already given are left alone, so it is safe to run again."""
    portfolios = {p.slug: p for p in Portfolio.objects.all()}
    named = [scheme["scheme"] for scheme in story()["capital"] if "scheme" in scheme]
    schemes = {s.slug: s for s in Scheme.objects.filter(slug__in=named)}
    quarters = sorted(
        (p for p in published if p.kind == ReportingPeriod.Kind.QUARTER and p.end < today),
        key=lambda p: p.start,
    )
    for period in quarters:
        _quarter_load(period, portfolios, schemes, uploader, today)
        for waiting in FinanceReturn.objects.filter(
            period=period, status=FinanceStatus.SUBMITTED, is_synthetic=True
        ):
            finance_approve(finance_return=waiting, by=approver, expected_version=waiting.version)
    if current is not None and current.end < today:
        _quarter_load(current, portfolios, schemes, uploader, today)


def _quarter_load(
    period: ReportingPeriod,
    portfolios: dict[str, Portfolio],
    schemes: dict[str, Scheme],
    uploader: User,
    today: date,
) -> None:
    """Save the kinds the quarter has no return for yet (none once it is published)."""
    period.refresh_from_db()
    if period.state == ReportingPeriod.State.PUBLISHED:
        return
    given = set(FinanceReturn.objects.filter(period=period).values_list("kind", flat=True))
    figures: dict[str, Sequence[Figure]] = {
        FinanceKind.REVENUE: revenue_figures(period, portfolios),
        FinanceKind.SAVINGS: saving_figures(period, portfolios),
        FinanceKind.CAPITAL: capital_figures(period, portfolios, schemes),
        FinanceKind.RESERVES: reserve_figures(period),
    }
    missing = {kind: rows for kind, rows in figures.items() if kind not in given and rows}
    if missing:
        finance_figures_save(
            period=period, figures=missing, by=uploader, source=SOURCE, synthetic=True, today=today
        )


def revenue_figures(
    period: ReportingPeriod, portfolios: dict[str, Portfolio]
) -> list[RevenueFigure]:
    """Each service line's budget (up 4% a year, with small in-year changes) and a forecast
    that carries its pressure, explained wherever it passes the threshold."""
    threshold = threshold_for(period.financial_year)
    years, quarter = period.financial_year - 2024, period.quarter or 1
    made = []
    for slug, lines in story()["revenue"].items():
        if slug not in portfolios:
            continue
        for line in lines:
            pressure_k, why = line.get("pressure", 0), line.get("why", "")
            original_k = line["budget"] * (100 + 4 * years) // 100
            current_k = original_k + original_k // 400 * min(quarter - 1, 2)
            limit = min(60, abs(current_k) // 200)  # under the threshold: half of 1%, £60k
            wobble = _rng(slug, line["line"], period).randint(-limit, limit)
            forecast_k = current_k + pressure_k * PRESSURE_BY_QUARTER[quarter] // 100 + wobble
            current, forecast = current_k * THOUSAND, forecast_k * THOUSAND
            over = threshold.exceeded_by(forecast - current, current)
            made.append(
                RevenueFigure(
                    portfolio=portfolios[slug],
                    service_line=line["line"],
                    original_budget=original_k * THOUSAND,
                    current_budget=current,
                    forecast_outturn=forecast,
                    explanation=why if over or pressure_k else "",
                )
            )
    return made


def saving_figures(period: ReportingPeriod, portfolios: dict[str, Portfolio]) -> list[SavingFigure]:
    """The year's savings programme, each item's RAG as the finance officer judges it."""
    year = f"{period.financial_year % 100:02d}"
    made = []
    for item in story()["savings"]:
        if item["portfolio"] not in portfolios:
            continue
        rag = RAG_LETTER[item["rag"][(period.quarter or 1) - 1]]
        delivered_k = item["target"] * DELIVERED_BY_RAG[rag] // 100
        made.append(
            SavingFigure(
                reference=f"S{year}-{item['reference']}",
                description=item["description"],
                portfolio=portfolios[item["portfolio"]],
                target_saving=item["target"] * THOUSAND,
                forecast_delivered=delivered_k * THOUSAND,
                rag=rag,
                note="" if rag == SavingRag.GREEN else "Mitigations are being worked up.",
            )
        )
    return made


def capital_figures(
    period: ReportingPeriod, portfolios: dict[str, Portfolio], schemes: dict[str, Scheme]
) -> list[CapitalFigure]:
    """The year's capital programme: spend to date rising, some schemes slipping."""
    quarter = period.quarter or 1
    made = []
    for line in story()["capital"]:
        if line["portfolio"] not in portfolios:
            continue
        budget_k, why = line["budget"], line.get("why", "")
        forecast_k = budget_k - line.get("slippage", 0) * SLIPPAGE_BY_QUARTER[quarter] // 100
        made.append(
            CapitalFigure(
                reference=line["reference"],
                name=line["name"],
                portfolio=portfolios[line["portfolio"]],
                scheme=schemes.get(line.get("scheme", "")),
                budget=budget_k * THOUSAND,
                spend_to_date=forecast_k * SPENT_BY_QUARTER[quarter] // 100 * THOUSAND,
                forecast=forecast_k * THOUSAND,
                slippage_reason=why if forecast_k < budget_k else "",
            )
        )
    return made


def reserve_figures(period: ReportingPeriod) -> list[ReserveFigure]:
    """The council's reserves: opening balances falling by each year's planned use."""
    years, quarter = period.financial_year - 2024, period.quarter or 1
    return [
        ReserveFigure(
            name=reserve["name"],
            opening_balance=max(reserve["opening"] - reserve["planned_use"] * years, 0) * THOUSAND,
            planned_use=reserve["planned_use"] * THOUSAND,
            forecast_use=(reserve["planned_use"] + reserve["drift"] * quarter) * THOUSAND,
            note=reserve["note"],
        )
        for reserve in story()["reserves"]
    ]


def _rng(*parts: object) -> random.Random:
    key = "/".join(str(getattr(part, "code", part)) for part in parts)
    return random.Random(key)  # noqa: S311 - demo data, not security
