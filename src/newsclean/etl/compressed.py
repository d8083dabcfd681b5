"""Decompressing readers that never end a damaged stream silently.

``gzip`` raises ``EOFError`` on a truncated member by itself. The zstandard stream
reader does not: half a ``.zst`` file reads as a shorter, valid-looking file. So zstd
is decompressed here frame by frame (:class:`ZstdReader`): reaching the end of the
input inside a frame raises ``EOFError``, which the JSONL reader reports as a reject
with the line where the data stops. Input is fed 1 KiB at a time, so that one call
never inflates more than 32 MiB (zstd's largest expansion is 32,768:1).
"""

from __future__ import annotations

import gzip
import io
from typing import IO, Any, cast

from .._optional import require

__all__ = ["ZSTD_MAGIC", "ZstdReader", "open_decompressed"]

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_FEED = 1024


class ZstdReader(io.RawIOBase):
    """A raw stream of the frames of a zstd stream; ``EOFError`` if the last one is cut."""

    def __init__(self, raw: IO[bytes], zstandard: Any) -> None:
        super().__init__()
        self._raw = raw
        self._zstandard = zstandard
        self._obj: Any = None
        self._pending = b""
        self._out = b""
        self._pos = 0
        self._done = False

    def readable(self) -> bool:
        """Always ``True``."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` with decompressed bytes; 0 at the end of the last complete frame."""
        while self._pos >= len(self._out):
            if self._done:
                return 0
            self._fill()
        view = memoryview(buffer).cast("B")
        n = min(len(view), len(self._out) - self._pos)
        view[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n

    def _fill(self) -> None:
        self._out, self._pos = b"", 0
        if self._pending:
            data, self._pending = self._pending[:_FEED], self._pending[_FEED:]
        else:
            data = self._raw.read(_FEED)
        if not data:
            self._done = True
            if self._obj is not None:
                msg = "truncated zstd stream: the input ends inside a frame"
                raise EOFError(msg)
            return
        if self._obj is None:
            self._obj = self._zstandard.ZstdDecompressor().decompressobj()
        self._out = self._obj.decompress(data)
        if self._obj.eof:  # a frame ended: what follows is the next frame (or nothing)
            self._pending = self._obj.unused_data + self._pending
            self._obj = None


def open_decompressed(raw: IO[bytes], path: str) -> io.BufferedIOBase:
    """Wrap ``raw`` in the decompressor its first bytes call for (gzip, zstd, none).

    Raises:
        MissingExtraError: the stream is zstd and ``zstandard`` is not installed.
    """
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, raw))
    head = buffered.peek(4)[:4]
    if head.startswith(GZIP_MAGIC):
        return gzip.GzipFile(fileobj=buffered, mode="rb")
    if head.startswith(ZSTD_MAGIC):
        zstandard = require("zstandard", extra="zstd", purpose=f"reading {path}")
        return io.BufferedReader(ZstdReader(buffered, zstandard), buffer_size=1 << 16)
    return buffered
