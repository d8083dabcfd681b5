"""Article-extraction quality and speed, out of sample: newsclean.extract beside the anchors.

For each of the three DEV sets (scrapinghub, dragnet, wcxb_dev) it prints one table:

- ``newsclean.extract (default; LODO page model, threshold and precision_fallback)``: the
  shipped default (``method="vote"``, ``non_articles="auto"``: trafilatura's body on pages
  that the page classifier gives P(not article) >= t and whose metadata does not declare an
  article), with everything that rule learned kept out of the scored set: on scrapinghub
  and dragnet the page model of the leave-one-dataset-out file (trained on the other two
  sets) and the threshold chosen on the other two sets (:data:`LODO_THRESHOLDS`, from
  ``benchmarks/extract_page_rule.py``); on wcxb_dev (whose page-type labels are the only
  ones) page models of by-site 5 folds (trained on the other folds' sites and the news sets)
  and the threshold chosen on the two news sets. ``precision_fallback`` (when the precision
  candidate runs trafilatura's internal fallback) is the one chosen on the other two sets
  (:data:`LODO_PRECISION_FALLBACK`, from ``benchmarks/extract_precision_fallback.py``).
- ``... (precision_fallback=-1 ...)`` and ``... (precision_fallback=0 ...)``: the same with
  the fallback always (the previous default) and never.
- ``newsclean.extract (default, shipped model)``: the same with the shipped page model
  (trained on all three sets, so in sample on every set) and threshold.
- ``newsclean.extract (vote everywhere)``: ``non_articles="vote"`` (the previous default;
  its few thresholds were set on scrapinghub).
- ``newsclean.extract (non_articles='trafilatura', LODO page model)``: the vote on pages
  the page classifier names articles, trafilatura's balanced body on the others, with the
  page model of the leave-one-dataset-out file (trained on the other two sets; held-out
  wcxb_dev leaves no page-type labels, so there every page counts as an article and the
  row equals the default; ``benchmarks/extract_page_rule.py`` scores the rule by site).
- ``newsclean blocks (LODO)``: ``method="blocks"`` newsclean.extract with a model trained by
  ``benchmarks/extract_train.py`` on the *other two* sets only (leave one dataset out);
  nothing about the scored set was used, the threshold included (fixed at 0.5).
- ``newsclean blocks (shipped model, in sample)``: the shipped weights, trained on all three
  sets: **in sample**.
- the anchors: trafilatura (``include_comments=False``), readability-lxml, newspaper4k
  (magic-html needs Python >= 3.12 and is left out when it does not install).

Scores use the reference scorer's own functions (``bow_scores``/``summarize`` imported
from ``../shared/tools/eval_extract.py``), so they agree with it by construction:
macro P and R, F1 of the averages, F1pp (mean per-page F1). trafilatura and newsclean
run live on each page in turn, so machine load affects them alike, and the speed column
is the median ms/page as a ratio to trafilatura's in the same run. readability-lxml and
newspaper4k outputs (and times) come from a cache (``benchmarks/_extract_anchors.py``).
Then the page-type accuracy on wcxb_dev (by-site 5-fold, page model trained on the
other folds' sites and the news sets' pages as articles), and per news set the share of
its pages that a page model trained on the other two sets calls non-articles.

    python benchmarks/extraction_quality.py                 # all three sets (trains 3 LODO models)
    python benchmarks/extraction_quality.py --quick         # first 40 pages per set, cached models
    python benchmarks/extraction_quality.py --sets wcxb_dev --site-folds 2   # + by-site-fold models

Cross-check with the reference scorer itself (defaults; blocks with a LODO model by path):

    python ../shared/tools/eval_extract.py ../shared/data/extraction/wcxb_dev.jsonl.gz \\
        --html benchmarks/extraction_quality.py:newsclean_text
    NEWSCLEAN_EXTRACT_MODEL=/tmp/newsclean-lodo/lodo_wcxb_dev.json python ../shared/tools/eval_extract.py \\
        ../shared/data/extraction/wcxb_dev.jsonl.gz --html benchmarks/extraction_quality.py:newsclean_blocks_text
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import (  # noqa: E402
    DATASETS,
    SHARED,
    TRAFILATURA,
    anchors,
    cached_outputs,
    read_records,
    run_one,
)

LODO_DIR = Path(os.environ.get("NEWSCLEAN_LODO_DIR", "/tmp/newsclean-lodo"))
#: ``non_article_threshold`` chosen on the other two sets for each held-out set
#: (``python benchmarks/extract_page_rule.py``, "P(not article) >= t, metadata veto").
LODO_THRESHOLDS = {"scrapinghub": 0.6, "dragnet": 0.6, "wcxb_dev": 0.75}
#: ``precision_fallback`` chosen on the other two sets for each held-out set
#: (``python benchmarks/extract_precision_fallback.py``; -1: always, the previous default).
LODO_PRECISION_FALLBACK = {"scrapinghub": -1, "dragnet": 100, "wcxb_dev": 100}
PAGE_FOLDS = 5

Extractor = Callable[[str], str]


def _reference() -> Any:
    """The reference scorer module (../shared/tools/eval_extract.py)."""
    sys.path.insert(0, str(SHARED / "tools"))
    import eval_extract

    return eval_extract


def newsclean_text(html: str) -> str:
    """newsclean's article text (defaults), for the reference scorer's ``--html MODULE:FUNC``."""
    import newsclean

    return newsclean.extract(html).text


def newsclean_blocks_text(html: str) -> str:
    """``method="blocks"`` text for the reference scorer (weights from
    ``$NEWSCLEAN_EXTRACT_MODEL`` if set, else the shipped ones)."""
    import newsclean

    model = os.environ.get("NEWSCLEAN_EXTRACT_MODEL") or None
    return newsclean.extract(html, config=newsclean.ExtractConfig(method="blocks", model=model)).text


def _current(path: Path) -> bool:
    """Whether the cached model file exists and matches this code's features."""
    from newsclean.errors import InputError
    from newsclean.extraction.model import model_from_json

    try:
        model_from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, InputError, KeyError):
        return False
    return True


