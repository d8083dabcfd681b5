"""Streaming, resumable, parallel ETL: records -> articles -> near-duplicate clusters -> files.

:func:`run_pipeline` is the engine behind the ``newsclean`` command. It works in four
steps, each leaving a marker in a *work directory* so that a killed run, started again
with the same command, continues where it stopped and ends with the same output as
one clean run (nothing lost, nothing counted twice):

1. **Chunks.** Input items (records and located read errors) are cut into chunks of
   ``chunk_size`` items, in input order. Each chunk is turned into rows (extract, strip
   or plain text; normalized) and, for dedup, into per-document *sketches* (MinHash
   signature, LSH band keys, shingle count, hashed figures), by this process or by
   ``jobs`` worker processes. A worker writes its chunk's files under temporary names
   and renames them when done, so a chunk is either complete or absent. Chunks are cut
   the same way whatever ``jobs`` is, so the output does not depend on it.
2. **Clusters.** Only the sketches are loaded (about 0.8 KB per document, never the
   texts): LSH candidates within the run and against the persistent index, verification
   with the MinHash estimates (:func:`newsclean.cluster.pair_similarity`), connected
   components in id order, so that the clusters do not depend on the input order.
3. **Write.** The chunk files are streamed again, each row gets ``cluster_id``,
   ``is_representative`` and ``similarity``, and the output (JSONL or Parquet), the
   rejects file and the clusters table are written under temporary names and renamed.
4. **Index.** The new documents go into the persistent index in one transaction
   tagged with the run's id; a repeated commit of the same run is a no-op.

Clusters follow :func:`newsclean.dedup` with ``verify="estimate"``: the cluster id is
the smallest id in the cluster and the representative is the member with the most
distinct shingles (ties: smallest id). A document that matches one seen in an earlier
run (``--index``) joins that document's cluster id and is never the representative
(the representative was written by the earlier run).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .errors import InputError, NewscleanError, RecordError
from .io import InputFormat, Record, dumps, infer_schema, open_writer, output_format, read_inputs
from .normalize import normalize, word_tokens

__all__ = [
    "Mode",
    "PipelineConfig",
    "RunPaths",
    "RunSummary",
    "TooManyErrors",
    "record_to_row",
    "run_pipeline",
]

log = logging.getLogger(__name__)

#: How a record becomes an article: ``"extract"`` (HTML field), ``"strip"`` (text dump),
#: ``"text"`` (the text field already is the article; only normalized), ``"auto"``
#: (per record: ``extract`` when it has a non-empty HTML field, else ``strip``).
Mode = Literal["extract", "strip", "text", "auto"]

_ARTICLE_FIELDS = ("title", "text", "author", "date", "language", "url", "site_name",
                   "source", "method", "status", "reason")
_FORMAT_VERSION = 2  # of the work directory; part of the fingerprint
_LOGGED_REJECTS = 20  # without --rejects, the first ones are logged as warnings


class TooManyErrors(NewscleanError):
    """More rejected records than ``max_errors``; the run stopped early (resumable)."""


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Options of :func:`run_pipeline`; change one with :func:`dataclasses.replace`.

    Attributes:
        mode: how a record becomes an article (see :data:`Mode`).
        input_format: force the input format (default: from each input's name).
        text_field: input field with the text (modes ``strip``, ``text``).
        html_field: input field with the HTML (mode ``extract``).
        id_field: input field with the record id; a record without one gets
            ``"<file name>:<line>"``.
        url_field: input field with the page URL, passed to ``extract``.
        dedup: cluster near-duplicates (adds ``cluster_id``, ``is_representative``,
            ``similarity``).
        threshold: Jaccard similarity from which two articles are copies (0.5, as
            :class:`newsclean.cluster.DedupConfig`; estimated from 128 MinHash values).
        representatives_only: write only each cluster's representative.
        drop_fields: input fields not to copy to the output (e.g. the HTML).
        chunk_size: records per chunk: the unit of work, of parallelism and of resume.
        jobs: worker processes (1 = in this process).
        max_errors: stop (exit code 3) after more rejected records than this.
    """

    mode: Mode = "text"
    input_format: InputFormat | None = None
    text_field: str = "text"
    html_field: str = "html"
    id_field: str = "id"
    url_field: str = "url"
    dedup: bool = True
    threshold: float = 0.5
    representatives_only: bool = False
    drop_fields: tuple[str, ...] = ()
    chunk_size: int = 1000
    jobs: int = 1
    max_errors: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("extract", "strip", "text", "auto"):
            msg = f"mode must be 'extract', 'strip', 'text' or 'auto', got {self.mode!r}"
            raise InputError(msg)
        if not 0.0 < self.threshold <= 1.0:
            msg = f"threshold must be in (0, 1], got {self.threshold!r}"
            raise InputError(msg)
        for name in ("chunk_size", "jobs"):
            if getattr(self, name) < 1:
                msg = f"{name} must be >= 1, got {getattr(self, name)}"
                raise InputError(msg)
        if self.max_errors is not None and self.max_errors < 0:
            msg = f"max_errors must be >= 0, got {self.max_errors}"
            raise InputError(msg)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did (the CLI prints it at the end; ``--stats`` writes it as JSON).

    Attributes:
        records_in: input records read (good and bad).
        records_out: rows written.
        rejects: records rejected (bad data), written to the rejects file.
        clusters: clusters among this run's documents (singletons included).
        duplicates_removed: documents that are not their cluster's representative.
        seen_before: documents that matched the persistent index.
        chunks_resumed: chunks found done from an earlier, interrupted run.
        seconds: wall time of this invocation.
    """

    records_in: int = 0
    records_out: int = 0
    rejects: int = 0
    clusters: int = 0
    duplicates_removed: int = 0
    seen_before: int = 0
    chunks_resumed: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """The summary as a JSON-ready dict."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class RunPaths:
    """Where a run writes. ``output`` ``"-"`` is stdout (JSONL, not resumable)."""

    output: str
    rejects: str | None = None
    clusters: str | None = None
    index: str | None = None
    work_dir: str | None = None


