"""Charts: vendored plotly.js, figure JSON, script safety, text alternatives, tables, sparklines."""

from __future__ import annotations

import json
import pathlib
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import plotly
from django.conf import settings

from core.svg import sparkline_svg
from measures.charts import (
    NO_READINGS,
    RAG_MARKERS,
    Chart,
    ChartPoint,
    ComparatorPoint,
    indicator_chart,
)
from measures.performance import RAG_LABELS, Rag

STATIC = pathlib.Path(settings.BASE_DIR) / "static"
VENDORED = STATIC / "vendor" / "plotly" / "plotly.min.js"
INSTALLED = pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

Q1, Q2, Q3, Q4 = date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31)


def point(
    label: str,
    end: date,
    value: str | None,
    rag: Rag,
    *,
    target: str | None = "750",
    tolerance: str = "0",
    synthetic: bool = False,
) -> ChartPoint:
    return ChartPoint(
        period_label=label,
        period_end=end,
        value=None if value is None else Decimal(value),
        target=None if target is None else Decimal(target),
        tolerance=Decimal(tolerance),
        rag=rag,
        synthetic=synthetic,
    )


def chart(points: list[ChartPoint], **kwargs: Any) -> Chart:
    options: dict[str, Any] = {
        "element_id": "chart-A1-M1-1",
        "title": "Net additional homes",
        "unit_label": "Homes",
        "points": points,
    }
    options.update(kwargs)
    return indicator_chart(**options)


def traces(result: Chart) -> dict[str, dict[str, Any]]:
    figure = json.loads(result.figure_json)
    return {trace["name"]: trace for trace in figure["data"]}


YEAR = [
    point("2025/26 Q1", Q1, "600", Rag.RED, tolerance="50"),
    point("2025/26 Q2", Q2, "720", Rag.AMBER, tolerance="50"),
    point("2025/26 Q3", Q3, None, Rag.NO_DATA, tolerance="50"),
    point("2025/26 Q4", Q4, "760", Rag.GREEN, tolerance="50"),
]


# --- Vendored plotly.js --------------------------------------------------------------------------


def test_the_vendored_plotly_js_is_the_installed_packages_copy() -> None:
    assert VENDORED.read_bytes() == INSTALLED.read_bytes(), (
        f"static/vendor/plotly/plotly.min.js differs from plotly {plotly.__version__}'s copy; "
        "re-copy it: cp .venv/lib/python3.11/site-packages/plotly/package_data/plotly.min.js "
        "static/vendor/plotly/"
    )


def test_the_vendored_plotly_js_names_no_source_map_and_ships_its_licence() -> None:
    # ManifestStaticFilesStorage fails on a sourceMappingURL whose .map file is missing.
    assert b"sourceMappingURL" not in VENDORED.read_bytes()
    assert "MIT License" in (VENDORED.parent / "LICENSE.txt").read_text()


def test_charts_js_is_plain_es5_without_eval_or_inline_html() -> None:
    script = (STATIC / "js" / "charts.js").read_text()
    assert "Plotly.newPlot" in script and "data-chart" in script
    assert "JSON.parse" in script
    for banned in ("eval(", "new Function", "innerHTML", "=>", "`", "import ", "export "):
        assert banned not in script, banned
    assert not re.search(r"\b(let|const|class)\s", script)


# --- Figure JSON ---------------------------------------------------------------------------------


def test_the_figure_has_value_target_and_tolerance_series_but_no_title() -> None:
    figure = json.loads(chart(YEAR).figure_json)
    names = [trace["name"] for trace in figure["data"]]
    assert names[-1] == "Value"  # drawn last, on top
    assert {"Value", "Target", "Amber tolerance"} <= set(names)
    assert "Trajectory" not in names and "Comparator" not in names
    assert "title" not in figure["layout"]
    assert figure["layout"]["height"] == 360
    assert figure["layout"]["legend"]["orientation"] == "h"
    assert figure["layout"]["font"]["family"] == "arial, sans-serif"
    assert figure["layout"]["yaxis"]["title"]["text"] == "Homes"
    xaxis = figure["layout"]["xaxis"]
    assert xaxis["type"] == "date"
    assert xaxis["tickvals"] == ["2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31"]
    # Level and short, the year only under the first quarter: nothing to turn or cut.
    assert xaxis["ticktext"] == ["Q1<br>2025/26", "Q2", "Q3", "Q4"]
    assert xaxis["tickangle"] == 0
    # The legend sits above the plot, away from the period names below it.
    assert figure["layout"]["legend"]["y"] > 1
    assert figure["layout"]["legend"]["yanchor"] == "bottom"


