"""The work directory of a run: its manifest, its chunk files, and how it is resumed or removed.

A work directory holds ``manifest.json`` (the command's fingerprint and the run id),
``chunks/NNNNNNN.{jsonl,ids,stats,npz}`` (step 1) and ``labels.npz`` (step 2). Every
file is written under a temporary name and renamed, so each is complete or absent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .config import PipelineConfig, RunPaths

__all__ = [
    "FORMAT_VERSION",
    "atomic_write_bytes",
    "chunk_path",
    "entries",
    "finish",
    "fingerprint",
    "kill_point",
    "prepare_work_dir",
    "row_ids",
    "tmp_name",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # of the work directory; part of the fingerprint


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


def prepare_work_dir(work: Path, fingerprint: str) -> str:
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
    atomic_write_bytes(manifest, json.dumps({"fingerprint": fingerprint, "run_id": run_id}).encode())
    return run_id


def finish(work: Path) -> None:
    """Remove the work directory: renamed first, so a crash here never looks resumable."""
    if not work.exists():
        return
    trash = work.with_name(f"{work.name}.done-{uuid.uuid4().hex[:8]}")
    os.replace(work, trash)
    shutil.rmtree(trash, ignore_errors=True)


def kill_point(name: str) -> None:
    """Crash tests: SIGKILL this process at step ``name`` if ``NEWSCLEAN_KILL_AT`` says so.

    A real ``kill -9`` at a random moment is tested too; this hook makes each step
    boundary (``chunk-N``, ``labels``, ``output``, ``index``) testable deterministically.
    """
    if os.environ.get("NEWSCLEAN_KILL_AT") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
