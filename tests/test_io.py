"""Tests of newsclean.io: readers, writers, located record errors."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsclean.errors import InputError, MissingExtraError, RecordError
from newsclean.etl import PipelineConfig, record_to_row
from newsclean.etl.readers import content_id
from newsclean.io import (
    Record,
    detect_format,
    dumps,
    open_writer,
    read_inputs,
    read_records,
)


def _write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _split(items: list[Record | RecordError]) -> tuple[list[Record], list[RecordError]]:
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, RecordError)]


def _warc_record(uri: str, body: bytes, content_type: str, rtype: str = "response") -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    header = (
        f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-01T00:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{uri[-1]}>\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return header + http + b"\r\n\r\n"


def _warc_members() -> list[bytes]:
    return [
        _warc_record("http://example.org/1", "<p>Caf\u00e9 news</p>".encode("latin-1"), "text/html; charset=ISO-8859-1"),
        _warc_record("http://example.org/2", b"<p>Second page</p>", "text/html"),
        _warc_record("http://example.org/3", b"{}", "application/json"),
        _warc_record("http://example.org/4", b"<p>Fourth page</p>", "text/html; charset=utf-8"),
    ]


def test_jsonl_bad_lines_are_located_and_the_rest_is_read(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "in.jsonl",
        [b'{"id": "a", "text": "one"}', b"{not json", b"", b'["list"]', b'{"id": "b", "text": "caf\xe9"}', b'{"id": "c"}'],
    )
    good, bad = _split(list(read_records(path)))
    assert [r.fields["id"] for r in good] == ["a", "c"]
    assert [r.line for r in good] == [1, 6]
    assert [(e.line, e.reason.split(":")[0]) for e in bad] == [
        (2, "invalid JSON"),
        (4, "not a JSON object (got list)"),
        (5, "undecodable bytes"),
    ]
    assert all(e.path == str(path) for e in bad)
    assert str(bad[0]).startswith(f"{path}:2: invalid JSON")


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst", ".ndjson"])
def test_compressed_jsonl_is_sniffed(tmp_path: Path, suffix: str) -> None:
    if suffix.endswith(".zst"):
        pytest.importorskip("zstandard", reason="the zstd extra (zstandard) is not installed")
    rows = [{"id": str(i), "text": f"text {i}"} for i in range(50)]
    path = tmp_path / f"in{suffix}"
    writer = open_writer(path)
    for row in rows:
        writer.write(row)
    writer.close()
    good, bad = _split(list(read_records(path)))
    assert not bad
    assert [dict(r.fields) for r in good] == rows


def test_truncated_gzip_reports_error_after_good_records(tmp_path: Path) -> None:
    body = b"".join(json.dumps({"id": str(i), "text": "x" * 50 + str(i)}).encode() + b"\n" for i in range(2000))
    data = gzip.compress(body)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(read_records(path))
    good, bad = _split(items)
    assert len(bad) >= 1
    assert bad[-1].reason.startswith("truncated or corrupt compressed input")
    assert items[-1] is bad[-1]
    assert 0 < len(good) < 2000
    assert [r.fields["id"] for r in good] == [str(i) for i in range(len(good))]


def test_missing_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="input not found"):
        read_records(tmp_path / "nope.jsonl")


def test_directory_of_pages(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.html").write_bytes(b'<meta charset="windows-1252"><p>caf\xe9</p>')
    (tmp_path / "b" / "c.txt").write_text("plain dump", encoding="utf-8")
    (tmp_path / "d.txt").write_bytes("Zażółć gęślą jaźń, powiedział wczoraj minister rolnictwa.".encode("cp1250"))
    (tmp_path / "e.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # a .txt that is not one
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    good, bad = _split(list(read_records(tmp_path)))
    assert detect_format(tmp_path) == "dir" and not bad
    assert [r.fields["file"] for r in good] == ["a.html", "b/c.txt", "d.txt", "e.txt"]
    assert good[0].fields["id"] == content_id("a.html", (tmp_path / "a.html").read_bytes())
    assert good[0].fields["html"] == b'<meta charset="windows-1252"><p>caf\xe9</p>'  # bytes: decoded once, later
    rows = [record_to_row(good[0], PipelineConfig(mode="auto"))]
    rows += [record_to_row(r, PipelineConfig(mode="text")) for r in good[1:]]
    assert isinstance(rows[0], dict) and rows[0]["html"] == '<meta charset="windows-1252"><p>caf\u00e9</p>'
    assert isinstance(rows[1], dict) and rows[1]["text"] == "plain dump"
    # a text file is decoded as an undeclared page is (no <meta> to read): here windows-1250
    assert isinstance(rows[2], dict) and rows[2]["text"] == "Zażółć gęślą jaźń, powiedział wczoraj minister rolnictwa."
    assert isinstance(rows[3], RecordError) and rows[3].path.endswith("e.txt") and "binary data" in rows[3].reason


def test_warc_html_responses_only_with_http_charset(tmp_path: Path) -> None:
    pytest.importorskip("fastwarc", reason="the warc extra (fastwarc) is not installed")
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(gzip.compress(m) for m in _warc_members()))
    good, bad = _split(list(read_records(path)))
    assert not bad
    assert [r.fields["url"] for r in good] == ["http://example.org/1", "http://example.org/2", "http://example.org/4"]
    assert good[0].fields["html"] == "<p>Caf\u00e9 news</p>".encode("latin-1")
    assert good[0].fields["charset"] == "ISO-8859-1"
    assert good[0].offset == 0 and good[0].line == 1


def test_truncated_warc_is_a_record_error(tmp_path: Path) -> None:
    pytest.importorskip("fastwarc", reason="the warc extra (fastwarc) is not installed")
    path = tmp_path / "cut.warc"
    data = b"".join(_warc_members())
    path.write_bytes(data[:-70])
    good, bad = _split(list(read_records(path)))
    assert [r.fields["url"] for r in good] == ["http://example.org/1", "http://example.org/2"]
    assert len(bad) == 1 and bad[0].reason.startswith("truncated WARC record") and bad[0].line == 4


def test_parquet_roundtrip_with_mixed_types(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")
    rows: list[dict[str, object]] = [
        {"id": "a", "n": 1, "tags": ["x"], "extra": None},
        {"id": "b", "n": 2.5, "tags": [], "extra": "yes"},
        {"id": "c", "n": "three", "extra": {"k": 1}},
    ]
    path = tmp_path / "out.parquet"
    writer = open_writer(path)
    for row in rows:
        writer.write(row)
    writer.close()
    good, bad = _split(list(read_records(path)))
    assert not bad
    assert [r.fields["id"] for r in good] == ["a", "b", "c"]
    assert [r.fields["n"] for r in good] == ["1", "2.5", "three"]
    assert good[2].fields["extra"] == '{"k": 1}'
    assert [r.line for r in good] == [1, 2, 3]


def test_read_inputs_chains_files(tmp_path: Path) -> None:
    a = _write_lines(tmp_path / "a.jsonl", [b'{"id": "1"}'])
    b = _write_lines(tmp_path / "b.jsonl", [b'{"id": "2"}'])
    good, _ = _split(list(read_inputs([a, b])))
    assert [(Path(r.path).name, r.fields["id"]) for r in good] == [("a.jsonl", "1"), ("b.jsonl", "2")]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@given(st.lists(st.dictionaries(st.text(max_size=8), json_values, max_size=4), max_size=20))
def test_jsonl_writer_then_reader_is_identity(rows: list[dict[str, object]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.jsonl.gz"
        writer = open_writer(path)
        for row in rows:
            writer.write(row)
        writer.close()
        items = list(read_records(path))
    assert all(isinstance(i, Record) for i in items)
    assert [dict(i.fields) for i in items if isinstance(i, Record)] == rows


@pytest.fixture(params=["installed", "missing"])
def zstd_extra(request: pytest.FixtureRequest) -> Iterator[bool]:
    """Run a test with the zstd extra as installed here, and as if it were not installed."""
    if request.param == "installed":
        yield importlib.util.find_spec("zstandard") is not None
        return
    saved = sys.modules.get("zstandard")
    sys.modules["zstandard"] = None  # type: ignore[assignment]  # import now fails
    try:
        yield False
    finally:
        if saved is None:
            del sys.modules["zstandard"]
        else:
            sys.modules["zstandard"] = saved


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
@example(b"\x28\xb5\x2f\xfd\x00")  # zstd magic: the case random seeds used to find
@example(b"\x1f\x8b\x08")
def test_reader_never_raises_on_garbage(zstd_extra: bool, data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "junk.jsonl"
        path.write_bytes(data)
        if data.startswith(b"\x28\xb5\x2f\xfd") and not zstd_extra:
            # zstd data without the zstd extra: a clear error naming it (exit code 4)
            with pytest.raises(MissingExtraError, match="newsclean\\[zstd\\]"):
                list(read_records(path))
            return
        items = list(read_records(path))
    assert all(isinstance(i, Record | RecordError) for i in items)
    assert dumps({"x": data}) is not None


_KOI8_STORY = "Городской совет утвердил бюджет на следующий год. Депутаты спорили три часа."
# a template's stale <meta> says windows-1252; the server says what the bytes are
_KOI8_PAGE = (f'<html><head><meta charset="windows-1252"></head><body><article><h1>Бюджет</h1>'
              f"<p>{_KOI8_STORY}</p><p>{_KOI8_STORY}</p></article></body></html>").encode("koi8-r")


def test_the_transport_charset_of_a_record_decodes_its_page() -> None:
    """The HTTP header's charset ranks above the page's <meta> (and sniffing), as in browsers."""
    from newsclean.etl import PipelineConfig, record_to_row

    row = record_to_row(Record({"html": _KOI8_PAGE}, "crawl.warc", 1, charset="KOI8-R"), PipelineConfig())
    assert isinstance(row, dict) and _KOI8_STORY in str(row["html"]) and "Городской" in str(row["text"])


def test_a_warc_responses_header_charset_is_carried_by_its_record(tmp_path: Path) -> None:
    pytest.importorskip("fastwarc", reason="the warc extra (fastwarc) is not installed")
    path = tmp_path / "crawl.warc"
    path.write_bytes(_warc_record("http://example.org/1", _KOI8_PAGE, "text/html; charset=KOI8-R"))
    (record,) = [r for r in read_records(path) if isinstance(r, Record)]
    assert record.charset == "KOI8-R"
