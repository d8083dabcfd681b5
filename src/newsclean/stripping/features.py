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


def _window_means(rows: Array, widths: tuple[int, ...], out: Array) -> None:
    """Means of each row of ``rows`` (k x n) over ``[i - w, i + w]`` without item ``i``.

    Written to ``out`` (``len(widths) * k`` rows: width by width, row by row). All
    widths at once, with the same floating-point operations per value as one width
    at a time over columns, so the results are the same bits.
    """
    k, n = rows.shape
    csum = np.zeros((k, n + 1))
    np.cumsum(rows, axis=1, out=csum[:, 1:])
    idx = np.arange(n)
    width = np.array(widths)[:, None]
    lo = np.maximum(idx - width, 0)
    hi = np.minimum(idx + width + 1, n)
    count = (hi - lo - 1).astype(np.float64)[None]
    total = csum[:, hi] - csum[:, lo] - rows[:, None, :]
    means = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
    out[:] = means.transpose(1, 0, 2).reshape(len(widths) * k, n)


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
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    # One conversion of all integer/boolean columns (exact in float64) instead of one per column.
    raw = np.array(
        (lines.words, lines.chars, lines.stop, lines.caps, lines.digits, lines.punct, lines.end_punct,
         lines.bullet, lines.upper, lines.duplicate, lines.blank_before, lines.blank_after, lines.indent),
        dtype=np.float64,
    ).reshape(13, n)
    words = raw[0]
    safe = np.maximum(words, 1.0)
    end = raw[6]
    cat = np.asarray(lines.category, dtype=np.int64)
    chrome = _CHROME_LUT[cat]
    long = (words >= 10).astype(np.float64)
    strong = (words >= 15) & (end > 0)
    indent = raw[12]
    if strong.any():
        body_indent = float(np.bincount(indent[strong].astype(np.int64), weights=words[strong]).argmax())
    else:
        body_indent = float(np.bincount(indent.astype(np.int64)).argmax())
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
    # The rows of the (features x lines) matrix, in FEATURE_NAMES order, written in place.
    x = np.empty((len(FEATURE_NAMES), n))
    np.log1p(words, out=x[0])  # logw
    np.log1p(raw[1], out=x[1])  # logc
    x[2] = long
    x[3] = words >= 25  # very_long
    x[4] = words <= 3  # short
    np.divide(raw[2], safe, out=x[5])  # stop
    np.divide(raw[3:5], safe, out=x[6:8])  # caps, digits
    np.minimum(raw[5] / safe, 1.0, out=x[8])  # punct
    x[9:15] = raw[6:12]  # end, bullet, upper, dup, blank_before, blank_after
    x[15] = indent == body_indent
    x[16] = np.minimum(np.abs(indent - body_indent), 12.0) / 4.0
    x[17] = np.arange(n, dtype=np.float64) / max(n - 1, 1)
    x[18] = (cum - mass) / total_mass
    x[19] = (total_mass - cum) / total_mass
    np.log1p(np.minimum(near, 50.0), out=x[20])
    np.log1p(_run_length((words <= 4).astype(np.float64)), out=x[21])
    x[22] = _since((cat == _CAT["teaser"]).astype(np.float64))
    x[23] = _since((cat == _CAT["ticker"]).astype(np.float64))
    x[24] = template if template is not None else 0.0
    x[25:34] = cat == np.arange(1, len(CATEGORIES))[:, None]  # cat_*
    # prev_* / next_*: long, bullet, end, chrome of the neighbour (chrome 1 past the edge), blank.
    shifted = np.array((long, raw[7], end, chrome))
    edge = np.array((0.0, 0.0, 0.0, 1.0))
    x[34:38, 0] = edge
    x[34:38, 1:] = shifted[:, :-1]
    x[38] = raw[10]
    x[39:43, -1] = edge
    x[39:43, :-1] = shifted[:, 1:]
    x[43] = raw[11]
    _window_means(np.array((long, x[0], raw[7], x[5], end, chrome)), _WINDOWS, x[44:])
    # Transposed into the C-ordered (lines x features) matrix the model was always
    # given (the same bits, the same memory order).
    return np.ascontiguousarray(x.T)
