"""Issue #11, hostile records: each bad record is one located reject, never the end of a run."""

from __future__ import annotations

import errno
import gzip
import json
import os
import sys
from pathlib import Path

import pytest

from newsclean.cli import main
from newsclean.errors import RecordError
from newsclean.etl import PipelineConfig, record_to_row
from newsclean.etl.rows import article_text
from newsclean.io import Record, read_records
from test_cli import make_corpus, read_jsonl, write_jsonl


def _items(path: Path, **kwargs: object) -> tuple[list[Record], list[RecordError]]:
    items = list(read_records(path, **kwargs))  # type: ignore[arg-type]
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, RecordError)]


def _run(tmp_path: Path, data: Path, *extra: str) -> tuple[int, list[dict[str, object]], list[dict[str, object]]]:
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    code = main(["dedup", str(data), "-o", str(out), "--rejects", str(rejects), "-q", *extra])
    rows = read_jsonl(out) if out.exists() else []
    bad = read_jsonl(rejects) if rejects.exists() else []
    return code, rows, bad


# ----------------------------------------------------------------------------- item 3


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_poisonous_record_is_one_reject_and_the_rest_is_written(tmp_path: Path, jobs: str) -> None:
    deep = "[" * 600 + "]" * 600
    lines = [
        '{"id": "a", "text": "first good story here"}',
        '{"id": "s", "text": "a lone surrogate \\ud800 in the text"}',
        '{"id": "t", "text": "fine", "note": "\\udc80"}',
        '{"id": "n", "text": "a huge number", "n": ' + "9" * 4400 + "}",
        '{"id": "d", "text": "deep", "deep": ' + deep + "}",
        '{"id": "z", "text": "last good story here"}',
    ]
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, rows, bad = _run(tmp_path, data, "--jobs", jobs, "--chunk-size", "2")
    assert code == 0
    assert [r["id"] for r in rows] == ["a", "z"]
    assert [(Path(str(b["path"])).name, b["line"]) for b in bad] == [("in.jsonl", n) for n in (2, 3, 4, 5)]
    reasons = [str(b["reason"]) for b in bad]
    assert "surrogate" in reasons[0] and "'text'" in reasons[0] and "'note'" in reasons[1]
    assert "4300" in reasons[2] and "nested more than" in reasons[3]


# ----------------------------------------------------------------------------- item 4


