"""Geometry for the server-rendered SVG charts (templates draw them).

Each chart comes with the numbers it draws, so the page shows the same
numbers as an accessible table next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BAR_HEIGHT = 22
GAP = 8
PLOT_WIDTH = 480


@dataclass
class Bar:
    label: str
    value: float | None
    text: str
    x: float
    y: float
    width: float
    height: float
    label_y: float = 0
    text_x: float = 0
    text_y: float = 0


def completion_chart(stats: list[Any]) -> dict[str, Any]:
    """Horizontal bars: the completion rate of each unit (0–100 %)."""
    bars = []
    y = 0.0
    for s in stats:
        rate = s.completion_rate
        width = PLOT_WIDTH * (rate or 0) / 100
        bars.append(
            Bar(
                label=s.unit.name,
                value=rate,
                text=f"{rate:.0f}%" if rate is not None else "—",
                x=0,
                y=y + 16,
                width=round(width, 1),
                height=BAR_HEIGHT,
                label_y=y + 12,
                text_x=PLOT_WIDTH + 6,
                text_y=y + 16 + 16,
            )
        )
        y += 16 + BAR_HEIGHT + GAP
    return {"bars": bars, "width": PLOT_WIDTH + 60, "height": max(y, 40), "plot_width": PLOT_WIDTH}


def distribution_chart(counts: list[int]) -> dict[str, Any]:
    """Vertical columns: how many grades fall in each 10-point band."""
    height, column, gap = 160, 40, 8
    top = max(counts) if counts and max(counts) else 1
    bars = []
    for i, n in enumerate(counts):
        h = round(height * n / top, 1)
        x = i * (column + gap) + 4
        bars.append(
            Bar(
                label=f"{i * 10}–{i * 10 + 10}",
                value=n,
                text=str(n),
                x=x,
                y=20 + height - h,
                width=column,
                height=h,
                label_y=20 + height + 16,
                text_x=x + column / 2,
                text_y=14,
            )
        )
    return {"bars": bars, "width": len(counts) * (column + gap) + 8, "height": height + 44}