def lodo_model(held_out: str, retrain: bool) -> Path:
    """The path of a model trained on every DEV set except ``held_out`` (trained if needed)."""
    import extract_train

    path = LODO_DIR / f"lodo_{held_out}.json"
    if retrain or not _current(path):
        train = [name for name in DATASETS if name != held_out]
        start = time.perf_counter()
        model = extract_train.train_model(train, tune_threshold=False)
        LODO_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
        print(f"trained {path.name} on {', '.join(train)} in {time.perf_counter() - start:.0f} s", flush=True)
    return path


def site_fold_models(dataset: str, folds: int, retrain: bool) -> list[Path]:
    """Per by-site fold of ``dataset``: a model trained on all DEV pages except that fold's sites."""
    import extract_train

    paths = []
    for fold in range(folds):
        path = LODO_DIR / f"site_{dataset}_{fold}of{folds}.json"
        if retrain or not _current(path):
            start = time.perf_counter()
            model = extract_train.train_model(list(DATASETS), tune_threshold=False, leave_out=(dataset, fold, folds))
            LODO_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
            print(f"trained {path.name} in {time.perf_counter() - start:.0f} s", flush=True)
        paths.append(path)
    return paths


def _site_fold_extractor(dataset: str, records: list[dict[str, Any]], folds: int, retrain: bool) -> Extractor:
    """newsclean with, for each page, the model that never saw the page's site."""
    import extract_train

    pages = extract_train.featurize(dataset)
    fold_of = {p["id"]: f for p, f in zip(pages, extract_train.by_site_folds(pages, folds), strict=True)}
    by_fold = [_extractor(str(path)) for path in site_fold_models(dataset, folds, retrain)]
    fold_by_html = {rec.get("html") or "": fold_of[rec["id"]] for rec in records}
    return lambda html: by_fold[fold_by_html.get(html, 0)](html)


def page_fold_models(dataset: str, retrain: bool) -> list[Path]:
    """Per by-site fold of ``dataset`` (:data:`PAGE_FOLDS`): the shipped model with its page
    model replaced by one trained on the other folds' sites and the other DEV sets (the
    vote path uses only the page model)."""
    import extract_train
    from newsclean.extraction.model import DEFAULT_MODEL, PAGE_INPUTS

    shipped = json.loads((extract_train.ROOT / "src" / "newsclean" / "data" / DEFAULT_MODEL).read_text(encoding="utf-8"))
    pages = extract_train.featurize(dataset)
    folds = extract_train.by_site_folds(pages, PAGE_FOLDS)
    others = [p for name in DATASETS if name != dataset for p in extract_train.featurize(name)]
    paths = []
    for fold in range(PAGE_FOLDS):
        path = LODO_DIR / f"page_{dataset}_{fold}of{PAGE_FOLDS}.json"
        if retrain or not _current(path):
            train = [p for p, f in zip(pages, folds, strict=True) if f != fold] + others
            model = {**shipped, "page": extract_train.export(extract_train.fit_pages(train)), "page_features": list(PAGE_INPUTS),
                     "trained_on": f"page model: {dataset} without by-site fold {fold} of {PAGE_FOLDS}, and the other sets"}  # fmt: skip
            LODO_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
        paths.append(path)
    return paths


