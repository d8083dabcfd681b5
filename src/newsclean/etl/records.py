"""What readers yield: a :class:`Record` with its location, and the limits every reader applies.

Limits (documented in the README's ETL section):

- :data:`MAX_RECORD_BYTES`: a record (a JSONL line, a Parquet row's text, a WARC
  record, a file of a folder) larger than this once *decompressed* is rejected with
  its location, unread beyond the limit: a small gzip that inflates to gigabytes costs
  at most this much memory.
- :data:`MAX_DEPTH`: a JSON record nested deeper than this is rejected (no news record
  is; deeper values cannot be sent to worker processes).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from ..errors import shown_path

__all__ = ["MAX_DEPTH", "MAX_RECORD_BYTES", "ReadMeter", "Record", "open_counted"]

#: Largest decompressed record newsclean reads (32 MiB); larger ones become rejects.
MAX_RECORD_BYTES = 32 * 2**20
#: Deepest nesting of lists and objects accepted in a JSON record.
MAX_DEPTH = 100


@dataclass(frozen=True, slots=True)
class Record:
    """One input record and where it came from.

    Attributes:
        fields: the record's fields (a JSON object, a Parquet row, a WARC or file record).
        path: the file it was read from (``"-"`` for stdin).
        line: 1-based line (JSONL), row (Parquet) or record number (WARC, directory).
        offset: byte offset of the record in its (decompressed) file, where known.
        prepared: article fields computed ahead of the chunks (``strip_many`` per
            site, see :mod:`newsclean.etl.sites`), used instead of stripping it alone.
        charset: the charset its transport declared (a WARC response's HTTP
            ``Content-Type``), which decoding its HTML bytes honours.

    Examples:
        >>> Record({"id": "x"}, "in.jsonl", 3).where
        'in.jsonl:3'
    """

    fields: Mapping[str, object]
    path: str
    line: int | None = None
    offset: int | None = None
    prepared: Mapping[str, object] | None = None
    charset: str | None = None

    def __post_init__(self) -> None:
        if not self.path.isascii():  # a file name that is not UTF-8 cannot be written as is
            object.__setattr__(self, "path", shown_path(self.path))

    @property
    def where(self) -> str:
        """``path:line`` (or ``path@offset``) for messages and the rejects file."""
        if self.line is not None:
            return f"{self.path}:{self.line}"
        if self.offset is not None:
            return f"{self.path}@{self.offset}"
        return self.path

    def __str__(self) -> str:
        return self.where


@dataclass
class ReadMeter:
    """What readers report besides their items (mutable, owned by one run).

    Attributes:
        bytes_read: bytes read from the input files so far (compressed, as on disk).
        skipped: records skipped on purpose (WARC responses that are not HTML).
    """

    bytes_read: int = 0
    skipped: int = 0


class _Counting(io.RawIOBase):
    def __init__(self, raw: Any, meter: ReadMeter) -> None:
        super().__init__()
        self._raw = raw
        self._meter = meter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = int(self._raw.readinto(buffer) or 0)
        self._meter.bytes_read += n
        return n

    def seekable(self) -> bool:
        return bool(self._raw.seekable())

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        before = int(self._raw.tell())
        after = int(self._raw.seek(offset, whence))
        self._meter.bytes_read += after - before  # the meter follows the position
        return after

    def tell(self) -> int:
        return int(self._raw.tell())

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_counted(path: str, meter: ReadMeter | None) -> IO[bytes]:
    """``open(path, "rb")``, counting the bytes read into ``meter`` if given."""
    if meter is None:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    return io.BufferedReader(_Counting(open(path, "rb", buffering=0), meter), buffer_size=1 << 16)  # noqa: SIM115
