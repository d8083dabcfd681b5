"""Streaming readers for the ETL front end, with located record errors.

Readers yield, one at a time, either a :class:`Record` (the record's fields plus
where it came from) or a :class:`~newsclean.errors.RecordError` (what was wrong,
with ``path:line``). They never raise for bad *data*: a malformed JSON line, a
missing field, undecodable bytes or a truncated gzip/zstd/WARC stream becomes a
``RecordError`` in the stream and reading goes on (or stops cleanly at a
truncation). They raise :class:`~newsclean.errors.InputError` only for a bad
*argument*: a path that does not exist, an unknown format.

Supported inputs (the format is chosen from the name, compression from the
file's first bytes):

- JSONL: one JSON object per line, plain, gzip or zstandard (extra ``zstd``);
- Parquet (extra ``parquet``), read in row batches;
- WARC / WARC.gz (extra ``warc``): HTTP ``response`` records with an HTML
  content type; the charset comes from the HTTP ``Content-Type`` header, then
  from a ``<meta charset>`` in the page, then UTF-8;
- a directory of ``.html`` / ``.htm`` / ``.txt`` files (sorted, recursive);
- ``"-"``: JSONL on standard input.

Writers are in :mod:`newsclean.etl.writers`.

Examples:
    >>> import json, os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "in.jsonl")
    >>> with open(path, "w", encoding="utf-8") as f:
    ...     _ = f.write('{"id": "a", "text": "Hello"}\\nnot json\\n')
    >>> for item in read_records(path):
    ...     print(type(item).__name__, item)
    Record ...in.jsonl:1
    RecordError ...in.jsonl:2: invalid JSON: Expecting value (column 1)
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast

from .._optional import require
from ..errors import InputError, RecordError

__all__ = [
    "InputFormat",
    "Record",
    "decode_html",
    "detect_format",
    "open_decompressed",
    "parse_json_line",
    "read_inputs",
    "read_records",
]

InputFormat = Literal["jsonl", "parquet", "warc", "dir"]

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_DIR_SUFFIXES = {".html": "html", ".htm": "html", ".txt": "text"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_PARQUET_BATCH = 1024


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


def detect_format(path: str | os.PathLike[str]) -> InputFormat:
    """The input format of ``path`` from its name (``"-"`` is JSONL on stdin).

    Examples:
        >>> detect_format("crawl.warc.gz"), detect_format("a.parquet"), detect_format("x.jsonl.zst")
        ('warc', 'parquet', 'jsonl')
    """
    text = os.fspath(path)
    if text == "-":
        return "jsonl"
    if os.path.isdir(text):
        return "dir"
    name = os.path.basename(text).lower()
    for suffix in (".gz", ".zst", ".zstd"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith(".warc"):
        return "warc"
    return "jsonl"


def read_inputs(
    paths: Iterable[str | os.PathLike[str]], *, input_format: InputFormat | None = None
) -> Iterator[Record | RecordError]:
    """:func:`read_records` over several inputs, one after the other."""
    for path in paths:
        yield from read_records(path, input_format=input_format)


def read_records(
    path: str | os.PathLike[str], *, input_format: InputFormat | None = None
) -> Iterator[Record | RecordError]:
    """Stream the records of one input, bad ones as :class:`RecordError` items.

    Args:
        path: a file, a directory, or ``"-"`` for JSONL on stdin.
        input_format: force a format instead of guessing it from the name.

    Returns:
        An iterator of :class:`Record` and :class:`RecordError`, in file order.

    Raises:
        InputError: ``path`` does not exist.
        MissingExtraError: the format needs an extra that is not installed.
    """
    text = os.fspath(path)
    if text != "-" and not os.path.exists(text):
        msg = f"input not found: {text}"
        raise InputError(msg)
    fmt = input_format or detect_format(text)
    if fmt == "dir":
        return _read_dir(text)
    if fmt == "parquet":
        return _read_parquet(text)
    if fmt == "warc":
        return _read_warc(text)
    if text == "-":
        return _read_jsonl(sys.stdin.buffer, "-")
    return _read_jsonl_file(text)


# ----------------------------------------------------------------------------- JSONL


def open_decompressed(raw: IO[bytes], path: str) -> io.BufferedIOBase:
    """Wrap ``raw`` in the decompressor its first bytes call for (gzip, zstd, none)."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, raw))
    head = buffered.peek(4)[:4]
    if head.startswith(_GZIP_MAGIC):
        return gzip.GzipFile(fileobj=buffered, mode="rb")
    if head.startswith(_ZSTD_MAGIC):
        zstandard = require("zstandard", extra="zstd", purpose=f"reading {path}")
        reader = zstandard.ZstdDecompressor().stream_reader(buffered, read_across_frames=True)
        return io.BufferedReader(reader)
    return buffered


