"""The dashboards' Resources panels and a scheme's capital money: who is shown which figures
(awaiting approval, approved, published), the council's totals and reserves, and that a cached
page for the public changes when finance figures are published."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from core.roles import Role
from measures.models import ReportingPeriod
from measures.permissions import audience_key
from measures.services import period_close, period_publish
from resources.models import FinanceReturn
from resources.services import finance_approve, finance_figures_save
from tests import factories as make
from tests.ambitions.test_pages import assert_accessible_structure
from tests.dashboards.test_scheme_pages import approved, scheme_url
from tests.resources.figures import capital, quarter_saved, reserve, revenue, saving

pytestmark = pytest.mark.django_db
SENTENCE = "Forecast to overspend by £150k (7.5% of the £2m budget)."
NOTHING = "No finance figures have been published for this quarter yet."


def text_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def world() -> dict[str, Any]:
    """A closed quarter with economy's revenue, savings and capital, and the council's
    reserves, saved by finance and so awaiting approval."""
    period = make.quarter(2025, 2, state="closed")
    economy = make.portfolio("economy")
    finance, team = make.user(Role.FINANCE_OFFICER), make.user(Role.PERFORMANCE_TEAM)
    saved = quarter_saved(
        period,
        economy,
        finance,
        revenue=[
            revenue(
                economy,
                "2000000",
                "2150000",
                original="1900000",
                service_line="Children's placements",
                explanation="More children in residential care",
            )
        ],
        savings=[saving(economy, "S7", "300000", "120000", "red")],
        capital=[capital(economy, "C4", "5000000", "1200000", "4000000", reason="Planning delay")],
        reserves=[reserve()],
    )
    return {"period": period, "economy": economy, "finance": finance, "team": team, "saved": saved}


def approve_all(world: dict[str, Any]) -> None:
    for finance_return in world["saved"]:
        finance_approve(finance_return=finance_return, by=world["team"], expected_version=1)


def test_it_shows_the_team_figures_awaiting_approval_labelled_so(world) -> None:
    # (A finance officer is shown them too, in the quarters the dashboards offer them: see
    # the cached-page test below.)
    response = signed_in(world["team"]).get("/portfolios/economy/dashboard/")
    html = response.content.decode()
    assert_accessible_structure(html)
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    assert SENTENCE in text
    assert "Awaiting approval: some of these figures have not been approved" in text
    assert "£2m (originally £1.9m)" in text and "Forecast outturn £2.2m" in text
    assert "Children's placements" in text and "More children in residential care" in text
    assert "£120k of £300k forecast to be delivered; 1 will not be delivered in full." in text
    assert "S7 Saving S7" in text and "Will not be delivered in full" in text
    assert "£1.2m spent of a £5m budget for the year" in text and "Planning delay" in text
    assert 'role="img"' in html and "Scale starts at £0" in html


def test_members_see_the_figures_only_once_approved(world) -> None:
    member = signed_in(make.user(Role.COUNCILLOR))
    text = text_of(member, "/portfolios/economy/dashboard/")
    assert NOTHING in text and SENTENCE not in text
    approve_all(world)
    text = text_of(member, "/portfolios/economy/dashboard/")
    assert SENTENCE in text and "Awaiting approval" not in text


def test_the_public_see_the_figures_only_once_published(world) -> None:
    approve_all(world)
    signed_in_resident = signed_in(make.user())
    assert SENTENCE not in text_of(signed_in_resident, "/portfolios/economy/dashboard/")
    period_publish(period=world["period"], by=world["team"])
    for client in (Client(), signed_in_resident):
        text = text_of(client, "/portfolios/economy/dashboard/")
        assert SENTENCE in text and "Awaiting approval" not in text


def test_the_plan_dashboard_sums_the_council_and_shows_its_reserves(world) -> None:
    make.impact_measure()  # the plan the dashboard is of
    health = make.portfolio("health")
    quarter_saved(
        world["period"],
        health,
        world["finance"],
        revenue=[
            revenue(world["economy"], "2000000", "2150000", explanation="Demand"),
            revenue(health, "3000000", "2900000", explanation="Vacancies"),
        ],
        reserves=[
            reserve("General fund"),
            reserve("Transformation", "4000000", "1000000", "500000"),
        ],
    )
    text = text_of(signed_in(world["team"]), "/dashboard/")
    assert "Forecast to overspend by £50k (1% of the £5m budget)." in text
    assert "Revenue budget by portfolio" in text
    assert "Variance Economy £2m £2.2m £150k over Health £3m £2.9m £100k under" in text
    assert "Opening balance £19m" in text and "Planned use £3m" in text
    assert "Forecast use £3m" in text and "Forecast closing balance £16m" in text
    assert "Transformation £4m £1m £500k £3.5m" in text


def test_a_scheme_page_shows_its_capital_line_beside_its_milestones(world) -> None:
    officer = make.user(Role.OFFICER)
    milestone = make.milestone(owner=officer, due_date=date(2025, 9, 30))
    ReportingPeriod.objects.filter(pk=world["period"].pk).update(state="open")
    world["period"].refresh_from_db()
    approved(milestone, world["period"], officer, world["team"], "on_track")
    period_close(period=world["period"], by=world["team"])
    scheme = milestone.scheme
    quarter_saved(
        world["period"],
        world["economy"],
        world["finance"],
        capital=[
            capital(
                world["economy"],
                "C9",
                "8000000",
                "3000000",
                "6500000",
                scheme=scheme,
                reason="Steel delivery delayed",
            ),
            capital(world["economy"], "C10", "1000000", "10", "1000000"),
        ],
    )
    text = text_of(signed_in(world["team"]), scheme_url(scheme))
    assert "Capital money as at 2025/26 Q2" in text
    assert "C9 Scheme C9 £8m £3m £6.5m £1.5m Steel delivery delayed" in text
    assert "C10" not in text
    assert "Awaiting approval" in text
    assert "Milestones" in text
    member = text_of(signed_in(make.user(Role.COUNCILLOR)), scheme_url(scheme))
    assert "C9 Scheme C9" not in member


def test_a_cached_public_dashboard_changes_when_finance_figures_are_published() -> None:
    economy = make.portfolio("economy")
    finance, team = make.user(Role.FINANCE_OFFICER), make.user(Role.PERFORMANCE_TEAM)
    q1, q2 = make.quarter(2025, 1, state="closed"), make.quarter(2025, 2, state="closed")
    period_publish(period=q1, by=team)
    public, url = Client(), "/portfolios/economy/dashboard/"
    assert NOTHING in text_of(public, url)
    assert NOTHING in text_of(public, url)  # now from the cache
    (saved,) = quarter_saved(
        q2, economy, finance, revenue=[revenue(economy, "2000000", "2150000", explanation="x")]
    )
    # Each audience's part of the page, at the same data version, is cached apart: a finance
    # officer (who is also an officer) and the team see the figures, a councillor does not.
    both = make.user(Role.OFFICER)
    both.groups.add(Group.objects.get_or_create(name=Role.FINANCE_OFFICER.value)[0])
    assert audience_key(both).startswith("finance-")
    for person in (both, team):
        assert SENTENCE in text_of(signed_in(person), f"{url}?period={q2.code}")
    councillor = signed_in(make.user(Role.COUNCILLOR))
    assert SENTENCE not in text_of(councillor, f"{url}?period={q2.code}")
    assert NOTHING in text_of(public, url)
    finance_approve(finance_return=saved, by=team, expected_version=1)
    assert SENTENCE in text_of(councillor, f"{url}?period={q2.code}")
    assert NOTHING in text_of(public, url)
    period_publish(period=q2, by=team)
    assert FinanceReturn.objects.get().status == "published"
    text = text_of(public, url)
    assert "Performance in 2025/26 Q2" in text
    assert SENTENCE in text and NOTHING not in text
    text = text_of(public, f"{url}?period={q1.code}")
    assert NOTHING in text and SENTENCE not in text


def test_demo_figures_are_labelled_synthetic() -> None:
    period = make.quarter(2025, 2, state="closed")
    economy = make.portfolio("economy")
    finance, team = make.user(Role.FINANCE_OFFICER), make.user(Role.PERFORMANCE_TEAM)
    finance_figures_save(
        period=period,
        figures={"revenue": [revenue(economy)]},
        by=finance,
        synthetic=True,
        today=period.end + timedelta(14),
    )
    text = text_of(signed_in(team), "/portfolios/economy/dashboard/")
    assert "Synthetic demo figures" in text
    assert "Forecast to spend exactly the £1m budget." in text
