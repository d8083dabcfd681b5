"""Step 2 of a run (and step 4): near-duplicate clusters from the chunks' sketches.

Only the sketches are loaded (about 0.8 KB per document, never the texts): LSH
candidates within the run and against the persistent index, verification with the
MinHash estimates (:func:`newsclean.cluster.pair_similarity`), connected components in
id order, so that the clusters do not depend on the input order. Step 4 commits the
run's new documents to the index (:func:`commit_index`).

Clusters follow :func:`newsclean.dedup` with ``verify="estimate"``: the cluster id is
the smallest id in the cluster and the representative is the member with the most
distinct shingles (ties: smallest id). A document that matches one seen in an earlier
run (``--index``) joins that document's cluster id and is never the representative
(the representative was written by the earlier run).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..normalize import word_tokens
from .config import PipelineConfig
from .workdir import atomic_write_bytes, chunk_path, row_ids

__all__ = [
    "MAX_INDEX_CANDIDATES",
    "Labels",
    "Sketches",
    "cluster_sketches",
    "commit_index",
    "index_params",
    "load_labels",
    "load_sketches",
    "save_labels",
    "sketch_texts",
]

log = logging.getLogger(__name__)


def _dedup_config(config: PipelineConfig) -> Any:
    from ..cluster import DedupConfig

    return DedupConfig(threshold=config.threshold, verify="estimate")


def _numbers_hashes(text: str) -> npt.NDArray[np.uint64]:
    """Hashes of the figures (words with a digit) of ``text``, sorted.

    A streaming run keeps no text, so the figures check is the set form of
    :func:`newsclean.cluster.numbers_conflict`: two documents conflict when *each*
    has a figure the other lacks (a copy loses or gains figures, it does not swap them).
    """
    import xxhash

    figures = {t for t in word_tokens(text) if any(c.isdigit() for c in t)}
    return np.array(sorted(xxhash.xxh64_intdigest(t.encode("utf-8")) for t in figures), dtype=np.uint64)


def sketch_texts(texts: Sequence[str], config: PipelineConfig) -> dict[str, npt.NDArray[Any]]:
    """Per-document dedup state of ``texts``: all a run keeps of a document.

    Returns arrays ``sig`` (n, num_perm) uint32, ``keys`` (n, bands) uint64 (candidate
    bands), ``whole`` (n,) uint64 (whole-signature key), ``sizes`` (distinct shingles),
    ``empty``, and the figures' hashes as ``numbers`` + ``number_offsets``.
    """
    from ..cluster import shingle_sets
    from ..lsh import band_keys, lsh_params
    from ..shingle import shingle_hashes
    from ..signature import empty_rows, signatures_from_hashes

    dc = _dedup_config(config)
    batch = shingle_hashes(list(texts), dc.ngram)
    sig = signatures_from_hashes(batch.hashes, batch.offsets, num_perm=dc.num_perm, seed=dc.seed)
    bands, rows = lsh_params(dc.candidate_threshold, dc.num_perm)
    numbers = [_numbers_hashes(t) for t in texts]
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in numbers], out=offsets[1:])
    return {
        "sig": sig,
        "keys": band_keys(sig, bands, rows),
        "whole": band_keys(sig, 1, dc.num_perm)[:, 0],
        "sizes": shingle_sets(batch).sizes.astype(np.int64),
        "empty": empty_rows(sig),
        "numbers": np.concatenate(numbers) if numbers else np.zeros(0, np.uint64),
        "number_offsets": offsets,
    }


# ----------------------------------------------------------------------------- step 2: clusters


@dataclass(frozen=True, slots=True)
class Sketches:
    ids: list[str]
    sig: npt.NDArray[np.uint32]
    keys: npt.NDArray[np.uint64]
    whole: npt.NDArray[np.uint64]
    sizes: npt.NDArray[np.int64]
    empty: npt.NDArray[np.bool_]
    numbers: npt.NDArray[np.uint64]
    number_offsets: npt.NDArray[np.int64]

    def numbers_of(self, i: int) -> npt.NDArray[np.uint64]:
        return self.numbers[self.number_offsets[i] : self.number_offsets[i + 1]]


def load_sketches(folder: Path, numbers: Sequence[int], config: PipelineConfig) -> Sketches:
    parts: dict[str, list[npt.NDArray[Any]]] = {}
    shift = 0
    for number in numbers:
        with np.load(chunk_path(folder, number, ".npz")) as data:
            for name in ("sig", "keys", "whole", "sizes", "empty", "numbers"):
                parts.setdefault(name, []).append(data[name])
            parts.setdefault("number_offsets", []).append(data["number_offsets"][:-1] + shift)
            shift += int(data["number_offsets"][-1])
    if not parts:
        from ..lsh import lsh_params

        dc = _dedup_config(config)
        bands, _ = lsh_params(dc.candidate_threshold, dc.num_perm)
        parts = {"sig": [np.zeros((0, dc.num_perm), np.uint32)], "keys": [np.zeros((0, bands), np.uint64)],
                 "whole": [np.zeros(0, np.uint64)], "sizes": [np.zeros(0, np.int64)],
                 "empty": [np.zeros(0, bool)], "numbers": [np.zeros(0, np.uint64)],
                 "number_offsets": [np.zeros(0, np.int64)]}
    joined = {name: np.concatenate(values) for name, values in parts.items()}
    joined["number_offsets"] = np.append(joined["number_offsets"], shift).astype(np.int64)
    return Sketches(ids=list(row_ids(folder, numbers)), **joined)


def _conflicts(sk: Sketches, pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Pairs whose documents each have figures the other lacks (templated reports)."""
    out = np.zeros(len(pairs), dtype=bool)
    for k, (a, b) in enumerate(pairs.tolist()):
        na, nb = sk.numbers_of(a), sk.numbers_of(b)
        if len(na) and len(nb) and not (len(na) == len(nb) and bool((na == nb).all())):
            out[k] = bool(np.setdiff1d(na, nb, assume_unique=True).size) and bool(
                np.setdiff1d(nb, na, assume_unique=True).size
            )
    return out


