"""Hand-labelled real Reuters-21578 pairs: are resends found and templated notices kept apart?

``dedup_real_pairs.jsonl`` holds 154 pairs of real Reuters-21578 articles (ids only; the
texts stay in ``../shared/data/dedup/reuters21578.jsonl.gz``), each labelled by reading
both texts:

- ``copy``: one report twice: a resend, a corrected resend, a longer or shorter version,
  a retitled or rewritten copy, a copy with figures written another way;
- ``distinct``: two reports: templated notices of other days, towns, companies or funds
  (same wording, other figures or names);
- ``unsure``: left out of the scores.

How they were drawn: every candidate pair of the corpus (LSH at Jaccard 0.2) with exact
word 5-gram Jaccard >= 0.3 and different comparison forms (941 pairs), binned by Jaccard
(0.3-0.4, ..., 0.9-1.0), 22 pairs per bin at random (seed 10), labelled without looking at
any system's decision beyond the word diff.

Scores, side by side in one run:

- ``pair``: the decision :func:`newsclean.explain_pair` (= :func:`newsclean.dedup` on the
  two texts alone) makes, per option set;
- engines: the 154 pairs' 282 articles clustered together by :func:`newsclean.dedup`,
  :class:`newsclean.DedupIndex` (two batches), ``newsclean dedup`` (the command line)
  and, with ``--spark``, :func:`newsclean.spark.dedup`; a pair is "found" when both
  articles land in one cluster.

``copies found`` is the share of ``copy`` pairs judged duplicates, ``kept apart`` the
share of ``distinct`` pairs that are not. The misses are listed with their notes.

    python benchmarks/dedup_real_pairs.py
    python benchmarks/dedup_real_pairs.py --spark
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import newsclean  # noqa: E402
from _harness import print_table  # noqa: E402
from newsclean import DedupConfig  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
REUTERS = SHARED / "data" / "dedup" / "reuters21578.jsonl.gz"
PAIRS = Path(__file__).resolve().parent / "dedup_real_pairs.jsonl"


def load_pairs(path: Path = PAIRS) -> list[dict[str, object]]:
    """The labelled pairs (``a``, ``b``, ``label``, ``note``, ``jaccard``)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_texts(ids: set[str], path: Path = REUTERS) -> dict[str, str]:
    """The texts of these Reuters ids."""
    out: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] in ids:
                out[rec["id"]] = rec["text"]
    return out


def score(
    pairs: Sequence[dict[str, object]], together: Callable[[str, str], bool]
) -> dict[str, object]:
    """Copies found, distinct kept apart, and the misses, for one decision function."""
    copies = [p for p in pairs if p["label"] == "copy"]
    distinct = [p for p in pairs if p["label"] == "distinct"]
    missed = [p for p in copies if not together(str(p["a"]), str(p["b"]))]
    merged = [p for p in distinct if together(str(p["a"]), str(p["b"]))]
    return {
        "copies found": 1 - len(missed) / max(len(copies), 1),
        "kept apart": 1 - len(merged) / max(len(distinct), 1),
        "found": f"{len(copies) - len(missed)}/{len(copies)}",
        "apart": f"{len(distinct) - len(merged)}/{len(distinct)}",
        "_missed": missed,
        "_merged": merged,
    }


def clusters_of(labels: Sequence[str], ids: Sequence[str]) -> Callable[[str, str], bool]:
    where = dict(zip(ids, labels, strict=True))
    return lambda a, b: where[a] == where[b]