# ----------------------------------------------------------------------------- records -> rows


def _record_id(record: Record, config: PipelineConfig) -> str:
    value = record.fields.get(config.id_field)
    if value is None or value == "":
        return f"{os.path.basename(record.path)}:{record.line}"
    return str(value)


def _field_text(record: Record, name: str) -> str | RecordError:
    value = record.fields.get(name)
    if value is None:
        present = ", ".join(sorted(record.fields)[:8]) or "none"
        return RecordError(f"missing field {name!r} (fields: {present})", path=record.path, line=record.line)
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as exc:
            return RecordError(f"undecodable bytes in field {name!r} at byte {exc.start}", path=record.path, line=record.line)
    if not isinstance(value, str):
        reason = f"field {name!r} is {type(value).__name__}, not text"
        return RecordError(reason, path=record.path, line=record.line)
    return value


def _mode_of(record: Record, config: PipelineConfig) -> Mode:
    if config.mode != "auto":
        return config.mode
    return "extract" if record.fields.get(config.html_field) else "strip"


def _article_fields(text: str, url: object, mode: Mode) -> dict[str, object]:
    if mode == "extract":
        from .extraction import extract

        return extract(text, url=url if isinstance(url, str) else None).to_dict()
    if mode == "strip":
        from .stripping import strip

        return strip(text).to_dict()
    clean = normalize(text)
    return {"text": clean, "status": "ok" if clean.strip() else "empty_input"}


