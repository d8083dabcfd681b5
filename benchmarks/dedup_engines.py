"""Do the engines agree? ``newsclean dedup`` (command line) against ``newsclean.dedup``.

On the whole shared Reuters-21578 corpus (19,043 articles): clusters by the library and by
the command line (``--jobs 2``, local engine, defaults), compared document by document:
cluster id, representative flag and similarity (the command line writes it rounded to 4
digits).

    python benchmarks/dedup_engines.py
    python benchmarks/dedup_engines.py --jobs 1
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import newsclean

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
REUTERS = SHARED / "data" / "dedup" / "reuters21578.jsonl.gz"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", default="2")
    args = parser.parse_args(argv)
    if not REUTERS.exists():
        sys.exit(f"missing {REUTERS}: set NEWSCLEAN_SHARED to the shared data folder")
    with gzip.open(REUTERS, "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    ids = [r["id"] for r in recs]
    texts = [r["text"] for r in recs]
    start = time.perf_counter()
    res = newsclean.dedup(texts, ids)
    library_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts, strict=True)))
        start = time.perf_counter()
        cmd = [sys.executable, "-m", "newsclean", "dedup", str(src), "-o", str(out), "-q", "--jobs", args.jobs]
        subprocess.run(cmd, check=True)
        cli_s = time.perf_counter() - start
        rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    cluster = sum(rows[i]["cluster_id"] != label for i, label in zip(res.ids, res.labels, strict=True))
    rep = sum(rows[i]["is_representative"] != (i == r) for i, r in zip(res.ids, res.representatives, strict=True))
    sim = sum(rows[i]["similarity"] != round(x, 4) for i, x in zip(res.ids, res.similarity, strict=True))
    print(f"{len(ids):,} Reuters articles, {res.n_clusters:,} clusters "
          f"(library {library_s:.1f} s, command line --jobs {args.jobs} {cli_s:.1f} s)")
    print(f"documents in another cluster: {cluster}; other representative flag: {rep}; "
          f"other similarity: {sim}")


if __name__ == "__main__":
    main()