def _accepted(sk: Sketches, pairs: npt.NDArray[np.int64], config: PipelineConfig) -> npt.NDArray[np.int64]:
    from ..cluster import accept_pairs, pair_similarity

    if not len(pairs):
        return pairs
    dc = _dedup_config(config)
    jac, con = pair_similarity(pairs, signatures=sk.sig, sizes=sk.sizes)
    smaller = np.minimum(sk.sizes[pairs[:, 0]], sk.sizes[pairs[:, 1]])
    pairs = pairs[accept_pairs(jac, con, smaller, dc)]
    return pairs[~_conflicts(sk, pairs)]


def _batch_pairs(sk: Sketches, order: npt.NDArray[np.int64], config: PipelineConfig) -> npt.NDArray[np.int64]:
    """Verified duplicate pairs within the run (row indices), candidates cut in id order."""
    from ..lsh import candidate_pairs

    live = order[~sk.empty[order]]
    if not len(live):
        return np.zeros((0, 2), dtype=np.int64)
    # Identical signatures (exact copies: a feed story sent ten times) are linked to the
    # first of their group in id order, and only that one goes through LSH: the same
    # components with far fewer candidates (ten copies give 45 pairs in each of 37 bands
    # otherwise; on the 200k-record benchmark that was most of the peak memory).
    _, first, inverse = np.unique(sk.whole[live], return_index=True, return_inverse=True)
    head_of = live[first][inverse.reshape(-1)]
    copies = np.stack((head_of, live), axis=1)[head_of != live]
    heads = live[np.sort(first)]
    lsh = candidate_pairs(sk.keys[heads])
    pairs = np.concatenate((copies, heads[lsh].reshape(-1, 2))).astype(np.int64)
    return _accepted(sk, pairs, config)


#: Index candidates verified per document, the ones sharing the most band keys first: a
#: text made mostly of boilerplate can share a band with thousands of stored pages (as
#: candidate_pairs' MAX_GROUP_PAIRS within a batch).
MAX_INDEX_CANDIDATES = 64


def _strongest(counts: Mapping[tuple[int, str], int], heads: npt.NDArray[np.int64]) -> set[tuple[int, str]]:
    """Per looked-up row, its MAX_INDEX_CANDIDATES stored candidates sharing most band keys."""
    per_row: dict[int, list[tuple[int, str]]] = {}
    for (g, doc_id), count in counts.items():
        per_row.setdefault(g, []).append((-count, doc_id))
    found: set[tuple[int, str]] = set()
    for g, candidates in per_row.items():
        found.update((int(heads[g]), doc_id) for _, doc_id in sorted(candidates)[:MAX_INDEX_CANDIDATES])
    return found


