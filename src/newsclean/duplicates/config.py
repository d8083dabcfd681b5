"""Options and result of near-duplicate clustering, shared by every engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..errors import InputError
from ..lsh import check_threshold
from ..shingle import check_ngram
from ..signature import check_num_perm, check_seed

__all__ = ["DedupConfig", "DedupResult", "Verify"]

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
        containment_min_jaccard: containment only counts when the pair's Jaccard
            similarity is at least this: the smaller text must be a real part of the
            larger (about a fifth of it or more), not a bio, sidebar or stock passage
            that a much longer, different text also carries. 0 turns this off. Chosen on
            the Reuters sets (``benchmarks/dedup_quality.py``: the largest floor losing at
            most one of its 1,044 true containment-only pairs).
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
    containment_min_jaccard: float = 0.2
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
        floor = self.containment_min_jaccard
        if isinstance(floor, bool) or not isinstance(floor, (int, float)) or not 0.0 <= floor <= 1.0:
            msg = f"containment_min_jaccard must be in [0, 1], got {floor!r}"
            raise InputError(msg)
        if self.verify not in ("exact", "estimate"):
            msg = f"verify must be 'exact' or 'estimate', got {self.verify!r}"
            raise InputError(msg)
        if self.numbers not in ("distinct", "ignore"):
            msg = f"numbers must be 'distinct' or 'ignore', got {self.numbers!r}"
            raise InputError(msg)
        if self.min_containment_shingles < 1:
            msg = f"min_containment_shingles must be >= 1, got {self.min_containment_shingles}"
            raise InputError(msg)
        # Checked here too, not only when the first text is hashed: a run refuses them
        # before it writes anything.
        check_num_perm(self.num_perm)
        check_ngram(self.ngram)
        check_seed(self.seed)


@dataclass(frozen=True, slots=True)
class DedupResult:
    """Clusters of near-duplicate texts, in input order.

    Attributes:
        ids: the id of each input text.
        labels: the cluster id of each input: the smallest id in its cluster (string
            order; with ``ids=None`` the ids are positions and the smallest is the first).
        representatives: the representative id of each input's cluster: the member
            verified as a duplicate of the most others (the story the others copy), then
            the one with the most distinct shingles (the most complete copy), then the
            smallest id. Every member is itself a verified duplicate of its
            representative: a chain of pairs is split, never followed
            (:mod:`newsclean.duplicates.clusters`).
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
