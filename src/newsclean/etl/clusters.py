"""Step 2 of a run (and step 4): near-duplicate clusters from the chunks' sketches.

Each chunk's worker writes the core's :class:`~newsclean.duplicates.Sketch` of its
rows (signatures, band keys, shingle sets, figure words; never the text). This step
loads them, and clusters them with the core exactly as :func:`newsclean.dedup` does:
candidates from the band keys, :func:`newsclean.duplicates.verify` (the library's
options, ``verify="exact"`` by default: the sketches carry the shingle sets),
:func:`newsclean.duplicates.assign` (no chaining), all in id order, so the clusters
are the library's and do not depend on the input order or on ``--jobs``.

With a persistent index (``--index``), a run's documents are first compared with the
clusters of earlier runs, which are published and stay as they are: a document joins
an earlier cluster when it is a verified duplicate of that cluster's representative
(the earlier cluster whose representative it is most similar to; ties: the smallest
cluster id); it then gets that cluster id, ``seen_before``, and is not a
representative. Candidates are the stored documents sharing band keys with it (the
:data:`MAX_INDEX_CANDIDATES` sharing most; keys shared by more than
:data:`newsclean.store.MAX_KEY_DOCS` stored documents are boilerplate and skipped). The
other documents are clustered among themselves as above. Step 4 commits the run's new
documents to the index (:func:`commit_index`).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from ..duplicates import sketch as core_sketch
from ..duplicates.clusters import MAX_INDEX_CANDIDATES, assign, candidates, strongest
from ..duplicates.config import DedupConfig
from ..duplicates.sketch import Sketch, concat, from_rows, row_bytes
from ..duplicates.verification import duplicate_mask, verify
from ..lsh import lsh_params
from .config import PipelineConfig
from .mapped import chunk_sizes, chunk_sketches, map_rows, remove_mapped
from .workdir import atomic_write_bytes, chunk_path, row_ids

__all__ = [
    "MAX_INDEX_CANDIDATES",
    "Labels",
    "Sketches",
    "cluster_chunks",
    "cluster_sketches",
    "commit_chunks",
    "commit_index",
    "dedup_config",
    "index_params",
    "load_labels",
    "load_sketches",
    "save_labels",
    "sketch_texts",
]

log = logging.getLogger(__name__)

#: The sketch a run keeps of each document (the core's).
Sketches = Sketch
#: Of what the index stores per document (sketch rows). 3: the figures rule's words split
#: where digits meet letters, carets and list numbers dropped (an index of format 2 holds
#: words of the old rule, so it is refused, not mixed). 4: a word mixing Latin, Cyrillic, Greek
#: look-alikes is compared in its own script (``normalize.fold_homoglyphs``).
_INDEX_FORMAT = 4
_ARRAYS = core_sketch._ARRAYS


def dedup_config(config: PipelineConfig) -> DedupConfig:
    """The dedup options of a run: ``config.dedup_config``, or the library's defaults."""
    if config.dedup_config is not None:
        return config.dedup_config
    return DedupConfig(threshold=config.threshold)


def sketch_texts(texts: Sequence[str], config: PipelineConfig) -> dict[str, npt.NDArray[Any]]:
    """The arrays of the core sketch of ``texts`` (a chunk's ``.npz``; ids go in ``.ids``)."""
    sk = core_sketch.sketch_texts(list(texts), [""] * len(texts), dedup_config(config))
    return {name: getattr(sk, name) for name in _ARRAYS}


def load_sketches(folder: Path, numbers: Sequence[int], config: PipelineConfig) -> Sketch:
    """The sketch of every row of the chunks ``numbers``, in order."""
    parts = []
    for number in numbers:
        ids = tuple(row_ids(folder, [number]))
        with np.load(chunk_path(folder, number, ".npz")) as data:
            parts.append(Sketch(ids=ids, **{name: data[name] for name in _ARRAYS}))
    return concat(parts, dedup_config(config))


