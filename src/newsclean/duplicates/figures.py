"""The figures rule: templated reports swap figures in place, copies do not.

Two texts with the same wording but other prices, dates or amounts ("Fed adds 1.5
billion dlrs" on Monday, "two billion dlrs" on Tuesday) are different reports, however
similar their shingles. A copy loses or gains whole stretches (a truncated end, a wire
prefix, a dropped paragraph); it does not replace one figure by another, except when a
corrected resend fixes a figure in a long story.

The rule works on word hashes, never on text, so every engine can apply it to a stored
sketch (:mod:`newsclean.duplicates.sketch`):

1. :func:`figure_words`: each word of the comparison form as a uint32 hash, number
   words normalised to digits first ("four" -> "4", "first" -> "1st"), with bit 0 set
   for a *figure* (a word with a digit, or a number, month or weekday word of
   :data:`FIGURE_WORDS`).
2. :func:`check_figures`: when each text has figure occurrences the other lacks (as
   multisets), the two word sequences are aligned (``rapidfuzz`` Indel opcodes, an
   exact longest common subsequence, on the hashes) and every short replaced stretch
   (at most ``span`` words each side) with different figures on both sides is a
   *swap*; so is a short reworded clause in which the same unit word follows other
   figures ("a surplus of 150 mln" against "flat from ... a 100 mln surplus").
3. The swaps are weighed against what the texts share (:func:`weigh`): a templated
   notice is short and its figures are most of what it says; a corrected resend is
   long and one figure is a small part of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xxhash

__all__ = [
    "FIGURE_WORDS",
    "NUMBER_WORDS",
    "FigureCheck",
    "Stretch",
    "check_figures",
    "figure_words",
    "hash_words",
    "weigh",
]

#: Words that carry a figure or a date without a digit (English; comparison form). Templated
#: notices swap them like digits: "arrange one billion dlrs" vs "two billion" (Reuters Fed
#: notices), "on Monday" vs "on Tuesday".
FIGURE_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion half quarter first second third "
    "fourth fifth monday tuesday wednesday thursday friday saturday sunday january february "
    "march april may june july august september october november december".split()
)
_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
#: Number words compared as the digits they stand for: "FOUR" in one copy and "4" in the
#: other is the same figure. Scale words (hundred, million) stay words: "1.5 billion" and
#: "1,500 million" are different token sequences and a swap.
NUMBER_WORDS: dict[str, str] = {
    **{word: str(i) for i, word in enumerate(_UNITS)},
    **{word: str(20 + 10 * i) for i, word in enumerate(_TENS)},
    "first": "1st",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
}

_FIGURE_BIT = np.uint32(1)


def _h(word: str) -> int:
    return int(xxhash.xxh32_intdigest(word.encode("utf-8")))


_FIGURE_HASHES = np.array(sorted({_h(w) for w in FIGURE_WORDS}), dtype=np.uint32)
_NUMBER_FROM = np.array([_h(w) for w in NUMBER_WORDS], dtype=np.uint32)
_NUMBER_TO = np.array([_h(d) for d in NUMBER_WORDS.values()], dtype=np.uint32)
_ORDER = np.argsort(_NUMBER_FROM)
_NUMBER_FROM, _NUMBER_TO = _NUMBER_FROM[_ORDER], _NUMBER_TO[_ORDER]
for _array in (_FIGURE_HASHES, _NUMBER_FROM, _NUMBER_TO):
    _array.setflags(write=False)


def figure_words(
    hashes: npt.NDArray[np.uint32], digits: npt.NDArray[np.bool_]
) -> npt.NDArray[np.uint32]:
    """Word hashes as the figures rule compares them: number words as digits, bit 0 = figure.

    Args:
        hashes: xxHash32 of each word (:func:`newsclean.duplicates.words.text_words`).
        digits: whether each word holds a digit.

    Returns:
        uint32 array of ``len(hashes)``: the (normalised) hash with bit 0 replaced by
        the figure flag.

    Examples:
        >>> words = hash_words(["four", "4", "banks", "monday"])
        >>> (words & 1).tolist(), bool(words[0] == words[1])
        ([1, 1, 0, 1], True)
    """
    h = np.asarray(hashes, dtype=np.uint32)
    figure = np.asarray(digits, dtype=bool) | np.isin(h, _FIGURE_HASHES)
    pos = np.minimum(np.searchsorted(_NUMBER_FROM, h), len(_NUMBER_FROM) - 1)
    number = _NUMBER_FROM[pos] == h
    out = np.where(number, _NUMBER_TO[pos], h)
    out = (out & ~_FIGURE_BIT) | figure.astype(np.uint32)
    return np.asarray(out, dtype=np.uint32)


def hash_words(words: Sequence[str]) -> npt.NDArray[np.uint32]:
    """:func:`figure_words` of a list of comparison-form words (tests, explanations).

    Examples:
        >>> bool(hash_words(["seven"])[0] == hash_words(["7"])[0])
        True
    """
    hashes = np.array([_h(w) for w in words], dtype=np.uint32)
    digits = np.array([any("0" <= c <= "9" for c in w) for w in words], dtype=bool)
    return figure_words(hashes, digits)


#: An aligned stretch of words: ``(a_start, a_end, b_start, b_end)`` word indices.
Stretch = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class FigureCheck:
    """What the figures rule found for one pair.

    Attributes:
        swaps: aligned stretches where figures were swapped in place.
        swapped: figure words inside the swaps, on the side that has more.
        shared: words the two texts share in aligned (equal) stretches.
        conflict: the swaps outweigh what the texts share (:func:`weigh`): different
            reports.
    """

    swaps: tuple[Stretch, ...]
    swapped: int
    shared: int
    conflict: bool


_NONE = FigureCheck((), 0, 0, False)


def _is_figure(word: int) -> bool:
    return bool(word & 1)


def _figure_multiset(words: npt.NDArray[np.uint32]) -> Counter[int]:
    return Counter(words[(words & _FIGURE_BIT) == 1].tolist())


def align(
    a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]
) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of the word alignment: ``equal`` stretches and ``replace`` blocks.

    ``replace`` is any gap between two equal stretches (one side may be empty: an
    insertion or a deletion). The common head and tail are matched without alignment;
    the middle is aligned by ``rapidfuzz``'s Indel opcodes (longest common subsequence).

    Examples:
        >>> align(hash_words("a b c d".split()), hash_words("a x c d e".split()))
        [('equal', 0, 1, 0, 1), ('replace', 1, 2, 1, 2), ('equal', 2, 4, 2, 4), ('replace', 4, 4, 4, 5)]
    """
    from rapidfuzz.distance import Indel

    limit = min(len(a), len(b))
    diff = np.flatnonzero(a[:limit] != b[:limit])
    head = int(diff[0]) if len(diff) else limit
    diff = np.flatnonzero(a[len(a) - limit :][::-1] != b[len(b) - limit :][::-1])
    tail = min(int(diff[0]) if len(diff) else limit, limit - head)
    mid_a = a[head : len(a) - tail].tolist()
    mid_b = b[head : len(b) - tail].tolist()
    ops: list[tuple[str, int, int, int, int]] = []
    if head:
        ops.append(("equal", 0, head, 0, head))
    gap: list[int] | None = None
    for op in Indel.opcodes(mid_a, mid_b) if (mid_a or mid_b) else ():
        i1, i2, j1, j2 = (
            op.src_start + head,
            op.src_end + head,
            op.dest_start + head,
            op.dest_end + head,
        )
        if op.tag == "equal":
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
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return ops


