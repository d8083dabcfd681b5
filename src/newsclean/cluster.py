"""Near-duplicate clustering: LSH candidates -> verification -> connected components.

:func:`dedup` runs the whole chain on a batch of texts; the steps are pure functions
over arrays so that an ETL job or a Spark partition can run them one by one:

1. :func:`newsclean.shingle.shingle_hashes` and
   :func:`newsclean.signature.signatures_from_hashes`: shingles and MinHash signatures.
2. :func:`newsclean.lsh.band_keys` + :func:`newsclean.lsh.candidate_pairs` at the
   (low) ``candidate_threshold``, so that truncated copies, whose Jaccard similarity with
   the full text is only about their length ratio, still become candidates.
3. :func:`pair_similarity` (exact Jaccard and containment of the shingle sets, or the
   MinHash estimates) and :func:`accept_pairs`: a pair is a duplicate when its Jaccard
   similarity reaches ``threshold`` or the smaller text is ``containment``-contained in
   the larger, unless :func:`numbers_conflict` finds figures
   swapped in place (templated reports: same wording, other prices or dates).
4. :func:`component_labels`: connected components, labelled by their smallest member.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .lsh import band_keys, candidate_pairs, check_threshold, lsh_params, signature_pairs
from .shingle import ShingleBatch, check_texts, fast_word_tokens, shingle_hashes
from .signature import empty_rows, signatures_from_hashes

__all__ = [
    "DedupConfig",
    "DedupResult",
    "ShingleSets",
    "accept_pairs",
    "component_labels",
    "dedup",
    "numbers_conflict",
    "pair_similarity",
    "shingle_sets",
    "verify_pairs",
]

Verify = Literal["exact", "estimate"]


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Options of :func:`dedup`; change one with :func:`dataclasses.replace`.

    Defaults were chosen on the semi-synthetic Reuters benchmark
    (``benchmarks/dedup_quality.py``, see the README section "dedup").

    Attributes:
        threshold: Jaccard similarity of the shingle sets from which two texts are
            duplicates. Exact verification makes a lower value than the usual 0.8 safe.
        containment: a pair is also a duplicate when this fraction of the smaller text's
            shingles appears in the larger one (a truncated or excerpted copy); ``None``
            turns this off (only Jaccard counts).
        min_containment_shingles: containment only counts for a smaller text with at
            least this many shingles, so one stock sentence does not join every article
            quoting it.
        numbers: ``"distinct"``: two texts whose aligned words differ by a figure
            swapped in place (:func:`numbers_conflict`) are different reports, whatever
            their similarity (a copy may lose figures by truncation, not swap them);
            ``"ignore"``: figures are ordinary words.
        candidate_threshold: Jaccard threshold of the LSH banding that proposes
            candidates; below ``threshold`` so truncated copies are proposed too.
        verify: ``"exact"`` compares the shingle sets (precise; needs them in memory),
            ``"estimate"`` uses the MinHash estimates (128 permutations: about +-0.04).
        num_perm: MinHash permutations.
        ngram: words per shingle.
        seed: MinHash seed.
    """

    threshold: float = 0.5
    containment: float | None = 0.6
    min_containment_shingles: int = 10
    numbers: Literal["distinct", "ignore"] = "distinct"
    candidate_threshold: float = 0.2
    verify: Verify = "exact"
    num_perm: int = 128
    ngram: int = 5
    seed: int = 1

    def __post_init__(self) -> None:
        check_threshold(self.threshold, "threshold")
        check_threshold(self.candidate_threshold, "candidate_threshold")
        if self.containment is not None:
            check_threshold(self.containment, "containment")
        if self.verify not in ("exact", "estimate"):
            msg = f"verify must be 'exact' or 'estimate', got {self.verify!r}"
            raise InputError(msg)
        if self.numbers not in ("distinct", "ignore"):
            msg = f"numbers must be 'distinct' or 'ignore', got {self.numbers!r}"
            raise InputError(msg)
        if self.min_containment_shingles < 1:
            msg = f"min_containment_shingles must be >= 1, got {self.min_containment_shingles}"
            raise InputError(msg)


