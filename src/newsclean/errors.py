"""Exception hierarchy of newsclean.

Every error newsclean raises on purpose derives from :class:`NewscleanError`, so a
caller can catch the library's errors apart from bugs. Bad arguments are also
``ValueError`` (or ``TypeError``), a missing optional dependency is also ``ImportError``.
"""

from __future__ import annotations

from typing import TypeVar

_C = TypeVar("_C")

__all__ = [
    "InUseError",
    "IndexUnusableError",
    "InputError",
    "MissingExtraError",
    "NewscleanError",
    "RecordError",
    "TooManyErrors",
    "config_of",
    "shown_path",
]


def shown_path(path: str) -> str:
    r"""``path`` as text that UTF-8 can write: a file name that is not UTF-8 (Python's
    surrogate escapes, ``os.fsdecode``) shows its bytes as ``\xNN``.

    Examples:
        >>> shown_path("caf\udce9.txt"), shown_path("café.txt")
        ('caf\\xe9.txt', 'café.txt')
    """
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that is not an escaped byte
            return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return path


class NewscleanError(Exception):
    """Base class of all errors raised by newsclean."""


class InputError(NewscleanError, ValueError):
    """A bad argument or document: wrong type, out-of-range option, duplicate ids.

    The message says what was wrong and what to pass instead.
    """


class RecordError(NewscleanError):
    """A malformed record in an input file.

    Args:
        reason: what is wrong with the record.
        path: the file it came from (``"-"`` for stdin).
        line: 1-based line number (JSONL) or record number; ``None`` if unknown.
        offset: byte offset (WARC) where known.

    Examples:
        >>> err = RecordError("invalid JSON", path="in.jsonl", line=12)
        >>> str(err)
        'in.jsonl:12: invalid JSON'
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        line: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.reason = reason
        path = shown_path(path) if path is not None else None
        self.path = path
        self.line = line
        self.offset = offset
        where = path or "<input>"
        if line is not None:
            where += f":{line}"
        elif offset is not None:
            where += f"@{offset}"
        super().__init__(f"{where}: {reason}")


class MissingExtraError(NewscleanError, ImportError):
    """An optional dependency is not installed; the message holds the install command."""


class TooManyErrors(NewscleanError):
    """More rejected records than ``max_errors``; the run stopped early (resumable)."""


class InUseError(NewscleanError):
    """Another run holds the lock of the index or of the work directory (its PID is in the message).

    Nothing was written; run again when the other run has finished.
    """


class IndexUnusableError(NewscleanError):
    """The persistent index cannot be used: damaged, not a newsclean index, read-only or unreachable."""


def config_of(config: object, kind: type[_C], where: str) -> _C:
    """``config`` if it is a ``kind``, ``kind()`` if it is ``None``, else a clear error.

    Every public function that takes ``config=`` resolves it here, so a wrong object (a
    path, a dict, another stage's config) fails at the call, not deep inside.

    Examples:
        >>> from newsclean.duplicates import DedupConfig
        >>> config_of(None, DedupConfig, "dedup()").threshold
        0.5
        >>> config_of({"threshold": 0.8}, DedupConfig, "dedup()")
        Traceback (most recent call last):
        ...
        newsclean.errors.InputError: dedup() takes config=DedupConfig(...) or None, got dict
    """
    if config is None:
        return kind()
    if not isinstance(config, kind):
        msg = f"{where} takes config={kind.__name__}(...) or None, got {type(config).__name__}"
        raise InputError(msg)
    return config