def _default_lodo_extractor(dataset: str, records: list[dict[str, Any]], retrain: bool, **options: Any) -> Extractor:
    """The default ``extract`` (with ``options``) with page model and threshold never fitted
    on the scored page."""
    threshold = LODO_THRESHOLDS[dataset]
    if dataset != "wcxb_dev":
        return _extractor(str(lodo_model(dataset, retrain)), "vote", non_article_threshold=threshold, **options)
    import extract_train

    pages = extract_train.featurize(dataset)
    fold_of = {p["id"]: f for p, f in zip(pages, extract_train.by_site_folds(pages, PAGE_FOLDS), strict=True)}
    by_fold = [_extractor(str(path), "vote", non_article_threshold=threshold, **options)
               for path in page_fold_models(dataset, retrain)]  # fmt: skip
    fold_by_html = {rec.get("html") or "": fold_of[rec["id"]] for rec in records}
    return lambda html: by_fold[fold_by_html.get(html, 0)](html)


def _extractor(model: str | None, method: str = "blocks", **options: Any) -> Extractor:
    """newsclean.extract's text with the given weights file, method and other options."""
    import newsclean

    config = newsclean.ExtractConfig(model=model, method=method, **options)  # type: ignore[arg-type]
    return lambda html: newsclean.extract(html, config=config).text


#: Systems whose outputs and times came from the cache (their times are from another run).
cached_rows: set[str] = set()


def score(records: list[dict[str, Any]], live: dict[str, Extractor], cached: list[str], dataset: str) -> dict[str, list[dict[str, Any]]]:
    """Per-page score rows (the reference scorer's format) for every system."""
    ref = _reference()
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in live}
    for rec in records:
        html = rec.get("html") or ""
        for name, func in live.items():
            out, ms, error = run_one(func, html)
            rows[name].append({"id": rec["id"], "ms": ms, "error": error, "output": out,
                               **ref.bow_scores(rec.get("text") or "", out)})  # fmt: skip
    funcs = anchors()
    for name in cached:
        if name not in funcs:
            continue
        if len(records) == len(read_records(dataset)):
            cached_rows.add(name)
        outs = cached_outputs(name, dataset, records, funcs[name]) if len(records) == len(read_records(dataset)) else [
            {"id": r["id"], **dict(zip(("output", "ms", "error"), run_one(funcs[name], r.get("html") or ""), strict=True))}
            for r in records
        ]
        rows[name] = [{**o, **ref.bow_scores(r.get("text") or "", o["output"])} for o, r in zip(outs, records, strict=True)]
    return rows


