"""Arrow batch functions that run the local dedup steps inside Spark tasks.

Each function takes and returns ``pyarrow.RecordBatch`` objects and calls the same
numpy functions as :func:`newsclean.dedup` (:mod:`newsclean.shingle`,
:mod:`newsclean.signature`, :mod:`newsclean.lsh`, :mod:`newsclean.cluster`); nothing here
computes a hash, a band key or a similarity on its own. Spark only moves rows between
them (``mapInArrow``), so a Spark run gives the local run's numbers bit for bit.

Documents are identified by ``idx``, a long that sorts like the document ids: the
local dedup works in id order too, and the order decides the links of oversized
band groups, the smallest member of a cluster and the representative ties.

The functions need no SparkSession, so they are tested without Java.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from ..cluster import (
    DedupConfig,
    pair_similarity,
    shingle_sets,
    verify_pairs,
)
from ..lsh import MAX_GROUP_PAIRS, band_keys, candidate_pairs, lsh_params
from ..shingle import shingle_hashes
from ..signature import empty_rows, signatures_from_hashes

__all__ = [
    "PAIR_SCHEMA",
    "SIGNATURE_SCHEMA",
    "SIMILARITY_SCHEMA",
    "band_pairs",
    "signature_rows",
    "similarity_rows",
    "verified_pairs",
]

#: Output of :func:`signature_rows` (Spark DDL).
SIGNATURE_SCHEMA = "idx long, size long, empty boolean, band_keys array<long>, whole_key long"
#: Output of :func:`band_pairs` and :func:`verified_pairs`.
PAIR_SCHEMA = "a long, b long"
#: Output of :func:`similarity_rows`.
SIMILARITY_SCHEMA = "a long, b long, similarity double, containment double"


def _pa() -> Any:
    import pyarrow as pa

    return pa


def _set_sizes(texts: list[str], config: DedupConfig) -> tuple[Any, npt.NDArray[np.int64]]:
    """Shingle batch of ``texts`` and the sizes the local dedup compares.

    Exact verification counts distinct shingles (``ShingleSets.sizes``), the estimate
    counts shingles with repeats (``np.diff(offsets)``), as :func:`newsclean.dedup` does.
    """
    batch = shingle_hashes(texts, config.ngram)
    if config.verify == "exact":
        return batch, shingle_sets(batch).sizes
    return batch, np.diff(batch.offsets).astype(np.int64)


def signature_rows(batches: Iterable[Any], config: DedupConfig) -> Iterator[Any]:
    """``(idx, text)`` batches -> signature facts per document (:data:`SIGNATURE_SCHEMA`).

    ``band_keys`` are the LSH band keys at ``config.candidate_threshold`` and
    ``whole_key`` the one-band key of the full signature (equal signatures share it),
    both as signed longs (the uint64 bits); ``size`` is the shingle count the
    representative choice uses; ``empty`` marks texts without words.

    Examples:
        >>> import pyarrow as pa
        >>> batch = pa.RecordBatch.from_pydict({"idx": [0, 1], "text": ["a b c d e f", ""]})
        >>> out = next(signature_rows([batch], DedupConfig()))
        >>> out.column("size").to_pylist(), out.column("empty").to_pylist()
        ([2, 0], [False, True])
        >>> len(out.column("band_keys")[0]) == lsh_params(DedupConfig().candidate_threshold)[0]
        True
    """
    pa = _pa()
    bands, rows = lsh_params(config.candidate_threshold, config.num_perm)
    for batch in batches:
        texts: list[str] = batch.column("text").to_pylist()
        shingled, sizes = _set_sizes(texts, config)
        signatures = signatures_from_hashes(
            shingled.hashes, shingled.offsets, num_perm=config.num_perm, seed=config.seed
        )
        keys = band_keys(signatures, bands, rows).view(np.int64)
        whole = band_keys(signatures, 1, config.num_perm)[:, 0].view(np.int64)
        offsets = np.arange(0, keys.size + 1, bands, dtype=np.int32)
        yield pa.RecordBatch.from_arrays(
            [
                batch.column("idx"),
                pa.array(sizes, pa.int64()),
                pa.array(empty_rows(signatures), pa.bool_()),
                pa.ListArray.from_arrays(pa.array(offsets), pa.array(keys.ravel())),
                pa.array(whole, pa.int64()),
            ],
            names=["idx", "size", "empty", "band_keys", "whole_key"],
        )


def band_pairs(batches: Iterable[Any], max_group: int = MAX_GROUP_PAIRS) -> Iterator[Any]:
    """All ``(band, key, idx)`` rows of one partition -> candidate pairs (:data:`PAIR_SCHEMA`).

    The partition must hold every row of each key it holds (partition by ``key``) and
    list them by ascending ``idx`` (sort within partitions): then
    :func:`newsclean.lsh.candidate_pairs`, called band by band as the local dedup does,
    sees each group of equal keys in the local order and links groups over
    ``max_group`` by the same chain and star. Pairs come out with ``a < b``; a pair may
    repeat across bands and partitions.

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
        [pa.array(np.minimum(a, b)[keep], pa.int64()), pa.array(np.maximum(a, b)[keep], pa.int64())],
        names=["a", "b"],
    )


