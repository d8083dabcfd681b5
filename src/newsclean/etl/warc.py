"""WARC input (extra ``warc``): the HTML ``response`` records of a WARC or WARC.gz file.

A record's ``html`` field is the HTTP body as *bytes* (transfer and content encodings
undone, at most :data:`~newsclean.etl.records.MAX_RECORD_BYTES` of it: a gzip bomb is
rejected, not inflated); ``charset`` is the one the HTTP header declares: the record
carries it to :func:`newsclean.extraction.charset.decode_html`, which ranks it above the
page's own ``<meta>`` (as browsers do).
Responses that are not HTML (images, JSON, ...) are skipped.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import zlib
from collections.abc import Generator, Iterator, Mapping
from typing import Any

from .._optional import require
from ..errors import RecordError
from .records import MAX_RECORD_BYTES, ReadMeter, Record, open_counted

__all__ = ["read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_NEXT_RECORD = re.compile(rb"\r\n\r\nWARC/1\.[01]\r\n")

log = logging.getLogger(__name__)


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


def _inflate(body: bytes, wbits: int, limit: int) -> bytes:
    """Decompress at most ``limit + 1`` bytes (a bomb stops there, see :func:`_http_body`)."""
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(body, limit + 1)
    if len(out) <= limit and not inflater.eof and not inflater.unconsumed_tail:
        msg = "truncated compressed HTTP body"
        raise EOFError(msg)
    return out


def _coding_module(module: str, coding: str, extra: str) -> Any:
    """The decompressor module of a content coding, or ``ValueError`` (the record's reject)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        msg = f"HTTP body in Content-Encoding {coding} needs {module!r}: pip install 'newsclean[{extra}]'"
        raise ValueError(msg) from exc


def _unbrotli(body: bytes, limit: int) -> bytes:
    """Brotli-decompress at most ``limit + 1`` bytes (needs ``brotli`` >= 1.2, extra ``warc``)."""
    brotli = _coding_module("brotli", "br", "warc")
    decompressor = brotli.Decompressor()
    try:
        out = bytes(decompressor.process(body, output_buffer_limit=limit + 1))
    except brotli.error as exc:
        msg = f"bad br body: {exc}"
        raise ValueError(msg) from exc
    if len(out) <= limit and not decompressor.is_finished():
        msg = "truncated compressed HTTP body"
        raise EOFError(msg)
    return out


def _unzstd(body: bytes, limit: int) -> bytes:
    """zstd-decompress at most ``limit + 1`` bytes (needs ``zstandard``, extra ``zstd``)."""
    import io

    zstandard = _coding_module("zstandard", "zstd", "zstd")

    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(body)) as reader:
            return bytes(reader.read(limit + 1))
    except zstandard.ZstdError as exc:
        msg = f"bad zstd body: {exc}"
        raise ValueError(msg) from exc


def _decoded(body: bytes, coding: str, limit: int) -> bytes:
    """``body`` with one HTTP content coding undone."""
    if coding in ("gzip", "x-gzip"):
        return _inflate(body, 16 + zlib.MAX_WBITS, limit)
    if coding == "deflate":
        try:
            return _inflate(body, zlib.MAX_WBITS, limit)
        except zlib.error:  # "deflate" is often sent without its zlib header
            return _inflate(body, -zlib.MAX_WBITS, limit)
    if coding == "br":
        return _unbrotli(body, limit)
    if coding == "zstd":
        return _unzstd(body, limit)
    if coding in ("", "identity", "none"):
        return body
    msg = f"unsupported Content-Encoding {coding!r}"
    raise ValueError(msg)


def _http_body(headers: Mapping[str, str], body: bytes, limit: int) -> bytes:
    """The HTTP body without transfer and content encodings, at most ``limit + 1`` bytes.

    Content codings (``gzip``, ``deflate``, ``br``, ``zstd``; several are undone last
    applied first) stop at ``limit + 1`` bytes, so a bomb is rejected, not inflated.
    """
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    codings = [c.strip() for c in headers.get("content-encoding", "").lower().split(",")]
    for coding in reversed(codings):
        body = _decoded(body, coding, limit)
    return body


def _warc_fields(headers: Mapping[str, str], http: Mapping[str, str], html: bytes, charset: str | None) -> dict[str, object]:
    return {
        "id": headers.get("WARC-Record-ID", "").strip("<>"),
        "url": headers.get("WARC-Target-URI"),
        "warc_date": headers.get("WARC-Date"),
        "content_type": http.get("content-type"),
        "charset": charset,
        "html": html,
    }


def read_warc(path: str, limit: int = MAX_RECORD_BYTES, meter: ReadMeter | None = None) -> Iterator[Record | RecordError]:
    """The HTML responses of a WARC file as records (``html`` is the body's bytes).

    Responses that are not HTML are skipped and counted in ``meter.skipped``. A record
    whose ``Content-Length`` runs into the next record is read up to that record, and
    reading goes on there (in a plain ``.warc`` at the record inside the overrun; in a
    ``.warc.gz`` at the next gzip member holding a WARC record). Data that is not WARC
    at all ends the file with a located reject.
    """
    warc = require("fastwarc.warc", extra="warc", purpose=f"reading {path}")
    start: int | None = 0
    number = 0
    while start is not None:
        with open_counted(path, meter) as raw:
            raw.seek(start)  # fastwarc's stream_pos counts from the file's start, seek included
            start, number = yield from _read_stream(warc, raw, path, number, limit, meter)


