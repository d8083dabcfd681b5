"""Tests of newsclean.spark on a local[2] SparkSession (marker ``spark``: run with -m spark).

One SparkSession serves the whole test session (starting one costs ~10 s); the module
skips, saying why, when pyspark or Java is missing.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.test_dedup import figure_corpora

pytestmark = pytest.mark.spark




def union_find_components(edges: list[tuple[Any, Any]]) -> dict[Any, Any]:
    """Reference: node -> smallest node of its component, for nodes on a non-loop edge."""
    parent: dict[Any, Any] = {}

    def find(node: Any) -> Any:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    nodes = {x for a, b in edges if a != b for x in (a, b)}
    return {node: find(node) for node in nodes}


# --- import behaviour (no Spark needed) -------------------------------------------------


@pytest.mark.filterwarnings("ignore")
def test_importing_newsclean_does_not_import_pyspark() -> None:
    code = (
        "import sys, newsclean, newsclean.spark; "
        "assert 'pyspark' not in sys.modules, sorted(m for m in sys.modules if 'spark' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_pyspark_raises_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.errors import MissingExtraError
    from newsclean.spark import spark_session

    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'newsclean\[spark\]'"):
        spark_session("local[1]")


# --- connected components ---------------------------------------------------------------


def _components(spark: Any, edges: list[tuple[Any, Any]], schema: str) -> tuple[dict[Any, Any], int]:
    from newsclean.spark import connected_components

    frame = spark.createDataFrame(edges, schema)
    result = connected_components(frame)
    rows = result.components.collect()
    labels = {row["node"]: row["component"] for row in rows}
    assert len(labels) == len(rows), "one row per node"
    return labels, result.rounds


@settings(max_examples=3, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=45))
def test_components_match_union_find(spark: Any, edges: list[tuple[int, int]]) -> None:
    labels, _ = _components(spark, edges, "src long, dst long")
    assert labels == union_find_components(edges)


@settings(max_examples=2, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("abcdefghijkXYZé"), st.sampled_from("abcdefghijkXYZé")),
        min_size=1,
        max_size=20,
    )
)
def test_components_on_string_ids_use_python_order(spark: Any, edges: list[tuple[str, str]]) -> None:
    labels, _ = _components(spark, edges, "src string, dst string")
    assert labels == union_find_components(edges)


def test_long_path_converges_in_logarithmic_rounds(spark: Any) -> None:
    # A path 0-1-2-...-63 is the slow case for label propagation (63 rounds);
    # large-star halves the distances, so rounds stay near log2(n) = 6.
    n = 64
    edges = [(i + 1, i) for i in range(n - 1)]
    labels, rounds = _components(spark, edges, "src long, dst long")
    assert labels == {i: 0 for i in range(n)}
    assert rounds <= 2 * math.ceil(math.log2(n))


def test_components_reject_bad_columns(spark: Any) -> None:
    from newsclean.errors import InputError
    from newsclean.spark import connected_components

    frame = spark.createDataFrame([(1, "a")], "src long, dst string")
    with pytest.raises(InputError, match="one type"):
        connected_components(frame)
    with pytest.raises(InputError, match="no column 'to'"):
        connected_components(frame, dst="to")


def test_checkpoints_go_to_the_session_directory(spark: Any) -> None:
    directory = spark.sparkContext.getCheckpointDir()
    assert directory is not None
    _components(spark, [(1, 2), (2, 3)], "src long, dst long")
    assert any(Path(directory.removeprefix("file:")).rglob("*"))


# --- dedup: Spark == local -------------------------------------------------------------

# Words written for these tests; figures so that the templated-report check has work.
_WORDS = (
    "the bank said rates would rise after inflation data showed prices climbing in march "
    "while traders expected a cut oil output fell shares of the company jumped on news "
    "minister told parliament that talks continue weather storm hit coast"
).split() + ["12", "1987", "4.5", "300", "мир", "новости", "café", "Zürich"]


@st.composite
def corpora(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Originals plus exact copies, edited copies, truncations, figure swaps, empty texts."""
    words = st.sampled_from(_WORDS)
    originals = draw(st.lists(st.lists(words, min_size=1, max_size=40), min_size=1, max_size=10))
    texts = [" ".join(o) for o in originals]
    for original in originals:
        edits = draw(st.lists(st.sampled_from(["copy", "edit", "prefix", "truncate", "figure"]), max_size=3))
        for edit in edits:
            tokens = list(original)
            if edit == "edit":
                tokens[draw(st.integers(0, len(tokens) - 1))] = draw(words)
            elif edit == "prefix":
                tokens = ["PARIS", "(Reuters)", "-", *tokens]
            elif edit == "truncate":
                tokens = tokens[: max(1, len(tokens) * 2 // 3)]
            elif edit == "figure":
                tokens = [*tokens[:5], "99", *tokens[5:]]
            texts.append(" ".join(tokens))
    texts += [""] * draw(st.integers(0, 1)) + ["..."] * draw(st.integers(0, 1))
    names = draw(
        st.lists(
            st.text(alphabet="abcXYZ09-é", min_size=1, max_size=4),
            min_size=len(texts),
            max_size=len(texts),
            unique=True,
        )
    )
    return names, texts


def _spark_rows(spark: Any, ids: list[Any], texts: list[str], **options: Any) -> dict[Any, Any]:
    from newsclean.spark import dedup as spark_dedup

    frame = spark.createDataFrame(list(zip(ids, texts, strict=True)), "id string, text string")
    return {row["id"]: row for row in spark_dedup(frame, **options).collect()}


def _assert_same_as_local(rows: dict[Any, Any], local: Any) -> None:
    assert set(rows) == set(local.ids)
    for i, doc_id in enumerate(local.ids):
        row = rows[doc_id]
        assert row["cluster_id"] == local.labels[i], doc_id
        assert row["representative_id"] == local.representatives[i], doc_id
        assert row["is_representative"] == (doc_id == local.representatives[i])
        assert row["similarity"] == local.similarity[i], doc_id
        assert row["containment"] == local.containment[i], doc_id
        assert row["empty"] == local.empty[i], doc_id


@settings(max_examples=4, deadline=None)
@given(corpora(), st.sampled_from(["exact", "estimate"]))
def test_spark_dedup_equals_local(spark: Any, corpus: tuple[list[str], list[str]], verify: str) -> None:
    import newsclean
    from newsclean.cluster import DedupConfig

    ids, texts = corpus
    config = DedupConfig(verify=verify)  # type: ignore[arg-type]
    rows = _spark_rows(spark, ids, texts, config=config)
    _assert_same_as_local(rows, newsclean.dedup(texts, ids, config=config))


def test_spark_dedup_oversized_band_groups_and_keeps_input_columns(spark: Any) -> None:
    # 70 copies of one text make band groups larger than lsh.MAX_GROUP_PAIRS (64), which
    # are linked by a chain and a star in id order: Spark must link them the same way.
    import newsclean
    from newsclean.spark import dedup as spark_dedup

    story = "the minister told parliament on monday that talks with the unions would continue"
    texts = [story] * 70 + [story + " next week", "storm hit the coast", ""]
    ids = [f"n{(i * 37) % 101:03d}" for i in range(len(texts))]
    frame = spark.createDataFrame(
        [(doc_id, text, i) for i, (doc_id, text) in enumerate(zip(ids, texts, strict=True))],
        "id string, text string, position int",
    )
    out = spark_dedup(frame, threshold=0.7)
    assert out.columns[:3] == ["id", "text", "position"]
    rows = {row["id"]: row for row in out.collect()}
    assert all(rows[doc_id]["position"] == i for i, doc_id in enumerate(ids))
    _assert_same_as_local(rows, newsclean.dedup(texts, ids, threshold=0.7))
    assert len({rows[doc_id]["cluster_id"] for doc_id in ids[:71]}) == 1


def test_spark_dedup_integer_ids_order_as_numbers(spark: Any) -> None:
    from newsclean.spark import dedup as spark_dedup

    text = "shares of the company jumped on news that oil output fell in march"
    frame = spark.createDataFrame([(10, text), (9, text), (100, "storm")], "doc long, body string")
    rows = {r["doc"]: r for r in spark_dedup(frame, id_col="doc", text_col="body").collect()}
    assert rows[10]["cluster_id"] == 9 and rows[9]["cluster_id"] == 9
    assert rows[100]["cluster_id"] == 100 and rows[100]["is_representative"]


@pytest.mark.parametrize(
    ("rows", "schema", "options", "message"),
    [
        ([("a", "x")], "id string, body string", {}, "no text column 'text'"),
        ([("a", 1)], "id string, text long", {}, "must be string"),
        ([(1.5, "x")], "id double, text string", {}, "string or integer"),
        ([("a", "x"), ("a", "y")], "id string, text string", {}, "duplicate ids.*'a'"),
        ([(None, "x")], "id string, text string", {}, "null id"),
        ([("a", None)], "id string, text string", {}, "null text"),
        ([("a", "x", "c")], "id string, text string, cluster_id string", {}, "output column"),
        ([("a", "x")], "id string, text string", {"threshold": 1.5}, "threshold must be in"),
    ],
)
def test_spark_dedup_rejects_bad_input(
    spark: Any, rows: list[Any], schema: str, options: dict[str, Any], message: str
) -> None:
    from newsclean.errors import InputError
    from newsclean.spark import dedup as spark_dedup

    with pytest.raises(InputError, match=message):
        spark_dedup(spark.createDataFrame(rows, schema), **options)


# --- CLI engine ----------------------------------------------------------------------------


def test_run_cli_dedup_writes_what_the_local_engine_writes(spark: Any, tmp_path: Path) -> None:
    import json

    from newsclean.cli import main
    from newsclean.spark import run_cli_dedup

    story = "the bank said rates would rise after inflation data showed prices climbing"
    records = [
        {"id": 10, "text": story, "source": "wire"},
        {"id": 9, "text": "PARIS (Reuters) \u2014 \u201c" + story + "\u201d", "source": "site"},
        {"id": 11, "text": "a storm hit the coast on tuesday", "source": "site"},
        {"id": 12, "text": "  ", "source": "site"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    spark_out, local_out = tmp_path / "spark.jsonl", tmp_path / "local.jsonl"
    summary = run_cli_dedup([str(source)], str(spark_out), master="local[2]", drop_fields=["source"])
    assert main(["dedup", str(source), "-o", str(local_out), "-q", "--drop-field", "source"]) == 0

    def read(path: Path) -> dict[int, dict[str, Any]]:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return {row["id"]: row for row in rows}

    spark_rows, local_rows = read(spark_out), read(local_out)
    assert list(spark_rows) == [10, 11, 12, 9]  # the input's integer ids, in the order of their text
    assert set(spark_rows) == set(local_rows)
    for doc_id, local_row in local_rows.items():
        for field in ("text", "newsclean_text", "status", "cluster_id", "is_representative", "similarity"):
            assert spark_rows[doc_id].get(field) == local_row.get(field), (doc_id, field)
    assert spark_rows[9]["text"] == records[1]["text"]  # the input's text is never overwritten
    assert spark_rows[9]["newsclean_text"] == 'PARIS (Reuters) - "' + story + '"'
    assert "newsclean_text" not in spark_rows[10]  # already clean: nothing added
    assert "source" not in spark_rows[9]
    assert spark_rows[9]["cluster_id"] == "10"  # "10" < "9", as the local engine orders
    assert (summary.records_in, summary.records_out, summary.clusters) == (4, 4, 3)
    assert summary.duplicates_removed == 1
    assert not list(tmp_path.glob("*.spark-tmp"))


def test_run_cli_dedup_rejects_what_it_cannot_read(spark: Any, tmp_path: Path) -> None:
    from newsclean.errors import InputError
    from newsclean.spark import run_cli_dedup

    with pytest.raises(InputError, match="JSONL .* or Parquet"):
        run_cli_dedup([str(tmp_path / "crawl.warc.gz")], str(tmp_path / "o.jsonl"), master="local[2]")
    (tmp_path / "in.jsonl").write_text('{"key": "a", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="no field 'id'"):
        run_cli_dedup([str(tmp_path / "in.jsonl")], str(tmp_path / "o.jsonl"), master="local[2]")


@settings(max_examples=3, deadline=None)
@given(figure_corpora())
def test_spark_dedup_equals_local_on_figures_and_templated_notices(spark: Any, texts: list[str]) -> None:
    import newsclean

    ids = [f"d{i:02d}" for i in range(len(texts))]
    rows = _spark_rows(spark, ids, texts)
    _assert_same_as_local(rows, newsclean.dedup(texts, ids))
