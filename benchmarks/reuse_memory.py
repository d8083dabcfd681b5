"""``newsclean reuse``: peak memory and time of the bounded run against the in-memory one.

The records are Reuters-21578 articles (``../shared/data/dedup/reuters21578.jsonl.gz``)
as clean texts, about one in five a near copy of an earlier one (a wire prefix, a
dropped paragraph, a typo: `etl_throughput.variant`), and one in ten an article with a
paragraph of another pasted in. Two systems, each in its own subprocess:

- ``find_reuse`` in memory: every text read into a list, then ``newsclean.find_reuse``
  on it (what ``newsclean reuse`` did before the bounded run), the matches written as the
  command writes them;
- ``newsclean reuse``: the command (texts spilled to disk, keys split by hash, matches
  sorted in ranges of documents);
- with ``--old-src DIR``: the command of another checkout's ``src`` (e.g. the release
  before, whose matches were sorted in memory), the ratios then also against it.

It prints wall time, peak resident memory (``ru_maxrss`` of the subprocess) and the
ratios, and checks that the two outputs are byte-identical.

Run:
    python benchmarks/reuse_memory.py --records 50000
    python benchmarks/reuse_memory.py --quick          # 3,000 records
    python benchmarks/reuse_memory.py --records 150000 --old-src /tmp/old/src
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from etl_throughput import REUTERS, load_texts, variant  # noqa: E402

IN_MEMORY = r"""
import dataclasses, json, sys
from newsclean import find_reuse
from newsclean.etl.config import PipelineConfig
from newsclean.etl.records import Record
from newsclean.etl.rows import article_text, record_to_row
from newsclean.etl.writers import dumps, open_writer

config = dataclasses.replace(PipelineConfig(), mode="text", dedup=False)
texts, ids = [], []
with open(sys.argv[1], encoding="utf-8") as f:
    for line_no, line in enumerate(f, 1):
        row = record_to_row(Record(json.loads(line), sys.argv[1], line_no), config)
        texts.append(str(article_text(row) or ""))
        ids.append(str(row["id"]))
writer = open_writer(sys.argv[2])
for m in find_reuse(texts, ids).matches:
    writer.write(json.loads(dumps({f.name: getattr(m, f.name) for f in dataclasses.fields(m)})))
writer.close()
"""


def make_input(path: Path, n: int, texts: list[str], seed: int = 3) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            base = texts[rng.randrange(len(texts))]
            text = variant(base, rng) if rng.random() < 0.2 else base
            if rng.random() < 0.1:
                donor = [p for p in texts[rng.randrange(len(texts))].split("\n\n") if len(p.split()) >= 12]
                if donor:
                    text += "\n\n" + rng.choice(donor)
            f.write(json.dumps({"id": f"r-{i:07d}", "text": text}) + "\n")


def run(cmd: list[str], src: str | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one subprocess (``src``: its ``PYTHONPATH``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    env = {**os.environ, "PYTHONPATH": src} if src else None
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=env)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:  # ru_maxrss of children is the max over all waited children
        print(f"  (peak of {cmd[1]} not above an earlier child's {before / 1024:.0f} MB)")
    return seconds, peak / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=50_000)
    ap.add_argument("--quick", action="store_true", help="3,000 records")
    ap.add_argument("--old-src", help="another checkout's src directory: its newsclean reuse too")
    a = ap.parse_args()
    n = 3_000 if a.quick else a.records
    if not REUTERS.exists():
        sys.exit(f"needs {REUTERS}")
    with tempfile.TemporaryDirectory(prefix="newsclean-reuse-bench-") as tmp:
        data = Path(tmp) / "in.jsonl"
        make_input(data, n, load_texts(REUTERS))
        print(f"{n:,} records, {data.stat().st_size / 1e6:.1f} MB")
        # in increasing memory: ru_maxrss of children is a running maximum
        systems: list[tuple[str, str, list[str], str | None]] = [
            ("newsclean reuse (bounded)", "bounded", [sys.executable, "-m", "newsclean", "reuse", str(data), "-o",
                                                      str(Path(tmp) / "bounded.jsonl"), "-q"], None),
        ]
        if a.old_src:
            systems.append((f"newsclean reuse of {a.old_src}", "old",
                            [sys.executable, "-m", "newsclean", "reuse", str(data), "-o",
                             str(Path(tmp) / "old.jsonl"), "-q"], str(Path(a.old_src).resolve())))
        systems.append(("find_reuse in memory", "memory",
                        [sys.executable, "-c", IN_MEMORY, str(data), str(Path(tmp) / "memory.jsonl")], None))
        rows = [(name, *run(cmd, src)) for name, _, cmd, src in systems]
        digests = {name: hashlib.sha256((Path(tmp) / f"{key}.jsonl").read_bytes()).hexdigest()[:16]
                   for name, key, _, _ in systems}
        matches = sum(1 for _ in (Path(tmp) / "bounded.jsonl").open())
    base_s, base_mb = rows[-1][1], rows[-1][2]
    old = rows[1] if a.old_src else None
    extra = " | time vs old | memory vs old |" if old else " |"
    print(f"\n| system ({n:,} records, {matches:,} matches) | seconds | peak RSS MB | time vs in memory "
          f"| memory vs in memory{extra}")
    print("|---|---|---|---|---|" + ("---|---|" if old else ""))
    for name, seconds, mb in rows:
        tail = f" {seconds / old[1]:.2f}x | {mb / old[2]:.2f}x |" if old else ""
        print(f"| {name} | {seconds:.1f} | {mb:.0f} | {seconds / base_s:.2f}x | {mb / base_mb:.2f}x |{tail}")
    same = len(set(digests.values())) == 1
    print(f"\noutputs identical: {same} ({digests})")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