def test_each_financial_year_is_named_under_its_first_quarter() -> None:
    labels = ["2024/25 Q3", "2024/25 Q4", "2025/26 Q1", "2025/26 Q2", "2025/26"]
    points = [point(label, Q1, "1", Rag.NO_TARGET, target=None) for label in labels]
    ticktext = json.loads(chart(points).figure_json)["layout"]["xaxis"]["ticktext"]
    assert ticktext == ["Q3<br>2024/25", "Q4", "Q1<br>2025/26", "Q2", "2025/26"]


def test_the_value_axis_starts_at_zero_and_says_so() -> None:
    high = [point("2025/26 Q1", Q1, "40.4", Rag.GREEN, target="39.3", tolerance="2")]
    result = chart(high)
    yaxis = json.loads(result.figure_json)["layout"]["yaxis"]
    assert yaxis["rangemode"] == "tozero" and yaxis["zeroline"] is True
    assert result.axis_note == "The vertical axis starts at zero."
    below = [point("2025/26 Q1", Q1, "-3", Rag.NO_TARGET, target=None)]
    assert chart(below).axis_note == "The vertical axis runs below zero, with a line at zero."
    assert chart([]).axis_note == ""


def test_the_latest_value_is_written_beside_its_point() -> None:
    result = chart(YEAR, value_format=lambda d: f"{d:,} homes")
    labels = json.loads(result.figure_json)["layout"]["annotations"]
    latest = [label for label in labels if label["text"] != "No figure"]
    assert [(a["x"], a["y"], a["text"]) for a in latest] == [
        ("2026-03-31", 760, "<b>760 homes</b>")
    ]
    trailing_gap = [*YEAR[:2], point("2025/26 Q3", Q3, None, Rag.NO_DATA)]
    labels = json.loads(chart(trailing_gap).figure_json)["layout"]["annotations"]
    assert [a["text"] for a in labels if a["text"] != "No figure"] == ["<b>720</b>"]


def test_a_missing_quarter_breaks_the_line_and_is_named() -> None:
    result = chart(YEAR)
    figure = json.loads(result.figure_json)
    value = traces(result)["Value"]
    assert value["y"][2] is None and value["connectgaps"] is False
    gaps = [a for a in figure["layout"]["annotations"] if a["text"] == "No figure"]
    assert [a["x"] for a in gaps] == ["2025-12-31"]
    assert result.summary.endswith(" No figure for 2025/26 Q3.")


def test_value_markers_carry_status_by_shape_colour_and_hover_label() -> None:
    value = traces(chart(YEAR))["Value"]
    assert value["mode"] == "lines+markers"
    assert value["y"] == [600, 720, None, 760]
    assert value["marker"]["symbol"] == ["x", "diamond", "square", "circle"]
    assert value["marker"]["color"] == ["#d4351c", "#f47738", "#505a5f", "#00703c"]
    assert value["text"][0] == "2025/26 Q1: 600, Off target"
    assert value["text"][2] == "2025/26 Q3: no data"
    assert RAG_LABELS[Rag.GREEN] in value["text"][3]
    assert len(set(RAG_MARKERS[rag] for rag in (Rag.GREEN, Rag.AMBER, Rag.RED))) == 3


def test_synthetic_points_say_so_on_hover() -> None:
    points = [point("2025/26 Q1", Q1, "600", Rag.RED, synthetic=True)]
    value = traces(chart(points))["Value"]
    assert value["text"] == ["2025/26 Q1: 600, Off target (synthetic demo data)"]


def test_each_series_has_its_own_dash_style_and_marker_for_greyscale() -> None:
    result = chart(
        YEAR,
        trajectory=[(Q1, Decimal(600)), (Q4, Decimal(750))],
        comparator=[ComparatorPoint(Q1, Decimal(700)), ComparatorPoint(Q2, Decimal(710))],
        comparator_label="England average",
    )
    series = traces(result)
    lines = ("Value", "Target", "Trajectory", "England average")
    dashes = [series[name]["line"]["dash"] for name in lines]
    assert dashes == ["solid", "dash", "dot", "dashdot"]
    assert series["Target"]["mode"] == "lines"  # one unbroken dashed line, no markers
    symbols = [series[name]["marker"]["symbol"] for name in lines[2:]]
    assert len(set(symbols)) == 2 and not set(symbols) & set(RAG_MARKERS.values())
    assert series["Trajectory"]["x"] == ["2025-06-30", "2026-03-31"]
    assert series["Trajectory"]["y"] == [600, 750]
    assert series["England average"]["y"] == [700, 710]
    assert series["England average"]["text"][0] == "England average, 2025/26 Q1: 700"