@dataclass(frozen=True, slots=True)
class _Joined:
    """Rows of a run that join clusters of earlier runs."""

    rows: list[int]
    cluster_id: list[str]
    representative: list[str]
    similarity: list[float]


def _index_matches(sk: Sketch, store: Any, config: DedupConfig) -> _Joined:
    """Rows of ``sk`` (unique ids) that join a cluster of an earlier run."""
    none = _Joined([], [], [], [])
    if store is None or store.count() == 0:  # the first run: nothing to look up
        return none
    known = store.fetch(list(sk.ids))
    live = np.flatnonzero(~sk.empty)
    per_row = strongest(store.lookup_counts(sk.band_keys[live])) if len(live) else {}
    stored = store.fetch(sorted({d for ds in per_row.values() for d in ds}))
    # A row whose id the index holds already is that document: it keeps its cluster.
    joined = _Joined([], [], [], [])
    reps_wanted: dict[int, list[tuple[str, str]]] = {}
    for row in range(len(sk)):
        doc = known.get(sk.ids[row])
        if doc is not None:
            joined.rows.append(row)
            joined.cluster_id.append(doc.cluster_id)
            joined.representative.append(doc.representative)
            joined.similarity.append(1.0)
            continue
    known_rows = set(joined.rows)
    for g, doc_ids in per_row.items():
        row = int(live[g])
        if row in known_rows:
            continue
        clusters = {
            (stored[d].cluster_id, stored[d].representative) for d in doc_ids if d in stored
        }
        reps_wanted[row] = sorted(clusters)
    rep_ids = sorted({rep for wanted in reps_wanted.values() for _, rep in wanted})
    rep_docs = store.fetch(rep_ids)
    rep_ids = [r for r in rep_ids if r in rep_docs]
    if not rep_ids:
        return joined
    reps = from_rows(rep_ids, [rep_docs[r].sketch for r in rep_ids], config)
    asking = sorted(reps_wanted)
    # Only the rows that ask and the representatives they ask about (the run's sketch may
    # be mapped from files: it is not copied whole).
    both = concat([sk.take(asking), reps], config)
    own = {row: k for k, row in enumerate(asking)}
    at = {r: len(asking) + k for k, r in enumerate(rep_ids)}
    pairs = [
        (row, at[rep], cluster)
        for row, wanted in sorted(reps_wanted.items())
        for cluster, rep in wanted
        if rep in at
    ]
    if not pairs:
        return joined
    index = np.array([(own[a], b) for a, b, _ in pairs], dtype=np.int64)
    verdicts = verify(both, index, config)
    best: dict[int, tuple[float, str, str]] = {}
    for k in np.flatnonzero(verdicts.duplicate).tolist():
        row, rep_row, cluster = pairs[k]
        choice = (-float(verdicts.jaccard[k]), cluster, rep_ids[rep_row - len(asking)])
        if row not in best or choice < best[row]:
            best[row] = choice
    for row, (neg_jac, cluster, rep) in sorted(best.items()):
        joined.rows.append(row)
        joined.cluster_id.append(cluster)
        joined.representative.append(rep)
        joined.similarity.append(-neg_jac)
    return joined


@dataclass(frozen=True, slots=True)
class Labels:
    """The cluster of each row of a run (in row order).

    Attributes:
        cluster_id: the cluster id (the smallest id of the cluster, or the id of an
            earlier run's cluster the row joined).
        representative: the row is its cluster's representative.
        similarity: Jaccard similarity with the representative, rounded to 4 digits.
        seen: the row joined a cluster of an earlier run.
        duplicate_id: the row repeats an id seen earlier in the run (left alone).
        representative_id: the id of the cluster's representative.
    """

    cluster_id: list[str]
    representative: npt.NDArray[np.bool_]
    similarity: npt.NDArray[np.float64]
    seen: npt.NDArray[np.bool_]
    duplicate_id: npt.NDArray[np.bool_]
    representative_id: list[str] = field(default_factory=list)


