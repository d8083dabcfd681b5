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
from .measure import _kernels

__all__ = ["CONTEXT_NAMES", "FEATURE_NAMES", "context_features", "line_features"]

Array = npt.NDArray[np.float64]

_WINDOWS = (1, 2, 4, 8)
_WIDTHS = np.array(_WINDOWS, dtype=np.int64)
_NO_TEMPLATE = np.zeros(0)
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
    raw = lines.numbers if lines.numbers is not None else np.array(
        (lines.words, lines.chars, lines.stop, lines.caps, lines.digits, lines.punct, lines.end_punct,
         lines.bullet, lines.upper, lines.duplicate, lines.blank_before, lines.blank_after, lines.indent),
        dtype=np.float64,
    ).reshape(13, n)
    compiled = _kernels()
    cat = np.asarray(lines.category, dtype=np.int64)
    x = np.empty((len(FEATURE_NAMES), n))
    args = np.empty((6, n))
    compiled.feature_rows(raw, cat, _CHROME_LUT, len(CATEGORIES), _CAT["teaser"], _CAT["ticker"],
                 _NO_TEMPLATE if template is None else np.ascontiguousarray(template, dtype=np.float64), x, args)
    np.log1p(args[0:2], out=x[0:2])  # logw, logc
    np.log1p(args[2:4], out=x[20:22])  # near_long, short_run
    np.exp(args[4:6], out=x[22:24])  # since_teaser, since_ticker
    compiled.window_means(np.array((x[2], x[0], raw[7], x[5], raw[6], _CHROME_LUT[cat])), _WIDTHS, x, 44)
    # Transposed into the C-ordered (lines x features) matrix the model was always
    # given (the same bits, the same memory order).
    return np.ascontiguousarray(x.T)


# -- the second pass: each line's first-pass probability in its page's context ----------

_P_WINDOWS = (2, 4, 16)
_KEPT_AT = 0.5  # a line "kept" by the first pass, for the run features below
_RUN_GAP = 10  # kept lines further apart than this many lines start a new run
_FAR = 1000.0  # the distance of a line to a run that does not exist
_OWN = ("logw", "long", "stop", "end", "bullet", "dup", "blank_before", "blank_after", "pos",
        "indent_same", "mass_before", "mass_after")
_OWN_COLUMNS = np.array([FEATURE_NAMES.index(c) for c in _OWN], dtype=np.int64)
_CHROME_COLUMNS = np.array([FEATURE_NAMES.index(f"cat_{c}") for c in
                            ("menu", "ticker", "teaser", "share", "cookie", "footer", "form")], dtype=np.int64)
#: Column names of :func:`context_features`, in order.
CONTEXT_NAMES: tuple[str, ...] = (
    "p", "logit", "prev_p", "next_p", "left_max4", "right_max4", "left_mean8", "right_mean8",
    *(f"mean{k}" for k in _P_WINDOWS), "min2",
    "gap_up", "gap_down", "in_main", "main_dist", "main_share", "run_share", "kept_share", "mean_p",
    "p_mass_before", "p_mass_after", "lines", "chrome",
    *(f"own_{c}" for c in _OWN),
)


def _side_windows(p: Array, k: int) -> tuple[Array, Array, Array, Array]:
    """Max and mean of the ``k`` values before and the ``k`` after each position (0 where none)."""
    n = len(p)
    pad = np.concatenate((np.zeros(k), p, np.zeros(k)))
    left_max, right_max = np.zeros(n), np.zeros(n)
    for shift in range(1, k + 1):  # k shifted copies: cheaper than a window view for small k
        np.maximum(left_max, pad[k - shift:k - shift + n], out=left_max)
        np.maximum(right_max, pad[k + shift:k + shift + n], out=right_max)
    cum = np.concatenate(([0.0], np.cumsum(pad)))
    idx = np.arange(n)
    left_sum = cum[idx + k] - cum[idx]  # pad[i:i + k] = p[i - k:i]
    right_sum = cum[idx + 2 * k + 1] - cum[idx + k + 1]  # pad[i + k + 1:i + 2k + 1] = p[i + 1:i + k + 1]
    left_count = np.minimum(idx, k)
    right_count = np.minimum(n - 1 - idx, k)
    return left_max, right_max, left_sum / np.maximum(left_count, 1), right_sum / np.maximum(right_count, 1)


def _around_mean(cum: Array, p: Array, k: int) -> Array:
    """Mean of the values within ``k`` positions of each one, itself left out (0 where none)."""
    n = len(p)
    idx = np.arange(n)
    lo, hi = np.maximum(idx - k, 0), np.minimum(idx + k + 1, n)
    count = hi - lo - 1
    mean: Array = (cum[hi] - cum[lo] - p) / np.maximum(count, 1)
    return mean