def record_to_row(record: Record, config: PipelineConfig) -> dict[str, object] | RecordError:
    """One output row: the input fields plus the article fields, or why there is none.

    Article fields overwrite input fields of the same name, except that a missing
    (``None``) article value never erases an input value. The text is normalized.

    Examples:
        >>> rec = Record({"id": 7, "text": "“Hi”\u00a0there", "lang": "en"}, "in.jsonl", 1)
        >>> record_to_row(rec, PipelineConfig())
        {'id': '7', 'text': '"Hi" there', 'lang': 'en', 'status': 'ok'}
        >>> print(record_to_row(Record({"id": "x"}, "in.jsonl", 2), PipelineConfig()))
        in.jsonl:2: missing field 'text' (fields: id)
    """
    mode = _mode_of(record, config)
    text = _field_text(record, config.html_field if mode == "extract" else config.text_field)
    if isinstance(text, RecordError):
        return text
    try:
        article = _article_fields(text, record.fields.get(config.url_field), mode)
    except NewscleanError as exc:
        return RecordError(f"{mode} failed: {exc}", path=record.path, line=record.line)
    except Exception as exc:
        # A dependency (lxml, trafilatura, ...) choking on odd data must not stop the run:
        # the record is rejected with the error's name (datatrove counts these the same way).
        log.debug("%s failed on %s", mode, record.where, exc_info=True)
        return RecordError(f"{mode} failed: {type(exc).__name__}: {exc}", path=record.path, line=record.line)
    row: dict[str, object] = {k: v for k, v in record.fields.items() if k not in config.drop_fields}
    row[config.id_field] = _record_id(record, config)
    if isinstance(article.get("text"), str):
        article["text"] = normalize(str(article["text"]))
    for key, value in article.items():
        if value is not None or key not in row:
            row[key] = value
    return row


def _reject(error: RecordError) -> dict[str, object]:
    return {"path": error.path, "line": error.line, "offset": error.offset, "reason": error.reason}


# ----------------------------------------------------------------------------- sketches


def _dedup_config(config: PipelineConfig) -> Any:
    from .cluster import DedupConfig

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
    from .cluster import shingle_sets
    from .lsh import band_keys, lsh_params
    from .shingle import shingle_hashes
    from .signature import empty_rows, signatures_from_hashes

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


# ----------------------------------------------------------------------------- step 1: chunks


@dataclass(frozen=True, slots=True)
class _Chunk:
    number: int
    items: list[Record | RecordError]
    folder: str
    config: PipelineConfig


@dataclass(frozen=True, slots=True)
class _ChunkStats:
    number: int
    records: int
    rows: int
    rejects: int

    @classmethod
    def load(cls, path: Path) -> _ChunkStats:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def _chunk_path(folder: str | Path, number: int, suffix: str) -> Path:
    return Path(folder) / f"{number:07d}{suffix}"


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def process_chunk(chunk: _Chunk) -> _ChunkStats:
    """Turn one chunk into its files: ``.npz`` sketches, ``.ids``, ``.stats``, then ``.jsonl`` rows.

    The ``.jsonl`` file is renamed into place last: its presence means the chunk is done.
    """
    lines: list[str] = []
    texts: list[str] = []
    ids: list[str] = []
    rows = rejects = 0
    for item in chunk.items:
        result = record_to_row(item, chunk.config) if isinstance(item, Record) else item
        if isinstance(result, RecordError):
            rejects += 1
            lines.append(dumps({"reject": _reject(result)}))
            continue
        rows += 1
        ids.append(str(result[chunk.config.id_field]))
        lines.append(dumps({"row": result, "where": item.where if isinstance(item, Record) else ""}))
        text = result.get("text")
        texts.append(text if isinstance(text, str) and result.get("status") == "ok" else "")
    if chunk.config.dedup:
        buffer = io.BytesIO()
        np.savez(buffer, **sketch_texts(texts, chunk.config))  # type: ignore[arg-type]
        _atomic_write_bytes(_chunk_path(chunk.folder, chunk.number, ".npz"), buffer.getvalue())
    _atomic_write_bytes(_chunk_path(chunk.folder, chunk.number, ".ids"), json.dumps(ids).encode("utf-8"))
    stats = _ChunkStats(chunk.number, len(chunk.items), rows, rejects)
    _atomic_write_bytes(_chunk_path(chunk.folder, chunk.number, ".stats"), json.dumps(dataclasses.asdict(stats)).encode())
    _atomic_write_bytes(_chunk_path(chunk.folder, chunk.number, ".jsonl"), ("\n".join(lines) + "\n").encode("utf-8"))
    return stats


