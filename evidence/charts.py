"""Small bar charts drawn on the server as SVG: no script, nothing to download, and the same
numbers in a table beside them for anyone who cannot see the picture."""

from dataclasses import dataclass

WIDTH = 360
HEIGHT = 150
LEFT = 30  # room for the scale
BOTTOM = 22  # room for the dates
TOP = 16  # room for the number above the tallest bar
BAR_SHARE = 0.7  # of each week's slot; the rest is the gap between bars


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label_x: float
    label_y: float


def nice_ceiling(number):
    """A round number at least `number` for the top of the scale: 1, 2, 5, 10, 20, 50..."""
    step = 1
    while True:
        for multiple in (1, 2, 5):
            if step * multiple >= number:
                return step * multiple
        step *= 10


def bar_chart(chart_id, title, weeks, values):
    """Geometry and words for one chart of `values`, one per week in `weeks`."""
    plot_width = WIDTH - LEFT
    plot_height = HEIGHT - TOP - BOTTOM
    scale_top = nice_ceiling(max(values, default=0) or 1)
    slot = plot_width / len(values)
    bars = []
    for index, value in enumerate(values):
        height = plot_height * value / scale_top
        x = LEFT + index * slot + slot * (1 - BAR_SHARE) / 2
        y = TOP + plot_height - height
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(y, 1),
                width=round(slot * BAR_SHARE, 1),
                height=round(height, 1),
                value=value,
                label_x=round(x + slot * BAR_SHARE / 2, 1),
                label_y=round(y - 3, 1),
            )
        )
    return {
        "id": chart_id,
        "title": title,
        "description": describe(title, weeks, values),
        "bars": bars,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "baseline": TOP + plot_height,
        "top": TOP,
        "scale_top": scale_top,
        "first_label": weeks[0].starts_on,
        "last_label": weeks[-1].starts_on,
        "date_y": HEIGHT - 6,
        "right": WIDTH,
    }


def describe(title, weeks, values):
    total = sum(values)
    if not total:
        return f"{title}: none in the last {len(values)} weeks."
    busiest = max(range(len(values)), key=lambda i: (values[i], i))
    week = weeks[busiest].starts_on
    return (
        f"{title}, week by week over the last {len(values)} weeks: {total} in all. "
        f"The most was {values[busiest]}, in the week beginning {week.day} {week:%B}."
    )
