"""What fits where, measured in a real browser at 1280 and 390 CSS pixels: the navigation on
one line, the dashboard's table inside its column, one card per indicator on a phone."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import sign_in

DASHBOARD = "/portfolios/economy-regeneration-housing/dashboard/"


def _tops(page: Any, selector: str) -> set[float]:
    return {round(box["y"]) for box in (el.bounding_box() for el in page.locator(selector).all())}


def test_the_performance_teams_navigation_fits_one_line_at_1280(page: Any, demo: dict) -> None:
    sign_in(page, "performance", demo["password"])
    page.goto("/performance/")
    items = page.locator(".govuk-service-navigation__item")
    assert items.count() >= 8
    assert len(_tops(page, ".govuk-service-navigation__item")) == 1
    assert page.locator(".app-header-account").get_by_role("button", name="Sign out").is_visible()


def test_the_dashboard_table_fits_at_1280_and_its_tags_stay_in_their_cells(
    page: Any, demo: dict
) -> None:
    sign_in(page, "councillor", demo["password"])
    page.goto(DASHBOARD)
    main = page.locator("main").bounding_box()
    table = page.locator(".app-dashboard-table").bounding_box()
    assert table["x"] + table["width"] <= main["x"] + main["width"] + 1
    for cell in page.locator(".app-dashboard-table td.app-col-rag").all():
        tag, box = cell.locator(".govuk-tag").bounding_box(), cell.bounding_box()
        assert tag["x"] + tag["width"] <= box["x"] + box["width"] + 1
    # The summary is on the first screen; the filters are folded away.
    assert page.locator("#summary").bounding_box()["y"] < 900
    assert not page.get_by_label("Block of the plan").is_visible()
    page.get_by_text("Filter the indicators").click()
    assert page.get_by_label("Block of the plan").is_visible()


def test_on_a_phone_each_indicator_is_a_card_with_its_status_in_view(page: Any, demo: dict) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "councillor", demo["password"])
    page.goto(DASHBOARD)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.locator(".app-dashboard-table tbody tr").first
    name, status = first.locator(".app-col-indicator"), first.locator(".app-col-rag")
    for part in (name, status, first.locator(".app-col-direction")):
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert status.bounding_box()["y"] > name.bounding_box()["y"]
    label = first.locator(".app-col-target").evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert label.startswith('"Target')  # each figure says what it is
