"""The run itself: :func:`run_pipeline`, records -> articles -> near-duplicate clusters -> files.

:func:`run_pipeline` is the engine behind the ``newsclean`` command. It works in four
steps, each leaving a marker in a *work directory* so that a killed run, started again
with the same command, continues where it stopped and ends with the same output as
one clean run (nothing lost, nothing counted twice):

1. **Chunks** (:mod:`newsclean.etl.chunks`). Input items (records and located read
   errors) are cut into chunks of ``chunk_size`` items, in input order. Each chunk is
   turned into rows (extract, strip or plain text; normalized) and, for dedup, into
   per-document *sketches* (MinHash signature, LSH band keys, shingle count, hashed
   figures), by this process or by ``jobs`` worker processes. A worker writes its
   chunk's files under temporary names and renames them when done, so a chunk is
   either complete or absent.
2. **Clusters** (:mod:`newsclean.etl.clusters`). Only the sketches are loaded: LSH
   candidates within the run and against the persistent index, verification,
   connected components in id order.
3. **Write** (:mod:`newsclean.etl.output`). The chunk files are streamed again, each
   row gets ``cluster_id``, ``is_representative`` and ``similarity``, and the output
   (JSONL or Parquet), the rejects file and the clusters table are written under
   temporary names and renamed.
4. **Index.** The new documents go into the persistent index in one transaction
   tagged with the run's id; a repeated commit of the same run is a no-op.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError, TooManyErrors
from .chunks import Progress, run_chunks
from .clusters import (
    Labels,
    cluster_sketches,
    commit_index,
    index_params,
    load_labels,
    load_sketches,
    save_labels,
)
from .config import PipelineConfig, RunPaths, RunSummary
from .output import write_outputs, write_rejects
from .readers import read_inputs
from .workdir import fingerprint, finish, kill_point, prepare_work_dir

__all__ = ["run_pipeline"]

log = logging.getLogger(__name__)


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
        from ..store import open_store

        store = open_store(paths.index)
        store.check_params(index_params(config))
    try:
        run_id = prepare_work_dir(work, fingerprint(inputs, config, paths))
        progress = Progress(bar=progress_bar)
        try:
            run_chunks(read_inputs(inputs, input_format=config.input_format), work / "chunks", config, progress)
        except TooManyErrors:
            if paths.rejects:  # the rejects so far, so that the user can see why it stopped
                done = sorted(s.number for s in progress.chunks)
                write_rejects(work / "chunks", done, paths.rejects)
            raise
        numbers = sorted(s.number for s in progress.chunks)
        labels = None
        sk = None
        if config.dedup:
            log.info("step 1 done: %d records in %d chunks (%.1f s)", progress.records, len(numbers),
                     time.monotonic() - started)
            sk = load_sketches(work / "chunks", numbers, config)
            labels_path = work / "labels.npz"
            if labels_path.exists():
                labels = load_labels(labels_path)
            else:
                labels = cluster_sketches(sk, store, config)
                log.info("step 2 done: %d clusters (%.1f s)", len(set(labels.cluster_id)), time.monotonic() - started)
                save_labels(labels_path, labels)
                kill_point("labels")
        written, rejects = write_outputs(work / "chunks", numbers, labels, config, paths)
        log.info("step 3 done: %d rows written (%.1f s)", written, time.monotonic() - started)
        kill_point("output")
        if store is not None and sk is not None and labels is not None:
            commit_index(store, run_id, sk, labels)
            kill_point("index")
        summary = _summary(progress, labels, written, rejects, time.monotonic() - started)
        finish(work)
        return summary
    finally:
        if store is not None:
            store.close()
        if temporary:
            shutil.rmtree(work, ignore_errors=True)


def _summary(progress: Progress, labels: Labels | None, written: int, rejects: int, seconds: float) -> RunSummary:
    clusters = duplicates = seen = 0
    if labels is not None:
        unique = ~labels.duplicate_id
        clusters = len({c for c, u in zip(labels.cluster_id, unique, strict=True) if u})
        duplicates = int((unique & ~labels.representative).sum())
        seen = int(labels.seen.sum())
    return RunSummary(records_in=progress.records, records_out=written, rejects=rejects, clusters=clusters,
                      duplicates_removed=duplicates, seen_before=seen, chunks_resumed=progress.resumed,
                      seconds=round(seconds, 3))
