"""``newsclean reuse`` through the ETL's path: the same readers, rows, ids, rejects and outputs.

The matches are :func:`newsclean.find_reuse`'s (the same functions of
:mod:`newsclean.reuse` decide them), found in bounded memory whatever the input's size:

1. records are read in turn; each document's paragraphs are keyed in batches
   (:func:`newsclean.reuse.unit_keys`), their texts written to a spill file (their
   spans kept) and the keys to partition files by shingle hash;
2. each partition (split again by further hash bits while it holds more than
   ``_PARTITION_KEYS`` keys) gives the shared-shingle counts of its pairs
   (:func:`newsclean.reuse.shared_counts`), written to bucket files by pair;
3. each bucket sums its pairs' counts and keeps the reuse
   (:func:`newsclean.reuse.accepted`), written to one file;
4. that file is split by the rank of each match's first document and sorted a range at a
   time (:func:`newsclean.find_reuse`'s order); the matches' paragraphs are read back from
   the spill file.

Memory holds a few numbers per document and paragraph, one partition or bucket, and
one range of matches (``_SORT_ROWS``, or one document's matches); the spill files (about
the texts' size plus 8 bytes a shingle and 40 bytes a match) live in a temporary
directory (in ``spill_dir``, default ``TMPDIR``) that is removed at the end. Everything
else (limits, located rejects, derived ids, output names, ``max_errors``) is the one of
:func:`run_pipeline`.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import tempfile
import time
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from ..errors import InputError, RecordError, TooManyErrors, config_of
from ..reuse import (
    ReuseConfig,
    ReuseMatch,
    accepted,
    new_match,
    paragraphs,
    shared_counts,
    spans_of,
    unit_keys,
)
from .config import PipelineConfig, RunPaths, RunSummary
from .output import LOGGED_REJECTS, check_paths
from .readers import read_inputs
from .records import Record
from .rows import article_text, record_to_row, reject_entry, row_id
from .workdir import tmp_name
from .writers import open_writer

__all__ = ["run_reuse"]

log = logging.getLogger(__name__)


def _load(
    inputs: Sequence[str], paths: RunPaths, config: PipelineConfig, spill: _Spill
) -> tuple[int, int]:
    """Texts and ids of the good records into ``spill``; rejects written (or logged) as
    they come. Returns the records read and rejected."""
    seen: set[str] = set()
    writer = open_writer(tmp_name(paths.rejects), output="jsonl", final=paths.rejects) if paths.rejects else None
    n_in = n_bad = 0
    try:
        items = read_inputs(inputs, input_format=config.input_format, max_record_bytes=config.max_record_bytes)
        for item in items:
            n_in += 1
            result = record_to_row(item, config) if isinstance(item, Record) else item
            if isinstance(result, dict):
                doc_id = str(row_id(result, config.id_field))
                if doc_id in seen:
                    result = RecordError(f"duplicate id {doc_id!r} in this run; first one kept",
                                         path=item.path if isinstance(item, Record) else None,
                                         line=item.line if isinstance(item, Record) else None)
                else:
                    seen.add(doc_id)
                    spill.add(doc_id, str(article_text(result) or ""))
                    continue
            n_bad += 1
            if writer is not None:
                writer.write(reject_entry(result))
            elif n_bad <= LOGGED_REJECTS:
                log.warning("rejected %s", result)
            if config.max_errors is not None and n_bad > config.max_errors:
                msg = f"{n_bad} records rejected, more than --max-errors {config.max_errors}; stopped"
                raise TooManyErrors(msg)
    finally:
        if writer is not None and paths.rejects:
            writer.close()
            os.replace(tmp_name(paths.rejects), paths.rejects)
    return n_in, n_bad


def run_reuse(
    inputs: Sequence[str], paths: RunPaths, config: PipelineConfig, reuse: ReuseConfig | None = None,
    *, spill_dir: str | os.PathLike[str] | None = None,
) -> RunSummary:
    """Paragraph pairs reused between the documents of ``inputs``, written to ``paths.output``.

    ``reuse``: the matching options (:class:`newsclean.ReuseConfig`; default its defaults).
    ``spill_dir``: an existing directory where the run makes its temporary directory
    (``newsclean-reuse-*``, removed at the end; default: ``TMPDIR``).

    Raises:
        InputError: a missing input, bad output names, a ``spill_dir`` that is not a
            directory.
        TooManyErrors: more rejects than ``config.max_errors`` (rejects file written).
    """
    started = time.monotonic()
    for path in inputs:
        if path != "-" and not os.path.exists(path):
            msg = f"input not found: {path}"
            raise InputError(msg)
    check_paths(paths, inputs)
    if spill_dir is not None and not os.path.isdir(spill_dir):
        msg = f"--spill-dir is not a directory: {os.fspath(spill_dir)}"
        raise InputError(msg)
    with tempfile.TemporaryDirectory(prefix="newsclean-reuse-", dir=spill_dir) as folder:
        spill = _Spill(Path(folder), config_of(reuse, ReuseConfig, "run_reuse()"))
        try:
            n_in, n_bad = _load(inputs, paths, dataclasses.replace(config, mode="text", dedup=False), spill)
            spill.flush()
        finally:
            spill.close_inputs()
        out = paths.output if paths.output == "-" else tmp_name(paths.output)
        writer = open_writer(out, final=paths.output)
        n_out = 0
        names = [f.name for f in dataclasses.fields(ReuseMatch)]
        for match in spill.matches():
            # a row of JSON values (the spans as lists, for every writer, Parquet's too)
            values = [getattr(match, name) for name in names]
            writer.write({name: list(value) if isinstance(value, tuple) else value
                          for name, value in zip(names, values, strict=True)})
            n_out += 1
        writer.close()
        spill.close()
    if paths.output != "-":
        os.replace(out, paths.output)
    return RunSummary(records_in=n_in, records_out=n_out, rejects=n_bad,
                      seconds=round(time.monotonic() - started, 3))


#: Partitions (and buckets) per split; keys a partition may hold before it is split again.
_FANOUT = 64
_PARTITION_KEYS = 4_000_000
#: Matches sorted in memory at once (about 100 bytes each while sorted).
_SORT_ROWS = 1_000_000
#: Documents keyed together (and at most this many characters of text).
_BATCH_DOCS, _BATCH_CHARS = 2_000, 8_000_000


class _Spill:
    """The documents of one ``newsclean reuse`` run on disk, and the matches found in them."""

    def __init__(self, folder: Path, config: ReuseConfig) -> None:
        self.folder, self.config = folder, config
        self.ids: list[str] = []
        # per paragraph: document, index in it, distinct shingles, span in the document's
        # text, and where its text lies in the paragraphs file
        self.unit_doc, self.unit_para, self.sizes = array("q"), array("q"), array("q")
        self.span_start, self.span_end, self.offsets = array("q"), array("q"), array("q", [0])
        self.batch: list[tuple[int, str]] = []
        self.batch_chars = 0
        self.texts = open(folder / "paragraphs", "wb")  # noqa: SIM115 (closed by close_inputs)
        self.parts = [open(folder / f"keys-{p}", "wb") for p in range(_FANOUT)]  # noqa: SIM115
        self.reader: Any = None

    def add(self, doc_id: str, text: str) -> None:
        self.ids.append(doc_id)
        self.batch.append((len(self.ids) - 1, text))
        self.batch_chars += len(text)
        if len(self.batch) >= _BATCH_DOCS or self.batch_chars >= _BATCH_CHARS:
            self.flush()

    def flush(self) -> None:
        """Key the documents added since the last flush."""
        if not self.batch:
            return
        units: list[str] = []
        first = len(self.unit_doc)
        for doc, text in self.batch:
            paras = paragraphs(text)
            for p, (para, (start, end)) in enumerate(zip(paras, spans_of(text, paras), strict=True)):
                units.append(para)
                self.unit_doc.append(doc)
                self.unit_para.append(p)
                self.span_start.append(start)
                self.span_end.append(end)
                data = para.encode("utf-8", "surrogatepass")
                self.texts.write(data)
                self.offsets.append(self.offsets[-1] + len(data))
        if len(self.unit_doc) >= 2**32:
            msg = "newsclean reuse compares at most 2**32 paragraphs in one run; split the input"
            raise InputError(msg)
        key, sizes = unit_keys(units, first, self.config)
        self.sizes.extend(sizes.tolist())
        _write_split(key, self.parts, _KEYS, 0)
        self.batch, self.batch_chars = [], 0

    def close_inputs(self) -> None:
        self.texts.close()
        for part in self.parts:
            part.close()

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()

    def matches(self) -> Iterator[ReuseMatch]:
        """Every match, in :func:`newsclean.find_reuse`'s order."""
        unit_doc = np.frombuffer(self.unit_doc, dtype=np.int64)
        sizes = np.frombuffer(self.sizes, dtype=np.int64)
        n_units = max(len(unit_doc), 1)
        buckets = [open(self.folder / f"pairs-{b}", "wb") for b in range(_FANOUT)]  # noqa: SIM115
        try:
            for p in range(_FANOUT):
                for key in _partitions(self.folder / f"keys-{p}", _KEYS, 1):
                    pairs, shared = shared_counts(unit_doc, np.sort(key.ravel()), self.config.max_df)
                    codes = pairs[:, 0] * np.int64(n_units) + pairs[:, 1]
                    _write_split(np.stack((codes, shared), axis=1), buckets, _PAIRS, 0)
        finally:
            for bucket in buckets:
                bucket.close()
        rank = np.empty(len(self.ids), dtype=np.int64)
        rank[sorted(range(len(self.ids)), key=self.ids.__getitem__)] = np.arange(len(self.ids))
        unit_para = np.frombuffer(self.unit_para, dtype=np.int64)
        # accepted pairs, oriented (first unit's document before the second's), to one file;
        # how many each document has first, for the ranges sorted one at a time below
        per_doc = np.zeros(len(self.ids), dtype=np.int64)
        with open(self.folder / "found", "wb") as found:
            for b in range(_FANOUT):
                for rows in _partitions(self.folder / f"pairs-{b}", _PAIRS, 1):
                    codes, inverse = np.unique(rows[:, 0], return_inverse=True)
                    shared = np.bincount(inverse, weights=rows[:, 1]).astype(np.int64)
                    pairs = np.stack((codes // n_units, codes % n_units), axis=1)
                    pairs, shared, jaccard, containment = accepted(pairs, shared, sizes, self.config)
                    u, v = pairs[:, 0], pairs[:, 1]
                    swap = rank[unit_doc[u]] > rank[unit_doc[v]]
                    first, second = np.where(swap, v, u), np.where(swap, u, v)
                    per_doc += np.bincount(rank[unit_doc[first]], minlength=len(self.ids))
                    table = np.column_stack((first, second, shared, jaccard, containment))
                    found.write(np.ascontiguousarray(table, dtype=np.float64).tobytes())
        self.reader = open(self.folder / "paragraphs", "rb")  # noqa: SIM115 (closed by close)
        text = functools.lru_cache(maxsize=65536)(self._paragraph)
        for table in _ranges(self.folder / "found", per_doc, rank[unit_doc], self.folder):
            first, second = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
            order = np.lexsort((unit_para[second], rank[unit_doc[second]], unit_para[first], rank[unit_doc[first]]))
            for i in order.tolist():
                a, b = int(first[i]), int(second[i])
                doc_a, doc_b = int(unit_doc[a]), int(unit_doc[b])
                yield new_match(self.ids[doc_a], int(unit_para[a]), self.ids[doc_b], int(unit_para[b]),
                                table[i, 3], table[i, 4], int(table[i, 2]), text(a), text(b),
                                (self.span_start[a], self.span_end[a]), (self.span_start[b], self.span_end[b]))

    def _paragraph(self, unit: int) -> str:
        start, end = self.offsets[unit], self.offsets[unit + 1]
        self.reader.seek(start)
        return str(self.reader.read(end - start).decode("utf-8", "surrogatepass"))


def _ranges(path: Path, per_doc: npt.NDArray[np.int64], unit_rank: npt.NDArray[np.int64],
            folder: Path) -> Iterator[npt.NDArray[np.float64]]:
    """The accepted rows of ``path`` (first unit, second unit, shared, Jaccard, containment),
    in ranges of their first document's rank, in rank order, each range holding at most
    ``_SORT_ROWS`` rows (or one document's rows; at most ``_FANOUT`` ranges, so a range may
    hold more when there are more than ``_FANOUT * _SORT_ROWS`` rows). ``per_doc[r]``: the
    rows whose first unit is in the document of rank ``r``; ``unit_rank``: each unit's
    document rank. The file is removed once read."""
    total = int(per_doc.sum())
    if total <= _SORT_ROWS:
        data = np.fromfile(path, dtype=np.float64).reshape(-1, 5)
        path.unlink()
        yield data
        return
    size = max(_SORT_ROWS, -(-total // _FANOUT))
    # range of each document rank: a new range starts where the running count passes a multiple of size
    ends = np.cumsum(per_doc)
    range_of = np.minimum((ends - per_doc) // size, _FANOUT - 1)
    n_ranges = int(range_of[-1]) + 1
    files = [open(folder / f"range-{r}", "wb") for r in range(n_ranges)]  # noqa: SIM115
    try:
        with open(path, "rb") as source:
            while chunk := source.read(40 * _SORT_ROWS):
                rows = np.frombuffer(chunk, dtype=np.float64).reshape(-1, 5)
                where = range_of[unit_rank[rows[:, 0].astype(np.int64)]]
                order = np.argsort(where, kind="stable")
                cuts = np.searchsorted(where[order], np.arange(n_ranges + 1))
                for r in range(n_ranges):
                    if cuts[r + 1] > cuts[r]:
                        files[r].write(np.ascontiguousarray(rows[order[cuts[r]:cuts[r + 1]]]).tobytes())
    finally:
        for handle in files:
            handle.close()
    path.unlink()
    for r in range(n_ranges):
        sub = folder / f"range-{r}"
        data = np.fromfile(sub, dtype=np.float64).reshape(-1, 5)
        sub.unlink()
        yield data


#: What a spill file holds: shingle keys (``hash << 32 | unit``, split by hash bits) or
#: ``(pair code, shared count)`` rows (split by bits of a mix of the code).
_KEYS, _PAIRS = "keys", "pairs"


def _bits(rows: npt.NDArray[Any], kind: str, level: int) -> npt.NDArray[np.int64]:
    """Which of ``_FANOUT`` files each row goes to at split ``level`` (6 bits a level)."""
    if kind == _PAIRS:
        mixed = rows[:, 0].astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        where = (mixed >> np.uint64(58 - 6 * level)) & np.uint64(_FANOUT - 1)
    else:
        where = (rows >> np.uint64(32 + 6 * level)) & np.uint64(_FANOUT - 1)
    return np.asarray(where, dtype=np.int64)


def _write_split(rows: npt.NDArray[Any], files: Sequence[IO[bytes]], kind: str, level: int) -> None:
    """Append ``rows`` to ``files`` by :func:`_bits`."""
    if not len(rows):
        return
    where = _bits(rows, kind, level)
    order = np.argsort(where, kind="stable")
    cuts = np.searchsorted(where[order], np.arange(_FANOUT + 1))
    for p in range(_FANOUT):
        if cuts[p + 1] > cuts[p]:
            files[p].write(np.ascontiguousarray(rows[order[cuts[p]:cuts[p + 1]]]).tobytes())


def _partitions(path: Path, kind: str, level: int) -> Iterator[npt.NDArray[Any]]:
    """The rows of one spill file, split again by the next bits while it holds more than
    ``_PARTITION_KEYS`` rows (the rows of one hash, or of one pair, stay together); each
    file is removed once read."""
    dtype, width = (np.uint64, 1) if kind == _KEYS else (np.int64, 2)
    rows = path.stat().st_size // (8 * width)
    if rows <= _PARTITION_KEYS or level >= 5:
        data = np.fromfile(path, dtype=dtype)
        path.unlink()
        yield data if width == 1 else data.reshape(-1, 2)
        return
    subs = [path.with_name(f"{path.name}-{p}") for p in range(_FANOUT)]
    files = [open(sub, "wb") for sub in subs]  # noqa: SIM115
    try:
        with open(path, "rb") as source:
            while chunk := source.read(8 * width * _PARTITION_KEYS):
                part = np.frombuffer(chunk, dtype=dtype)
                _write_split(part if width == 1 else part.reshape(-1, 2), files, kind, level)
    finally:
        for handle in files:
            handle.close()
    path.unlink()
    for sub in subs:
        yield from _partitions(sub, kind, level + 1)
