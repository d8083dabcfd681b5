"""Cache the vote's intermediate outputs per DEV page, to tune post-vote steps quickly.

For every page of the three DEV sets it stores (gzip JSONL under ``--out``, default
``/tmp/newsclean-dev``): the vote's ``extract`` paragraphs and method (``non_articles="vote"``:
the vote on every page, whatever the page type), the raw
candidates of the vote run on the same pre-passed markup (trafilatura precision,
fast and balanced modes, readability), and the page type. Tuning scripts then score
rules on these without re-running trafilatura (about 0.2 s per page here).

    python benchmarks/extract_dev_cache.py                      # all three sets
    python benchmarks/extract_dev_cache.py --sets wcxb_dev --limit 100
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import DATASETS, read_records  # noqa: E402

OUT = Path(os.environ.get("NEWSCLEAN_DEV_CACHE", "/tmp/newsclean-dev"))


def page_row(rec: dict[str, Any], config: Any, candidates: bool = True) -> dict[str, Any]:
    """The cached outputs of one page."""
    import newsclean
    from newsclean.extraction import _candidates, _markup, _prepass, precision_candidate
    from newsclean.extraction.candidates import (
        parse_tree,
        readability_candidate,
        trafilatura_candidate,
    )

    html = rec.get("html") or ""
    start = time.perf_counter()
    art = newsclean.extract(html, config=config)
    ms = (time.perf_counter() - start) * 1000
    row: dict[str, Any] = {"id": rec["id"], "paragraphs": list(art.paragraphs), "method": art.method,
                           "page_type": art.page_type, "status": art.status, "ms": ms}  # fmt: skip
    text, page, meta, _has = _prepass(html, config.max_chars)
    verdict = _candidates(_markup(text, page, config.max_chars), page, meta, None, config)
    row["verdict"] = list(verdict.paragraphs)
    row["title"] = meta.title
    if not candidates:
        return row
    tree = parse_tree(_markup(text, page, config.max_chars))
    for name in ("trafilatura-fast", "trafilatura"):
        row[name] = list(trafilatura_candidate(tree, name).paragraphs) if tree is not None else []
    # the vote's precision candidate (its internal fallback as config.precision_fallback says)
    precision = precision_candidate(tree, None, config.precision_fallback) if tree is not None else None
    row["trafilatura-precision"] = list(precision.paragraphs) if precision is not None else []
    row["readability"] = list(readability_candidate(tree).paragraphs) if tree is not None else []
    return row


def main(argv: list[str] | None = None) -> int:
    """Fill the cache."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(DATASETS))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-candidates", action="store_true", help="only extract's output and the verdict")
    parser.add_argument("--max-chars", type=int, default=None, help="ExtractConfig.max_chars (default: its default)")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    import newsclean

    config = newsclean.ExtractConfig(non_articles="vote")
    if args.max_chars is not None:
        config = newsclean.ExtractConfig(non_articles="vote", max_chars=args.max_chars)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.sets.split(","):
        records = read_records(name)
        if args.limit:
            records = records[: args.limit]
        start = time.perf_counter()
        path = args.out / f"{name}.jsonl.gz"
        tmp = path.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(page_row(rec, config, not args.no_candidates), ensure_ascii=False) + "\n")
        tmp.replace(path)
        print(f"{name}: {len(records)} pages in {time.perf_counter() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
