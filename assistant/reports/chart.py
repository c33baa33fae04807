"""The radar chart of levels per area, drawn with matplotlib's Agg canvas into PNG bytes."""

from __future__ import annotations

import io
import math
import textwrap

from assistant.reports.document import RadarChart
from assistant.reports.fonts import CHART_FONTS, FontFile, find_font

__all__ = ["radar_png"]

_COLOURS = ("#1f5fa8", "#d9822b")  # declared blue, evidenced orange


def radar_png(chart: RadarChart, *, dpi: int = 150, font: FontFile | None = None) -> bytes:
    """Render ``chart`` as a PNG: one axis per area, one closed polygon per series."""
    # matplotlib costs about a second to import: only reports with a chart pay for it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.projections.polar import PolarAxes

    props = FontProperties(fname=str((font or find_font(CHART_FONTS)).path), size=10)
    count = len(chart.axes)
    angles = [2 * math.pi * i / count for i in range(count)]
    figure = Figure(figsize=(5.6, 4.6))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(projection="polar")
    assert isinstance(axes, PolarAxes)
    axes.set_theta_offset(math.pi / 2)  # the first area at the top, the others clockwise
    axes.set_theta_direction(-1)
    for series, colour in zip(chart.series, _COLOURS * len(chart.series), strict=False):
        closed_angles = [*angles, angles[0]]
        closed_values = [*series.values, series.values[0]]
        axes.plot(closed_angles, closed_values, color=colour, linewidth=2, label=series.name)
        axes.fill(closed_angles, closed_values, color=colour, alpha=0.18)
    axes.set_ylim(0, chart.maximum)
    axes.set_yticks(range(1, chart.maximum + 1))
    axes.set_yticklabels([str(v) for v in range(1, chart.maximum + 1)], fontsize=8, color="#666")
    axes.set_xticks(angles)
    # Long English names go on two lines; Chinese names have no spaces and stay whole.
    axes.set_xticklabels([textwrap.fill(a, 18) for a in chart.axes], fontproperties=props)
    axes.tick_params(axis="x", pad=16)
    axes.spines["polar"].set_visible(False)  # the outer ring would run through the labels
    axes.legend(loc="upper left", bbox_to_anchor=(1.08, 1.1), prop=props, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.15)
    return buffer.getvalue()
