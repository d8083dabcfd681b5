"""Does the vote's precision candidate need trafilatura's internal fallback? Chosen leave-one-dataset-out.

trafilatura's ``extract`` with ``fast=False`` runs its own readability and jusText on a
backup tree after its main pass and may swap in their body; the vote already has a
readability candidate of its own. Per page of the three DEV sets, the default
``extract`` (LODO page model and threshold, as the first row of
``extraction_quality.py``) is run with ``ExtractConfig(precision_fallback=...)``:

- ``-1``: the fallback always (one ``fast=False`` run, the default before this option);
- ``0``: never (one ``fast=True`` run);

and, on every page where the two bodies differ, the word count of the ``fast=True``
precision body. ``precision_fallback=N`` gives the ``-1`` body exactly on the pages where
that count is below ``N`` and the ``0`` body elsewhere, so the script scores every
``N`` of the grid without running it, picks ``N`` on two sets (mean F1; ties to the
smaller ``N``, the cheaper rule) and scores it on the third. It also prints how the
differing pages split: the fast body empty or short, the fallback's body longer or
shorter, and which variant scores better there.

    python benchmarks/extract_precision_fallback.py              # all three sets
    python benchmarks/extract_precision_fallback.py --limit 60   # first 60 pages per set
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import DATASETS, read_records  # noqa: E402
from extraction_quality import _default_lodo_extractor, _reference  # noqa: E402

#: ``precision_fallback`` values scored (``-1`` = always, ``0`` = never).
GRID = (0, 10, 25, 50, 100, 200, 400, -1)


def _fast_words(html: str) -> int:
    """Words of the ``fast=True`` precision body on the markup ``extract`` hands lxml."""
    from newsclean import ExtractConfig
    from newsclean.extraction import _markup, _prepass, precision_candidate
    from newsclean.extraction.candidates import parse_tree
    from newsclean.extraction.judge import word_count

    cap = ExtractConfig().max_chars
    text, page, _meta, _has = _prepass(html, cap)
    tree = parse_tree(_markup(text, page, cap))
    return word_count(precision_candidate(tree, None, 0)) if tree is not None else 0


def page_rows(dataset: str, limit: int) -> list[dict[str, Any]]:
    """Per page: both variants' text, F1 and ms, and the fast body's words where they differ."""
    ref = _reference()
    records = read_records(dataset)[: limit or None]
    always = _default_lodo_extractor(dataset, records, False, precision_fallback=-1)
    never = _default_lodo_extractor(dataset, records, False, precision_fallback=0)
    rows = []
    for rec in records:
        html, gold = rec.get("html") or "", rec.get("text") or ""
        row: dict[str, Any] = {"id": rec["id"]}
        for name, func in (("always", always), ("never", never)):
            start = time.perf_counter()
            out = func(html)
            ms = (time.perf_counter() - start) * 1000
            row[name] = {"output": out, "ms": ms, "error": None, **ref.bow_scores(gold, out)}
        row["differ"] = row["always"]["output"] != row["never"]["output"]
        row["fast_words"] = _fast_words(html) if row["differ"] else None
        rows.append(row)
    return rows


def f1_at(rows: list[dict[str, Any]], threshold: int) -> float:
    """Reference-scorer F1 of the set with ``precision_fallback=threshold``."""
    ref = _reference()

    def pick(row: dict[str, Any]) -> dict[str, Any]:
        if threshold < 0 or (row["differ"] and threshold and row["fast_words"] < threshold):
            return dict(row["always"])
        return dict(row["never"])

    return float(ref.summarize([pick(r) for r in rows])["f1"])


def main(argv: list[str] | None = None) -> int:
    """Print the grid, the leave-one-dataset-out choice and the differing pages."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(DATASETS))
    parser.add_argument("--limit", type=int, default=0, help="first N pages per set (0: all)")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    names = [n for n in args.sets.split(",") if n]
    rows = {name: page_rows(name, args.limit) for name in names}
    grid = {name: {n: f1_at(r, n) for n in GRID} for name, r in rows.items()}
    label = {0: "0 (never)", -1: "-1 (always)"}
    print("| precision_fallback | " + " | ".join(names) + " |\n|---" * 1 + "|---" * len(names) + "|")
    for n in GRID:
        print(f"| {label.get(n, n)} | " + " | ".join(f"{grid[name][n]:.4f}" for name in names) + " |")
    if len(names) == 3:
        print("\nleave-one-dataset-out (chosen on the other two sets, ties to the smaller N):")
        order = sorted(GRID, key=lambda n: (n < 0, n))  # never < ... < always
        for held in names:
            others = [n for n in names if n != held]
            best = max(order, key=lambda n: (statistics.mean(grid[o][n] for o in others), -order.index(n)))
            print(f"  {held}: N = {label.get(best, best)}, F1 {grid[held][best]:.4f} "
                  f"(always {grid[held][-1]:.4f}, never {grid[held][0]:.4f})")  # fmt: skip
    for name, r in rows.items():
        diff = [x for x in r if x["differ"]]
        better = sum(x["always"]["f1"] > x["never"]["f1"] for x in diff)
        worse = sum(x["always"]["f1"] < x["never"]["f1"] for x in diff)
        time_ratio = statistics.median(x["never"]["ms"] for x in r) / statistics.median(x["always"]["ms"] for x in r)
        print(f"\n{name}: {len(r)} pages, bodies differ on {len(diff)}; the fallback scores better on {better}, "
              f"worse on {worse}; median time never / always {time_ratio:.2f}")  # fmt: skip
        for bucket, test in (("fast body < 50 words", lambda x: x["fast_words"] < 50),
                             ("fast body >= 50 words", lambda x: x["fast_words"] >= 50)):  # fmt: skip
            part = [x for x in diff if test(x)]
            gain = sum(x["always"]["f1"] - x["never"]["f1"] for x in part) / max(len(r), 1)
            print(f"  {bucket}: {len(part)} pages, F1pp gain of the fallback over the set {gain:+.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