def _read_jsonl_file(path: str) -> Iterator[Record | RecordError]:
    with open(path, "rb") as raw:
        yield from _read_jsonl(raw, path)


def _read_jsonl(raw: IO[bytes], path: str) -> Iterator[Record | RecordError]:
    stream = open_decompressed(raw, path)
    line_no = 0
    offset = 0
    while True:
        try:
            line = stream.readline()
        except (EOFError, OSError, zlib.error) as exc:
            # gzip.BadGzipFile is an OSError; zstandard raises ZstdError (a subclass of
            # Exception only), caught below by name so that zstandard stays optional.
            yield RecordError(f"truncated or corrupt compressed input: {exc}", path=path, line=line_no + 1)
            return
        except Exception as exc:
            if type(exc).__name__ != "ZstdError":
                raise
            yield RecordError(f"truncated or corrupt compressed input: {exc}", path=path, line=line_no + 1)
            return
        if not line:
            return
        line_no += 1
        start = offset
        offset += len(line)
        if not line.strip():
            continue
        yield parse_json_line(line, path, line_no, start)


def parse_json_line(line: bytes, path: str, line_no: int, offset: int | None = None) -> Record | RecordError:
    """Parse one JSONL line into a :class:`Record`, or say why it is not one.

    Examples:
        >>> parse_json_line(b'{"a": 1}', "f", 1).fields
        {'a': 1}
        >>> print(parse_json_line(b'[1]', "f", 2))
        f:2: not a JSON object (got list)
        >>> print(parse_json_line(b'{"a": "\\xff"}', "f", 3))
        f:3: undecodable bytes: not UTF-8 at byte 7 (0xff)
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"undecodable bytes: not UTF-8 at byte {exc.start} (0x{line[exc.start]:02x})"
        return RecordError(reason, path=path, line=line_no, offset=offset)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return RecordError(f"invalid JSON: {exc.msg} (column {exc.colno})", path=path, line=line_no, offset=offset)
    except RecursionError:
        return RecordError("invalid JSON: nested too deeply", path=path, line=line_no, offset=offset)
    if not isinstance(value, dict):
        return RecordError(f"not a JSON object (got {type(value).__name__})", path=path, line=line_no, offset=offset)
    return Record(value, path, line_no, offset)


# ----------------------------------------------------------------------------- Parquet


def _read_parquet(path: str) -> Iterator[Record | RecordError]:
    pq = require("pyarrow.parquet", extra="parquet", purpose=f"reading {path}")
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid / OSError for a bad file
        yield RecordError(f"not a readable Parquet file: {exc}", path=path)
        return
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH):
            for fields in batch.to_pylist():
                row += 1
                yield Record(fields, path, row)
    except Exception as exc:
        yield RecordError(f"truncated or corrupt Parquet data: {exc}", path=path, line=row + 1)


# ----------------------------------------------------------------------------- HTML bytes


def _charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value.

    Examples:
        >>> _charset_of('text/html; charset="ISO-8859-1"')
        'ISO-8859-1'
        >>> _charset_of("text/html") is None
        True
    """
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Decode an HTML page: declared charset, else ``<meta charset>``, else UTF-8.

    Raises:
        ValueError: unknown charset or bytes that do not decode in it (the reader
            turns this into a :class:`RecordError`).

    Examples:
        >>> decode_html("café".encode("latin-1"), "iso-8859-1")
        'café'
        >>> decode_html(b'<meta charset="windows-1252"><p>caf\\xe9')
        '<meta charset="windows-1252"><p>café'
    """
    charsets = [declared] if declared else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        charsets.append(meta.group(1).decode("ascii", "replace"))
    charsets.append("utf-8")
    if body.startswith(codecs.BOM_UTF8):
        charsets = ["utf-8-sig"]
    error: Exception | None = None
    for charset in charsets:
        try:
            return body.decode(charset)
        except LookupError:
            error = ValueError(f"unknown charset {charset!r}")
        except UnicodeDecodeError as exc:
            error = ValueError(f"undecodable bytes: not {charset} at byte {exc.start}")
    raise error if error else ValueError("undecodable bytes")


# ----------------------------------------------------------------------------- WARC


def _split_http(block: bytes) -> tuple[dict[str, str], bytes] | None:
    """HTTP response headers (lower-cased names) and body, or ``None`` if not HTTP."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    lines = head.decode("latin-1").splitlines()
    if not sep or not lines or not lines[0].upper().startswith("HTTP/"):
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers, body


