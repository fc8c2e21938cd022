"""The demo's finance figures: synthetic, for every portfolio, approved by someone other than
their uploader, published with their quarters, the latest awaiting approval, and loaded once."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Sum

from ambitions.models import Plan
from core.roles import is_performance_team
from measures.models import ReportingPeriod
from portfolios.models import Portfolio
from resources.choices import FinanceKind, FinanceStatus, SavingRag
from resources.models import CapitalLine, FinanceEvent, FinanceReturn, RevenueLine, SavingItem
from resources.selectors import threshold_for

MILLION = Decimal(1_000_000)


@pytest.fixture
def demo(shared_plan: Plan, settings: object) -> Plan:
    """The plan with the demo loaded (in this test's savepoint)."""
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("load_demo", stdout=StringIO())
    return shared_plan


def open_period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(state=ReportingPeriod.State.OPEN)


def test_it_gives_every_portfolio_published_revenue_lines(demo: Plan) -> None:
    published = RevenueLine.objects.filter(finance_return__status=FinanceStatus.PUBLISHED)
    for portfolio in Portfolio.objects.all():
        assert published.filter(portfolio=portfolio).count() >= 2, portfolio.slug
    quarters = ReportingPeriod.objects.filter(
        kind=ReportingPeriod.Kind.QUARTER, state=ReportingPeriod.State.PUBLISHED
    )
    assert quarters.count() == 8
    for quarter in quarters:
        kinds = set(quarter.finance_returns.values_list("status", "kind"))
        assert kinds == {(FinanceStatus.PUBLISHED, kind) for kind in FinanceKind.values}


def test_every_return_is_synthetic_and_approved_by_someone_else(demo: Plan) -> None:
    returns = FinanceReturn.objects.select_related("submitted_by", "decided_by")
    assert returns.count() == 9 * 4
    assert not returns.filter(is_synthetic=False).exists()
    assert set(returns.values_list("source", flat=True)) == {"Synthetic demo data"}
    assert {r.submitted_by.username for r in returns if r.submitted_by} == {"finance"}
    assert not returns.filter(decided_by=F("submitted_by")).exists()
    decided = returns.exclude(status=FinanceStatus.SUBMITTED)
    assert decided.exists()
    assert all(r.decided_by is not None and is_performance_team(r.decided_by) for r in decided)


def test_the_latest_quarter_awaits_approval(demo: Plan) -> None:
    period = open_period()
    waiting = FinanceReturn.objects.filter(period=period)
    assert set(waiting.values_list("kind", "status")) == {
        (kind, FinanceStatus.SUBMITTED) for kind in FinanceKind.values
    }
    assert (
        not FinanceReturn.objects.exclude(period=period)
        .exclude(status=FinanceStatus.PUBLISHED)
        .exists()
    )


def test_its_figures_are_believable_and_explained(demo: Plan) -> None:
    period = open_period()
    lines = RevenueLine.objects.filter(finance_return__period=period)
    total = lines.aggregate(total=Sum("current_budget"))["total"]
    assert 250 * MILLION < total < 350 * MILLION
    threshold = threshold_for(period.financial_year)
    over = [line for line in lines if threshold.exceeded_by(line.variance, line.current_budget)]
    assert 3 <= len(over) < lines.count() / 2
    assert all(line.explanation for line in over)
    capital = CapitalLine.objects.filter(finance_return__period=period)
    assert 80 * MILLION < capital.aggregate(total=Sum("budget"))["total"] < 120 * MILLION
    assert capital.get(scheme__slug="weir-mill").name == "Weir Mill"
    slipping = [line for line in capital if line.slippage > 0]
    assert slipping and all(line.slippage_reason for line in slipping)
    savings = SavingItem.objects.filter(finance_return__period=period)
    rags = list(savings.values_list("rag", flat=True))
    assert rags.count(SavingRag.GREEN) > len(rags) / 2
    assert 1 <= rags.count(SavingRag.RED) <= 2 and SavingRag.AMBER in rags


def test_its_forecasts_move_from_quarter_to_quarter(demo: Plan) -> None:
    line = "Residential and nursing care"
    forecasts = list(
        RevenueLine.objects.filter(service_line=line, finance_return__period__financial_year=2024)
        .order_by("finance_return__period__start")
        .values_list("forecast_outturn", flat=True)
    )
    assert len(forecasts) == 4 and len(set(forecasts)) == 4


def test_loading_again_adds_and_changes_nothing(demo: Plan) -> None:
    def state() -> tuple[object, ...]:
        return (
            sorted(FinanceReturn.objects.values_list("pk", "status", "version")),
            RevenueLine.objects.count(),
            FinanceEvent.objects.count(),
        )

    before = state()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert state() == before
    assert "synthetic finance figures" in out.getvalue()
