"""Saving, approving, returning and publishing finance figures: who may, what is kept, and
that bad figures save nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from core.roles import Role
from measures.models import ReportingPeriod
from measures.services import period_publish
from portfolios.models import Portfolio
from resources.models import FinanceEvent, FinanceReturn, RevenueLine, SavingItem
from resources.permissions import MEMBERS, PUBLIC, WORKFLOW
from resources.rules import Figure
from resources.selectors import council_resources, portfolio_resources
from resources.services import (
    FiguresRefused,
    finance_approve,
    finance_figures_save,
    finance_return_back,
    threshold_set,
)
from tests import factories
from tests.resources.figures import capital, quarter_saved, reserve, revenue, saving

pytestmark = pytest.mark.django_db
Setting = tuple[ReportingPeriod, Portfolio, User, User]


@pytest.fixture
def setting() -> Setting:
    period = factories.quarter(2025, 2, state="closed")
    return (
        period,
        factories.portfolio("economy"),
        factories.user(Role.FINANCE_OFFICER),
        factories.user(Role.PERFORMANCE_TEAM),
    )


def test_a_quarter_saved_awaits_approval_and_the_public_sees_nothing_yet(setting: Setting) -> None:
    period, economy, finance, _team = setting
    (saved,) = quarter_saved(
        period,
        economy,
        finance,
        revenue=[revenue(economy, "2000000", "2150000", explanation="Demand")],
    )
    assert saved.status == "submitted" and saved.version == 1
    assert FinanceEvent.objects.get(finance_return=saved).action == "uploaded"
    assert portfolio_resources(portfolio=economy, period=period, audience=PUBLIC).revenue is None
    assert portfolio_resources(portfolio=economy, period=period, audience=MEMBERS).revenue is None
    shown = portfolio_resources(portfolio=economy, period=period, audience=WORKFLOW)
    assert shown.revenue and shown.revenue.variance == Decimal("150000.00")


def test_approval_shows_members_and_publication_shows_everyone(setting: Setting) -> None:
    period, economy, finance, team = setting
    (saved,) = quarter_saved(period, economy, finance)
    finance_approve(finance_return=saved, by=team, expected_version=1)
    assert portfolio_resources(portfolio=economy, period=period, audience=MEMBERS).revenue
    assert portfolio_resources(portfolio=economy, period=period, audience=PUBLIC).revenue is None
    period_publish(period=period, by=team)
    saved.refresh_from_db()
    assert saved.status == "published"
    assert portfolio_resources(portfolio=economy, period=period, audience=PUBLIC).revenue


def test_a_period_is_not_published_while_finance_figures_await_approval(setting: Setting) -> None:
    period, economy, finance, team = setting
    quarter_saved(period, economy, finance)
    with pytest.raises(ValidationError, match="1 finance return"):
        period_publish(period=period, by=team)
    period.refresh_from_db()
    assert period.state == "closed"


def test_nobody_approves_figures_they_uploaded(setting: Setting) -> None:
    period, economy, _finance, team = setting
    (saved,) = quarter_saved(period, economy, team)
    with pytest.raises(PermissionDenied, match="another member"):
        finance_approve(finance_return=saved, by=team, expected_version=1)
    saved.refresh_from_db()
    assert saved.status == "submitted"


def test_only_the_performance_team_decides(setting: Setting) -> None:
    period, economy, finance, _team = setting
    (saved,) = quarter_saved(period, economy, finance)
    for person in (finance, factories.user(Role.OFFICER), factories.user(Role.COUNCILLOR)):
        with pytest.raises(PermissionDenied):
            finance_approve(finance_return=saved, by=person, expected_version=1)


def test_a_decision_on_figures_since_replaced_is_refused(setting: Setting) -> None:
    period, economy, finance, team = setting
    (saved,) = quarter_saved(period, economy, finance)
    quarter_saved(period, economy, finance, revenue=[revenue(economy, "1000000", "1005000")])
    with pytest.raises(ValidationError, match="version 2"):
        finance_approve(finance_return=saved, by=team, expected_version=1)


def test_returning_needs_a_note_and_replacing_keeps_the_old_lines(setting: Setting) -> None:
    period, economy, finance, team = setting
    (saved,) = quarter_saved(period, economy, finance)
    with pytest.raises(ValidationError, match="Say what needs correcting"):
        finance_return_back(finance_return=saved, by=team, note="  ", expected_version=1)
    finance_return_back(
        finance_return=saved, by=team, note="Q2 forecast missing", expected_version=1
    )
    (again,) = quarter_saved(
        period, economy, finance, revenue=[revenue(economy, "1000000", "990000")]
    )
    assert again.pk == saved.pk and again.status == "submitted" and again.version == 3
    replaced = again.events.get(action="replaced").replaced
    assert replaced[0]["forecast_outturn"] == "1000000"
    assert RevenueLine.objects.get(finance_return=again).forecast_outturn == Decimal("990000")


def test_bad_figures_save_nothing_and_say_why(setting: Setting) -> None:
    period, economy, finance, _team = setting
    quarter_saved(period, economy, finance, savings=[saving(economy)])
    figures: dict[str, list[Figure]] = {
        "revenue": [revenue(economy, "1000000", "1500000")],  # over the threshold, unexplained
        "savings": [saving(economy, "S1", "-5")],  # a negative saving
        "capital": [capital(economy, "C1"), capital(economy, "c1")],  # the same reference twice
    }
    with pytest.raises(FiguresRefused) as refused:
        finance_figures_save(
            period=period, figures=figures, by=finance, today=period.end + timedelta(5)
        )
    said = " ".join(refused.value.problems)
    assert "over the threshold" in said and "cannot be negative" in said and "as row 1" in said
    assert not RevenueLine.objects.exists()
    assert SavingItem.objects.get().target_saving == Decimal("100000")  # the saved one is kept


def test_a_quarter_still_running_is_refused(setting: Setting) -> None:
    period, economy, finance, _team = setting
    with pytest.raises(FiguresRefused, match="does not end until"):
        finance_figures_save(
            period=period, figures={"revenue": [revenue(economy)]}, by=finance, today=period.end
        )


def test_a_quarter_before_an_approved_one_is_out_of_order(setting: Setting) -> None:
    period, economy, finance, team = setting
    later = factories.quarter(2025, 3, state="closed")
    (q3,) = quarter_saved(later, economy, finance)
    finance_approve(finance_return=q3, by=team, expected_version=1)
    with pytest.raises(FiguresRefused, match="approved already"):
        quarter_saved(period, economy, finance)


def test_a_published_quarter_cannot_change(setting: Setting) -> None:
    period, economy, finance, team = setting
    period_publish(period=period, by=team)
    with pytest.raises(FiguresRefused, match="is published"):
        quarter_saved(period, economy, finance)


def test_figures_changed_since_they_were_read_are_refused(setting: Setting) -> None:
    period, economy, finance, _team = setting
    quarter_saved(period, economy, finance)
    with pytest.raises(FiguresRefused, match="changed after this file was uploaded"):
        finance_figures_save(
            period=period,
            figures={"revenue": [revenue(economy, "5", "5")]},
            by=finance,
            expected_versions={},  # read when there was no return
            today=period.end + timedelta(5),
        )
    assert RevenueLine.objects.get().current_budget == Decimal("1000000")


def test_only_finance_and_the_team_give_figures(setting: Setting) -> None:
    period, economy, _finance, _team = setting
    for role in (Role.OFFICER, Role.COUNCILLOR, Role.SCRUTINY_MEMBER, Role.ADMINISTRATOR, None):
        with pytest.raises(PermissionDenied):
            quarter_saved(period, economy, factories.user(role))
    assert not FinanceReturn.objects.exists()


def test_the_threshold_the_team_sets_is_the_one_judged_by(setting: Setting) -> None:
    period, economy, finance, team = setting
    threshold_set(financial_year=2025, amount=Decimal(1_000_000), percent=None, by=team)
    (saved,) = quarter_saved(
        period, economy, finance, revenue=[revenue(economy, "1000000", "1500000")]
    )
    assert saved.status == "submitted"  # £500k is within £1m: no explanation needed
    with pytest.raises(ValidationError):
        threshold_set(financial_year=2025, amount=None, percent=None, by=team)
    with pytest.raises(PermissionDenied):
        threshold_set(financial_year=2025, amount=Decimal(1), percent=None, by=finance)


def test_council_resources_sum_every_portfolio_and_the_reserves(setting: Setting) -> None:
    period, economy, finance, _team = setting
    health = factories.portfolio("health")
    quarter_saved(
        period,
        economy,
        finance,
        revenue=[
            revenue(economy, "2000000", "2000000"),
            revenue(health, "3000000", "3050000", explanation="Demand"),
        ],
        savings=[saving(economy, "S1", "100", "50", "amber")],
        capital=[capital(health, "C1", "10", "2", "8", reason="Contractor late")],
        reserves=[reserve()],
    )
    council = council_resources(period=period, audience=WORKFLOW)
    assert council.revenue and council.revenue.variance == Decimal("50000")
    assert council.reserves_forecast_closing == Decimal("12500000")
    assert [r.portfolio for r in council.by_portfolio] == [economy, health]
    assert council.by_portfolio[1].capital_total.slippage == Decimal("2")
    assert council.savings_sentence == "£50 of £100 forecast to be delivered; 1 saving at risk."
    trend = portfolio_resources(portfolio=health, period=period, audience=WORKFLOW).trend
    assert [(p.period.quarter, p.forecast) for p in trend] == [(2, Decimal("3050000"))]


def test_slipping_capital_needs_a_reason_and_the_refusal_names_the_amount(setting: Setting) -> None:
    period, economy, finance, _team = setting
    with pytest.raises(FiguresRefused) as refused:
        quarter_saved(
            period, economy, finance, capital=[capital(economy, "C1", "5000000", "1", "4650000")]
        )
    assert refused.value.problems == [
        "Capital programme, row 1, slippage_reason: £350k of the budget is forecast to slip: "
        "give the reason."
    ]
    (saved,) = quarter_saved(
        period,
        economy,
        finance,
        capital=[capital(economy, "C1", "5000000", "1", "4650000", reason="Late start")],
    )
    assert saved.capital_lines.get().slippage == Decimal("350000")


def test_an_unexplained_variance_is_refused_with_its_size_and_the_threshold(
    setting: Setting,
) -> None:
    period, economy, finance, _team = setting
    with pytest.raises(FiguresRefused) as refused:
        quarter_saved(period, economy, finance, revenue=[revenue(economy, "2000000", "2150000")])
    assert refused.value.problems == [
        "Revenue budget, row 1, explanation: the variance of +£150k (7.5% of the budget) is over "
        "the threshold (more than £100k or more than 1% of the current budget): explain what "
        "causes it and what is being done."
    ]
    assert not FinanceReturn.objects.exists()
