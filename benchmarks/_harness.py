"""Benchmark helpers: timing, peak memory, and one table printer with ratio columns.

Usable by any benchmark script (``sys.path`` holds ``benchmarks/`` when a script there
runs):

    from _harness import measure, print_table
    run = measure(lambda: work(data))          # Run(seconds, peak_mb, value)
    print_table(rows, columns, ratio_to="rensa", ratio_of="docs/s")
"""

from __future__ import annotations

import gc
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Run", "measure", "print_table", "rss_mb"]


@dataclass(frozen=True)
class Run:
    """One measured call.

    Attributes:
        seconds: wall-clock time of the best repeat.
        peak_mb: peak Python-heap growth during the call (tracemalloc; numpy buffers are
            traced too), in MB; ``nan`` when not traced.
        value: what the call returned (of the last repeat).
    """

    seconds: float
    peak_mb: float
    value: Any


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux: ru_maxrss in KB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(fn: Callable[[], Any], *, repeat: int = 1, trace_memory: bool = False) -> Run:
    """Time ``fn`` (best of ``repeat``); with ``trace_memory``, also its peak heap growth.

    Memory tracing slows Python-heavy code a lot, so time and memory are measured in
    separate calls when both are wanted: the time without tracing, the memory with it.
    """
    best = float("inf")
    value: Any = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    peak = float("nan")
    if trace_memory:
        value = None
        gc.collect()
        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        value = fn()
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peak = (top - base) / 1e6
    return Run(seconds=best, peak_mb=peak, value=value)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if value != value:  # nan
            return "-"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3f}"
    return str(value)


def print_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    ratio_to: str | None = None,
    ratio_of: Sequence[str] = (),
    key: str = "system",
    title: str | None = None,
) -> None:
    """Print ``rows`` as a Markdown table; add ``<col> x`` ratio columns vs row ``ratio_to``.

    Args:
        rows: one dict per row; ``key`` names the row.
        columns: columns to print, in order (``key`` first implicitly).
        ratio_to: the ``key`` value of the reference row for ratio columns.
        ratio_of: columns that get a ratio column (value / reference value).
        key: the column holding the row name.
        title: printed above the table.
    """
    ref = next((r for r in rows if r.get(key) == ratio_to), None)
    header = [key, *columns]
    for col in ratio_of:
        if ref is not None:
            header.append(f"{col} x {ratio_to}")
    lines = []
    for row in rows:
        cells = [_fmt(row.get(key, "")), *(_fmt(row.get(c, float("nan"))) for c in columns)]
        for col in ratio_of:
            if ref is not None:
                base = ref.get(col)
                val = row.get(col)
                ok = isinstance(base, (int, float)) and isinstance(val, (int, float)) and base
                cells.append(f"{val / base:.2f}" if ok else "-")  # type: ignore[operator]
        lines.append(cells)
    widths = [max(len(h), *(len(c[i]) for c in lines)) for i, h in enumerate(header)]
    if title:
        print(f"\n{title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for cells in lines:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |")
    sys.stdout.flush()