def _chunks(items: Iterable[Record | RecordError], size: int) -> Iterator[list[Record | RecordError]]:
    block: list[Record | RecordError] = []
    for item in items:
        block.append(item)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


@dataclass
class _Progress:
    """Counters of step 1 and the optional progress bar (mutable, local to one run)."""

    bar: Any = None
    records: int = 0
    rejects: int = 0
    resumed: int = 0
    chunks: list[_ChunkStats] = field(default_factory=list)

    def done(self, stats: _ChunkStats, *, resumed: bool = False) -> None:
        self.chunks.append(stats)
        self.records += stats.records
        self.rejects += stats.rejects
        self.resumed += int(resumed)
        if self.bar is not None:
            self.bar.update(stats.records)


def _check_errors(progress: _Progress, config: PipelineConfig) -> None:
    if config.max_errors is not None and progress.rejects > config.max_errors:
        msg = (
            f"{progress.rejects} records rejected, more than --max-errors {config.max_errors}; "
            "stopped (see the rejects file; run again with a higher limit to continue)"
        )
        raise TooManyErrors(msg)


def _run_chunks(
    items: Iterable[Record | RecordError], folder: Path, config: PipelineConfig, progress: _Progress
) -> None:
    """Step 1: every chunk not already done, in this process or in ``jobs`` workers."""
    folder.mkdir(parents=True, exist_ok=True)
    todo = (
        _Chunk(number, block, str(folder), config)
        for number, block in enumerate(_chunks(items, config.chunk_size))
    )

    def pending() -> Iterator[_Chunk]:
        for chunk in todo:
            done = _chunk_path(folder, chunk.number, ".jsonl")
            if done.exists():
                progress.done(_ChunkStats.load(_chunk_path(folder, chunk.number, ".stats")), resumed=True)
                continue
            yield chunk

    if config.jobs == 1:
        for chunk in pending():
            progress.done(process_chunk(chunk))
            _kill_point(f"chunk-{chunk.number}")
            _check_errors(progress, config)
        return
    # Bounded window of chunks in flight: the input is never read far ahead (memory).
    with ProcessPoolExecutor(max_workers=config.jobs, mp_context=get_context("spawn")) as pool:
        window: list[Future[_ChunkStats]] = []
        for chunk in pending():
            window.append(pool.submit(process_chunk, chunk))
            while len(window) >= 2 * config.jobs:
                progress.done(window.pop(0).result())
                _check_errors(progress, config)
        for future in window:
            progress.done(future.result())
        _check_errors(progress, config)


# ----------------------------------------------------------------------------- step 2: clusters


@dataclass(frozen=True, slots=True)
class _Sketches:
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


def _row_ids(folder: Path, numbers: Sequence[int], config: PipelineConfig) -> Iterator[str]:
    """The ids of the rows (not the rejects) of the chunks, in order."""
    for number in numbers:
        yield from json.loads(_chunk_path(folder, number, ".ids").read_text(encoding="utf-8"))


def _load_sketches(folder: Path, numbers: Sequence[int], config: PipelineConfig) -> _Sketches:
    parts: dict[str, list[npt.NDArray[Any]]] = {}
    shift = 0
    for number in numbers:
        with np.load(_chunk_path(folder, number, ".npz")) as data:
            for name in ("sig", "keys", "whole", "sizes", "empty", "numbers"):
                parts.setdefault(name, []).append(data[name])
            parts.setdefault("number_offsets", []).append(data["number_offsets"][:-1] + shift)
            shift += int(data["number_offsets"][-1])
    if not parts:
        from .lsh import lsh_params

        dc = _dedup_config(config)
        bands, _ = lsh_params(dc.candidate_threshold, dc.num_perm)
        parts = {"sig": [np.zeros((0, dc.num_perm), np.uint32)], "keys": [np.zeros((0, bands), np.uint64)],
                 "whole": [np.zeros(0, np.uint64)], "sizes": [np.zeros(0, np.int64)],
                 "empty": [np.zeros(0, bool)], "numbers": [np.zeros(0, np.uint64)],
                 "number_offsets": [np.zeros(0, np.int64)]}
    joined = {name: np.concatenate(values) for name, values in parts.items()}
    joined["number_offsets"] = np.append(joined["number_offsets"], shift).astype(np.int64)
    return _Sketches(ids=list(_row_ids(folder, numbers, config)), **joined)


