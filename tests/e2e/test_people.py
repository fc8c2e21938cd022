"""The performance team hands an officer's indicators to a colleague on the people pages, in
a browser, and the pages pass axe with and without errors."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import violations


def test_the_team_gives_olivias_indicators_to_omar_while_she_is_away(
    browser: Any, live_server: Any, demo: dict
) -> None:
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)  # for axe
    page = context.new_page()
    sign_in(page, "performance", demo["password"])
    page.get_by_role("link", name="Performance team").click()
    page.get_by_role("link", name="People").click()
    assert violations(page) == []
    page.get_by_role("link", name="Olivia Officer (demo)").click()
    page.get_by_role("button", name="Give them").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who to give them to")
    assert violations(page) == []
    page.get_by_label("Give them to").select_option(label="Omar Officer (demo) (officer2)")
    page.get_by_label("A delegate, beside the owner").check()
    page.get_by_label("Why").first.fill("On leave until 3 March")
    page.get_by_role("button", name="Give them").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Omar Officer (demo) is now a delegate of"
    )
    history = page.get_by_role("table", name="Changes to the indicators")
    expect(history).to_contain_text("On leave until 3 March")
    # Her schemes and milestones have a history of their own beside it.
    expect(page.get_by_role("table", name="Changes that gave Olivia")).to_be_visible()
    assert violations(page) == []
    context.close()