def test_trajectory_and_comparator_appear_only_when_given() -> None:
    names = set(traces(chart(YEAR, trajectory=[(Q1, Decimal(1)), (Q4, Decimal(2))])))
    assert "Trajectory" in names and "Comparator" not in names
    names = set(traces(chart(YEAR, comparator=[ComparatorPoint(Q1, Decimal(1))])))
    assert "Comparator" in names and "Trajectory" not in names


def test_the_tolerance_band_is_drawn_only_when_some_tolerance_is_above_zero() -> None:
    band = traces(chart(YEAR))
    assert band["Amber tolerance"]["fill"] == "tonexty"
    assert band["Amber tolerance (upper edge)"]["showlegend"] is False
    assert band["Amber tolerance (upper edge)"]["y"] == [800, 800, 800, 800]
    assert band["Amber tolerance"]["y"] == [700, 700, 700, 700]
    no_band = traces(chart([point("2025/26 Q1", Q1, "600", Rag.RED)]))
    assert "Target" in no_band
    assert not [name for name in no_band if "tolerance" in name.lower()]


def test_no_target_series_without_any_target() -> None:
    points = [point("2025/26 Q1", Q1, "600", Rag.NO_TARGET, target=None, tolerance="5")]
    assert set(traces(chart(points))) == {"Value"}


def test_the_figure_json_is_deterministic() -> None:
    assert chart(YEAR).figure_json == chart(YEAR).figure_json


def test_the_figure_json_cannot_close_its_script_element() -> None:
    nasty = "</script><script>alert(1)</script> & more"
    points = [point(nasty, Q1, "600", Rag.RED, tolerance="5")]
    result = chart(
        points,
        title=nasty,
        unit_label=nasty,
        comparator=[ComparatorPoint(Q1, Decimal(1))],
        comparator_label=nasty,
    )
    for character in "<>&":
        assert character not in result.figure_json
    figure = json.loads(result.figure_json)  # still valid JSON, with the text intact
    assert figure["layout"]["yaxis"]["title"]["text"] == nasty
    assert figure["layout"]["xaxis"]["ticktext"] == [nasty]
    assert nasty in [trace["name"] for trace in figure["data"]]


