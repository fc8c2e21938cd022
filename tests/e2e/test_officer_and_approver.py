"""In a real browser: an officer submits only the readings they choose, after checking them;
the performance team selects all, filters the queue and returns a reading with its own note."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from measures.models import Reading
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import AXE, WCAG_22_AA


def violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations, run through the browser's console (a page's CSP
    rightly refuses it as an inline script)."""
    page.evaluate(AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})" for v in result["violations"]]


def test_an_officer_submits_exactly_the_two_readings_they_ticked(page: Any, demo: dict) -> None:
    sign_in(page, "officer", demo["password"])
    # Ticked by default and already entered (a row not yet started has a hint saying so).
    ready = page.locator("input[name='chosen']:checked:not([aria-describedby])")
    assert ready.count() >= 3, "the demo gives the officer drafts ready to submit"
    codes = [ready.nth(n).get_attribute("value") for n in range(2)]
    for box in page.locator("input[name='chosen']").all():
        box.uncheck()
    for code in codes:
        page.locator(f"[id='chosen-{code}']").check()
    page.get_by_role("button", name="Check and submit for approval").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your readings before you submit them"
    )
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(2)
    for code in codes:
        expect(page.locator(f"[id='reading-{code}']")).to_contain_text(code or "")
    assert violations(page) == []
    page.get_by_role("button", name="Submit 2 readings for approval").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2 readings submitted for approval"
    )
    submitted_now = Reading.objects.filter(
        status="submitted", submitted_by__username="officer", indicator__code__in=codes
    )
    assert submitted_now.count() == 2


def test_the_check_page_says_what_went_wrong_when_nothing_is_ticked(page: Any, demo: dict) -> None:
    sign_in(page, "officer", demo["password"])
    for box in page.locator("input[name='chosen']").all():
        box.uncheck()
    page.get_by_role("button", name="Check and submit for approval").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Tick at least one reading to submit for approval")
    summary.get_by_role("link").first.click()
    expect(page.locator("input[name='chosen']").first).to_be_focused()


def test_the_performance_team_selects_all_filters_and_returns_one_with_its_own_note(
    page: Any, demo: dict
) -> None:
    sign_in(page, "performance", demo["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Readings awaiting approval")
    rows = page.locator("#queue tbody input[name='reading']")
    assert rows.count() >= 2, "the demo leaves readings waiting for approval"
    select_all = page.get_by_label("All", exact=True)
    expect(select_all).to_be_visible()  # shown only because the script runs
    select_all.check()
    for box in rows.all():
        expect(box).to_be_checked()
    rows.first.uncheck()
    expect(select_all).not_to_be_checked()
    select_all.check()
    expect(rows.first).to_be_checked()
    select_all.uncheck()
    for box in rows.all():
        expect(box).not_to_be_checked()

    # Filter by the first portfolio that has readings waiting.
    first_portfolio = page.locator("#queue tbody .app-queue-portfolio").first.inner_text()
    page.get_by_label("Lead portfolio").select_option(label=first_portfolio)
    page.get_by_role("button", name="Show").click()
    for hint in page.locator("#queue tbody .app-queue-portfolio").all():
        expect(hint).to_have_text(first_portfolio)

    reading_pk = int(
        page.locator("#queue tbody input[name='reading']").first.get_attribute("value")
    )
    page.locator(f"#reading-{reading_pk}").check()
    page.locator(f"#note-{reading_pk}").fill("This looks like last year's figure")
    page.get_by_role("button", name="Return selected", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "1 reading(s) returned"
    )
    assert re.search(r"portfolio=\d+", page.url)  # the filter is kept
    returned = Reading.objects.get(pk=reading_pk)
    assert (returned.status, returned.return_note) == (
        "returned",
        "This looks like last year's figure",
    )


def test_a_refused_decision_keeps_the_ticks_and_is_accessible(page: Any, demo: dict) -> None:
    sign_in(page, "performance", demo["password"])
    boxes = page.locator("#queue tbody input[name='reading']")
    picked = [boxes.nth(n).get_attribute("value") for n in range(2)]
    for pk in picked:
        page.locator(f"#reading-{pk}").check()
    page.get_by_role("button", name="Return selected", exact=True).click()  # no note anywhere
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say what the officer needs to change")
    for pk in picked:
        expect(page.locator(f"#reading-{pk}")).to_be_checked()
    assert violations(page) == []
    assert not Reading.objects.filter(status="returned", pk__in=picked).exists()
