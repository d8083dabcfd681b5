"""Persistent dedup index: what earlier runs have seen, so today's batch is compared with it.

Storage only: per document its id, cluster id, representative id, the run that added it
and its sketch row (:func:`newsclean.duplicates.sketch.row_bytes`: signature, band keys,
shingle set, figure words); per LSH band key the documents that have it. What to look
up, which keys are boilerplate and which candidates to verify is decided by the caller
(:mod:`newsclean.etl.clusters`, through the core). Two back ends implement the same
small protocol, :class:`DedupStore`:

- :class:`SqliteStore` (default): one embedded SQLite file, stdlib ``sqlite3``, no server.
  Band keys live in a ``WITHOUT ROWID`` table keyed ``(key, doc)``, so a lookup of a
  batch's keys is one indexed join.
- :class:`RedisStore` (extra ``redis``): one set per band key, one hash per document.

A batch is added with :meth:`DedupStore.add_run` under a *run id* in one transaction
(SQLite transaction, Redis ``MULTI``/``EXEC``) together with the run id itself; adding
the same run id again does nothing. That is what makes a killed-and-restarted
``newsclean run --index`` count nothing twice.

Examples:
    >>> import numpy as np
    >>> store = SqliteStore(":memory:")
    >>> store.check_params({"num_perm": 4})
    >>> keys = np.array([[11, 12]], dtype=np.uint64)
    >>> store.add_run("day-1", ["a"], ["a"], ["a"], [b"sketch of a"], keys)
    True
    >>> store.add_run("day-1", ["a"], ["a"], ["a"], [b"sketch of a"], keys)
    False
    >>> store.lookup(np.array([[99, 12]], dtype=np.uint64))
    [(0, 'a')]
    >>> doc = store.fetch(["a"])["a"]
    >>> doc.cluster_id, doc.representative, doc.sketch
    ('a', 'a', b'sketch of a')
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ._optional import require
from .errors import InputError

__all__ = [
    "DedupStore",
    "RedisStore",
    "SqliteStore",
    "StoredDoc",
    "open_store",
]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (run TEXT PRIMARY KEY, docs INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    cluster_id TEXT NOT NULL,
    representative TEXT NOT NULL,
    sketch BLOB NOT NULL,
    run TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (key, doc)) WITHOUT ROWID;
"""
_LOOKUP_BLOCK = 50_000
#: A band key shared by more stored documents than this is ignored by lookups: it holds
#: boilerplate (a site's menu and footer in short pages), not a story. Copies of a story
#: share most of their 37 band keys, so they are still found through the other keys.
MAX_KEY_DOCS = 200


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """A document of an earlier run, as the index keeps it.

    Attributes:
        id: its id.
        cluster_id: the cluster it was given.
        representative: the id of its cluster's representative (published by the run
            that made the cluster).
        sketch: its sketch row (:func:`newsclean.duplicates.sketch.row_bytes`).
        run: the id of the run that added it (``""`` if unknown).
    """

    id: str
    cluster_id: str
    representative: str
    sketch: bytes
    run: str = ""


class DedupStore(Protocol):
    """What the pipeline needs from a persistent index."""

    def check_params(self, params: Mapping[str, object]) -> None:
        """Record ``params`` in an empty index, or raise InputError if they differ."""

    def has_run(self, run_id: str) -> bool:
        """Whether run ``run_id`` was added."""

    def lookup(self, keys: npt.NDArray[np.uint64]) -> list[tuple[int, str]]:
        """``(row, stored id)`` for each stored document sharing a band key with ``keys[row]``."""

    def lookup_counts(self, keys: npt.NDArray[np.uint64]) -> Counter[tuple[int, str]]:
        """How many band keys each ``(row, stored id)`` of :meth:`lookup` shares."""

    def fetch(self, ids: Sequence[str]) -> dict[str, StoredDoc]:
        """The stored documents with these ids (unknown ids are left out)."""

    def add_run(
        self,
        run_id: str,
        ids: Sequence[str],
        cluster_ids: Sequence[str],
        representatives: Sequence[str],
        sketches: Sequence[bytes],
        keys: npt.NDArray[np.uint64],
    ) -> bool:
        """Add a batch atomically; ``False`` (nothing written) if ``run_id`` is there already."""

    def count(self) -> int:
        """Number of stored documents."""

    def close(self) -> None:
        """Release the connection."""