def _index_matches(
    sk: Sketches, order: npt.NDArray[np.int64], store: Any, config: PipelineConfig
) -> tuple[list[tuple[int, str]], dict[str, Any]]:
    """Verified ``(row, stored id)`` matches of the rows ``order`` against the persistent index."""
    if store.count() == 0:  # the first run: nothing to look up
        return [], {}
    live = order[~sk.empty[order]]
    known = store.fetch([sk.ids[i] for i in order.tolist()])
    # Exact copies have the same band keys and are linked to the first of their group
    # (see _batch_pairs), so only that one is looked up and verified.
    _, first, _ = np.unique(sk.whole[live], return_index=True, return_inverse=True)
    heads = live[np.sort(first)]
    found = _strongest(store.lookup_counts(sk.keys[heads]), heads)
    found |= {(i, sk.ids[i]) for i in order.tolist() if sk.ids[i] in known}
    stored = store.fetch(sorted({doc_id for _, doc_id in found}))
    if not found:
        return [], stored
    pairs = sorted(found)
    rows = np.array([r for r, _ in pairs], dtype=np.int64)
    ext = [stored[d] for _, d in pairs]
    # Verify each pair on a two-row sketch table: the batch row and the stored doc.
    sig = np.concatenate((sk.sig[rows], np.stack([s.signature for s in ext])))
    sizes = np.concatenate((sk.sizes[rows], np.array([s.size for s in ext], dtype=np.int64)))
    numbers = [sk.numbers_of(int(r)) for r in rows] + [s.numbers for s in ext]
    offsets = np.zeros(len(numbers) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in numbers], out=offsets[1:])
    pair_sk = Sketches([], sig, sk.keys[:0], sk.whole[:0], sizes, np.zeros(len(sizes), bool),
                        np.concatenate(numbers) if numbers else np.zeros(0, np.uint64), offsets)
    n = len(pairs)
    idx = np.stack((np.arange(n), np.arange(n) + n), axis=1).astype(np.int64)
    ok = {int(k) for k in _accepted(pair_sk, idx, config)[:, 0]}
    same_id = {k for k, (r, d) in enumerate(pairs) if sk.ids[r] == d}
    return [pairs[k] for k in sorted(ok | same_id)], stored


@dataclass(frozen=True, slots=True)
class Labels:
    cluster_id: list[str]
    representative: npt.NDArray[np.bool_]
    similarity: npt.NDArray[np.float64]
    seen: npt.NDArray[np.bool_]
    duplicate_id: npt.NDArray[np.bool_]


def _duplicate_ids(ids: Sequence[str]) -> npt.NDArray[np.bool_]:
    seen: set[str] = set()
    out = np.zeros(len(ids), dtype=bool)
    for i, doc_id in enumerate(ids):
        out[i] = doc_id in seen
        seen.add(doc_id)
    return out