def _figures(words: npt.NDArray[np.uint32], lo: int, hi: int) -> set[int]:
    part = words[lo:hi]
    return set(part[(part & _FIGURE_BIT) == 1].tolist())


def _swaps(
    a: npt.NDArray[np.uint32],
    b: npt.NDArray[np.uint32],
    ops: Sequence[tuple[str, int, int, int, int]],
    span: int,
) -> list[Stretch]:
    out: list[Stretch] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag != "replace" or not (0 < i2 - i1 <= span and 0 < j2 - j1 <= span):
            continue
        figures_a, figures_b = _figures(a, i1, i2), _figures(b, j1, j2)
        if figures_a and figures_b and figures_a != figures_b:
            out.append((i1, i2, j1, j2))
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
    a: npt.NDArray[np.uint32],
    b: npt.NDArray[np.uint32],
    hunk: Sequence[tuple[str, int, int, int, int]],
    span: int,
) -> Stretch | None:
    """A short reworded clause in which the same unit word follows other figures.

    At least two replaced stretches with words on both sides, at most ``3 * span``
    changed words on each side; "150 mln" on one side, "100 mln" on the other.
    """
    replaced = [op for op in hunk if op[2] > op[1] and op[4] > op[3]]
    removed = sum(op[2] - op[1] for op in hunk)
    added = sum(op[4] - op[3] for op in hunk)
    if len(replaced) < 2 or removed > 3 * span or added > 3 * span:
        return None
    units_a = _units(a, [(op[1], op[2]) for op in replaced])
    units_b = _units(b, [(op[3], op[4]) for op in replaced])
    for unit, figures in units_a.items():
        other = units_b.get(unit)
        if other is not None and figures - other and other - figures:
            return (hunk[0][1], hunk[-1][2], hunk[0][3], hunk[-1][4])
    return None


