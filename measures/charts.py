"""Accessible charts for indicator pages: a plotly figure as script-safe JSON, its summary and
table (the small SVG charts of tables and reports are in core/svg.py).

Pure functions (no database): the caller passes each period's RAG status in, computed with
measures.performance, and this module only draws it. Every chart comes with a text alternative
and a data table, and colour never carries meaning alone (marker shapes, dash styles, labels).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go

from measures.performance import RAG_LABELS, Rag

__all__ = [
    "RAG_COLOURS",
    "RAG_MARKERS",
    "Chart",
    "ChartPoint",
    "ComparatorPoint",
    "indicator_chart",
    "script_safe_json",
]

SYNTHETIC_NOTE = "synthetic demo data"
NO_READINGS = "No readings to show yet."

# GOV.UK Design System colours: green, orange (for amber), red and dark grey.
RAG_COLOURS: dict[Rag, str] = {
    Rag.GREEN: "#00703c",
    Rag.AMBER: "#f47738",
    Rag.RED: "#d4351c",
    Rag.NO_TARGET: "#505a5f",
    Rag.NO_DATA: "#505a5f",
}

# A shape per status, so a status reads in greyscale and for people who cannot tell the colours.
RAG_MARKERS: dict[Rag, str] = {
    Rag.GREEN: "circle",
    Rag.AMBER: "diamond",
    Rag.RED: "x",
    Rag.NO_TARGET: "square",
    Rag.NO_DATA: "square",
}

# The colour's name, said beside the label in the summary ("red, off target").
_RAG_WORDS: dict[Rag, str] = {Rag.GREEN: "green", Rag.AMBER: "amber", Rag.RED: "red"}

_TEXT_COLOUR = "#0b0c0c"
_VALUE_LINE_COLOUR = "#1d70b8"
_TARGET_COLOUR = "#0b0c0c"
_TRAJECTORY_COLOUR = "#505a5f"
_COMPARATOR_COLOUR = "#912b88"
_GRID_COLOUR = "#dddddd"
_BAND_FILL = "rgba(244, 119, 56, 0.15)"
_FONT_FAMILY = "arial, sans-serif"
_CHART_HEIGHT = 360
_ELEMENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_QUARTER_LABEL = re.compile(r"(?P<year>\S+) (?P<quarter>Q[1-4])")
ZERO = Decimal(0)
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


@dataclass(frozen=True)
class ChartPoint:
    """One period's reading, its target and the RAG status the caller worked out for it."""

    period_label: str  # "2025/26 Q2"
    period_end: date
    value: Decimal | None  # None = no reading
    target: Decimal | None  # the value it is judged against in that period, or None
    tolerance: Decimal  # amber allowance (0 if none)
    rag: Rag  # from measures.performance, computed by the caller
    synthetic: bool = False  # demo data: the label must say so
    direction: str = ""  # the direction of travel in words, from the stored scorecard


@dataclass(frozen=True)
class ComparatorPoint:
    """A comparator's value (e.g. the England average) for a period ending on a date."""

    period_end: date
    value: Decimal


@dataclass(frozen=True)
class Chart:
    """A chart ready for a template: the figure's JSON, its text alternative and its table."""

    element_id: str  # the <div> id, e.g. "chart-A1-M1-1" (no dots)
    figure_json: str  # for <script type="application/json" data-chart="{element_id}">
    summary: str  # the text alternative, a few plain sentences
    table_caption: str
    table_rows: list[tuple[str, str, str, str, str]]  # newest first: (period, value, target,
    # status label, direction of travel)
    axis_note: str = ""  # where the value axis starts, said beside the chart


def script_safe_json(text: str) -> str:
    """Escape "<", ">" and "&" in JSON text as \\u escapes so it cannot close a script element."""
    for character, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(character, escaped)
    return text


def _number(value: Decimal | None) -> float | None:
    """Return a plotting coordinate for a value (plotly needs JSON numbers), or None for a gap."""
    return None if value is None else float(value)


def _status_text(point: ChartPoint) -> str:
    """Return the point's RAG label, saying so when the point is synthetic demo data."""
    label = RAG_LABELS[point.rag]
    return f"{label} ({SYNTHETIC_NOTE})" if point.synthetic else label


