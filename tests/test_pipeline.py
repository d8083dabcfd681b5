"""Tests of newsclean.pipeline: record -> row rules and the invariants of a run."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.errors import InputError, RecordError
from newsclean.etl.rows import article_text, computed_field, row_id
from newsclean.io import Record
from newsclean.pipeline import PipelineConfig, RunPaths, record_to_row, run_pipeline

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar".split()


def test_row_keeps_input_fields_and_adds_article_fields() -> None:
    rec = Record({"id": 3, "text": "Caf\u00e9  news\u2026", "title": "Kept", "tags": ["a"]}, "in.jsonl", 4)
    row = record_to_row(rec, PipelineConfig(mode="text"))
    # the input's text is never overwritten: its normalized form goes to newsclean_text;
    # the id stays the number it was (the run reads it as the text "3")
    assert row == {"id": 3, "text": "Caf\u00e9  news\u2026", "title": "Kept", "tags": ["a"],
                   "newsclean_text": "Café news...", "status": "ok"}


def test_a_null_id_is_kept_and_the_derived_id_goes_beside_it() -> None:
    row = record_to_row(Record({"id": None, "text": "x y"}, "/data/in.jsonl", 9), PipelineConfig(mode="text"))
    assert isinstance(row, dict) and row["id"] is None
    assert str(row["newsclean_id"]).startswith("in.jsonl:9:")
    assert row_id(row, "id") == row["newsclean_id"]


@pytest.mark.parametrize("bad", [[1], {"a": 1}, True])
def test_an_id_that_is_not_text_or_a_number_is_a_located_reject(bad: object) -> None:
    result = record_to_row(Record({"id": bad, "text": "x y"}, "in.jsonl", 5), PipelineConfig(mode="text"))
    assert isinstance(result, RecordError) and result.line == 5
    assert "'id' is" in result.reason and "not text or a number" in result.reason


def test_an_output_read_again_keeps_every_field_and_clashes_go_one_level_deeper() -> None:
    """A run's output as the next run's input: its newsclean_* fields are input fields
    too, never overwritten; a newer value goes one prefix deeper and is what is read."""
    fields = {"id": None, "newsclean_id": "day1.jsonl:3:ab", "text": "Caf\u00e9  news\u2026",
              "newsclean_text": "older cleaning", "status": "wire"}
    row = record_to_row(Record(dict(fields), "out.jsonl", 3), PipelineConfig(mode="text"))
    assert isinstance(row, dict)
    assert {k: row[k] for k in fields} == fields
    assert row["newsclean_newsclean_text"] == "Café news..." and row["newsclean_status"] == "ok"
    assert "newsclean_newsclean_id" not in row  # the earlier run's id is the id
    assert row_id(row, "id") == "day1.jsonl:3:ab"
    assert article_text(row) == "Café news..." and computed_field(row, "status") == "ok"
    # the same value at the deepest level adds nothing (a re-run of the output is stable)
    again = record_to_row(Record(dict(row), "out2.jsonl", 3), PipelineConfig(mode="text"))
    assert again == row


def test_row_without_id_gets_file_line_and_a_hash_of_the_record() -> None:
    row = record_to_row(Record({"text": "x y"}, "/data/in.jsonl", 9), PipelineConfig(mode="text"))
    assert isinstance(row, dict) and str(row["id"]).startswith("in.jsonl:9:") and len(str(row["id"])) == 27


def test_bad_fields_become_record_errors() -> None:
    config = PipelineConfig(mode="text", text_field="body")
    missing = record_to_row(Record({"text": "x"}, "f.jsonl", 2), config)
    assert isinstance(missing, RecordError) and missing.line == 2 and "missing field 'body'" in missing.reason
    null = record_to_row(Record({"body": None}, "f.jsonl", 5), config)
    assert isinstance(null, RecordError) and "field 'body' is null, not text" in null.reason
    wrong = record_to_row(Record({"body": 12}, "f.jsonl", 3), config)
    assert isinstance(wrong, RecordError) and "is int, not text" in wrong.reason
    undecodable = record_to_row(Record({"body": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "f.parquet", 4), config)
    assert isinstance(undecodable, RecordError) and "binary data, not text" in undecodable.reason
    russian = "Правительство утвердило бюджет на следующий год, сообщили в министерстве финансов."
    legacy = record_to_row(Record({"body": russian.encode("cp1251")}, "f.parquet", 6), config)
    assert legacy["newsclean_text" if "newsclean_text" in legacy else "text"] == russian  # type: ignore[index]
    assert record_to_row(Record({"body": b"bytes ok"}, "f.parquet", 5), config)["text"] == "bytes ok"  # type: ignore[index]


def test_auto_mode_extracts_html_and_strips_text() -> None:
    html = "<html><body><article><h1>Rates held</h1>" + "<p>The central bank kept its key rate unchanged on Tuesday, citing slowing inflation and a weaker labour market.</p>" * 3 + "</article></body></html>"
    config = PipelineConfig(mode="auto", drop_fields=("html",))
    page = record_to_row(Record({"id": "p", "html": html}, "f", 1), config)
    dump = record_to_row(Record({"id": "d", "text": "Rates held\n\nThe bank kept its rate."}, "f", 2), config)
    assert isinstance(page, dict) and isinstance(dump, dict)
    assert "html" not in page and "<p>" not in str(page["text"]) and page["source"] == "html"
    assert dump["source"] == "text"


def test_config_checks_options() -> None:
    with pytest.raises(InputError, match="threshold"):
        PipelineConfig(threshold=0)
    with pytest.raises(InputError, match="jobs"):
        PipelineConfig(jobs=0)
    with pytest.raises(InputError, match="mode"):
        PipelineConfig(mode="html")  # type: ignore[arg-type]


def _run(rows: list[dict[str, object]], chunk_size: int) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as folder:
        data, out = Path(folder) / "in.jsonl", Path(folder) / "out.jsonl"
        data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        run_pipeline([str(data)], RunPaths(output=str(out)), PipelineConfig(mode="text", chunk_size=chunk_size))
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


story = st.lists(st.sampled_from(WORDS), min_size=0, max_size=30).map(" ".join)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=25), st.lists(story, min_size=6, max_size=6),
       st.integers(1, 7))
def test_run_invariants(picks: list[int], stories: list[str], chunk_size: int) -> None:
    rows: list[dict[str, object]] = [{"id": f"r{i:02d}", "text": stories[p]} for i, p in enumerate(picks)]
    out = _run(rows, chunk_size)
    assert [r["id"] for r in out] == [r["id"] for r in rows]  # input order, nothing lost
    clusters: dict[object, list[dict[str, object]]] = {}
    for row in out:
        clusters.setdefault(row["cluster_id"], []).append(row)
    for cluster_id, members in clusters.items():
        assert cluster_id == min(str(m["id"]) for m in members)  # labelled by its smallest id
        assert sum(bool(m["is_representative"]) for m in members) == 1
        assert all(0.0 <= float(m["similarity"]) <= 1.0 for m in members)  # type: ignore[arg-type]
    # identical non-empty texts always share a cluster
    for a in out:
        for b in out:
            if a["text"] == b["text"] and str(a["text"]).strip():
                assert a["cluster_id"] == b["cluster_id"]
    # the chunk size (unit of work and of parallelism) never changes the output
    assert _run(rows, 100) == out