def cli_labels(ids: Sequence[str], texts: dict[str, str], config: DedupConfig) -> list[str]:
    """Cluster ids from ``newsclean dedup`` (the command line, local engine)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        out = Path(tmp) / "out.jsonl"
        src.write_text("".join(json.dumps({"id": i, "text": texts[i]}) + "\n" for i in ids))
        cmd = [
            sys.executable,
            "-m",
            "newsclean",
            "dedup",
            str(src),
            "-o",
            str(out),
            "--quiet",
            "--threshold",
            str(config.threshold),
            "--numbers",
            config.numbers,
            "--verify",
            config.verify,
        ]
        subprocess.run(cmd, check=True)
        rows = {r["id"]: r["cluster_id"] for r in map(json.loads, out.read_text().splitlines())}
    return [rows[i] for i in ids]


def spark_labels(ids: Sequence[str], texts: dict[str, str], config: DedupConfig) -> list[str]:
    """Cluster ids from :func:`newsclean.spark.dedup` on a local session."""
    from newsclean.spark import dedup as spark_dedup
    from newsclean.spark import spark_session

    spark = spark_session("local[2]", shuffle_partitions=4)
    frame = spark.createDataFrame([(i, texts[i]) for i in ids], "id string, text string")
    rows = {r["id"]: r["cluster_id"] for r in spark_dedup(frame, config=config).collect()}
    return [rows[i] for i in ids]


def index_labels(ids: Sequence[str], texts: dict[str, str], config: DedupConfig) -> list[str]:
    """Cluster ids from :class:`newsclean.DedupIndex`, the articles added in two batches."""
    index = newsclean.DedupIndex(config)
    half = len(ids) // 2
    index.add([texts[i] for i in ids[:half]], list(ids[:half]))
    index.add([texts[i] for i in ids[half:]], list(ids[half:]))
    result = index.result()
    where = dict(zip(result.ids, result.labels, strict=True))
    return [where[i] for i in ids]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spark", action="store_true", help="also newsclean.spark.dedup")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    if not REUTERS.exists():
        sys.exit(f"missing {REUTERS}: set NEWSCLEAN_SHARED to the shared data folder")
    pairs = load_pairs()
    ids = sorted({str(p[k]) for p in pairs for k in ("a", "b")})
    texts = load_texts(set(ids))
    base = DedupConfig()
    rows: list[dict[str, object]] = []
    for name, config in (
        ("pair: defaults", base),
        ("pair: verify=estimate", dataclasses.replace(base, verify="estimate")),
        ("pair: numbers=ignore", dataclasses.replace(base, numbers="ignore")),
    ):
        decide = lambda a, b, c=config: newsclean.explain_pair(texts[a], texts[b], c).duplicate  # noqa: E731
        rows.append({"system": name, **score(pairs, decide)})
    engines: list[tuple[str, Callable[[], list[str]]]] = [
        ("newsclean.dedup", lambda: list(newsclean.dedup([texts[i] for i in ids], ids).labels)),
        ("DedupIndex (2 batches)", lambda: index_labels(ids, texts, base)),
        ("newsclean dedup (CLI)", lambda: cli_labels(ids, texts, base)),
    ]
    if args.spark:
        engines.append(("newsclean.spark.dedup", lambda: spark_labels(ids, texts, base)))
    for name, run in engines:
        rows.append({"system": name, **score(pairs, clusters_of(run(), ids))})
    print(
        f"{len(pairs)} hand-labelled Reuters pairs: "
        f"{sum(p['label'] == 'copy' for p in pairs)} copies, "
        f"{sum(p['label'] == 'distinct' for p in pairs)} distinct, "
        f"{sum(p['label'] == 'unsure' for p in pairs)} unsure (left out)"
    )
    print_table(
        rows,
        ["copies found", "found", "kept apart", "apart"],
        title="Real pairs: copies found and templated notices kept apart",
    )
    first = rows[0]
    for kind in ("_missed", "_merged"):
        listed = first[kind]
        assert isinstance(listed, list)
        print(
            f"\n{'copies missed' if kind == '_missed' else 'distinct merged'} (pair: defaults): {len(listed)}"
        )
        for p in listed if args.misses or len(listed) <= 12 else listed[:12]:
            print(f"  {p['a']} {p['b']} J={p['jaccard']}: {p['note']}")


if __name__ == "__main__":
    main()
