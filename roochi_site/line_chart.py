"""A line chart for staff pages, drawn on the server as SVG (templates/admin/line_chart.svg):
no script, no chart library from elsewhere (P2 holds for staff too). Lines differ in
shape, not colour: solid with round marks, or dashed with square marks; the page
that shows one also gives its numbers in a table (the visit statistics, the staff
home page's inquiries per week)."""

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
