"""The small SVG charts tell the truth: a scale from zero (or words saying where it starts),
percentages no higher than 100, gaps left as gaps, the latest value labelled, and the target
with its tolerance band on the side the tolerance applies."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from xml.etree import ElementTree

from core.formatting import format_value, short_value
from core.svg import sparkline_svg
from core.trend_chart import trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def numbers(*texts: str | None) -> list[Decimal | None]:
    return [None if text is None else Decimal(text) for text in texts]


def chart(
    values: Sequence[Decimal | None],
    *,
    unit: str = "count",
    target: str | None = None,
    tolerance: Sequence[tuple[str, str]] = (),
) -> ElementTree.Element:
    svg = trend_svg(
        values,
        first_label="2024/25 Q1",
        last_label="2025/26 Q4",
        words="Homes, trend by period.",
        axis_text=lambda value: short_value(value, unit=unit, places=0),
        value_text=lambda value: format_value(value, unit=unit, places=0),
        target=None if target is None else Decimal(target),
        tolerance=[(Decimal(low), Decimal(high)) for low, high in tolerance],
        unit=unit,
    )
    assert svg is not None
    return ElementTree.fromstring(str(svg))  # noqa: S314 - our own output, checked well formed


def texts(root: ElementTree.Element) -> list[str]:
    return [text.text or "" for text in root.iter(f"{SVG}text")]


def axis_ends(root: ElementTree.Element) -> tuple[str, str]:
    """The labels beside the y axis: the scale's top, then its bottom."""
    ends = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("dominant-baseline")]
    return ends[0], ends[1]


def one(root: ElementTree.Element, tag: str, kind: str) -> ElementTree.Element:
    found = [e for e in root.iter(f"{SVG}{tag}") if e.get("class") == kind]
    assert len(found) == 1, found
    return found[0]


def test_it_starts_a_count_at_zero() -> None:
    root = chart(numbers("40", "42", "45", "47"))
    assert axis_ends(root) == ("50", "0")
    assert "not zero" not in (root.get("aria-label") or "")


def test_it_starts_a_percentage_at_zero_and_stops_at_100() -> None:
    root = chart(numbers("80", "90", "97", "98"), unit="percentage")
    assert axis_ends(root) == ("100%", "0%")


def test_it_goes_above_100_percent_only_when_a_value_does() -> None:
    root = chart(numbers("80", "90", "97", "104"), unit="percentage")
    top, bottom = axis_ends(root)
    assert bottom == "0%" and Decimal(top.removesuffix("%")) > 104


def test_it_says_in_words_when_a_flat_line_far_from_zero_starts_above_it() -> None:
    root = chart(numbers("240", "250", "262", "265"))
    note = "Scale starts at 235, not zero."
    assert axis_ends(root) == ("270", "235")
    assert note in texts(root)  # drawn under the chart
    assert (root.get("aria-label") or "").endswith(note)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == root.get("aria-label")
    assert root.get("height") == "80"  # room for the note under the usual 70


def test_a_change_of_one_is_not_a_cliff() -> None:
    root = chart(numbers("266", "265"))
    top, bottom = axis_ends(root)
    assert Decimal(top) - Decimal(bottom) >= Decimal("26.6")  # a tenth of the value at least
    assert f"Scale starts at {bottom}, not zero." in texts(root)


def test_a_missing_value_in_the_middle_breaks_the_line_in_two() -> None:
    root = chart(numbers("10", "12", None, "15", "16"))
    lines = list(root.iter(f"{SVG}polyline"))
    assert [len((line.get("points") or "").split()) for line in lines] == [2, 2]


def test_it_labels_the_latest_value() -> None:
    root = chart(numbers("1200", "1350", "1475"))
    assert one(root, "text", "chart-latest").text == "1,475"


def test_it_labels_the_latest_known_value_when_the_last_period_has_none() -> None:
    root = chart(numbers("40", "42.4", None), unit="percentage")
    assert one(root, "text", "chart-latest").text == "42%"


def test_higher_is_better_tolerance_band_lies_below_the_target() -> None:
    root = chart(numbers("240", "250", "265"), target="300", tolerance=[("280", "300")])
    line, band = one(root, "line", "chart-target"), one(root, "rect", "chart-tolerance")
    target_y, band_top = Decimal(line.get("y1") or ""), Decimal(band.get("y") or "")
    band_bottom = band_top + Decimal(band.get("height") or "")
    assert band_top == target_y < band_bottom  # y grows downwards: the band is below


def test_lower_is_better_tolerance_band_lies_above_the_target() -> None:
    root = chart(numbers("340", "320", "310"), target="300", tolerance=[("300", "320")])
    line, band = one(root, "line", "chart-target"), one(root, "rect", "chart-tolerance")
    target_y, band_top = Decimal(line.get("y1") or ""), Decimal(band.get("y") or "")
    band_bottom = band_top + Decimal(band.get("height") or "")
    assert band_top < band_bottom == target_y


def test_a_tolerance_band_past_the_scale_is_cut_at_its_edge() -> None:
    root = chart(numbers("2", "3", "4"), unit="percentage", target="5", tolerance=[("-5", "5")])
    band = one(root, "rect", "chart-tolerance")
    top, height = Decimal(band.get("y") or ""), Decimal(band.get("height") or "")
    assert top + height == 56  # the bottom of the plot (70 less 14), where 0% is


def test_without_a_target_there_is_no_target_line_or_band() -> None:
    root = chart(numbers("1", "2"), tolerance=[("0", "1")])
    assert not [e for e in root.iter() if e.get("class") in ("chart-target", "chart-tolerance")]


def test_a_yes_no_indicator_runs_from_no_to_yes() -> None:
    assert axis_ends(chart(numbers("1", "1", "0"), unit="yes_no")) == ("Yes", "No")


def test_sparkline_starts_a_count_at_zero() -> None:
    svg = str(sparkline_svg(numbers("200", "250"), label="Homes", unit="count"))
    assert 'points="2,6 94,2"' in svg  # 250 at the top of 0..250, 200 a fifth below
    assert "not zero" not in svg


def test_sparkline_says_in_its_label_when_it_starts_above_zero() -> None:
    svg = str(sparkline_svg(numbers("266", "265"), label="Homes"))
    assert 'aria-label="Homes: 266, 265. Scale starts at 250, not zero."' in svg


def test_sparkline_draws_and_speaks_its_target() -> None:
    svg = sparkline_svg(numbers("40", "45"), label="Homes", target=Decimal(50))
    root = ElementTree.fromstring(str(svg))  # noqa: S314 - our own output, checked well formed
    (line,) = root.iter("line")  # a sparkline is inline HTML: no SVG namespace
    assert line.get("class") == "chart-target" and line.get("y1") == "2"  # 50 tops 0..50
    assert root.get("aria-label") == "Homes: 40, 45; target 50"
