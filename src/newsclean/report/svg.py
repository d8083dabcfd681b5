"""Bar charts as plain inline SVG (no JavaScript, no fonts to fetch, no matplotlib).

A chart is a string of SVG markup with every label escaped, so a template can insert it
as is. Each bar carries a ``<title>`` (a tooltip in browsers) with its exact count, and
its count is also written above it, so the chart reads without hovering.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["bar_chart", "unit_bins"]


def unit_bins(bins: int) -> list[str]:
    """Labels of ``bins`` equal bins over [0, 1]: ``"0.00-0.05"``, ...

    Examples:
        >>> unit_bins(4)
        ['0.00-0.25', '0.25-0.50', '0.50-0.75', '0.75-1.00']
    """
    return [f"{i / bins:.2f}-{(i + 1) / bins:.2f}" for i in range(bins)]


def _count(n: int) -> str:
    return f"{n:,}" if n < 10_000 else f"{n / 1000:.0f}k" if n < 1_000_000 else f"{n / 1e6:.1f}M"


def bar_chart(
    bars: Sequence[tuple[str, int]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 580,
    height: int = 230,
    label_every: int = 1,
    marker: tuple[float, str] | None = None,
) -> str:
    """An SVG bar chart of ``(label, count)`` bars.

    Args:
        bars: the bars, left to right.
        title: the chart's accessible title (``<title>`` of the SVG).
        x_label: what the bars are.
        y_label: what the counts are.
        width: pixels.
        height: pixels.
        label_every: write every n-th x label (for many narrow bars).
        marker: ``(position, text)``: a dashed vertical line at ``position`` in [0, 1] of
            the x axis (e.g. the threshold), with its text.

    Returns:
        The ``<svg>`` element as a string.

    Examples:
        >>> svg = bar_chart([("1", 5), ("2", 0), ("3+", 12)], title="Sizes", x_label="size",
        ...                 y_label="clusters")
        >>> svg.startswith("<svg") and svg.count("<rect") == 3 and "12</text>" in svg
        True
        >>> "&lt;b&gt;" in bar_chart([("<b>", 1)], title="t", x_label="x", y_label="y")
        True
    """
    left, right, top, bottom = 56, 12, 26, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((n for _, n in bars), default=0) or 1
    step = plot_w / max(len(bars), 1)
    gap = min(4.0, step * 0.15)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" class="axis"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" class="tick">{_count(peak)}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" class="tick">0</text>',
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" class="label">'
        f"{escape(x_label)}</text>",
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" class="label" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(y_label)}</text>',
    ]
    for k, (label, n) in enumerate(bars):
        x = left + k * step + gap / 2
        h = plot_h * n / peak
        y = top + plot_h - h
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(step - gap, 1):.1f}" height="{h:.1f}" '
                   f'class="bar"><title>{escape(label)}: {n:,}</title></rect>')
        if n:
            out.append(f'<text x="{x + (step - gap) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                       f'class="count">{_count(n)}</text>')
        if k % label_every == 0:
            out.append(f'<text x="{x + (step - gap) / 2:.1f}" y="{top + plot_h + 14}" '
                       f'text-anchor="middle" class="tick">{escape(label)}</text>')
    if marker is not None:
        position, text = marker
        mx = left + plot_w * min(max(position, 0.0), 1.0)
        out.append(f'<line x1="{mx:.1f}" y1="{top - 8}" x2="{mx:.1f}" y2="{top + plot_h}" class="marker"/>')
        out.append(f'<text x="{mx + 4:.1f}" y="{top - 10}" class="marker-text">{escape(text)}</text>')
    out.append("</svg>")
    return "".join(out)
