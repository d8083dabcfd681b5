"""Where ``extract``'s time goes: each stage's median ms/page as a ratio to trafilatura's.

Per page, in turn and in one process: trafilatura's own ``extract`` (comments off, the
speed reference), newsclean's default ``extract``, and its stages run alone on the same
page: the selectolax pre-pass, the page-feature walk (page type), lxml's parse of the
pre-passed markup, and each candidate method on that tree (trafilatura precision mode
without and with its internal fallback, balanced and fast modes, readability), the page
model, and the clean-up and language id of the default's body. Medians are per stage, so
they do not add up. ``newsclean.extract (precision_fallback=-1)`` is the default before
the precision candidate dropped trafilatura's internal fallback.

    python benchmarks/extract_stage_times.py --sets scrapinghub,wcxb_dev --limit 60
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import read_records  # noqa: E402


def _timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = func()
    return (time.perf_counter() - start) * 1000, out


def stage_times(html: str, flip: bool = False) -> dict[str, float]:
    """Milliseconds of each stage on one page (``flip``: the previous default's whole run first)."""
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
    before = newsclean.ExtractConfig(precision_fallback=-1)
    times: dict[str, float] = {}
    times["trafilatura.extract (reference)"], _ = _timed(lambda: trafilatura.extract(html, include_comments=False))
    # the two whole runs in turn, which one first alternating by page (a second run of a page
    # finds the walk's class-token cache warm)
    whole = [("newsclean.extract (default)", config), ("newsclean.extract (precision_fallback=-1)", before)]
    for label, cfg in whole[::-1] if flip else whole:
        times[label], out = _timed(lambda cfg=cfg: newsclean.extract(html, config=cfg))  # type: ignore[misc]
        if cfg is config:
            art = out
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


def main(argv: list[str] | None = None) -> int:
    """Print the stage table per set."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="scrapinghub,wcxb_dev")
    parser.add_argument("--limit", type=int, default=60)
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    for name in args.sets.split(","):
        records = read_records(name)[: args.limit]
        rows = [stage_times(rec.get("html") or "", flip=i % 2 == 1) for i, rec in enumerate(records)]
        stages = list(dict.fromkeys(k for row in rows for k in row))
        medians = {k: statistics.median([row[k] for row in rows if k in row]) for k in stages}
        base = medians["trafilatura.extract (reference)"]
        print(f"\n{name} ({len(rows)} pages)\n\n| stage | median ms/page | vs trafilatura |\n|---|---|---|")
        for k in stages:
            print(f"| {k} | {medians[k]:.1f} | {medians[k] / base:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
