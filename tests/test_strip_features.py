"""The in-place feature matrix equals the column-by-column one it replaced, bit for bit.

The reference below is ``line_features`` as it was before the speed work (commit
06baad5): ``np.column_stack`` of one array per feature. The model must see the same
bits, or a line near the threshold could flip.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.stripping.features import (
    _CAT,
    _CHROME_LUT,
    _WINDOWS,
    FEATURE_NAMES,
    line_features,
)
from newsclean.stripping.lines import CATEGORIES, Lines, parse_lines

Array = npt.NDArray[np.float64]


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


def _ref_window_means(values: Array, widths: tuple[int, ...]) -> list[Array]:
    """Column means of ``values`` (n x k) over ``[i - w, i + w]`` without row ``i``, per width."""
    n = len(values)
    csum = np.vstack((np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)))
    idx = np.arange(n)
    out = []
    for width in widths:
        lo = np.maximum(idx - width, 0)
        hi = np.minimum(idx + width + 1, n)
        count = (hi - lo - 1).astype(np.float64)[:, None]
        total = csum[hi] - csum[lo] - values
        out.append(np.divide(total, count, out=np.zeros_like(total), where=count > 0))
    return out


def _ref_shift(values: Array, by: int, fill: float) -> Array:
    out = np.full_like(values, fill)
    if by > 0:
        out[by:] = values[:-by]
    else:
        out[:by] = values[-by:]
    return out



def _reference_line_features(lines: Lines, template: Array | None = None) -> Array:
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
        columns += [_ref_shift(long, by, 0.0), _ref_shift(bullet, by, 0.0), _ref_shift(end, by, 0.0),
                    _ref_shift(chrome, by, 1.0), blank_before if by == 1 else blank_after]
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    context = np.column_stack((long, logw, bullet, stop, end, chrome))
    return np.column_stack((*columns, *_ref_window_means(context, _WINDOWS)))


_LINES = st.one_of(
    st.sampled_from(["", "  • Home", "  • News", "Most Read", "BREAKING", "Share", "     * Sport",
                     "© 2024 All rights reserved.", "By Jane Doe", "12 March 2024", "    indented text here",
                     "The minister said on Monday that taxes would rise again next year, and then left.",
                     "A long line of prose that goes on and on, with commas, and it ends with a stop."]),
    st.text(max_size=80),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINES, max_size=40).map("\n".join), st.booleans())
def test_feature_matrix_is_bit_identical_to_the_reference(text: str, template: bool) -> None:
    lines = parse_lines(text)
    flags = np.arange(len(lines)) % 3 == 0 if template else None
    fast = line_features(lines, flags.astype(np.float64) if flags is not None else None)
    slow = _reference_line_features(lines, flags.astype(np.float64) if flags is not None else None)
    assert fast.shape == slow.shape
    assert fast.flags.c_contiguous and slow.flags.c_contiguous
    assert fast.tobytes() == slow.tobytes()


def test_feature_matrix_edges() -> None:
    for text in ("", "Home", "Home\nNews", "The minister said that taxes rise, he said on Monday."):
        lines = parse_lines(text)
        assert line_features(lines).tobytes() == _reference_line_features(lines).tobytes()
