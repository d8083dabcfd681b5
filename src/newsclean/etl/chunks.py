"""Step 1 of a run: input items cut into chunks, each turned into rows and sketches.

Chunks are cut the same way whatever ``jobs`` is, so the output does not depend on it.
A chunk's ``.jsonl`` spool is renamed into place last: its presence means the chunk is
done, and a resumed run skips it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NewscleanError, RecordError, TooManyErrors
from .clusters import sketch_texts
from .config import PipelineConfig
from .readers import Record
from .records import ReadMeter
from .rows import article_text, computed_field, record_to_row, reject_entry, row_id
from .sites import strip_ahead
from .workdir import atomic_write_bytes, chunk_path
from .writers import dumps

__all__ = [
    "Chunk",
    "ChunkStats",
    "Progress",
    "check_errors",
    "process_chunk",
    "run_chunks",
    "worker_init",
]

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True, slots=True)
class Chunk:
    number: int
    items: list[Record | RecordError]
    folder: str
    config: PipelineConfig


@dataclass(frozen=True, slots=True)
class ChunkStats:
    number: int
    records: int
    rows: int
    rejects: int

    @classmethod
    def load(cls, path: Path) -> ChunkStats:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def process_chunk(chunk: Chunk, on_item: Callable[[int], None] | None = None) -> ChunkStats:
    """Turn one chunk into its files: ``.npz`` sketches, ``.ids``, ``.stats``, then ``.jsonl`` rows.

    The ``.jsonl`` file is renamed into place last: its presence means the chunk is done.
    ``on_item(i)`` is called after item ``i`` (the progress bar, in this process).
    """
    lines: list[bytes] = []
    texts: list[str] = []
    ids: list[str] = []
    rows = rejects = 0
    items = strip_ahead(chunk.items, chunk.config) if chunk.config.mode in ("strip", "auto") else chunk.items
    for position, item in enumerate(items):
        if on_item is not None and position:
            on_item(position - 1)
        result = record_to_row(item, chunk.config) if isinstance(item, Record) else item
        line = _spool_line(result, item)
        if isinstance(line, RecordError):
            result, line = line, _spool_line(line, item)
        assert isinstance(line, bytes)
        lines.append(line)
        if isinstance(result, RecordError):
            rejects += 1
            continue
        rows += 1
        ids.append(str(row_id(result, chunk.config.id_field)))
        text = article_text(result)
        status = computed_field(result, "status")
        texts.append(text if isinstance(text, str) and status == "ok" else "")
    if chunk.config.dedup:
        buffer = io.BytesIO()
        np.savez(buffer, **sketch_texts(texts, chunk.config))  # type: ignore[arg-type]
        atomic_write_bytes(chunk_path(chunk.folder, chunk.number, ".npz"), buffer.getvalue())
    atomic_write_bytes(chunk_path(chunk.folder, chunk.number, ".ids"), json.dumps(ids).encode("utf-8"))
    stats = ChunkStats(chunk.number, len(chunk.items), rows, rejects)
    atomic_write_bytes(chunk_path(chunk.folder, chunk.number, ".stats"), json.dumps(dataclasses.asdict(stats)).encode())
    atomic_write_bytes(chunk_path(chunk.folder, chunk.number, ".jsonl"), b"\n".join(lines) + b"\n")
    return stats


def _spool_line(result: dict[str, object] | RecordError, item: Record | RecordError) -> bytes | RecordError:
    """The chunk file's line for ``result``, or a located reject if the row cannot be written.

    A value that JSON or UTF-8 cannot hold (a lone surrogate from a library, a value
    nested too deep) rejects that record only.
    """
    if isinstance(result, RecordError):
        return dumps({"reject": reject_entry(result)}).encode("utf-8", "backslashreplace")
    try:
        line = dumps({"row": result, "where": item.where if isinstance(item, Record) else ""}).encode("utf-8")
    except (ValueError, RecursionError, TypeError) as exc:
        where = item if isinstance(item, Record) else None
        return RecordError(f"cannot write the row: {type(exc).__name__}: {exc}",
                           path=where.path if where else None, line=where.line if where else None)
    return line


def _chunks(
    items: Iterable[Record | RecordError], size: int, meter: ReadMeter
) -> Iterator[tuple[list[Record | RecordError], list[int]]]:
    """Blocks of ``size`` items, each with the bytes read after each of its items."""
    block: list[Record | RecordError] = []
    marks: list[int] = []
    for item in items:
        block.append(item)
        marks.append(meter.bytes_read)
        if len(block) == size:
            yield block, marks
            block, marks = [], []
    if block:
        yield block, marks


@dataclass
class Progress:
    """Counters of step 1 and the optional progress bar (mutable, local to one run).

    The bar (tqdm-like: ``update(n)``) counts records, or input bytes when ``unit`` is
    ``"bytes"`` (inputs without a known record count: WARC, stdin). With one job it
    moves after each record; with workers, after each chunk.
    """

    bar: Any = None
    unit: str = "records"
    meter: ReadMeter = field(default_factory=ReadMeter)
    records: int = 0
    rejects: int = 0
    resumed: int = 0
    shown: int = 0
    chunks: list[ChunkStats] = field(default_factory=list)

    def _show(self, value: int) -> None:
        if self.bar is not None and value > self.shown:
            self.bar.update(value - self.shown)
            self.shown = value

    def item(self, i: int, marks: Sequence[int]) -> None:
        """Item ``i`` of the chunk being processed (marks: bytes read after each item) is done."""
        self._show(marks[i] if self.unit == "bytes" else self.records + i + 1)

    def done(self, stats: ChunkStats, marks: Sequence[int], *, resumed: bool = False) -> None:
        """A chunk is done (or found done)."""
        self.chunks.append(stats)
        self.records += stats.records
        self.rejects += stats.rejects
        self.resumed += int(resumed)
        self._show(marks[-1] if self.unit == "bytes" and marks else self.records)


def check_errors(progress: Progress, config: PipelineConfig) -> None:
    if config.max_errors is not None and progress.rejects > config.max_errors:
        msg = (
            f"{progress.rejects} records rejected, more than --max-errors {config.max_errors}; "
            "stopped (see the rejects file; run again with a higher limit to continue)"
        )
        raise TooManyErrors(msg)


def run_chunks(
    items: Iterable[Record | RecordError], folder: Path, config: PipelineConfig, progress: Progress
) -> None:
    """Step 1: every chunk not already done, in this process or in ``jobs`` workers."""
    folder.mkdir(parents=True, exist_ok=True)
    blocks = enumerate(_chunks(items, config.chunk_size, progress.meter))

    def pending() -> Iterator[tuple[Chunk, list[int]]]:
        for number, (block, marks) in blocks:
            if chunk_path(folder, number, ".jsonl").exists():
                stats = ChunkStats.load(chunk_path(folder, number, ".stats"))
                progress.done(stats, marks, resumed=True)
                continue
            yield Chunk(number, block, str(folder), config), marks

    if config.jobs == 1:
        for chunk, marks in pending():
            stats = process_chunk(chunk, functools.partial(progress.item, marks=marks))
            progress.done(stats, marks)
            check_errors(progress, config)
        return
    # Bounded window of chunks in flight: the input is never read far ahead (memory).
    pool = ProcessPoolExecutor(max_workers=config.jobs, mp_context=get_context("spawn"),
                               initializer=worker_init, initargs=(os.getpid(),))
    try:
        window: list[tuple[Future[ChunkStats], list[int]]] = []
        for chunk, marks in pending():
            window.append((pool.submit(process_chunk, chunk), marks))
            while len(window) >= 2 * config.jobs:
                future, done_marks = window.pop(0)
                progress.done(_result(future), done_marks)
                check_errors(progress, config)
        for future, done_marks in window:
            progress.done(_result(future), done_marks)
        check_errors(progress, config)
    except BaseException:
        _stop_workers(pool)  # Ctrl-C, SIGTERM, too many errors: workers go now, not after their chunk
        raise
    pool.shutdown(wait=True)


def _result(future: Future[ChunkStats]) -> ChunkStats:
    try:
        return future.result()
    except BrokenProcessPool:
        msg = (
            "a worker process died (killed, out of memory, or it could not start). If you call "
            "run_pipeline with jobs > 1 from a script, put the call under "
            "'if __name__ == \"__main__\":' (worker processes import the script again)"
        )
        raise NewscleanError(msg) from None


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and kill the workers (their chunk files are written atomically)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


def worker_init(parent: int) -> None:
    """Set up a worker: it dies with its parent, and leaves Ctrl-C and SIGTERM to it.

    On Linux the kernel kills the worker when the parent dies (``PR_SET_PDEATHSIG``),
    even by ``kill -9``; elsewhere a watchdog thread sees the parent go within a second.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="newsclean-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)
