"""Horizontal bar charts as inline SVG: no script, no font or file fetched, readable on a phone.

Horizontal bars keep long department and 科目 names legible on a narrow screen. The chart
scales with its container (viewBox, width 100%); colours and type sizes come from the page's
stylesheet through class names, so the SVG carries no style attributes (the page's content
security policy allows only its own hashed stylesheet).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# Drawn at 480 user units: on a 360–400 px phone the 14-unit text stays about 11 px high; the
# stylesheet caps the width on large screens.
WIDTH = 480
LABEL_WIDTH = 170
VALUE_WIDTH = 64
ROW_HEIGHT = 24
BAR_HEIGHT = 15
TOP = 8
LEGEND_HEIGHT = 20
AXIS_HEIGHT = 18
CHAR_WIDTH = 7.0  # width of a Latin character at the chart's 14-unit text; Han characters count twice
MAX_SEGMENTS = 4


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[float, ...]  # one value per series, stacked left to right (single series: may be negative)
    text: str  # the value printed after the bar
    flagged: bool = False  # an audit finding touches this row: the label gets a mark


@dataclass(frozen=True)
class BarChart:
    title: str
    unit: str
    series: tuple[str, ...]
    bars: tuple[Bar, ...]
    reference: float | None = None  # a dashed line at this value (100 for completion rates)
    counts: bool = False  # whole numbers: axis labels without decimals

    def __post_init__(self) -> None:
        if not 1 <= len(self.series) <= MAX_SEGMENTS:
            raise ValueError(f"a chart has 1–{MAX_SEGMENTS} series")
        for bar in self.bars:
            if len(bar.segments) != len(self.series):
                raise ValueError(f"bar {bar.label!r} has {len(bar.segments)} segments for {len(self.series)} series")
            if len(self.series) > 1 and any(v < 0 for v in bar.segments):
                raise ValueError("stacked bars take no negative segments")


def _text_width(text: str) -> float:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text) * CHAR_WIDTH


def _fit(text: str, width: float) -> str:
    """The label cut in the middle to ``width``: names differ at both ends (the region in front,
    the unit or a qualifier behind). The full label is in the tooltip and in the table."""
    if _text_width(text) <= width:
        return text
    for keep in range(len(text) - 1, 0, -1):
        head = (keep * 3 + 4) // 5  # three fifths from the front
        cut = text[:head] + "…" + text[len(text) - (keep - head) :]
        if _text_width(cut) <= width:
            return cut
    return "…"


def _legend_positions(series: tuple[str, ...]) -> list[tuple[str, float, int]]:
    """(name, x, line) of each legend entry, wrapping to a new line at the chart's width."""
    out, x, line = [], 0.0, 0
    for name in series:
        width = 15 + _text_width(name) + 12
        if x > 0 and x + width > WIDTH:
            x, line = 0.0, line + 1
        out.append((name, x, line))
        x += width
    return out


def _tick(value: float, span: float, counts: bool) -> str:
    """An axis end label with as many decimals as the scale needs (0.43 is not '0')."""
    decimals = 0 if counts or span >= 10 else (1 if span >= 1 else 2)
    return f"{value:,.{decimals}f}"


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def bar_chart_svg(chart: BarChart, chart_id: str) -> str:
    """The chart as an ``<svg>`` element (HTML-embeddable: no XML declaration, no namespace needed)."""
    legend_items = _legend_positions(chart.series) if len(chart.series) > 1 else []
    legend = (max(row for _, _, row in legend_items) + 1) * LEGEND_HEIGHT if legend_items else 0
    height = TOP + legend + ROW_HEIGHT * max(len(chart.bars), 1) + AXIS_HEIGHT
    left, right = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    totals = [sum(b.segments) for b in chart.bars]
    lo = min([0.0, *totals, *([chart.reference] if chart.reference is not None else [])])
    hi = max([0.0, *totals, *([chart.reference] if chart.reference is not None else [])])
    span = (hi - lo) or 1.0

    def x(value: float) -> float:
        return left + (value - lo) / span * (right - left)

    title_id = f"{chart_id}-title"
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{title_id}" data-bars="{len(chart.bars)}">',
        f'<title id="{title_id}">{escape(chart.title)}（{escape(chart.unit)}）</title>',
    ]
    for i, (name, lx, line) in enumerate(legend_items):
        ly = TOP + line * LEGEND_HEIGHT
        parts.append(f'<rect class="swatch s{i}" x="{_f(lx)}" y="{ly}" width="11" height="11"/>')
        parts.append(f'<text class="legend" x="{_f(lx + 15)}" y="{ly + 10}">{escape(name)}</text>')
    y0 = TOP + legend
    for row, bar in enumerate(chart.bars):
        y = y0 + row * ROW_HEIGHT
        label = ("⚠ " if bar.flagged else "") + bar.label
        parts.append(f'<g class="row{" flagged" if bar.flagged else ""}">')
        parts.append(
            f'<text class="label" x="{left - 6}" y="{y + BAR_HEIGHT - 3}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_fit(label, left - 10))}</text>"
        )
        start = 0.0
        for i, value in enumerate(bar.segments):
            a, b = sorted((x(start), x(start + value)))
            cls = f"bar s{i}" + (" neg" if value < 0 else "")
            name = f"{chart.series[i]}：" if len(chart.series) > 1 else ""
            parts.append(
                f'<rect class="{cls}" x="{_f(a)}" y="{y}" width="{_f(b - a)}" height="{BAR_HEIGHT}">'
                f"<title>{escape(bar.label)} {escape(name)}{value:,.2f} {escape(chart.unit)}</title></rect>"
            )
            start += value
        end = x(max(start, 0.0)) if start >= 0 else x(0.0)
        parts.append(f'<text class="value" x="{_f(end + 4)}" y="{y + BAR_HEIGHT - 3}">{escape(bar.text)}</text>')
        parts.append("</g>")
    axis_y = y0 + ROW_HEIGHT * max(len(chart.bars), 1)
    parts.append(f'<line class="axis" x1="{_f(x(0.0))}" y1="{y0 - 2}" x2="{_f(x(0.0))}" y2="{axis_y}"/>')
    tick_y = axis_y + 13
    parts.append(f'<text class="tick" x="{_f(x(lo))}" y="{tick_y}">{_tick(lo, span, chart.counts)}</text>')
    if chart.reference != hi:
        hi_text = _tick(hi, span, chart.counts)
        parts.append(f'<text class="tick" x="{_f(x(hi))}" y="{tick_y}" text-anchor="end">{hi_text}</text>')
    if chart.reference is not None:
        rx = _f(x(chart.reference))
        ref_text = _tick(chart.reference, span, chart.counts)
        parts.append(f'<line class="reference" x1="{rx}" y1="{y0 - 2}" x2="{rx}" y2="{axis_y}"/>')
        parts.append(f'<text class="tick" x="{rx}" y="{tick_y}" text-anchor="middle">{ref_text}</text>')
    parts.append("</svg>")
    return "".join(parts)
