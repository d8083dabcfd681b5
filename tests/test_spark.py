"""Tests of newsclean.spark on a local[2] SparkSession (marker ``spark``: run with -m spark).

One SparkSession serves the whole test session (starting one costs ~10 s); the module
skips, saying why, when pyspark or Java is missing.
"""

from __future__ import annotations

import importlib.util
import math
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.spark


def _spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'newsclean[spark]')"
    if shutil.which("java") is None:
        return "java is not on PATH (Spark needs Java 17)"
    return None


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = _spark_missing()
    if reason:
        pytest.skip(reason)
    from newsclean.spark import spark_session

    session = spark_session(
        "local[2]",
        app_name="newsclean-tests",
        shuffle_partitions=2,
        checkpoint_dir=str(tmp_path_factory.mktemp("spark-checkpoints")),
        config={"spark.default.parallelism": "2", "spark.sql.adaptive.enabled": "true"},
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


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


@settings(max_examples=6, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=45))
def test_components_match_union_find(spark: Any, edges: list[tuple[int, int]]) -> None:
    labels, _ = _components(spark, edges, "src long, dst long")
    assert labels == union_find_components(edges)


@settings(max_examples=3, deadline=None)
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
    # A path 0-1-2-...-255 is the slow case for label propagation (255 rounds);
    # large-star halves the distances, so rounds stay near log2(n) = 8.
    n = 256
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
