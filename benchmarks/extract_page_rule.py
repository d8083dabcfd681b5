"""Choose, by page type, between the vote and trafilatura's body: by-site folds on wcxb_dev.

For every page: the default ``extract`` text (from the cache of
``benchmarks/extract_dev_cache.py``), trafilatura's balanced and fast bodies on the same
pre-passed markup (run here, cached under ``--cache``), and an out-of-sample page type:
on wcxb_dev by-site 5 folds (page model trained on the other folds' sites and on the
news sets' pages as articles), on scrapinghub and dragnet a page model trained on the
other two sets. Each rule ("vote everywhere", "trafilatura on non-articles", ...) is
scored; on wcxb_dev, per fold, the rule with the best F1 on the other folds is applied to
the fold. The news sets show what the rules cost where every page is an article.

    python benchmarks/extract_dev_cache.py --no-candidates --out /tmp/newsclean-dev2
    python benchmarks/extract_page_rule.py --cache /tmp/newsclean-dev2
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import DATASETS, read_records  # noqa: E402
from extract_tail_tune import _reference  # noqa: E402

Rule = Callable[[dict[str, Any], str], str]
RULES: dict[str, Rule] = {
    "vote everywhere": lambda row, kind: row["vote"],
    "trafilatura on non-articles": lambda row, kind: row["vote"] if kind == "article" else row["trafilatura"],
    "trafilatura on forums and listings": lambda row, kind: row["trafilatura"] if kind in ("forum", "listing") else row["vote"],
    "fast mode on non-articles": lambda row, kind: row["vote"] if kind == "article" else row["trafilatura-fast"],
}


def trafilatura_bodies(dataset: str, cache: Path, max_chars: int) -> dict[str, dict[str, str]]:
    """trafilatura's balanced and fast bodies per page id, on extract's pre-passed markup."""
    from newsclean.extraction import _markup, _prepass
    from newsclean.extraction.candidates import parse_tree, trafilatura_candidate

    path = cache / f"trafilatura_{dataset}.jsonl.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return {row["id"]: row for row in map(json.loads, fh)}
    rows = {}
    for rec in read_records(dataset):
        text, page, _meta, _has = _prepass(rec.get("html") or "", max_chars)
        tree = parse_tree(_markup(text, page, max_chars))
        row = {"id": rec["id"]}
        for name in ("trafilatura", "trafilatura-fast"):
            row[name] = "\n".join(trafilatura_candidate(tree, name).paragraphs) if tree is not None else ""
        rows[rec["id"]] = row
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for row in rows.values():
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def out_of_sample_types(dataset: str, folds: int) -> tuple[dict[str, str], dict[str, int]]:
    """Page types of ``dataset`` from page models that never saw the page: wcxb_dev by-site
    folds (the other folds' sites plus the news sets' pages), a news set from a model
    trained on the other two sets. Also each page's by-site fold."""
    import extract_train

    pages = extract_train.featurize(dataset)
    fold_of = dict(zip([p["id"] for p in pages], extract_train.by_site_folds(pages, folds), strict=True))
    others = [p for name in DATASETS if name != dataset for p in extract_train.featurize(name)]
    if dataset == "wcxb_dev":
        _accuracy, predicted = extract_train.page_type_cv(pages, others)
    else:
        codes = extract_train.fit_pages(others).predict(extract_train.page_matrix(pages))
        predicted = [extract_train.PAGE_TYPES[int(c)] for c in codes]
    return {p["id"]: kind for p, kind in zip(pages, predicted, strict=True)}, fold_of


def f1(records: list[dict[str, Any]], texts: list[str]) -> float:
    """F1 of the macro averages (the reference scorer's)."""
    ref = _reference()
    rows = [{"id": r["id"], "ms": 0.0, "error": None, "output": t, **ref.bow_scores(r.get("text") or "", t)}
            for r, t in zip(records, texts, strict=True)]  # fmt: skip
    return float(ref.summarize(rows)["f1"])


def rows_of(dataset: str, cache: Path, max_chars: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The records and, per record, the vote's text and trafilatura's bodies."""
    with gzip.open(cache / f"{dataset}.jsonl.gz", "rt", encoding="utf-8") as fh:
        dev = {row["id"]: row for row in map(json.loads, fh)}
    bodies = trafilatura_bodies(dataset, cache, max_chars)
    records = read_records(dataset)
    rows = [{"vote": "\n\n".join(dev[r["id"]]["paragraphs"]), **bodies[r["id"]]} for r in records]
    return records, rows


def main(argv: list[str] | None = None) -> int:
    """Print the by-site choice on wcxb_dev and the rules' cost on the news sets."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsclean-dev2"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-chars", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    kinds, fold_of = out_of_sample_types("wcxb_dev", args.folds)
    records, rows = rows_of("wcxb_dev", args.cache, args.max_chars)
    texts = {name: [rule(row, kinds[r["id"]]) for r, row in zip(records, rows, strict=True)] for name, rule in RULES.items()}
    print("wcxb_dev (page types by-site out of fold):")
    for name in RULES:
        print(f"  {name}: F1 {f1(records, texts[name]):.4f}")
    chosen = [""] * len(records)
    for fold in range(args.folds):
        train = [k for k, r in enumerate(records) if fold_of[r["id"]] != fold]
        scores = {n: f1([records[k] for k in train], [texts[n][k] for k in train]) for n in RULES}
        best = max(scores, key=lambda n: scores[n])
        print(f"  fold {fold}: chose {best!r}")
        for k, r in enumerate(records):
            if fold_of[r["id"]] == fold:
                chosen[k] = texts[best][k]
    print(f"  by-site choice: F1 {f1(records, chosen):.4f}")
    for dataset in ("scrapinghub", "dragnet"):
        kinds, _folds = out_of_sample_types(dataset, args.folds)
        records, rows = rows_of(dataset, args.cache, args.max_chars)
        share = sum(k != "article" for k in kinds.values()) / len(kinds)
        cells = [f"{name}: {f1(records, [rule(row, kinds[r['id']]) for r, row in zip(records, rows, strict=True)]):.4f}"
                 for name, rule in RULES.items()]  # fmt: skip
        print(f"{dataset} (page model trained on the other two sets; {share:.3f} called non-articles): " + "; ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
