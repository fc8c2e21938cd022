"""The performance team's periods and completion pages in a real browser, on the demo data:
the skipped quarter is warned about, closing and publishing are confirmed, the completion page
chases, and every page (confirmations included) passes axe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import violations


@pytest.fixture
def team(browser: Any, live_server: Any, demo: dict) -> Iterator[Any]:
    """A page signed in as the performance team, where axe's script may run."""
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "performance", demo["password"])
    yield page
    context.close()


def test_the_periods_page_warns_of_a_skipped_quarter_and_confirms_close(team: Any) -> None:
    page = team
    page.goto("/performance/periods/")
    # The demo opens the latest ended quarter (2026/27 Q2) and never opened the one before.
    expect(page.locator("#skipped")).to_contain_text(
        "2026/27 Q1 ended on 30 June 2026 and was never opened"
    )
    row = page.locator("tr", has=page.locator("th", has_text=re.compile(r"^\s*2026/27 Q2\s*$")))
    row.get_by_role("button", name=re.compile("^Close")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close 2026/27 Q2")
    page.get_by_role("link", name="Cancel").click()
    expect(row.locator(".govuk-tag").first).to_have_text("Open")  # nothing changed
    assert violations(page) == []


def test_the_confirmation_pages_have_no_wcag_22_aa_violation(team: Any) -> None:
    page = team
    found = {}
    for url in (
        "/performance/periods/2026-27-Q2/close/",
        "/performance/periods/2025-26-Q4/publish/",
        "/performance/periods/2026-27-Q4/open/",
        "/performance/completion/?period=2026-27-Q1",
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if problems := violations(page):
            found[url] = problems
    page.goto("/performance/periods/2026-27-Q4/open/")
    page.get_by_role("button", name="Open 2026/27 Q4 early").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("give the reason")
    page.locator(".govuk-error-summary a").click()
    expect(page.get_by_label("Open 2026/27 Q4 early")).to_be_focused()
    if problems := violations(page):
        found["open early, refused"] = problems
    assert found == {}


def test_the_completion_page_totals_and_chases(team: Any) -> None:
    page = team
    mail.outbox.clear()  # the demo's reports have told their committees' members already
    page.goto("/performance/completion/")
    expect(page.locator("#completion-total")).to_contain_text("All portfolios")
    expect(page.locator("#completion-total")).to_contain_text("%")
    page.get_by_role("button", name="Send a reminder now to everyone who owes a return").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(re.compile(r"Reminder sent to \d+ (person|people)\."))
    page.get_by_role("button", name="Send a reminder now to everyone who owes a return").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        "Already reminded today:"
    )
    assert violations(page) == []
    assert mail.outbox and all(m.subject.startswith("Please send") for m in mail.outbox)
