"""Charts for staff pages, drawn on the server as SVG: no script, no chart library
from elsewhere (P2 holds for staff too). Black on white, told apart by shape, not
colour, and the same numbers always in a table beside them.

- ``line_chart`` (templates/admin/line_chart.svg): lines over positions, solid with
  round marks or dashed with square marks (the visit statistics by day, the staff home
  page's inquiries per week).
- ``bar_chart``: one horizontal bar per label (a survey's counts per choice).
"""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
MOST_LABELS = 8


def coordinate(value: float) -> str:
    """As SVG reads it, whatever the staff's locale."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "2026-12-01: 42 page views", the point's <title>

    @property
    def cx(self) -> str:
        return coordinate(self.x)

    @property
    def cy(self) -> str:
        return coordinate(self.y)

    @property
    def corner_x(self) -> str:
        return coordinate(self.x - 4)

    @property
    def corner_y(self) -> str:
        return coordinate(self.y - 4)


@dataclass(frozen=True)
class Series:
    name: str
    points: list[Point]
    dashed: bool

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.cx},{point.cy}" for point in self.points)


@dataclass(frozen=True)
class Tick:
    position: str
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    bottom: int
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def nice_ceiling(value: int) -> int:
    """The top of the scale: 1, 2 or 5 times a power of ten, at least the value."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def line_chart(positions: list[tuple[str, str]], lines: list[tuple[str, list[int], bool]],
               *, most_labels: int = MOST_LABELS) -> Chart:
    """positions: (short label under the axis, full name in each point's title), left
    to right; lines: (name, one value a position, dashed)."""
    top_value = nice_ceiling(max((max(values, default=0) for _, values, _ in lines), default=0))
    inner_width, inner_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return LEFT + (inner_width / 2 if len(positions) == 1 else
                       inner_width * index / (len(positions) - 1))

    def y(value: int) -> float:
        return TOP + inner_height * (1 - value / top_value)

    series = [Series(name=name, dashed=dashed, points=[
        Point(x(index), y(value), f"{full}: {value} {name.lower()}")
        for index, ((_, full), value) in enumerate(zip(positions, values, strict=True))])
        for name, values, dashed in lines]
    y_ticks = [Tick(coordinate(y(top_value * n / 4)), f"{top_value * n / 4:g}")
               for n in range(5)]
    step = max(1, math.ceil(len(positions) / most_labels))
    x_ticks = [Tick(coordinate(x(index)), short) for index, (short, _) in enumerate(positions)
               if index % step == 0]
    return Chart(width=WIDTH, height=HEIGHT, left=LEFT, right=WIDTH - RIGHT,
                 bottom=HEIGHT - BOTTOM, series=series, y_ticks=y_ticks, x_ticks=x_ticks)


BAR_HEIGHT, BAR_GAP, BAR_LABEL_WIDTH, BAR_COUNT_WIDTH = 22, 10, 260, 56
# A label longer than this is cut with an ellipsis in the image; the table has it whole.
BAR_LABEL_CHARACTERS = 38


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: str
    text_y: str
    width: str
    end_x: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_x: int
    bars: list[Bar]


def bar_chart(counts: list[tuple[str, int]]) -> BarChart:
    """One bar per (label, count), in the order given, the longest bar the widest."""
    top_value = max((count for _, count in counts), default=0) or 1
    inner_width = WIDTH - BAR_LABEL_WIDTH - BAR_COUNT_WIDTH
    bars = []
    for index, (label, count) in enumerate(counts):
        top = TOP + index * (BAR_HEIGHT + BAR_GAP)
        width = inner_width * count / top_value
        shown = label if len(label) <= BAR_LABEL_CHARACTERS else (
            label[:BAR_LABEL_CHARACTERS - 1] + "\u2026")
        bars.append(Bar(label=shown, count=count, y=coordinate(top),
                        text_y=coordinate(top + BAR_HEIGHT / 2), width=coordinate(width),
                        end_x=coordinate(BAR_LABEL_WIDTH + width + 6)))
    height = TOP * 2 + max(1, len(counts)) * (BAR_HEIGHT + BAR_GAP)
    return BarChart(width=WIDTH, height=height, bar_x=BAR_LABEL_WIDTH, bars=bars)
