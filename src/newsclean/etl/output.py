"""Step 3 of a run: the output, rejects and clusters files, each written then renamed."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .clusters import Labels
from .config import PipelineConfig, RunPaths
from .workdir import entries, row_ids, tmp_name
from .writers import infer_schema, open_writer, output_format

__all__ = ["LOGGED_REJECTS", "labels_seen", "write_outputs", "write_rejects"]

log = logging.getLogger(__name__)

LOGGED_REJECTS = 20  # without --rejects, the first ones are logged as warnings


def _output_rows(
    folder: Path, numbers: Sequence[int], labels: Labels | None, config: PipelineConfig,
    on_reject: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Rows to write, in input order, with their cluster fields."""
    i = 0
    for entry in entries(folder, numbers):
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


def write_outputs(
    folder: Path, numbers: Sequence[int], labels: Labels | None, config: PipelineConfig, paths: RunPaths
) -> tuple[int, int]:
    """Step 3: output, rejects and clusters files, each written then renamed. Returns counts."""
    out_tmp = paths.output if paths.output == "-" else tmp_name(paths.output)
    schema = None
    if output_format(paths.output) == "parquet" and paths.output != "-":
        schema = infer_schema(_output_rows(folder, numbers, labels, config))
    writer = open_writer(out_tmp, output=output_format(paths.output), schema=schema)
    rejects: list[dict[str, Any]] = []
    reject_writer = open_writer(tmp_name(paths.rejects), output="jsonl") if paths.rejects else None

    def on_reject(entry: dict[str, Any]) -> None:
        rejects.append(entry)
        if reject_writer is not None:
            reject_writer.write(entry)
        elif len(rejects) <= LOGGED_REJECTS:
            log.warning("rejected %s:%s: %s", entry.get("path"), entry.get("line"), entry.get("reason"))
        if len(rejects) > LOGGED_REJECTS:
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
        os.replace(tmp_name(paths.rejects), paths.rejects)
    if paths.clusters and labels is not None:
        _write_clusters(folder, numbers, labels, config, paths.clusters)
    if paths.output != "-":
        os.replace(out_tmp, paths.output)
    return written, len(rejects) + rejects_beyond[0]


def write_rejects(folder: Path, numbers: Sequence[int], path: str) -> None:
    """Only the rejects file, from the chunks done so far (a run stopped by max_errors)."""
    writer = open_writer(tmp_name(path), output="jsonl")
    for entry in entries(folder, numbers):
        if "reject" in entry:
            writer.write(entry["reject"])
    writer.close()
    os.replace(tmp_name(path), path)


def _write_clusters(
    folder: Path, numbers: Sequence[int], labels: Labels, config: PipelineConfig, path: str
) -> None:
    """The clusters table: one row per cluster of two or more of this run's documents."""
    groups: dict[str, list[str]] = {}
    reps: dict[str, str] = {}
    for i, doc_id in enumerate(row_ids(folder, numbers)):
        if labels.duplicate_id[i]:
            continue
        groups.setdefault(labels.cluster_id[i], []).append(doc_id)
        if labels.representative[i]:
            reps[labels.cluster_id[i]] = doc_id
    writer = open_writer(tmp_name(path), output=output_format(path))
    for cluster_id in sorted(groups):
        ids = sorted(groups[cluster_id])
        if len(ids) > 1 or labels_seen(labels, cluster_id, ids):
            writer.write({"cluster_id": cluster_id, "size": len(ids), "representative": reps.get(cluster_id),
                          "members": ids})
    writer.close()
    os.replace(tmp_name(path), path)


def labels_seen(labels: Labels, cluster_id: str, ids: Sequence[str]) -> bool:
    """Whether a one-member cluster joined an earlier run's cluster (worth listing)."""
    return len(ids) == 1 and ids[0] != cluster_id
