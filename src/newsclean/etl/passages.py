"""``newsclean reuse`` through the ETL's path: the same readers, rows, ids, rejects and outputs.

Passage reuse (:func:`newsclean.find_reuse`) compares every pair of documents of one
batch, so the texts are held in memory; everything else (limits, located rejects,
derived ids, output names, ``max_errors``) is the one of :func:`run_pipeline`.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from collections.abc import Sequence

from ..errors import InputError, RecordError, TooManyErrors
from .config import PipelineConfig, RunPaths, RunSummary
from .output import LOGGED_REJECTS, check_paths
from .readers import read_inputs
from .records import Record
from .rows import article_text, record_to_row, reject_entry, row_id
from .workdir import tmp_name
from .writers import dumps, open_writer

__all__ = ["run_reuse"]

log = logging.getLogger(__name__)


def _load(inputs: Sequence[str], paths: RunPaths, config: PipelineConfig) -> tuple[list[str], list[str], int, int]:
    """Texts and ids of the good records; rejects written (or logged) as they come."""
    texts: list[str] = []
    ids: list[str] = []
    seen: set[str] = set()
    writer = open_writer(tmp_name(paths.rejects), output="jsonl") if paths.rejects else None
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
                    ids.append(doc_id)
                    texts.append(str(article_text(result) or ""))
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
    return texts, ids, n_in, n_bad


def run_reuse(inputs: Sequence[str], paths: RunPaths, config: PipelineConfig) -> RunSummary:
    """Paragraph pairs reused between the documents of ``inputs``, written to ``paths.output``.

    Raises:
        InputError: a missing input, bad output names.
        TooManyErrors: more rejects than ``config.max_errors`` (rejects file written).
    """
    from ..reuse import find_reuse

    started = time.monotonic()
    for path in inputs:
        if path != "-" and not os.path.exists(path):
            msg = f"input not found: {path}"
            raise InputError(msg)
    check_paths(paths, inputs)
    texts, ids, n_in, n_bad = _load(inputs, paths, dataclasses.replace(config, mode="text", dedup=False))
    result = find_reuse(texts, ids)
    out = paths.output if paths.output == "-" else tmp_name(paths.output)
    writer = open_writer(out)
    for match in result.matches:
        writer.write(json.loads(dumps({f.name: getattr(match, f.name) for f in dataclasses.fields(match)})))
    writer.close()
    if paths.output != "-":
        os.replace(out, paths.output)
    return RunSummary(records_in=n_in, records_out=len(result.matches), rejects=n_bad,
                      seconds=round(time.monotonic() - started, 3))
