"""The performance team's start page, and the navigation that groups their pages under it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from measures.services import reading_submit
from tests import factories as make

pytestmark = pytest.mark.django_db


def test_it_says_what_is_waiting_for_the_team(client: Client) -> None:
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    period = make.quarter(2025, 2)
    for _ in range(2):
        reading = make.draft(make.indicator(officer), period, "5", officer)
        reading_submit(reading=reading, by=officer, expected_version=reading.version)
    client.force_login(team)
    response = client.get(reverse("measures:team"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 readings waiting for approval." in html
    assert f"{period}, due " in html
    for name in ("approvals", "completion", "periods"):
        assert reverse(f"measures:{name}") in html


def test_it_is_for_the_performance_team_only(client: Client) -> None:
    client.force_login(make.user(Role.OFFICER))
    assert client.get(reverse("measures:team")).status_code == 403


def test_the_team_pages_share_one_navigation_item_and_sign_out_is_in_the_header(
    client: Client,
) -> None:
    client.force_login(make.user(Role.PERFORMANCE_TEAM, username="priya"))
    html = client.get(reverse("measures:approvals")).content.decode()
    navigation = html[
        html.index('id="navigation"') : html.index("</nav>", html.index('id="navigation"'))
    ]
    assert "Performance team" in navigation
    assert reverse("measures:completion") not in navigation
    active = re.search(r'item--active">\s*<a[^>]*>([^<]+)</a>', navigation)
    assert active and active.group(1) == "Performance team"
    header = html[html.index('<header class="govuk-header"') : html.index("</header>")]
    assert "priya" in header and "Sign out" in header
    assert "Sign out" not in navigation


def test_a_visitor_is_offered_sign_in_in_the_header(client: Client) -> None:
    html = client.get(reverse("accessibility")).content.decode()
    header = html[html.index('<header class="govuk-header"') : html.index("</header>")]
    assert reverse("login") in header and "Sign in" in header