def _conflicts(sk: _Sketches, pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Pairs whose documents each have figures the other lacks (templated reports)."""
    out = np.zeros(len(pairs), dtype=bool)
    for k, (a, b) in enumerate(pairs.tolist()):
        na, nb = sk.numbers_of(a), sk.numbers_of(b)
        if len(na) and len(nb) and not (len(na) == len(nb) and bool((na == nb).all())):
            out[k] = bool(np.setdiff1d(na, nb, assume_unique=True).size) and bool(
                np.setdiff1d(nb, na, assume_unique=True).size
            )
    return out


def _accepted(sk: _Sketches, pairs: npt.NDArray[np.int64], config: PipelineConfig) -> npt.NDArray[np.int64]:
    from .cluster import accept_pairs, pair_similarity

    if not len(pairs):
        return pairs
    dc = _dedup_config(config)
    jac, con = pair_similarity(pairs, signatures=sk.sig, sizes=sk.sizes)
    smaller = np.minimum(sk.sizes[pairs[:, 0]], sk.sizes[pairs[:, 1]])
    pairs = pairs[accept_pairs(jac, con, smaller, dc)]
    return pairs[~_conflicts(sk, pairs)]


def _batch_pairs(sk: _Sketches, order: npt.NDArray[np.int64], config: PipelineConfig) -> npt.NDArray[np.int64]:
    """Verified duplicate pairs within the run (row indices), candidates cut in id order."""
    from .lsh import candidate_pairs

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
    sk: _Sketches, order: npt.NDArray[np.int64], store: Any, config: PipelineConfig
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
    pair_sk = _Sketches([], sig, sk.keys[:0], sk.whole[:0], sizes, np.zeros(len(sizes), bool),
                        np.concatenate(numbers) if numbers else np.zeros(0, np.uint64), offsets)
    n = len(pairs)
    idx = np.stack((np.arange(n), np.arange(n) + n), axis=1).astype(np.int64)
    ok = {int(k) for k in _accepted(pair_sk, idx, config)[:, 0]}
    same_id = {k for k, (r, d) in enumerate(pairs) if sk.ids[r] == d}
    return [pairs[k] for k in sorted(ok | same_id)], stored


@dataclass(frozen=True, slots=True)
class _Labels:
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
    from .cluster import component_labels

    return component_labels(n_nodes, pairs)


def cluster_sketches(sk: _Sketches, store: Any, config: PipelineConfig) -> _Labels:
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
    sk: _Sketches,
    dup: npt.NDArray[np.bool_],
    order: npt.NDArray[np.int64],
    node_rank: npt.NDArray[np.int64],
    comp: npt.NDArray[np.int64],
    ext_ids: list[str],
    stored: Mapping[str, Any],
    ranked_ids: list[str],
) -> _Labels:
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
    return _Labels(cluster, rep_flag, sim, seen, dup)


def _estimate(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32], size_a: int, size_b: int) -> float:
    """Jaccard estimate (``J (|A|+|B|)/(1+J)`` as the intersection), rounded for stable output."""
    est = float((a == b).mean())
    inter = est * (size_a + size_b) / (1.0 + est)
    union = size_a + size_b - inter
    return round(inter / union, 4) if union > 0 else 0.0


# ----------------------------------------------------------------------------- step 3: write


def _entries(folder: Path, numbers: Sequence[int]) -> Iterator[dict[str, Any]]:
    for number in numbers:
        with open(_chunk_path(folder, number, ".jsonl"), encoding="utf-8") as spool:
            for line in spool:
                yield json.loads(line)


def _output_rows(
    folder: Path, numbers: Sequence[int], labels: _Labels | None, config: PipelineConfig,
    on_reject: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Rows to write, in input order, with their cluster fields."""
    i = 0
    for entry in _entries(folder, numbers):
        if "reject" in entry:
            if on_reject is not None:
                on_reject(entry["reject"])
            continue
        row = entry["row"]
        if labels is not None:
            if labels.duplicate_id[i]:
                if on_reject is not None:
                    path, _, line = str(entry.get("where", "")).rpartition(":")
                    on_reject({"path": path, "line": int(line) if line.isdigit() else None, "offset": None,
                               "reason": f"duplicate id {row[config.id_field]!r} in this run; first one kept"})
                i += 1
                continue
            row["cluster_id"] = labels.cluster_id[i]
            row["is_representative"] = bool(labels.representative[i])
            row["similarity"] = float(labels.similarity[i])
            i += 1
            if config.representatives_only and not row["is_representative"]:
                continue
        yield row


def _write_outputs(
    folder: Path, numbers: Sequence[int], labels: _Labels | None, config: PipelineConfig, paths: RunPaths
) -> tuple[int, int]:
    """Step 3: output, rejects and clusters files, each written then renamed. Returns counts."""
    out_tmp = paths.output if paths.output == "-" else _tmp_name(paths.output)
    schema = None
    if output_format(paths.output) == "parquet" and paths.output != "-":
        schema = infer_schema(_output_rows(folder, numbers, labels, config))
    writer = open_writer(out_tmp, output=output_format(paths.output), schema=schema)
    rejects: list[dict[str, Any]] = []
    reject_writer = open_writer(_tmp_name(paths.rejects), output="jsonl") if paths.rejects else None

    def on_reject(entry: dict[str, Any]) -> None:
        rejects.append(entry)
        if reject_writer is not None:
            reject_writer.write(entry)
        elif len(rejects) <= _LOGGED_REJECTS:
            log.warning("rejected %s:%s: %s", entry.get("path"), entry.get("line"), entry.get("reason"))
        if len(rejects) > _LOGGED_REJECTS:
            rejects.pop()  # only the count matters from here on
            rejects_beyond[0] += 1

    rejects_beyond = [0]
    written = 0
    for row in _output_rows(folder, numbers, labels, config, on_reject):
        writer.write(row)
        written += 1
    writer.close()
    if reject_writer is not None and paths.rejects:
        reject_writer.close()
        os.replace(_tmp_name(paths.rejects), paths.rejects)
    if paths.clusters and labels is not None:
        _write_clusters(folder, numbers, labels, config, paths.clusters)
    if paths.output != "-":
        os.replace(out_tmp, paths.output)
    return written, len(rejects) + rejects_beyond[0]


def _write_rejects(folder: Path, numbers: Sequence[int], path: str) -> None:
    """Only the rejects file, from the chunks done so far (a run stopped by max_errors)."""
    writer = open_writer(_tmp_name(path), output="jsonl")
    for entry in _entries(folder, numbers):
        if "reject" in entry:
            writer.write(entry["reject"])
    writer.close()
    os.replace(_tmp_name(path), path)


def _write_clusters(
    folder: Path, numbers: Sequence[int], labels: _Labels, config: PipelineConfig, path: str
) -> None:
    """The clusters table: one row per cluster of two or more of this run's documents."""
    groups: dict[str, list[str]] = {}
    reps: dict[str, str] = {}
    for i, doc_id in enumerate(_row_ids(folder, numbers, config)):
        if labels.duplicate_id[i]:
            continue
        groups.setdefault(labels.cluster_id[i], []).append(doc_id)
        if labels.representative[i]:
            reps[labels.cluster_id[i]] = doc_id
    writer = open_writer(_tmp_name(path), output=output_format(path))
    for cluster_id in sorted(groups):
        ids = sorted(groups[cluster_id])
        if len(ids) > 1 or labels_seen(labels, cluster_id, ids):
            writer.write({"cluster_id": cluster_id, "size": len(ids), "representative": reps.get(cluster_id),
                          "members": ids})
    writer.close()
    os.replace(_tmp_name(path), path)


def labels_seen(labels: _Labels, cluster_id: str, ids: Sequence[str]) -> bool:
    """Whether a one-member cluster joined an earlier run's cluster (worth listing)."""
    return len(ids) == 1 and ids[0] != cluster_id


def _tmp_name(path: str | None) -> str:
    assert path is not None
    return f"{path}.tmp"


# ----------------------------------------------------------------------------- orchestration


def _kill_point(name: str) -> None:
    """Crash tests: SIGKILL this process at step ``name`` if ``NEWSCLEAN_KILL_AT`` says so.

    A real ``kill -9`` at a random moment is tested too; this hook makes each step
    boundary (``chunk-N``, ``labels``, ``output``, ``index``) testable deterministically.
    """
    if os.environ.get("NEWSCLEAN_KILL_AT") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def _fingerprint(inputs: Sequence[str], config: PipelineConfig, paths: RunPaths) -> str:
    described: list[list[object]] = []
    for path in inputs:
        if path == "-" or not os.path.exists(path):
            described.append([path])
            continue
        stat = os.stat(path)
        described.append([os.path.abspath(path), stat.st_size, stat.st_mtime_ns])
    options = dataclasses.asdict(config)
    options.pop("jobs")  # jobs never changes the output
    options.pop("max_errors")
    payload = {"version": _FORMAT_VERSION, "inputs": described, "config": options,
               "paths": dataclasses.asdict(paths)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _prepare_work_dir(work: Path, fingerprint: str) -> str:
    """Resume ``work`` if it belongs to the same command, else start it afresh. Returns the run id."""
    manifest = work / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("fingerprint") == fingerprint:
            log.info("resuming the interrupted run in %s", work)
            return str(data["run_id"])
        log.warning("work directory %s belongs to another command or input; starting afresh", work)
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex
    _atomic_write_bytes(manifest, json.dumps({"fingerprint": fingerprint, "run_id": run_id}).encode())
    return run_id


def _save_labels(path: Path, labels: _Labels) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, cluster_id=np.array(labels.cluster_id, dtype=str), representative=labels.representative,
             similarity=labels.similarity, seen=labels.seen, duplicate_id=labels.duplicate_id)
    _atomic_write_bytes(path, buffer.getvalue())


def _load_labels(path: Path) -> _Labels:
    with np.load(path) as data:
        return _Labels([str(x) for x in data["cluster_id"].tolist()], data["representative"],
                       data["similarity"], data["seen"], data["duplicate_id"])


def _commit_index(store: Any, run_id: str, sk: _Sketches, labels: _Labels) -> None:
    """Step 4: this run's new documents into the index, in one transaction."""
    known = store.fetch(sk.ids)
    new = [i for i in range(len(sk.ids)) if not labels.duplicate_id[i] and not sk.empty[i] and sk.ids[i] not in known]
    rows = np.array(new, dtype=np.int64)
    added = store.add_run(run_id, [sk.ids[i] for i in new], [labels.cluster_id[i] for i in new],
                          sk.sig[rows], sk.sizes[rows], [sk.numbers_of(i) for i in new], sk.keys[rows])
    log.info("index: %s %d documents (run %s)", "added" if added else "already had", len(new), run_id)


def _index_params(config: PipelineConfig) -> dict[str, object]:
    from .lsh import lsh_params

    dc = _dedup_config(config)
    bands, rows = lsh_params(dc.candidate_threshold, dc.num_perm)
    return {"num_perm": dc.num_perm, "ngram": dc.ngram, "seed": dc.seed, "bands": bands, "rows": rows}


def run_pipeline(
    inputs: Sequence[str],
    paths: RunPaths,
    config: PipelineConfig | None = None,
    *,
    progress_bar: Any = None,
) -> RunSummary:
    """Run the whole ETL over ``inputs`` (see the module docstring for the steps).

    Args:
        inputs: files, directories or ``"-"`` (see :func:`newsclean.io.read_records`).
        paths: output, rejects, clusters, index and work directory.
        config: options (:class:`PipelineConfig`).
        progress_bar: a tqdm-like object (``update(n)``) advanced per record, or ``None``.

    Returns:
        A :class:`RunSummary`.

    Raises:
        InputError: a missing input, an index built with other options, bad options.
        TooManyErrors: more rejects than ``config.max_errors`` (the run can be resumed).
    """
    config = config or PipelineConfig()
    started = time.monotonic()
    for path in inputs:
        if path != "-" and not os.path.exists(path):
            msg = f"input not found: {path}"
            raise InputError(msg)
    temporary = paths.output == "-" and paths.work_dir is None
    work = Path(paths.work_dir or (tempfile.mkdtemp(prefix="newsclean-") if temporary else f"{paths.output}.work"))
    store = None
    if paths.index:
        from .store import open_store

        store = open_store(paths.index)
        store.check_params(_index_params(config))
    try:
        run_id = _prepare_work_dir(work, _fingerprint(inputs, config, paths))
        progress = _Progress(bar=progress_bar)
        try:
            _run_chunks(read_inputs(inputs, input_format=config.input_format), work / "chunks", config, progress)
        except TooManyErrors:
            if paths.rejects:  # the rejects so far, so that the user can see why it stopped
                done = sorted(s.number for s in progress.chunks)
                _write_rejects(work / "chunks", done, paths.rejects)
            raise
        numbers = sorted(s.number for s in progress.chunks)
        labels = None
        sk = None
        if config.dedup:
            log.info("step 1 done: %d records in %d chunks (%.1f s)", progress.records, len(numbers),
                     time.monotonic() - started)
            sk = _load_sketches(work / "chunks", numbers, config)
            labels_path = work / "labels.npz"
            if labels_path.exists():
                labels = _load_labels(labels_path)
            else:
                labels = cluster_sketches(sk, store, config)
                log.info("step 2 done: %d clusters (%.1f s)", len(set(labels.cluster_id)), time.monotonic() - started)
                _save_labels(labels_path, labels)
                _kill_point("labels")
        written, rejects = _write_outputs(work / "chunks", numbers, labels, config, paths)
        log.info("step 3 done: %d rows written (%.1f s)", written, time.monotonic() - started)
        _kill_point("output")
        if store is not None and sk is not None and labels is not None:
            _commit_index(store, run_id, sk, labels)
            _kill_point("index")
        summary = _summary(progress, labels, written, rejects, time.monotonic() - started)
        _finish(work)
        return summary
    finally:
        if store is not None:
            store.close()
        if temporary:
            shutil.rmtree(work, ignore_errors=True)


def _summary(progress: _Progress, labels: _Labels | None, written: int, rejects: int, seconds: float) -> RunSummary:
    clusters = duplicates = seen = 0
    if labels is not None:
        unique = ~labels.duplicate_id
        clusters = len({c for c, u in zip(labels.cluster_id, unique, strict=True) if u})
        duplicates = int((unique & ~labels.representative).sum())
        seen = int(labels.seen.sum())
    return RunSummary(records_in=progress.records, records_out=written, rejects=rejects, clusters=clusters,
                      duplicates_removed=duplicates, seen_before=seen, chunks_resumed=progress.resumed,
                      seconds=round(seconds, 3))


def _finish(work: Path) -> None:
    """Remove the work directory: renamed first, so a crash here never looks resumable."""
    if not work.exists():
        return
    trash = work.with_name(f"{work.name}.done-{uuid.uuid4().hex[:8]}")
    os.replace(work, trash)
    shutil.rmtree(trash, ignore_errors=True)
