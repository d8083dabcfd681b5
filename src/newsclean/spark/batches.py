"""Arrow batch functions that run the dedup core inside Spark tasks.

Each function takes and returns ``pyarrow.RecordBatch`` objects and calls the core of
:mod:`newsclean.duplicates` (the sketch, :func:`~newsclean.duplicates.verify`,
:func:`~newsclean.duplicates.assign`); nothing here computes a hash, a similarity or a
cluster on its own. Documents travel as their sketch rows
(:func:`newsclean.duplicates.sketch.row_bytes`), never as text after the first step,
so a Spark run gives the local run's numbers bit for bit.

Documents are identified by ``idx``, a long that sorts like the document ids: the
core works in id order too (the links of oversized band groups, the orientation of
the figures rule, the smallest member of a cluster and the representative ties).

The functions need no SparkSession, so they are tested without Java.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from ..duplicates import sketch as core_sketch
from ..duplicates.clusters import assign
from ..duplicates.config import DedupConfig
from ..duplicates.sketch import from_rows, row_bytes
from ..duplicates.verification import verify
from ..lsh import MAX_GROUP_PAIRS, candidate_pairs

__all__ = [
    "ASSIGN_SCHEMA",
    "EDGE_SCHEMA",
    "PAIR_SCHEMA",
    "SIGNATURE_SCHEMA",
    "assign_rows",
    "band_pairs",
    "signature_rows",
    "verified_pairs",
]

#: Output of :func:`signature_rows` (Spark DDL).
SIGNATURE_SCHEMA = "idx long, empty boolean, band_keys array<long>, whole_key long, sketch binary"
#: Output of :func:`band_pairs`.
PAIR_SCHEMA = "a long, b long"
#: Output of :func:`verified_pairs`.
EDGE_SCHEMA = "a long, b long, jaccard double, containment double"
#: Output of :func:`assign_rows`.
ASSIGN_SCHEMA = "idx long, label long, rep long, similarity double, containment double"


def _pa() -> Any:
    import pyarrow as pa

    return pa


def local_id(idx: int) -> str:
    """The id the core sees for ``idx``: it sorts as ``idx`` does (ids are numbered in order).

    Examples:
        >>> local_id(3) < local_id(12)
        True
    """
    return f"{idx:020d}"


def signature_rows(batches: Iterable[Any], config: DedupConfig) -> Iterator[Any]:
    """``(idx, text)`` batches -> one sketch row per document (:data:`SIGNATURE_SCHEMA`).

    ``band_keys`` and ``whole_key`` are the sketch's LSH keys as signed longs (the uint64
    bits), ``sketch`` the document's :func:`~newsclean.duplicates.sketch.row_bytes`.

    Examples:
        >>> import pyarrow as pa
        >>> batch = pa.RecordBatch.from_pydict({"idx": [0, 1], "text": ["a b c d e f", ""]})
        >>> out = next(signature_rows([batch], DedupConfig()))
        >>> out.column("empty").to_pylist(), len(out.column("band_keys")[0])
        ([False, True], 28)
    """
    pa = _pa()
    for batch in batches:
        texts: list[str] = batch.column("text").to_pylist()
        idx = batch.column("idx").to_pylist()
        sk = core_sketch.sketch_texts(texts, [local_id(i) for i in idx], config)
        keys = sk.band_keys.view(np.int64)
        bands = keys.shape[1]
        offsets = np.arange(0, keys.size + 1, bands, dtype=np.int32)
        yield pa.RecordBatch.from_arrays(
            [
                batch.column("idx"),
                pa.array(sk.empty, pa.bool_()),
                pa.ListArray.from_arrays(pa.array(offsets), pa.array(keys.ravel())),
                pa.array(sk.whole_keys.view(np.int64), pa.int64()),
                pa.array([row_bytes(sk, i) for i in range(len(sk))], pa.binary()),
            ],
            names=["idx", "empty", "band_keys", "whole_key", "sketch"],
        )


def band_pairs(batches: Iterable[Any], max_group: int = MAX_GROUP_PAIRS) -> Iterator[Any]:
    """All ``(band, key, idx)`` rows of one partition -> candidate pairs (:data:`PAIR_SCHEMA`).

    The partition must hold every row of each key it holds (partition by ``key``) and
    list them by ascending ``idx`` (sort within partitions): then
    :func:`newsclean.lsh.candidate_pairs`, called band by band as the core's
    :func:`~newsclean.duplicates.candidates` does, sees each group of equal keys in the
    local order and links groups over ``max_group`` by the same chain and star. Pairs
    come out with ``a < b``; a pair may repeat across bands and partitions.

    Examples:
        >>> import pyarrow as pa
        >>> rows = pa.RecordBatch.from_pydict(
        ...     {"band": [0, 0, 1, 0], "key": [5, 7, 5, 5], "idx": [10, 11, 12, 14]})
        >>> [tuple(r.values()) for r in next(band_pairs([rows])).to_pylist()]
        [(10, 14)]
    """
    pa = _pa()
    tables = [pa.Table.from_batches([b]) for b in batches if b.num_rows]
    if not tables:
        return
    table = pa.concat_tables(tables)
    band = table.column("band").to_numpy()
    keys = table.column("key").to_numpy().view(np.uint64)
    idx = table.column("idx").to_numpy()
    firsts: list[npt.NDArray[np.int64]] = []
    seconds: list[npt.NDArray[np.int64]] = []
    for value in np.unique(band):
        rows = np.flatnonzero(band == value)  # keeps the idx order
        pairs = candidate_pairs(keys[rows], max_group=max_group)
        firsts.append(idx[rows[pairs[:, 0]]])
        seconds.append(idx[rows[pairs[:, 1]]])
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    keep = a != b
    yield pa.RecordBatch.from_arrays(
        [
            pa.array(np.minimum(a, b)[keep], pa.int64()),
            pa.array(np.maximum(a, b)[keep], pa.int64()),
        ],
        names=["a", "b"],
    )


def verified_pairs(batches: Iterable[Any], config: DedupConfig) -> Iterator[Any]:
    """``(a, b, sketch_a, sketch_b)`` candidates -> the duplicates (:data:`EDGE_SCHEMA`).

    The core's verification itself (:func:`newsclean.duplicates.verify`), on the two
    documents' sketch rows.

    Examples:
        >>> import pyarrow as pa
        >>> from newsclean.duplicates import sketch_texts
        >>> t = "Shares of the company rose sharply in early trade on Monday morning"
        >>> sk = sketch_texts([t, t + " again", "Rain fell in the hills"], ["0", "1", "2"])
        >>> rows = [row_bytes(sk, i) for i in range(3)]
        >>> batch = pa.RecordBatch.from_pydict({"a": [0, 0], "b": [1, 2],
        ...     "sketch_a": [rows[0], rows[0]], "sketch_b": [rows[1], rows[2]]})
        >>> [(r["a"], r["b"]) for r in next(verified_pairs([batch], DedupConfig())).to_pylist()]
        [(0, 1)]
    """
    pa = _pa()
    for batch in batches:
        if not batch.num_rows:
            continue
        ends = np.concatenate((batch.column("a").to_numpy(), batch.column("b").to_numpy()))
        blobs = batch.column("sketch_a").to_pylist() + batch.column("sketch_b").to_pylist()
        uniq, first, local = np.unique(ends, return_index=True, return_inverse=True)
        sk = from_rows([local_id(int(i)) for i in uniq], [blobs[i] for i in first], config)
        pairs = local.reshape(2, -1).T.astype(np.int64)
        verdicts = verify(sk, pairs, config)
        keep = pa.array(verdicts.duplicate)
        yield pa.RecordBatch.from_arrays(
            [
                batch.column("a").filter(keep),
                batch.column("b").filter(keep),
                pa.array(verdicts.jaccard[verdicts.duplicate], pa.float64()),
                pa.array(verdicts.containment[verdicts.duplicate], pa.float64()),
            ],
            names=["a", "b", "jaccard", "containment"],
        )


def assign_rows(batches: Iterable[Any], config: DedupConfig) -> Iterator[Any]:
    """Components -> clusters without chaining (:data:`ASSIGN_SCHEMA`).

    Input rows ``(component, kind, idx, b, jaccard, containment, sketch)``, every row of
    a component in one partition: ``kind`` 0 is a member (``idx``, ``sketch``), 1 a
    verified edge (``idx``-``b`` with its similarity). Each component goes through the
    core's :func:`~newsclean.duplicates.assign`; out come each member's cluster label,
    representative (as ``idx``) and similarity to it.

    Examples:
        >>> import pyarrow as pa
        >>> from newsclean.duplicates import sketch_texts
        >>> t = "Shares of the company rose sharply in early trade on Monday morning"
        >>> sk = sketch_texts([t, t + " again"], [local_id(4), local_id(9)])
        >>> batch = pa.RecordBatch.from_pydict({
        ...     "component": [4, 4, 4], "kind": [0, 0, 1], "idx": [4, 9, 4], "b": [None, None, 9],
        ...     "jaccard": [None, None, 0.9], "containment": [None, None, 1.0],
        ...     "sketch": [row_bytes(sk, 0), row_bytes(sk, 1), None]})
        >>> [(r["idx"], r["label"], r["rep"]) for r in next(assign_rows([batch], DedupConfig())).to_pylist()]
        [(4, 4, 9), (9, 4, 9)]
    """
    pa = _pa()
    tables = [pa.Table.from_batches([b]) for b in batches if b.num_rows]
    if not tables:
        return
    table = pa.concat_tables(tables)
    component = table.column("component").to_numpy()
    kind = table.column("kind").to_numpy()
    idx = table.column("idx").to_numpy()
    other = table.column("b").to_pylist()
    jaccard = table.column("jaccard").to_pylist()
    containment = table.column("containment").to_pylist()
    blobs = table.column("sketch").to_pylist()
    out: list[tuple[npt.NDArray[Any], ...]] = []
    for value in np.unique(component):
        rows = np.flatnonzero(component == value)
        members = sorted((int(idx[r]), r) for r in rows if kind[r] == 0)
        where = {i: k for k, (i, _) in enumerate(members)}
        sk = from_rows([local_id(i) for i, _ in members], [blobs[r] for _, r in members], config)
        edge_rows = [r for r in rows if kind[r] == 1]
        edges = np.array(
            [(where[int(idx[r])], where[int(other[r])]) for r in edge_rows], dtype=np.int64
        )
        clusters = assign(
            sk,
            edges.reshape(-1, 2),
            config,
            jaccard=np.array([jaccard[r] for r in edge_rows], dtype=np.float64),
            containment=np.array([containment[r] for r in edge_rows], dtype=np.float64),
        )
        ids = np.array([i for i, _ in members], dtype=np.int64)
        out.append(
            (
                ids,
                ids[clusters.label],
                ids[clusters.representative],
                clusters.jaccard,
                clusters.containment,
            )
        )
    cols = [np.concatenate(c) for c in zip(*out, strict=True)]
    yield pa.RecordBatch.from_arrays(
        [
            pa.array(cols[0], pa.int64()),
            pa.array(cols[1], pa.int64()),
            pa.array(cols[2], pa.int64()),
            pa.array(cols[3], pa.float64()),
            pa.array(cols[4], pa.float64()),
        ],
        names=["idx", "label", "rep", "similarity", "containment"],
    )
