"""WCAG 2.2 AA in a real browser: axe-core on every page type as each role, the officer's
journey by keyboard alone, and pages at 320 CSS pixels wide (400% zoom)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from django.core.management import call_command

from tests.e2e.conftest import sign_in
from tests.measures.test_plan_transition import NEXT_SLUG, with_next_plan

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PUBLIC = [
    "/",
    "/plan/council-plan-2024-27/investment-regeneration-and-jobs/",
    "/portfolios/",
    "/portfolios/economy-regeneration-housing/",
    "/portfolios/economy-regeneration-housing/dashboard/",
    "/dashboard/",
    "/indicators/A1.M1.1/",
    "/plan/council-plan-2024-27/schemes/stockport8/",
    "/open-data/",
    "/agreements/",
    "/agreements/economy-regeneration-housing/2025/",
    "/accessibility/",
    "/sign-in/",
]
PAGES = {
    "anonymous": PUBLIC,
    "officer": ["/returns/", "/returns/upload/", "/dashboard/", "/indicators/A1.M1.1/"],
    "performance": [
        "/performance/",
        "/performance/people/",
        "/performance/milestones/owners/",
        "/performance/approvals/",
        "/performance/completion/",
        "/performance/periods/",
        "/committees/",
        "/agreements/economy-regeneration-housing/2025/decision/",
    ],
    "councillor": ["/dashboard/", "/committees/"],
    "scrutiny": ["/committees/", "/committees/economy-regeneration-climate-scrutiny/reports/"],
}


def violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page, one line each."""
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_type_has_no_wcag_22_aa_violation(
    browser: Any, live_server: Any, demo: dict, role: str
) -> None:
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    if role != "anonymous":
        sign_in(page, role, demo["password"])
    found = {}
    for url in PAGES[role]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if problems := violations(page):
            found[url] = problems
    context.close()
    assert found == {}


def test_the_skip_link_is_the_first_thing_and_leads_to_the_main_content(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.textContent.trim(), "
        "document.activeElement.getAttribute('href')]"
    )
    assert focused == ["Skip to main content", "#main-content"]
    assert page.locator("main#main-content").count() == 1


def focused_description(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {tag: el.tagName, name: el.getAttribute('name') || '', text: el.textContent.trim(),
                visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'
                         || style.backgroundColor === 'rgb(255, 221, 0)'};
    }""")


def tab_until(page: Any, wanted: Any, limit: int = 400) -> dict[str, Any]:
    """Press Tab until the focused element matches; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focused_description(page)
        if focus["tag"] in ("A", "BUTTON", "INPUT", "SELECT", "TEXTAREA", "SUMMARY"):
            assert focus["visible"], f"focus is not visible on {focus}"
        if wanted(focus):
            return focus
    raise AssertionError("never reached by keyboard: a trap, or not focusable")


def test_an_officer_completes_a_quarter_by_keyboard_alone(page: Any, demo: dict) -> None:
    page.goto("/sign-in/")
    tab_until(page, lambda f: f["name"] == "username")
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    page.keyboard.type(demo["password"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/returns/")
    tab_until(page, lambda f: f["name"].endswith("-value"))
    page.keyboard.press("Control+A")
    page.keyboard.type("14")
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Check and submit for approval")
    page.keyboard.press("Enter")
    page.wait_for_url("**/returns/submit/**")
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"].endswith("for approval"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "submitted for approval" in page.locator(".govuk-notification-banner").inner_text()


@pytest.mark.parametrize("url", [*PUBLIC, "/returns/"])
def test_pages_reflow_at_320_pixels_wide(
    browser: Any, live_server: Any, demo: dict, url: str
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    if url == "/returns/":
        sign_in(page, "officer", demo["password"])
    page.goto(url)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert width <= 320, f"{url} scrolls sideways at 320px: {width}px wide"


def test_plan_pages_with_a_next_plan_have_no_wcag_22_aa_violation(
    browser: Any, live_server: Any, demo: dict, tmp_path: Path
) -> None:
    """With two plans loaded, each plan's page lists both (and one says it is not yet in
    force, or has ended): the list and the banner pass axe too."""
    call_command("load_plan", directory=with_next_plan(tmp_path), stdout=StringIO())
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    found = {}
    for url in ("/", f"/plan/{NEXT_SLUG}/", "/plan/council-plan-2024-27/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator(".app-plan-switcher li").count() == 2, url
        if problems := violations(page):
            found[url] = problems
    context.close()
    assert found == {}
