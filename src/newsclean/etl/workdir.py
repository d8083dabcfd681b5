"""The work directory of a run: its manifest, its chunk files, and how it is resumed or removed.

A work directory holds ``manifest.json`` (the command's fingerprint and the run id),
``chunks/NNNNNNN.{jsonl,ids,stats,npz}`` (step 1) and ``labels.npz`` (step 2). Every
file is written under a temporary name and renamed, so each is complete or absent.
While steps 2 and 4 run, ``sketch/`` holds their mapped sketches
(:mod:`newsclean.etl.mapped`; rewritten by a re-run, removed when the step ends).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from .config import PipelineConfig, RunPaths

__all__ = [
    "FORMAT_VERSION",
    "LOCK_NAME",
    "atomic_write_bytes",
    "check_work_dir",
    "chunk_path",
    "clear_work_dir",
    "entries",
    "finish",
    "fingerprint",
    "prepare_work_dir",
    "remove_if_empty",
    "row_ids",
    "tmp_name",
    "work_dir_for",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = 5  # of the work directory (its chunks hold sketches); part of the fingerprint
LOCK_NAME = "lock"
_OWN_NAMES = frozenset({"manifest.json", "labels.npz", "chunks", "sketch"})
_CHUNK_SUFFIXES = frozenset({".jsonl", ".ids", ".stats", ".npz"})


def chunk_path(folder: str | Path, number: int, suffix: str) -> Path:
    """The file of chunk ``number`` with ``suffix`` (``.jsonl``, ``.ids``, ``.stats``, ``.npz``)."""
    return Path(folder) / f"{number:07d}{suffix}"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` under a temporary name, then rename it into place."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def tmp_name(path: str | None) -> str:
    """The temporary name an output is written under before it is renamed."""
    assert path is not None
    return f"{path}.tmp"


def row_ids(folder: Path, numbers: Sequence[int]) -> Iterator[str]:
    """The ids of the rows (not the rejects) of the chunks, in order."""
    for number in numbers:
        yield from json.loads(chunk_path(folder, number, ".ids").read_text(encoding="utf-8"))


def entries(folder: Path, numbers: Sequence[int]) -> Iterator[dict[str, Any]]:
    """The spooled entries (``{"row": ...}`` or ``{"reject": ...}``) of the chunks, in order."""
    for number in numbers:
        with open(chunk_path(folder, number, ".jsonl"), encoding="utf-8") as spool:
            for line in spool:
                yield json.loads(line)


def fingerprint(inputs: Sequence[str], config: PipelineConfig, paths: RunPaths) -> str:
    """A hash of the command (inputs with size and mtime, options, paths): what may resume."""
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
    payload = {"version": FORMAT_VERSION, "inputs": described, "config": options,
               "paths": dataclasses.asdict(paths)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def work_dir_for(paths: RunPaths) -> tuple[Path, bool]:
    """The state directory of a run and whether it is a temporary one (stdout, no ``work_dir``).

    Without ``work_dir`` it is ``OUTPUT.work``. With ``work_dir=DIR`` it is a folder
    newsclean creates *inside* DIR, named after the output (``newsclean-<hash>.work``),
    so that DIR itself and whatever else is in it are never touched.
    """
    if paths.work_dir is not None:
        if os.path.exists(paths.work_dir) and not os.path.isdir(paths.work_dir):
            msg = f"--work-dir {paths.work_dir} is a file, not a folder: pass a folder (newsclean makes its own inside)"
            raise InputError(msg)
        target = "-" if paths.output == "-" else os.path.abspath(paths.output)
        name = hashlib.sha256(target.encode("utf-8")).hexdigest()[:12]
        return Path(paths.work_dir) / f"newsclean-{name}.work", False
    if paths.output == "-":
        return Path(tempfile.mkdtemp(prefix="newsclean-")), True
    return Path(f"{paths.output}.work"), False


def _is_ours(name: str) -> bool:
    base = name.removesuffix(".tmp")
    return base in _OWN_NAMES or base == LOCK_NAME


def _chunk_file(name: str) -> bool:
    base = name.removesuffix(".tmp")
    stem, dot, suffix = base.partition(".")
    return len(stem) == 7 and stem.isdigit() and f"{dot}{suffix}" in _CHUNK_SUFFIXES


def check_work_dir(work: Path) -> None:
    """Refuse a state directory that newsclean did not make (it never deletes one).

    Raises:
        InputError: ``work`` exists and holds files other than newsclean's, without a manifest.
    """
    if not work.exists():
        return
    if not work.is_dir():
        msg = f"the work directory {work} exists and is not a directory; pass another --work-dir"
        raise InputError(msg)
    names = sorted(os.listdir(work))
    if "manifest.json" in names or all(_is_ours(n) for n in names):
        return
    msg = (
        f"the work directory {work} exists and was not made by newsclean "
        f"(it holds {', '.join(names[:3])}); newsclean deletes nothing it did not create: "
        "pass another --work-dir or move that folder away"
    )
    raise InputError(msg)


def prepare_work_dir(work: Path, fingerprint: str) -> str:
    """Resume ``work`` if it belongs to the same command, else start it afresh. Returns the run id.

    The run id is derived from the command's fingerprint: running a command again (after
    a kill at any step, or after it finished) is the same run, which the index recognises.
    """
    run_id = fingerprint[:32]
    manifest = work / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("fingerprint") == fingerprint:
            log.info("resuming the interrupted run in %s", work)
            return str(data["run_id"])
        log.warning("work directory %s belongs to another command or input; starting afresh", work)
        clear_work_dir(work)
    work.mkdir(parents=True, exist_ok=True)
    payload = {"tool": "newsclean", "fingerprint": fingerprint, "run_id": run_id}
    atomic_write_bytes(manifest, json.dumps(payload).encode())
    return run_id


def clear_work_dir(work: Path) -> None:
    """Remove the files newsclean wrote in ``work`` (chunks, labels, manifest last), nothing else."""
    chunks = work / "chunks"
    if chunks.is_dir():
        for name in os.listdir(chunks):
            if _chunk_file(name):
                (chunks / name).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            chunks.rmdir()
    from .mapped import MAPPED_FOLDER, remove_mapped  # noqa: PLC0415 - mapped imports this module

    remove_mapped(work / MAPPED_FOLDER)  # left by a run killed in step 2 or 4
    for name in ("labels.npz", "labels.npz.tmp", "manifest.json.tmp", "manifest.json"):
        (work / name).unlink(missing_ok=True)


def finish(work: Path) -> None:
    """Remove what newsclean wrote in the work directory, then the directory if it is empty.

    The manifest goes last: a crash half-way leaves a resumable directory whose re-run
    (the same run id) writes the same output again.
    """
    if work.exists():
        clear_work_dir(work)


def remove_if_empty(work: Path) -> None:
    """Remove the work directory once its lock is released, if nothing else is in it."""
    with contextlib.suppress(OSError):
        work.rmdir()
