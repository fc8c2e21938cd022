"""The indicator page in a real browser as a councillor: its chart's labels stay whole and clear
of the legend on a wide and a phone-sized screen, a missing quarter breaks the line, and the
readings are newest first with what each direction of travel compared."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from measures.models import Reading
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import violations

CODE = "CS.M1.2"  # quarterly, a percentage, with a synthetic figure for every demo quarter


@pytest.fixture
def gap(demo: dict[str, Any]) -> dict[str, Any]:
    """The demo, less the indicator's 2025/26 Q3 figure (the scorecard is judged again)."""
    Reading.objects.get(indicator__code=CODE, period__code="2025-26-Q3").delete()
    return demo


def boxes(page: Any, selector: str) -> list[dict[str, float]]:
    return [box for box in (e.bounding_box() for e in page.locator(selector).all()) if box]


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_chart_keeps_its_period_names_whole_level_and_clear_of_the_legend(
    browser: Any, live_server: Any, gap: dict[str, Any], width: int
) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    sign_in(page, "councillor", gap["password"])
    page.goto(f"/indicators/{CODE}/")
    page.wait_for_selector(".app-chart .xtick text")
    chart = page.locator(".app-chart").bounding_box()
    ticks = page.locator(".app-chart .xtick text")
    names = [text.strip() for text in ticks.all_text_contents()]
    tick_boxes = boxes(page, ".app-chart .xtick text")
    legend = page.locator(".app-chart .legend").bounding_box()
    transforms = [t.get_attribute("transform") or "" for t in ticks.all()]
    latest = page.locator(".app-chart .annotation-text").all_text_contents()
    context.close()

    assert names[:2] == ["Q12024/25", "Q2"] and names[-1] == "Q4"  # whole, not "202"
    assert not [t for t in transforms if "rotate" in t]  # level, never turned
    for box in tick_boxes:  # inside the chart, so nothing is cut off at its edge
        assert chart["x"] <= box["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"]
    for left, right in itertools.pairwise(tick_boxes):
        assert not overlap(left, right), (left, right)
    assert legend is not None and not [box for box in tick_boxes if overlap(box, legend)]
    assert "No figure" in latest and "40.8%" in latest  # the gap, and the latest value


def test_readings_are_newest_first_and_each_direction_says_what_it_compared(
    page: Any, gap: dict[str, Any]
) -> None:
    sign_in(page, "councillor", gap["password"])
    page.goto(f"/indicators/{CODE}/")
    rows = page.locator("table.govuk-table tbody tr")
    first = rows.first.locator("th").inner_text().strip()
    periods = [row.locator("th").inner_text().strip() for row in rows.all()]
    assert first == "2025/26 Q4" and periods[-1] == "2024/25 Q1"
    assert periods.index("2025/26 Q3") == 1  # the missing quarter keeps its row
    assert "No data" in rows.nth(1).inner_text()
    direction = page.locator(".govuk-summary-list__row", has_text="Direction of travel")
    assert "since 2025/26 Q2 (no figure for 2025/26 Q3)" in direction.inner_text()
    last_year = page.locator(".govuk-summary-list__row", has_text="same quarter last year")
    assert "since 2024/25 Q4, the same quarter last year" in last_year.inner_text()
    assert "The vertical axis starts at zero." in page.locator("main").inner_text()
    headings = page.locator("section.app-return-row h3").all_inner_texts()
    assert headings[0].startswith("2025/26 Q4") and headings[-1].startswith("2024/25 Q1")


def test_the_indicator_page_with_a_gap_has_no_wcag_22_aa_violation(
    browser: Any, live_server: Any, gap: dict[str, Any]
) -> None:
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    sign_in(page, "councillor", gap["password"])
    page.goto(f"/indicators/{CODE}/")
    page.wait_for_load_state("networkidle")
    found = violations(page)
    context.close()
    assert found == []
