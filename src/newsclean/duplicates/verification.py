"""The one verification of candidate pairs, used by every engine.

:func:`verify` decides, for pairs of documents of a :class:`~.sketch.Sketch`, whether
they are duplicates:

1. similarity: exact Jaccard and containment of the distinct shingle sets
   (``verify="exact"``), or the MinHash estimates (``verify="estimate"``: the fraction
   of equal signature slots, and the intersection :func:`estimate_intersection`);
2. acceptance: Jaccard ``>= threshold``, or the smaller document (with at least
   ``min_containment_shingles`` shingles) ``>= containment`` contained in the larger
   while the Jaccard is ``>= containment_min_jaccard`` (a shared bio or sidebar that
   is most of a short text but a small part of a long one is no copy);
3. the figures rule (``numbers="distinct"``, :mod:`newsclean.duplicates.figures`) on
   the accepted pairs: first, for all of them at once, whether each document has
   figure occurrences the other lacks; the alignment only for those that do.

Each pair gets a :data:`Rule`: why it is (or is not) a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from .config import DedupConfig
from .figures import FigureCheck, check_pairs
from .sketch import Sketch, distinct

__all__ = [
    "RULES",
    "accepted_by",
    "ratios",
    "Rule",
    "VERIFY_BLOCK",
    "Verdicts",
    "duplicate_mask",
    "estimate_intersection",
    "figure_checks",
    "intersections",
    "similarity",
    "verify",
]

#: Why a pair is or is not a duplicate: accepted by Jaccard or by containment, kept apart
#: by the figures rule, below both thresholds, or one side without words.
Rule = Literal["jaccard", "containment", "figures", "below_threshold", "empty"]
RULES: tuple[Rule, ...] = ("jaccard", "containment", "figures", "below_threshold", "empty")
_JACCARD, _CONTAINMENT, _FIGURES, _BELOW, _EMPTY = range(5)


def estimate_intersection(
    jaccard: npt.NDArray[np.float64],
    size_a: npt.NDArray[np.int64] | npt.NDArray[np.float64],
    size_b: npt.NDArray[np.int64] | npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """``|A ∩ B|`` from a Jaccard similarity and the set sizes: ``J (|A| + |B|) / (1 + J)``.

    Examples:
        >>> estimate_intersection(np.array([0.5]), np.array([4]), np.array([8])).tolist()
        [4.0]
    """
    total = np.asarray(size_a, dtype=np.float64) + np.asarray(size_b, dtype=np.float64)
    return np.asarray(jaccard * total / (1.0 + jaccard))


def intersections(
    values: npt.NDArray[np.uint32],
    offsets: npt.NDArray[np.int64],
    pairs: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """``|A ∩ B|`` of each pair of per-document sets (each segment sorted, distinct).

    One merge of the two sorted segments per pair, compiled
    (:func:`newsclean.duplicates.kernels.intersections`): no temporary beyond the output.

    Examples:
        >>> vals = np.array([1, 2, 3, 2, 3, 4, 9], dtype=np.uint32)
        >>> intersections(vals, np.array([0, 3, 6, 7]), np.array([[0, 1], [1, 2]])).tolist()
        [2, 0]
    """
    from . import kernels

    pairs = np.ascontiguousarray(np.asarray(pairs, dtype=np.int64).reshape(-1, 2))
    offsets = np.asarray(offsets, dtype=np.int64)
    if len(pairs) and (int(pairs.min()) < 0 or int(pairs.max()) >= len(offsets) - 1):
        msg = "pair indices must point into the segments"
        raise IndexError(msg)
    out: npt.NDArray[np.int64] = kernels.intersections(
        np.ascontiguousarray(values, dtype=np.uint32), offsets, pairs
    )
    return out


def similarity(
    sketch: Sketch, pairs: npt.NDArray[np.int64], config: DedupConfig
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Jaccard similarity and containment (smaller in larger) of each pair.

    Exact from the shingle sets (``config.verify == "exact"``) or estimated from the
    signatures and :func:`estimate_intersection`.

    Examples:
        >>> from newsclean.duplicates.sketch import sketch_texts
        >>> sk = sketch_texts(["a b c d", "a b c d e f g h"], ["x", "y"], DedupConfig(ngram=1))
        >>> jac, con = similarity(sk, np.array([[0, 1]]), DedupConfig(ngram=1))
        >>> float(jac[0]), float(con[0])
        (0.5, 1.0)
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    sizes = sketch.sizes
    size_a = sizes[pairs[:, 0]].astype(np.float64)
    size_b = sizes[pairs[:, 1]].astype(np.float64)
    if config.verify == "exact":
        inter = intersections(sketch.shingles, sketch.shingle_offsets, pairs).astype(np.float64)
    else:
        est = np.empty(len(pairs), dtype=np.float64)
        sig = sketch.signatures
        for lo in range(0, len(pairs), 65536):
            part = pairs[lo : lo + 65536]
            est[lo : lo + len(part)] = (sig[part[:, 0]] == sig[part[:, 1]]).mean(axis=1)
        inter = estimate_intersection(est, size_a, size_b)
    return ratios(inter, size_a, size_b)


def ratios(
    inter: npt.NDArray[np.float64], size_a: npt.NDArray[np.float64], size_b: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Jaccard and containment (of the smaller set) from ``|A ∩ B|`` and the set sizes.

    Examples:
        >>> jac, con = ratios(np.array([4.0]), np.array([4.0]), np.array([8.0]))
        >>> float(jac[0]), float(con[0])
        (0.5, 1.0)
    """
    union = size_a + size_b - inter
    smaller = np.minimum(size_a, size_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, inter / union, 0.0)
        containment = np.where(smaller > 0, np.minimum(inter / smaller, 1.0), 0.0)
    return np.asarray(jaccard, dtype=np.float64), np.asarray(containment, dtype=np.float64)


