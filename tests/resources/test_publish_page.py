"""The period's publish page says what finance publishes with it, and why it cannot yet."""

import pytest
from django.test import Client

from core.roles import Role
from resources.services import finance_approve
from tests import factories
from tests.resources.figures import quarter_saved

pytestmark = pytest.mark.django_db


def test_waiting_finance_figures_block_publishing_and_the_page_says_so(client: Client) -> None:
    period = factories.quarter(2025, 2, state="closed")
    finance = factories.user(Role.FINANCE_OFFICER)
    quarter_saved(period, factories.portfolio(), finance)
    client.force_login(factories.user(Role.PERFORMANCE_TEAM))
    page = client.get(f"/performance/periods/{period.code}/publish/")
    text = page.content.decode()
    assert "1 finance return(s) for 2025/26 Q2 still await approval" in text
    assert "Publish 2025/26 Q2</button>" not in text
    client.post(f"/performance/periods/{period.code}/publish/")
    period.refresh_from_db()
    assert period.state == "closed"


def test_approved_finance_figures_are_listed_as_published_with_the_period(client: Client) -> None:
    period = factories.quarter(2025, 2, state="closed")
    finance, team = factories.user(Role.FINANCE_OFFICER), factories.user(Role.PERFORMANCE_TEAM)
    (saved,) = quarter_saved(period, factories.portfolio(), finance)
    finance_approve(finance_return=saved, by=team, expected_version=1)
    client.force_login(team)
    text = client.get(f"/performance/periods/{period.code}/publish/").content.decode()
    assert "1 approved finance return: revenue budget." in text
    response = client.post(f"/performance/periods/{period.code}/publish/")
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.status == "published"
