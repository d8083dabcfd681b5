"""Locks that keep two runs off one index or one work directory at the same time.

Two runs committing to one index at once would each miss the other's documents (every
cross-run duplicate lost, silently), and two runs of one command would write the same
chunk files. So a run holds, from its start to its end:

- a lock on its work directory: the file ``lock`` inside it;
- with a SQLite index ``PATH``, a lock file ``PATH.lock`` beside it;
- with a Redis index, the key ``<prefix>:lock`` (``SET NX`` with a 60 s expiry that a
  heartbeat thread renews every 15 s, so a killed run frees it within a minute).

File locks are ``fcntl.flock`` locks: the kernel releases them when the process dies,
however it dies, so a stale lock file never blocks anyone. The file holds the holder's
PID, for the message :class:`~newsclean.errors.InUseError` gives to a second run, which
stops at once without writing anything (exit code 5 in the CLI).

Examples:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "seen.sqlite.lock")
    >>> with file_lock(path, "the index seen.sqlite"):
    ...     with file_lock(path, "the index seen.sqlite"):
    ...         pass
    Traceback (most recent call last):
    ...
    newsclean.errors.InUseError: the index seen.sqlite is in use by PID ... (lock file ...); ...
    >>> os.path.exists(path)  # removed when released
    False
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .._optional import require
from ..errors import InUseError

__all__ = ["REDIS_LOCK_SECONDS", "file_lock", "index_lock", "redis_lock"]

REDIS_LOCK_SECONDS = 60  # expiry of the Redis lock key; renewed every quarter of it


def _holder(fd: int) -> str:
    data = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    return data or "unknown"


def _busy(what: str, holder: str, where: str) -> InUseError:
    return InUseError(
        f"{what} is in use by PID {holder} ({where}); "
        "run again when that run has finished (nothing was written)"
    )


@contextlib.contextmanager
def file_lock(path: str | os.PathLike[str], what: str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created, then removed on release).

    The holder writes its PID into the file. Removing the file on release is safe: a
    process that locked a file that has since been unlinked sees that its inode is no
    longer the one at ``path`` and tries again.

    Raises:
        InUseError: another process holds the lock.
    """
    target = os.fspath(path)
    while True:
        fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise _busy(what, holder, f"lock file {target}") from None
        try:
            same = os.stat(target).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed it between our open and our lock: again
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        os.close(fd)


@contextlib.contextmanager
def redis_lock(url: str, *, prefix: str = "newsclean", seconds: int = REDIS_LOCK_SECONDS) -> Iterator[None]:
    """Hold the Redis key ``<prefix>:lock`` (``SET NX`` with expiry, renewed by a heartbeat).

    Raises:
        InUseError: another run holds the key.
    """
    redis = require("redis", extra="redis", purpose="the Redis index")
    client: Any = redis.Redis.from_url(url)
    key = f"{prefix}:lock"
    token = f"{os.getpid()}@{socket.gethostname()}:{uuid.uuid4().hex}"
    if not client.set(key, token, nx=True, ex=seconds):
        holder = (client.get(key) or b"unknown").decode("utf-8", "replace").rsplit(":", 1)[0]
        client.close()
        what = f"the Redis index {url}"
        raise _busy(what, holder, f"key {key}")
    # Renew and release only while the key still holds our token (compare-and-act in Lua).
    renew = client.register_script(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) end return 0"
    )
    release = client.register_script(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
    )
    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.wait(seconds / 4):
            with contextlib.suppress(Exception):  # a failing Redis fails the run itself, not this thread
                renew(keys=[key], args=[token, seconds])

    thread = threading.Thread(target=heartbeat, name="newsclean-redis-lock", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        with contextlib.suppress(Exception):
            release(keys=[key], args=[token])
        client.close()


def index_lock(location: str) -> contextlib.AbstractContextManager[None]:
    """The lock of the index at ``location`` (SQLite path or ``redis://...`` URL)."""
    if location.startswith(("redis://", "rediss://", "unix://")):
        return redis_lock(location)
    if location == ":memory:":
        return contextlib.nullcontext()
    return file_lock(Path(f"{location}.lock"), f"the index {location}")
