"""`newsclean dedup --engine spark` gives the clusters of the local engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsclean.cli import EXIT_USAGE, main

pytestmark = pytest.mark.spark


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _rows(path: Path) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in _lines(path)}


def _both_engines(tmp_path: Path, records: list[dict[str, Any]]) -> tuple[Path, Path]:
    """``newsclean dedup`` of ``records`` on Spark and locally: the two output files."""
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    spark_out, local_out = tmp_path / "spark.jsonl", tmp_path / "local.jsonl"
    assert main(["dedup", str(source), "-o", str(spark_out), "-q",
                 "--engine", "spark", "--spark-master", "local[2]"]) == 0
    assert main(["dedup", str(source), "-o", str(local_out), "-q"]) == 0
    return spark_out, local_out


def test_engine_spark_matches_local_engine(spark: Any, tmp_path: Path) -> None:
    story = ("The port authority said on Monday that container traffic rose by a fifth in "
             "the first quarter, helped by new routes to the Baltic and the Mediterranean.")
    records = [
        {"id": "b", "text": story},
        {"id": "a", "text": "HAMBURG (Wire) - " + story.upper()},
        {"id": "c", "text": "Rain is expected across the north of the country this weekend."},
    ]
    spark_out, local_out = _both_engines(tmp_path, records)
    spark_rows, local_rows = _rows(spark_out), _rows(local_out)
    assert {k: v["cluster_id"] for k, v in spark_rows.items()} == {"a": "a", "b": "a", "c": "c"}
    for doc_id, row in local_rows.items():
        assert spark_rows[doc_id]["cluster_id"] == row["cluster_id"]
        assert spark_rows[doc_id]["is_representative"] == row["is_representative"]


def test_engine_spark_keeps_integer_ids_and_clashing_fields_as_the_local_engine(spark: Any, tmp_path: Path) -> None:
    """Integer ids stay integers (clustered as text, so "10" < "9"), and an input that is
    an earlier output keeps its newsclean_* fields: the two engines write the same rows.
    The Spark job's own ``containment`` / ``empty`` columns are not written (the local
    engine has no such fields); input fields of those names come out as they went in."""
    story = ("The port authority said on Monday that container traffic rose by a fifth in "
             "the first quarter, helped by new routes to the Baltic and the Mediterranean.")
    records = [
        {"id": 9, "text": story, "status": "wire", "newsclean_status": "old", "containment": "from the user"},
        {"id": 10, "text": story.upper() + "  ", "status": "wire", "newsclean_status": "ok"},
        {"id": 100, "text": "Rain is expected across the north of the country this weekend.",
         "status": "wire", "newsclean_status": "old", "empty": "yes"},
    ]
    spark_out, local_out = _both_engines(tmp_path, records)
    spark_rows, by_id = _lines(spark_out), _rows(local_out)
    assert set(by_id) == {9, 10, 100}  # the input's integers, not "9", "10", "100"
    for row in spark_rows:  # the same rows, field for field
        assert row == by_id[row["id"]]
    assert by_id[9]["cluster_id"] == "10" and by_id[9]["representative_id"] is not None
    for record in records:  # every input field as it came
        assert {k: by_id[record["id"]][k] for k in record} == record
    assert by_id[9]["newsclean_newsclean_status"] == "ok" and "newsclean_newsclean_status" not in by_id[10]
    assert not {"containment", "empty", "newsclean_containment", "newsclean_empty"} & set(by_id[10])
    assert "newsclean_containment" not in by_id[9] and "newsclean_empty" not in by_id[100]


def test_engine_spark_reads_an_earlier_output_with_fields_in_some_rows_as_the_local_engine(
    spark: Any, tmp_path: Path
) -> None:
    """Rows of one JSONL file that have the dedup's own fields or not, deeper ones without
    the first, equal values or other ones: the Spark engine puts every computed field where
    the local engine does, row by row (it refused such inputs before)."""
    story = ("The port authority said on Monday that container traffic rose by a fifth in "
             "the first quarter, helped by new routes to the Baltic and the Mediterranean.")
    other = "Rain is expected across the north of the country this weekend, forecasters said."
    records = [
        {"id": "a", "text": story, "cluster_id": "old-7", "similarity": 0.25},
        {"id": "b", "text": story.upper(), "cluster_id": "a", "status": "ok"},
        {"id": "c", "text": other, "newsclean_cluster_id": "zzz", "is_representative": True},
        {"id": "d", "text": other + " More later.", "cluster_id": "q", "newsclean_cluster_id": "r"},
        {"id": "e", "text": "", "status": "wire"},
    ]
    spark_out, local_out = _both_engines(tmp_path, records)
    spark_rows, by_id = _lines(spark_out), _rows(local_out)
    for row in spark_rows:  # the same rows, field for field
        expected = {k: v for k, v in by_id[row["id"]].items() if v is not None}  # JSON nulls
        assert row == expected
    assert by_id["a"]["newsclean_cluster_id"] == "a" and "newsclean_cluster_id" not in by_id["b"]
    assert by_id["c"]["cluster_id"] == "c" and by_id["c"]["newsclean_cluster_id"] == "zzz"
    assert by_id["d"]["newsclean_cluster_id"] == "r" and by_id["d"]["newsclean_newsclean_cluster_id"] in "cd"
    assert by_id["e"]["newsclean_status"] == "empty_input"


def test_engine_spark_takes_a_null_parquet_value_as_the_local_engine_does(spark: Any, tmp_path: Path) -> None:
    """Parquet rows have every column: a null is a value there, so a computed field goes
    one level deeper in both engines."""
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    story = ("The port authority said on Monday that container traffic rose by a fifth in "
             "the first quarter, helped by new routes to the Baltic and the Mediterranean.")
    table = pa.table({"id": ["a", "b", "c"], "text": [story, story.upper(), "Rain again in the north."],
                      "cluster_id": ["x", None, "c"], "status": [None, "wire", None]})
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    spark_out, local_out = tmp_path / "spark.jsonl", tmp_path / "local.jsonl"
    assert main(["dedup", str(source), "-o", str(spark_out), "-q",
                 "--engine", "spark", "--spark-master", "local[2]"]) == 0
    assert main(["dedup", str(source), "-o", str(local_out), "-q"]) == 0
    by_id = _rows(local_out)
    for row in _lines(spark_out):
        expected = {k: v for k, v in by_id[row["id"]].items() if v is not None}
        assert row == expected
    assert by_id["b"]["cluster_id"] is None and by_id["b"]["newsclean_cluster_id"] == "a"
    assert by_id["a"]["newsclean_status"] == "ok" and "newsclean_cluster_id" not in by_id["c"]


def test_engine_spark_names_the_users_id_field_when_ids_are_missing(spark: Any, tmp_path: Path) -> None:
    from newsclean.errors import InputError
    from newsclean.spark import run_cli_dedup

    source = tmp_path / "in.jsonl"
    source.write_text('{"doc": "a", "text": "one story"}\n{"doc": "", "text": "another"}\n'
                      '{"doc": null, "text": "a third"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"2 rows have a null id in 'doc'"):
        run_cli_dedup([str(source)], str(tmp_path / "o.jsonl"), master="local[2]", id_field="doc")


def test_engine_spark_refuses_local_only_options(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    code = main(["dedup", str(source), "-o", str(tmp_path / "o.jsonl"), "-q",
                 "--engine", "spark", "--index", str(tmp_path / "i.sqlite")])
    assert code == EXIT_USAGE