def _dechunk(body: bytes) -> bytes:
    """Undo HTTP chunked transfer encoding (``ValueError`` if malformed)."""
    out = bytearray()
    pos = 0
    while True:
        end = body.index(b"\r\n", pos)
        size = int(body[pos:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2


def _http_body(headers: Mapping[str, str], body: bytes) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    encoding = headers.get("content-encoding", "").lower()
    if encoding in ("gzip", "x-gzip"):
        body = gzip.decompress(body)
    elif encoding == "deflate":
        body = zlib.decompress(body)
    return body


def _warc_fields(headers: Mapping[str, str], http: Mapping[str, str], html: str, charset: str | None) -> dict[str, object]:
    return {
        "id": headers.get("WARC-Record-ID", "").strip("<>"),
        "url": headers.get("WARC-Target-URI"),
        "warc_date": headers.get("WARC-Date"),
        "content_type": http.get("content-type"),
        "charset": charset,
        "html": html,
    }


def _read_warc(path: str) -> Iterator[Record | RecordError]:
    warc = require("fastwarc.warc", extra="warc", purpose=f"reading {path}")
    number = 0
    with open(path, "rb") as raw:
        records = warc.ArchiveIterator(raw, record_types=warc.WarcRecordType.response, parse_http=False)
        for record in records:
            number += 1
            item = _warc_record(record, path, number)
            if item is not None:
                yield item
            if isinstance(item, RecordError) and item.reason.startswith("truncated"):
                return


def _warc_record(record: Any, path: str, number: int) -> Record | RecordError | None:
    """One fastwarc response record -> Record, RecordError, or None (not HTML)."""
    offset = int(record.stream_pos)
    headers = {str(k): str(v) for k, v in record.headers.items()}
    block: bytes = record.reader.read()
    declared = headers.get("Content-Length")
    if declared is not None and declared.isdigit() and len(block) < int(declared):
        reason = f"truncated WARC record: {len(block)} of {declared} bytes"
        return RecordError(reason, path=path, line=number, offset=offset)
    parsed = _split_http(block)
    if parsed is None:
        return RecordError("WARC response without an HTTP header", path=path, line=number, offset=offset)
    http, body = parsed
    content_type = http.get("content-type", "")
    if not content_type.lower().startswith(_HTML_TYPES):
        return None
    charset = _charset_of(content_type)
    try:
        html = decode_html(_http_body(http, body), charset)
    except (ValueError, OSError, EOFError, zlib.error) as exc:
        return RecordError(str(exc), path=path, line=number, offset=offset)
    return Record(_warc_fields(headers, http, html, charset), path, number, offset)


# ----------------------------------------------------------------------------- directories


def _read_dir(folder: str) -> Iterator[Record | RecordError]:
    root = Path(folder)
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in _DIR_SUFFIXES)
    for number, file in enumerate(files, start=1):
        kind = _DIR_SUFFIXES[file.suffix.lower()]
        name = file.relative_to(root).as_posix()
        data = file.read_bytes()
        try:
            content = decode_html(data) if kind == "html" else data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield RecordError(f"undecodable bytes: not UTF-8 at byte {exc.start}", path=str(file), line=1)
            continue
        except ValueError as exc:
            yield RecordError(str(exc), path=str(file), line=1)
            continue
        yield Record({"id": name, "file": name, kind: content}, str(file), number)