def test_an_element_id_with_a_dot_or_space_is_refused() -> None:
    for bad in ("chart-A1.M1", "chart A1", "", "1chart", 'x"y'):
        try:
            chart(YEAR, element_id=bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
    assert chart(YEAR).element_id == "chart-A1-M1-1"


# --- Summary (the text alternative) --------------------------------------------------------------


def test_summary_without_readings() -> None:
    points = [point("2025/26 Q1", Q1, None, Rag.NO_DATA)]
    assert chart(points).summary == NO_READINGS == "No readings to show yet."
    assert chart([]).summary == "No readings to show yet."


def test_summary_for_one_value_against_a_target() -> None:
    points = [point("2025/26 Q2", Q2, "612", Rag.RED)]
    assert chart(points).summary == (
        "Net additional homes: 612 in 2025/26 Q2 against a target of 750 (red, off target). "
        "There is a reading for 1 period."
    )


def test_summary_for_a_value_without_a_target_uses_the_value_format() -> None:
    points = [point("2025/26 Q2", Q2, "45.25", Rag.NO_TARGET, target=None)]
    result = chart(points, title="Satisfaction", value_format=lambda d: f"{d:.1f}%")
    assert result.summary == (
        "Satisfaction: 45.2% in 2025/26 Q2 (no target). There is a reading for 1 period."
    )


def test_summary_for_a_rising_series_reports_the_latest_reading_and_trend() -> None:
    assert chart(YEAR).summary == (
        "Net additional homes: 760 in 2025/26 Q4 against a target of 750 "
        "(green, on or better than target). "
        "There are readings for 3 periods; the last three rose. No figure for 2025/26 Q3."
    )


def test_summary_for_falling_mixed_and_level_series() -> None:
    def trend(*values: str) -> str:
        years = range(2024, 2024 + len(values))
        points = [
            point(f"{year}/{year - 1999}", date(year, 3, 31), value, Rag.NO_TARGET, target=None)
            for year, value in zip(years, values, strict=True)
        ]
        return chart(points).summary.split("; ")[-1]

    assert trend("9", "3", "2", "1") == "the last three fell."
    assert trend("1", "3", "2") == "the last three were mixed."
    assert trend("2", "2", "2") == "the last three held level."
    assert "last three" not in trend("1", "2")


def test_summary_for_synthetic_demo_data() -> None:
    points = [
        point("2025/26 Q1", Q1, "600", Rag.RED, synthetic=True),
        point("2025/26 Q2", Q2, "740", Rag.AMBER, tolerance="20", synthetic=True),
    ]
    assert chart(points).summary == (
        "Net additional homes: 740 in 2025/26 Q2 against a target of 750 "
        "(amber, close to target; synthetic demo data). "
        "There are readings for 2 periods, all synthetic demo data."
    )
    mixed = [point("2025/26 Q1", Q1, "600", Rag.RED, synthetic=True), *YEAR[1:]]
    assert "3 periods, 1 of them synthetic demo data" in chart(mixed).summary


# --- Table ---------------------------------------------------------------------------------------


def test_table_rows_list_every_period_newest_first_with_its_direction() -> None:
    points = [
        *YEAR[:3],
        point("2026/27 Q1", date(2026, 6, 30), "1200", Rag.NO_TARGET, target=None),
        point("2026/27 Q2", date(2026, 9, 30), "800", Rag.GREEN, synthetic=True),
    ]
    points[1] = replace(points[1], direction="Improved since 2025/26 Q1")
    result = chart(points, value_format=lambda d: f"{d:,}")
    assert result.table_caption == "Net additional homes by period (Homes)"
    assert result.table_rows == [
        ("2026/27 Q2", "800", "750", "On or better than target (synthetic demo data)", ""),
        ("2026/27 Q1", "1,200", "No target", "No target", ""),
        ("2025/26 Q3", "No data", "750", "No data", ""),
        ("2025/26 Q2", "720", "750", "Close to target", "Improved since 2025/26 Q1"),
        ("2025/26 Q1", "600", "750", "Off target", ""),
    ]


# --- Sparklines ----------------------------------------------------------------------------------


def test_sparkline_speaks_its_numbers_and_breaks_at_gaps() -> None:
    svg = str(sparkline_svg([Decimal(12), Decimal(14), None, Decimal(15)], label="Homes"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-label="Homes: 12, 14, no data, 15"' in svg
    assert "<title>Homes: 12, 14, no data, 15</title>" in svg
    assert 'viewBox="0 0 96 24"' in svg and 'stroke="currentColor"' in svg
    assert svg.count("<polyline") == 1  # 12-14 is a line; 15 stands alone after the gap
    assert '<polyline points="2,6 32.67,3.33"' in svg  # on a scale from 0 to 15, 2px padding
    assert svg.count("<circle") == 1  # the dot on the last value, at the top right
    assert '<circle cx="94" cy="2" r="2"' in svg


def test_sparkline_marks_a_value_standing_alone_between_gaps() -> None:
    values = [Decimal(1), Decimal(2), None, Decimal(3), None, Decimal(4), Decimal(5)]
    svg = str(sparkline_svg(values, label="Homes"))
    assert svg.count("<polyline") == 2
    assert svg.count('r="1.5"') == 1  # the lone 3
    assert svg.count('r="2"') == 1  # the last value


def test_sparkline_of_a_flat_series_is_drawn_at_its_value_on_a_scale_from_zero() -> None:
    svg = str(sparkline_svg([Decimal(5), Decimal(5), Decimal(5)], label="Flat", height=30))
    assert 'points="2,2 48,2 94,2"' in svg  # 5 tops a scale from 0 to 5
    assert "not zero" not in svg


def test_sparkline_escapes_its_label() -> None:
    svg = str(sparkline_svg([Decimal(1), Decimal(2)], label="<b>Homes</b> & more"))
    assert "<b>" not in svg
    assert 'aria-label="&lt;b&gt;Homes&lt;/b&gt; &amp; more: 1, 2"' in svg


def test_sparkline_with_too_few_values_is_text() -> None:
    for values in ([], [Decimal(1)], [None, Decimal(1), None]):
        html = str(sparkline_svg(values, label="Homes"))
        assert "<svg" not in html
        assert html == '<span class="app-sparkline app-sparkline--empty">Not enough data</span>'
