"""Local ``newsclean.dedup`` vs ``newsclean.spark.dedup`` on Spark ``local[2]``, same corpus.

The corpus is the one of ``dedup_speed.py``: the 19,043 Reuters-21578 articles plus
seeded perturbed copies (about 5% of the words replaced, 2% dropped) up to ``--docs``
(default 100,000). Both engines run with the same :class:`newsclean.DedupConfig`; the
script asserts that every document gets the same cluster id, representative,
similarity and containment, then prints the times side by side. Spark's start-up
(JVM, session) is timed on its own row; the Spark run reads the corpus from a Parquet
file (as a job would) and collects the result columns to the driver.

Usage:
    python benchmarks/spark_dedup.py                  # 100k docs
    python benchmarks/spark_dedup.py --docs 20000     # smaller
    python benchmarks/spark_dedup.py --quick          # 3,000 docs: a smoke run

Speed numbers on a shared 2-core machine are noisy: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import newsclean
from _harness import print_table
from dedup_speed import REUTERS, load_texts, scale
from newsclean.cluster import DedupConfig

QUICK_DOCS = 3_000
ORIGINALS = 19_043


def corpus(n: int) -> tuple[list[str], list[str]]:
    """``n`` texts (Reuters originals first, then perturbed copies) and their ids."""
    texts = scale(load_texts(REUTERS, min(n, ORIGINALS)), n)
    # Ids do not sort like positions, so the id ordering of both engines is exercised.
    ids = [f"doc-{(i * 7919) % n:07d}" for i in range(n)]
    return texts, ids


def run_local(texts: Sequence[str], ids: Sequence[str], config: DedupConfig) -> tuple[float, Any]:
    start = time.perf_counter()
    result = newsclean.dedup(texts, ids, config=config)
    return time.perf_counter() - start, result


def start_spark(master: str, partitions: int, memory: str) -> tuple[float, Any]:
    from newsclean.spark import spark_session

    start = time.perf_counter()
    spark = spark_session(
        master,
        app_name="newsclean-bench",
        shuffle_partitions=partitions,
        config={"spark.driver.memory": memory},
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.range(1).count()  # the first job starts the executors' machinery
    return time.perf_counter() - start, spark


def write_parquet(texts: Sequence[str], ids: Sequence[str], folder: Path) -> str:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "corpus.parquet"
    pq.write_table(pa.table({"id": list(ids), "text": list(texts)}), path)
    return str(path)


def run_spark(spark: Any, path: str, config: DedupConfig, partitions: int) -> tuple[float, dict[str, Any]]:
    from newsclean.spark import dedup as spark_dedup

    start = time.perf_counter()
    frame = spark.read.parquet(path)
    out = spark_dedup(frame, config=config, partitions=partitions).drop("text")
    rows = {row["id"]: row for row in out.collect()}
    return time.perf_counter() - start, rows


def check_same(local: Any, rows: dict[str, Any]) -> int:
    """Assert both engines agree on every document; return the number of clusters."""
    assert len(rows) == len(local.ids), (len(rows), len(local.ids))
    for i, doc_id in enumerate(local.ids):
        row = rows[doc_id]
        got = (row["cluster_id"], row["representative_id"], row["similarity"], row["containment"])
        want = (local.labels[i], local.representatives[i], local.similarity[i], local.containment[i])
        assert got == want, (doc_id, got, want)
    return int(local.n_clusters)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="corpus size (default: 100000)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_DOCS} docs, a smoke run")
    parser.add_argument("--master", default="local[2]", help="Spark master (default: local[2])")
    parser.add_argument("--partitions", type=int, default=8, help="Spark partitions (default: 8)")
    parser.add_argument("--driver-memory", default="4g", help="spark.driver.memory (default: 4g)")
    parser.add_argument("--verify", choices=["exact", "estimate"], default="exact")
    args = parser.parse_args(argv)
    n = QUICK_DOCS if args.quick else args.docs
    if not REUTERS.exists():
        sys.exit(f"shared data not found: {REUTERS}")
    config = DedupConfig(verify=args.verify)
    texts, ids = corpus(n)
    print(f"{n:,} docs, verify={args.verify}, threshold={config.threshold}, master={args.master}")

    local_s, local = run_local(texts, ids, config)
    startup_s, spark = start_spark(args.master, args.partitions, args.driver_memory)
    with tempfile.TemporaryDirectory(prefix="newsclean-bench-") as folder:
        path = write_parquet(texts, ids, Path(folder))
        cold_s, rows = run_spark(spark, path, config, args.partitions)
        clusters = check_same(local, rows)
        warm_s, rows = run_spark(spark, path, config, args.partitions)
        check_same(local, rows)
    spark.stop()

    duplicates = len(local.duplicates())
    table = [
        {"system": "local dedup", "seconds": local_s, "docs/s": n / local_s},
        {"system": f"spark {args.master} (1st run)", "seconds": cold_s, "docs/s": n / cold_s},
        {"system": f"spark {args.master} (2nd run)", "seconds": warm_s, "docs/s": n / warm_s},
        {"system": "spark start-up", "seconds": startup_s, "docs/s": float("nan")},
    ]
    print_table(
        table,
        ["seconds", "docs/s"],
        ratio_to="local dedup",
        ratio_of=["seconds"],
        title=f"same labels on all {n:,} docs: {clusters:,} clusters, {duplicates:,} duplicates",
    )


if __name__ == "__main__":
    main()
