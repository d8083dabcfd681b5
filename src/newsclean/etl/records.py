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

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["MAX_DEPTH", "MAX_RECORD_BYTES", "Record"]

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

    Examples:
        >>> Record({"id": "x"}, "in.jsonl", 3).where
        'in.jsonl:3'
    """

    fields: Mapping[str, object]
    path: str
    line: int | None = None
    offset: int | None = None

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