def _read_stream(
    warc: Any, raw: Any, path: str, number: int, limit: int, meter: ReadMeter | None,
) -> Generator[Record | RecordError, None, tuple[int | None, int]]:
    """Records of one pass over ``raw``; returns where to start again after an overrun, and the count."""
    records = warc.ArchiveIterator(raw, record_types=warc.WarcRecordType.response, parse_http=False)
    try:
        for record in records:
            number += 1
            offset = int(record.stream_pos)
            block: bytes = record.reader.read(limit + 1)
            overrun = _NEXT_RECORD.search(block) if len(block) <= limit else None
            declared = str(record.headers.get("Content-Length", ""))
            cut_short = declared.isdigit() and int(declared) > len(block)  # ran to the end of the file
            if overrun is not None and not cut_short and not _overruns(path, offset, len(block)):
                overrun = None  # a page that quotes a WARC record, with a right Content-Length
            item = _warc_record(record, block[: overrun.start()] if overrun else block, path, number, offset, limit,
                                exact=overrun is None)
            if item is not None:
                yield item
            elif meter is not None:
                meter.skipped += 1
            if overrun is not None:
                log.warning("%s record %d: Content-Length runs into the next record; reading on from it",
                            path, number)
                return _resume_offset(path, offset, overrun.start()), number
            if isinstance(item, RecordError) and item.reason.startswith("truncated"):
                return None, number
    except OSError as exc:  # fastwarc: "Invalid WARC header" and the like
        yield RecordError(f"corrupt WARC data after record {number}: {exc}", path=path, line=number + 1)
    return None, number


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as raw:
        return raw.read(2) == b"\x1f\x8b"


def _member_size(path: str, offset: int, stop: int) -> int:
    """Decompressed size of the gzip member at ``offset`` (counting stops past ``stop``)."""
    inflater = zlib.decompressobj(31)
    size = 0
    with open(path, "rb") as raw:
        raw.seek(offset)
        while not inflater.eof and size <= stop:
            data = inflater.unconsumed_tail or raw.read(1 << 16)
            if not data:
                break
            size += len(inflater.decompress(data, 1 << 20))
    return size


def _overruns(path: str, offset: int, block_len: int) -> bool:
    """Whether the record at ``offset`` really runs past its end (its next bytes are no record)."""
    if _is_gzip(path):  # one member per record: an overrun reads past the member's end
        return _member_size(path, offset, block_len) < block_len
    with open(path, "rb") as raw:
        raw.seek(_content_start(path, offset) + block_len)
        after = raw.read(16)
    return not (after.strip() == b"" or after.lstrip(b"\r\n").startswith(b"WARC/"))


def _resume_offset(path: str, record_offset: int, overrun: int) -> int:
    """Where the record after an overrunning one starts in the file.

    In a plain WARC it is inside the overrun; in a WARC.gz (one gzip member per record,
    ``record_offset`` being the member's) it is the next member holding a WARC record.
    """
    if not _is_gzip(path):
        return _content_start(path, record_offset) + overrun + 4
    return _next_member(path, record_offset)


def _next_member(path: str, after: int) -> int:
    """Offset of the first gzip member after ``after`` that holds a WARC record (the file size if none)."""
    size = os.path.getsize(path)
    with open(path, "rb") as raw:
        position = after + 1
        while position < size:
            raw.seek(position)
            block = raw.read(1 << 20)
            found = block.find(b"\x1f\x8b\x08")
            while found >= 0:
                raw.seek(position + found)
                head = raw.read(1 << 12)
                with contextlib.suppress(zlib.error):
                    if zlib.decompressobj(31).decompress(head, 16).startswith(b"WARC/1."):
                        return position + found
                found = block.find(b"\x1f\x8b\x08", found + 1)
            position += max(1, len(block) - 2)
    return size


def _content_start(path: str, record_offset: int) -> int:
    """File offset of the block of the WARC record whose header starts at ``record_offset``."""
    with open(path, "rb") as raw:
        raw.seek(record_offset)
        head = raw.read(1 << 16)
    end = head.find(b"\r\n\r\n")
    return record_offset + (end + 4 if end >= 0 else 0)


def _too_large(size: int, limit: int) -> str:
    return f"record too large: more than the limit of {limit:,} bytes ({size:,} read)"


def _warc_record(
    record: Any, block: bytes, path: str, number: int, offset: int, limit: int, *, exact: bool = True,
) -> Record | RecordError | None:
    """One fastwarc response record (its block read) -> Record, RecordError, or None (not HTML).

    ``exact``: the block is what ``Content-Length`` declared (``False`` when it ran over).
    """
    headers = {str(k): str(v) for k, v in record.headers.items()}
    if len(block) > limit:
        return RecordError(_too_large(len(block), limit), path=path, line=number, offset=offset)
    declared = headers.get("Content-Length")
    if exact and declared is not None and declared.isdigit() and len(block) < int(declared):
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
        html = _http_body(http, body, limit)
    except (ValueError, OSError, EOFError, zlib.error) as exc:
        return RecordError(f"bad HTTP body: {exc}", path=path, line=number, offset=offset)
    if len(html) > limit:
        return RecordError(_too_large(len(html), limit) + " once decompressed", path=path, line=number, offset=offset)
    return Record(_warc_fields(headers, http, html, charset), path, number, offset, charset=charset)