def _components(n_nodes: int, pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    from ..cluster import component_labels

    return component_labels(n_nodes, pairs)


def cluster_sketches(sk: Sketches, store: Any, config: PipelineConfig) -> Labels:
    """Step 2: cluster labels of every row (in row order), against ``store`` if given."""
    n = len(sk.ids)
    dup = _duplicate_ids(sk.ids)
    order = np.array(sorted(np.flatnonzero(~dup).tolist(), key=lambda i: sk.ids[i]), dtype=np.int64)
    pairs = _batch_pairs(sk, order, config)
    matches, stored = _index_matches(sk, order, store, config) if store is not None else ([], {})
    matches = [(r, d) for r, d in matches if not dup[r]]
    ext_ids = sorted({d for _, d in matches})
    # Nodes: unique rows then stored docs, numbered by id rank so labels are smallest ids.
    node_ids = [sk.ids[i] for i in order] + ext_ids
    rank = np.argsort(np.array(node_ids, dtype=object), kind="stable") if node_ids else np.zeros(0, np.int64)
    node_of_row = np.full(n, -1, dtype=np.int64)
    node_of_row[order] = np.arange(len(order))
    ext_node = {d: len(order) + k for k, d in enumerate(ext_ids)}
    node_rank = np.empty(len(node_ids), dtype=np.int64)
    node_rank[rank] = np.arange(len(node_ids))
    edges = [(node_of_row[a], node_of_row[b]) for a, b in pairs.tolist()]
    edges += [(int(node_of_row[r]), ext_node[d]) for r, d in matches]
    ranked = node_rank[np.array(edges, dtype=np.int64).reshape(-1, 2)] if edges else np.zeros((0, 2), np.int64)
    comp = _components(len(node_ids), ranked)  # smallest rank in each component
    return _assign(sk, dup, order, node_rank, comp, ext_ids, stored, [node_ids[i] for i in rank])


def _assign(
    sk: Sketches,
    dup: npt.NDArray[np.bool_],
    order: npt.NDArray[np.int64],
    node_rank: npt.NDArray[np.int64],
    comp: npt.NDArray[np.int64],
    ext_ids: list[str],
    stored: Mapping[str, Any],
    ranked_ids: list[str],
) -> Labels:
    """Cluster id, representative and similarity of each row from its component."""
    n = len(sk.ids)
    cluster = [""] * n
    rep_flag = np.zeros(n, dtype=bool)
    sim = np.ones(n, dtype=np.float64)
    seen = np.zeros(n, dtype=bool)
    members: dict[int, list[int]] = {}
    for k, row in enumerate(order.tolist()):
        members.setdefault(int(comp[node_rank[k]]), []).append(row)
    ext_of: dict[int, list[str]] = {}
    for k, doc_id in enumerate(ext_ids):
        ext_of.setdefault(int(comp[node_rank[len(order) + k]]), []).append(doc_id)
    for label, rows in members.items():
        olds = [stored[d] for d in ext_of.get(label, [])]
        if olds:
            best = max(olds, key=lambda s: (s.size, [-ord(c) for c in s.id]))
            for row in rows:
                cluster[row] = min(s.cluster_id for s in olds)
                seen[row] = True
                sim[row] = _estimate(sk.sig[row], best.signature, int(sk.sizes[row]), best.size)
            continue
        rep = min(rows, key=lambda r: (-int(sk.sizes[r]), sk.ids[r]))
        for row in rows:
            cluster[row] = ranked_ids[label]
            rep_flag[row] = row == rep
            if row != rep:
                sim[row] = _estimate(sk.sig[row], sk.sig[rep], int(sk.sizes[row]), int(sk.sizes[rep]))
    for row in np.flatnonzero(dup).tolist():
        cluster[row] = sk.ids[row]
    return Labels(cluster, rep_flag, sim, seen, dup)


def _estimate(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32], size_a: int, size_b: int) -> float:
    """Jaccard estimate (``J (|A|+|B|)/(1+J)`` as the intersection), rounded for stable output."""
    est = float((a == b).mean())
    inter = est * (size_a + size_b) / (1.0 + est)
    union = size_a + size_b - inter
    return round(inter / union, 4) if union > 0 else 0.0

def save_labels(path: Path, labels: Labels) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, cluster_id=np.array(labels.cluster_id, dtype=str), representative=labels.representative,
             similarity=labels.similarity, seen=labels.seen, duplicate_id=labels.duplicate_id)
    atomic_write_bytes(path, buffer.getvalue())


def load_labels(path: Path) -> Labels:
    with np.load(path) as data:
        return Labels([str(x) for x in data["cluster_id"].tolist()], data["representative"],
                       data["similarity"], data["seen"], data["duplicate_id"])


def commit_index(store: Any, run_id: str, sk: Sketches, labels: Labels) -> None:
    """Step 4: this run's new documents into the index, in one transaction."""
    known = store.fetch(sk.ids)
    new = [i for i in range(len(sk.ids)) if not labels.duplicate_id[i] and not sk.empty[i] and sk.ids[i] not in known]
    rows = np.array(new, dtype=np.int64)
    added = store.add_run(run_id, [sk.ids[i] for i in new], [labels.cluster_id[i] for i in new],
                          sk.sig[rows], sk.sizes[rows], [sk.numbers_of(i) for i in new], sk.keys[rows])
    log.info("index: %s %d documents (run %s)", "added" if added else "already had", len(new), run_id)


def index_params(config: PipelineConfig) -> dict[str, object]:
    from ..lsh import lsh_params

    dc = _dedup_config(config)
    bands, rows = lsh_params(dc.candidate_threshold, dc.num_perm)
    return {"num_perm": dc.num_perm, "ngram": dc.ngram, "seed": dc.seed, "bands": bands, "rows": rows}

