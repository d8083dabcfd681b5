"""Step 3 of a run: the output, rejects and clusters files, each written then renamed."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from .clusters import Labels
from .config import PipelineConfig, RunPaths
from .rows import DEDUP_FIELDS, merge_fields, row_id
from .workdir import entries, row_ids, tmp_name
from .writers import check_output_name, infer_schema, open_writer, output_format

__all__ = ["LOGGED_REJECTS", "check_distinct", "check_paths", "representatives", "write_outputs", "write_rejects"]

log = logging.getLogger(__name__)

LOGGED_REJECTS = 20  # without --rejects, the first ones are logged as warnings


def _file_key(path: str) -> tuple[int, int] | str:
    """What makes two paths one file: device and inode when it exists, else the resolved path."""
    try:
        st = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (st.st_dev, st.st_ino)


def check_paths(paths: RunPaths, inputs: Sequence[str] = (), *, also: Sequence[tuple[str, str | None]] = ()) -> None:
    """Refuse, before any work, output names newsclean cannot write and paths that collide.

    No file the run writes (the output, rejects, clusters, the index, and the command line's
    ``also`` files: ``--stats``, ``--report``, ``--explain``) is an input of the run or another
    of them: newsclean never writes over its input (a symlink or a hard link to it included).

    Args:
        paths: the run's files.
        inputs: the run's input paths (``"-"`` is stdin).
        also: more ``(name, path)`` files the caller writes, e.g. ``("--stats", "s.json")``.

    Raises:
        InputError: an unknown extension, ``--rejects -``, two outputs on one path, an
            output on an input, or ``-`` (stdin) given twice.

    Examples:
        >>> check_paths(RunPaths(output="out.jsonl"), ["in.jsonl"])
        >>> check_paths(RunPaths(output="in.jsonl"), ["in.jsonl"])
        Traceback (most recent call last):
        ...
        newsclean.errors.InputError: the output path in.jsonl is also an input of the run: newsclean never writes over its input; give it its own file
    """
    check_output_name(paths.output, "output")
    if list(inputs).count("-") > 1:
        msg = "standard input (-) can be read only once: give '-' once among the inputs"
        raise InputError(msg)
    if paths.rejects == "-":
        msg = "--rejects - is not supported (stdout may be the output): give a file name such as rejects.jsonl"
        raise InputError(msg)
    if paths.rejects:
        check_output_name(paths.rejects, "rejects", parquet=False)
    if paths.clusters:
        check_output_name(paths.clusters, "clusters")
    named = [("output", paths.output), ("rejects", paths.rejects), ("clusters", paths.clusters),
             ("index", paths.index), *also]
    check_distinct(inputs, named)


def check_distinct(inputs: Sequence[str], outputs: Sequence[tuple[str, str | None]]) -> None:
    """Refuse outputs on an input or on each other (the rule behind :func:`check_paths`).

    Args:
        inputs: paths read (``"-"`` is stdin).
        outputs: ``(name, path)`` of each file written; ``None``, ``":memory:"`` and URLs
            are not files and are skipped, and so is ``"-"`` (stdout) for ``"output"``.

    Raises:
        InputError: naming the two roles that share a file, a ``"-"`` path for another
            file than ``"output"``, or a file in a folder that does not exist.

    Examples:
        >>> check_distinct(["run.jsonl"], [("report", "run.jsonl")])
        Traceback (most recent call last):
        ...
        newsclean.errors.InputError: the report path run.jsonl is also an input of the run: newsclean never writes over its input; give it its own file
    """
    taken: dict[tuple[int, int] | str, str] = {_file_key(p): "input" for p in inputs if p and p != "-"}
    for what, path in outputs:
        if path == "-" and what != "output":
            msg = f"the {what} path cannot be - (only the output goes to standard output): give a file name"
            raise InputError(msg)
        if not path or path == "-" or path == ":memory:" or "://" in path:
            continue
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):  # found before the run's work, not when it writes the file
            msg = f"the {what} path {path} is in a folder that does not exist ({folder}): create it first"
            raise InputError(msg)
        key = _file_key(path)
        if taken.get(key) == "input":
            msg = (f"the {what} path {path} is also an input of the run: newsclean never writes over "
                   f"its input; give it its own file")
            raise InputError(msg)
        if key in taken:
            msg = f"the {what} path {path} is also the {taken[key]} path: give each its own file"
            raise InputError(msg)
        taken[key] = what


def _output_rows(
    folder: Path, numbers: Sequence[int], labels: Labels | None, config: PipelineConfig,
    reps: Mapping[str, str], on_reject: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Rows to write, in input order, with their cluster fields (never over an input field)."""
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
                               "reason": f"duplicate id {row_id(row, config.id_field)!r} in this run; first one kept"})
                i += 1
                continue
            cluster = labels.cluster_id[i]
            representative = bool(labels.representative[i])
            values = (cluster, reps.get(cluster), representative, float(labels.similarity[i]))
            merge_fields(row, dict(zip(DEDUP_FIELDS, values, strict=True)))
            i += 1
            if config.representatives_only and not representative:
                continue
        yield row