def _date_text(when: date, labels_by_date: dict[date, str]) -> str:
    """Return the period's label for a date that ends a charted period, else the date itself."""
    return labels_by_date.get(when, f"{when.day} {when:%B %Y}")


def _value_trace(
    points: Sequence[ChartPoint], value_format: Callable[[Decimal], str]
) -> go.Scatter:
    """Return the values as a solid line with a coloured, shaped and labelled marker per status."""
    hover = [
        f"{p.period_label}: {value_format(p.value)}, {_status_text(p)}"
        if p.value is not None
        else f"{p.period_label}: no data"
        for p in points
    ]
    return go.Scatter(
        name="Value",
        mode="lines+markers",
        x=[p.period_end.isoformat() for p in points],
        y=[_number(p.value) for p in points],
        text=hover,
        hovertemplate="%{text}<extra></extra>",
        line={"color": _VALUE_LINE_COLOUR, "width": 2, "dash": "solid"},
        marker={
            "symbol": [RAG_MARKERS[p.rag] for p in points],
            "color": [RAG_COLOURS[p.rag] for p in points],
            "size": 11,
            "line": {"color": _TEXT_COLOUR, "width": 1},
        },
        connectgaps=False,
    )


def _target_traces(
    points: Sequence[ChartPoint], value_format: Callable[[Decimal], str]
) -> list[go.Scatter]:
    """Return the tolerance band (when any tolerance is above zero) and the dashed target line."""
    if all(p.target is None for p in points):
        return []
    x = [p.period_end.isoformat() for p in points]
    traces: list[go.Scatter] = []
    if any(p.target is not None and p.tolerance > 0 for p in points):
        upper = [None if p.target is None else _number(p.target + p.tolerance) for p in points]
        lower = [None if p.target is None else _number(p.target - p.tolerance) for p in points]
        traces.append(
            go.Scatter(
                name="Amber tolerance (upper edge)",
                legendgroup="tolerance",
                showlegend=False,
                mode="lines",
                x=x,
                y=upper,
                line={"width": 0, "color": _BAND_FILL},
                hoverinfo="skip",
                connectgaps=False,
            )
        )
        traces.append(
            go.Scatter(
                name="Amber tolerance",
                legendgroup="tolerance",
                mode="lines",
                x=x,
                y=lower,
                fill="tonexty",
                fillcolor=_BAND_FILL,
                line={"width": 0, "color": _BAND_FILL},
                hoverinfo="skip",
                connectgaps=False,
            )
        )
    traces.append(
        go.Scatter(
            name="Target",
            mode="lines",
            x=x,
            y=[_number(p.target) for p in points],
            text=[
                f"{p.period_label}: target {value_format(p.target)}"
                if p.target is not None
                else f"{p.period_label}: no target"
                for p in points
            ],
            hovertemplate="%{text}<extra></extra>",
            line={"color": _TARGET_COLOUR, "width": 2, "dash": "dash"},
            connectgaps=False,
        )
    )
    return traces


def _trajectory_trace(
    trajectory: Sequence[tuple[date, Decimal]],
    labels_by_date: dict[date, str],
    value_format: Callable[[Decimal], str],
) -> go.Scatter:
    """Return the trajectory as a dotted line through the given points."""
    return go.Scatter(
        name="Trajectory",
        mode="lines+markers",
        x=[when.isoformat() for when, _ in trajectory],
        y=[_number(value) for _, value in trajectory],
        text=[
            f"Trajectory, {_date_text(when, labels_by_date)}: {value_format(value)}"
            for when, value in trajectory
        ],
        hovertemplate="%{text}<extra></extra>",
        line={"color": _TRAJECTORY_COLOUR, "width": 2, "dash": "dot"},
        marker={"symbol": "triangle-up-open", "size": 9, "color": _TRAJECTORY_COLOUR},
    )


