"""The persistent index as a run uses it: opened with checks, errors named, its own run hidden.

- :func:`open_index` refuses, before any work, a file that is not a newsclean index
  (a foreign SQLite database gets no tables added), an index built with other options,
  and an index that cannot be written (read-only, or locked by another program).
- :func:`index_errors` turns what SQLite or Redis raise later (a damaged page, a full
  disk, a server gone) into :class:`~newsclean.errors.IndexUnusableError`,
  :class:`~newsclean.errors.InUseError` or ``OSError(ENOSPC)`` with the index named.
- :class:`WithoutRun` shows the index without the documents of one run: a run that is
  started again after its index commit (killed in the last step, or simply re-run once
  finished) sees the index as it was before it, and so writes the same output again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import IndexUnusableError, InUseError
from .clusters import index_params
from .config import PipelineConfig

__all__ = ["WithoutRun", "index_errors", "open_index"]

_TABLES = {"meta", "runs", "docs", "bands"}


def _is_redis(location: str) -> bool:
    return location.startswith(("redis://", "rediss://", "unix://"))


def _check_sqlite_file(path: str) -> None:
    """A SQLite index path must be absent, empty, or a newsclean index."""
    if path == ":memory:" or not os.path.exists(path) or os.path.getsize(path) == 0:
        return
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        msg = f"the index {path} is not a newsclean index ({exc}); pass another --index path"
        raise IndexUnusableError(msg) from exc
    if tables and not _TABLES <= tables:
        others = ", ".join(sorted(tables - _TABLES)[:5])
        msg = (f"the index {path} is a SQLite database of another program (tables: {others}); "
               "newsclean adds nothing to it: pass another --index path")
        raise IndexUnusableError(msg)


def _translate(exc: BaseException, location: str) -> BaseException | None:
    """The error to raise instead of ``exc`` (an SQLite or Redis failure), or ``None``."""
    text = str(exc)
    if isinstance(exc, sqlite3.Error):
        if "full" in text:
            return OSError(errno.ENOSPC, f"the index {location} is full ({text}); free disk space and run again")
        if "locked" in text or "busy" in text:
            return InUseError(f"the index {location} is locked by another program ({text}); run again later")
        if "readonly" in text or "read-only" in text:
            return IndexUnusableError(f"the index {location} is read-only ({text})")
        return IndexUnusableError(f"the index {location} cannot be used: {text} "
                                  "(damaged? restore it from a backup or pass another --index path)")
    if type(exc).__module__.split(".")[0] == "redis":
        return IndexUnusableError(f"the Redis index {location} failed: {type(exc).__name__}: {text}")
    return None


@contextlib.contextmanager
def index_errors(location: str | None) -> Iterator[None]:
    """Re-raise SQLite and Redis failures as named, documented errors."""
    try:
        yield
    except Exception as exc:
        if location is None:
            raise
        better = _translate(exc, location)
        if better is None:
            raise
        raise better from exc


def _probe_write(store: Any, location: str) -> None:
    """Fail now, not after the output was written, if the index cannot take a commit."""
    if _is_redis(location) or location == ":memory:":
        return
    with contextlib.closing(sqlite3.connect(location, timeout=2.0, isolation_level=None)) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('write-probe', '')")
        finally:
            db.execute("ROLLBACK")


def open_index(location: str, config: PipelineConfig) -> Any:
    """Open the index at ``location`` for a run with ``config``, or say why it cannot be used.

    Raises:
        IndexUnusableError: not a newsclean index, read-only, unreachable.
        InUseError: locked by another program.
        InputError: built with other dedup options.
    """
    from ..store import open_store

    if not _is_redis(location):
        _check_sqlite_file(location)
    with index_errors(location):
        store = open_store(location)
        try:
            store.check_params(index_params(config))
            _probe_write(store, location)
        except BaseException:
            store.close()
            raise
    return store


class WithoutRun:
    """A read view of ``store`` without the documents that run ``run_id`` added to it."""

    def __init__(self, store: Any, run_id: str, ids: Sequence[str]) -> None:
        self._store = store
        self._hidden = frozenset(d for d, s in store.fetch(list(ids)).items() if s.run == run_id)

    def count(self) -> int:
        """Number of stored documents, the hidden ones left out."""
        return int(self._store.count()) - len(self._hidden)

    def fetch(self, ids: Sequence[str]) -> dict[str, Any]:
        """The stored documents with these ids, the hidden ones left out."""
        return {k: v for k, v in self._store.fetch([i for i in ids if i not in self._hidden]).items()}

    def lookup_counts(self, keys: npt.NDArray[np.uint64]) -> Counter[tuple[int, str]]:
        """Shared band keys per ``(row, stored id)``, the hidden ones left out."""
        found: Counter[tuple[int, str]] = self._store.lookup_counts(keys)
        return Counter({k: v for k, v in found.items() if k[1] not in self._hidden})

    def lookup(self, keys: npt.NDArray[np.uint64]) -> list[tuple[int, str]]:
        """``(row, stored id)`` pairs sharing a band key, the hidden ones left out."""
        return sorted(self.lookup_counts(keys))
