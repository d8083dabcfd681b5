"""An incremental near-duplicate index: add batches, query new texts against all seen.

:class:`DedupIndex` keeps, for every document added, its band keys (one sorted uint64
table), its distinct shingle hashes (for exact verification) and its figures, and the
accepted duplicate pairs. It applies the same candidate and verification rules as
:func:`newsclean.dedup`, so adding texts batch by batch gives the same clusters as one
``dedup`` call over all of them (band groups above
:data:`newsclean.lsh.MAX_GROUP_PAIRS` aside).

Memory per document: ``bands`` x 8 bytes of keys plus 8 bytes per distinct shingle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .cluster import (
    DedupConfig,
    DedupResult,
    ShingleSets,
    _check_ids,
    accept_pairs,
    component_labels,
    numbers_conflict,
    pair_similarity,
    shingle_sets,
)
from .errors import InputError
from .lsh import MAX_GROUP_PAIRS, band_keys, candidate_pairs, lsh_params
from .shingle import check_texts, fast_word_tokens, shingle_hashes
from .signature import empty_rows, signatures_from_hashes

__all__ = ["DedupIndex", "IndexMatch"]


@dataclass(frozen=True, slots=True)
class IndexMatch:
    """A document of the index that a queried text duplicates.

    Attributes:
        id: the indexed document's id.
        jaccard: Jaccard similarity of the two shingle sets.
        containment: fraction of the smaller set found in the larger.
    """

    id: str
    jaccard: float
    containment: float


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Everything the index needs from a batch of texts."""

    keys: npt.NDArray[np.uint64]
    whole: npt.NDArray[np.uint64]
    sets: ShingleSets
    empty: npt.NDArray[np.bool_]
    numbers: tuple[list[str], ...]


def _lookup(
    table: npt.NDArray[np.uint64],
    table_doc: npt.NDArray[np.int64],
    keys: npt.NDArray[np.uint64],
    rows: npt.NDArray[np.int64],
    cap: int,
) -> npt.NDArray[np.int64]:
    """Pairs (stored doc, row) for every key of ``keys[k]`` found in the sorted ``table``.

    At most ``cap`` stored documents per key (the first ones in the table's order).
    """
    flat = keys.ravel()
    doc = np.repeat(rows, keys.shape[1])
    lo = np.searchsorted(table, flat, side="left")
    hi = np.searchsorted(table, flat, side="right")
    count = np.minimum(hi - lo, cap)
    owner = np.repeat(np.arange(len(flat)), count)
    within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    return np.stack((table_doc[lo[owner] + within], doc[owner]), axis=1)


