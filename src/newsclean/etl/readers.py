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
  content type (:mod:`newsclean.etl.warc`);
- a directory of ``.html`` / ``.htm`` / ``.txt`` files (sorted, recursive); a
  file's id is its relative name plus a hash of its bytes;
- ``"-"``: JSONL on standard input.

Pages (WARC, folders) are yielded as *bytes*: one decoder,
:func:`newsclean.extraction.charset.decode_html`, turns them into text, in
:func:`newsclean.etl.rows.record_to_row`. Every reader applies the limits of
:mod:`newsclean.etl.records` (a record over 32 MiB decompressed is rejected unread).

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
import hashlib
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

from .._optional import require
from ..errors import InputError, RecordError, shown_path
from .compressed import open_decompressed
from .records import MAX_DEPTH, MAX_RECORD_BYTES, ReadMeter, Record, open_counted

__all__ = [
    "InputFormat",
    "Record",
    "content_id",
    "detect_format",
    "open_decompressed",
    "parse_json_line",
    "read_inputs",
    "read_records",
]

InputFormat = Literal["jsonl", "parquet", "warc", "dir"]

_DIR_SUFFIXES = {".html": "html", ".htm": "html", ".txt": "text"}
_PARQUET_BATCH = 1024


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
    paths: Iterable[str | os.PathLike[str]], *, input_format: InputFormat | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES, meter: ReadMeter | None = None,
) -> Iterator[Record | RecordError]:
    """:func:`read_records` over several inputs, one after the other."""
    for path in paths:
        yield from read_records(path, input_format=input_format, max_record_bytes=max_record_bytes, meter=meter)


def read_records(
    path: str | os.PathLike[str], *, input_format: InputFormat | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES, meter: ReadMeter | None = None,
) -> Iterator[Record | RecordError]:
    """Stream the records of one input, bad ones as :class:`RecordError` items.

    Args:
        path: a file, a directory, or ``"-"`` for JSONL on stdin.
        input_format: force a format instead of guessing it from the name.
        max_record_bytes: larger records (decompressed) are rejected unread.
        meter: where to count the bytes read and the records skipped (progress).

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
        return _read_dir(text, max_record_bytes, meter)
    if fmt == "parquet":
        return _read_parquet(text, meter)
    if fmt == "warc":
        from .warc import read_warc

        return read_warc(text, max_record_bytes, meter)
    if text == "-":
        stdin: IO[bytes] = sys.stdin.buffer
        if meter is not None:
            stdin = io.BufferedReader(_stdin_counted(meter))
        return _read_jsonl(stdin, "-", max_record_bytes)
    return _read_jsonl_file(text, max_record_bytes, meter)


def _stdin_counted(meter: ReadMeter) -> io.RawIOBase:
    from .records import _Counting

    return _Counting(sys.stdin.buffer, meter)


# ----------------------------------------------------------------------------- JSONL


def _read_jsonl_file(path: str, limit: int, meter: ReadMeter | None = None) -> Iterator[Record | RecordError]:
    with open_counted(path, meter) as raw:
        yield from _read_jsonl(raw, path, limit)


def _capped_lines(stream: io.BufferedIOBase | IO[bytes], limit: int) -> Iterator[bytes | int]:
    """The lines of ``stream`` (split at LF); a line over ``limit`` bytes is skipped, its size yielded."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while line and not line.endswith(b"\n"):  # skip the rest without holding it
            line = stream.readline(1 << 20)
            size += len(line)
        yield size


def _split_cr(line: bytes) -> list[bytes]:
    """One LF line, or several if it holds bare CRs (old Mac line ends; JSON never has a raw CR)."""
    body = line.rstrip(b"\r\n")
    return body.split(b"\r") if b"\r" in body else [body]


