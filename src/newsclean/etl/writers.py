"""Streaming writers: JSONL (plain, ``.gz``, ``.zst``) to a file or stdout, or Parquet.

:func:`open_writer` picks the writer from the output name (its docstring has an example).
"""

from __future__ import annotations

import gzip
import json
import math
import os
import sys
from collections.abc import Iterable, Mapping
from typing import IO, Any, Literal, Protocol, cast

from .._optional import require
from ..errors import InputError
from .readers import detect_format

__all__ = [
    "JsonlWriter",
    "OutputFormat",
    "ParquetWriter",
    "RecordWriter",
    "check_output_name",
    "dumps",
    "infer_schema",
    "open_writer",
    "output_format",
    "rows_to_table",
]

OutputFormat = Literal["jsonl", "parquet"]


class RecordWriter(Protocol):
    """Something records can be written to, one dict at a time."""

    def write(self, row: Mapping[str, object]) -> None:
        """Write one row."""

    def close(self) -> None:
        """Flush and close."""


_JSONL_NAMES = (".jsonl", ".ndjson", ".jsonlines")
_COMPRESSED = (".gz", ".zst", ".zstd")


def check_output_name(path: str | os.PathLike[str], what: str = "output", *, parquet: bool = True) -> None:
    """Refuse an output name whose format newsclean cannot write (never silently JSONL).

    Accepted: ``-`` (stdout), ``.jsonl`` / ``.ndjson`` / ``.jsonlines`` with an optional
    ``.gz`` or ``.zst`` suffix, and (when ``parquet``) ``.parquet`` / ``.pq``.

    Raises:
        InputError: any other name, e.g. ``out.csv`` or ``out.parquet.gz``.

    Examples:
        >>> check_output_name("out.jsonl.gz"), check_output_name("out.parquet")
        (None, None)
        >>> check_output_name("out.csv")
        Traceback (most recent call last):
        ...
        newsclean.errors.InputError: cannot write output out.csv: ...
    """
    text = os.fspath(path)
    if text == "-":
        return
    name = os.path.basename(text).lower()
    if parquet and name.endswith((".parquet", ".pq")):
        return
    for suffix in _COMPRESSED:
        name = name.removesuffix(suffix)
    if name.endswith(_JSONL_NAMES):
        return
    kinds = "JSONL (.jsonl, .jsonl.gz, .jsonl.zst)" + (" or Parquet (.parquet)" if parquet else "")
    msg = f"cannot write {what} {text}: the name must end in {kinds}"
    raise InputError(msg)


def output_format(path: str | os.PathLike[str]) -> OutputFormat:
    """``"parquet"`` for ``.parquet``/``.pq`` names, else ``"jsonl"``.

    Examples:
        >>> output_format("out.parquet"), output_format("out.jsonl.gz")
        ('parquet', 'jsonl')
    """
    return "parquet" if detect_format(path) == "parquet" else "jsonl"


def _json_default(value: object) -> object:
    """JSON for values Parquet and friends produce (dates, bytes, numpy scalars)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _finite(value: object) -> object:
    """``value`` with NaN and infinities (which JSON cannot hold) as ``None``, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


# Characters a line splitter other than "\n" breaks lines at (Python's str.splitlines,
# JavaScript, many editors) that JSON leaves unescaped: written as \u escapes, so that a
# record is one line for every reader. Outside strings JSON output is ASCII, so a plain
# replace only touches string contents.
_LINE_BREAKS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dumps(row: Mapping[str, object]) -> str:
    """One JSONL line (no newline); stable, UTF-8, always valid JSON.

    NaN and infinities (accepted by Python's JSON reader) are written as ``null``:
    JSON has no way to write them. U+0085, U+2028 and U+2029 (line breaks to
    ``str.splitlines``) are escaped, so a record is one line to every line splitter.

    Examples:
        >>> dumps({"b": "é", "a": b"x"})
        '{"b": "é", "a": "x"}'
        >>> dumps({"x": float("nan"), "y": [float("inf"), 1.5]})
        '{"x": null, "y": [null, 1.5]}'
        >>> print(dumps({"t": "a" + chr(0x2028) + "b"}))
        {"t": "a\\u2028b"}
    """
    try:
        line = json.dumps(row, ensure_ascii=False, default=_json_default, allow_nan=False)
    except ValueError as exc:
        if "out of range float" not in str(exc).lower():
            raise
        line = json.dumps(_finite(dict(row)), ensure_ascii=False, default=_json_default, allow_nan=False)
    for char, escape in _LINE_BREAKS.items():
        if char in line:
            line = line.replace(char, escape)
    return line


