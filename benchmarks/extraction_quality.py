"""Article-extraction quality and speed: newsclean.extract beside trafilatura and readability.

Scores every system on a shared extraction set with the reference bag-of-words metric
(``tokens``/``bow_scores``/``summarize`` are imported from ``../shared/tools/eval_extract.py``,
so the numbers agree with the reference scorer by construction) and prints one table:
macro precision, macro recall, F1 of the averages, mean ms/page and the time ratio to
trafilatura (``include_comments=False``). All systems run on each page in turn, in the
same process, so machine load affects them alike.

    python benchmarks/extraction_quality.py                      # scrapinghub, 181 pages
    python benchmarks/extraction_quality.py --dataset dragnet    # 1379 pages, gold has headlines
    python benchmarks/extraction_quality.py --quick              # first 30 pages, smoke run

Cross-check with the reference scorer itself:

    python ../shared/tools/eval_extract.py ../shared/data/extraction/scrapinghub_aeb.jsonl.gz \
        --html benchmarks/extraction_quality.py:newsclean_text
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
DATASETS = {
    "scrapinghub": SHARED / "data" / "extraction" / "scrapinghub_aeb.jsonl.gz",
    "dragnet": SHARED / "data" / "extraction" / "dragnet.jsonl.gz",
}

Extractor = Callable[[str], str]


def _reference() -> Any:
    """The reference scorer module (../shared/tools/eval_extract.py)."""
    sys.path.insert(0, str(SHARED / "tools"))
    import eval_extract

    return eval_extract


def newsclean_text(html: str) -> str:
    """newsclean's article text, for the reference scorer's ``--html MODULE:FUNC``."""
    import newsclean

    return newsclean.extract(html).text


def systems() -> dict[str, Extractor]:
    """The compared extractors, by table label (readability only if installed)."""
    import trafilatura


    found: dict[str, Extractor] = {
        "trafilatura (default)": lambda html: trafilatura.extract(html) or "",
        "trafilatura (include_comments=False)": lambda html: trafilatura.extract(html, include_comments=False) or "",
    }
    try:
        import lxml.html
        from readability import Document

        def readability(html: str) -> str:
            summary = Document(html).summary(html_partial=True)
            return str(lxml.html.fromstring(summary).text_content()) if summary.strip() else ""

        found["readability-lxml"] = readability
    except ImportError:
        pass
    found["newsclean.extract"] = newsclean_text
    return found


def evaluate(records: list[dict[str, Any]], extractors: dict[str, Extractor]) -> dict[str, list[dict[str, Any]]]:
    """Per-page score rows for every system (the reference scorer's row format)."""
    ref = _reference()
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in extractors}
    for rec in records:
        html = rec.get("html") or ""
        for name, func in extractors.items():
            start = time.perf_counter()
            error = None
            try:
                out = func(html)
            except Exception as exc:  # noqa: BLE001 - a failing page is a result
                out, error = "", f"{type(exc).__name__}: {exc}"
            ms = (time.perf_counter() - start) * 1000
            row = {"id": rec["id"], "ms": ms, "error": error, "output": out}
            row.update(ref.bow_scores(rec.get("text") or "", out))
            rows[name].append(row)
    return rows


def table(rows: dict[str, list[dict[str, Any]]], baseline: str) -> str:
    """The results as a Markdown table with a time ratio to ``baseline``."""
    ref = _reference()
    summaries = {name: ref.summarize(r) for name, r in rows.items()}
    base_ms = summaries[baseline]["ms_mean"] if baseline in summaries else 0.0
    lines = [
        "| system | P | R | F1 | ms/page (mean) | ms/page (median) | time vs trafilatura | empty | raised |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in summaries.items():
        ratio = f"{s['ms_mean'] / base_ms:.2f}x" if base_ms else "-"
        lines.append(
            f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | **{s['f1']:.3f}** | "
            f"{s['ms_mean']:.1f} | {s['ms_median']:.1f} | {ratio} | {s['empty']} | {s['raised']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="scrapinghub", help="scrapinghub, dragnet, or a .jsonl.gz path")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages")
    parser.add_argument("--quick", action="store_true", help="smoke run: first 30 pages")
    parser.add_argument("--only", help="comma-separated substrings of the system labels to run")
    parser.add_argument("--worst", type=int, default=0, help="list newsclean's N lowest-F1 pages")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded page

    path = DATASETS.get(args.dataset, Path(args.dataset))
    if not path.exists():
        print(f"dataset not found: {path} (set NEWSCLEAN_SHARED to the shared folder)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(SHARED / "tools"))
    from _extraction_io import read_jsonl

    records = list(read_jsonl(str(path)))
    limit = 30 if args.quick and not args.limit else args.limit
    if limit:
        records = records[:limit]
    extractors = systems()
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        extractors = {k: v for k, v in extractors.items() if any(w in k for w in wanted)}
    rows = evaluate(records, extractors)
    print(f"dataset {path.name}: {len(records)} pages; bag-of-words P/R macro-averaged, F1 of the averages")
    print(table(rows, "trafilatura (include_comments=False)"))
    if args.worst and "newsclean.extract" in rows:
        worst = sorted(rows["newsclean.extract"], key=lambda r: r["f1"])[: args.worst]
        print("newsclean lowest per-page F1: " + ", ".join(f"{r['id'][:12]} {r['f1']:.2f}" for r in worst))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
