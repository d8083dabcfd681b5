"""The run itself: :func:`run_pipeline`, records -> articles -> near-duplicate clusters -> files.

:func:`run_pipeline` is the engine behind the ``newsclean`` command. It works in four
steps, each leaving a marker in a *work directory* so that a killed run, started again
with the same command, continues where it stopped and ends with the same output as
one clean run (nothing lost, nothing counted twice):

1. **Chunks** (:mod:`newsclean.etl.chunks`). Input items (records and located read
   errors) are cut into chunks of ``chunk_size`` items, in input order. Each chunk is
   turned into rows (extract, strip or plain text; normalized) and, for dedup, into
   per-document *sketches* (:class:`newsclean.duplicates.Sketch`: signature, band keys,
   shingle hashes, the figures rule's word hashes; no text), by this process or by ``jobs`` worker processes. A worker writes its
   chunk's files under temporary names and renames them when done, so a chunk is
   either complete or absent.
2. **Clusters** (:mod:`newsclean.etl.clusters`). Only the sketches are loaded: LSH
   candidates within the run and against the persistent index, verified and clustered
   by the library's own rules (:mod:`newsclean.duplicates`).
3. **Write** (:mod:`newsclean.etl.output`). The chunk files are streamed again, each
   row gets ``cluster_id``, ``is_representative`` and ``similarity``, and the output
   (JSONL or Parquet), the rejects file and the clusters table are written under
   temporary names and renamed.
4. **Index.** The new documents go into the persistent index in one transaction
   tagged with the run's id; a repeated commit of the same run is a no-op.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError, TooManyErrors
from .chunks import Progress, run_chunks
from .clusters import (
    Labels,
    cluster_chunks,
    commit_chunks,
    load_labels,
    save_labels,
)
from .config import PipelineConfig, RunPaths, RunSummary
from .indexes import WithoutRun, index_errors, open_index
from .lock import file_lock, index_lock
from .mapped import MAPPED_FOLDER
from .output import check_paths, write_outputs, write_rejects
from .readers import read_inputs
from .sites import strip_per_site
from .workdir import (
    LOCK_NAME,
    check_work_dir,
    fingerprint,
    finish,
    prepare_work_dir,
    remove_if_empty,
    work_dir_for,
)

__all__ = ["run_pipeline"]

log = logging.getLogger(__name__)


def run_pipeline(
    inputs: Sequence[str],
    paths: RunPaths,
    config: PipelineConfig | None = None,
    *,
    progress_bar: Any = None,
    progress_unit: str = "records",
) -> RunSummary:
    """Run the whole ETL over ``inputs`` (see the module docstring for the steps).

    Args:
        inputs: files, directories or ``"-"`` (see :func:`newsclean.io.read_records`).
        paths: output, rejects, clusters, index and work directory.
        config: options (:class:`PipelineConfig`).
        progress_bar: a tqdm-like object (``update(n)``), or ``None``.
        progress_unit: what the bar counts: ``"records"``, or ``"bytes"`` of input read
            (for inputs whose record count is not known in advance: WARC, stdin).

    Returns:
        A :class:`RunSummary`.

    Raises:
        InputError: a missing input, bad options or paths, an index built with other options.
        InUseError: another run holds the index or the work directory (nothing written).
        IndexUnusableError: the index is damaged, foreign, read-only or unreachable.
        TooManyErrors: more rejects than ``config.max_errors`` (the run can be resumed).
    """
    config = config or PipelineConfig()
    started = time.monotonic()
    if progress_unit not in ("records", "bytes"):
        msg = f"progress_unit must be 'records' or 'bytes', got {progress_unit!r}"
        raise InputError(msg)
    for path in inputs:
        if path != "-" and not os.path.exists(path):
            msg = f"input not found: {path}"
            raise InputError(msg)
    check_paths(paths, inputs)
    work, temporary = work_dir_for(paths)
    check_work_dir(work)
    with contextlib.ExitStack() as stack:
        if temporary:
            stack.callback(shutil.rmtree, work, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        stack.callback(remove_if_empty, work)
        stack.enter_context(file_lock(work / LOCK_NAME, f"the work directory {work}"))
        store = None
        if paths.index:
            with index_errors(paths.index):  # Redis unreachable: exit 6, not a traceback
                stack.enter_context(index_lock(paths.index))
            store = open_index(paths.index, config)
            stack.callback(store.close)
        progress = Progress(bar=progress_bar, unit=progress_unit)
        summary = _steps(inputs, paths, config, work, store, progress, started)
        finish(work)
    return summary


def _steps(
    inputs: Sequence[str], paths: RunPaths, config: PipelineConfig, work: Path, store: Any,
    progress: Progress, started: float,
) -> RunSummary:
    """Steps 1 to 4 in the locked work directory."""
    run_id = prepare_work_dir(work, fingerprint(inputs, config, paths))
    try:
        items = read_inputs(inputs, input_format=config.input_format, max_record_bytes=config.max_record_bytes,
                            meter=progress.meter)
        if config.site_field is not None and config.mode in ("strip", "auto"):
            items = strip_per_site(items, config)
        run_chunks(items, work / "chunks", config, progress)
    except TooManyErrors:
        if paths.rejects:  # the rejects so far, so that the user can see why it stopped
            done = sorted(s.number for s in progress.chunks)
            write_rejects(work / "chunks", done, paths.rejects)
        raise
    numbers = sorted(s.number for s in progress.chunks)
    labels = None
    if config.dedup:
        log.info("step 1 done: %d records in %d chunks (%.1f s)", progress.records, len(numbers),
                 time.monotonic() - started)
        labels_path = work / "labels.npz"
        if labels_path.exists():
            labels = load_labels(labels_path)
        else:
            with index_errors(paths.index):
                labels = cluster_chunks(
                    work / "chunks", numbers,
                    lambda ids: WithoutRun(store, run_id, ids) if store is not None else None, config,
                    work / MAPPED_FOLDER,
                )
            log.info("step 2 done: %d clusters (%.1f s)", len(set(labels.cluster_id)), time.monotonic() - started)
            save_labels(labels_path, labels)
    written, rejects = write_outputs(work / "chunks", numbers, labels, config, paths)
    log.info("step 3 done: %d rows written (%.1f s)", written, time.monotonic() - started)
    if store is not None and labels is not None:
        with index_errors(paths.index):
            commit_chunks(store, run_id, work / "chunks", numbers, labels, config, work / MAPPED_FOLDER)
    return _summary(progress, labels, written, rejects, time.monotonic() - started)


def _summary(progress: Progress, labels: Labels | None, written: int, rejects: int, seconds: float) -> RunSummary:
    clusters = duplicates = seen = 0
    if labels is not None:
        unique = ~labels.duplicate_id
        clusters = len({c for c, u in zip(labels.cluster_id, unique, strict=True) if u})
        duplicates = int((unique & ~labels.representative).sum())
        seen = int(labels.seen.sum())
    return RunSummary(records_in=progress.records, records_out=written, rejects=rejects, clusters=clusters,
                      duplicates_removed=duplicates, seen_before=seen, skipped=progress.meter.skipped,
                      chunks_resumed=progress.resumed,
                      seconds=round(seconds, 3))