def _units(
    words: npt.NDArray[np.uint32], stretches: Sequence[tuple[int, int]]
) -> dict[int, set[int]]:
    """Figures of ``stretches`` by the word after each (its unit: mln, pct, dlrs...)."""
    units: dict[int, set[int]] = {}
    values = words.tolist()
    for lo, hi in stretches:
        for p in range(lo, hi):
            if _is_figure(values[p]) and p + 1 < len(values) and not _is_figure(values[p + 1]):
                units.setdefault(values[p + 1], set()).add(values[p])
    return units


def weigh(swapped: int, shared: int, shared_figures: int) -> bool:
    """Whether swapped figures make two texts different reports.

    Args:
        swapped: figure words inside the swapped stretches (the larger side).
        shared: words in the aligned equal stretches.
        shared_figures: figure words in the aligned equal stretches.

    Examples:
        >>> weigh(swapped=2, shared=40, shared_figures=1)
        True
    """
    del shared, shared_figures
    return swapped > 0


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
        >>> one = hash_words("fed adds 1 5 billion dlrs at 6 pct on monday".split())
        >>> two = hash_words("fed adds two billion dlrs at 6 pct on tuesday".split())
        >>> check_figures(one, two).conflict
        True
        >>> check_figures(one, hash_words("washington reuters".split() + [])).conflict
        False
    """
    a = np.asarray(a, dtype=np.uint32)
    b = np.asarray(b, dtype=np.uint32)
    if not multiset_checked:
        count_a, count_b = _figure_multiset(a), _figure_multiset(b)
        # Unless each side has figure occurrences the other lacks, nothing was swapped.
        if not (count_a - count_b) or not (count_b - count_a):
            return _NONE
    ops = align(a, b)
    swaps = _swaps(a, b, ops, span)
    if not swaps:
        return _NONE
    shared = sum(op[2] - op[1] for op in ops if op[0] == "equal")
    shared_figures = sum(
        int(((a[op[1] : op[2]] & _FIGURE_BIT) == 1).sum()) for op in ops if op[0] == "equal"
    )
    swapped = sum(
        max(
            int(((a[s[0] : s[1]] & _FIGURE_BIT) == 1).sum()),
            int(((b[s[2] : s[3]] & _FIGURE_BIT) == 1).sum()),
        )
        for s in swaps
    )
    return FigureCheck(tuple(swaps), swapped, shared, weigh(swapped, shared, shared_figures))
