"""What a dashboard shows first: the summary and what needs attention, the filters folded
away, a six-column table, and no lead-portfolio filter on a portfolio's own dashboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from measures.services import period_close, period_publish, reading_approve, reading_submit
from tests import factories as make

pytestmark = pytest.mark.django_db


def _published(indicator: Any, period: Any, value: str, officer: Any, team: Any) -> None:
    reading = make.draft(
        indicator,
        period,
        value,
        officer,
        commentary="Fewer sites came forward.",
        corrective_action="Two sites brought forward.",
    )
    reading = reading_submit(reading=reading, by=officer, expected_version=reading.version)
    reading_approve(reading=reading, by=team, expected_version=reading.version)


@pytest.fixture
def world() -> dict[str, Any]:
    """Two published quarters: one indicator off target and worse, one on target and better."""
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    q1, q2 = make.quarter(2025, 1), make.quarter(2025, 2)
    falling = make.indicator(officer, title="Falling homes built")
    rising = make.indicator(officer, title="Rising jobs created")
    for period in (q1, q2):
        make.target(falling, period, "100")
        make.target(rising, period, "100")
    _published(falling, q1, "90", officer, team)
    _published(rising, q1, "100", officer, team)
    _published(falling, q2, "80", officer, team)
    _published(rising, q2, "120", officer, team)
    for period in (q1, q2):
        period_close(period=period, by=team)
        period_publish(period=period, by=team)
    return {"falling": falling, "rising": rising, "q1": q1, "q2": q2}


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_puts_the_summary_and_what_needs_attention_before_the_table(
    client: Client, world: dict[str, Any]
) -> None:
    html = _page(client, reverse("dashboards:plan") + "?period=" + world["q2"].code)
    summary, attention, table = (
        html.index('id="summary"'),
        html.index('id="attention"'),
        html.index('id="indicators"'),
    )
    assert summary < attention < table
    needs = html[attention:table]
    assert "Falling homes built" in needs and "Rising jobs created" not in needs
    assert "80 against a target of 100, worse than 90 in 2025/26 Q1" in needs
    assert "All 1 off target" in needs


def test_it_folds_the_filters_away_until_one_is_set(client: Client, world: dict[str, Any]) -> None:
    url = reverse("dashboards:plan") + "?period=" + world["q2"].code
    folded = _page(client, url)
    assert re.search(r'<details class="govuk-details app-filter-panel">', folded)
    assert "Clear filters" not in folded
    unfolded = _page(client, url + "&q=Rising")
    assert '<details class="govuk-details app-filter-panel" open>' in unfolded
    assert "Filter the indicators (1 filter set)" in unfolded
    assert "Summary for 2025/26 Q2: the indicators matching the filters" in unfolded
    assert "Clear filters" in unfolded
    attention = unfolded[unfolded.index('id="attention"') : unfolded.index('id="indicators"')]
    assert "No indicator matching the filters is off target" in attention


def test_it_shows_six_columns_and_the_figure_the_direction_is_judged_from(
    client: Client, world: dict[str, Any]
) -> None:
    html = _page(client, reverse("dashboards:plan") + "?period=" + world["q2"].code)
    table = html[html.index("app-dashboard-table") :]
    headers = re.findall(r'<th scope="col"[^>]*>\s*(?:<a[^>]*>)?([A-Za-z]+)', table)
    assert headers[:6] == ["Indicator", "Status", "Latest", "Target", "Direction", "Trend"]
    assert re.search(r"Improved since 2025/26 Q1<br>\s*<span[^>]*>from 100<", table)
    assert 'data-label="Status"' in table


def test_a_portfolio_dashboard_has_no_lead_portfolio_filter(
    client: Client, world: dict[str, Any]
) -> None:
    portfolio = world["falling"].lead_portfolio
    own = _page(client, reverse("dashboards:portfolio", args=[portfolio.slug]))
    assert 'name="portfolio"' not in own
    assert 'name="portfolio"' in _page(client, reverse("dashboards:plan"))