def _read_jsonl(raw: IO[bytes], path: str, limit: int = MAX_RECORD_BYTES) -> Iterator[Record | RecordError]:
    stream = open_decompressed(raw, path)
    line_no = 0
    offset = 0
    lines = _capped_lines(stream, limit)
    while True:
        try:
            line = next(lines, None)
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
        if line is None:
            return
        if isinstance(line, int):
            line_no += 1
            reason = f"record too large: {line:,} bytes, more than the limit of {limit:,}"
            yield RecordError(reason, path=path, line=line_no, offset=offset)
            offset += line
            continue
        begin = offset
        offset += len(line)
        if line.startswith(codecs.BOM_UTF8):  # a file's, or a joined file's (cat a.jsonl b.jsonl)
            line, begin = line[len(codecs.BOM_UTF8) :], begin + len(codecs.BOM_UTF8)
        for piece in _split_cr(line):
            line_no += 1
            if piece.strip():
                yield parse_json_line(piece, path, line_no, begin)
            begin += len(piece) + 1


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _too_deep(value: object, limit: int) -> bool:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _lone_surrogate_field(value: dict[str, object]) -> str | None:
    """The first top-level field holding a lone surrogate (invalid Unicode), if any."""
    for key, item in value.items():
        try:
            json.dumps({key: item}, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            return key
    return None


def parse_json_line(line: bytes, path: str, line_no: int, offset: int | None = None) -> Record | RecordError:
    """Parse one JSONL line into a :class:`Record`, or say why it is not one.

    Examples:
        >>> parse_json_line(b'{"a": 1}', "f", 1).fields
        {'a': 1}
        >>> print(parse_json_line(b'[1]', "f", 2))
        f:2: not a JSON object (got list)
        >>> print(parse_json_line(b'{"a": "\\xff"}', "f", 3))
        f:3: undecodable bytes: not UTF-8 at byte 7 (0xff)
        >>> print(parse_json_line(b'{"a": "\\\\ud800"}', "f", 4))
        f:4: invalid Unicode: a lone surrogate escape (\\ud800 ... \\udfff) in field 'a'
    """

    def error(reason: str) -> RecordError:
        return RecordError(reason, path=path, line=line_no, offset=offset)

    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return error(f"undecodable bytes: not UTF-8 at byte {exc.start} (0x{line[exc.start]:02x})")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return error(f"invalid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return error(f"invalid JSON: nested more than {MAX_DEPTH} levels deep")
    except ValueError as exc:  # an integer literal longer than Python's limit (4,300 digits)
        return error(f"invalid JSON: {exc}")
    if not isinstance(value, dict):
        return error(f"not a JSON object (got {type(value).__name__})")
    if line.count(b"[") + line.count(b"{") > MAX_DEPTH and _too_deep(value, MAX_DEPTH):
        return error(f"invalid JSON: nested more than {MAX_DEPTH} levels deep")
    if _SURROGATE_ESCAPE.search(line):
        field = _lone_surrogate_field(value)
        if field is not None:
            return error(f"invalid Unicode: a lone surrogate escape (\\ud800 ... \\udfff) in field {field!r}")
    return Record(value, path, line_no, offset)


# ----------------------------------------------------------------------------- Parquet


def _column_values(column: Any, name: str, bad: dict[int, str]) -> list[object]:
    """The values of one column; a value Python cannot hold marks its row in ``bad``."""
    try:
        return list(column.to_pylist())
    except Exception:
        values: list[object] = []
        for i in range(len(column)):
            try:
                values.append(column[i].as_py())
            except Exception as exc:  # out-of-range dates, unsupported types
                values.append(None)
                bad.setdefault(i, f"column {name!r}: cannot convert the value ({type(exc).__name__}: {exc})")
        return values


def _batch_rows(batch: Any) -> tuple[list[dict[str, object]], dict[int, str]]:
    """The rows of a record batch and, by row, why a row could not be converted."""
    try:
        return list(batch.to_pylist()), {}
    except Exception:  # convert column by column: only the rows with a bad value are lost
        bad: dict[int, str] = {}
        columns = {name: _column_values(col, name, bad) for name, col in zip(batch.schema.names, batch.columns, strict=True)}
        rows = [{name: values[i] for name, values in columns.items()} for i in range(batch.num_rows)]
        return rows, bad


def _read_parquet(path: str, meter: ReadMeter | None = None) -> Iterator[Record | RecordError]:
    pq = require("pyarrow.parquet", extra="parquet", purpose=f"reading {path}")
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid / OSError for a bad file
        yield RecordError(f"not a readable Parquet file: {exc}", path=path)
        return
    row = 0
    size, total = os.path.getsize(path), max(1, int(parquet.metadata.num_rows))
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH):
            if meter is not None:  # bytes in proportion to the rows read
                meter.bytes_read += size * batch.num_rows // total
            rows, bad = _batch_rows(batch)
            for i, fields in enumerate(rows):
                row += 1
                if i in bad:
                    yield RecordError(bad[i], path=path, line=row)
                else:
                    yield Record(fields, path, row)
    except Exception as exc:
        yield RecordError(f"truncated or corrupt Parquet data: {exc}", path=path, line=row + 1)


# ----------------------------------------------------------------------------- directories


def content_id(name: str, data: bytes) -> str:
    """The id of a file's record: its name plus a hash of its bytes (new content, new id).

    Examples:
        >>> content_id("a.html", b"<p>x</p>")
        'a.html:31d8e07ec305ac4e'
    """
    return f"{name}:{hashlib.sha256(data).hexdigest()[:16]}"


def _walk_files(root: Path) -> tuple[list[Path], list[RecordError]]:
    """The page files under ``root`` (sorted), and the folders that could not be listed."""
    errors: list[RecordError] = []

    def failed(exc: OSError) -> None:
        where = exc.filename if exc.filename else str(root)
        errors.append(RecordError(f"unreadable folder: {exc.strerror or exc}", path=str(where)))

    files: list[Path] = []
    for folder, dirs, names in os.walk(root, onerror=failed):
        dirs.sort()
        files.extend(Path(folder) / n for n in names if Path(n).suffix.lower() in _DIR_SUFFIXES)
    return sorted(files), errors


def _read_dir(folder: str, limit: int = MAX_RECORD_BYTES, meter: ReadMeter | None = None) -> Iterator[Record | RecordError]:
    """Each page file as bytes (``html`` or ``text`` field); decoding is the extractor's job."""
    root = Path(folder)
    files, errors = _walk_files(root)
    yield from errors
    for number, file in enumerate(files, start=1):
        kind = _DIR_SUFFIXES[file.suffix.lower()]
        name = shown_path(file.relative_to(root).as_posix())
        try:
            info = file.stat()
            if not stat.S_ISREG(info.st_mode):
                # A named pipe or a device: opening a pipe nobody writes to blocks forever.
                yield RecordError("not a regular file (a named pipe, socket or device)", path=str(file), line=1)
                continue
            size = info.st_size
            if size > limit:
                yield RecordError(f"record too large: {size:,} bytes, more than the limit of {limit:,}",
                                  path=str(file), line=1)
                continue
            data = file.read_bytes()
            if meter is not None:
                meter.bytes_read += len(data)
        except OSError as exc:
            yield RecordError(f"unreadable file: {exc.strerror or exc}", path=str(file), line=1)
            continue
        yield Record({"id": content_id(name, data), "file": name, kind: data}, str(file), number)
