"""Charts for the across-the-library screens: plotext draws the lines, the legend and titles (which
may be Chinese, two cells wide) are drawn by Textual beside it, where widths are measured right."""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

COLORS = ("cyan", "orange", "green", "magenta", "blue", "red", "yellow", "white")
RICH_OF = {"orange": "dark_orange", "white": "bright_white"}


def _ascii(text: str) -> str:
    """Plotext measures text by code points: only ASCII goes inside the plot."""
    return "".join(ch if ord(ch) < 128 else "?" for ch in text)


def nice_ticks(low: float, high: float, count: int = 5) -> tuple[list[float], list[str]]:
    """About `count` round values over [low, high] (steps of 1, 2 or 5 × 10ⁿ) and their labels:
    30,000 / 35,000 / 40,000, not 28600.0 / 32633.3."""
    if high <= low:
        return [low], [_label(low, 1.0 if low == int(low) else 0.1)]
    raw = (high - low) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    # the round step nearest the even one (0 2 4 6 8 under a peak of 8.24, not 0 5), and never so
    # coarse that fewer than three values label the axis
    steps = sorted((m * magnitude for m in (0.5, 1, 2, 5, 10)), key=lambda step: abs(math.log(step / raw)))
    for step in steps:
        ticks = _ticks(low, high, step)
        if len(ticks) >= min(3, count):
            break
    return ticks, [_label(t, step) for t in ticks]


def _ticks(low: float, high: float, step: float) -> list[float]:
    ticks = []
    value = math.ceil(low / step) * step
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _label(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return f"{value:,.{decimals}f}"


def _runs(points: list[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    """Points in runs of consecutive x (years): 2018 2019 2020 | 2023 2024."""
    runs: list[list[tuple[int, float]]] = []
    for point in points:
        if runs and point[0] == runs[-1][-1][0] + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


class Chart(Vertical):
    """A titled plot with its legend under it; `lines` draws one series per entry."""

    DEFAULT_CSS = """
    Chart { height: 1fr; }
    Chart #chart-title { height: 1; padding: 0 1; text-style: bold; }
    Chart PlotextPlot { height: 1fr; }
    Chart #chart-legend { height: auto; max-height: 3; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="chart-title")
        yield PlotextPlot()
        yield Static("", id="chart-legend")

    @property
    def plot(self) -> PlotextPlot:
        """The plotext widget."""
        return self.query_one(PlotextPlot)

    def clear(self, title: str = "") -> None:
        """An empty chart with a title (or a hint)."""
        plt = self.plot.plt
        plt.clear_data()
        plt.clear_figure()
        self.query_one("#chart-title", Static).update(Text(title))
        self.query_one("#chart-legend", Static).update(Text(""))
        self.plot.refresh()

    def lines(
        self,
        title: str,
        series: list[tuple[str, list[tuple[int, float]], list[tuple[int, float]]]],
        *,
        ylabel: str = "",
        second: str = "",
        gaps: bool = False,
    ) -> None:
        """One colour per series: its main points joined by a line, its second points as crosses
        (a plan's targets beside the outcomes). With `gaps`, a line breaks where a year is missing:
        a year with no reports has no value to draw through."""
        plt = self.plot.plt
        plt.clear_data()
        plt.clear_figure()
        xs: set[int] = set()
        legend = Text()
        for i, (name, main, extra) in enumerate(series):
            color = COLORS[i % len(COLORS)]
            for run in _runs(sorted(main)) if gaps else [main]:
                if run:
                    plt.plot([x for x, _ in run], [y for _, y in run], color=color, marker="hd")
            if extra:
                plt.scatter([x for x, _ in extra], [y for _, y in extra], color=color, marker="x")
            xs.update(x for x, _ in main)
            xs.update(x for x, _ in extra)
            if legend:
                legend.append("  ")
            legend.append("■ ", style=RICH_OF.get(color, color))
            legend.append(name)
        if xs:
            ticks = sorted(xs)
            plt.xticks(ticks, [str(t) for t in ticks])
        ys = [y for _n, main, extra in series for _x, y in (*main, *extra)]
        if ys:
            plt.yticks(*nice_ticks(min(ys), max(ys)))
        if ylabel:
            plt.ylabel(_ascii(ylabel))
        self.query_one("#chart-title", Static).update(Text(title, style="bold"))
        if second and any(extra for _n, _m, extra in series):
            legend.append(f"   — line: outcome · x: {second}", style="dim")
        self.query_one("#chart-legend", Static).update(legend)
        self.plot.refresh()

    def bars(
        self, title: str, labels: list[str], series: list[tuple[str, list[float]]], *, ylabel: str = ""
    ) -> None:
        """Bars numbered 1…n (the legend says which is which), a colour per series side by side."""
        plt = self.plot.plt
        plt.clear_data()
        plt.clear_figure()
        positions = list(range(1, len(labels) + 1))
        values = [v for _name, vs in series for v in vs]
        if values and len(series) == 1:
            plt.bar(positions, series[0][1], color=COLORS[0])
        elif values:
            plt.multiple_bar(
                positions,
                [vs for _n, vs in series],
                color=[COLORS[i % len(COLORS)] for i in range(len(series))],
            )
        if values:
            plt.xticks(positions, [str(i) for i in positions])
            plt.yticks(*nice_ticks(min(0.0, min(values)), max(values)))
        if ylabel:
            plt.ylabel(_ascii(ylabel))
        self.query_one("#chart-title", Static).update(Text(title, style="bold"))
        legend = Text()
        if len(series) > 1:
            for i, (name, _values) in enumerate(series):
                legend.append("■ ", style=RICH_OF.get(COLORS[i % len(COLORS)], COLORS[i % len(COLORS)]))
                legend.append(f"{name}  ")
            legend.append("\n")
        for i, label in enumerate(labels[:12], 1):
            legend.append(f"{i} ", style="bold")
            legend.append(f"{label}  ")
        self.query_one("#chart-legend", Static).update(legend)
        self.plot.refresh()