def can_conflict(
    words: npt.NDArray[np.uint32], offsets: npt.NDArray[np.int64], pairs: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The rows of ``pairs`` whose two documents each have figure occurrences the other lacks.

    The figures rule's first condition, for every engine and for one pair alike: where one
    document's figures (as a multiset) are all among the other's, nothing was swapped.
    The k-th occurrence of a figure gets its own key (value + rank), so set intersections
    of the keys are multiset intersections
    (:func:`newsclean.duplicates.kernels.figure_occurrences`); only the documents of the
    pairs are read.

    Args:
        words: figure words (:func:`~newsclean.duplicates.figures.figure_words`) of all
            documents, concatenated.
        offsets: where each document's words start (``len(docs) + 1`` entries).
        pairs: ``(n, 2)`` document indices.

    Returns:
        Row indices into ``pairs``, ascending.
    """
    from . import kernels

    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return np.zeros(0, dtype=np.int64)
    docs = distinct(pairs)
    local = np.searchsorted(docs, pairs)
    values, keys_at = kernels.figure_occurrences(
        np.ascontiguousarray(words, dtype=np.uint32), np.asarray(offsets, dtype=np.int64),
        np.ascontiguousarray(docs, dtype=np.int64),
    )
    counts = np.diff(keys_at)
    inter = intersections(values, keys_at, local)
    out: npt.NDArray[np.int64] = np.flatnonzero((inter < counts[local[:, 0]]) & (inter < counts[local[:, 1]]))
    return out


def figure_checks(sketch: Sketch, pairs: npt.NDArray[np.int64]) -> dict[int, FigureCheck]:
    """The figures rule for each pair (row of ``pairs``) that can conflict (:func:`can_conflict`)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return {}
    open_rows = can_conflict(sketch.words, sketch.word_offsets, pairs)
    ids = sketch.ids
    oriented = pairs[open_rows].copy()
    for k, (a, b) in enumerate(oriented.tolist()):
        if ids[b] < ids[a]:  # one orientation whatever the engine's row order
            oriented[k] = (b, a)
    checks = check_pairs(sketch.words, sketch.word_offsets, oriented)
    return dict(zip(open_rows.tolist(), checks, strict=True))


@dataclass(frozen=True, slots=True)
class Verdicts:
    """The verification of a set of pairs.

    Attributes:
        duplicate: bool per pair.
        jaccard: Jaccard similarity per pair (exact or estimated, per the config).
        containment: share of the smaller document's shingles found in the larger.
        rule: index into :data:`RULES` per pair (why).
        figures: the figures rule's findings for the pairs it aligned (by row).
    """

    duplicate: npt.NDArray[np.bool_]
    jaccard: npt.NDArray[np.float64]
    containment: npt.NDArray[np.float64]
    rule: npt.NDArray[np.int8]
    figures: dict[int, FigureCheck]

    def rule_of(self, row: int) -> Rule:
        """The :data:`Rule` of pair ``row``."""
        return RULES[int(self.rule[row])]


def accepted_by(
    jaccard: npt.NDArray[np.float64],
    containment: npt.NDArray[np.float64],
    smaller_sizes: npt.NDArray[np.int64],
    config: DedupConfig,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Which pairs the similarity accepts, by Jaccard and by containment (before figures).

    Containment counts for a smaller text with at least ``min_containment_shingles``
    shingles, and only when the Jaccard is at least ``containment_min_jaccard``: with
    the smaller text fully contained, the Jaccard is about the ratio of the sizes, so
    a 20-shingle author bio inside a 600-shingle article (Jaccard 0.03) is no copy.

    Examples:
        >>> by_j, by_c = accepted_by(np.array([0.9, 0.3, 0.3, 0.05]),
        ...                          np.array([0.9, 0.95, 0.95, 1.0]),
        ...                          np.array([50, 50, 3, 50]), DedupConfig())
        >>> by_j.tolist(), by_c.tolist()
        ([True, False, False, False], [True, True, False, False])
    """
    by_jaccard = np.asarray(jaccard >= config.threshold)
    by_containment = np.zeros(len(jaccard), dtype=bool)
    if config.containment is not None:
        by_containment = np.asarray(
            (containment >= config.containment)
            & (smaller_sizes >= config.min_containment_shingles)
            & (jaccard >= config.containment_min_jaccard)
        )
    return by_jaccard, by_containment


#: Pairs verified at a time by :func:`duplicate_mask`: its temporaries (the similarity and
#: figures arrays, about 100 bytes a pair) stay this many pairs long.
VERIFY_BLOCK = 1 << 20


def duplicate_mask(
    sketch: Sketch, pairs: npt.NDArray[np.int64], config: DedupConfig, *, block: int = VERIFY_BLOCK
) -> npt.NDArray[np.bool_]:
    """:func:`verify`'s ``duplicate`` of every pair, verified ``block`` pairs at a time.

    The same verdicts (a pair's verdict depends on its two documents only), for a caller
    that keeps only which pairs are duplicates: a run's step 2 on a heavily copied corpus
    has tens of millions of candidate pairs, whose full :class:`Verdicts` would be its
    largest arrays.

    Examples:
        >>> from newsclean.duplicates.sketch import sketch_texts
        >>> t = "Shares of the company rose sharply in early trade on Monday morning"
        >>> sk = sketch_texts([t, t + " again", "Rain fell", t], ["a", "b", "c", "d"])
        >>> duplicate_mask(sk, np.array([[0, 1], [0, 2], [1, 3]]), DedupConfig(), block=2).tolist()
        [True, False, True]
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if block < 1:
        msg = f"block must be >= 1, got {block}"
        raise ValueError(msg)
    out = np.zeros(len(pairs), dtype=bool)
    for lo in range(0, len(pairs), block):
        out[lo : lo + block] = verify(sketch, pairs[lo : lo + block], config).duplicate
    return out


def verify(sketch: Sketch, pairs: npt.NDArray[np.int64], config: DedupConfig) -> Verdicts:
    """Which pairs of documents of ``sketch`` are duplicates, and why.

    Args:
        sketch: the documents the pair indices point into.
        pairs: ``(n, 2)`` row indices into ``sketch``.
        config: the dedup options.

    Returns:
        :class:`Verdicts`, one entry per pair.

    Examples:
        >>> from newsclean.duplicates.sketch import sketch_texts
        >>> t = "Shares of the company rose sharply in early trade on Monday morning"
        >>> sk = sketch_texts([t, t + " again", "Rain fell", ""], ["a", "b", "c", "d"])
        >>> v = verify(sk, np.array([[0, 1], [0, 2], [0, 3]]), DedupConfig())
        >>> v.duplicate.tolist(), [v.rule_of(i) for i in range(3)]
        ([True, False, False], ['jaccard', 'below_threshold', 'empty'])
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    jac, con = similarity(sketch, pairs, config)
    sizes = sketch.sizes
    smaller = np.minimum(sizes[pairs[:, 0]], sizes[pairs[:, 1]])
    by_jaccard, by_containment = accepted_by(jac, con, smaller, config)
    rule = np.full(len(pairs), _BELOW, dtype=np.int8)
    rule[by_containment] = _CONTAINMENT
    rule[by_jaccard] = _JACCARD
    rule[smaller == 0] = _EMPTY
    keep = (by_jaccard | by_containment) & (smaller > 0)
    figures: dict[int, FigureCheck] = {}
    if config.numbers == "distinct" and keep.any():
        rows = np.flatnonzero(keep)
        checks = figure_checks(sketch, pairs[rows])
        figures = {int(rows[k]): check for k, check in checks.items()}
        for row, check in figures.items():
            if check.conflict:
                keep[row] = False
                rule[row] = _FIGURES
    return Verdicts(keep, jac, con, rule, figures)
