"""Step 1 of a run: input items cut into chunks, each turned into rows and sketches.

Chunks are cut the same way whatever ``jobs`` is, so the output does not depend on it.
A chunk's ``.jsonl`` spool is renamed into place last: its presence means the chunk is
done, and a resumed run skips it.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import RecordError, TooManyErrors
from .clusters import sketch_texts
from .config import PipelineConfig
from .readers import Record
from .rows import record_to_row, reject_entry
from .workdir import atomic_write_bytes, chunk_path, kill_point
from .writers import dumps

__all__ = ["Chunk", "ChunkStats", "Progress", "check_errors", "process_chunk", "run_chunks"]


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


def process_chunk(chunk: Chunk) -> ChunkStats:
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
            lines.append(dumps({"reject": reject_entry(result)}))
            continue
        rows += 1
        ids.append(str(result[chunk.config.id_field]))
        lines.append(dumps({"row": result, "where": item.where if isinstance(item, Record) else ""}))
        text = result.get("text")
        texts.append(text if isinstance(text, str) and result.get("status") == "ok" else "")
    if chunk.config.dedup:
        buffer = io.BytesIO()
        np.savez(buffer, **sketch_texts(texts, chunk.config))  # type: ignore[arg-type]
        atomic_write_bytes(chunk_path(chunk.folder, chunk.number, ".npz"), buffer.getvalue())
    atomic_write_bytes(chunk_path(chunk.folder, chunk.number, ".ids"), json.dumps(ids).encode("utf-8"))
    stats = ChunkStats(chunk.number, len(chunk.items), rows, rejects)
    atomic_write_bytes(chunk_path(chunk.folder, chunk.number, ".stats"), json.dumps(dataclasses.asdict(stats)).encode())
    atomic_write_bytes(chunk_path(chunk.folder, chunk.number, ".jsonl"), ("\n".join(lines) + "\n").encode("utf-8"))
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
class Progress:
    """Counters of step 1 and the optional progress bar (mutable, local to one run)."""

    bar: Any = None
    records: int = 0
    rejects: int = 0
    resumed: int = 0
    chunks: list[ChunkStats] = field(default_factory=list)

    def done(self, stats: ChunkStats, *, resumed: bool = False) -> None:
        self.chunks.append(stats)
        self.records += stats.records
        self.rejects += stats.rejects
        self.resumed += int(resumed)
        if self.bar is not None:
            self.bar.update(stats.records)


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
    todo = (
        Chunk(number, block, str(folder), config)
        for number, block in enumerate(_chunks(items, config.chunk_size))
    )

    def pending() -> Iterator[Chunk]:
        for chunk in todo:
            done = chunk_path(folder, chunk.number, ".jsonl")
            if done.exists():
                progress.done(ChunkStats.load(chunk_path(folder, chunk.number, ".stats")), resumed=True)
                continue
            yield chunk

    if config.jobs == 1:
        for chunk in pending():
            progress.done(process_chunk(chunk))
            kill_point(f"chunk-{chunk.number}")
            check_errors(progress, config)
        return
    # Bounded window of chunks in flight: the input is never read far ahead (memory).
    with ProcessPoolExecutor(max_workers=config.jobs, mp_context=get_context("spawn")) as pool:
        window: list[Future[ChunkStats]] = []
        for chunk in pending():
            window.append(pool.submit(process_chunk, chunk))
            while len(window) >= 2 * config.jobs:
                progress.done(window.pop(0).result())
                check_errors(progress, config)
        for future in window:
            progress.done(future.result())
        check_errors(progress, config)