class JsonlWriter:
    """Write JSONL to a path (``.gz`` and ``.zst`` compress) or to stdout (``"-"``)."""

    def __init__(self, path: str | os.PathLike[str], *, compression: str | None = None) -> None:
        text = os.fspath(path)
        self._owned: list[IO[bytes]] = []
        if text == "-":
            self._out: IO[bytes] = sys.stdout.buffer
            return
        raw: IO[bytes] = open(text, "wb")  # noqa: SIM115 - closed in close()
        self._owned.append(raw)
        kind = compression or _compression_of(text)
        if kind == "gzip":
            # mtime=0: the same rows give the same bytes (reruns compare equal).
            # no file name in the header (it would be the temporary one); level 6, gzip's own
            raw = cast(IO[bytes], gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0, compresslevel=6))
            self._owned.append(raw)
        elif kind == "zstd":
            zstandard = require("zstandard", extra="zstd", purpose=f"writing {text}")
            raw = zstandard.ZstdCompressor().stream_writer(raw)
            self._owned.append(raw)
        self._out = raw

    def write(self, row: Mapping[str, object]) -> None:
        """Write one row as a JSON line."""
        self._out.write(dumps(row).encode("utf-8") + b"\n")

    def close(self) -> None:
        """Flush, and close what this writer opened."""
        self._out.flush()
        for stream in reversed(self._owned):
            stream.close()


def _compression_of(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(".gz"):
        return "gzip"
    if lower.endswith((".zst", ".zstd")):
        return "zstd"
    return None


class ParquetWriter:
    """Write rows to Parquet in batches; columns are the union over all rows written.

    Rows are buffered on disk-friendly batches of ``batch_size``; the schema is the
    one of the first batch, widened by :meth:`write_batches` callers that pass a
    ``schema``. A value that does not fit its column's type is written as text.
    """

    def __init__(self, path: str | os.PathLike[str], *, schema: Any = None, batch_size: int = 4096) -> None:
        self._pa = require("pyarrow", extra="parquet", purpose="Parquet output")
        self._pq = require("pyarrow.parquet", extra="parquet", purpose="Parquet output")
        self._path = os.fspath(path)
        self._schema = schema
        self._batch: list[Mapping[str, object]] = []
        self._batch_size = batch_size
        self._writer: Any = None

    def write(self, row: Mapping[str, object]) -> None:
        """Buffer one row; a full batch is written out."""
        self._batch.append(row)
        if len(self._batch) >= self._batch_size:
            self._flush()

    def _flush(self) -> None:
        if not self._batch:
            return
        if self._schema is None:
            self._schema = infer_schema(self._batch)
        table = rows_to_table(self._batch, self._schema)
        if self._writer is None:
            self._writer = self._pq.ParquetWriter(self._path, self._schema)
        self._writer.write_table(table)
        self._batch = []

    def close(self) -> None:
        """Write the last batch and the file footer."""
        self._flush()
        if self._writer is None:
            schema = self._schema if self._schema is not None else self._pa.schema([])
            self._writer = self._pq.ParquetWriter(self._path, schema)
        self._writer.close()


def infer_schema(rows: Iterable[Mapping[str, object]], base: Any = None) -> Any:
    """A pyarrow schema covering ``rows`` (and ``base``); conflicting columns become text.

    Keys keep the order in which they are first seen, so the same rows give the same schema.
    """
    pa = require("pyarrow", extra="parquet", purpose="Parquet output")
    fields: dict[str, Any] = {}
    if base is not None:
        fields = {f.name: f.type for f in base}
    for row in rows:
        for key, value in row.items():
            if value is None:
                fields.setdefault(key, None)
                continue
            try:
                kind = pa.scalar(value).type
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
                kind = pa.string()
            old = fields.get(key)
            if old is None:
                fields[key] = kind
            elif old != kind:
                fields[key] = _widen(pa, old, kind)
    return pa.schema([(name, kind if kind is not None else pa.string()) for name, kind in fields.items()])


def _widen(pa: Any, old: Any, new: Any) -> Any:
    if {str(old), str(new)} <= {"int64", "double"}:
        return pa.float64()
    return pa.string()


def rows_to_table(rows: list[Mapping[str, object]], schema: Any) -> Any:
    """A pyarrow table of ``rows`` in ``schema``; values of the wrong type become text."""
    pa = require("pyarrow", extra="parquet", purpose="Parquet output")
    columns = []
    for field in schema:
        values = [row.get(field.name) for row in rows]
        try:
            columns.append(pa.array(values, type=field.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            if not pa.types.is_string(field.type):
                raise
            columns.append(pa.array([None if v is None else _as_text(v) for v in values], type=pa.string()))
    return pa.Table.from_arrays(columns, schema=schema)


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def open_writer(
    path: str | os.PathLike[str], *, output: OutputFormat | None = None, schema: Any = None,
    final: str | os.PathLike[str] | None = None,
) -> RecordWriter:
    """A JSONL or Parquet writer for ``path`` (format from the name unless given).

    ``final``: the name ``path`` is renamed to once written (a run writes ``out.jsonl.gz``
    as ``out.jsonl.gz.tmp`` first): the format and the compression are the ones of that
    name (default: ``path``'s).

    Examples:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "out.jsonl")
        >>> writer = open_writer(path)
        >>> writer.write({"id": "a", "n": 1})
        >>> writer.close()
        >>> open(path, encoding="utf-8").read()
        '{"id": "a", "n": 1}\\n'
    """
    name = os.fspath(path if final is None else final)
    kind = output or output_format(name)
    if kind == "parquet":
        return ParquetWriter(path, schema=schema)
    return JsonlWriter(path, compression=_compression_of(name))
