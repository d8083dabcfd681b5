"""Choose which pages get trafilatura's body instead of the vote, leave-one-dataset-out.

For every DEV page: the vote's text (``extract`` with ``non_articles="vote"``, from the
cache of ``benchmarks/extract_dev_cache.py``), trafilatura's balanced body on the same
pre-passed markup (the cache's ``trafilatura`` candidate, cleaned as ``extract`` cleans
it), and an **out-of-sample** probability that the page is not an article: on wcxb_dev
from by-site 5 folds (a page model trained on the other folds' sites and on the news
sets' pages as articles), on scrapinghub and dragnet from a page model trained on the
other two sets. Rules:

- ``vote everywhere``;
- ``trafilatura on non-articles``: the page model's arg-max is not ``article``
  (``ExtractConfig(non_articles="trafilatura")``);
- ``P(not article) >= t``, with and without the metadata veto (no switch when JSON-LD
  or ``og:type`` calls the page an article): ``non_articles="auto"`` is the vetoed rule.

The threshold of each family is chosen leave-one-dataset-out: on the other two sets
(objective: their mean F1; ties go to the lower threshold), scored on the held-out
one; on wcxb_dev also by site (chosen on the other folds' sites).

    python benchmarks/extract_dev_cache.py --out /tmp/newsclean-dev
    python benchmarks/extract_page_rule.py --cache /tmp/newsclean-dev
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import DATASETS, read_records  # noqa: E402
from extract_tail_tune import _reference  # noqa: E402

THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
Rule = Callable[[dict[str, Any]], bool]


def out_of_sample_odds(dataset: str, cache: Path) -> dict[str, dict[str, Any]]:
    """Per page id of ``dataset``: P(not article), the arg-max type, whether the metadata
    calls it an article, its by-site fold (5 folds); from page models that never saw the
    page's site (cached in ``cache``)."""
    import extract_train
    from newsclean.extraction.model import PAGE_INPUTS

    path = cache / f"page_odds_{dataset}.json"
    if path.exists():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    pages = extract_train.featurize(dataset)
    folds = np.array(extract_train.by_site_folds(pages))
    others = [p for name in DATASETS if name != dataset for p in extract_train.featurize(name)]
    probs = np.zeros((len(pages), len(extract_train.PAGE_TYPES)))
    if dataset == "wcxb_dev":
        for k in range(5):
            test = np.flatnonzero(folds == k)
            clf = extract_train.fit_pages([p for p, f in zip(pages, folds, strict=True) if f != k] + others)
            probs[test] = clf.predict_proba(extract_train.page_matrix([pages[i] for i in test]))
    else:
        probs[:] = extract_train.fit_pages(others).predict_proba(extract_train.page_matrix(pages))
    ld, og = PAGE_INPUTS.index("ld_article"), PAGE_INPUTS.index("og_article")
    odds = {
        p["id"]: {"odds": float(1.0 - row[0]), "type": extract_train.PAGE_TYPES[int(np.argmax(row))],
                  "declared": bool(p["page"][ld] > 0 or p["page"][og] > 0), "fold": int(f)}
        for p, row, f in zip(pages, probs, folds, strict=True)
    }  # fmt: skip
    path.write_text(json.dumps(odds), encoding="utf-8")
    return odds


def page_rows(dataset: str, cache: Path) -> list[dict[str, Any]]:
    """Per record: the scores of the vote's and trafilatura's texts, and the page odds."""
    import newsclean
    from newsclean.extraction import _clean

    ref = _reference()
    config = newsclean.ExtractConfig()
    with gzip.open(cache / f"{dataset}.jsonl.gz", "rt", encoding="utf-8") as fh:
        dev = {row["id"]: row for row in map(json.loads, fh)}
    odds = out_of_sample_odds(dataset, cache)
    rows = []
    for rec in read_records(dataset):
        row = dev[rec["id"]]
        vote = "\n\n".join(row["paragraphs"])
        traf = "\n\n".join(_clean(tuple(row["trafilatura"]), row.get("title"), config)) or vote
        gold = rec.get("text") or ""
        rows.append({"vote": ref.bow_scores(gold, vote), "trafilatura": ref.bow_scores(gold, traf), **odds[rec["id"]]})
    return rows


def f1(rows: list[dict[str, Any]], rule: Rule) -> float:
    """F1 of the macro averages (the reference scorer's) with ``rule`` choosing per page."""
    scored = [{"ms": 0.0, "error": None, "output": "", **(r["trafilatura"] if rule(r) else r["vote"])} for r in rows]
    return float(_reference().summarize(scored)["f1"])


def odds_rule(threshold: float, veto: bool) -> Rule:
    """Trafilatura when P(not article) >= ``threshold`` (and, with ``veto``, the metadata
    does not call the page an article)."""
    return lambda r: r["odds"] >= threshold and not (veto and r["declared"])


def choose(scores: dict[float, list[float]]) -> float:
    """The threshold with the best mean of its scores (rounded to 4 places; ties: lowest)."""
    return min(scores, key=lambda t: (-round(statistics.mean(scores[t]), 4), t))


def main(argv: list[str] | None = None) -> int:
    """Print every rule's F1 per set, and the thresholds chosen leave-one-dataset-out."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsclean-dev"))
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    rows = {name: page_rows(name, args.cache) for name in DATASETS}
    fixed: dict[str, Rule] = {"vote everywhere": lambda r: False, "trafilatura on non-articles": lambda r: r["type"] != "article"}
    print("| rule | " + " | ".join(DATASETS) + " |\n|---" * 1 + "|---" * len(DATASETS) + "|")
    for name, rule in fixed.items():
        print(f"| {name} | " + " | ".join(f"{f1(rows[d], rule):.4f}" for d in DATASETS) + " |")
    for veto in (False, True):
        scores = {t: {d: f1(rows[d], odds_rule(t, veto)) for d in DATASETS} for t in THRESHOLDS}
        for t in THRESHOLDS:
            print(f"| P(not article) >= {t}{', metadata veto' if veto else ''} | "
                  + " | ".join(f"{scores[t][d]:.4f}" for d in DATASETS) + " |")  # fmt: skip
        family = "P(not article) >= t" + (", metadata veto" if veto else "")
        chosen = []
        for held in DATASETS:
            t = choose({t: [scores[t][d] for d in DATASETS if d != held] for t in THRESHOLDS})
            chosen.append(t)
            base = f1(rows[held], fixed["vote everywhere"])
            print(f"LODO {family}: held out {held}: t = {t} (chosen on the other two), "
                  f"F1 {scores[t][held]:.4f} (vote {base:.4f}, {scores[t][held] - base:+.4f})")  # fmt: skip
        wcxb = rows["wcxb_dev"]
        picked = []
        for k in range(5):
            train = [r for r in wcxb if r["fold"] != k]
            picked.append(choose({t: [f1(train, odds_rule(t, veto))] for t in THRESHOLDS}))
        by_site = f1(wcxb, lambda r, picked=picked, veto=veto: odds_rule(picked[r["fold"]], veto)(r))  # type: ignore[misc]
        print(f"by-site {family} on wcxb_dev: folds chose {picked}, F1 {by_site:.4f}; "
              f"median LODO t {statistics.median(chosen)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
