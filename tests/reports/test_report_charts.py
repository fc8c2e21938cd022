"""The report's trend chart: its tolerance band where measures.performance puts amber, and a
text alternative that states the trend and the latest figure against target."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from measures.performance import (
    DIRECTION_LABELS,
    RAG_LABELS,
    Direction,
    Polarity,
    Rag,
    TargetSpec,
    rag_status,
)
from reports.charts import tolerance_zone, trend_svg, trend_words
from reports.data import ReportIndicator

SVG = "{http://www.w3.org/2000/svg}"
QUARTERS = ("2025/26 Q1", "2025/26 Q2", "2025/26 Q3", "2025/26 Q4")
TINY = Decimal("0.0001")


def apprenticeships(
    *values: str | None,
    target: str | None = "300",
    tolerance: str = "0",
    rag: Rag = Rag.RED,
    polarity: Polarity = Polarity.HIGHER_IS_BETTER,
    unit: str = "count",
    places: int = 0,
) -> ReportIndicator:
    trend = tuple(
        (period, None if value is None else Decimal(value))
        for period, value in zip(QUARTERS, values, strict=True)
    )
    return ReportIndicator(
        code="E1.M2.3",
        title="Apprenticeships started",
        unit=unit,
        unit_label=unit,
        decimal_places=places,
        baseline=trend[0][1],
        baseline_period=QUARTERS[0],
        previous=trend[-2][1],
        previous_period=QUARTERS[-2],
        latest=trend[-1][1],
        latest_period=QUARTERS[-1],
        target=None if target is None else Decimal(target),
        rag=rag,
        rag_label=RAG_LABELS[rag],
        direction=Direction.WORSENED,
        direction_label=DIRECTION_LABELS[Direction.WORSENED],
        comparator=None,
        comparator_label="",
        commentary="",
        corrective_action="",
        synthetic=False,
        trend=trend,
        tolerance=Decimal(tolerance),
        polarity=polarity.value,
    )


@pytest.mark.parametrize("polarity", [Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER])
def test_the_tolerance_zone_is_where_rag_status_says_amber(polarity: Polarity) -> None:
    item = apprenticeships("1", "2", "3", "4", tolerance="20", polarity=polarity)
    zone = tolerance_zone(item)
    assert zone is not None
    low, high = zone
    spec = TargetSpec(value=Decimal(300), tolerance=Decimal(20))
    inside_edge, target_edge = (low, high) if polarity is Polarity.HIGHER_IS_BETTER else (high, low)
    outward = -1 if polarity is Polarity.HIGHER_IS_BETTER else 1
    assert target_edge == 300 and abs(high - low) == 20
    assert rag_status(target_edge, spec, polarity) is Rag.GREEN
    assert rag_status(target_edge + outward * TINY, spec, polarity) is Rag.AMBER
    assert rag_status(inside_edge, spec, polarity) is Rag.AMBER
    assert rag_status(inside_edge + outward * TINY, spec, polarity) is Rag.RED


def test_there_is_no_tolerance_zone_without_a_target_or_a_tolerance() -> None:
    assert tolerance_zone(apprenticeships("1", "2", "3", "4", tolerance="0")) is None
    assert tolerance_zone(apprenticeships("1", "2", "3", "4", target=None, tolerance="5")) is None


def test_the_text_alternative_states_trend_and_latest_against_target() -> None:
    words = trend_words(apprenticeships("240", "266", None, "265"))
    assert words == (
        "E1.M2.3 Apprenticeships started, trend by period. "
        "Rose from 240 in 2025/26 Q1 to 265 in 2025/26 Q4. "
        "Latest 2025/26 Q4: 265 against a target of 300 (off target). "
        "Values: 2025/26 Q1: 240; 2025/26 Q2: 266; 2025/26 Q3: no data; 2025/26 Q4: 265."
    )


def test_the_text_alternative_says_whether_the_latest_is_within_tolerance() -> None:
    close = apprenticeships(
        "61", "60", "59.5", "58.2", unit="percentage", places=1, tolerance="2.5", rag=Rag.AMBER
    )
    item = replace(close, target=Decimal(60))
    assert "Latest 2025/26 Q4: 58.2% against a target of 60.0% (close to target, within its " in (
        trend_words(item)
    )
    assert "tolerance of 2.5 percentage points)." in trend_words(item)
    beyond = trend_words(apprenticeships("290", "280", "275", "270", tolerance="20"))
    assert "(off target, beyond its tolerance of 20)." in beyond
    met = trend_words(apprenticeships("290", "300", "305", "310", rag=Rag.GREEN, tolerance="20"))
    assert "against a target of 300 (on or better than target)." in met


def test_the_text_alternative_does_not_call_a_rise_and_fall_level() -> None:
    words = trend_words(apprenticeships("250", "300", "250", "250"))
    assert "250 in 2025/26 Q4, as in 2025/26 Q1." in words and "Level" not in words


def test_the_text_alternative_says_when_the_latest_period_has_no_figure() -> None:
    words = trend_words(apprenticeships("250", "250", "250", None, rag=Rag.NO_DATA))
    assert "Level at 250 from 2025/26 Q1 to 2025/26 Q3." in words
    assert "No figure for 2025/26 Q4; the latest, 2025/26 Q3, was 250." in words


def test_the_chart_draws_target_band_and_latest_label_and_says_where_its_scale_starts() -> None:
    item = apprenticeships("262", "266", "264", "265", target="270", tolerance="10", rag=Rag.AMBER)
    root = ElementTree.fromstring(str(trend_svg(item)))  # noqa: S314 - our own, well formed
    classes = [element.get("class") for element in root.iter()]
    assert classes.count("chart-target") == 1 and classes.count("chart-tolerance") == 1
    latest = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-latest"]
    assert [t.text for t in latest] == ["265"]
    label = root.get("aria-label") or ""
    assert label.endswith(
        "(close to target, within its tolerance of 10). Values: 2025/26 Q1: 262; "
        "2025/26 Q2: 266; 2025/26 Q3: 264; 2025/26 Q4: 265. Scale starts at 250, not zero."
    )
