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
   multisets), the two word sequences are aligned (:func:`align`: an exact longest
   common subsequence on the hashes, the stretches of ``rapidfuzz``'s Indel opcodes)
   and every short replaced stretch
   (at most ``span`` words each side) with different figures on both sides is a
   *swap*; so is a short reworded clause in which the same unit word follows other
   figures ("a surplus of 150 mln" against "flat from ... a 100 mln surplus").
   The alignment and the swaps run compiled (:mod:`newsclean.duplicates.kernels`,
   :func:`check_pairs` for many pairs at once).
3. The swaps are weighed (:func:`weigh`): two swapped stretches or more, or one that
   carries at least :data:`MIN_SWAPPED_SHARE` of the figures, make two reports. A
   templated notice is short and its figures are most of what it says; a corrected
   resend is long and one figure is a small part of it.

Figures are compared by value where they are plain numbers: "four" = "4", "2,29" =
"2.29", and a figure written with more or fewer digits is the same one
(:func:`same_number`: "1.46 billion" = "1,459,193,000").
"""

from __future__ import annotations

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
    "check_pairs",
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
# The low 16 bits of every hash of the two tables, as a bitmap (most words are in neither).
_LISTED = np.zeros(1 << 10, dtype=np.uint64)
for _key in np.concatenate((_FIGURE_HASHES, _NUMBER_FROM)).tolist():
    _LISTED[(_key & 0xFFFF) >> 6] |= np.uint64(1) << np.uint64(_key & 63)
_LISTED.setflags(write=False)
del _key


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
    from . import kernels

    h = np.ascontiguousarray(hashes, dtype=np.uint32)
    value = (
        np.full(len(h), -1, dtype=np.int64)
        if values is None
        else np.ascontiguousarray(values, dtype=np.int64)
    )
    out: npt.NDArray[np.uint32] = kernels.figure_words(
        h,
        np.ascontiguousarray(digits, dtype=np.bool_),
        value,
        _FIGURE_HASHES,
        _NUMBER_FROM,
        _NUMBER_VALUE,
        _LISTED,
    )
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


_TAGS = ("equal", "replace")


def align(a: Sequence[int], b: Sequence[int]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of the word alignment: ``equal`` stretches and ``replace`` blocks.

    ``replace`` is any gap between two equal stretches (one side may be empty: an
    insertion or a deletion). The alignment is an exact longest common subsequence
    (Hyyrö's bit-parallel algorithm with rapidfuzz's backtrace, so the stretches are
    those of ``rapidfuzz.distance.Indel.opcodes``), compiled
    (:func:`newsclean.duplicates.kernels.align_ops`).

    Examples:
        >>> align(hash_words("a b c d".split()).tolist(), hash_words("a x c d e".split()).tolist())
        [('equal', 0, 1, 0, 1), ('replace', 1, 2, 1, 2), ('equal', 2, 4, 2, 4), ('replace', 4, 4, 4, 5)]
    """
    from . import kernels

    ops = kernels.align_ops(np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32))
    return [(_TAGS[t], i1, i2, j1, j2) for t, i1, i2, j1, j2 in ops.tolist()]


def same_number(x: int, y: int) -> bool:
    """Whether two plain values are one figure written with more or fewer digits.

    Equal, or the shorter (at least two digits) is the longer rounded or cut to its
    length: "1.46 billion" = "1,459,193,000", "17.1 mln" = "17,121,000", "14" = "1.4",
    "11:00" ~ "1101"; but "1.5" is not "2", nor "6" "65".

    Examples:
        >>> same_number(146, 145919300), same_number(15, 2), same_number(25, 50)
        (True, False, False)
    """
    from . import kernels

    return bool(kernels.same_number(int(x), int(y)))


#: Equal words a swap needs around it (the equal stretches and other swaps between the
#: nearest changes that are not swaps), unless those reach both ends of the texts. Two
#: different passages that happen to share a template (comment headers "by X on May 23,
#: 2011 at 4:03 am") align word by word on the template and leave their figures as
#: "swaps" between unrelated changes; a templated report's swaps sit in aligned text.
MIN_CONTEXT = 8
#: Longest replaced stretch (words, each side) that counts as a swap.
SPAN = 4


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
    span: int = SPAN,
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
    from .verification import can_conflict  # the engines' first condition, the same code

    words = np.concatenate((np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)))
    offsets = np.array([0, len(a), len(a) + len(b)], dtype=np.int64)
    pair = np.array([[0, 1]], dtype=np.int64)
    if not multiset_checked and not len(can_conflict(words, offsets, pair)):
        return _NONE
    return check_pairs(words, offsets, pair, span=span)[0]


def check_pairs(
    words: npt.NDArray[np.uint32],
    offsets: npt.NDArray[np.int64],
    pairs: npt.NDArray[np.int64],
    *,
    span: int = SPAN,
) -> list[FigureCheck]:
    """:func:`check_figures` (multisets checked) of each pair ``(a, b)`` of documents.

    The alignment, the swaps, their anchoring and the reworded clauses run compiled
    over all pairs (:func:`newsclean.duplicates.kernels.figure_checks`); the swaps are
    weighed here (:func:`weigh`).

    Args:
        words: every document's figure words, document after document.
        offsets: int64 of length ``n + 1`` into ``words``.
        pairs: ``(m, 2)`` document indices, each pair in the orientation to check.
        span: as for :func:`check_figures`.

    Examples:
        >>> one = hash_words("fed adds 1 5 billion dlrs on monday".split())
        >>> two = hash_words("fed adds two billion dlrs on tuesday".split())
        >>> check = check_pairs(np.concatenate((one, two)), np.array([0, 8, 15]),
        ...                     np.array([[0, 1]]))[0]
        >>> check.swaps, check.swapped, check.conflict
        (((2, 4, 2, 3), (7, 8, 6, 7)), 3, True)
    """
    from . import kernels

    pairs = np.ascontiguousarray(np.asarray(pairs, dtype=np.int64).reshape(-1, 2))
    offsets = np.asarray(offsets, dtype=np.int64)
    if len(pairs) and (int(pairs.min()) < 0 or int(pairs.max()) >= len(offsets) - 1):
        msg = "pair indices must point into the documents"
        raise IndexError(msg)
    result, stretches, at, figure_counts = kernels.figure_checks(
        np.ascontiguousarray(words, dtype=np.uint32), offsets, pairs, span, MIN_CONTEXT
    )
    out: list[FigureCheck] = [_NONE] * len(pairs)
    flat = stretches.tolist()
    bounds = at.tolist()
    for r in np.flatnonzero(at[1:] > at[:-1]).tolist():  # the pairs with swaps
        swaps = tuple((s[0], s[1], s[2], s[3]) for s in flat[bounds[r] : bounds[r + 1]])
        swapped, shared = int(result[r, 0]), int(result[r, 1])
        figures = int(min(figure_counts[r, 0], figure_counts[r, 1]))
        out[r] = FigureCheck(swaps, swapped, shared, weigh(len(swaps), swapped, figures))
    return out
