"""ETL throughput: ``newsclean run`` on N synthetic news records, --jobs 1 vs --jobs 2.

The records are built from the real Reuters-21578 articles of the shared data
(``../shared/data/dedup/reuters21578.jsonl.gz``): each record is one article, as a page
dump (site menu lines before, share/footer lines after, so ``strip`` has work to do),
either as it is or as a near copy (a wire prefix, a dropped paragraph, a typo), under a
unique id. The file is gzipped JSONL, like a day of a crawl.

For each ``--jobs`` value the real console command runs in a subprocess; the script
reports wall time, records/s, the peak resident memory of the main process and of the
whole process tree (sampled from /proc every 0.2 s), and checks that the outputs of all
runs are byte-identical.

Run:
    python benchmarks/etl_throughput.py --records 200000
    python benchmarks/etl_throughput.py --quick          # 5,000 records, smoke test
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REUTERS = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared")) / "data" / "dedup" / "reuters21578.jsonl.gz"
MENU = ["Home | World | Business | Markets | Sport | Weather", "Subscribe  Log in", "Advertisement"]
FOOTER = ["Share this article: Facebook Twitter Email", "Most read", "Contact us - Privacy policy - Cookies",
          "(c) Example News. All rights reserved."]


def unwrap(text: str) -> str:
    """Reuters' 1987 wire layout (hard-wrapped lines, paragraphs indented) as a web page
    dump has it: one line per paragraph, blank lines between paragraphs."""
    title, _, body = text.partition("\n\n")
    paras = [" ".join(p.split()) for p in ("\n" + body).split("\n    ")]
    return "\n\n".join([title.strip(), *[p for p in paras if p]])


def load_texts(path: Path) -> list[str]:
    """The Reuters article texts (title, blank line, body), unwrapped."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [unwrap(json.loads(line)["text"]) for line in f]


def variant(text: str, rng: random.Random) -> str:
    """A near copy: wire prefix, dropped paragraph or one typo."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    kind = rng.randrange(3)
    if kind == 0:
        paras[-1] = "LONDON (Wire) - " + paras[-1]
    elif kind == 1 and len(paras) > 2:
        del paras[rng.randrange(1, len(paras))]
    else:
        words = paras[-1].split(" ")
        i = rng.randrange(len(words))
        words[i] = words[i][::-1]
        paras[-1] = " ".join(words)
    return "\n\n".join(paras)


def make_input(path: Path, n: int, texts: list[str], seed: int = 1) -> None:
    """``n`` page-dump records, about one in five a near copy of an earlier one."""
    rng = random.Random(seed)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as f:
        for i in range(n):
            base = texts[rng.randrange(len(texts))]
            text = variant(base, rng) if rng.random() < 0.2 else base
            dump = "\n".join(MENU) + "\n\n" + text + "\n\n" + "\n".join(FOOTER)
            f.write(json.dumps({"id": f"syn-{i:07d}", "text": dump, "feed": f"feed-{i % 7}"}) + "\n")


def _tree_rss_kb(pid: int) -> tuple[int, int, int]:
    """(RSS of ``pid``, RSS of ``pid`` and all its descendants, their anonymous RSS), in KiB,
    from /proc. Anonymous memory is what the processes hold themselves; the rest of RSS is
    file pages (mapped files, e.g. step 2's mapped sketches) the kernel can reclaim."""
    def rss(p: int) -> tuple[int, int]:
        total = anon = 0
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total = int(line.split()[1])
                elif line.startswith("RssAnon:"):
                    anon = int(line.split()[1])
        except OSError:
            pass
        return total, anon

    def children(p: int) -> list[int]:
        out: list[int] = []
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                out += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
        return out

    total = anon = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        t, a = rss(p)
        total, anon = total + t, anon + a
        stack += children(p)
    return rss(pid)[0], total, anon


def run_once(data: Path, out: Path, jobs: int, python: str = sys.executable) -> dict[str, float]:
    """One ``newsclean run`` subprocess (of the newsclean ``python`` imports); wall time and peak memory."""
    stats = out.with_suffix(".stats.json")
    cmd = [python, "-m", "newsclean", "run", str(data), "--from", "text", "-o", str(out),
           "--jobs", str(jobs), "--stats", str(stats), "--quiet"]
    start = time.monotonic()
    proc = subprocess.Popen(cmd)
    peak_main = peak_tree = peak_anon = 0
    while proc.poll() is None:
        main_kb, tree_kb, anon_kb = _tree_rss_kb(proc.pid)
        peak_main, peak_tree, peak_anon = max(peak_main, main_kb), max(peak_tree, tree_kb), max(peak_anon, anon_kb)
        time.sleep(0.2)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        msg = f"newsclean run --jobs {jobs} failed with exit code {proc.returncode}"
        raise SystemExit(msg)
    summary = json.loads(stats.read_text())
    return {"jobs": jobs, "seconds": seconds, "records_per_s": summary["records_in"] / seconds,
            "peak_main_mb": peak_main / 1024, "peak_tree_mb": peak_tree / 1024, "peak_anon_mb": peak_anon / 1024,
            "duplicates": summary["duplicates_removed"], "clusters": summary["clusters"]}


def main(argv: list[str] | None = None) -> None:
    """Build the input, run --jobs 1 and --jobs 2, print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--quick", action="store_true", help="5,000 records")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the files")
    parser.add_argument("--baseline-python", metavar="PY",
                        help="also run each --jobs value with this interpreter's newsclean (e.g. a venv of an older "
                             "commit), printed beside; outputs must be identical")
    args = parser.parse_args(argv)
    if not REUTERS.exists():
        print(f"shared data not found: {REUTERS} (set NEWSCLEAN_SHARED); nothing to measure")
        return
    n = 5_000 if args.quick else args.records
    folder = Path(args.keep or tempfile.mkdtemp(prefix="newsclean-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / f"synthetic-{n}.jsonl.gz"
    if not data.exists():
        started = time.monotonic()
        make_input(data, n, load_texts(REUTERS))
        print(f"input: {n:,} records, {data.stat().st_size / 1e6:.1f} MB gzipped, built in {time.monotonic() - started:.0f} s")
    results: list[dict[str, float]] = []
    labels: list[str] = []
    digests: list[str] = []
    pythons = [("this", sys.executable)] + ([("baseline", args.baseline_python)] if args.baseline_python else [])
    for jobs in args.jobs:
        for name, python in pythons:
            out = folder / f"out-jobs{jobs}-{name}.jsonl"
            results.append(run_once(data, out, jobs, python))
            labels.append(name)
            digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
            out.unlink()
    base = results[0]["records_per_s"]
    print(f"\nnewsclean run, {n:,} records ({os.cpu_count()} CPUs; other jobs may share the machine)")
    print(f"{'code':>8} {'jobs':>4} {'seconds':>9} {'records/s':>10} {'speed-up':>8} {'peak RSS main':>14} "
          f"{'peak RSS all':>13} {'of it anonymous':>16}")
    for name, r in zip(labels, results, strict=True):
        print(f"{name:>8} {r['jobs']:>4} {r['seconds']:>9.1f} {r['records_per_s']:>10.0f} {r['records_per_s'] / base:>7.2f}x "
              f"{r['peak_main_mb']:>11.0f} MB {r['peak_tree_mb']:>10.0f} MB {r['peak_anon_mb']:>13.0f} MB")
    print(f"clusters {results[0]['clusters']:.0f}, duplicates removed {results[0]['duplicates']:.0f}")
    same = len(set(digests)) == 1
    print(f"outputs identical across --jobs (and code): {same} (sha256 {digests[0][:16]})")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