def context_features(x: Array, p: Array) -> Array:
    """The second pass's rows: each line's first-pass probability among its neighbours'.

    The first pass judges a line by its own measurements and means of its neighbours'
    measurements; this describes what the first pass made of the neighbourhood: the
    probabilities of the lines around (means, maxima on each side), how far the nearest
    kept line is (``p >= 0.5``), whether the line lies inside the main run of kept lines
    (gaps of <= 10 lines; the run with the most words) and what share of the page's words
    that run and all kept lines hold, plus a few of the line's own columns.

    Args:
        x: the page's :func:`line_features` matrix.
        p: the first pass's probability for each of its rows.

    Returns:
        A float64 array of shape ``(len(p), len(CONTEXT_NAMES))``.

    Examples:
        >>> from newsclean.stripping.lines import parse_lines
        >>> x = line_features(parse_lines("Home\\nThe minister said that taxes rise.\\nShare"))
        >>> c = context_features(x, np.array([0.1, 0.9, 0.2]))
        >>> c.shape == (3, len(CONTEXT_NAMES))
        True
        >>> c[:, CONTEXT_NAMES.index("in_main")].tolist(), c[:, CONTEXT_NAMES.index("prev_p")].tolist()
        ([0.0, 1.0, 0.0], [0.0, 0.1, 0.9])
    """
    n = len(p)
    if n == 0:
        return np.zeros((0, len(CONTEXT_NAMES)))
    p = np.asarray(p, dtype=np.float64)
    out = np.empty((len(CONTEXT_NAMES), n))  # one row per column, transposed at the end
    col = iter(range(len(CONTEXT_NAMES)))
    out[next(col)] = p
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    out[next(col)] = np.log(clipped / (1 - clipped))
    prev_p = np.concatenate(([0.0], p[:-1]))
    next_p = np.concatenate((p[1:], [0.0]))
    out[next(col)] = prev_p
    out[next(col)] = next_p
    left_max, right_max, _, _ = _side_windows(p, 4)
    _, _, left_mean, right_mean = _side_windows(p, 8)
    for column in (left_max, right_max, left_mean, right_mean):
        out[next(col)] = column
    cum = np.concatenate(([0.0], np.cumsum(p)))
    for k in _P_WINDOWS:
        out[next(col)] = _around_mean(cum, p, k)
    out[next(col)] = np.minimum(np.minimum(prev_p, next_p),
                                   np.minimum(np.concatenate(([0.0, 0.0], p[:-2]))[:n],
                                              np.concatenate((p[2:], [0.0, 0.0]))[:n]))
    words = np.rint(np.expm1(x[:, FEATURE_NAMES.index("logw")]))
    total_words = max(float(words.sum()), 1.0)
    idx = np.arange(n)
    kept = p >= _KEPT_AT
    up = np.maximum.accumulate(np.where(kept, idx, -1))  # last kept line at or before i
    down = np.minimum.accumulate(np.where(kept, idx, n)[::-1])[::-1]  # first kept at or after i
    out[next(col)] = np.log1p(np.where(up >= 0, idx - up, _FAR))
    out[next(col)] = np.log1p(np.where(down < n, down - idx, _FAR))
    in_main, main_dist, main_share, run_share = (np.zeros(n), np.full(n, np.log1p(_FAR)),
                                                 np.zeros(n), np.zeros(n))
    at = np.flatnonzero(kept)
    if len(at):
        run = np.concatenate(([0], np.cumsum(np.diff(at) - 1 > _RUN_GAP)))
        run_words = np.bincount(run, weights=words[at])
        ids = np.arange(run[-1] + 1)
        starts, ends = at[np.searchsorted(run, ids)], at[np.searchsorted(run, ids, "right") - 1]
        main = int(np.argmax(run_words))
        lo, hi = starts[main], ends[main]
        in_main = ((idx >= lo) & (idx <= hi)).astype(np.float64)
        main_dist = np.log1p(np.maximum(lo - idx, 0) + np.maximum(idx - hi, 0))
        main_share = np.full(n, run_words[main] / total_words)
        # the share of the page's words of the run whose span holds the line (0 outside runs)
        which = np.searchsorted(starts, idx, "right") - 1
        inside = (which >= 0) & (idx <= ends[np.maximum(which, 0)])
        run_share = np.where(inside, run_words[np.maximum(which, 0)] / total_words, 0.0)
    for column in (in_main, main_dist, main_share, run_share):
        out[next(col)] = column
    out[next(col)] = float(words[kept].sum()) / total_words
    out[next(col)] = float(p.mean())
    mass = np.cumsum(words * p)
    all_mass = max(float(mass[-1]), 1.0)
    out[next(col)] = (mass - words * p) / all_mass
    out[next(col)] = (mass[-1] - mass) / all_mass
    out[next(col)] = np.log1p(n)
    out[next(col)] = x[:, _CHROME_COLUMNS].max(axis=1)
    first = next(col)
    out[first:first + len(_OWN)] = x[:, _OWN_COLUMNS].T
    return np.ascontiguousarray(out.T)