@dataclass(frozen=True, slots=True)
class DedupResult:
    """Clusters of near-duplicate texts, in input order.

    Attributes:
        ids: the id of each input text.
        labels: the cluster id of each input: the smallest id in its cluster (string
            order; with ``ids=None`` the ids are positions and the smallest is the first).
        representatives: the representative id of each input's cluster: its member with
            the most distinct shingles (the longest, most complete copy), ties going to
            the smallest id.
        similarity: Jaccard similarity of each input's shingles with its representative's
            (1.0 for the representative itself).
        containment: fraction of each input's shingles found in its representative.
        empty: inputs without any word; they stay alone in their cluster.
        config: the options used.
    """

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    representatives: tuple[str, ...]
    similarity: tuple[float, ...]
    containment: tuple[float, ...]
    empty: tuple[bool, ...]
    config: DedupConfig

    @property
    def n_clusters(self) -> int:
        """Number of clusters (singletons included)."""
        return len(set(self.labels))

    def clusters(self, *, min_size: int = 2) -> dict[str, tuple[str, ...]]:
        """Cluster id -> member ids (sorted), for clusters of at least ``min_size``."""
        groups: dict[str, list[str]] = {}
        for doc_id, label in zip(self.ids, self.labels, strict=True):
            groups.setdefault(label, []).append(doc_id)
        return {k: tuple(sorted(v)) for k, v in sorted(groups.items()) if len(v) >= min_size}

    def duplicates(self) -> tuple[str, ...]:
        """Ids of the inputs that are not their cluster's representative (safe to drop)."""
        return tuple(i for i, r in zip(self.ids, self.representatives, strict=True) if i != r)


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


def _intersections(
    sets: ShingleSets, pairs: npt.NDArray[np.int64], chunk: int = 1 << 20
) -> npt.NDArray[np.int64]:
    """|A ∩ B| for each pair, by looking up the smaller set's hashes in the larger."""
    sizes = sets.sizes
    out = np.zeros(len(pairs), dtype=np.int64)
    if not len(pairs):
        return out
    small_first = sizes[pairs[:, 0]] <= sizes[pairs[:, 1]]
    small = np.where(small_first, pairs[:, 0], pairs[:, 1])
    large = np.where(small_first, pairs[:, 1], pairs[:, 0])
    lengths = sizes[small]
    ends = np.cumsum(lengths)
    start = 0
    while start < len(pairs):
        stop = int(np.searchsorted(ends, (ends[start - 1] if start else 0) + chunk, side="right"))
        stop = max(stop, start + 1)
        lens = lengths[start:stop]
        total = int(lens.sum())
        owner = np.repeat(np.arange(start, stop), lens)
        within = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
        values = sets.keys[sets.offsets[small[owner]] + within] & np.uint64(0xFFFFFFFF)
        probe = (large[owner].astype(np.uint64) << np.uint64(32)) | values
        pos = np.minimum(np.searchsorted(sets.keys, probe), len(sets.keys) - 1)
        hit = sets.keys[pos] == probe
        out[start:stop] = np.bincount(owner[hit] - start, minlength=stop - start)
        start = stop
    return out


