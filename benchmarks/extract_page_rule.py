"""Choose, by page type, between the vote and trafilatura's body: by-site folds on wcxb_dev.

For every wcxb_dev page: the default ``extract`` text (from the cache of
``benchmarks/extract_dev_cache.py``), trafilatura's balanced and fast bodies on the same
pre-passed markup (run here, cached under ``--cache``), and an out-of-fold page type
(by-site 5 folds: page model trained on the other folds' sites, block summaries from the
wcxb leave-one-dataset-out block model). Each rule ("vote everywhere", "trafilatura on
non-articles", ...) is scored; per fold the rule with the best F1 on the other folds is
applied to the fold. Then the same rules on scrapinghub and dragnet (shipped page model:
those sets have no page-type labels) show what they cost on news.

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
from _extract_anchors import read_records  # noqa: E402
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


def out_of_fold_types(folds: int) -> tuple[dict[str, str], dict[str, int]]:
    """wcxb_dev page types predicted by-site out of fold, and each page's fold."""
    import extract_train
    from extraction_quality import lodo_model
    from newsclean.extraction.model import load_model

    pages = extract_train.featurize("wcxb_dev")
    model = load_model(str(lodo_model("wcxb_dev", retrain=False)))
    probs = [model.block_probability(p["X"]) if len(p["texts"]) else p["X"][:, 0] for p in pages]
    _accuracy, predicted = extract_train.page_type_cv(pages, probs, model.threshold)
    fold_of = dict(zip([p["id"] for p in pages], extract_train.by_site_folds(pages, folds), strict=True))
    return {p["id"]: kind for p, kind in zip(pages, predicted, strict=True)}, fold_of


def f1(records: list[dict[str, Any]], texts: list[str]) -> float:
    """F1 of the macro averages (the reference scorer's)."""
    ref = _reference()
    rows = [{"id": r["id"], "ms": 0.0, "error": None, "output": t, **ref.bow_scores(r.get("text") or "", t)}
            for r, t in zip(records, texts, strict=True)]  # fmt: skip
    return float(ref.summarize(rows)["f1"])


def rows_of(dataset: str, cache: Path, max_chars: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The records and, per record, the vote's text, trafilatura's bodies and the shipped page type."""
    with gzip.open(cache / f"{dataset}.jsonl.gz", "rt", encoding="utf-8") as fh:
        dev = {row["id"]: row for row in map(json.loads, fh)}
    bodies = trafilatura_bodies(dataset, cache, max_chars)
    records = read_records(dataset)
    rows = [{"vote": "\n\n".join(dev[r["id"]]["paragraphs"]), "kind": dev[r["id"]]["page_type"] or "other",
             **bodies[r["id"]]} for r in records]  # fmt: skip
    return records, rows


def main(argv: list[str] | None = None) -> int:
    """Print the by-site choice on wcxb_dev and the rules' cost on the news sets."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsclean-dev2"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-chars", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    records, rows = rows_of("wcxb_dev", args.cache, args.max_chars)
    kinds, fold_of = out_of_fold_types(args.folds)
    texts = {name: [rule(row, kinds[r["id"]]) for r, row in zip(records, rows, strict=True)] for name, rule in RULES.items()}
    print("wcxb_dev (out-of-fold page types):")
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
        records, rows = rows_of(dataset, args.cache, args.max_chars)
        cells = [f"{name}: {f1(records, [rule(row, row['kind']) for row in rows]):.4f}" for name, rule in RULES.items()]
        print(f"{dataset} (shipped page model): " + "; ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
