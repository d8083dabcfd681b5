"""Near-duplicate clustering of a batch of texts: the library driver of the core.

:func:`dedup` sketches the texts (:func:`newsclean.duplicates.sketch_texts`), proposes
candidates from the LSH band keys (at the low ``candidate_threshold``, so truncated
copies, whose Jaccard similarity with the full text is only about their length ratio,
are proposed too), verifies them (:func:`newsclean.duplicates.verify`: Jaccard or
containment, then the figures rule) and clusters the verified pairs without chaining
(:func:`newsclean.duplicates.assign`). :class:`newsclean.DedupIndex`, the ``newsclean``
command and :func:`newsclean.spark.dedup` run the same core, so they give the same
clusters.

The other functions here are the array-level steps kept for callers of earlier
versions; they call the core too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .duplicates.clusters import assign, candidates, component_labels
from .duplicates.config import DedupConfig, DedupResult, Verify
from .duplicates.figures import FIGURE_WORDS, check_figures, hash_words
from .duplicates.sketch import sketch_texts
from .duplicates.verification import (
    accepted_by,
    duplicate_mask,
    estimate_intersection,
    intersections,
    ratios,
    verify,
)
from .errors import InputError, config_of
from .shingle import ShingleBatch, check_texts

__all__ = [
    "FIGURE_WORDS",
    "DedupConfig",
    "DedupResult",
    "ShingleSets",
    "Verify",
    "accept_pairs",
    "component_labels",
    "dedup",
    "numbers_conflict",
    "pair_similarity",
    "shingle_sets",
    "verify_pairs",
]


@dataclass(frozen=True, slots=True)
class ShingleSets:
    """Sorted distinct shingle hashes per document, for exact set comparisons.

    Attributes:
        keys: uint64 ``doc << 32 | hash``, sorted (documents in order, hashes ascending).
        offsets: int64 of length ``n + 1``; document ``i`` owns
            ``keys[offsets[i]:offsets[i + 1]]``.
    """

    keys: npt.NDArray[np.uint64]
    offsets: npt.NDArray[np.int64]

    @property
    def sizes(self) -> npt.NDArray[np.int64]:
        """Number of distinct shingles of each document."""
        return np.diff(self.offsets)


def shingle_sets(batch: ShingleBatch) -> ShingleSets:
    """Distinct shingle hashes of each document of ``batch``, sorted.

    Examples:
        >>> from newsclean.shingle import shingle_hashes
        >>> sets = shingle_sets(shingle_hashes(["a b a b a b", "c"], ngram=2))
        >>> sets.sizes.tolist()
        [2, 1]
    """
    n = len(batch)
    doc = np.repeat(np.arange(n, dtype=np.uint64), np.diff(batch.offsets))
    keys = np.sort((doc << np.uint64(32)) | batch.hashes.astype(np.uint64))
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    bounds = np.arange(n + 1, dtype=np.uint64) << np.uint64(32)
    offsets = np.searchsorted(keys, bounds).astype(np.int64)
    return ShingleSets(keys=keys, offsets=offsets)


def pair_similarity(
    pairs: npt.NDArray[np.int64],
    *,
    sets: ShingleSets | None = None,
    signatures: npt.NDArray[np.uint32] | None = None,
    sizes: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Jaccard similarity and containment (of the smaller in the larger) of each pair.

    Exact from ``sets`` when given; otherwise estimated from ``signatures`` (fraction of
    equal slots) and the set ``sizes``
    (:func:`newsclean.duplicates.estimate_intersection`).

    Returns:
        ``(jaccard, containment)``, float64 arrays of ``len(pairs)``.

    Examples:
        >>> from newsclean.shingle import shingle_hashes
        >>> sets = shingle_sets(shingle_hashes(["a b c d", "a b c d e f g h"], ngram=1))
        >>> jac, con = pair_similarity(np.array([[0, 1]]), sets=sets)
        >>> float(jac[0]), float(con[0])
        (0.5, 1.0)
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if sets is not None:
        set_sizes = sets.sizes
        values = (sets.keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        inter = intersections(values, sets.offsets, pairs).astype(np.float64)
    elif signatures is not None and sizes is not None:
        set_sizes = np.asarray(sizes, dtype=np.int64)
        est = np.empty(len(pairs), dtype=np.float64)
        for lo in range(0, len(pairs), 65536):
            part = pairs[lo : lo + 65536]
            est[lo : lo + len(part)] = (signatures[part[:, 0]] == signatures[part[:, 1]]).mean(
                axis=1
            )
        inter = estimate_intersection(est, set_sizes[pairs[:, 0]], set_sizes[pairs[:, 1]])
    else:
        msg = "pair_similarity needs sets=, or signatures= and sizes="
        raise InputError(msg)
    size_a = set_sizes[pairs[:, 0]].astype(np.float64)
    size_b = set_sizes[pairs[:, 1]].astype(np.float64)
    return ratios(inter, size_a, size_b)


def numbers_conflict(tokens_a: Sequence[str], tokens_b: Sequence[str], *, span: int = 4) -> bool:
    """True when the figures rule keeps two word sequences apart.

    The rule of :func:`newsclean.duplicates.check_figures` on comparison-form words
    (number words compared as digits; swapped figures weighed against what the texts
    share).

    Examples:
        >>> a = "arrange 1 5 billion dlrs at 6 3 16 pct".split()
        >>> numbers_conflict(a, "arrange two billion dlrs at 6 5 16 pct".split())
        True
        >>> numbers_conflict(a, ["paris", "reuters", *a[:5]])
        False
    """
    return check_figures(hash_words(tokens_a), hash_words(tokens_b), span=span).conflict


def accept_pairs(
    jaccard: npt.NDArray[np.float64],
    containment: npt.NDArray[np.float64],
    smaller_sizes: npt.NDArray[np.int64],
    config: DedupConfig,
) -> npt.NDArray[np.bool_]:
    """Which pairs are duplicates by similarity alone (before the figures check).

    Examples:
        >>> accept_pairs(np.array([0.9, 0.3, 0.3]), np.array([0.9, 0.95, 0.95]),
        ...              np.array([50, 50, 3]), DedupConfig()).tolist()
        [True, True, False]
    """
    by_jaccard, by_containment = accepted_by(jaccard, containment, smaller_sizes, config)
    return np.asarray(by_jaccard | by_containment)


def _check_ids(ids: Sequence[str] | None, n: int) -> list[str]:
    if ids is None:
        return [str(i) for i in range(n)]
    if isinstance(ids, str):
        msg = "ids must be a sequence of str, got a single str"
        raise InputError(msg)
    ids = list(ids)
    if len(ids) != n:
        msg = f"got {len(ids)} ids for {n} texts; pass one id per text"
        raise InputError(msg)
    for i, doc_id in enumerate(ids):
        if not isinstance(doc_id, str):
            msg = f"ids[{i}] is {type(doc_id).__name__}, not str; convert ids with str()"
            raise InputError(msg)
    if len(set(ids)) != n:
        seen: set[str] = set()
        dup = next(d for d in ids if d in seen or seen.add(d))  # type: ignore[func-returns-value]
        msg = f"duplicate id {dup!r}; ids must be unique (dedup identical records first)"
        raise InputError(msg)
    return ids


def verify_pairs(
    texts: Sequence[str],
    pairs: npt.NDArray[np.int64],
    config: DedupConfig,
    *,
    batch: ShingleBatch | None = None,
    signatures: npt.NDArray[np.uint32] | None = None,
) -> tuple[npt.NDArray[np.bool_], None]:
    """Which candidate pairs of ``texts`` are duplicates (:func:`newsclean.duplicates.verify`).

    ``batch`` and ``signatures`` are accepted for compatibility and not needed.

    Returns:
        A boolean mask over ``pairs``, and ``None``.

    Examples:
        >>> t = "Shares of the company rose sharply in early trade on Monday morning"
        >>> keep, _ = verify_pairs([t, t + " again", "Rain fell"], np.array([[0, 1], [0, 2]]), DedupConfig())
        >>> keep.tolist()
        [True, False]
    """
    del batch, signatures
    sketch = sketch_texts(texts, [str(i) for i in range(len(texts))], config)
    return duplicate_mask(sketch, np.asarray(pairs, dtype=np.int64).reshape(-1, 2), config), None


def dedup(
    texts: Sequence[str],
    ids: Sequence[str] | None = None,
    *,
    threshold: float | None = None,
    config: DedupConfig | None = None,
) -> DedupResult:
    """Cluster near-duplicate texts (copies, truncations, re-edits of one report).

    Texts are processed in the order of their ids, so the result does not depend on the
    input order (with ``ids=None`` the ids are the positions).

    Args:
        texts: the documents.
        ids: one unique id per text; ``None`` uses ``"0"``, ``"1"``, ...
        threshold: shortcut for ``config.threshold``.
        config: options (:class:`DedupConfig`).

    Returns:
        A :class:`DedupResult`, in input order.

    Raises:
        InputError: on a non-str text or id, duplicate ids, or an option out of range.

    Examples:
        >>> base = "The central bank raised its key rate by half a point on Tuesday, "
        >>> texts = [base + "citing inflation.", "PARIS (Reuters) - " + base + "citing inflation.",
        ...          "An entirely different story about football and the weather today."]
        >>> res = dedup(texts, ids=["a", "b", "c"])
        >>> res.labels
        ('a', 'a', 'c')
        >>> res.representatives
        ('b', 'b', 'c')
    """
    config = config_of(config, DedupConfig, "dedup()")
    if threshold is not None:
        config = dataclasses.replace(config, threshold=threshold)
    check_texts(texts)
    id_list = _check_ids(ids, len(texts))
    n = len(texts)
    # Canonical order: by id (positions when ids=None), so input order changes nothing.
    order = sorted(range(n), key=lambda i: id_list[i]) if ids is not None else list(range(n))
    sketch = sketch_texts([texts[i] for i in order], [id_list[i] for i in order], config)
    pairs = candidates(sketch)
    verdicts = verify(sketch, pairs, config)
    ok = verdicts.duplicate
    clusters = assign(
        sketch,
        pairs[ok],
        config,
        jaccard=verdicts.jaccard[ok],
        containment=verdicts.containment[ok],
    )
    at = np.empty(n, dtype=np.int64)
    at[np.asarray(order, dtype=np.int64)] = np.arange(n)
    ordered_ids = sketch.ids
    empty = sketch.empty
    return DedupResult(
        ids=tuple(id_list),
        labels=tuple(ordered_ids[clusters.label[at[i]]] for i in range(n)),
        representatives=tuple(ordered_ids[clusters.representative[at[i]]] for i in range(n)),
        similarity=tuple(float(clusters.jaccard[at[i]]) for i in range(n)),
        containment=tuple(float(clusters.containment[at[i]]) for i in range(n)),
        empty=tuple(bool(empty[at[i]]) for i in range(n)),
        config=config,
    )