def _pair_texts(batch: Any) -> tuple[list[str], npt.NDArray[np.int64]]:
    """Distinct texts of a ``(a, b, text_a, text_b)`` batch and the pairs as local indices."""
    ends = np.concatenate((batch.column("a").to_numpy(), batch.column("b").to_numpy()))
    texts = batch.column("text_a").to_pylist() + batch.column("text_b").to_pylist()
    uniq, first, local = np.unique(ends, return_index=True, return_inverse=True)
    del uniq
    distinct = [texts[i] for i in first]
    return distinct, local.reshape(2, -1).T.astype(np.int64)


def _similarities(
    texts: list[str], pairs: npt.NDArray[np.int64], config: DedupConfig
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Jaccard, containment and set sizes as :func:`newsclean.dedup` computes them."""
    shingled, sizes = _set_sizes(texts, config)
    if config.verify == "exact":
        jac, con = pair_similarity(pairs, sets=shingle_sets(shingled))
    else:
        signatures = signatures_from_hashes(
            shingled.hashes, shingled.offsets, num_perm=config.num_perm, seed=config.seed
        )
        jac, con = pair_similarity(pairs, signatures=signatures, sizes=sizes)
    return jac, con, sizes


def verified_pairs(batches: Iterable[Any], config: DedupConfig) -> Iterator[Any]:
    """``(a, b, text_a, text_b)`` candidate batches -> the pairs that are duplicates.

    The local verification itself: :func:`newsclean.cluster.verify_pairs`.

    Examples:
        >>> import pyarrow as pa
        >>> text = "Shares of the company rose sharply in early trade on Monday morning"
        >>> batch = pa.RecordBatch.from_pydict({"a": [0, 0], "b": [1, 2],
        ...     "text_a": [text] * 2, "text_b": [text + " again", "Rain fell in the hills"]})
        >>> next(verified_pairs([batch], DedupConfig())).to_pylist()
        [{'a': 0, 'b': 1}]
    """
    pa = _pa()
    for batch in batches:
        if not batch.num_rows:
            continue
        texts, pairs = _pair_texts(batch)
        keep, _ = verify_pairs(texts, pairs, config)
        yield pa.RecordBatch.from_arrays(
            [batch.column("a").filter(pa.array(keep)), batch.column("b").filter(pa.array(keep))],
            names=["a", "b"],
        )


def similarity_rows(batches: Iterable[Any], config: DedupConfig) -> Iterator[Any]:
    """``(a, b, text_a, text_b)`` member/representative batches -> their similarity.

    ``a`` is a member and ``b`` its cluster's representative, which has at least as many
    shingles; the containment is then the fraction of the member's shingles found in the
    representative, as in :class:`newsclean.DedupResult`.

    Examples:
        >>> import pyarrow as pa
        >>> batch = pa.RecordBatch.from_pydict({"a": [3], "b": [1],
        ...     "text_a": ["a b c d e f"], "text_b": ["a b c d e f g"]})
        >>> next(similarity_rows([batch], DedupConfig())).to_pylist()
        [{'a': 3, 'b': 1, 'similarity': 0.6666666666666666, 'containment': 1.0}]
    """
    pa = _pa()
    for batch in batches:
        if not batch.num_rows:
            continue
        texts, pairs = _pair_texts(batch)
        jac, con, _ = _similarities(texts, pairs, config)
        yield pa.RecordBatch.from_arrays(
            [batch.column("a"), batch.column("b"), pa.array(jac), pa.array(con)],
            names=["a", "b", "similarity", "containment"],
        )
