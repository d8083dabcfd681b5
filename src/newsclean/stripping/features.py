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

__all__ = ["FEATURE_NAMES", "line_features"]

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