def pair_similarity(
    pairs: npt.NDArray[np.int64],
    *,
    sets: ShingleSets | None = None,
    signatures: npt.NDArray[np.uint32] | None = None,
    sizes: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Jaccard similarity and containment (of the smaller in the larger) of each pair.

    Exact from ``sets`` when given; otherwise estimated from ``signatures`` (fraction of
    equal slots) and the set ``sizes`` (``|A ∩ B| = J (|A| + |B|) / (1 + J)``).

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
        inter = _intersections(sets, pairs).astype(np.float64)
    elif signatures is not None and sizes is not None:
        set_sizes = np.asarray(sizes, dtype=np.int64)
        est = np.empty(len(pairs), dtype=np.float64)
        for lo in range(0, len(pairs), 65536):
            part = pairs[lo : lo + 65536]
            est[lo : lo + len(part)] = (signatures[part[:, 0]] == signatures[part[:, 1]]).mean(
                axis=1
            )
        total = set_sizes[pairs[:, 0]] + set_sizes[pairs[:, 1]]
        inter = est * total / (1.0 + est)
    else:
        msg = "pair_similarity needs sets=, or signatures= and sizes="
        raise InputError(msg)
    size_a = set_sizes[pairs[:, 0]].astype(np.float64)
    size_b = set_sizes[pairs[:, 1]].astype(np.float64)
    union = size_a + size_b - inter
    smaller = np.minimum(size_a, size_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, inter / union, 0.0)
        containment = np.where(smaller > 0, np.minimum(inter / smaller, 1.0), 0.0)
    return jaccard, containment


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


def _is_figure(token: str) -> bool:
    return token in FIGURE_WORDS or any(c.isdigit() for c in token)


def numbers_conflict(tokens_a: Sequence[str], tokens_b: Sequence[str], *, span: int = 4) -> bool:
    """True when the two token sequences differ by a figure swapped in place.

    The words of the two texts are aligned (``difflib``); a short replaced stretch (at
    most ``span`` words on each side) with a figure on *both* sides (a token with a digit,
    or a number, month or weekday word of :data:`FIGURE_WORDS`), other figures on each
    side, means other prices, dates or amounts: a templated report of another day,
    not a copy. A copy only loses or gains whole stretches (truncation, a prefix, a
    dropped paragraph), which are deletions and insertions, not replacements. A typo
    inside a figure also counts as a swap, on purpose: it cannot be told from one. When
    one text's figure occurrences are all among the other's (as a multiset), nothing was
    swapped (checked first, without alignment). A clause reworded around its figures
    also counts when the same unit word follows different figures in two nearby replaced
    stretches ("to a surplus of 150 mln stg from ... flat" against "to flat from ... a
    100 mln stg surplus"; changes at most ``2 * span`` equal words apart, at most
    ``3 * span`` changed words on each side).

    Measured on Reuters-21578: the daily "Fed adds reserves" and USDA reserve-price
    notices (Jaccard up to 0.83 between days) all conflict; a copy with a wire prefix,
    a truncated end or a rewritten headline does not.

    Examples:
        >>> a = "arrange 1 5 billion dlrs at 6 3 16 pct".split()
        >>> numbers_conflict(a, "arrange two billion dlrs at 6 5 16 pct".split())
        True
        >>> numbers_conflict(a, ["paris", "reuters", *a[:5]])
        False
    """
    import difflib

    count_a = Counter(t for t in tokens_a if _is_figure(t))
    count_b = Counter(t for t in tokens_b if _is_figure(t))
    # Unless each side has figure occurrences the other lacks, nothing was swapped; this
    # skips the alignment for most true copies (truncated, prefixed, re-typed ones).
    if not (count_a - count_b) or not (count_b - count_a):
        return False
    # Common head and tail need no alignment.
    head = 0
    limit = min(len(tokens_a), len(tokens_b))
    while head < limit and tokens_a[head] == tokens_b[head]:
        head += 1
    tail = 0
    while tail < limit - head and tokens_a[-1 - tail] == tokens_b[-1 - tail]:
        tail += 1
    tokens_a = tokens_a[head : len(tokens_a) - tail]
    tokens_b = tokens_b[head : len(tokens_b) - tail]
    matcher = difflib.SequenceMatcher(None, tokens_a, tokens_b, autojunk=False)
    opcodes = matcher.get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "replace" or i2 - i1 > span or j2 - j1 > span:
            continue
        figures_a = {t for t in tokens_a[i1:i2] if _is_figure(t)}
        figures_b = {t for t in tokens_b[j1:j2] if _is_figure(t)}
        if figures_a and figures_b and figures_a != figures_b:
            return True
    return any(
        _hunk_swaps_figures(tokens_a, tokens_b, hunk, span) for hunk in _hunks(opcodes, 2 * span)
    )


def _hunks(
    opcodes: Sequence[tuple[str, int, int, int, int]], gap: int
) -> list[list[tuple[str, int, int, int, int]]]:
    """Changes (non-equal opcodes) grouped when at most ``gap`` equal words lie between."""
    hunks: list[list[tuple[str, int, int, int, int]]] = []
    current: list[tuple[str, int, int, int, int]] = []
    for op in opcodes:
        if op[0] == "equal":
            if op[2] - op[1] > gap and current:
                hunks.append(current)
                current = []
            continue
        current.append(op)
    if current:
        hunks.append(current)
    return hunks


def _hunk_swaps_figures(
    tokens_a: Sequence[str],
    tokens_b: Sequence[str],
    hunk: Sequence[tuple[str, int, int, int, int]],
    span: int,
) -> bool:
    """A short rewording within one clause that swaps figures for others.

    Catches figures moved within a rephrased clause ("a surplus of 150 mln" against
    "flat from ... a 100 mln surplus"): a hunk of at most ``3 * span`` changed words on
    each side with at least two replaced stretches, in which the same unit word follows
    different figures on the two sides ("150 mln" / "100 mln"). Inserted or deleted words do not count (a
    prefix such as "UPDATE 1" or a dropped sentence is not a swap).
    """
    removed = sum(op[2] - op[1] for op in hunk)
    added = sum(op[4] - op[3] for op in hunk)
    replaced = [op for op in hunk if op[0] == "replace"]
    if len(replaced) < 2 or removed > 3 * span or added > 3 * span:
        return False
    units_a = _figure_units(tokens_a, [(op[1], op[2]) for op in replaced])
    units_b = _figure_units(tokens_b, [(op[3], op[4]) for op in replaced])
    # The same unit after different figures on the two sides ("150 mln" / "100 mln").
    return any(
        unit in units_b and units_b[unit] - units_a[unit] and units_a[unit] - units_b[unit]
        for unit in units_a
    )


def _figure_units(
    tokens: Sequence[str], stretches: Sequence[tuple[int, int]]
) -> dict[str, set[str]]:
    """The figures of ``stretches`` by the word after each (its unit: mln, pct, dlrs...)."""
    units: dict[str, set[str]] = {}
    for lo, hi in stretches:
        for p in range(lo, hi):
            if _is_figure(tokens[p]) and p + 1 < len(tokens) and not _is_figure(tokens[p + 1]):
                units.setdefault(tokens[p + 1], set()).add(tokens[p])
    return units


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
    ok = jaccard >= config.threshold
    if config.containment is not None:
        ok |= (containment >= config.containment) & (
            smaller_sizes >= config.min_containment_shingles
        )
    return np.asarray(ok)


def component_labels(n: int, pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Connected components of the graph on ``n`` nodes; each labelled by its smallest node.

    Examples:
        >>> component_labels(5, np.array([[3, 1], [4, 3]])).tolist()
        [0, 1, 2, 1, 1]
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix(
        (np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n)
    )
    _, comp = connected_components(graph, directed=False)
    smallest = np.full(n, n, dtype=np.int64)
    np.minimum.at(smallest, comp, np.arange(n, dtype=np.int64))
    out: npt.NDArray[np.int64] = smallest[comp]
    return out


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
) -> tuple[npt.NDArray[np.bool_], ShingleSets | None]:
    """Which candidate pairs are duplicates: the verification step of :func:`dedup`.

    Similarity (exact on shingle sets, or estimated from signatures, per
    ``config.verify``), then :func:`accept_pairs`, then (``numbers="distinct"``)
    :func:`numbers_conflict` on the words of both texts. A pure function over a batch,
    so that other engines (``newsclean.spark``) verify exactly as the local dedup does.

    Args:
        texts: the texts the pair indices point into.
        pairs: ``(n, 2)`` indices into ``texts``.
        config: the dedup options.
        batch: ``shingle_hashes(texts, config.ngram)`` if already computed.
        signatures: the texts' signatures if already computed (estimate mode).

    Returns:
        A boolean mask over ``pairs`` (kept pairs), and the shingle sets built for exact
        verification (``None`` in estimate mode).

    Examples:
        >>> t = "Shares of the company rose sharply in early trade on Monday morning"
        >>> keep, _ = verify_pairs([t, t + " again", "Rain fell"], np.array([[0, 1], [0, 2]]), DedupConfig())
        >>> keep.tolist()
        [True, False]
    """
    batch = batch if batch is not None else shingle_hashes(texts, config.ngram)
    sets = shingle_sets(batch) if config.verify == "exact" else None
    if sets is not None:
        jac, con = pair_similarity(pairs, sets=sets)
        sizes = sets.sizes
    else:
        sizes = np.diff(batch.offsets)
        if signatures is None:
            signatures = signatures_from_hashes(
                batch.hashes, batch.offsets, num_perm=config.num_perm, seed=config.seed
            )
        jac, con = pair_similarity(pairs, signatures=signatures, sizes=sizes)
    smaller = np.minimum(sizes[pairs[:, 0]], sizes[pairs[:, 1]])
    keep = np.asarray(accept_pairs(jac, con, smaller, config), dtype=bool)
    if config.numbers == "distinct" and keep.any():
        rows = np.flatnonzero(keep)
        tokens = {int(i): fast_word_tokens(texts[int(i)]) for i in np.unique(pairs[rows])}
        for row in rows:
            if numbers_conflict(tokens[int(pairs[row, 0])], tokens[int(pairs[row, 1])]):
                keep[row] = False
    return keep, sets


def _verified_pairs(
    texts: Sequence[str],
    batch: ShingleBatch,
    signatures: npt.NDArray[np.uint32],
    config: DedupConfig,
) -> tuple[npt.NDArray[np.int64], ShingleSets | None]:
    """Candidate pairs that pass verification."""
    bands, rows = lsh_params(config.candidate_threshold, config.num_perm)
    live = np.flatnonzero(~empty_rows(signatures))
    pairs = np.zeros((0, 2), dtype=np.int64)
    if len(live):
        # Equal signatures are linked whatever the size of their band groups, so that
        # identical texts always end up together (see candidate_pairs' max_group).
        whole = band_keys(signatures[live], 1, config.num_perm)
        banded = signature_pairs(signatures[live], bands, rows)
        both = np.concatenate((banded, candidate_pairs(whole, max_group=1)))
        pairs = live[np.unique(both, axis=0)]
    keep, sets = verify_pairs(texts, pairs, config, batch=batch, signatures=signatures)
    return pairs[keep], sets


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
    config = config or DedupConfig()
    if threshold is not None:
        config = dataclasses.replace(config, threshold=threshold)
    check_texts(texts)
    id_list = _check_ids(ids, len(texts))
    n = len(texts)
    # Canonical order: by id (positions when ids=None), so input order changes nothing.
    order = sorted(range(n), key=lambda i: id_list[i]) if ids is not None else list(range(n))
    ordered = [texts[i] for i in order]
    batch = shingle_hashes(ordered, config.ngram)
    signatures = signatures_from_hashes(
        batch.hashes, batch.offsets, num_perm=config.num_perm, seed=config.seed
    )
    pairs, sets = _verified_pairs(ordered, batch, signatures, config)
    labels = component_labels(n, pairs)
    rep, jac, con = _representatives(labels, batch, signatures, sets)
    empty = empty_rows(signatures)
    ordered_ids = [id_list[i] for i in order]
    result_at = np.empty(n, dtype=np.int64)
    result_at[np.asarray(order, dtype=np.int64)] = np.arange(n)
    return DedupResult(
        ids=tuple(id_list),
        labels=tuple(ordered_ids[labels[result_at[i]]] for i in range(n)),
        representatives=tuple(ordered_ids[rep[result_at[i]]] for i in range(n)),
        similarity=tuple(float(jac[result_at[i]]) for i in range(n)),
        containment=tuple(float(con[result_at[i]]) for i in range(n)),
        empty=tuple(bool(empty[result_at[i]]) for i in range(n)),
        config=config,
    )


def _representatives(
    labels: npt.NDArray[np.int64],
    batch: ShingleBatch,
    signatures: npt.NDArray[np.uint32],
    sets: ShingleSets | None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Representative of each document's cluster and its similarity to it."""
    n = len(labels)
    sizes = sets.sizes if sets is not None else np.diff(batch.offsets)
    # Most shingles first, then smallest index: lexsort's last key is the primary one.
    best = np.lexsort((np.arange(n), -sizes, labels))
    first_of_label = np.ones(n, dtype=bool)
    first_of_label[1:] = labels[best][1:] != labels[best][:-1]
    rep_of_label = np.zeros(n, dtype=np.int64)
    rep_of_label[labels[best][first_of_label]] = best[first_of_label]
    rep = rep_of_label[labels]
    jac = np.ones(n, dtype=np.float64)
    con = np.ones(n, dtype=np.float64)
    members = np.flatnonzero(rep != np.arange(n))
    if len(members):
        pairs = np.stack((members, rep[members]), axis=1)
        if sets is not None:
            inter = _intersections(sets, pairs).astype(np.float64)
        else:
            est = (signatures[members] == signatures[rep[members]]).mean(axis=1)
            inter = est * (sizes[members] + sizes[rep[members]]) / (1.0 + est)
        own = sizes[members].astype(np.float64)
        union = own + sizes[rep[members]] - inter
        jac[members] = np.where(union > 0, inter / union, 0.0)
        con[members] = np.where(own > 0, np.minimum(inter / own, 1.0), 0.0)
    return rep, jac, con
