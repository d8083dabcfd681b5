"""Candidates, and the one rule from verified pairs to clusters and representatives.

:func:`candidates` proposes pairs from a sketch's LSH band keys (plus equal whole
signatures, so identical texts always meet). :func:`assign` turns verified pairs into
clusters **without chaining**:

1. connected components of the verified pairs;
2. in each component, the *representative* is the member verified as a duplicate of
   the most other members (the story the others copy), then the one with the most
   distinct shingles (the most complete copy), then the smallest id; each other member
   joins it only if it is itself a verified duplicate of the representative
   (:func:`~.verification.verify` on that pair);
3. the members that are not form the rest of the component: its connected components
   (over the verified pairs among them) go through step 2 again, until none is left.

So every member of a cluster is a duplicate of its representative (Jaccard >=
``threshold`` or contained >= ``containment``, figures not swapped), however the
verified pairs chain; the split depends only on the ids and the sketches, not on the
input order or the engine. A cluster is named by its smallest id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..lsh import MAX_GROUP_PAIRS, candidate_pairs
from .config import DedupConfig
from .sketch import Sketch, distinct
from .verification import estimate_intersection, verify

__all__ = [
    "MAX_INDEX_CANDIDATES",
    "Clusters",
    "assign",
    "candidates",
    "component_labels",
    "id_rank",
    "strongest",
]


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


def id_rank(ids: tuple[str, ...]) -> npt.NDArray[np.int64]:
    """The position of each id in sorted (code point) order.

    Examples:
        >>> id_rank(("b", "c", "a")).tolist()
        [1, 2, 0]
    """
    rank = np.empty(len(ids), dtype=np.int64)
    rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    return rank


def candidates(sketch: Sketch, *, max_group: int = MAX_GROUP_PAIRS) -> npt.NDArray[np.int64]:
    """Candidate pairs ``(i, j)``, ``i < j``, of the non-empty rows of ``sketch``.

    Rows sharing an LSH band key (groups over ``max_group`` rows linked by a chain and
    a star, see :func:`newsclean.lsh.candidate_pairs`; rows in sketch order), and rows
    with equal whole signatures whatever their number.

    Examples:
        >>> from newsclean.duplicates.sketch import sketch_texts
        >>> t = "Shares of the company rose sharply in early trade on Monday"
        >>> candidates(sketch_texts([t, "Rain", t + " again"], ["a", "b", "c"])).tolist()
        [[0, 2]]
    """
    from . import kernels

    live = np.flatnonzero(~sketch.empty)
    if not len(live):
        return np.zeros((0, 2), dtype=np.int64)
    every = len(live) == len(sketch)  # then no copy of the (maybe mapped) keys
    band_keys = sketch.band_keys if every else sketch.band_keys[live]
    banded = candidate_pairs(band_keys, max_group=max_group)
    del band_keys
    whole = candidate_pairs(sketch.whole_keys if every else sketch.whole_keys[live], max_group=1)
    out: npt.NDArray[np.int64] = kernels.union_pairs(banded, whole)  # sorted, once each
    if not every:
        kernels.take_pairs(live, out)  # live rows -> sketch rows (increasing: still sorted)
    return out


#: Stored candidates verified per document, the ones sharing the most band keys first: a
#: text made mostly of boilerplate can share a band with thousands of stored pages (as
#: candidate_pairs' MAX_GROUP_PAIRS within a batch).
MAX_INDEX_CANDIDATES = 64


def strongest(
    counts: Mapping[tuple[int, str], int], cap: int = MAX_INDEX_CANDIDATES
) -> dict[int, list[str]]:
    """Per looked-up row, its ``cap`` stored candidates sharing the most band keys.

    Args:
        counts: shared band keys per ``(row, stored id)`` (a store's ``lookup_counts``).
        cap: candidates kept per row; ties go to the smaller id.

    Examples:
        >>> strongest({(0, "b"): 3, (0, "a"): 3, (0, "c"): 9, (1, "a"): 1}, cap=2)
        {0: ['c', 'a'], 1: ['a']}
    """
    per_row: dict[int, list[tuple[int, str]]] = {}
    for (row, doc_id), count in counts.items():
        per_row.setdefault(row, []).append((-count, doc_id))
    return {row: [d for _, d in sorted(c)[:cap]] for row, c in sorted(per_row.items())}


@dataclass(frozen=True, slots=True)
class Clusters:
    """Cluster of each row of a sketch.

    Attributes:
        label: the row of the cluster's smallest id.
        representative: the row of the cluster's representative.
        jaccard: Jaccard similarity with the representative (1.0 for itself).
        containment: share of the row's shingles found in the representative
            (:func:`~.verification.estimate_intersection` of the Jaccard similarity and sizes).
    """

    label: npt.NDArray[np.int64]
    representative: npt.NDArray[np.int64]
    jaccard: npt.NDArray[np.float64]
    containment: npt.NDArray[np.float64]


def _best_of_groups(
    nodes: npt.NDArray[np.int64],
    group: npt.NDArray[np.int64],
    degree: npt.NDArray[np.int64],
    sizes: npt.NDArray[np.int64],
    rank: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """For each node, the best node of its group: most verified pairs, most shingles, smallest id."""
    order = np.lexsort((rank[nodes], -sizes[nodes], -degree[nodes], group))
    sorted_group = group[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_group[1:] != sorted_group[:-1]
    heads = sorted_group[first]  # each group once, ascending
    best: npt.NDArray[np.int64] = nodes[order[first]]
    return best[np.searchsorted(heads, group)]


def _pair_codes(pairs: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.int64]:
    lo = np.minimum(pairs[:, 0], pairs[:, 1])
    hi = np.maximum(pairs[:, 0], pairs[:, 1])
    out: npt.NDArray[np.int64] = lo * np.int64(n) + hi
    return out


def _verify_against(
    sketch: Sketch,
    pairs: npt.NDArray[np.int64],
    config: DedupConfig,
    known: tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]] | None,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Verdicts for (member, representative) pairs; pairs already verified are reused."""
    duplicate = np.zeros(len(pairs), dtype=bool)
    jac = np.zeros(len(pairs), dtype=np.float64)
    con = np.zeros(len(pairs), dtype=np.float64)
    todo = np.ones(len(pairs), dtype=bool)
    if known is not None and len(known[0]) and len(pairs):
        codes, known_jac, known_con = known
        want = _pair_codes(pairs, len(sketch))
        pos = np.minimum(np.searchsorted(codes, want), len(codes) - 1)
        hit = codes[pos] == want
        duplicate[hit] = True
        jac[hit] = known_jac[pos[hit]]
        con[hit] = known_con[pos[hit]]
        todo = ~hit
    if todo.any():
        verdicts = verify(sketch, pairs[todo], config)
        duplicate[todo] = verdicts.duplicate
        jac[todo] = verdicts.jaccard
        con[todo] = verdicts.containment
    return duplicate, jac, con


def assign(
    sketch: Sketch,
    edges: npt.NDArray[np.int64],
    config: DedupConfig,
    *,
    jaccard: npt.NDArray[np.float64] | None = None,
    containment: npt.NDArray[np.float64] | None = None,
) -> Clusters:
    """Clusters and representatives from verified pairs, without chaining (module docstring).

    Args:
        sketch: the documents.
        edges: verified duplicate pairs (row indices into ``sketch``).
        config: the options :func:`~.verification.verify` checks members against.
        jaccard: the similarity of each edge if known (as :func:`~.verification.verify` gave
            it), with ``containment``: those pairs are not verified again.
        containment: the containment of each edge if known.

    Returns:
        :class:`Clusters` in sketch order.

    Examples:
        >>> from newsclean.duplicates.sketch import sketch_texts
        >>> words = [f"w{i}" for i in range(80)]
        >>> spans = ((0, 30), (10, 40), (20, 46), (30, 60))
        >>> sk = sketch_texts([" ".join(words[lo:hi]) for lo, hi in spans], ["a", "b", "c", "d"])
        >>> chain = np.array([[0, 1], [1, 2], [2, 3]])  # verified pairs: a~b, b~c, c~d
        >>> res = assign(sk, chain, DedupConfig())  # b is the hub; d is no copy of b
        >>> res.representative.tolist(), res.label.tolist()
        ([1, 1, 1, 3], [0, 0, 0, 3])
    """
    n = len(sketch)
    sizes = sketch.sizes
    rank = id_rank(sketch.ids)
    rep = np.arange(n, dtype=np.int64)
    jac = np.ones(n, dtype=np.float64)
    con = np.ones(n, dtype=np.float64)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    known = None
    if jaccard is not None and containment is not None and len(edges):
        codes = _pair_codes(edges, n)
        order = np.argsort(codes, kind="stable")
        known = (codes[order], np.asarray(jaccard)[order], np.asarray(containment)[order])
    pending = distinct(edges)
    while len(pending) and len(edges):
        # Groups: connected components of the pending nodes over the edges among them.
        comp = component_labels(n, edges)
        group = comp[pending]
        counts = np.bincount(group, minlength=n)
        pending = pending[counts[group] > 1]
        if not len(pending):
            break
        degree = np.bincount(edges.ravel(), minlength=n)
        best = _best_of_groups(pending, comp[pending], degree, sizes, rank)
        members = pending[best != pending]
        their_rep = best[best != pending]
        ok, pair_jac, pair_con = _verify_against(
            sketch, np.stack((members, their_rep), axis=1), config, known
        )
        joined = members[ok]
        rep[joined] = their_rep[ok]
        jac[joined] = pair_jac[ok]
        con[joined] = pair_con[ok]
        rest = members[~ok]
        in_rest = np.zeros(n, dtype=bool)
        in_rest[rest] = True
        edges = edges[in_rest[edges[:, 0]] & in_rest[edges[:, 1]]]
        pending = distinct(edges)
    # Containment of each member in its representative (which may be the smaller one).
    members = np.flatnonzero(rep != np.arange(n))
    inter = estimate_intersection(jac[members], sizes[members], sizes[rep[members]])
    con[members] = np.minimum(inter / np.maximum(sizes[members], 1), 1.0)
    # Each cluster is named by its member with the smallest id.
    smallest = np.full(n, n, dtype=np.int64)
    np.minimum.at(smallest, rep, rank)
    by_rank = np.argsort(rank)
    label = by_rank[smallest[rep]]
    return Clusters(label=label, representative=rep, jaccard=jac, containment=con)
