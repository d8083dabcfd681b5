"""Line features for the chrome classifier: the line itself and its neighbourhood.

Each non-blank line becomes one row of numbers. Besides the line's own measurements
(length, stopword and capital ratios, punctuation, bullet, indentation, pattern
category), a row describes the line's context, which is where chrome shows itself: a
menu is a *run* of short bulleted lines, the body is the densest region of long,
punctuated, stopword-rich lines at the page's main indentation, and a teaser list
follows a "Most Read" heading. Context features are means over windows of 1, 2, 4 and
8 lines each side (cumulative sums, so the cost is linear), where the body mass lies
before and after the line, and how far the last teaser or ticker heading is.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .lines import CATEGORIES, Lines

__all__ = ["FEATURE_NAMES", "line_features"]

Array = npt.NDArray[np.float64]

_WINDOWS = (1, 2, 4, 8)
_CONTEXT_COLUMNS = ("long", "logw", "bullet", "stop", "end", "chrome")
_CAT = {name: code for code, name in enumerate(CATEGORIES)}
_CHROME_CODES = tuple(_CAT[c] for c in ("menu", "ticker", "teaser", "share", "cookie", "footer", "form"))
_CHROME_LUT = np.isin(np.arange(len(CATEGORIES)), _CHROME_CODES).astype(np.float64)
_BASE = (
    "logw", "logc", "long", "very_long", "short", "stop", "caps", "digits", "punct", "end",
    "bullet", "upper", "dup", "blank_before", "blank_after", "indent_same", "indent_diff",
    "pos", "mass_before", "mass_after", "near_long", "short_run", "since_teaser",
    "since_ticker", "template",
    *(f"cat_{c}" for c in CATEGORIES[1:]),
    *(f"{side}_{c}" for side in ("prev", "next") for c in ("long", "bullet", "end", "chrome", "blank")),
)
#: Column names of :func:`line_features`, in order.
FEATURE_NAMES: tuple[str, ...] = (
    *_BASE,
    *(f"ctx{w}_{c}" for w in _WINDOWS for c in _CONTEXT_COLUMNS),
)


def _window_means(rows: Array, widths: tuple[int, ...]) -> list[Array]:
    """Means of each row of ``rows`` (k x n) over ``[i - w, i + w]`` without item ``i``, per width.

    Computed on rows (one contiguous array per value) with the same floating-point
    operations, in the same order, as over columns, so the results are the same bits.
    """
    n = rows.shape[1]
    csum = np.zeros((rows.shape[0], n + 1))
    np.cumsum(rows, axis=1, out=csum[:, 1:])
    idx = np.arange(n)
    out = []
    for width in widths:
        lo = np.maximum(idx - width, 0)
        hi = np.minimum(idx + width + 1, n)
        count = (hi - lo - 1).astype(np.float64)
        total = csum[:, hi] - csum[:, lo] - rows
        out.append(np.divide(total, count, out=np.zeros_like(total), where=count > 0))
    return out


def _shift(values: Array, by: int, fill: float) -> Array:
    out = np.full_like(values, fill)
    if by > 0:
        out[by:] = values[:-by]
    else:
        out[:by] = values[-by:]
    return out


def _since(marks: Array) -> Array:
    """exp(-d/4) where d = lines since the last marked line (0 if none before)."""
    n = len(marks)
    idx = np.arange(n)
    last = np.where(marks > 0, idx, -1)
    last = np.maximum.accumulate(last)
    dist = np.where(last >= 0, idx - last, 10_000)
    return np.exp(-dist / 4.0)


def _run_length(flags: Array) -> Array:
    """Length of the run of consecutive true ``flags`` that each line belongs to."""
    n = len(flags)
    if n == 0:
        return flags
    change = np.flatnonzero(np.diff(flags) != 0) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [n])))
    return np.repeat(lengths, lengths).astype(np.float64) * flags


def line_features(lines: Lines, template: Array | None = None) -> Array:
    """Feature matrix (one row per non-blank line, columns :data:`FEATURE_NAMES`).

    Args:
        lines: the measured lines of one dump.
        template: optional 0/1 flags of lines seen on many pages of the same site.

    Returns:
        A float64 array of shape ``(len(lines), len(FEATURE_NAMES))``.

    Examples:
        >>> from newsclean.stripping.lines import parse_lines
        >>> x = line_features(parse_lines("Home\\nThe minister said that taxes rise."))
        >>> x.shape == (2, len(FEATURE_NAMES))
        True
    """
    n = len(lines)
    # One conversion of all integer/boolean columns (exact in float64) instead of one per column.
    raw = np.array(
        (lines.words, lines.chars, lines.stop, lines.caps, lines.digits, lines.punct, lines.end_punct,
         lines.bullet, lines.upper, lines.duplicate, lines.blank_before, lines.blank_after, lines.indent),
        dtype=np.float64,
    ).reshape(13, n)
    words = raw[0]
    safe = np.maximum(words, 1.0)
    logw = np.log1p(words)
    end = raw[6]
    bullet = raw[7]
    stop = raw[2] / safe
    cat = np.asarray(lines.category, dtype=np.int64)
    chrome = _CHROME_LUT[cat]
    long = (words >= 10).astype(np.float64)
    strong = ((words >= 15) & (end > 0)).astype(np.float64)
    indent = raw[12]
    if strong.any():
        body_indent = float(np.bincount(indent[strong > 0].astype(np.int64), weights=words[strong > 0]).argmax())
    else:
        body_indent = float(np.bincount(indent.astype(np.int64)).argmax()) if n else 0.0
    mass = words * long
    total_mass = max(float(mass.sum()), 1.0)
    cum = np.cumsum(mass)
    strong_idx = np.flatnonzero(strong)
    if len(strong_idx):
        pos = np.searchsorted(strong_idx, np.arange(n))
        left = strong_idx[np.clip(pos - 1, 0, len(strong_idx) - 1)]
        right = strong_idx[np.clip(pos, 0, len(strong_idx) - 1)]
        near = np.minimum(np.abs(np.arange(n) - left), np.abs(right - np.arange(n)))
    else:
        near = np.full(n, 50.0)
    blank_before = raw[10]
    blank_after = raw[11]
    teaser = (cat == _CAT["teaser"]).astype(np.float64)
    ticker = (cat == _CAT["ticker"]).astype(np.float64)
    columns: list[Array] = [
        logw,
        np.log1p(raw[1]),
        long,
        (words >= 25).astype(np.float64),
        (words <= 3).astype(np.float64),
        stop,
        raw[3] / safe,
        raw[4] / safe,
        np.minimum(raw[5] / safe, 1.0),
        end,
        bullet,
        raw[8],
        raw[9],
        blank_before,
        blank_after,
        (indent == body_indent).astype(np.float64),
        np.minimum(np.abs(indent - body_indent), 12.0) / 4.0,
        np.arange(n, dtype=np.float64) / max(n - 1, 1),
        (cum - mass) / total_mass,
        (total_mass - cum) / total_mass,
        np.log1p(np.minimum(near, 50.0)),
        np.log1p(_run_length((words <= 4).astype(np.float64))),
        _since(teaser),
        _since(ticker),
        template if template is not None else np.zeros(n),
        *((cat == code).astype(np.float64) for code in range(1, len(CATEGORIES))),
    ]
    for by in (1, -1):
        columns += [_shift(long, by, 0.0), _shift(bullet, by, 0.0), _shift(end, by, 0.0),
                    _shift(chrome, by, 1.0), blank_before if by == 1 else blank_after]
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    context = np.array((long, logw, bullet, stop, end, chrome))
    # One (features x lines) array, transposed into the C-ordered (lines x features)
    # matrix the model was always given (the same bits, the same memory order).
    rows = np.concatenate((np.array(columns), *_window_means(context, _WINDOWS)))
    return np.ascontiguousarray(rows.T)