def _rows(keys: npt.NDArray[np.uint64], n: int) -> npt.NDArray[np.uint64]:
    """``keys`` as ``n`` rows (``n`` may be 0: an empty batch is a valid batch)."""
    keys = np.asarray(keys, dtype=np.uint64)
    return keys.reshape(n, -1) if n else keys.reshape(0, keys.shape[-1] if keys.ndim == 2 else 0)


def _signed(keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """uint64 keys as the int64 SQLite stores (same bits)."""
    return np.ascontiguousarray(keys, dtype=np.uint64).view(np.int64)


def _check(stored: Mapping[str, object], params: Mapping[str, object], where: str) -> None:
    wanted = {k: json.loads(json.dumps(v)) for k, v in params.items()}
    if stored and "format" in wanted and stored.get("format") != wanted["format"]:
        msg = (
            f"the index {where} holds sketches of format {stored.get('format')}, written by "
            f"another version of newsclean; this one reads format {wanted['format']}: "
            "use a new --index path"
        )
        raise InputError(msg)
    if stored and stored != wanted:
        msg = (
            f"the index {where} was built with {stored}, not {wanted}; "
            "use the same dedup options or a new --index path"
        )
        raise InputError(msg)


class SqliteStore:
    """The default index: one SQLite file (``":memory:"`` for a throwaway one)."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            msg = f"cannot open the index {path}: {exc} (is it a newsclean SQLite index?)"
            raise InputError(msg) from exc
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")

    def check_params(self, params: Mapping[str, object]) -> None:
        """Record ``params`` in an empty index, or raise InputError if they differ."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'params'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('params', ?)", (json.dumps(dict(params), sort_keys=True),))
            return
        _check(json.loads(row[0]), params, self.path)

    def has_run(self, run_id: str) -> bool:
        """Whether run ``run_id`` was added."""
        return self._db.execute("SELECT 1 FROM runs WHERE run = ?", (run_id,)).fetchone() is not None

    def lookup(self, keys: npt.NDArray[np.uint64]) -> list[tuple[int, str]]:
        """``(row, stored id)`` for each stored document sharing a band key with ``keys[row]``."""
        return sorted(self.lookup_counts(keys))

    def lookup_counts(self, keys: npt.NDArray[np.uint64]) -> Counter[tuple[int, str]]:
        """How many band keys each ``(row, stored id)`` of :meth:`lookup` shares."""
        keys = _rows(keys, len(keys))
        found: Counter[tuple[int, str]] = Counter()
        flat = _signed(keys).ravel()
        rows = np.repeat(np.arange(len(keys)), keys.shape[1])
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS probe (row INTEGER, key INTEGER)")
        # Keys shared by more than MAX_KEY_DOCS stored documents (boilerplate) are skipped;
        # each distinct key is counted once, and a count stops at MAX_KEY_DOCS + 1.
        hot = {
            key for key in np.unique(flat).tolist()
            if self._db.execute("SELECT COUNT(*) FROM (SELECT 1 FROM bands WHERE key = ? LIMIT ?)",
                                (key, MAX_KEY_DOCS + 1)).fetchone()[0] > MAX_KEY_DOCS
        }
        keep = ~np.isin(flat, np.fromiter(hot, dtype=np.int64, count=len(hot)))
        flat, rows = flat[keep], rows[keep]
        for lo in range(0, len(flat), _LOOKUP_BLOCK):
            self._db.execute("DELETE FROM probe")
            self._db.executemany(
                "INSERT INTO probe VALUES (?, ?)",
                zip(rows[lo : lo + _LOOKUP_BLOCK].tolist(), flat[lo : lo + _LOOKUP_BLOCK].tolist(), strict=True),
            )
            # CROSS JOIN keeps SQLite from scanning all of `bands` (probe rows drive the join).
            found.update(
                self._db.execute(
                    "SELECT probe.row, docs.id FROM probe CROSS JOIN bands ON bands.key = probe.key "
                    "CROSS JOIN docs ON docs.doc = bands.doc"
                )
            )
        return found

    def fetch(self, ids: Sequence[str]) -> dict[str, StoredDoc]:
        """The stored documents with these ids (unknown ids are left out)."""
        out: dict[str, StoredDoc] = {}
        unique = sorted(set(ids))
        for lo in range(0, len(unique), 500):
            part = unique[lo : lo + 500]
            marks = ",".join("?" * len(part))
            query = f"SELECT id, cluster_id, representative, sketch, run FROM docs WHERE id IN ({marks})"
            for doc_id, cluster_id, representative, sketch, run in self._db.execute(query, part):
                out[doc_id] = StoredDoc(doc_id, cluster_id, representative, bytes(sketch), str(run))
        return out

    def add_run(
        self,
        run_id: str,
        ids: Sequence[str],
        cluster_ids: Sequence[str],
        representatives: Sequence[str],
        sketches: Sequence[bytes],
        keys: npt.NDArray[np.uint64],
    ) -> bool:
        """Add a batch atomically; ``False`` (nothing written) if ``run_id`` is there already."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT 1 FROM runs WHERE run = ?", (run_id,)).fetchone():
                db.execute("ROLLBACK")
                return False
            start = db.execute("SELECT COALESCE(MAX(doc), 0) FROM docs").fetchone()[0] + 1
            docs = range(start, start + len(ids))
            db.executemany(
                "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (doc, doc_id, cluster, rep, sketch, run_id)
                    for doc, doc_id, cluster, rep, sketch in zip(docs, ids, cluster_ids, representatives, sketches, strict=True)
                ),
            )
            signed = _signed(_rows(keys, len(ids)))
            db.executemany(
                "INSERT OR IGNORE INTO bands VALUES (?, ?)",
                ((key, doc) for doc, row in zip(docs, signed, strict=True) for key in row.tolist()),
            )
            db.execute("INSERT INTO runs VALUES (?, ?)", (run_id, len(ids)))
            db.execute("COMMIT")
        except BaseException:
            # SQLite may have rolled back already (a full disk does): never let a failing
            # ROLLBACK hide the error that caused it.
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return True

    def count(self) -> int:
        """Number of stored documents."""
        return int(self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        self._db.close()


class RedisStore:
    """The index in Redis (extra ``redis``): ``redis://host:port/db`` plus a key prefix.

    Keys: ``<prefix>:params`` (JSON), ``<prefix>:runs`` (set), ``<prefix>:doc:<id>``
    (hash: cluster, rep, sketch, run), ``<prefix>:band:<key>`` (set of ids).
    """

    def __init__(self, url: str, *, prefix: str = "newsclean") -> None:
        redis = require("redis", extra="redis", purpose="the Redis index")
        self._prefix = prefix
        self._client: Any = redis.Redis.from_url(url)
        try:
            self._client.ping()
        except redis.RedisError as exc:
            msg = f"cannot reach the Redis index at {url}: {exc}"
            raise InputError(msg) from exc

    def _key(self, *parts: object) -> str:
        return ":".join([self._prefix, *map(str, parts)])

    def check_params(self, params: Mapping[str, object]) -> None:
        """Record ``params`` in an empty index, or raise InputError if they differ."""
        text = json.dumps(dict(params), sort_keys=True)
        if not self._client.set(self._key("params"), text, nx=True):
            _check(json.loads(self._client.get(self._key("params"))), params, self._prefix)

    def has_run(self, run_id: str) -> bool:
        """Whether run ``run_id`` was added."""
        return bool(self._client.sismember(self._key("runs"), run_id))

    def lookup(self, keys: npt.NDArray[np.uint64]) -> list[tuple[int, str]]:
        """``(row, stored id)`` for each stored document sharing a band key with ``keys[row]``."""
        return sorted(self.lookup_counts(keys))

    def lookup_counts(self, keys: npt.NDArray[np.uint64]) -> Counter[tuple[int, str]]:
        """How many band keys each ``(row, stored id)`` of :meth:`lookup` shares."""
        keys = _rows(keys, len(keys))
        found: Counter[tuple[int, str]] = Counter()
        for lo in range(0, len(keys), 1000):
            pipe = self._client.pipeline(transaction=False)
            block = keys[lo : lo + 1000]
            for row in block.tolist():
                for key in row:
                    pipe.scard(self._key("band", key))
            sizes = pipe.execute()
            pipe = self._client.pipeline(transaction=False)
            flat = [key for row in block.tolist() for key in row]
            for key, size in zip(flat, sizes, strict=True):
                if size <= MAX_KEY_DOCS:  # boilerplate keys skipped, as in SqliteStore
                    pipe.smembers(self._key("band", key))
                else:
                    pipe.echo("")
            results = pipe.execute()
            width = keys.shape[1]
            for i, members in enumerate(results):
                for member in members if isinstance(members, set) else ():
                    found[(lo + i // width, member.decode("utf-8"))] += 1
        return found

    def fetch(self, ids: Sequence[str]) -> dict[str, StoredDoc]:
        """The stored documents with these ids (unknown ids are left out)."""
        unique = sorted(set(ids))
        pipe = self._client.pipeline(transaction=False)
        for doc_id in unique:
            pipe.hgetall(self._key("doc", doc_id))
        out: dict[str, StoredDoc] = {}
        for doc_id, fields in zip(unique, pipe.execute(), strict=True):
            if fields:
                out[doc_id] = StoredDoc(
                    doc_id, fields[b"cluster"].decode("utf-8"), fields[b"rep"].decode("utf-8"),
                    bytes(fields[b"sketch"]), fields.get(b"run", b"").decode("utf-8"),
                )
        return out

    def add_run(
        self,
        run_id: str,
        ids: Sequence[str],
        cluster_ids: Sequence[str],
        representatives: Sequence[str],
        sketches: Sequence[bytes],
        keys: npt.NDArray[np.uint64],
    ) -> bool:
        """Add a batch atomically (``MULTI``/``EXEC`` after ``WATCH`` on the run set)."""
        redis = require("redis", extra="redis", purpose="the Redis index")
        runs = self._key("runs")
        with self._client.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(runs)
                    if pipe.sismember(runs, run_id):
                        pipe.reset()
                        return False
                    pipe.multi()
                    self._queue_batch(pipe, run_id, ids, cluster_ids, representatives, sketches, keys)
                    pipe.sadd(runs, run_id)
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue

    def _queue_batch(
        self,
        pipe: Any,
        run_id: str,
        ids: Sequence[str],
        cluster_ids: Sequence[str],
        representatives: Sequence[str],
        sketches: Sequence[bytes],
        keys: npt.NDArray[np.uint64],
    ) -> None:
        keys = _rows(keys, len(ids))
        for doc_id, cluster, rep, sketch, row in zip(ids, cluster_ids, representatives, sketches, keys, strict=True):
            pipe.hset(
                self._key("doc", doc_id),
                mapping={"cluster": cluster, "rep": rep, "sketch": sketch, "run": run_id},
            )
            for key in row.tolist():
                pipe.sadd(self._key("band", key), doc_id)
        pipe.incrby(self._key("count"), len(ids))

    def count(self) -> int:
        """Number of stored documents."""
        return int(self._client.get(self._key("count")) or 0)

    def close(self) -> None:
        """Close the connection."""
        self._client.close()


def open_store(location: str) -> DedupStore:
    """A :class:`RedisStore` for ``redis://...`` / ``rediss://...``, else a :class:`SqliteStore`.

    Examples:
        >>> type(open_store(":memory:")).__name__
        'SqliteStore'
    """
    if location.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(location)
    return SqliteStore(location)
