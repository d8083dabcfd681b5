"""Read a run's output (and its rejects) into what the report shows, in bounded memory.

Two streaming passes over the output file (JSONL or Parquet, as written by
``newsclean run`` / ``dedup``):

1. **Counts.** Every row is counted (status, source, cluster size, similarity to the
   representative); only a few numbers per *cluster* are kept, never the texts.
2. **Samples.** The clusters to show (the largest, and a random sample of the others
   with two or more members), their representative and the members *least* similar to
   it (the ones worth checking), a random sample of rows for the strip / extract view,
   and a sample of representatives in which to look for pairs kept apart.

"Random" is a bottom-k sample by a seeded hash of the id: deterministic, the same
whatever the input order, and computed in one pass. The report states every sample's
size next to the total it came from.
"""

from __future__ import annotations

import heapq
import os
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import xxhash

from ..errors import InputError, RecordError
from ..etl.readers import InputFormat, read_records
from .tally import (
    HIST_BINS,
    size_bins,
    value_bin,
)

__all__ = [
    "ClusterSample",
    "Doc",
    "ReportConfig",
    "RunScan",
    "SourceCount",
    "sample_key",
    "scan_output",
]

@dataclass(frozen=True, slots=True)
class ReportConfig:
    """What the report samples and how much of each text it shows.

    The defaults keep a report of any run under about 2 MB (see
    ``benchmarks/report_size.py``): the page size depends on these numbers, not on the
    number of records.

    Attributes:
        largest_clusters: the largest clusters shown.
        random_clusters: clusters of two or more members drawn at random besides them.
        members_per_cluster: members shown per cluster (those least similar to the
            representative, i.e. the most doubtful).
        text_chars: characters of each text shown (the rest is cut, and said so).
        strip_records: records shown in the strip / extract view.
        strip_lines: input lines shown per record there.
        pair_search_records: representatives sampled to look for pairs kept apart.
        kept_apart_pairs: pairs kept apart shown.
        reject_examples: examples (file:line) shown per reject reason.
        sources: sources listed (the others are summed up as one row).
        seed: seed of the random samples.
        id_field: the id field of the output rows.
        text_field: the text field of the input records (the output rows' article text is
            ``newsclean_text`` if present, else ``text``: :func:`newsclean.etl.rows.article_text`).
        source_field: the field counted per source (when absent: ``site_name``, then
            the URL's host).
    """

    largest_clusters: int = 10
    random_clusters: int = 10
    members_per_cluster: int = 4
    text_chars: int = 2000
    strip_records: int = 8
    strip_lines: int = 150
    pair_search_records: int = 2000
    kept_apart_pairs: int = 10
    reject_examples: int = 3
    sources: int = 25
    seed: int = 1
    id_field: str = "id"
    text_field: str = "text"
    source_field: str = "source"

    def __post_init__(self) -> None:
        for name in ("largest_clusters", "random_clusters", "members_per_cluster", "text_chars",
                     "strip_records", "strip_lines", "pair_search_records", "kept_apart_pairs",
                     "reject_examples", "sources"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                msg = f"{name} must be an int >= 0, got {value!r}"
                raise InputError(msg)
        if self.text_chars < 100:
            msg = f"text_chars must be >= 100, got {self.text_chars}"
            raise InputError(msg)


@dataclass(frozen=True, slots=True)
class Doc:
    """One output row as the report shows it.

    Attributes:
        id: the record id.
        text: the article text (whole; the view cuts it to ``text_chars``).
        title: the headline, if any.
        source: the source it is counted under.
        cluster_id: its cluster (``None`` for an output without dedup fields).
        is_representative: whether it represents its cluster.
        similarity: the run's similarity to the representative (MinHash estimate).
        status: the article status (``ok``, ``no_content``, ...).
        reason: why there is no text, when ``status`` is not ``ok``.
        method: how the text was obtained (``lines``: strip; else an extract method).
        url: the page URL, if any.
    """

    id: str
    text: str
    title: str | None = None
    source: str = ""
    cluster_id: str | None = None
    is_representative: bool = True
    similarity: float = 1.0
    status: str = "ok"
    reason: str | None = None
    method: str = ""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ClusterSample:
    """A cluster shown in the report.

    Attributes:
        cluster_id: the cluster id (its smallest member id).
        size: members in this output.
        picked: ``"largest"`` or ``"random"``.
        representative: the representative, or ``None`` if it is not in this output
            (it was written by an earlier run, see ``--index``).
        members: the members shown, least similar to the representative first.
        min_similarity: the lowest similarity to the representative in the cluster.
    """

    cluster_id: str
    size: int
    picked: str
    representative: Doc | None
    members: tuple[Doc, ...]
    min_similarity: float


@dataclass(frozen=True, slots=True)
class SourceCount:
    """Rows and duplicates of one source."""

    source: str
    records: int
    duplicates: int


@dataclass(frozen=True, slots=True)
class RunScan:
    """Everything the report needs from a run's output, counted or sampled.

    Attributes:
        rows: rows in the output.
        statuses: rows per article status.
        sources: rows and duplicates per source, most rows first (at most
            ``config.sources``; the rest summed up in ``other_sources``).
        other_sources: the rows of the sources not listed (``SourceCount`` of "others"),
            or ``None``.
        has_clusters: the rows have dedup fields (``cluster_id``, ...).
        clusters: distinct clusters.
        multi_clusters: clusters of two or more members.
        duplicates: rows that are not their cluster's representative.
        largest_cluster: members of the largest cluster.
        size_histogram: ``(label, clusters, records)`` per cluster-size class.
        similarity_histogram: counts of non-representative rows per bin of 0.05.
        clusters_shown: the sampled clusters (largest first, then the random ones).
        strip_sample: rows sampled for the strip / extract view.
        pair_sample: representatives sampled for the search for pairs kept apart (drawn
            by a MinHash of their text, so that look-alike texts are drawn together).
        pair_population: the representatives with a text they were drawn from.
        seen_before: rows whose cluster's representative is not in this output (matched
            an earlier run through ``--index``).
        representatives_only: the output has no duplicates but representatives of
            clusters with other members (their cluster id is another id): it was written
            with ``--representatives-only``.
    """

    rows: int
    statuses: tuple[tuple[str, int], ...]
    sources: tuple[SourceCount, ...]
    other_sources: SourceCount | None
    has_clusters: bool
    clusters: int
    multi_clusters: int
    duplicates: int
    largest_cluster: int
    size_histogram: tuple[tuple[str, int, int], ...]
    similarity_histogram: tuple[int, ...]
    clusters_shown: tuple[ClusterSample, ...]
    strip_sample: tuple[Doc, ...]
    pair_sample: tuple[Doc, ...] = field(repr=False)
    pair_population: int = 0
    seen_before: int = 0
    representatives_only: bool = False


def sample_key(doc_id: str, seed: int) -> int:
    """The hash by which ids are sampled: the ``k`` smallest keys are the sample.

    Examples:
        >>> sample_key("a", 1) == sample_key("a", 1) != sample_key("a", 2)
        True
    """
    return int(xxhash.xxh64_intdigest(doc_id.encode("utf-8", "surrogatepass"), seed=seed))


def _source_of(fields: Mapping[str, object], config: ReportConfig) -> str:
    value = fields.get(config.source_field)
    if isinstance(value, str) and value:
        return value
    site = fields.get("site_name")
    if isinstance(site, str) and site:
        return site
    url = fields.get("url")
    if isinstance(url, str) and "//" in url:
        return url.split("//", 1)[1].split("/", 1)[0] or "(none)"
    return "(none)"


def _article(fields: Mapping[str, object]) -> str | None:
    """An output row's article text (``newsclean_text`` beside an input ``text``)."""
    from ..etl.rows import article_text

    value = article_text(fields)
    return value if isinstance(value, str) else None


def _doc(fields: Mapping[str, object], config: ReportConfig) -> Doc:
    def text(name: str) -> str | None:
        value = fields.get(name)
        return value if isinstance(value, str) else None

    similarity = fields.get("similarity")
    cluster = fields.get("cluster_id")
    return Doc(
        id=str(fields.get(config.id_field)),
        text=_article(fields) or "",
        title=text("title"),
        source=_source_of(fields, config),
        cluster_id=None if cluster is None else str(cluster),
        is_representative=bool(fields.get("is_representative", True)),
        similarity=float(similarity) if isinstance(similarity, (int, float)) else 1.0,
        status=text("status") or "ok",
        reason=text("reason"),
        method=text("method") or "",
        url=text("url"),
    )


def _rows(path: str, input_format: InputFormat | None, id_field: str) -> Iterator[Mapping[str, object]]:
    """The run's rows, each with the run's own values under their plain names."""
    from ..etl.rows import run_view

    for item in read_records(path, input_format=input_format):
        if isinstance(item, RecordError):
            msg = f"{item}: not a newsclean output row (pass the file written by 'newsclean run -o')"
            raise InputError(msg)
        yield run_view(item.fields, id_field)


@dataclass(slots=True)
class _Cluster:  # one per cluster of the run: kept small (no text, no member list)
    size: int = 0
    representative: str | None = None
    min_similarity: float = 1.0


def _count_pass(path: str, config: ReportConfig, input_format: InputFormat | None) -> tuple[
        int, Counter[str], Counter[str], Counter[str], dict[str, _Cluster], list[int], bool]:
    rows = 0
    statuses: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    source_dups: Counter[str] = Counter()
    clusters: dict[str, _Cluster] = {}
    similarity_bins = [0] * HIST_BINS
    has_clusters = False
    for fields in _rows(path, input_format, config.id_field):
        rows += 1
        statuses[str(fields.get("status") or "ok")] += 1
        source = _source_of(fields, config)
        sources[source] += 1
        cluster_id = fields.get("cluster_id")
        if cluster_id is None:
            continue
        has_clusters = True
        cluster = clusters.setdefault(str(cluster_id), _Cluster())
        cluster.size += 1
        if fields.get("is_representative"):
            cluster.representative = str(fields.get(config.id_field))
        else:
            source_dups[source] += 1
            similarity = fields.get("similarity")
            if isinstance(similarity, (int, float)):
                similarity_bins[value_bin(float(similarity))] += 1
                cluster.min_similarity = min(cluster.min_similarity, float(similarity))
    return rows, statuses, sources, source_dups, clusters, similarity_bins, has_clusters


def _pick_clusters(clusters: Mapping[str, _Cluster], config: ReportConfig) -> dict[str, str]:
    """Cluster id -> ``"largest"`` / ``"random"`` for the clusters to show."""
    multi = [(c.size, cid) for cid, c in clusters.items() if c.size > 1]
    largest = heapq.nsmallest(config.largest_clusters, multi, key=lambda sc: (-sc[0], sc[1]))
    picked = {cid: "largest" for _, cid in largest}
    rest = (cid for _, cid in multi if cid not in picked)
    for cid in heapq.nsmallest(config.random_clusters, rest, key=lambda c: sample_key(c, config.seed)):
        picked[cid] = "random"
    return picked


class _BottomK:
    """The ``k`` items of smallest key seen so far (a max-heap of negated keys)."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.heap: list[tuple[int, str, int, Doc]] = []
        self.seen = 0  # breaks ties of equal keys and ids (the earlier row is kept), never a Doc

    def wants(self, key: int, doc_id: str) -> bool:
        """Whether an item of this key would be kept (cheap: decides before a Doc is built)."""
        return len(self.heap) < self.k or (self.k > 0 and (-key, doc_id) > self.heap[0][:2])

    def offer(self, key: int, doc: Doc) -> None:
        self.seen += 1
        item = (-key, doc.id, -self.seen, doc)
        if len(self.heap) < self.k:
            heapq.heappush(self.heap, item)
        elif self.k and item[:2] > self.heap[0][:2]:
            heapq.heapreplace(self.heap, item)

    def sorted(self) -> list[Doc]:
        return [t[3] for t in sorted(self.heap, key=lambda t: (-t[0], t[1], -t[2]))]


class _PairSampler:
    """Representatives drawn by a one-permutation MinHash of their text, in batches.

    Near-duplicate texts have the same minimum shingle hash with a probability equal to
    their Jaccard similarity, so a bottom-k sample by that hash draws look-alike texts
    *together* (consistent sampling): pairs kept apart are found in a sample of a large run,
    where a sample by id would rarely hold both texts of a pair. Only representatives are
    drawn, so a large cluster takes one place, not hundreds.
    """

    def __init__(self, k: int, config: ReportConfig, batch: int = 1000) -> None:
        self.sample = _BottomK(k)
        self.config = config
        self.batch = batch
        self.pending: list[Mapping[str, object]] = []
        self.population = 0

    def add(self, fields: Mapping[str, object]) -> None:
        text = _article(fields)
        if self.sample.k == 0 or not text or not text.strip():
            return
        self.population += 1
        self.pending.append(fields)
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        from ..duplicates.config import DedupConfig
        from ..shingle import shingle_hashes
        from ..signature import signatures_from_hashes

        texts = [_article(f) or "" for f in self.pending]
        batch = shingle_hashes(texts, DedupConfig().ngram)
        keys = signatures_from_hashes(batch.hashes, batch.offsets, num_perm=1, seed=self.config.seed)[:, 0]
        for fields, key in zip(self.pending, keys.tolist(), strict=True):
            doc_id = str(fields.get(self.config.id_field))
            if self.sample.wants(int(key), doc_id):
                self.sample.offer(int(key), _doc(fields, self.config))
        self.pending = []


def _strip_sample(ok: list[Doc], bad: list[Doc], k: int) -> tuple[Doc, ...]:
    """``k`` rows: those without a body first (up to a quarter), then rows with one."""
    return tuple(bad + ok[: max(k - len(bad), 0)])


def scan_output(
    path: str | os.PathLike[str],
    config: ReportConfig | None = None,
    *,
    input_format: InputFormat | None = None,
) -> RunScan:
    """Count and sample a run's output file (see the module docstring).

    Args:
        path: the output of ``newsclean run`` / ``dedup`` / ``strip`` / ``extract``.
        config: what to sample (:class:`ReportConfig`).
        input_format: force ``"jsonl"`` or ``"parquet"`` (default: from the name).

    Returns:
        A :class:`RunScan`.

    Raises:
        InputError: the file is missing or a line is not a JSON object.
    """
    config = config or ReportConfig()
    path = os.fspath(path)
    rows, statuses, sources, source_dups, clusters, similarity_bins, has_clusters = _count_pass(
        path, config, input_format)
    picked = _pick_clusters(clusters, config)
    reps: dict[str, Doc] = {}
    members: dict[str, list[tuple[float, str, int, Doc]]] = {cid: [] for cid in picked}
    rows_seen = 0
    ok_sample = _BottomK(config.strip_records)
    bad_sample = _BottomK(config.strip_records // 4)  # up to a quarter: rows without a body
    pairs = _PairSampler(config.pair_search_records if has_clusters else 0, config)
    for fields in _rows(path, input_format, config.id_field):
        doc_id = str(fields.get(config.id_field))
        key = sample_key(doc_id, config.seed)
        cluster_id = fields.get("cluster_id")
        if cluster_id is not None and fields.get("is_representative"):
            pairs.add(fields)
        sample = ok_sample if (fields.get("status") or "ok") == "ok" else bad_sample
        if not (sample.wants(key, doc_id) or (cluster_id is not None and str(cluster_id) in picked)):
            continue  # most rows: counted in pass 1, not shown
        doc = _doc(fields, config)
        (ok_sample if doc.status == "ok" else bad_sample).offer(key, doc)
        if doc.cluster_id in picked:
            if doc.is_representative:
                reps[doc.cluster_id] = doc
                continue
            heap = members[doc.cluster_id]
            rows_seen += 1  # ties of similarity and id (duplicate ids): the earlier row is kept
            item = (-doc.similarity, doc.id, -rows_seen, doc)  # keep the least similar
            if len(heap) < config.members_per_cluster:
                heapq.heappush(heap, item)
            elif config.members_per_cluster and item[:2] > heap[0][:2]:
                heapq.heapreplace(heap, item)
    pairs.flush()
    shown = tuple(
        ClusterSample(
            cluster_id=cid, size=clusters[cid].size, picked=how, representative=reps.get(cid),
            members=tuple(t[3] for t in sorted(members[cid], key=lambda t: (-t[0], t[1], -t[2]))),
            min_similarity=clusters[cid].min_similarity,
        )
        for cid, how in sorted(picked.items(), key=lambda kv: (kv[1] != "largest", -clusters[kv[0]].size, kv[0]))
    )
    listed = sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))
    others = listed[config.sources:]
    other_sources = SourceCount(f"{len(others)} other sources", sum(n for _, n in others),
                                sum(source_dups[s] for s, _ in others)) if others else None
    return RunScan(
        rows=rows,
        statuses=tuple(sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))),
        sources=tuple(SourceCount(s, n, source_dups[s]) for s, n in listed[:config.sources]),
        other_sources=other_sources,
        has_clusters=has_clusters,
        clusters=len(clusters),
        multi_clusters=sum(1 for c in clusters.values() if c.size > 1),
        duplicates=sum(source_dups.values()),
        largest_cluster=max((c.size for c in clusters.values()), default=0),
        size_histogram=size_bins(c.size for c in clusters.values()) if has_clusters else (),
        similarity_histogram=tuple(similarity_bins),
        clusters_shown=shown,
        strip_sample=_strip_sample(ok_sample.sorted(), bad_sample.sorted(), config.strip_records),
        pair_sample=tuple(pairs.sample.sorted()),
        pair_population=pairs.population,
        seen_before=sum(c.size for c in clusters.values() if c.representative is None),
        representatives_only=not source_dups and any(
            c.representative not in (None, cid) for cid, c in clusters.items()),
    )
