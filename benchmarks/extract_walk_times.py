"""The page-feature walk against the previous one, paired per page in one process.

``page_features`` (lexbor's traversal, rows only for block elements) against the walk it
replaced, which is still the first half of ``page_blocks`` (``_Walker`` and the page vector
of its blocks): both on each pre-passed page in turn, three times, with the class-token
cache warm, their outputs checked equal. Prints median ms and the median per-page ratio
(the number a machine's changing load moves least).

    python benchmarks/extract_walk_times.py --sets scrapinghub,dragnet,wcxb_dev --limit 60
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import read_records  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Print one line per set."""
    from newsclean.extraction import _prepass, blocks

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="scrapinghub,dragnet,wcxb_dev")
    parser.add_argument("--limit", type=int, default=60)
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    cap = 1_000_000

    def previous(root: object) -> object:
        walker = blocks._Walker(cap)
        walker.walk(root)  # type: ignore[arg-type]
        return blocks._page_vector(walker, None, blocks._top_container(walker))

    print("| set | pages | page_features ms | previous walk ms | per page (median) |\n|---|---|---|---|---|")
    for name in args.sets.split(","):
        new_ms, old_ms, ratios = [], [], []
        pages = 0
        for rec in read_records(name)[: args.limit]:
            _text, page, _meta, _has = _prepass(rec.get("html") or "", cap)
            if page is None or page.body is None:
                continue
            pages += 1
            blocks.page_features(page.body, None, cap)  # warms the class-token cache
            for _ in range(3):
                start = time.perf_counter()
                ours = blocks.page_features(page.body, None, cap)
                middle = time.perf_counter()
                theirs = previous(page.body)
                end = time.perf_counter()
                if ours.tolist() != theirs.tolist():  # type: ignore[attr-defined]
                    msg = f"{name} {rec.get('id')}: the two walks' page features differ"
                    raise AssertionError(msg)
                new_ms.append((middle - start) * 1000)
                old_ms.append((end - middle) * 1000)
                ratios.append((middle - start) / (end - middle))
        print(f"| {name} | {pages} | {statistics.median(new_ms):.1f} | {statistics.median(old_ms):.1f} "
              f"| {statistics.median(ratios):.2f}x |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