def test_truncated_zstd_is_a_located_reject(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard", reason="the zstd extra (zstandard) is not installed")
    small = zstandard.ZstdCompressor().compress(b'{"id": "1", "text": "one"}\n{"id": "2", "text": "two"}\n')
    cut = tmp_path / "small.jsonl.zst"
    cut.write_bytes(small[: len(small) // 2])
    good, bad = _items(cut)
    assert not good and len(bad) == 1 and "truncated" in bad[0].reason and bad[0].line == 1
    body = b"".join(json.dumps({"id": str(i), "text": f"story {i} " * 20}).encode() + b"\n" for i in range(3000))
    frames = zstandard.ZstdCompressor().compress(body[:100_000]) + zstandard.ZstdCompressor().compress(body[100_000:])
    whole = tmp_path / "whole.jsonl.zst"
    whole.write_bytes(frames)
    assert len(_items(whole)[0]) == 3000 and not _items(whole)[1]  # several frames read across
    long_cut = tmp_path / "long.jsonl.zst"
    long_cut.write_bytes(frames[: len(frames) - 500])
    good, bad = _items(long_cut)
    assert 0 < len(good) < 3000 and len(bad) == 1 and "truncated" in bad[0].reason
    assert bad[0].line == len(good) + 1 or bad[0].line == len(good) + 2  # where the data stops


# ----------------------------------------------------------------------------- item 5


def test_parquet_value_that_python_cannot_hold_rejects_its_row_only(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")
    import pyarrow.parquet as pq

    n = 3000
    stamps = [0] * n
    stamps[1024 + 7] = 2**40  # year ~36,000: no Python datetime holds it
    table = pa.table({"id": [f"r{i}" for i in range(n)], "text": [f"story {i}" for i in range(n)],
                      "t": pa.array(stamps, type=pa.timestamp("s"))})
    path = tmp_path / "in.parquet"
    pq.write_table(table, path)
    good, bad = _items(path)
    assert len(good) == n - 1 and [b.line for b in bad] == [1024 + 8]
    assert "column 't'" in bad[0].reason


# ----------------------------------------------------------------------------- item 6


def test_ids_of_records_without_one_do_not_collide_across_days_or_inputs(tmp_path: Path) -> None:
    def feed(folder: str, seed: int) -> Path:
        (tmp_path / folder).mkdir()
        rows = [{"text": r["text"]} for r in make_corpus(30, seed=seed, copies_every=1000)]
        return write_jsonl(tmp_path / folder / "feed.jsonl", rows)

    index, stats = tmp_path / "seen.sqlite", tmp_path / "stats.json"
    day1, day2 = feed("day1", 1), feed("day2", 2)
    assert main(["dedup", str(day1), "-o", str(tmp_path / "o1.jsonl"), "--index", str(index), "-q"]) == 0
    out = tmp_path / "o2.jsonl"
    assert main(["dedup", str(day2), "-o", str(out), "--index", str(index), "--stats", str(stats), "-q"]) == 0
    assert json.loads(stats.read_text())["seen_before"] == 0  # new stories are new
    assert all(r["is_representative"] for r in read_jsonl(out))
    both = tmp_path / "both.jsonl"
    assert main(["dedup", str(day1), str(day2), "-o", str(both), "--rejects", str(tmp_path / "r.jsonl"), "-q"]) == 0
    assert len(read_jsonl(both)) == 60 and read_jsonl(tmp_path / "r.jsonl") == []  # one basename, no clash


# ----------------------------------------------------------------------------- item 8


def test_a_line_that_inflates_past_the_cap_is_rejected_unread(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b'{"id": "a", "text": "before"}\n')
        f.write(b'{"id": "bomb", "text": "')
        for _ in range(40):
            f.write(b"a" * (1 << 20))
        f.write(b'"}\n{"id": "b", "text": "after"}\n')
    assert path.stat().st_size < 200_000
    good, bad = _items(path)
    assert [r.fields["id"] for r in good] == ["a", "b"]
    assert [b.line for b in bad] == [2] and "too large" in bad[0].reason


def test_a_warc_body_that_inflates_past_the_cap_is_rejected(tmp_path: Path) -> None:
    pytest.importorskip("fastwarc", reason="the warc extra (fastwarc) is not installed")
    from test_io import _warc_record

    bomb = gzip.compress(b"<p>" + b"x" * 5_000_000 + b"</p>")
    member = _warc_record("http://example.org/1", bomb, "text/html").replace(
        b"Content-Type: text/html\r\n", b"Content-Type: text/html\r\nContent-Encoding: gzip\r\n")
    fixed = member.split(b"\r\n\r\n", 1)
    http = fixed[1][: -4]
    header = fixed[0].rsplit(b"Content-Length: ", 1)[0] + b"Content-Length: " + str(len(http)).encode()
    path = tmp_path / "bomb.warc"
    ok = _warc_record("http://example.org/2", b"<p>fine</p>", "text/html")
    path.write_bytes(header + b"\r\n\r\n" + http + b"\r\n\r\n" + ok)
    good, bad = _items(path, max_record_bytes=1_000_000)
    assert [r.fields["url"] for r in good] == ["http://example.org/2"]
    assert len(bad) == 1 and "too large" in bad[0].reason and bad[0].line == 1


def test_warc_bodies_in_br_zstd_and_stacked_codings_are_decoded_and_unknown_ones_rejected(tmp_path: Path) -> None:
    pytest.importorskip("fastwarc", reason="the warc extra (fastwarc) is not installed")
    brotli = pytest.importorskip("brotli", reason="the warc extra (brotli) is not installed")
    zstandard = pytest.importorskip("zstandard", reason="the zstd extra is not installed")
    from test_io import _warc_record

    def member(n: int, body: bytes, coding: str) -> bytes:
        record = _warc_record(f"http://example.org/{n}", body, "text/html")
        return record.replace(b"Content-Type: text/html\r\n",
                              f"Content-Type: text/html\r\nContent-Encoding: {coding}\r\n".encode())

    page = b"<p>Page %d</p>"
    members = [
        member(1, brotli.compress(page % 1), "br"),
        member(2, zstandard.ZstdCompressor().compress(page % 2), "zstd"),
        member(3, brotli.compress(gzip.compress(page % 3)), "gzip, br"),  # gzip applied first
        member(4, page % 4, "compress"),
        member(5, brotli.compress(b"<p>" + b"x" * 5_000_000 + b"</p>"), "br"),
        member(6, brotli.compress(page % 6)[:-3], "br"),
        member(7, page % 7, "identity"),
    ]
    # fix each record's WARC Content-Length after the Content-Encoding line was added
    fixed = []
    for data in members:
        head, http = data[:-4].split(b"\r\n\r\n", 1)
        head = head.rsplit(b"Content-Length: ", 1)[0] + b"Content-Length: " + str(len(http)).encode()
        fixed.append(head + b"\r\n\r\n" + http + b"\r\n\r\n")
    path = tmp_path / "codings.warc"
    path.write_bytes(b"".join(fixed))
    good, bad = _items(path, max_record_bytes=1_000_000)
    assert {r.fields["url"]: r.fields["html"] for r in good} == {
        "http://example.org/1": page % 1, "http://example.org/2": page % 2,
        "http://example.org/3": page % 3, "http://example.org/7": page % 7}
    reasons = {b.line: b.reason for b in bad}
    assert sorted(reasons) == [4, 5, 6]
    assert "unsupported Content-Encoding 'compress'" in reasons[4]
    assert "too large" in reasons[5] and "truncated" in reasons[6]


# ----------------------------------------------------------------------------- item 12


def test_unreadable_files_and_folders_are_rejects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = tmp_path / "pages"
    (pages / "locked").mkdir(parents=True)
    (pages / "locked" / "hidden.txt").write_text("never read")
    for name in ("a.txt", "b.txt", "c.txt"):
        (pages / name).write_text(f"The story {name} " + " ".join(make_corpus(1, seed=ord(name[0]))[0]["text"].split()[:40]))
    real_scandir, real_read = os.scandir, Path.read_bytes

    def scandir(path: object = ".") -> object:
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    def read_bytes(self: Path) -> bytes:
        if self.name == "b.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    code = main(["dedup", str(pages), "-o", str(out), "--rejects", str(rejects), "-q"])
    assert code == 0
    assert [r["file"] for r in read_jsonl(out)] == ["a.txt", "c.txt"]
    reasons = {Path(str(b["path"])).name: str(b["reason"]) for b in read_jsonl(rejects)}
    assert set(reasons) == {"locked", "b.txt"}
    assert all("Permission denied" in r for r in reasons.values())


# ----------------------------------------------------------------------------- smaller ones


def test_nan_and_infinity_are_written_as_valid_json(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text('{"id": "a", "text": "x y z", "score": NaN, "top": [Infinity, 1.5]}\n', encoding="utf-8")
    code, rows, _ = _run(tmp_path, data)
    assert code == 0
    text = (tmp_path / "out.jsonl").read_text()
    assert json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c} in the output"))
    assert rows[0]["score"] is None and rows[0]["top"] == [None, 1.5]


def test_bom_and_old_mac_line_ends_are_read(tmp_path: Path) -> None:
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n')
    good, bad = _items(bom)
    assert [r.fields["id"] for r in good] == ["a", "b"] and not bad
    assert good[0].offset == 3 and good[1].line == 2
    mac = tmp_path / "mac.jsonl"
    mac.write_bytes(b'{"id": "a", "text": "x"}\r{"id": "b", "text": "y"}\r{bad\r')
    good, bad = _items(mac)
    assert [(r.fields["id"], r.line) for r in good] == [("a", 1), ("b", 2)]
    assert [b.line for b in bad] == [3]


@pytest.mark.parametrize("flags", [
    ["-o", "{out}.csv"], ["-o", "{out}.parquet.gz"], ["-o", "{out}.jsonl", "--rejects", "{out}.jsonl"],
    ["-o", "{out}.jsonl", "--rejects", "-"], ["-o", "{out}.jsonl", "--clusters", "{out}.txt"],
    ["-o", "{out}.jsonl", "--stats", "{out}.jsonl"],
])
def test_bad_output_names_are_usage_errors_before_any_work(tmp_path: Path, flags: list[str]) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", make_corpus(5))
    args = [f.format(out=tmp_path / "out") for f in flags]
    assert main(["dedup", str(data), *args, "-q"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_input_fields_are_never_overwritten() -> None:
    rec = Record({"id": "a", "source": "wire", "title": "The real headline",
                  "text": "The real headline\n\n" + "The council met on Tuesday and voted on the budget. " * 8},
                 "in.jsonl", 1)
    row = record_to_row(rec, PipelineConfig(mode="strip"))
    assert isinstance(row, dict)
    assert row["source"] == "wire" and row["newsclean_source"] == "text"
    assert row["title"] == "The real headline"


def test_clusters_table_has_no_size_one_rows_and_output_has_representative_id(tmp_path: Path) -> None:
    old = write_jsonl(tmp_path / "old.jsonl", make_corpus(20, seed=1))
    new_rows = make_corpus(20, seed=2, prefix="new")
    new_rows[3]["text"] = read_jsonl(old)[5]["text"]
    new = write_jsonl(tmp_path / "new.jsonl", new_rows)
    index, clusters, out = tmp_path / "seen.sqlite", tmp_path / "clusters.jsonl", tmp_path / "out.jsonl"
    assert main(["dedup", str(old), "-o", str(tmp_path / "o.jsonl"), "--index", str(index), "-q"]) == 0
    assert main(["dedup", str(new), "-o", str(out), "--index", str(index), "--clusters", str(clusters), "-q"]) == 0
    table = read_jsonl(clusters)
    assert all(t["size"] >= 2 for t in table)
    rows = read_jsonl(out)
    reps = {r["cluster_id"]: r["id"] for r in rows if r["is_representative"]}
    for row in rows:
        assert row["representative_id"] == reps.get(str(row["cluster_id"]))
        assert row["is_representative"] == (row["id"] == row["representative_id"])


def test_pipeline_config_defaults_match_the_cli() -> None:
    from newsclean.cli import _config, build_parser

    args = build_parser().parse_args(["run", "in.jsonl"])
    assert _config(args) == PipelineConfig()


def test_zstd_input_without_zstandard_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.errors import MissingExtraError

    monkeypatch.setitem(sys.modules, "zstandard", None)
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\x28\xb5\x2f\xfd garbage")
    with pytest.raises(MissingExtraError, match="zstd"):
        list(read_records(path))
    assert main(["dedup", str(path), "-o", str(tmp_path / "o.jsonl"), "-q"]) == 4


# ----------------------------------------------------------------------------- one decoder


def test_pages_from_folders_and_warc_are_decoded_by_the_one_decoder(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    story = "<p>" + "Новости дня: совет города одобрил новый бюджет на следующий год. " * 6 + "</p>"
    late_meta = (b"<html><head><title>t</title>" + b"<!-- " + b"x" * 5000 + b" -->"
                 + b'<meta charset="windows-1251"></head><body><article>' + story.encode("cp1251")
                 + b"</article></body></html>")
    (pages / "ru.html").write_bytes(late_meta)
    out = tmp_path / "out.jsonl"
    assert main(["run", str(pages), "-o", str(out), "--rejects", str(tmp_path / "r.jsonl"), "-q"]) == 0
    rows = read_jsonl(out)
    assert len(rows) == 1 and "Новости дня" in str(rows[0]["html"])
    pytest.importorskip("fastwarc", reason="the warc extra (fastwarc) is not installed")
    from test_io import _warc_record

    body = (b'<html><head><meta charset="iso-8859-1"></head><body><article><p>'
            + b"\x93We will not raise rates,\x94 the governor said on Tuesday, caf\xe9 owners cheered. " * 5
            + b"</p></article></body></html>")
    crawl = tmp_path / "crawl.warc"
    crawl.write_bytes(_warc_record("http://example.org/1", body, "text/html; charset=ISO-8859-1"))
    out2 = tmp_path / "out2.jsonl"
    assert main(["run", str(crawl), "-o", str(out2), "-q"]) == 0
    row = read_jsonl(out2)[0]
    assert "\u201cWe will not raise rates,\u201d" in str(row["html"])  # cp1252 quotes, not C1 controls
    assert "\x93" not in str(row["html"]) and "café" in str(row["html"])


def test_auto_routes_pages_to_extract_and_text_to_strip() -> None:
    from newsclean.etl.rows import mode_of

    config = PipelineConfig()
    assert mode_of(Record({"html": "<p>x</p>", "text": "t"}, "f", 1), config) == "extract"
    assert mode_of(Record({"html": b"<p>x</p>"}, "f", 2), config) == "extract"
    for fields in ({"text": "t"}, {"html": "", "text": "t"}, {"html": "  \n", "text": "t"}, {"html": None, "text": "t"}):
        assert mode_of(Record(fields, "f", 3), config) == "strip"


def test_normalize_stays_idempotent_past_96_nested_amp() -> None:
    from newsclean import normalize

    for depth in (1, 95, 97, 400):
        text = "Caf&" + "amp;" * depth + "eacute; &amp;amp;lt;b&gt;"
        once = normalize(text)
        assert normalize(once) == once
        assert once == "Café <b>"


def test_reuse_goes_through_the_same_path(tmp_path: Path) -> None:
    shared = "The minister said on Monday that the new budget would cut taxes for small firms and farmers."
    for folder, lead in (("a", "Markets opened higher today after a quiet week."), ("b", "Football results were mixed.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "feed.jsonl").write_text(
            json.dumps({"text": lead + "\n\n" + shared}) + "\n" + '{"text": "bad \\ud800"}\n', encoding="utf-8")
    out, rejects = tmp_path / "pairs.jsonl", tmp_path / "rejects.jsonl"
    code = main(["reuse", str(tmp_path / "a" / "feed.jsonl"), str(tmp_path / "b" / "feed.jsonl"), "-o", str(out),
                 "--rejects", str(rejects), "-q"])
    assert code == 0
    assert len(read_jsonl(out)) == 1  # ids differ although file name and line are the same
    assert [(b["line"], "surrogate" in str(b["reason"])) for b in read_jsonl(rejects)] == [(2, True), (2, True)]
    assert main(["reuse", str(tmp_path / "a" / "feed.jsonl"), "-o", str(tmp_path / "x.csv"), "-q"]) == 2


def test_site_field_strips_what_repeats_across_a_sites_pages(tmp_path: Path) -> None:
    promo = "Support our journalism: become a member today and read without limits."
    rows = [{"id": f"p{i}", "site": "sport.example" if i % 2 else "news.example",
             "text": f"Story {i}\n\nThe team won game {i} after a late goal in extra time, the coach said on "
                     f"Sunday evening.\n\n{promo if i % 2 else 'Weather: sunny, 21 degrees.'}"} for i in range(12)]
    data = write_jsonl(tmp_path / "in.jsonl", rows)
    outputs = []
    for chunk, jobs in (("3", "1"), ("5", "2")):
        out = tmp_path / f"out{chunk}.jsonl"
        assert main(["run", str(data), "-o", str(out), "--site-field", "site", "--chunk-size", chunk,
                     "--jobs", jobs, "-q"]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]  # chunks and jobs do not change what strip_many sees
    by_id = {r["id"]: r for r in read_jsonl(tmp_path / "out3.jsonl")}
    assert all(promo not in str(article_text(by_id[f"p{i}"])) for i in range(1, 12, 2))
    assert all(promo in str(by_id[f"p{i}"]["text"]) for i in range(1, 12, 2))  # the input's dump stays
    alone = tmp_path / "alone.jsonl"
    assert main(["run", str(data), "-o", str(alone), "-q"]) == 0
    assert any(promo in str(article_text(r)) for r in read_jsonl(alone))  # without --site-field it stays


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_bad_warc_content_length_does_not_swallow_the_next_records(tmp_path: Path, gzipped: bool) -> None:
    pytest.importorskip("fastwarc", reason="the warc extra (fastwarc) is not installed")
    import re

    from test_io import _warc_record

    members = [_warc_record(f"http://example.org/{i}", f"<p>page {i}</p>".encode(), "text/html") for i in range(8)]
    head, sep, rest = members[0].partition(b"\r\n\r\n")
    declared = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
    too_long = head.replace(b"Content-Length: %d" % declared, b"Content-Length: %d" % (declared + 3 * len(members[1]) + 20))
    parts = [too_long + sep + rest, *members[1:]]
    if gzipped:
        parts = [gzip.compress(p) for p in parts]
    path = tmp_path / ("bad.warc.gz" if gzipped else "bad.warc")
    path.write_bytes(b"".join(parts))
    good, bad = _items(path)
    assert [str(r.fields["url"])[-1] for r in good] == [str(i) for i in range(8)] and not bad
    assert [r.offset for r in good[1:]] == [path.read_bytes().index(m) for m in parts[1:]]
    # a Content-Length past the end of the file
    to_end = head.replace(b"Content-Length: %d" % declared, b"Content-Length: %d" % (declared + 10**6))
    parts = [to_end + sep + rest, *members[1:]]
    path.write_bytes(b"".join(gzip.compress(p) for p in parts) if gzipped else b"".join(parts))
    good, bad = _items(path)
    assert [str(r.fields["url"])[-1] for r in good] == [str(i) for i in range(8)] and not bad
    # a page that quotes a WARC record, with a right Content-Length, is one record
    quoting = _warc_record("http://example.org/q", b"<pre>x\r\n\r\nWARC/1.0\r\nWARC-Type: response</pre>", "text/html")
    parts = [quoting, members[1]]
    path.write_bytes(b"".join(gzip.compress(p) for p in parts) if gzipped else b"".join(parts))
    good, bad = _items(path)
    assert [str(r.fields["url"])[-1] for r in good] == ["q", "1"] and not bad
    assert b"WARC-Type: response" in bytes(good[0].fields["html"])  # type: ignore[arg-type]


@pytest.mark.slow
def test_reuters_titles_and_fields_survive_a_run(tmp_path: Path, reuters_path: Path) -> None:
    src = tmp_path / "reuters.jsonl"
    with gzip.open(reuters_path, "rt", encoding="utf-8") as f, open(src, "w", encoding="utf-8") as out:
        for i, line in enumerate(f):
            if i == 3000:
                break
            out.write(line)
    rows_in = {r["id"]: r for r in read_jsonl(src)}
    out_path = tmp_path / "out.jsonl"
    assert main(["run", str(src), "-o", str(out_path), "-q"]) == 0
    rows = read_jsonl(out_path)
    assert len(rows) == 3000
    for row in rows:  # every input field comes back unchanged (text: its cleaned version)
        original = rows_in[str(row["id"])]
        assert all(row[k] == v for k, v in original.items() if k != "text")


def test_extracted_records_carry_the_page_type(tmp_path: Path) -> None:
    body = "".join(f"<p>The harbour board met on Tuesday to discuss item {i} of the plan, officials said.</p>"
                   for i in range(8))
    page = f"<html><head><title>Harbour plan</title></head><body><article><h1>Harbour plan</h1>{body}</article></body></html>"
    src, out = tmp_path / "pages.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"id": "p1", "html": page}) + "\n" + json.dumps({"id": "t1", "text": "A plain line."}) + "\n",
                   encoding="utf-8")
    assert main(["run", str(src), "-o", str(out), "-q"]) == 0
    rows = {r["id"]: r for r in read_jsonl(out)}
    assert rows["p1"]["page_type"] in ("article", "forum", "listing", "product", "other")
    assert rows["t1"]["page_type"] is None  # strip does not guess a page type
