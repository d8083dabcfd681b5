"""Report size and time: ``newsclean report`` on the output of runs of 10k and 100k records.

The report samples (the largest clusters, a random sample of others, a few records for
the strip view, a sample of texts searched for pairs kept apart), so its size should
not grow with the run, and its time should stay a small part of the run's. This script
measures both on synthetic runs:

1. an input of N invented news stories (no licensed data: the words are drawn from a
   small vocabulary, with figures), about a quarter of them near copies of an earlier
   story (a wire prefix, a dropped paragraph, a cut tail) and 2% the same story with its
   figures changed (a templated report: kept apart by the figures rule);
2. ``newsclean dedup`` on it (the real command, a subprocess) -> the run output;
3. ``newsclean report`` on that output (a subprocess), timed, with its peak memory.

The comparison is the run itself: the report's CPU time as a ratio of the run's (wall
times are printed too; on a shared machine they vary more), and the sizes and times of
the reports of the different runs as ratios to the smallest.

Run:
    python benchmarks/report_size.py                    # 10,000 and 100,000 records
    python benchmarks/report_size.py --records 1000000  # one size
    python benchmarks/report_size.py --quick            # 2,000 records, smoke test
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import print_table

WORDS = (
    "council harbour tram vote bank rate market shares storm snow road school teachers strike "
    "hospital doctors budget tax farmers wheat export price oil gas company profit quarter court "
    "judge ruling election party leader minister river bridge police fire museum library airport "
    "train station festival team coach season match league plant factory workers union talks"
).split()
UNITS = ["percent", "million", "kilometres", "tonnes", "passengers", "votes", "euros", "points"]


def story(rng: random.Random) -> list[str]:
    """Five paragraphs of three sentences, figures included."""
    paras = []
    for _ in range(5):
        sentences = []
        for _ in range(3):
            words = [rng.choice(WORDS) for _ in range(rng.randint(9, 15))]
            words.insert(rng.randrange(3, len(words)), f"{rng.randint(2, 990)} {rng.choice(UNITS)}")
            sentences.append(" ".join(words).capitalize() + ".")
        paras.append(" ".join(sentences))
    return paras


def swap_figures(paras: list[str], rng: random.Random) -> list[str]:
    """The same report with other figures (every number replaced)."""
    out = []
    for para in paras:
        out.append(" ".join(str(rng.randint(2, 990)) if w.isdigit() else w for w in para.split(" ")))
    return out


def make_input(path: Path, n: int, seed: int = 1) -> None:
    """``n`` records: stories, near copies (~25%) and figure-swapped versions (~2%)."""
    rng = random.Random(seed)
    stories: list[list[str]] = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            roll = rng.random()
            if stories and roll < 0.25:
                paras = list(rng.choice(stories))
                kind = rng.randrange(3)
                if kind == 0:
                    paras[0] = "PORT ALLEN (Wire) - " + paras[0]
                elif kind == 1:
                    del paras[rng.randrange(1, len(paras))]
                else:
                    paras = paras[: rng.randint(2, 4)]
            elif stories and roll < 0.27:
                paras = swap_figures(rng.choice(stories), rng)
            else:
                paras = story(rng)
                stories.append(paras)
                if len(stories) > 5000:
                    stories.pop(rng.randrange(len(stories)))
            record = {"id": f"syn-{i:07d}", "source": f"site-{rng.randrange(40):02d}", "text": "\n\n".join(paras)}
            f.write(json.dumps(record) + "\n")


def _timed(cmd: list[str]) -> tuple[float, float, float]:
    """Wall time, CPU time (user + system) and peak RSS in MB of ``cmd``.

    CPU time and RSS come from GNU time (``/usr/bin/time``) when it is there, else they
    are ``nan``. On a shared machine the CPU time is the steadier of the two times.
    """
    start = time.monotonic()
    gnu_time = Path("/usr/bin/time").exists()
    timed = ["/usr/bin/time", "-f", "%M %U %S", *cmd] if gnu_time else cmd
    proc = subprocess.run(timed, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        msg = f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-500:]}"
        raise SystemExit(msg)
    fields = proc.stderr.strip().splitlines()[-1].split() if gnu_time and proc.stderr.strip() else []
    if len(fields) != 3:
        return seconds, float("nan"), float("nan")
    return seconds, float(fields[1]) + float(fields[2]), int(fields[0]) / 1024


def measure(n: int, folder: Path) -> dict[str, object]:
    """Build, dedup and report ``n`` records; the row of the table."""
    data, out, report = folder / f"in-{n}.jsonl", folder / f"out-{n}.jsonl", folder / f"report-{n}.html"
    make_input(data, n)
    newsclean = [sys.executable, "-m", "newsclean"]
    run_s, run_cpu, _ = _timed([*newsclean, "dedup", str(data), "-o", str(out), "--quiet"])
    report_cmd = [*newsclean, "report", str(out), "-o", str(report), "--quiet"]
    report_s, report_cpu, report_mb = _timed(report_cmd)
    print(f"  {n:,} records: " + " ".join(["newsclean", *report_cmd[3:]]))
    return {"system": f"{n:,} records", "run s": run_s, "run CPU s": run_cpu, "report s": report_s,
            "report CPU s": report_cpu, "report/run CPU": report_cpu / run_cpu,
            "output MB": out.stat().st_size / 1e6, "report KB": report.stat().st_size / 1024,
            "report peak RSS MB": report_mb}


def main(argv: list[str] | None = None) -> None:
    """Measure each size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--quick", action="store_true", help="2,000 records")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the files")
    args = parser.parse_args(argv)
    sizes = [2_000] if args.quick else args.records
    folder = Path(args.keep or tempfile.mkdtemp(prefix="newsclean-report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"work folder {folder}; commands:")
    rows = [measure(n, folder) for n in sizes]
    print_table(rows, ["run s", "run CPU s", "report s", "report CPU s", "report/run CPU", "output MB",
                       "report KB", "report peak RSS MB"],
                ratio_to=rows[0]["system"], ratio_of=["report CPU s", "report KB"], key="system",  # type: ignore[arg-type]
                title="newsclean dedup (the run) and newsclean report on its output (2 shared cores)")


if __name__ == "__main__":
    main()
