"""``newsclean.strip`` on dumps with table columns side by side, with and without re-flow.

Renderers that keep table layout print a table row's cells on one line. This benchmark
renders the DEV pages' HTML (``../shared/data/extraction/*.jsonl.gz``) with ``w3m
-dump`` (tables laid out, 80 columns; renders cached under
``~/.cache/newsclean-bench/w3m/``) and scores, per set and dump style (``dump_w3m``,
plus the sets' own ``dump_inscriptis`` and ``dump_lynx``):

- keep everything, lines of >= 10 words (baselines);
- ``strip`` without the column pass (``reflow_columns`` replaced by the identity);
- ``strip`` with it (the shipped code);

with ``../shared/tools/eval_extract.py``'s own scoring functions (macro bag-of-words P/R/F1),
the number of pages with a column block (and F1 on those pages only), and the identity
check: on every page without a block the two ``strip`` outputs (status, title, text) must
be equal.

``--sweep`` chooses the pass's thresholds (``columns.MIN_ROWS``, ``columns.PROSE_WORDS``)
leave one dataset out: for each set, the value with the best mean F1 (over the dump
styles) on the other two sets, scored on the held-out set.

    python benchmarks/strip_columns.py                     # all sets, all dump styles
    python benchmarks/strip_columns.py --limit 200 --dumps dump_w3m
    python benchmarks/strip_columns.py --sweep
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import gzip  # noqa: E402
import hashlib  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_extract import bow_scores, summarize  # noqa: E402

import newsclean  # noqa: E402
from newsclean.stripping import columns, core  # noqa: E402
from strip_quality import keep_all, keep_long_lines  # noqa: E402
from strip_train import load_sets  # noqa: E402

DEV_SETS = ("scrapinghub_aeb", "dragnet", "wcxb_dev")
DUMPS = ("dump_w3m", "dump_inscriptis", "dump_lynx")
W3M_ARGS = ("-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", "-cols", "80")
SWEEP_ROWS = (2, 3, 4, 6)
SWEEP_WORDS = (3, 5, 8, 12)
Output = tuple[str, str | None, str]  # status, title, text


def _w3m_key() -> str:
    version = subprocess.run(["w3m", "-version"], capture_output=True, text=True, check=False).stdout
    return hashlib.sha256(json.dumps([version, W3M_ARGS]).encode()).hexdigest()[:12]


def render_w3m(html: str) -> str:
    """The page as ``w3m -dump`` lays it out ("" when w3m fails or takes over 30 s)."""
    try:
        done = subprocess.run(["w3m", *W3M_ARGS], input=html.encode("utf-8", "replace"),
                              capture_output=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout.decode("utf-8", "replace")


def add_w3m_dumps(records: list[dict[str, Any]], cache: Path) -> None:
    """Set ``rec["dump_w3m"]`` on every record, rendering only what the cache lacks."""
    if shutil.which("w3m") is None:
        msg = "w3m is not installed (apt-get install -y w3m)"
        raise SystemExit(msg)
    key = _w3m_key()
    for set_name in sorted({r["_set"] for r in records}):
        path = cache / f"{set_name}-{key}.json.gz"
        known: dict[str, str] = json.load(gzip.open(path, "rt")) if path.exists() else {}
        todo = [r for r in records if r["_set"] == set_name and r["id"] not in known]
        if todo:
            print(f"  rendering {len(todo)} {set_name} pages with w3m ...", file=sys.stderr, flush=True)
            known.update((r["id"], render_w3m(r.get("html") or "")) for r in todo)
            cache.mkdir(parents=True, exist_ok=True)
            with gzip.open(path, "wt") as f:
                json.dump(known, f)
        for r in records:
            if r["_set"] == set_name:
                r["dump_w3m"] = known[r["id"]]


@contextlib.contextmanager
def column_pass_off() -> Iterator[None]:
    """``strip`` as it was before the column pass: ``reflow_columns`` is the identity."""
    saved = core.reflow_columns_measured
    core.reflow_columns_measured = lambda text, template=None: (text, template, None)
    try:
        yield
    finally:
        core.reflow_columns_measured = saved


def strip_output(dump: str) -> Output:
    art = newsclean.strip(dump)
    return art.status, art.title, art.text


def scores(texts: list[str], records: list[dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for rec, out in zip(records, texts, strict=True):
        row = bow_scores(rec.get("text") or "", out)
        row.update(ms=0.0, error=None, output=out)
        rows.append(row)
    return summarize(rows)


def f1(texts: list[str], records: list[dict[str, Any]]) -> float:
    return float(scores(texts, records)["f1"]) if records else float("nan")


@contextlib.contextmanager
def thresholds(rows: int, words: int) -> Iterator[None]:
    saved = columns.MIN_ROWS, columns.PROSE_WORDS
    columns.MIN_ROWS, columns.PROSE_WORDS = rows, words
    try:
        yield
    finally:
        columns.MIN_ROWS, columns.PROSE_WORDS = saved


def with_columns(recs: list[dict[str, Any]], key: str, without: list[Output]) -> tuple[list[Output], list[bool]]:
    """``strip`` outputs with the column pass (re-stripping only pages with a block)."""
    blocks = [bool(columns.find_column_blocks(r[key])) for r in recs]
    outs = [strip_output(r[key]) if b else w for r, b, w in zip(recs, blocks, without, strict=True)]
    return outs, blocks


def sweep(by_set: dict[str, list[dict[str, Any]]], dumps: tuple[str, ...],
          without: dict[tuple[str, str], list[Output]]) -> None:
    """Leave-one-dataset-out choice of (MIN_ROWS, PROSE_WORDS)."""
    grid = list(itertools.product(SWEEP_ROWS, SWEEP_WORDS))
    table: dict[tuple[int, int], dict[str, float]] = {}
    for rows, words in grid:
        with thresholds(rows, words):
            table[rows, words] = {
                s: sum(f1([o[2] for o in with_columns(recs, k, without[s, k])[0]], recs) for k in dumps) / len(dumps)
                for s, recs in by_set.items()
            }
        print(f"  MIN_ROWS={rows} PROSE_WORDS={words}: "
              + " ".join(f"{s} {v:.4f}" for s, v in table[rows, words].items()), file=sys.stderr, flush=True)
    print("\n## Threshold sweep: mean F1 over the dump styles (with the column pass)\n")
    print("| MIN_ROWS | PROSE_WORDS | " + " | ".join(by_set) + " |")
    print("|---|---|" + "---|" * len(by_set))
    for (rows, words), row in table.items():
        print(f"| {rows} | {words} | " + " | ".join(f"{row[s]:.4f}" for s in by_set) + " |")
    base = {s: sum(f1([o[2] for o in without[s, k]], recs) for k in dumps) / len(dumps) for s, recs in by_set.items()}
    print("| (no column pass) | | " + " | ".join(f"{base[s]:.4f}" for s in by_set) + " |")
    print("\nLeave one dataset out (chosen on the other sets, mean of their F1s):\n")
    for held in by_set:
        others = [s for s in by_set if s != held]
        best = max(grid, key=lambda g: (sum(table[g][s] for s in others), -g[0], g[1]))
        print(f"- {held}: chosen MIN_ROWS={best[0]}, PROSE_WORDS={best[1]} -> {table[best][held]:.4f} "
              f"(no pass {base[held]:.4f}; best in hindsight "
              f"{max(table[g][held] for g in grid):.4f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(DEV_SETS))
    ap.add_argument("--dumps", nargs="+", default=list(DUMPS), choices=DUMPS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages of each set")
    ap.add_argument("--cache", default=str(Path.home() / ".cache/newsclean-bench/w3m"))
    ap.add_argument("--sweep", action="store_true", help="choose the thresholds leave one dataset out")
    a = ap.parse_args()
    dumps = tuple(a.dumps)
    records = load_sets(a.sets)
    by_set = {s: [r for r in records if r["_set"] == s] for s in a.sets}
    if a.limit:
        by_set = {s: recs[: a.limit] for s, recs in by_set.items()}
    if "dump_w3m" in dumps:
        add_w3m_dumps([r for recs in by_set.values() for r in recs], Path(a.cache))
    without: dict[tuple[str, str], list[Output]] = {}
    started = time.process_time()
    with column_pass_off():
        for s, recs in by_set.items():
            for k in dumps:
                without[s, k] = [strip_output(r[k]) for r in recs]
    strip_cpu = time.process_time() - started
    started = time.process_time()
    for recs in by_set.values():
        for r in recs:
            for k in dumps:
                columns.reflow_columns(r[k])
    pass_cpu = time.process_time() - started
    if a.sweep:
        sweep(by_set, dumps, without)
        return
    baselines: list[tuple[str, Callable[[str], str]]] = [
        ("keep everything", keep_all), ("lines >= 10 words", keep_long_lines)]
    differ = 0
    for s, recs in by_set.items():
        rows: dict[str, dict[str, str]] = {}
        counts: list[str] = []
        for k in dumps:
            outs = [strip_output(r[k]) for r in recs]  # every page, for the identity check
            blocks = [bool(columns.find_column_blocks(r[k])) for r in recs]
            differ += sum(o != w for o, w, b in zip(outs, without[s, k], blocks, strict=True) if not b)
            for name, func in baselines:
                rows.setdefault(name, {})[k] = _prf(scores([func(r[k]) for r in recs], recs))
            rows.setdefault("strip, no column pass", {})[k] = _prf(scores([o[2] for o in without[s, k]], recs))
            rows.setdefault("**strip, column pass**", {})[k] = _prf(scores([o[2] for o in outs], recs))
            on = [i for i, b in enumerate(blocks) if b]
            sub = [recs[i] for i in on]
            lynx = (f" (their lynx dumps, tables linearised: {f1([without[s, 'dump_lynx'][i][2] for i in on], sub):.3f})"
                    if k != "dump_lynx" and (s, "dump_lynx") in without else "")
            counts.append(
                f"{k}: {len(on)} pages with a column block; F1 on them "
                f"{f1([without[s, k][i][2] for i in on], sub):.3f} -> {f1([outs[i][2] for i in on], sub):.3f}{lynx}; "
                f"no_content {sum(o[0] == 'no_content' for o in without[s, k])} -> "
                f"{sum(o[0] == 'no_content' for o in outs)}")
        print(f"\n| {s}, {len(recs)} pages | " + " | ".join(f"{k[5:]} P | R | F1" for k in dumps) + " |")
        print("|---|" + "---|---|---|" * len(dumps))
        for name, by_dump in rows.items():
            print(f"| {name} | " + " | ".join(by_dump[k] for k in dumps) + " |")
        print()
        for line in counts:
            print(f"- {line}")
    print(f"\nIdentity check: {differ} outputs differ on pages without a column block (must be 0).")
    n = sum(len(recs) for recs in by_set.values()) * len(dumps)
    print(f"Cost: the column pass alone takes {pass_cpu / max(strip_cpu, 1e-9):.3f}x the CPU time of strip "
          f"without it ({1000 * pass_cpu / n:.3f} ms vs {1000 * strip_cpu / n:.2f} ms a dump, {n} dumps).")


def _prf(summary: dict[str, Any]) -> str:
    return f"{summary['precision']:.3f} | {summary['recall']:.3f} | {summary['f1']:.3f}"


if __name__ == "__main__":
    main()