def _comparator_trace(
    comparator: Sequence[ComparatorPoint],
    label: str,
    labels_by_date: dict[date, str],
    value_format: Callable[[Decimal], str],
) -> go.Scatter:
    """Return the comparator (e.g. the England average) as a dash-dot line with its label."""
    return go.Scatter(
        name=label,
        mode="lines+markers",
        x=[c.period_end.isoformat() for c in comparator],
        y=[_number(c.value) for c in comparator],
        text=[
            f"{label}, {_date_text(c.period_end, labels_by_date)}: {value_format(c.value)}"
            for c in comparator
        ],
        hovertemplate="%{text}<extra></extra>",
        line={"color": _COMPARATOR_COLOUR, "width": 2, "dash": "dashdot"},
        marker={"symbol": "star-open", "size": 10, "color": _COMPARATOR_COLOUR},
    )


def _tick_texts(labels: Sequence[str]) -> list[str]:
    """Return short, level tick labels: a quarter's number under each tick and its financial year
    only under the first and each Q1 ("Q1<br>2025/26", "Q2"), so none need turning or cutting."""
    texts = []
    for index, label in enumerate(labels):
        match = _QUARTER_LABEL.fullmatch(label)
        if match is None:
            texts.append(label)
        elif index == 0 or match["quarter"] == "Q1":
            texts.append(f"{match['quarter']}<br>{match['year']}")
        else:
            texts.append(match["quarter"])
    return texts


def _latest_label(
    points: Sequence[ChartPoint], value_format: Callable[[Decimal], str]
) -> list[dict[str, object]]:
    """Return the annotation that writes the latest value beside its point (none without one)."""
    latest = next((p for p in reversed(points) if p.value is not None), None)
    if latest is None or latest.value is None:
        return []
    return [
        {
            "x": latest.period_end.isoformat(),
            "y": _number(latest.value),
            "text": f"<b>{value_format(latest.value)}</b>",
            "showarrow": False,
            "xanchor": "right",
            "yanchor": "bottom",
            "xshift": -6,
            "yshift": 6,
            "font": {"size": 14, "color": _TEXT_COLOUR},
            "bgcolor": "rgba(255, 255, 255, 0.85)",
        }
    ]


def _gap_labels(points: Sequence[ChartPoint]) -> list[dict[str, object]]:
    """Return a "No figure" note at the foot of each period without a value, where the line
    breaks, so a gap reads as a missing figure rather than the end of the series."""
    return [
        {
            "x": p.period_end.isoformat(),
            "y": 0,
            "yref": "paper",
            "text": "No figure",
            "showarrow": False,
            "yanchor": "bottom",
            "yshift": 4,
            "font": {"size": 12, "color": _TRAJECTORY_COLOUR},
        }
        for p in points
        if p.value is None
    ]


def _layout(
    points: Sequence[ChartPoint], unit_label: str, value_format: Callable[[Decimal], str]
) -> go.Layout:
    """Return a plain layout: no title, legend above, level period names below, the value axis
    from zero, and the latest value written beside its point."""
    axis = {
        "showgrid": True,
        "gridcolor": _GRID_COLOUR,
        "linecolor": _TEXT_COLOUR,
        "ticks": "outside",
        "zeroline": False,
    }
    return go.Layout(
        template="none",
        height=_CHART_HEIGHT,
        font={"family": _FONT_FAMILY, "size": 14, "color": _TEXT_COLOUR},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        margin={"l": 56, "r": 24, "t": 8, "b": 8, "pad": 4},
        showlegend=True,
        # Above the plot, where it wraps onto more lines on a narrow screen and meets no label.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        hovermode="closest",
        annotations=[*_latest_label(points, value_format), *_gap_labels(points)],
        xaxis={
            **axis,
            "type": "date",
            "tickmode": "array",
            "tickvals": [p.period_end.isoformat() for p in points],
            "ticktext": _tick_texts([p.period_label for p in points]),
            "tickangle": 0,
            "tickfont": {"size": 12},
            "automargin": True,
        },
        yaxis={
            **axis,
            # From zero (or through it, for negative values), so a small change looks small.
            "rangemode": "tozero",
            "zeroline": True,
            "zerolinecolor": _TEXT_COLOUR,
            "title": {"text": unit_label},
            "automargin": True,
        },
    )