def representatives(folder: Path, numbers: Sequence[int], labels: Labels | None) -> dict[str, str]:
    """Cluster id -> id of its representative, for the clusters whose representative is in this run."""
    if labels is None:
        return {}
    reps: dict[str, str] = {}
    for i, doc_id in enumerate(row_ids(folder, numbers)):
        if labels.representative[i] and not labels.duplicate_id[i]:
            reps[labels.cluster_id[i]] = doc_id
    return reps


def write_outputs(
    folder: Path, numbers: Sequence[int], labels: Labels | None, config: PipelineConfig, paths: RunPaths
) -> tuple[int, int]:
    """Step 3: output, rejects and clusters files, each written then renamed. Returns counts."""
    out_tmp = paths.output if paths.output == "-" else tmp_name(paths.output)
    reps = representatives(folder, numbers, labels)
    schema = None
    if output_format(paths.output) == "parquet" and paths.output != "-":
        schema = infer_schema(_output_rows(folder, numbers, labels, config, reps))
    writer = open_writer(out_tmp, output=output_format(paths.output), schema=schema, final=paths.output)
    rejects: list[dict[str, Any]] = []
    reject_writer = (open_writer(tmp_name(paths.rejects), output="jsonl", final=paths.rejects)
                     if paths.rejects else None)

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
    for row in _output_rows(folder, numbers, labels, config, reps, on_reject):
        writer.write(row)
        written += 1
    writer.close()
    if reject_writer is not None and paths.rejects:
        reject_writer.close()
        os.replace(tmp_name(paths.rejects), paths.rejects)
    if paths.clusters and labels is not None:
        _write_clusters(folder, numbers, labels, reps, paths.clusters)
    if paths.output != "-":
        os.replace(out_tmp, paths.output)
    return written, len(rejects) + rejects_beyond[0]


def write_rejects(folder: Path, numbers: Sequence[int], path: str) -> None:
    """Only the rejects file, from the chunks done so far (a run stopped by max_errors)."""
    writer = open_writer(tmp_name(path), output="jsonl", final=path)
    for entry in entries(folder, numbers):
        if "reject" in entry:
            writer.write(entry["reject"])
    writer.close()
    os.replace(tmp_name(path), path)


def _write_clusters(folder: Path, numbers: Sequence[int], labels: Labels, reps: Mapping[str, str], path: str) -> None:
    """The clusters table: one row per cluster of two or more of this run's documents.

    ``representative`` is this run's representative; it is ``null`` only for a cluster
    that joined one of an earlier run (``seen_before``), whose representative was
    written then.
    """
    groups: dict[str, list[str]] = {}
    for i, doc_id in enumerate(row_ids(folder, numbers)):
        if not labels.duplicate_id[i]:
            groups.setdefault(labels.cluster_id[i], []).append(doc_id)
    writer = open_writer(tmp_name(path), output=output_format(path), final=path)
    for cluster_id in sorted(groups):
        ids = sorted(groups[cluster_id])
        if len(ids) > 1:
            writer.write({"cluster_id": cluster_id, "size": len(ids), "representative": reps.get(cluster_id),
                          "seen_before": cluster_id not in reps, "members": ids})
    writer.close()
    os.replace(tmp_name(path), path)
