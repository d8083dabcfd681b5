"""The figures rule as it was written in Python before it was compiled: the test oracle.

A verbatim copy of the former ``newsclean.duplicates.figures`` helpers (alignment by
rapidfuzz's Indel opcodes, swaps, anchoring, hunks, units), so that the compiled kernels
of :mod:`newsclean.duplicates.kernels` can be checked against it on generated pairs.
"""
# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from newsclean.duplicates.figures import FigureCheck, weigh

Stretch = tuple[int, int, int, int]
_FIGURE_BIT = np.uint32(1)
_NONE = FigureCheck((), 0, 0, False)


def _count_figures(words: list[int], lo: int, hi: int) -> int:
    return sum(w & 1 for w in words[lo:hi])


def _is_figure(word: int) -> bool:
    return bool(word & 1)


def _figure_multiset(words: npt.NDArray[np.uint32]) -> Counter[int]:
    return Counter(words[(words & _FIGURE_BIT) == 1].tolist())


def align(a: Sequence[int], b: Sequence[int]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of the word alignment: ``equal`` stretches and ``replace`` blocks.

    ``replace`` is any gap between two equal stretches (one side may be empty: an
    insertion or a deletion). The alignment is ``rapidfuzz``'s Indel opcodes (an exact
    longest common subsequence, compiled).

    Examples:
        >> align(hash_words("a b c d".split()).tolist(), hash_words("a x c d e".split()).tolist())
        [('equal', 0, 1, 0, 1), ('replace', 1, 2, 1, 2), ('equal', 2, 4, 2, 4), ('replace', 4, 4, 4, 5)]
    """
    from rapidfuzz.distance import Indel

    ops: list[tuple[str, int, int, int, int]] = []
    gap: list[int] | None = None
    raw: list[tuple[str, int, int, int, int]] = (
        [tuple(op) for op in Indel.opcodes(a, b).as_list()] if (a or b) else []  # type: ignore[misc]
    )
    for tag, i1, i2, j1, j2 in raw:
        if tag == "equal":
            if gap is not None:
                ops.append(("replace", gap[0], gap[1], gap[2], gap[3]))
                gap = None
            ops.append(("equal", i1, i2, j1, j2))
        elif gap is None:
            gap = [i1, i2, j1, j2]
        else:
            gap[1], gap[3] = i2, j2
    if gap is not None:
        ops.append(("replace", gap[0], gap[1], gap[2], gap[3]))
    return ops


def _figures(words: list[int], lo: int, hi: int) -> list[int]:
    return [w for w in words[lo:hi] if w & 1]


def same_number(x: int, y: int) -> bool:
    """Whether two plain values are one figure written with more or fewer digits.

    Equal, or the shorter (at least two digits) is the longer rounded or cut to its
    length: "1.46 billion" = "1,459,193,000", "17.1 mln" = "17,121,000", "14" = "1.4",
    "11:00" ~ "1101"; but "1.5" is not "2", nor "6" "65".

    Examples:
        >> same_number(146, 145919300), same_number(15, 2), same_number(25, 50)
        (True, False, False)
    """
    if x == y:
        return True
    short, long = sorted((str(x), str(y)), key=len)
    k = len(short)
    if k < 2 or len(long) == k:
        return False
    cut = int(long[:k])
    return int(short) in (cut, cut + (long[k] >= "5"))


def _same_figures(a: list[int], b: list[int]) -> bool:
    """The figures of two aligned stretches are the same ones, written another way."""
    plain_a = [w >> 2 for w in a if w & 3 == 3]
    plain_b = [w >> 2 for w in b if w & 3 == 3]
    if {w for w in a if w & 3 == 1} != {w for w in b if w & 3 == 1}:
        return False
    if len(plain_a) != len(plain_b):
        return sorted(plain_a) == sorted(plain_b) if not plain_a or not plain_b else False
    return all(same_number(x, y) for x, y in zip(plain_a, plain_b, strict=True))


#: Equal words a swap needs around it (the equal stretches and other swaps between the
#: nearest changes that are not swaps), unless those reach both ends of the texts. Two
#: different passages that happen to share a template (comment headers "by X on May 23,
#: 2011 at 4:03 am") align word by word on the template and leave their figures as
#: "swaps" between unrelated changes; a templated report's swaps sit in aligned text.
MIN_CONTEXT = 8


def _anchored(ops: Sequence[tuple[str, int, int, int, int]], swap_ops: set[int]) -> set[int]:
    """The swaps of ``swap_ops`` (indices into ``ops``) that sit in aligned text."""
    kept: set[int] = set()
    chain: list[int] = []
    equal = 0
    starts_at_edge = True

    def close(ends_at_edge: bool) -> None:
        if equal >= MIN_CONTEXT or (starts_at_edge and ends_at_edge):
            kept.update(chain)

    for k, op in enumerate(ops):
        if op[0] == "equal":
            equal += op[2] - op[1]
        elif k in swap_ops:
            chain.append(k)
        else:
            close(False)
            chain, equal, starts_at_edge = [], 0, False
    close(True)
    return kept


def _swaps(
    a: list[int],
    b: list[int],
    ops: Sequence[tuple[str, int, int, int, int]],
    span: int,
) -> list[Stretch]:
    found: dict[int, Stretch] = {}
    with_figures = 0
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace" or i1 == i2 or j1 == j2:
            continue
        figures_a, figures_b = _figures(a, i1, i2), _figures(b, j1, j2)
        if not (figures_a or figures_b):
            continue
        with_figures += 1
        if not (figures_a and figures_b):
            continue
        # Longer than ``span``: a swap only if both sides are nothing but figures (a
        # row of prices replaced by another: "April 5 69.35 69.25" / "April 9 70.03").
        longer = i2 - i1 > span or j2 - j1 > span
        if longer and (len(figures_a) < i2 - i1 or len(figures_b) < j2 - j1):
            continue
        if not _same_figures(figures_a, figures_b):
            found[k] = (i1, i2, j1, j2)
    out = [found[k] for k in sorted(_anchored(ops, set(found)))]
    if with_figures < 2:  # a reworded clause: two replaced stretches with figures
        return out
    for hunk in _hunks(ops, 2 * span):
        stretch = _hunk_swap(a, b, hunk, span)
        if stretch is not None and not any(_inside(s, stretch) for s in out):
            out.append(stretch)
    return sorted(out)


def _inside(inner: Stretch, outer: Stretch) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _hunks(
    ops: Sequence[tuple[str, int, int, int, int]], gap: int
) -> list[list[tuple[str, int, int, int, int]]]:
    """Changes grouped when at most ``gap`` equal words lie between them."""
    hunks: list[list[tuple[str, int, int, int, int]]] = []
    current: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        if op[0] == "equal":
            if op[2] - op[1] > gap and current:
                hunks.append(current)
                current = []
            continue
        current.append(op)
    if current:
        hunks.append(current)
    return hunks


def _hunk_swap(
    a: list[int],
    b: list[int],
    hunk: Sequence[tuple[str, int, int, int, int]],
    span: int,
) -> Stretch | None:
    """A short reworded clause in which the same unit word follows other figures.

    At least two replaced stretches with words on both sides, at most ``3 * span``
    changed words on each side; "150 mln" on one side, "100 mln" on the other.
    """
    if len(hunk) < 2:
        return None
    replaced = [op for op in hunk if op[2] > op[1] and op[4] > op[3]]
    if len(replaced) < 2:
        return None
    removed = sum(op[2] - op[1] for op in hunk)
    added = sum(op[4] - op[3] for op in hunk)
    if len(replaced) < 2 or removed > 3 * span or added > 3 * span:
        return None
    units_a = _units(a, [(op[1], op[2]) for op in replaced])
    units_b = _units(b, [(op[3], op[4]) for op in replaced])
    for unit, figures in units_a.items():
        other = units_b.get(unit)
        if other is not None and _unmatched(figures, other) and _unmatched(other, figures):
            return (hunk[0][1], hunk[-1][2], hunk[0][3], hunk[-1][4])
    return None


def _unmatched(figures: set[int], others: set[int]) -> bool:
    """Some figure of ``figures`` has no equal (:func:`same_number`) in ``others``."""
    for w in figures - others:
        if w & 3 != 3 or not any(o & 3 == 3 and same_number(w >> 2, o >> 2) for o in others):
            return True
    return False


def _units(values: list[int], stretches: Sequence[tuple[int, int]]) -> dict[int, set[int]]:
    """Figures of ``stretches`` by the word after each (its unit: mln, pct, dlrs...)."""
    units: dict[int, set[int]] = {}
    for lo, hi in stretches:
        for p in range(lo, hi):
            if _is_figure(values[p]) and p + 1 < len(values) and not _is_figure(values[p + 1]):
                units.setdefault(values[p + 1], set()).add(values[p])
    return units




def check_figures(
    a: npt.NDArray[np.uint32],
    b: npt.NDArray[np.uint32],
    *,
    span: int = 4,
    multiset_checked: bool = False,
) -> FigureCheck:
    """The figures rule on two texts' :func:`figure_words`.

    Args:
        a: figure words of the first text.
        b: figure words of the second text.
        span: the longest replaced stretch (words, each side) that counts as a swap.
        multiset_checked: the caller already knows that each text has figure
            occurrences the other lacks (the engines check it for all pairs at once).

    Returns:
        A :class:`FigureCheck`.

    Examples:
        >> one = hash_words("fed adds 1 5 billion dlrs at 6 pct on monday".split())
        >> two = hash_words("fed adds two billion dlrs at 6 pct on tuesday".split())
        >> check_figures(one, two).conflict
        True
        >> check_figures(one, hash_words("washington reuters".split() + [])).conflict
        False
    """
    a = np.asarray(a, dtype=np.uint32)
    b = np.asarray(b, dtype=np.uint32)
    if not multiset_checked:
        count_a, count_b = _figure_multiset(a), _figure_multiset(b)
        # Unless each side has figure occurrences the other lacks, nothing was swapped.
        if not (count_a - count_b) or not (count_b - count_a):
            return _NONE
    la, lb = a.tolist(), b.tolist()
    ops = align(la, lb)
    swaps = _swaps(la, lb, ops, span)
    if not swaps:
        return _NONE
    shared = sum(op[2] - op[1] for op in ops if op[0] == "equal")
    swapped = sum(
        max(_count_figures(la, s[0], s[1]), _count_figures(lb, s[2], s[3])) for s in swaps
    )
    figures = min(int(np.count_nonzero(a & _FIGURE_BIT)), int(np.count_nonzero(b & _FIGURE_BIT)))
    return FigureCheck(tuple(swaps), swapped, shared, weigh(len(swaps), swapped, figures))


def numpy_figure_words(hashes, digits, values, figure_hashes, number_from, number_value):
    """The former numpy ``figure_words`` (tables passed in)."""

    def lookup(keys, h):
        pos = np.minimum(np.searchsorted(keys, h), len(keys) - 1)
        return np.asarray(keys[pos] == h), pos

    h = np.asarray(hashes, dtype=np.uint32)
    value = np.asarray(values, dtype=np.int64)
    is_word, _ = lookup(figure_hashes, h)
    figure = np.asarray(digits, dtype=bool) | is_word
    number, pos = lookup(number_from, h)
    value = np.where(number, number_value[pos], value)
    plain = value >= 0
    out = np.where(figure, (h & ~np.uint32(3)) | _FIGURE_BIT, h & ~_FIGURE_BIT).astype(np.uint32)
    out[plain] = (value[plain].astype(np.uint32) << np.uint32(2)) | np.uint32(3)
    return out


def numpy_candidate_pairs(keys, max_group):
    """The former numpy ``candidate_pairs``: one band at a time, then ``np.unique``."""
    keys = np.asarray(keys, dtype=np.uint64)
    if keys.ndim == 1:
        keys = keys[:, None]
    n = keys.shape[0]
    parts = [_column_pair_codes(keys[:, band], max_group) for band in range(keys.shape[1])]
    codes = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    return np.stack((codes // max(n, 1), codes % max(n, 1)), axis=1)


def _column_pair_codes(column: npt.NDArray[np.uint64], max_group: int) -> npt.NDArray[np.int64]:
    """Pairs of rows with equal keys in one column, as sorted unique codes ``i * n + j``."""
    n = len(column)
    order = np.argsort(column, kind="stable")  # ties stay in row order
    flat = column[order]
    same_as_next = flat[1:] == flat[:-1]
    in_group = np.zeros(n, dtype=bool)
    in_group[1:] |= same_as_next
    in_group[:-1] |= same_as_next
    doc = order[in_group].astype(np.int64)
    flat = flat[in_group]
    if len(flat) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    sizes = np.diff(np.append(starts, len(flat)))
    group_start = np.repeat(starts, sizes)
    group_end = group_start + np.repeat(sizes, sizes)
    small = np.repeat(sizes <= max_group, sizes)
    firsts: list[npt.NDArray[np.int64]] = []
    seconds: list[npt.NDArray[np.int64]] = []
    # All pairs in small groups: offset d pairs each member with the one d places later.
    active = np.flatnonzero(small)
    d = 1
    while len(active):
        active = active[active + d < group_end[active]]
        firsts.append(doc[active])
        seconds.append(doc[active + d])
        d += 1
    big = np.flatnonzero(~small)
    if len(big):
        nxt = big[big + 1 < group_end[big]]
        firsts += [doc[nxt], doc[group_start[big]]]
        seconds += [doc[nxt + 1], doc[big]]
    a = np.concatenate(firsts)
    b = np.concatenate(seconds)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    return np.unique(lo[keep] * np.int64(n) + hi[keep])


def numpy_figure_occurrences(words, word_offsets):
    """The former numpy ``_figure_occurrences`` of a sketch's words."""
    n = len(word_offsets) - 1
    is_figure = (words & np.uint32(1)) == 1
    doc = np.repeat(np.arange(n, dtype=np.int64), np.diff(word_offsets))[is_figure]
    values = words[is_figure]
    key = (doc.astype(np.uint64) << np.uint64(32)) | values.astype(np.uint64)
    order = np.argsort(key, kind="stable")
    key = key[order]
    doc = doc[order]
    values = values[order]
    new_run = np.ones(len(key), dtype=bool)
    new_run[1:] = key[1:] != key[:-1]
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(len(key)), 0))
    rank = (np.arange(len(key)) - run_start).astype(np.uint32)
    with np.errstate(over="ignore"):
        mixed = values ^ (rank * np.uint32(0x9E3779B1))
        mixed ^= mixed >> np.uint32(15)
        mixed *= np.uint32(0x85EBCA6B)
        mixed ^= mixed >> np.uint32(13)
    both = np.sort((doc.astype(np.uint64) << np.uint64(32)) | mixed.astype(np.uint64))
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc, minlength=n), out=offsets[1:])
    return (both & np.uint64(0xFFFFFFFF)).astype(np.uint32), offsets


def numpy_band_column(signatures, band, rows):
    """The former numpy ``band_column``."""
    golden = np.uint64(0x9E3779B97F4A7C15)

    def mix64(x):
        x = x * golden + np.uint64(1)
        x ^= x >> np.uint64(33)
        x *= np.uint64(0xFF51AFD7ED558CCD)
        x ^= x >> np.uint64(33)
        x *= np.uint64(0xC4CEB9FE1A85EC53)
        x ^= x >> np.uint64(33)
        return x

    with np.errstate(over="ignore"):
        key = np.full(signatures.shape[0], (np.uint64(band) + np.uint64(1)) * golden, dtype=np.uint64)
        for r in range(band * rows, (band + 1) * rows):
            key ^= signatures[:, r].astype(np.uint64)
            key = mix64(key)
    return key
