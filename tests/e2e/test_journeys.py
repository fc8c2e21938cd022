"""The journeys that matter, in a real browser: officer, performance team, councillor,
scrutiny member and resident."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import sign_in


def test_an_officer_enters_a_quarter_fixes_an_error_and_submits(page: Any, demo: dict) -> None:
    sign_in(page, "officer", demo["password"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("My returns for")
    first_value = page.locator("input[name$='-value']").first
    first_value.fill("not a number")
    page.get_by_role("button", name="Check and submit for approval").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("must be a number")
    summary.get_by_role("link").first.click()
    expect(page.locator("input[name$='-value']").first).to_be_focused()
    page.locator("input[name$='-value']").first.fill("12")
    page.get_by_role("button", name="Check and submit for approval").click()
    # The milestone updates ready to submit are ticked by default, as ready readings are.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Check your readings( and milestone updates)? before you submit them$")
    )
    page.get_by_role(
        "button", name=re.compile(r"^Submit \d+ readings?( and .*)? for approval$")
    ).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "submitted for approval"
    )


def test_the_performance_team_approves_and_publishes(page: Any, demo: dict) -> None:
    sign_in(page, "performance", demo["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Readings awaiting approval")
    for box in page.locator("input[name='reading']").all():
        box.check()
    page.get_by_role("button", name="Approve selected", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("approved")
    # The quarter is published only once its milestone updates are decided too.
    for box in page.locator("input[name='milestone_update']").all():
        box.check()
    page.get_by_role("button", name="Approve selected updates").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("approved")
    expect(page.locator("input[name='milestone_update']")).to_have_count(0)
    # ...and its finance figures (uploaded by the finance officer) are approved too.
    page.get_by_role("link", name="Performance team").click()
    page.get_by_role("link", name="Finance figures").click()
    awaiting = page.locator("td", has=page.get_by_text("Awaiting approval", exact=True))
    for _ in range(4):
        awaiting.first.get_by_role("link").click()
        page.get_by_role("button", name="Approve the figures").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("approved")
    expect(awaiting).to_have_count(0)
    page.get_by_role("link", name="Performance team").click()
    page.get_by_role("link", name="Periods").click()
    row = page.locator("tr", has=page.locator("th", has_text=re.compile(r"^\s*2026/27 Q2\s*$")))
    row.get_by_role("button", name=re.compile("^Close")).click()
    page.get_by_role("button", name="Close 2026/27 Q2").click()  # the confirmation page
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("closed")
    row.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("cannot be undone")
    page.get_by_role("button", name="Publish 2026/27 Q2").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("published")


def test_a_councillor_filters_the_dashboard_and_opens_a_chart(page: Any, demo: dict) -> None:
    sign_in(page, "councillor", demo["password"])
    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_text("Filter the indicators").click()  # the filters are folded away at first
    page.get_by_label("Search code, title or definition").fill("homes")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("Filter the indicators (1 filter set)")).to_be_visible()
    table = page.locator("table.app-dashboard-table")
    expect(table).to_contain_text("Mayoral Development Corporation")
    table.get_by_role("link", name="A1.M1.1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Net additional homes")
    expect(page.locator(".app-chart .main-svg").first).to_be_attached()
    expect(page.locator("figcaption")).to_contain_text("against a target")


def test_a_scrutiny_member_requests_and_downloads_a_report(page: Any, demo: dict) -> None:
    sign_in(page, "scrutiny", demo["password"])
    page.goto("/committees/")
    page.locator("main").get_by_role("link").first.click()
    page.get_by_role("button", name="Request report").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("requested")
    link = page.get_by_role("link", name=re.compile("^Download PDF")).first
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(path).read_bytes())).pages)
    assert "Scrutiny Committee" in text and "Quarterly performance report" in text


def test_a_resident_browses_the_public_view_and_downloads_open_data(page: Any, demo: dict) -> None:
    page.goto("/")
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.locator("#summary")).to_contain_text("on or better than target")
    page.get_by_role("link", name="Open data").first.click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the readings as CSV").click()
    header = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("indicator_code,indicator_title,")


def test_an_officer_sees_progress_first_and_value_boxes_sized_for_a_number(
    page: Any, demo: dict
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "officer", demo["password"])
    expect(page.locator("#returns-progress")).to_contain_text(re.compile(r"\d+ of \d+ entered"))
    box = page.locator("input[name$='-value']").first.bounding_box()
    column = page.locator("main").bounding_box()
    assert box is not None and column is not None
    assert box["width"] < 300 < column["width"], (box, column)  # 10 characters, not the column
