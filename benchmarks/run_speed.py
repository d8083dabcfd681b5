"""Speed of the whole ``newsclean run`` on DEV page dumps, this copy beside an older one.

The records are the page dumps of the three DEV sets (``../shared/data/extraction``),
both dump styles (inscriptis and lynx), one JSONL record each (``id``, ``text``,
``url``, ``site``: the URL's host), the first ``--records`` of them, written once to a
temporary folder. ``newsclean run`` (``python -m newsclean run ... --from text``, one
job) runs on them in a subprocess with this worktree's package and with the package in
``--old-src`` (e.g. ``git archive main src | tar -x -C /tmp/old``) in turn, ``--repeat``
times, best CPU time (user + system of the child: another process on a shared machine
counts less than in wall time) kept; the outputs of both must be byte-identical (a
change that is only for speed), which the script checks and prints.

``--site-field`` runs with ``--site-field site`` (``strip_many``: each site's template
lines) instead.

``--normalize`` times, in this process, only ``normalize`` and ``comparison_form`` of both
copies (the older one imported under another name) on the articles ``strip`` gives for
the records, and on those articles normalized (what the dedup sketch reads), the two
copies in turn, best of ``--repeat``, CPU time; their outputs must be equal.

    python benchmarks/run_speed.py --old-src /tmp/old/src                  # 2,000 records
    python benchmarks/run_speed.py --old-src /tmp/old/src --records 4936 --repeat 2
    python benchmarks/run_speed.py --old-src /tmp/old/src --site-field
    python benchmarks/run_speed.py --old-src /tmp/old/src --normalize
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from strip_speed import load_old  # noqa: E402  (the older copy imported as newsclean_old)

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
DEV_SETS = ("scrapinghub_aeb", "dragnet", "wcxb_dev")


def write_records(path: Path, limit: int) -> int:
    """The DEV dumps as JSONL records (interleaved by set, so a prefix has all three)."""
    per_set = []
    for name in DEV_SETS:
        rows = []
        with gzip.open(SHARED / "data" / "extraction" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                url = r.get("url") or ""
                for key in ("dump_inscriptis", "dump_lynx"):
                    rows.append({"id": f"{name}-{r['id']}-{key[5:]}", "text": r.get(key) or "", "url": url,
                                 "site": urlsplit(url).hostname or ""})
        per_set.append(rows)
    out = []
    for k in range(max(map(len, per_set))):
        out.extend(rows[k] for rows in per_set if k < len(rows))
    out = out[:limit]
    with path.open("w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row) + "\n")
    return len(out)


def run_once(src: Path, records: Path, output: Path, extra: list[str]) -> float:
    """CPU seconds (user + system) of one ``newsclean run`` with the package in ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "newsclean", "run", str(records), "-o", str(output), "-q", "--from", "text",
               *extra]
    process = subprocess.Popen(command, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        msg = f"{' '.join(command)} failed ({status})"
        raise SystemExit(msg)
    return usage.ru_utime + usage.ru_stime


def time_normalize(old_src: Path, records: Path, repeat: int) -> None:
    """``normalize`` and ``comparison_form`` of this copy and the older one, side by side."""
    import newsclean

    old = load_old(str(old_src))
    with records.open(encoding="utf-8") as f:
        articles = [newsclean.strip(json.loads(line)["text"]).text for line in f]
    normalized = [newsclean.normalize(a) for a in articles]
    print(f"{len(articles):,} articles of strip, {sum(map(len, articles)) / 1e6:.1f} M characters; "
          f"best CPU time of {repeat}, the copies in turn:")
    for texts, what in ((articles, "articles"), (normalized, "articles normalized")):
        for name in ("normalize", "comparison_form"):
            new_f, old_f = getattr(newsclean, name), getattr(old, name)
            if [new_f(t) for t in texts] != [old_f(t) for t in texts]:
                msg = f"{name} differs from the older copy's on the {what}"
                raise SystemExit(msg)
            best = {"old": float("inf"), "new": float("inf")}
            for _ in range(repeat):
                for key, func in (("old", old_f), ("new", new_f)):
                    t0 = time.process_time()
                    for t in texts:
                        func(t)
                    best[key] = min(best[key], time.process_time() - t0)
            print(f"  {name + ' of the ' + what:<42} old {best['old']:6.2f} s  new {best['new']:6.2f} s  "
                  f"{best['old'] / best['new']:.2f}x (same output)")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old-src", required=True, help="folder holding the older copy's newsclean/")
    ap.add_argument("--records", type=int, default=2000, help="first N records (4,936 in all)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--site-field", action="store_true", help="run with --site-field site (strip_many)")
    ap.add_argument("--normalize", action="store_true", help="time only normalize / comparison_form, in process")
    a = ap.parse_args()
    extra = ["--site-field", "site"] if a.site_field else []
    new_src, old_src = ROOT / "src", Path(a.old_src)
    with tempfile.TemporaryDirectory(prefix="run_speed_") as tmp:
        folder = Path(tmp)
        records = folder / "dumps.jsonl"
        n = write_records(records, a.records)
        if a.normalize:
            time_normalize(old_src, records, a.repeat)
            return
        # one untimed run each: numba's kernels compiled into each copy's cache
        run_once(old_src, records, folder / "old.jsonl", extra)
        run_once(new_src, records, folder / "new.jsonl", extra)
        best = {"old": float("inf"), "new": float("inf")}
        for _ in range(a.repeat):  # alternating, so that a change of load falls on both
            best["old"] = min(best["old"], run_once(old_src, records, folder / "old.jsonl", extra))
            best["new"] = min(best["new"], run_once(new_src, records, folder / "new.jsonl", extra))
        same = digest(folder / "old.jsonl") == digest(folder / "new.jsonl")
    mode = "--site-field site" if a.site_field else "plain"
    print(f"newsclean run ({mode}, --jobs 1) on {n:,} DEV dumps, best CPU time of {a.repeat}:")
    print(f"  old {old_src}: {best['old']:7.2f} s  {n / best['old']:6.1f} records/s")
    print(f"  new {new_src}: {best['new']:7.2f} s  {n / best['new']:6.1f} records/s")
    print(f"  new / old speed: {best['old'] / best['new']:.2f}x; outputs byte-identical: {same}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