def _duplicate_ids(ids: Sequence[str]) -> npt.NDArray[np.bool_]:
    seen: set[str] = set()
    out = np.zeros(len(ids), dtype=bool)
    for i, doc_id in enumerate(ids):
        out[i] = doc_id in seen
        seen.add(doc_id)
    return out


def cluster_sketches(sk: Sketch, store: Any, config: PipelineConfig) -> Labels:
    """Step 2: cluster labels of every row (in row order), against ``store`` if given."""
    dup, order = _unique_order(sk.ids)
    return _cluster_unique(sk.ids, dup, order, sk.take(order), store, config)


def cluster_chunks(
    folder: Path, numbers: Sequence[int], store_of: Callable[[tuple[str, ...]], Any], config: PipelineConfig,
    mapped: Path | None = None,
) -> Labels:
    """:func:`cluster_sketches` of the run's chunks.

    With ``mapped`` (a folder; the run's is ``WORK/sketch``) the sketches are copied a
    chunk at a time, in id order, into files there and mapped
    (:mod:`newsclean.etl.mapped`): the process holds the band keys, the offsets and
    the candidate pairs, not the shingles and words, so its memory grows by about
    0.6 KB a document instead of 4 KB. The files are removed when the labels are made.
    Without it the sketches are loaded into memory (one copy, in id order). The labels
    are the same either way. ``store_of(ids)`` gives the store view (or ``None``).
    """
    ids = tuple(row_ids(folder, numbers))
    dup, order = _unique_order(ids)
    dc = dedup_config(config)
    if mapped is None:
        unique = load_sketches(folder, numbers, config).take(order)
        return _cluster_unique(ids, dup, order, unique, store_of(ids), config)
    try:
        sizes = chunk_sizes(folder, numbers)
        unique = map_rows(chunk_sketches(folder, numbers), order, sizes, ids, mapped, "ordered", dc)
        return _cluster_unique(ids, dup, order, unique, store_of(ids), config, mapped)
    finally:
        remove_mapped(mapped)