def table(rows: dict[str, list[dict[str, Any]]]) -> str:
    """The results as a Markdown table, with median time as a ratio to trafilatura's."""
    ref = _reference()
    summaries = {name: ref.summarize(r) for name, r in rows.items()}
    base = summaries[TRAFILATURA]["ms_median"] if TRAFILATURA in summaries else 0.0
    best_anchor = max((s["f1"] for n, s in summaries.items() if not n.startswith("newsclean")), default=0.0)
    lines = [
        "| system | P | R | F1 | F1pp | ms/page (median) | median time vs trafilatura | empty | raised |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in summaries.items():
        ratio = f"{s['ms_median'] / base:.2f}x" if base and name not in cached_rows else "- (cached run)"
        lines.append(
            f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | **{s['f1']:.3f}** | {s['f1_per_page']:.3f} | "
            f"{s['ms_median']:.1f} | {ratio} | {s['empty']} | {s['raised']} |"
        )
    for name, s in summaries.items():
        if name.startswith("newsclean"):
            lines.append(f"\n{name}: F1 {s['f1'] - best_anchor:+.3f} against the best anchor ({best_anchor:.3f})")
    return "\n".join(lines)


def page_type_report(names: list[str]) -> str:
    """By-site 5-fold page-type accuracy on wcxb_dev (each fold's model also trained on the
    news sets' pages as articles), and the share of each news set's pages that a model
    never trained on that set calls non-articles."""
    import extract_train

    pages = extract_train.featurize("wcxb_dev")
    news = [p for name in DATASETS if name != "wcxb_dev" for p in extract_train.featurize(name)]
    accuracy, predicted = extract_train.page_type_cv(pages, news)
    truth = [p["page_type"] for p in pages]
    article = sum((a == "article") == (b == "article") for a, b in zip(predicted, truth, strict=True)) / len(truth)
    confusion = Counter(zip(truth, predicted, strict=True))
    majority = Counter(truth).most_common(1)[0]
    lines = [
        f"page_type on wcxb_dev, by-site 5 folds: accuracy {accuracy:.3f} over {len(truth)} pages "
        f"({len(extract_train.PAGE_TYPES)} types; always '{majority[0]}' would score {majority[1] / len(truth):.3f}); "
        f"article vs not: {article:.3f}",
        "| gold \\ predicted | " + " | ".join(extract_train.PAGE_TYPES) + " |",
        "|---" * (len(extract_train.PAGE_TYPES) + 1) + "|",
    ]
    for gold in extract_train.PAGE_TYPES:
        lines.append(f"| {gold} | " + " | ".join(str(confusion[(gold, p)]) for p in extract_train.PAGE_TYPES) + " |")
    for name in names:
        if name != "wcxb_dev":
            share = extract_train.non_article_share(name)
            lines.append(f"\n{name} (all articles): {share:.3f} of its pages called non-articles by a page model "
                         "trained on the other two sets")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(DATASETS), help="comma-separated DEV sets to score")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages of each set")
    parser.add_argument("--quick", action="store_true", help="first 40 pages per set; reuse cached LODO models")
    parser.add_argument("--retrain", action="store_true", help="retrain the LODO models even if cached")
    parser.add_argument("--site-folds", type=int, default=2, help="by-site folds (0: skip that row)")
    parser.add_argument("--site-fold-sets", default="wcxb_dev", help="sets that get the by-site row")
    parser.add_argument("--no-page-type", action="store_true", help="skip the page-type report")
    parser.add_argument("--no-blocks", action="store_true", help="skip the two method='blocks' rows")
    parser.add_argument("--no-switch-rows", action="store_true",
                        help="skip the 'vote everywhere' and non_articles='trafilatura' rows")  # fmt: skip
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded page
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    missing = [n for n in names if n not in DATASETS or not DATASETS[n].exists()]
    if missing:
        print(f"dataset not found: {', '.join(missing)} (set NEWSCLEAN_SHARED to the shared folder)", file=sys.stderr)
        return 2
    limit = 40 if args.quick and not args.limit else args.limit
    trafilatura = anchors()[TRAFILATURA]
    for name in names:
        records = read_records(name)
        if limit:
            records = records[:limit]
        retrain = args.retrain and not args.quick
        fallback = LODO_PRECISION_FALLBACK[name]
        live: dict[str, Extractor] = {
            TRAFILATURA: trafilatura,
            "newsclean.extract (default; LODO page model, threshold and precision_fallback)": _default_lodo_extractor(
                name, records, retrain, precision_fallback=fallback
            ),
            "newsclean.extract (precision_fallback=-1, the previous default; LODO page model and threshold)":
                _default_lodo_extractor(name, records, retrain, precision_fallback=-1),
            "newsclean.extract (precision_fallback=0; LODO page model and threshold)": _default_lodo_extractor(
                name, records, retrain, precision_fallback=0
            ),
            "newsclean.extract (default, shipped model: in sample)": _extractor(None, "vote"),
        }  # fmt: skip
        if not args.no_switch_rows:
            live["newsclean.extract (vote everywhere)"] = _extractor(None, "vote", non_articles="vote")
            live["newsclean.extract (non_articles='trafilatura', LODO page model)"] = _extractor(
                str(lodo_model(name, retrain)), "vote", non_articles="trafilatura"
            )
        if not args.no_blocks:
            live["newsclean blocks (LODO)"] = _extractor(str(lodo_model(name, retrain)))
            live["newsclean blocks (shipped model, in sample)"] = _extractor(None)
        if args.site_folds and name in args.site_fold_sets.split(","):
            live[f"newsclean (by-site {args.site_folds} folds)"] = _site_fold_extractor(
                name, records, args.site_folds, args.retrain and not args.quick
            )
        start = time.perf_counter()
        rows = score(records, live, ["readability-lxml", "newspaper4k", "magic-html"], name)
        print(f"\n### {name}: {len(records)} pages ({time.perf_counter() - start:.0f} s)\n", flush=True)
        print(table(rows), flush=True)
    if not args.no_page_type:
        print("\n" + page_type_report(names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
