"""Horizontal bar charts for survey results, drawn as server-side SVG (no
script, no CDN, no inline style: the CSP allows neither)."""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 190
PLOT_WIDTH = 300
BAR = 18
GAP = 8


@dataclass
class HBar:
    label: str
    text: str
    y: float
    width: float
    text_y: float


def hbars(rows: list[tuple[str, float, str]], top: float) -> dict[str, object]:
    """rows: (label, value, text shown after the bar); `top` is the full scale."""
    bars = []
    y = 0.0
    for label, value, text in rows:
        width = PLOT_WIDTH * max(0.0, min(value, top)) / top if top else 0
        short = label if len(label) <= 30 else label[:29] + "…"
        bars.append(HBar(label=short, text=text, y=y, width=round(width, 1), text_y=y + 13))
        y += BAR + GAP
    return {
        "bars": bars,
        "width": LABEL_WIDTH + PLOT_WIDTH + 70,
        "height": max(y, BAR),
        "label_width": LABEL_WIDTH,
        "plot_width": PLOT_WIDTH,
        "bar": BAR,
        "text_x": LABEL_WIDTH + PLOT_WIDTH + 6,
    }
