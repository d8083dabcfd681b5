"""The figures rule: templated reports swap figures in place, copies do not.

Two texts with the same wording but other prices, dates or amounts ("Fed adds 1.5
billion dlrs" on Monday, "two billion dlrs" on Tuesday) are different reports, however
similar their shingles. A copy loses or gains whole stretches (a truncated end, a wire
prefix, a dropped paragraph); it does not replace one figure by another, except when a
corrected resend fixes a figure in a long story.

The rule works on word hashes, never on text, so every engine can apply it to a stored
sketch (:mod:`newsclean.duplicates.sketch`):

1. :func:`figure_words`: each word of the comparison form as a uint32 hash, number
   words normalised to digits first ("four" -> "4", "first" -> "1"), with bit 0 set
   for a *figure* (a word with a digit, or a number, month or weekday word of
   :data:`FIGURE_WORDS`).
2. :func:`check_figures`: when each text has figure occurrences the other lacks (as
   multisets), the two word sequences are aligned (``rapidfuzz`` Indel opcodes, an
   exact longest common subsequence, on the hashes) and every short replaced stretch
   (at most ``span`` words each side) with different figures on both sides is a
   *swap*; so is a short reworded clause in which the same unit word follows other
   figures ("a surplus of 150 mln" against "flat from ... a 100 mln surplus").
3. The swaps are weighed (:func:`weigh`): two swapped stretches or more, or one that
   carries at least :data:`MIN_SWAPPED_SHARE` of the figures, make two reports. A
   templated notice is short and its figures are most of what it says; a corrected
   resend is long and one figure is a small part of it.

Figures are compared by value where they are plain numbers: "four" = "4", "2,29" =
"2.29", and a figure written with more or fewer digits is the same one
(:func:`same_number`: "1.46 billion" = "1,459,193,000").
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
    "same_number",
    "weigh",
]

#: Words that carry a figure or a date without a digit (English; comparison form). Templated
#: notices swap them like digits: "arrange one billion dlrs" vs "two billion" (Reuters Fed
#: notices), "on Monday" vs "on Tuesday". Scale words (hundred, million, billion) are units,
#: as "mln" and "pct" are: "1.5 billion" carries its figure in "1.5".
FIGURE_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety nil half quarter first second third fourth fifth monday tuesday wednesday "
    "thursday friday saturday sunday january february march april may june july august "
    "september october november december".split()
)
_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
#: Number words compared as the numbers they stand for: "FOUR" in one copy and "4" in the
#: other is the same figure, and "nil" is 0.
NUMBER_WORDS: dict[str, int] = {
    **{word: i for i, word in enumerate(_UNITS)},
    **{word: 20 + 10 * i for i, word in enumerate(_TENS)},
    "nil": 0,
}
#: Ordinal words compared as the numbers they stand for: "first" = "1st" (the words split
#: "1st" into "1" and "st", :mod:`newsclean.duplicates.words`). "second" is left out: it is
#: also a unit of time.
ORDINAL_WORDS: dict[str, int] = {"first": 1, "third": 3, "fourth": 4, "fifth": 5}

_FIGURE_BIT = np.uint32(1)
_PLAIN_BITS = np.uint32(3)


def _h(word: str) -> int:
    return int(xxhash.xxh32_intdigest(word.encode("utf-8")))


def _sorted_map(pairs: dict[int, int]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    keys = np.array(sorted(pairs), dtype=np.uint32)
    values = np.array([pairs[int(k)] for k in keys], dtype=np.int64)
    keys.setflags(write=False)
    values.setflags(write=False)
    return keys, values


_FIGURE_HASHES = np.array(sorted({_h(w) for w in FIGURE_WORDS}), dtype=np.uint32)
_FIGURE_HASHES.setflags(write=False)
_NUMBER_FROM, _NUMBER_VALUE = _sorted_map(
    {_h(w): v for w, v in {**NUMBER_WORDS, **ORDINAL_WORDS}.items()}
)


def _lookup(
    keys: npt.NDArray[np.uint32], h: npt.NDArray[np.uint32]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    pos = np.minimum(np.searchsorted(keys, h), len(keys) - 1)
    return np.asarray(keys[pos] == h), pos


def figure_words(
    hashes: npt.NDArray[np.uint32],
    digits: npt.NDArray[np.bool_],
    values: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.uint32]:
    """Words as the figures rule compares them, one uint32 each.

    - a word that is no figure: its hash, bit 0 clear;
    - a plain number (:func:`newsclean.duplicates.words.plain_value`, or a number or
      ordinal word): ``value << 2 | 3``, so "four" = "4", "first" = "1" and "2,29" = "2.29";
    - any other figure (a fraction, a date word, "1987-88"): its hash with bits 0-1 =
      ``01``.

    Args:
        hashes: xxHash32 of each word (:func:`newsclean.duplicates.words.text_words`).
        digits: whether each word holds a digit.
        values: each word's plain value (-1: none); ``None``: no plain numbers.

    Returns:
        uint32 array of ``len(hashes)``.

    Examples:
        >>> words = hash_words(["four", "4", "banks", "monday", "6-3/16"])
        >>> (words & 3).tolist(), bool(words[0] == words[1]), int(words[1] >> 2)
        ([3, 3, 0, 1, 1], True, 4)
    """
    h = np.asarray(hashes, dtype=np.uint32)
    value = (
        np.full(len(h), -1, dtype=np.int64)
        if values is None
        else np.asarray(values, dtype=np.int64)
    )
    is_word, _ = _lookup(_FIGURE_HASHES, h)
    figure = np.asarray(digits, dtype=bool) | is_word
    number, pos = _lookup(_NUMBER_FROM, h)
    value = np.where(number, _NUMBER_VALUE[pos], value)
    plain = value >= 0
    out: npt.NDArray[np.uint32] = np.where(
        figure, (h & ~_PLAIN_BITS) | _FIGURE_BIT, h & ~_FIGURE_BIT
    ).astype(np.uint32)
    out[plain] = (value[plain].astype(np.uint32) << np.uint32(2)) | _PLAIN_BITS
    return out


def hash_words(words: Sequence[str]) -> npt.NDArray[np.uint32]:
    """:func:`figure_words` of a list of comparison-form words (tests, explanations).

    Examples:
        >>> bool(hash_words(["seven"])[0] == hash_words(["7"])[0])
        True
    """
    from .words import plain_value

    hashes = np.array([_h(w) for w in words], dtype=np.uint32)
    digits = np.array([any("0" <= c <= "9" for c in w) for w in words], dtype=bool)
    values = np.array([plain_value(w) for w in words], dtype=np.int64)
    return figure_words(hashes, digits, values)


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
        >>> align(hash_words("a b c d".split()).tolist(), hash_words("a x c d e".split()).tolist())
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
        >>> same_number(146, 145919300), same_number(15, 2), same_number(25, 50)
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


#: Two swapped stretches or more make two reports, however long the texts.
MIN_SWAPS = 2
#: One swapped stretch makes two reports when its figures are at least this share of the
#: figures of the text with fewer: a templated notice is short and its figures are most
#: of what it says; a corrected resend is long and one figure is a small part of it.
#: Chosen on the hand-labelled Reuters pairs (``benchmarks/dedup_real_pairs.py``): the
#: single swaps of copies there carry 7-13% of the figures, those of notices 17-100%.
MIN_SWAPPED_SHARE = 0.15


def weigh(swaps: int, swapped: int, figures: int) -> bool:
    """Whether swapped figures make two texts different reports.

    Args:
        swaps: swapped stretches.
        swapped: figure words inside them (the side with more).
        figures: figure words of the text with fewer of them.

    Examples:
        >>> weigh(swaps=1, swapped=1, figures=2)  # "1.5 billion" / "two billion" in a notice
        True
        >>> weigh(swaps=1, swapped=2, figures=21)  # "1st half" / "six mths" in an earnings table
        False
    """
    if swaps >= MIN_SWAPS:
        return True
    return swaps == 1 and swapped >= MIN_SWAPPED_SHARE * figures


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
