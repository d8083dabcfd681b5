"""``newsclean reuse`` in bounded memory gives :func:`newsclean.find_reuse`'s matches.

The run keys paragraphs in batches, splits the keys by shingle hash into partition files
(again while one is too big), counts shared shingles per partition and sums them per pair
in bucket files, and sorts the matches in ranges of documents. Here the batch, partition
and sort limits are tiny, so every part of that runs on small corpora: several batches,
partitions split twice, pairs whose shingles fall in many partitions, boilerplate over
``max_df``, ids out of order, matches sorted in many ranges (and in fewer ranges than
documents need, at ``_FANOUT`` of them).
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean import find_reuse
from newsclean.cli import main
from newsclean.etl import passages
from newsclean.etl.config import PipelineConfig
from newsclean.etl.records import Record
from newsclean.etl.rows import article_text, record_to_row

WORDS = (
    "market bank price rate city council bridge storm harbour minister budget tax school "
    "river farmer grain wheat report police court judge election vote party leader union "
    "strike factory export import currency shares trading energy oil gas coal power plant "
    "railway airport hospital doctor nurse teacher pupil museum theatre festival league"
).split()


def _paragraph(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, rng.randint(10, 24))).capitalize() + "."


def _corpus(seed: int, n_docs: int) -> list[dict[str, Any]]:
    """Documents that share passages: pasted paragraphs, edited copies, a footer in
    more than ``max_df`` (100) documents, a paragraph repeated inside one document."""
    rng = random.Random(seed)
    pool = [_paragraph(rng) for _ in range(12)]
    footer = "Copyright reserved by the agency and its partners, all rights in every country of the world."
    docs = []
    for i in range(n_docs):
        paras = [_paragraph(rng) for _ in range(rng.randint(1, 4))]
        for _ in range(rng.randint(0, 3)):
            shared = rng.choice(pool)
            if rng.random() < 0.4:  # an edited copy: a word dropped
                words = shared.split()
                del words[rng.randrange(len(words))]
                shared = " ".join(words)
            paras.insert(rng.randint(0, len(paras)), shared)
        if rng.random() < 0.2:
            paras.append(paras[0])
        if i % 7:
            paras.append(footer)
        docs.append({"id": f"d{rng.randint(0, 10**6)}-{i}", "text": "\n\n".join(paras)})
    rng.shuffle(docs)
    return docs


def _library(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``find_reuse`` on the texts the run reads (its rows' article text), as JSON rows."""
    config = dataclasses.replace(PipelineConfig(), mode="text", dedup=False)
    texts, ids = [], []
    for line, fields in enumerate(records, 1):
        row = record_to_row(Record(fields, "in.jsonl", line), config)
        assert isinstance(row, dict)
        texts.append(str(article_text(row) or ""))
        ids.append(str(fields["id"]))
    result = find_reuse(texts, ids)
    return [json.loads(json.dumps(dataclasses.asdict(m))) for m in result.matches]


def _run(tmp_path: Path, records: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    source = tmp_path / f"{name}.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / f"{name}-pairs.jsonl"
    assert main(["reuse", str(source), "-o", str(out), "-q"]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def tiny_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passages, "_BATCH_DOCS", 7)
    monkeypatch.setattr(passages, "_PARTITION_KEYS", 40)
    monkeypatch.setattr(passages, "_FANOUT", 4)
    monkeypatch.setattr(passages, "_SORT_ROWS", 5)  # the matches sorted in ranges of documents


def _normal(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: tuple(v) if isinstance(v, list) else v for k, v in r.items()} for r in rows]


def test_bounded_run_gives_the_librarys_matches(tmp_path: Path, tiny_limits: None) -> None:
    records = _corpus(1, 130)
    expected = _library(records)
    assert len(expected) > 50 and len({(m["doc_a"], m["doc_b"]) for m in expected}) > 20
    assert not any("Copyright" in m["text_a"] for m in expected)  # the footer is in > max_df
    assert any(m["containment"] < 1.0 for m in expected)  # edited copies too
    assert _normal(_run(tmp_path, records, "a")) == _normal(expected)


def test_bounded_run_does_not_depend_on_input_order_or_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _corpus(2, 60)
    default = _run(tmp_path, records, "default")
    assert default
    monkeypatch.setattr(passages, "_BATCH_DOCS", 3)
    monkeypatch.setattr(passages, "_PARTITION_KEYS", 10)
    monkeypatch.setattr(passages, "_FANOUT", 2)
    monkeypatch.setattr(passages, "_SORT_ROWS", 1)
    assert _run(tmp_path, list(reversed(records)), "tiny") == default


def test_bounded_run_of_no_documents_and_of_documents_without_paragraphs(tmp_path: Path) -> None:
    assert _run(tmp_path, [], "none") == []
    assert _run(tmp_path, [{"id": "a", "text": ""}, {"id": "b", "text": "Short."}], "short") == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 10**6), st.integers(2, 40))
def test_bounded_run_equals_the_library_on_generated_corpora(
    tmp_path_factory: pytest.TempPathFactory, tiny_limits: None, seed: int, n_docs: int
) -> None:
    records = _corpus(seed, n_docs)
    expected = _library(records)
    assert _normal(_run(tmp_path_factory.mktemp("gen"), records, "g")) == _normal(expected)


def test_reuse_options_reach_the_matching(tmp_path: Path) -> None:
    """--containment, --min-shared, --min-words, --max-df, --ngram are ReuseConfig's."""
    from newsclean import ReuseConfig

    records = _corpus(5, 40)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "strict.jsonl"
    flags = ["--containment", "1.0", "--min-words", "14", "--min-shared", "6", "--max-df", "30", "--ngram", "4"]
    assert main(["reuse", str(source), "-o", str(out), "-q", *flags]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    config = dataclasses.replace(PipelineConfig(), mode="text", dedup=False)
    texts = [str(article_text(record_to_row(Record(r, "in.jsonl", i), config)) or "")  # type: ignore[arg-type]
             for i, r in enumerate(records, 1)]
    strict = ReuseConfig(containment=1.0, min_words=14, min_shared=6, max_df=30, ngram=4)
    expected = find_reuse(texts, [r["id"] for r in records], config=strict).matches
    assert _normal(rows) == _normal([json.loads(json.dumps(dataclasses.asdict(m))) for m in expected])
    assert rows and len(rows) < len(_library(records))
    assert main(["reuse", str(source), "-o", str(tmp_path / "bad.jsonl"), "--min-shared", "0"]) == 2


def test_spill_dir_holds_the_spill_files_and_only_they_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--spill-dir: the run's temporary directory is made there and removed; nothing else."""
    records = _corpus(3, 30)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    spill = tmp_path / "spill"
    spill.mkdir()
    (spill / "users-file.txt").write_text("keep me", encoding="utf-8")
    seen: list[Path] = []
    real = passages._Spill

    def recording(folder: Path, config: Any) -> Any:
        seen.append(folder)
        return real(folder, config)

    monkeypatch.setattr(passages, "_Spill", recording)
    out = tmp_path / "pairs.jsonl"
    assert main(["reuse", str(source), "-o", str(out), "-q", "--spill-dir", str(spill)]) == 0
    assert [folder.parent for folder in seen] == [spill] and seen[0].name.startswith("newsclean-reuse-")
    assert sorted(p.name for p in spill.iterdir()) == ["users-file.txt"]
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and _normal(rows) == _normal(_library(records))
    assert main(["reuse", str(source), "-o", str(tmp_path / "x.jsonl"), "--spill-dir", str(source)]) == 2
    assert not (tmp_path / "x.jsonl").exists()
