"""An incremental near-duplicate index: add batches, query new texts against all seen.

:class:`DedupIndex` keeps the :class:`~newsclean.duplicates.Sketch` of every document
added (signatures, band keys, shingle sets, figure words), a sorted table of band keys
and the verified duplicate pairs. Candidates come from the table, verification and
clustering from the core (:func:`newsclean.duplicates.verify`,
:func:`newsclean.duplicates.assign`), so adding texts batch by batch gives the clusters
of one :func:`newsclean.dedup` call over all of them (band groups above
:data:`newsclean.lsh.MAX_GROUP_PAIRS` aside: within one call they are linked by a
chain and a star, across batches every stored member is looked up, up to that cap).

Memory per document: its sketch (about ``4 * num_perm + 16 * bands`` bytes plus 8 bytes
per word).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .cluster import _check_ids
from .duplicates.clusters import assign, candidates
from .duplicates.config import DedupConfig, DedupResult
from .duplicates.sketch import Sketch, concat, empty_sketch, sketch_texts
from .duplicates.verification import verify
from .errors import InputError, config_of
from .lsh import MAX_GROUP_PAIRS
from .shingle import check_texts

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
        self.config = config_of(config, DedupConfig, "DedupIndex()")
        self._sketch = empty_sketch(self.config)
        self._id_set: set[str] = set()
        self._table = np.zeros(0, dtype=np.uint64)  # sorted band keys
        self._table_doc = np.zeros(0, dtype=np.int64)
        self._whole = np.zeros(0, dtype=np.uint64)  # sorted whole-signature keys
        self._whole_doc = np.zeros(0, dtype=np.int64)
        self._edges = np.zeros((0, 2), dtype=np.int64)

    def __len__(self) -> int:
        return len(self._sketch)

    @property
    def sketch(self) -> Sketch:
        """The sketch of every document added, in insertion order."""
        return self._sketch

    def _matches(self, new: Sketch) -> npt.NDArray[np.int64]:
        """Candidate pairs (stored doc, new doc index relative to len(self))."""
        rows = np.flatnonzero(~new.empty)
        banded = _lookup(self._table, self._table_doc, new.band_keys[rows], rows, MAX_GROUP_PAIRS)
        # Equal signatures match whatever the band group sizes (as in dedup).
        whole = _lookup(self._whole, self._whole_doc, new.whole_keys[rows, None], rows, len(self))
        pairs = np.concatenate((banded, whole))
        pairs[:, 1] += len(self)
        return np.unique(pairs, axis=0) if len(pairs) else pairs

    def query(self, texts: Sequence[str]) -> tuple[tuple[IndexMatch, ...], ...]:
        """For each text, the indexed documents it duplicates (the index is unchanged).

        Returns:
            One tuple per text, sorted by decreasing Jaccard similarity, then id.
        """
        check_texts(texts)
        new = sketch_texts(texts, [f"query:{i}" for i in range(len(texts))], self.config)
        pairs = self._matches(new)
        both = concat([self._sketch, new], self.config)
        verdicts = verify(both, pairs, self.config)
        out: list[list[IndexMatch]] = [[] for _ in texts]
        for row in np.flatnonzero(verdicts.duplicate).tolist():
            old, doc = int(pairs[row, 0]), int(pairs[row, 1])
            out[doc - len(self)].append(
                IndexMatch(
                    self._sketch.ids[old],
                    float(verdicts.jaccard[row]),
                    float(verdicts.containment[row]),
                )
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
        base = len(self)
        new = sketch_texts(texts, id_list, self.config)
        across = self._matches(new)
        # Candidates within the batch from its rows in id order, as dedup orders them.
        order = np.array(sorted(range(len(texts)), key=id_list.__getitem__), dtype=np.int64)
        within = order[candidates(new.take(order))] + base
        both = concat([self._sketch, new], self.config)
        pairs = np.concatenate((across, within))
        accepted = pairs[verify(both, pairs, self.config).duplicate]
        live = np.flatnonzero(~new.empty)
        self._table, self._table_doc = _merge(
            self._table,
            self._table_doc,
            new.band_keys[live].ravel(),
            np.repeat(live + base, new.band_keys.shape[1]),
        )
        self._whole, self._whole_doc = _merge(
            self._whole, self._whole_doc, new.whole_keys[live], live + base
        )
        self._sketch = both
        self._id_set.update(id_list)
        self._edges = np.concatenate((self._edges, accepted))

    def result(self) -> DedupResult:
        """Clusters of everything added so far, as :func:`newsclean.dedup` reports them."""
        sk = self._sketch
        clusters = assign(sk, self._edges, self.config)
        return DedupResult(
            ids=sk.ids,
            labels=tuple(sk.ids[i] for i in clusters.label.tolist()),
            representatives=tuple(sk.ids[i] for i in clusters.representative.tolist()),
            similarity=tuple(float(x) for x in clusters.jaccard),
            containment=tuple(float(x) for x in clusters.containment),
            empty=tuple(bool(x) for x in sk.empty),
            config=self.config,
        )


def _merge(
    table: npt.NDArray[np.uint64],
    table_doc: npt.NDArray[np.int64],
    keys: npt.NDArray[np.uint64],
    docs: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """The sorted key table with ``keys`` (of documents ``docs``) added."""
    table = np.concatenate((table, keys))
    table_doc = np.concatenate((table_doc, docs))
    order = np.lexsort((table_doc, table))
    return table[order], table_doc[order]
