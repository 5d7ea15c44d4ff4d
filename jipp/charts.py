"""Geometry of the server-drawn charts of the hub (SVG, no script, no style attribute: the site's CSP).

The maturity comparison is a grouped bar chart: one group per aspect (and overall), one bar per
year, on a 0-100 scale. The numbers are also given as a table next to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .selectors import MaturityComparison

WIDTH = 720
HEIGHT = 300
LEFT = 44  # room for the scale's numbers
TOP = 12
BOTTOM = 64  # room for the group labels
RIGHT = 8
GROUP_GAP = 18
# One colour per year, told apart by colour-blind readers too (Okabe-Ito).
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]


@dataclass(frozen=True)
class ChartBar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    year: int
    value: float


@dataclass(frozen=True)
class ChartGroup:
    label: str
    centre: float
    # SVG text does not wrap: "Dissemination (penyebarluasan)" is drawn on two lines.
    lines: list[str]
    bars: list[ChartBar]


@dataclass(frozen=True)
class ChartTick:
    y: float
    value: int


@dataclass(frozen=True)
class LegendItem:
    year: int
    colour: str


@dataclass(frozen=True)
class GroupedBarChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    groups: list[ChartGroup]
    ticks: list[ChartTick]
    legend: list[LegendItem]


def maturity_chart(comparison: MaturityComparison, *, last_years: int = len(COLOURS)) -> GroupedBarChart | None:
    """The chart of the last `last_years` years, or None when no year has been submitted."""
    years = comparison.years[-last_years:]
    if not years:
        return None
    first = len(comparison.years) - len(years)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    group_width = plot_width / len(comparison.rows)
    bar_width = (group_width - GROUP_GAP) / len(years)
    colours = {year: COLOURS[index] for index, year in enumerate(years)}
    groups = []
    for position, row in enumerate(comparison.rows):
        start = LEFT + position * group_width + GROUP_GAP / 2
        bars = []
        for index, year in enumerate(years):
            value = row.scores[first + index]
            if value is None:
                continue
            height = plot_height * max(0.0, min(value, 100.0)) / 100
            bars.append(
                ChartBar(
                    x=round(start + index * bar_width, 1),
                    y=round(baseline - height, 1),
                    width=round(bar_width - 2, 1),
                    height=round(height, 1),
                    colour=colours[year],
                    year=year,
                    value=value,
                )
            )
        name, _space, rest = row.label.partition(" (")
        groups.append(
            ChartGroup(
                label=row.label,
                centre=round(start + (group_width - GROUP_GAP) / 2, 1),
                lines=[name, f"({rest}"] if rest else [name],
                bars=bars,
            )
        )
    ticks = [ChartTick(y=round(baseline - plot_height * value / 100, 1), value=value) for value in (0, 25, 50, 75, 100)]
    return GroupedBarChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        baseline=baseline,
        groups=groups,
        ticks=ticks,
        legend=[LegendItem(year=year, colour=colours[year]) for year in years],
    )
