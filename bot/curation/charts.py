"""Inline SVG charts, written by hand: no script, no fonts or files fetched, readable as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.curation.trends import Bucket

WIDTH = 720
LABEL_CHARS = 56
ROW = 26


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a horizontal bar chart: a label and its segments (css class, value)."""

    label: str
    segments: tuple[tuple[str, int], ...]
    note: str = ""

    @property
    def total(self) -> int:
        """The row's length: all its segments together."""
        return sum(value for _, value in self.segments)


def timeline_chart(buckets: Sequence[Bucket], *, title: str) -> str:
    """Stacked columns of answered and refused questions per period, and a line of the answer
    rate on a 0-100 % scale on the right."""
    height, left, right, top, bottom = 260, 44, 52, 16, 44
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = max((b.asked for b in buckets), default=0) or 1
    step = plot_w / max(1, len(buckets))
    bar_w = max(1.0, step * 0.8)
    parts = [_svg_open(WIDTH, height, title)]
    parts.append(_axes(left, top, plot_w, plot_h, peak))
    points = []
    for index, bucket in enumerate(buckets):
        x = left + index * step + (step - bar_w) / 2
        refused = bucket.asked - bucket.answered
        tip = f"{bucket.label}: {bucket.asked} question(s), {bucket.answered} answered"
        if bucket.answer_rate is not None:
            tip += f" ({bucket.answer_rate:.0%})"
        answered_h = plot_h * bucket.answered / peak
        refused_h = plot_h * refused / peak
        base = top + plot_h
        if bucket.answered:
            parts.append(_rect("answered", x, base - answered_h, bar_w, answered_h, tip))
        if refused:
            parts.append(_rect("refused", x, base - answered_h - refused_h, bar_w, refused_h, tip))
        if bucket.answer_rate is not None:
            points.append((x + bar_w / 2, top + plot_h * (1 - bucket.answer_rate), tip))
    if points:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        parts.append(f'<polyline class="rate" points="{line}" fill="none"/>')
        parts += [
            f'<circle class="rate" cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(tip)}</title>'
            "</circle>"
            for x, y, tip in points
        ]
    parts.append(_rate_axis(left + plot_w, top, plot_h))
    parts.append(_period_labels(buckets, left, step, top + plot_h))
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(bars: Sequence[Bar], *, title: str) -> str:
    """Horizontal bars, one row per label, segments side by side, the value written after."""
    label_w, value_w = 330, 90
    plot_w = WIDTH - label_w - value_w
    height = 8 + ROW * max(1, len(bars))
    peak = max((b.total for b in bars), default=0) or 1
    parts = [_svg_open(WIDTH, height, title)]
    for row, bar in enumerate(bars):
        y = 4 + row * ROW
        label = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[: LABEL_CHARS - 1] + "…"
        parts.append(
            f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">'
            f"<title>{escape(bar.label)}</title>{escape(label)}</text>"
        )
        x = float(label_w)
        for css, value in bar.segments:
            width = plot_w * value / peak
            if value:
                parts.append(_rect(css, x, y + 4, width, ROW - 8, f"{bar.label}: {value}"))
            x += width
        note = bar.note or str(bar.total)
        parts.append(f'<text class="value" x="{x + 6:.1f}" y="{y + 17}">{escape(note)}</text>')
    if not bars:
        parts.append(f'<text class="label" x="8" y="20">{escape("(nothing yet)")}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(width: int, height: int, title: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    )


def _rect(css: str, x: float, y: float, width: float, height: float, tip: str) -> str:
    return (
        f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
        f'height="{height:.1f}"><title>{escape(tip)}</title></rect>'
    )


def _axes(left: int, top: int, width: int, height: int, peak: int) -> str:
    base = top + height
    return (
        f'<line class="axis" x1="{left}" y1="{base}" x2="{left + width}" y2="{base}"/>'
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{base}"/>'
        f'<text class="tick" x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>'
        f'<text class="tick" x="{left - 6}" y="{base + 4}" text-anchor="end">0</text>'
    )


def _rate_axis(x: float, top: int, height: int) -> str:
    return (
        f'<line class="axis" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + height}"/>'
        f'<text class="tick" x="{x + 6:.1f}" y="{top + 4}">100%</text>'
        f'<text class="tick" x="{x + 6:.1f}" y="{top + height / 2 + 4:.1f}">50%</text>'
        f'<text class="tick" x="{x + 6:.1f}" y="{top + height + 4}">0%</text>'
    )


def _period_labels(buckets: Sequence[Bucket], left: int, step: float, base: int) -> str:
    if not buckets:
        return ""
    wanted = {0, len(buckets) - 1, len(buckets) // 2}
    if len(buckets) > 8:
        wanted |= {len(buckets) // 4, 3 * len(buckets) // 4}
    return "".join(
        f'<text class="tick" x="{left + i * step + step / 2:.1f}" y="{base + 18}" '
        f'text-anchor="middle">{escape(buckets[i].label)}</text>'
        for i in sorted(wanted)
    )
