"""Where ``extract``'s time goes: each stage's median ms/page as a ratio to trafilatura's.

Per page, in turn and in one process: trafilatura's own ``extract`` (comments off, the
speed reference), newsclean's default ``extract``, and its stages run alone on the same
page: the selectolax pre-pass, the page-feature walk (page type), lxml's parse of the
pre-passed markup, and each candidate method on that tree (trafilatura precision mode
without and with its internal fallback, balanced and fast modes, readability), the page
model, and the clean-up and language id of the default's body. Medians are per stage, so
they do not add up; the stages run after the whole run (which warms the walk's cache of
class-token groups).

``--old-src DIR`` (e.g. ``git archive main src | tar -x -C /tmp/base``, then ``/tmp/base/src``)
also times newsclean's default ``extract`` of this repository and of ``DIR`` in two worker
processes, one harness for both, each timing trafilatura's ``extract`` before it on the
same page (which worker goes first alternates by page): ratios of medians, medians of the
per-page ratios, and the median per-page ratio of the two ``extract`` times, which a
machine's changing load moves least.

    python benchmarks/extract_stage_times.py --sets scrapinghub,dragnet,wcxb_dev --limit 60 --old-src /tmp/base/src
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import read_records  # noqa: E402


def _timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = func()
    return (time.perf_counter() - start) * 1000, out


def stage_times(html: str) -> dict[str, float]:
    """Milliseconds of trafilatura's ``extract``, newsclean's default ``extract`` and each of
    its stages on one page."""
    import trafilatura

    import newsclean
    from newsclean.extraction import (
        _clean,
        _markup,
        _prepass,
        non_article_probability,
        page_features,
    )
    from newsclean.extraction.candidates import (
        parse_tree,
        readability_candidate,
        trafilatura_candidate,
    )
    from newsclean.extraction.model import load_model
    from newsclean.language import article_language

    config = newsclean.ExtractConfig()
    cap = config.max_chars
    times: dict[str, float] = {}
    times["trafilatura.extract (reference)"], _ = _timed(lambda: trafilatura.extract(html, include_comments=False))
    times["newsclean.extract (default)"], art = _timed(lambda: newsclean.extract(html, config=config))
    times["pre-pass (selectolax, metadata)"], (text, page, meta, _has) = _timed(lambda: _prepass(html, cap))
    if page is None or page.body is None:
        return times
    times["page features (page type)"], features = _timed(lambda: page_features(page.body, None, cap))
    model = load_model(None)
    times["page model (type and odds)"], _ = _timed(lambda: non_article_probability(features, meta, model))
    paragraphs = tuple(art.paragraphs)
    times["clean-up of the body (normalize, chrome)"], _ = _timed(lambda: _clean(paragraphs, meta.title, config))
    times["language id of the body"], _ = _timed(lambda: article_language(art.text, meta.language))
    markup = _markup(text, page, cap)
    times["lxml parse"], tree = _timed(lambda: parse_tree(markup))
    if tree is None:
        return times
    for name in ("trafilatura-precision", "trafilatura-precision-fallback", "trafilatura", "trafilatura-fast"):
        times[f"candidate {name}"], _ = _timed(lambda name=name: trafilatura_candidate(tree, name))  # type: ignore[misc]
    times["candidate readability"], _ = _timed(lambda: readability_candidate(tree))
    return times


# The worker of --old-src: reads one JSON string (a page) per line, answers with the
# milliseconds of trafilatura's extract and of the default newsclean.extract it imports.
_WORKER = """
import json, logging, sys, time
import trafilatura, newsclean
logging.disable(logging.CRITICAL)
print(json.dumps(newsclean.__file__), flush=True)
for line in sys.stdin:
    html = json.loads(line)
    t0 = time.perf_counter()
    trafilatura.extract(html, include_comments=False)
    t1 = time.perf_counter()
    newsclean.extract(html)
    t2 = time.perf_counter()
    print(json.dumps([(t1 - t0) * 1000, (t2 - t1) * 1000]), flush=True)
"""


class _Worker:
    """A process timing trafilatura's and newsclean's default ``extract``, importing newsclean
    from ``src`` (``--old-src``, and this repository's ``src`` beside it)."""

    def __init__(self, src: str) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter on our own script
            [sys.executable, "-c", _WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        self.stdin: IO[str] = self.proc.stdin  # type: ignore[assignment]
        self.stdout: IO[str] = self.proc.stdout  # type: ignore[assignment]
        self.module = json.loads(self.stdout.readline())

    def times(self, html: str) -> tuple[float, float]:
        """Milliseconds of trafilatura's and newsclean's ``extract`` on ``html``."""
        self.stdin.write(json.dumps(html) + "\n")
        self.stdin.flush()
        reference, extract = json.loads(self.stdout.readline())
        return reference, extract

    def close(self) -> None:
        self.stdin.close()
        self.proc.wait()


def _medians(rows: list[dict[str, float]]) -> dict[str, float]:
    """Median ms per stage."""
    stages = list(dict.fromkeys(k for row in rows for k in row))
    return {k: statistics.median([row[k] for row in rows if k in row]) for k in stages}


def _pair_rows(pairs: list[tuple[tuple[float, float], tuple[float, float]]]) -> list[str]:
    """Table rows of the two workers' runs: (this, old) per page, each (trafilatura, extract)."""
    rows = []
    for label, k in (("this code", 0), ("--old-src", 1)):
        reference = statistics.median(p[k][0] for p in pairs)
        extract = statistics.median(p[k][1] for p in pairs)
        per_page = statistics.median(p[k][1] / p[k][0] for p in pairs)
        rows.append(f"| newsclean.extract (default), {label}, worker process (its trafilatura {reference:.1f} ms) "
                    f"| {extract:.1f} | {extract / reference:.2f}x (per page: {per_page:.2f}x) |")  # fmt: skip
    paired = statistics.median(p[0][1] / p[1][1] for p in pairs)
    rows.append(f"| this code's extract / --old-src's, per page (median) | | {paired:.2f}x |")
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the stage table per set."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="scrapinghub,wcxb_dev")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--old-src", default=None, help="a src folder holding another newsclean to time beside this one")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    workers: list[_Worker] = []
    if args.old_src:
        workers = [_Worker(str(Path(__file__).resolve().parent.parent / "src")), _Worker(args.old_src)]
        print(f"workers: {workers[0].module} and {workers[1].module}")
    for n, name in enumerate(args.sets.split(",")):
        records = read_records(name)[: args.limit]
        if n == 0 and records:  # warm-up, not timed: first-call loads (jusText's stop lists, models)
            stage_times(records[0].get("html") or "")
            for worker in workers:
                worker.times(records[0].get("html") or "")
        rows = []
        pairs = []
        for i, rec in enumerate(records):
            html = rec.get("html") or ""
            rows.append(stage_times(html))
            if workers:  # which one first alternates by page
                first, second = (workers[0], workers[1]) if i % 2 == 0 else (workers[1], workers[0])
                a, b = first.times(html), second.times(html)
                pairs.append((a, b) if i % 2 == 0 else (b, a))
        medians = _medians(rows)
        base = medians["trafilatura.extract (reference)"]
        print(f"\n{name} ({len(rows)} pages)\n\n| stage | median ms/page | vs trafilatura |\n|---|---|---|")
        for k, value in medians.items():
            print(f"| {k} | {value:.1f} | {value / base:.2f}x |")
        if pairs:
            print("\n".join(_pair_rows(pairs)))
    for worker in workers:
        worker.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