def _unique_order(ids: Sequence[str]) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Repeated ids, and the other rows in id order (ties and orientation follow ids)."""
    dup = _duplicate_ids(ids)
    order = np.array(sorted(np.flatnonzero(~dup).tolist(), key=lambda i: ids[i]), dtype=np.int64)
    return dup, order


def _cluster_unique(
    ids: Sequence[str],
    dup: npt.NDArray[np.bool_],
    order: npt.NDArray[np.int64],
    unique: Sketch,
    store: Any,
    config: PipelineConfig,
    mapped: Path | None = None,
) -> Labels:
    dc = dedup_config(config)
    n = len(ids)
    joined = _index_matches(unique, store, dc)
    cluster = list(ids)
    rep_id = list(ids)
    rep_flag = np.ones(n, dtype=bool)
    sim = np.ones(n, dtype=np.float64)
    seen = np.zeros(n, dtype=bool)
    for k, row in enumerate(joined.rows):
        r = int(order[row])
        cluster[r], rep_id[r] = joined.cluster_id[k], joined.representative[k]
        rep_flag[r] = False
        sim[r] = round(joined.similarity[k], 4)
        seen[r] = True
    rest = np.setdiff1d(np.arange(len(unique)), np.array(joined.rows, dtype=np.int64))
    if len(rest) == len(unique):
        local = unique
    elif mapped is None:
        local = unique.take(rest)
    else:  # the rows no earlier cluster took, mapped from files too
        sizes = (unique.sizes, np.diff(unique.word_offsets))
        local = map_rows([unique], rest, sizes, unique.ids, mapped, "rest", dc)
    del unique  # one copy of the sketches from here on
    pairs = candidates(local)
    edges = pairs[duplicate_mask(local, pairs, dc)]
    clusters = assign(local, edges, dc)
    for k in range(len(local)):
        r = int(order[rest[k]])
        cluster[r] = local.ids[int(clusters.label[k])]
        rep_id[r] = local.ids[int(clusters.representative[k])]
        rep_flag[r] = int(clusters.representative[k]) == k
        sim[r] = round(float(clusters.jaccard[k]), 4)
    rep_flag[dup] = False
    return Labels(cluster, rep_flag, sim, seen, dup, rep_id)


def save_labels(path: Path, labels: Labels) -> None:
    buffer = io.BytesIO()
    np.savez(
        buffer,
        cluster_id=np.array(labels.cluster_id, dtype=str),
        representative=labels.representative,
        similarity=labels.similarity,
        seen=labels.seen,
        duplicate_id=labels.duplicate_id,
        representative_id=np.array(labels.representative_id, dtype=str),
    )
    atomic_write_bytes(path, buffer.getvalue())


def load_labels(path: Path) -> Labels:
    with np.load(path) as data:
        return Labels(
            [str(x) for x in data["cluster_id"].tolist()],
            data["representative"],
            data["similarity"],
            data["seen"],
            data["duplicate_id"],
            [str(x) for x in data["representative_id"].tolist()],
        )


class _RowBytes(Sequence[bytes]):
    """:func:`~newsclean.duplicates.sketch.row_bytes` of rows of a sketch, made when read."""

    def __init__(self, sketch: Sketch, rows: Sequence[int]) -> None:
        self._sketch, self._rows = sketch, rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> bytes: ...
    @overload
    def __getitem__(self, i: slice) -> list[bytes]: ...
    def __getitem__(self, i: int | slice) -> bytes | list[bytes]:
        if isinstance(i, slice):
            return [row_bytes(self._sketch, r) for r in self._rows[i]]
        return row_bytes(self._sketch, self._rows[i])


def commit_index(store: Any, run_id: str, sk: Sketch, labels: Labels) -> None:
    """Step 4: this run's new documents into the index, in one transaction.

    Each document's stored bytes are made as the store writes them (a run's sketches
    may be mapped from files: see :mod:`newsclean.etl.mapped`).
    """
    known = store.fetch(list(sk.ids))
    empty = sk.empty
    new = [
        i
        for i in range(len(sk))
        if not labels.duplicate_id[i] and not empty[i] and sk.ids[i] not in known
    ]
    rows = np.array(new, dtype=np.int64)
    added = store.add_run(
        run_id,
        [sk.ids[i] for i in new],
        [labels.cluster_id[i] for i in new],
        [labels.representative_id[i] for i in new],
        _RowBytes(sk, new),
        sk.band_keys[rows],
    )
    log.info(
        "index: %s %d documents (run %s)", "added" if added else "already had", len(new), run_id
    )


def commit_chunks(store: Any, run_id: str, folder: Path, numbers: Sequence[int], labels: Labels,
                  config: PipelineConfig, mapped: Path) -> None:
    """:func:`commit_index` of the run's chunks, their sketches mapped from files under ``mapped``
    (removed afterwards)."""
    ids = tuple(row_ids(folder, numbers))
    try:
        sizes = chunk_sizes(folder, numbers)
        rows = np.arange(len(ids), dtype=np.int64)
        sk = map_rows(chunk_sketches(folder, numbers), rows, sizes, ids, mapped, "rows", dedup_config(config))
        commit_index(store, run_id, sk, labels)
    finally:
        remove_mapped(mapped)


def index_params(config: PipelineConfig) -> dict[str, object]:
    """What an index records of the options that built it (a later run must match them)."""
    dc = dedup_config(config)
    bands, rows = lsh_params(dc.candidate_threshold, dc.num_perm)
    return {
        "num_perm": dc.num_perm,
        "ngram": dc.ngram,
        "seed": dc.seed,
        "bands": bands,
        "rows": rows,
        "format": _INDEX_FORMAT,
    }
