"""Charts as SVG images drawn by pygal on the server (ADR 0011).

Each chart is returned as a ``data:`` URI for an ``<img>`` with a text alternative: it shows
without JavaScript, prints, and is never the only way to read a figure (each page puts the
table of the same numbers beside it). Withheld numbers are not drawn: a gap, as in the table.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pygal
from pygal.style import Style

# The GOV.UK palette's text-safe colours, distinct in greyscale print as well.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=(
        "#1d70b8",
        "#d4351c",
        "#00703c",
        "#f47738",
        "#4c2c92",
        "#b58840",
        "#28a197",
        "#912b88",
        "#85994b",
        "#003078",
        "#505a5f",
        "#6f72af",
        "#5694ca",
        "#f499be",
        "#0b0c0c",
    ),
    font_family="Arial, sans-serif",
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=12,
)
OPTIONS = {
    "style": STYLE,
    "js": [],  # no script: the page's content security policy allows none, and none is needed
    "width": 720,
    "height": 360,
    "print_values": False,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 3,
    "truncate_legend": -1,
    "margin": 16,
    "show_y_guides": True,
}


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str
    src: str  # a data: URI of the SVG


def _image(chart: pygal.graph.graph.Graph, title: str, alt: str) -> Chart:
    svg = chart.render()
    data = base64.b64encode(svg if isinstance(svg, bytes) else svg.encode()).decode()
    return Chart(title=title, alt=alt, src=f"data:image/svg+xml;base64,{data}")


def bars(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    alt: str,
    stacked: bool = False,
    horizontal: bool = False,
    percent: bool = False,
) -> Chart:
    kind = pygal.StackedBar if stacked else (pygal.HorizontalBar if horizontal else pygal.Bar)
    chart = kind(title=title, **OPTIONS)
    chart.x_labels = labels
    if percent:
        chart.range = (0, 100)
        chart.value_formatter = lambda value: f"{value:.0f}%"
    for name, values in series:
        chart.add(name, values)
    return _image(chart, title, alt)


def line(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    alt: str,
    percent: bool = False,
) -> Chart:
    chart = pygal.Line(title=title, allow_interruptions=True, **OPTIONS)
    chart.x_labels = labels
    if percent:
        chart.range = (0, 100)
        chart.value_formatter = lambda value: f"{value:.0f}%"
    for name, values in series:
        chart.add(name, values)
    return _image(chart, title, alt)