def _axis_note(
    points: Sequence[ChartPoint],
    trajectory: Sequence[tuple[date, Decimal]],
    comparator: Sequence[ComparatorPoint],
) -> str:
    """Return where the value axis starts, in words (it always includes zero)."""
    plotted = [
        *(p.value for p in points if p.value is not None),
        *(p.target - p.tolerance for p in points if p.target is not None),
        *(value for _, value in trajectory),
        *(c.value for c in comparator),
    ]
    if not plotted:
        return ""
    if min(plotted) < ZERO:
        return "The vertical axis runs below zero, with a line at zero."
    return "The vertical axis starts at zero."


def _trend(values: Sequence[Decimal]) -> str:
    """Return whether the last three values rose, fell, held level or were mixed."""
    first, second, third = values[-3:]
    if first < second < third:
        return "rose"
    if first > second > third:
        return "fell"
    if first == second == third:
        return "held level"
    return "were mixed"


def _summary(
    title: str, points: Sequence[ChartPoint], value_format: Callable[[Decimal], str]
) -> str:
    """Return the chart's text alternative: the latest reading against target, then the trend."""
    readings = [(p, p.value) for p in points if p.value is not None]
    if not readings:
        return NO_READINGS
    latest, latest_value = readings[-1]
    first = f"{title}: {value_format(latest_value)} in {latest.period_label}"
    if latest.target is not None:
        first += f" against a target of {value_format(latest.target)}"
    label = RAG_LABELS[latest.rag].lower()
    status = f"{_RAG_WORDS[latest.rag]}, {label}" if latest.rag in _RAG_WORDS else label
    if latest.synthetic:
        status += f"; {SYNTHETIC_NOTE}"
    first += f" ({status})."

    count = len(readings)
    second = (
        "There is a reading for 1 period"
        if count == 1
        else f"There are readings for {count} periods"
    )
    synthetic = sum(p.synthetic for p, _ in readings)
    if synthetic and synthetic == count and count > 1:
        second += f", all {SYNTHETIC_NOTE}"
    elif synthetic and synthetic < count:
        second += f", {synthetic} of them {SYNTHETIC_NOTE}"
    if count >= 3:
        second += f"; the last three {_trend([value for _, value in readings])}"
    gaps = [p.period_label for p in points if p.value is None]
    third = f" No figure for {_listed(gaps)}." if gaps else ""
    return f"{first} {second}.{third}"


def _listed(labels: Sequence[str]) -> str:
    """Return labels as a list in words: "A", "A and B", "A, B and C"."""
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def _table_caption(title: str, unit_label: str) -> str:
    """Return the data table's caption: the indicator's name and its unit."""
    return f"{title} by period ({unit_label})" if unit_label else f"{title} by period"


def indicator_chart(
    *,
    element_id: str,
    title: str,
    unit_label: str,
    points: Sequence[ChartPoint],
    trajectory: Sequence[tuple[date, Decimal]] = (),
    comparator: Sequence[ComparatorPoint] = (),
    comparator_label: str = "",
    value_format: Callable[[Decimal], str] = str,
) -> Chart:
    """Return an indicator's chart: values by status, target, band, trajectory and comparator."""
    if not _ELEMENT_ID.fullmatch(element_id):
        raise ValueError(
            f"element_id must start with a letter and hold only letters, digits, '-' and '_' "
            f"(got {element_id!r})"
        )
    traces: list[go.Scatter] = _target_traces(points, value_format)
    labels_by_date = {p.period_end: p.period_label for p in points}
    if trajectory:
        traces.append(_trajectory_trace(trajectory, labels_by_date, value_format))
    if comparator:
        name = comparator_label or "Comparator"
        traces.append(_comparator_trace(comparator, name, labels_by_date, value_format))
    traces.append(_value_trace(points, value_format))  # last, so it is drawn on top
    figure = go.Figure(data=traces, layout=_layout(points, unit_label, value_format))
    rows = [
        (
            p.period_label,
            "No data" if p.value is None else value_format(p.value),
            "No target" if p.target is None else value_format(p.target),
            _status_text(p),
            p.direction,
        )
        for p in reversed(points)  # newest first, as people read a list of readings
    ]
    return Chart(
        element_id=element_id,
        figure_json=script_safe_json(figure.to_json(engine="json")),
        summary=_summary(title, points, value_format),
        table_caption=_table_caption(title, unit_label),
        table_rows=rows,
        axis_note=_axis_note(points, trajectory, comparator),
    )