class DedupIndex:
    """Incremental near-duplicate index with the rules of :func:`newsclean.dedup`.

    Examples:
        >>> index = DedupIndex()
        >>> text = "The central bank raised its key rate by half a point on Tuesday, citing inflation."
        >>> index.add([text, "A different report about the harvest in the south."], ["a", "b"])
        >>> matches = index.query(["ROME (Reuters) - " + text])
        >>> [(m.id, round(m.jaccard, 2)) for m in matches[0]]
        [('a', 0.85)]
        >>> index.add(["ROME (Reuters) - " + text], ["c"])
        >>> index.result().labels
        ('a', 'b', 'a')
    """

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self._bands, self._rows = lsh_params(self.config.candidate_threshold, self.config.num_perm)
        self._ids: list[str] = []
        self._id_set: set[str] = set()
        self._numbers: list[list[str]] = []
        self._empty = np.zeros(0, dtype=bool)
        self._table = np.zeros(0, dtype=np.uint64)  # sorted band keys
        self._table_doc = np.zeros(0, dtype=np.int64)
        self._whole = np.zeros(0, dtype=np.uint64)  # sorted whole-signature keys
        self._whole_doc = np.zeros(0, dtype=np.int64)
        self._set_keys = np.zeros(0, dtype=np.uint64)  # doc << 32 | hash, sorted
        self._set_offsets = np.zeros(1, dtype=np.int64)
        self._edges = np.zeros((0, 2), dtype=np.int64)

    def __len__(self) -> int:
        return len(self._ids)

    def _prepare(self, texts: Sequence[str], first_doc: int) -> _Prepared:
        cfg = self.config
        batch = shingle_hashes(texts, cfg.ngram)
        sig = signatures_from_hashes(
            batch.hashes, batch.offsets, num_perm=cfg.num_perm, seed=cfg.seed
        )
        sets = shingle_sets(batch)
        shifted = sets.keys + (np.uint64(first_doc) << np.uint64(32))
        numbers = tuple(fast_word_tokens(t) for t in texts) if cfg.numbers == "distinct" else ()
        return _Prepared(
            keys=band_keys(sig, self._bands, self._rows),
            whole=band_keys(sig, 1, cfg.num_perm)[:, 0],
            sets=ShingleSets(keys=shifted, offsets=sets.offsets),
            empty=empty_rows(sig),
            numbers=numbers,
        )

    def _combined_sets(self, new: _Prepared) -> ShingleSets:
        offsets = np.concatenate((self._set_offsets[:-1], new.sets.offsets + self._set_offsets[-1]))
        return ShingleSets(keys=np.concatenate((self._set_keys, new.sets.keys)), offsets=offsets)

    def _matches(self, new: _Prepared) -> npt.NDArray[np.int64]:
        """Candidate pairs (stored doc, new doc index relative to len(self))."""
        rows = np.flatnonzero(~new.empty)
        banded = _lookup(self._table, self._table_doc, new.keys[rows], rows, MAX_GROUP_PAIRS)
        # Equal signatures match whatever the band group sizes (as in dedup).
        whole = _lookup(self._whole, self._whole_doc, new.whole[rows, None], rows, len(self._ids))
        pairs = np.concatenate((banded, whole))
        pairs[:, 1] += len(self._ids)
        return np.unique(pairs, axis=0) if len(pairs) else pairs

    def _verify(
        self, pairs: npt.NDArray[np.int64], sets: ShingleSets, numbers: Sequence[list[str]]
    ) -> npt.NDArray[np.int64]:
        if not len(pairs):
            return pairs
        jac, con = pair_similarity(pairs, sets=sets)
        sizes = sets.sizes
        smaller = np.minimum(sizes[pairs[:, 0]], sizes[pairs[:, 1]])
        ok = accept_pairs(jac, con, smaller, self.config)
        if self.config.numbers == "distinct":
            ok &= np.array(
                [not numbers_conflict(numbers[a], numbers[b]) for a, b in pairs], dtype=bool
            )
        return pairs[ok]

    def query(self, texts: Sequence[str]) -> tuple[tuple[IndexMatch, ...], ...]:
        """For each text, the indexed documents it duplicates (the index is unchanged).

        Returns:
            One tuple per text, sorted by decreasing Jaccard similarity, then id.
        """
        check_texts(texts)
        new = self._prepare(texts, len(self._ids))
        pairs = self._matches(new)
        sets = self._combined_sets(new)
        numbers = [*self._numbers, *new.numbers]
        out: list[list[IndexMatch]] = [[] for _ in texts]
        accepted = self._verify(pairs, sets, numbers)
        if len(accepted):
            jac, con = pair_similarity(accepted, sets=sets)
            for (old, doc), j, c in zip(accepted, jac, con, strict=True):
                out[int(doc) - len(self._ids)].append(
                    IndexMatch(self._ids[int(old)], float(j), float(c))
                )
        return tuple(tuple(sorted(m, key=lambda x: (-x.jaccard, x.id))) for m in out)

    def add(self, texts: Sequence[str], ids: Sequence[str]) -> None:
        """Add a batch: verify it against the index and within itself, then store it.

        Raises:
            InputError: on a non-str text or id, or an id already in the index.
        """
        check_texts(texts)
        id_list = _check_ids(ids, len(texts))
        clash = next((i for i in id_list if i in self._id_set), None)
        if clash is not None:
            msg = f"id {clash!r} is already in the index; ids must be unique across batches"
            raise InputError(msg)
        base = len(self._ids)
        new = self._prepare(texts, base)
        across = self._matches(new)
        live = np.flatnonzero(~new.empty)
        within = np.zeros((0, 2), dtype=np.int64)
        if len(live):
            both = np.concatenate(
                (candidate_pairs(new.keys[live]), candidate_pairs(new.whole[live], max_group=1))
            )
            within = live[np.unique(both, axis=0)] + base
        sets = self._combined_sets(new)
        numbers = [*self._numbers, *new.numbers]
        pairs = np.concatenate((across, within)) if len(within) else across
        accepted = self._verify(pairs, sets, numbers)
        # Store.
        self._ids.extend(id_list)
        self._id_set.update(id_list)
        self._numbers.extend(new.numbers)
        self._empty = np.concatenate((self._empty, new.empty))
        flat = new.keys[live].ravel()
        docs = np.repeat(live + base, new.keys.shape[1])
        table = np.concatenate((self._table, flat))
        table_doc = np.concatenate((self._table_doc, docs))
        order = np.lexsort((table_doc, table))
        self._table, self._table_doc = table[order], table_doc[order]
        whole = np.concatenate((self._whole, new.whole[live]))
        whole_doc = np.concatenate((self._whole_doc, live + base))
        order = np.lexsort((whole_doc, whole))
        self._whole, self._whole_doc = whole[order], whole_doc[order]
        self._set_keys, self._set_offsets = sets.keys, sets.offsets
        self._edges = np.concatenate((self._edges, accepted))

    def result(self) -> DedupResult:
        """Clusters of everything added so far, as :func:`newsclean.dedup` reports them."""
        n = len(self._ids)
        labels = component_labels(n, self._edges)
        sets = ShingleSets(keys=self._set_keys, offsets=self._set_offsets)
        sizes = sets.sizes
        # Canonical label and representative per component, by id (not insertion order).
        rank = np.empty(n, dtype=np.int64)
        rank[sorted(range(n), key=self._ids.__getitem__)] = np.arange(n)
        smallest = np.full(n, n, dtype=np.int64)
        np.minimum.at(smallest, labels, rank)
        by_rank = np.argsort(rank)
        best = np.lexsort((rank, -sizes, labels))
        first = (
            np.concatenate(([True], labels[best][1:] != labels[best][:-1]))
            if n
            else np.zeros(0, bool)
        )
        rep_of = np.zeros(n, dtype=np.int64)
        rep_of[labels[best][first]] = best[first]
        rep = rep_of[labels]
        members = np.flatnonzero(rep != np.arange(n))
        jac = np.ones(n)
        con = np.ones(n)
        if len(members):
            j, _ = pair_similarity(np.stack((members, rep[members]), axis=1), sets=sets)
            inter = j * (sizes[members] + sizes[rep[members]]) / (1.0 + j)
            jac[members] = j
            con[members] = np.minimum(inter / np.maximum(sizes[members], 1), 1.0)
        return DedupResult(
            ids=tuple(self._ids),
            labels=tuple(self._ids[by_rank[smallest[labels[i]]]] for i in range(n)),
            representatives=tuple(self._ids[int(r)] for r in rep),
            similarity=tuple(float(x) for x in jac),
            containment=tuple(float(x) for x in con),
            empty=tuple(bool(x) for x in self._empty),
            config=self.config,
        )
