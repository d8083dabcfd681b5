"""Language of articles: ``newsclean.language`` against the pages' own declarations.

The DEV extraction sets (``../shared/data/extraction``) carry no language labels, but most
pages declare one (``<html lang>``, ``content-language``, ``og:locale``; read by
``newsclean.extraction.metadata.read_metadata``). On the pages that do, the detector reads
(a) the gold article text and (b) ``strip``'s output for the page's lynx dump, and is
compared with the declaration, per minimum score. A declaration is not always right (a
site's template language): the pages where a confident detection disagrees are listed,
to be read.

The minimum score is also chosen leave-one-dataset-out (best "correct - 5 x wrong" on the
other two sets), to show whether the data can choose it.

    python benchmarks/language.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

import newsclean
from newsclean.extraction.metadata import read_metadata
from newsclean.language import detect_language

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
SETS = ("scrapinghub_aeb", "dragnet", "wcxb_dev")
GRID = (0.0, 0.3, 0.5, 0.7, 0.9)


def load(name: str, limit: int | None) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with gzip.open(SHARED / "data" / "extraction" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            declared = read_metadata(LexborHTMLParser(rec["html"])).language
            rows.append({"set": name, "id": rec["id"], "declared": declared,
                         "gold": detect_language(rec.get("text") or ""),
                         "strip": detect_language(newsclean.strip(rec.get("dump_lynx") or "").text)})
            if limit and len(rows) >= limit:
                break
    return rows


def counts(rows: Sequence[dict[str, object]], key: str, floor: float) -> tuple[int, int, int]:
    """(labelled pages, correct, wrong) of detections at >= floor on pages with a declaration."""
    labelled = [r for r in rows if r["declared"]]
    found = [r for r in labelled if r[key] is not None and r[key][1] >= floor]  # type: ignore[index]
    right = sum(1 for r in found if r[key][0] == r["declared"])  # type: ignore[index]
    return len(labelled), right, len(found) - right


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="pages per set (smoke run)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = {name: load(name, args.limit) for name in SETS}
    print(f"{sum(map(len, rows.values()))} pages read in {time.perf_counter() - started:.0f} s\n")
    print("| set | text | pages declaring | " + " | ".join(f"score >= {f}: right / wrong (share guessed)"
                                                         for f in GRID) + " |")
    print("|---|---|---|" + "---|" * len(GRID))
    for name in SETS:
        for key in ("gold", "strip"):
            cells = []
            for floor in GRID:
                n, right, wrong = counts(rows[name], key, floor)
                cells.append(f"{right} / {wrong} ({(right + wrong) / max(n, 1):.3f})")
            print(f"| {name} | {key} | {counts(rows[name], key, 0)[0]} | " + " | ".join(cells) + " |")
    print("\nLeave one dataset out (gold text; objective: correct - 5 x wrong on the other two sets):")
    for held in SETS:
        train = [r for name in SETS if name != held for r in rows[name]]

        def objective(floor: float, train: list[dict[str, object]] = train) -> tuple[int, float]:
            _, right, wrong = counts(train, "gold", floor)
            return right - 5 * wrong, -floor

        best = max(GRID, key=objective)
        n, right, wrong = counts(rows[held], "gold", best)
        print(f"  {held}: chosen {best}; held out: {right} right, {wrong} wrong of {n} declaring pages")
    print("\nConfident (>= 0.5) detections of the gold text that disagree with the declaration:")
    for name in SETS:
        for r in rows[name]:
            gold = r["gold"]
            if r["declared"] and gold is not None and gold[1] >= 0.5 and gold[0] != r["declared"]:  # type: ignore[index]
                print(f"  {name}:{str(r['id'])[:12]} declared {r['declared']}, detected {gold[0]} "  # type: ignore[index]
                      f"({gold[1]:.2f})")  # type: ignore[index]


if __name__ == "__main__":
    main()
