"""Anchor extractors for the extraction benchmarks, with an on-disk output cache.

Each anchor's output and time per page is cached under ``--cache`` (default
``/tmp/newsclean-anchors``) as ``<system>/<dataset>.jsonl.gz``, so that repeated runs of
``extraction_quality.py`` spend the two shared cores on newsclean, not on re-running
readability and newspaper4k. trafilatura is run live (its time is the speed reference).

    python benchmarks/_extract_anchors.py            # fill the cache for the three DEV sets
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data" / "extraction"
DATASETS = {
    "scrapinghub": DATA / "scrapinghub_aeb.jsonl.gz",
    "dragnet": DATA / "dragnet.jsonl.gz",
    "wcxb_dev": DATA / "wcxb_dev.jsonl.gz",
}
CACHE = Path(os.environ.get("NEWSCLEAN_ANCHOR_CACHE", "/tmp/newsclean-anchors"))
TRAFILATURA = "trafilatura (include_comments=False)"

Extractor = Callable[[str], str]


def read_records(name: str) -> list[dict[str, Any]]:
    """The records of a DEV set by short name (or a path)."""
    sys.path.insert(0, str(SHARED / "tools"))
    from _extraction_io import read_jsonl

    return list(read_jsonl(str(DATASETS.get(name, Path(name)))))


def anchors() -> dict[str, Extractor]:
    """The anchor extractors that are installed, by table label."""
    logging.disable(logging.CRITICAL)
    warnings.filterwarnings("ignore")
    import trafilatura

    found: dict[str, Extractor] = {
        TRAFILATURA: lambda html: trafilatura.extract(html, include_comments=False) or "",
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
    try:
        import newspaper
        import tldextract
        from newspaper import urls as newspaper_urls

        # offline: the bundled public-suffix snapshot, and no image fetches (network is off)
        newspaper_urls.tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

        def newspaper4k(html: str) -> str:
            art = newspaper.Article(url="http://localhost/", fetch_images=False)
            art.download(input_html=html)
            art.parse()
            return str(art.text or "")

        found["newspaper4k"] = newspaper4k
    except ImportError:
        pass
    try:
        from magic_html import GeneralExtractor  # needs Python >= 3.12

        def magic(html: str) -> str:
            import lxml.html

            out = GeneralExtractor().extract(html).get("html") or ""
            return str(lxml.html.fromstring(out).text_content()) if out.strip() else ""

        found["magic-html"] = magic
    except ImportError:
        pass
    return found


def run_one(func: Extractor, html: str) -> tuple[str, float, str | None]:
    """Output, milliseconds and error (``None`` if it did not raise) of one call."""
    start = time.perf_counter()
    error = None
    try:
        out = func(html)
    except Exception as exc:  # noqa: BLE001 - a failing page is a result
        out, error = "", f"{type(exc).__name__}: {str(exc)[:200]}"
    return out if isinstance(out, str) else "", (time.perf_counter() - start) * 1000, error


def cached_outputs(system: str, dataset: str, records: list[dict[str, Any]], func: Extractor) -> list[dict[str, Any]]:
    """``{"id", "output", "ms", "error"}`` per record, from the cache or by running ``func``."""
    path = CACHE / system.replace(" ", "_").replace("/", "_") / f"{dataset}.jsonl.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        if [r["id"] for r in rows] == [r["id"] for r in records]:
            return rows
    rows = []
    for rec in records:
        out, ms, error = run_one(func, rec.get("html") or "")
        rows.append({"id": rec["id"], "output": out, "ms": ms, "error": error})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return rows


def main() -> int:
    """Fill the anchor cache for the three DEV sets."""
    for dataset in DATASETS:
        records = read_records(dataset)
        for system, func in anchors().items():
            start = time.perf_counter()
            cached_outputs(system, dataset, records, func)
            print(f"{dataset} {system}: {time.perf_counter() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
