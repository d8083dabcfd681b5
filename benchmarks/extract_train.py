"""Train newsclean's block and page-type classifiers (``src/newsclean/data/extract_model.json``).

Every page of the DEV sets is cut into text blocks exactly as :func:`newsclean.extract`
does (``newsclean.extraction.read_blocks``); a block's label is whether its words are
in the page's gold text (word 3-grams for blocks of 6+ words, the whole block as a
phrase for shorter ones). A gradient-boosted tree ensemble (scikit-learn's
``HistGradientBoostingClassifier``, training time only) learns the labels, weighted so
that every page counts the same; the trees are written as JSON for the numpy inference
in ``newsclean.extraction.model``. The page-type model (wcxb_dev's labels; collections
count as listings, service and documentation pages as "other"; every scrapinghub and
dragnet page an article) is trained the same way on page-level features (layout,
repeated sibling structure, link profile, JSON-LD / og:type metadata).

    python benchmarks/extract_train.py                    # train on all three sets, write the model
    python benchmarks/extract_train.py --lodo             # leave-one-dataset-out report (block F1, no write)
    python benchmarks/extract_train.py --out /tmp/m.json --train scrapinghub,dragnet
    python benchmarks/extract_train.py --page-only        # retrain the page-type model only

Features are cached per set under ``/tmp/newsclean-extract-features`` (delete it after
changing the features). Needs scikit-learn (``pip install scikit-learn``).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import DATASETS, read_records  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = ROOT / "src" / "newsclean" / "data" / "extract_model.json"
CACHE = Path(os.environ.get("NEWSCLEAN_FEATURE_CACHE", "/tmp/newsclean-extract-features"))
PAGE_TYPES = ("article", "forum", "listing", "product", "other")
_TYPE_OF = {"collection": "listing", "service": "other", "documentation": "other"}
_WORD = re.compile(r"\w+")
#: The news sets' (article) pages weigh this much of the wcxb_dev pages in the page model.
NEWS_WEIGHT = 0.5
PARAMS: dict[str, Any] = {"max_iter": 120, "learning_rate": 0.15, "max_leaf_nodes": 24, "max_depth": 6, "min_samples_leaf": 40,
                          "l2_regularization": 1.0}  # fmt: skip


def block_labels(texts: tuple[str, ...], gold: str) -> np.ndarray:
    """1 for blocks whose words are in the gold text, else 0."""
    gold_words = _WORD.findall(gold.lower())
    grams = {tuple(gold_words[i : i + 3]) for i in range(len(gold_words) - 2)}
    joined = " " + " ".join(gold_words) + " "
    labels = np.zeros(len(texts), dtype=np.int8)
    for i, text in enumerate(texts):
        words = _WORD.findall(text.lower())
        if len(words) >= 6:
            hits = sum(1 for j in range(len(words) - 2) if tuple(words[j : j + 3]) in grams)
            labels[i] = hits >= 0.5 * (len(words) - 2)
        elif words:
            labels[i] = (" " + " ".join(words) + " ") in joined
    return labels


def featurize(dataset: str) -> list[dict[str, Any]]:
    """Per page: id, site, page type, blocks' texts, features, labels, page features (cached)."""
    from newsclean.extraction import read_blocks
    from newsclean.extraction.blocks import BLOCK_FEATURES, PAGE_FEATURES
    from newsclean.extraction.metadata import KIND_FEATURES, kind_features

    path = CACHE / f"{dataset}.pkl"
    names = [*BLOCK_FEATURES, *PAGE_FEATURES, *KIND_FEATURES]
    if path.exists():
        with path.open("rb") as fh:
            cached = pickle.load(fh)
        if cached["features"] == names:
            return list(cached["pages"])
    pages = []
    for rec in read_records(dataset):
        meta, blocks = read_blocks(rec.get("html") or "")
        pages.append({
            "id": rec["id"],
            "dataset": dataset,
            "site": rec.get("site") or _site(rec.get("url") or "") or rec["id"],
            "page_type": _TYPE_OF.get(rec.get("page_type") or "article", rec.get("page_type") or "article"),
            "texts": blocks.texts,
            "X": blocks.features,
            "page": np.concatenate([blocks.page, np.array(kind_features(meta), dtype=np.float32)]),
            "y": block_labels(blocks.texts, rec.get("text") or ""),
            "gold": rec.get("text") or "",
            "title": meta.title,
        })  # fmt: skip
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump({"features": names, "pages": pages}, fh)
    return pages


def _site(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host[4:] if host.startswith("www.") else host


def _stack(pages: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, labels and weights: every page weighs the same; within a page, blocks by
    their words (sqrt-damped). Short non-content blocks (most rows, little weight) are
    sampled 1 in 4 (fixed seed) with 4x the weight, to keep training within minutes."""
    rng = np.random.default_rng(0)
    xs, ys, weights = [], [], []
    for p in pages:
        if not len(p["texts"]):
            continue
        words = np.expm1(p["X"][:, 0]).astype(np.float64)
        w = np.sqrt(np.maximum(words, 1.0))
        w = w / w.sum()
        short = (words < 4) & (p["y"] == 0)
        pick = ~short | (rng.random(len(words)) < 0.25)
        w = np.where(short, 4.0 * w, w)
        xs.append(p["X"][pick])
        ys.append(p["y"][pick])
        weights.append(w[pick])
    if not xs:
        return np.zeros((0, 1), dtype=np.float32), np.zeros(0), np.zeros(0)
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(weights) * 1000.0


def export(clf: Any, classes: int = 1) -> dict[str, Any]:
    """A fitted ``HistGradientBoostingClassifier`` as the JSON of ``newsclean.extraction.model``."""
    trees = []
    depth = 0
    for iteration in clf._predictors:  # noqa: SLF001 - the fitted trees; no public accessor
        for k, predictor in enumerate(iteration):
            nodes = predictor.nodes
            left, right = [], []
            for i, node in enumerate(nodes):
                leaf = bool(node["is_leaf"])
                left.append(i if leaf else int(node["left"]))
                right.append(i if leaf else int(node["right"]))
                depth = max(depth, int(node["depth"]))
            trees.append({
                "feature": [int(v) for v in nodes["feature_idx"]],
                "threshold": [None if n["is_leaf"] else float(n["num_threshold"]) for n in nodes],
                "left": left,
                "right": right,
                "value": [float(n["value"]) if n["is_leaf"] else 0.0 for n in nodes],
                "class": k,
            })  # fmt: skip
    base = np.asarray(clf._baseline_prediction, dtype=np.float64).ravel().tolist()  # noqa: SLF001
    del classes
    return {"trees": trees, "base": base, "depth": depth}


def fit_blocks(pages: list[dict[str, Any]]) -> Any:
    """The block classifier fitted on ``pages``."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y, w = _stack(pages)
    clf = HistGradientBoostingClassifier(random_state=0, **PARAMS)
    clf.fit(x, y, sample_weight=w)
    return clf


def selected_f1(pages: list[dict[str, Any]], probs: list[np.ndarray], threshold: float) -> float:
    """Bag-of-words F1 (reference metric) of the blocks at or above ``threshold``."""
    sys.path.insert(0, str(DATASETS["scrapinghub"].parent.parent.parent / "tools"))
    import eval_extract

    rows = []
    for page, prob in zip(pages, probs, strict=True):
        text = "\n\n".join(t for t, p in zip(page["texts"], prob, strict=True) if p >= threshold)
        rows.append({"ms": 0.0, "error": None, "output": text, **eval_extract.bow_scores(page["gold"], text)})
    return float(eval_extract.summarize(rows)["f1"])


def page_matrix(pages: list[dict[str, Any]]) -> np.ndarray:
    """The page-type classifier's inputs (``PAGE_INPUTS``), one row per page."""
    return np.array([page["page"] for page in pages], dtype=np.float32)


def page_label(page: dict[str, Any]) -> str:
    """wcxb_dev's page type; scrapinghub and dragnet pages are articles (news stories and
    blog posts: read on a sample, their gold is the story or post)."""
    return str(page["page_type"]) if page["dataset"] == "wcxb_dev" else "article"


def fit_pages(pages: list[dict[str, Any]]) -> Any:
    """The page-type classifier on ``pages`` (any sets: the news sets' pages count as
    articles, each news set weighing ``NEWS_WEIGHT / sets`` of the wcxb_dev pages)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    counts = Counter(p["dataset"] for p in pages)
    typed = counts.get("wcxb_dev", 0)
    news = [name for name in counts if name != "wcxb_dev"]
    weight = {name: NEWS_WEIGHT * max(typed, 1) / counts[name] / len(news) for name in news}
    weight["wcxb_dev"] = 1.0
    y = np.array([PAGE_TYPES.index(page_label(p)) for p in pages])
    clf = HistGradientBoostingClassifier(
        random_state=0, max_iter=150, learning_rate=0.08, max_leaf_nodes=12, min_samples_leaf=8, l2_regularization=1.0
    )
    clf.fit(page_matrix(pages), y, sample_weight=np.array([weight[p["dataset"]] for p in pages]))
    return clf


def by_site_folds(pages: list[dict[str, Any]], folds: int = 5) -> list[int]:
    """A fold number per page: sites (domains) never span folds."""
    import zlib

    return [zlib.crc32(p["site"].encode()) % folds for p in pages]


def page_type_cv(pages: list[dict[str, Any]], others: list[dict[str, Any]] | None = None) -> tuple[float, list[str]]:
    """By-site 5-fold accuracy of the page-type model on wcxb_dev ``pages`` (each fold's
    model trained on the other folds' sites plus the ``others`` pages), and the predictions."""
    labels = [p["page_type"] for p in pages]
    fold = np.array(by_site_folds(pages))
    predicted = [""] * len(pages)
    for k in range(5):
        train = [p for p, f in zip(pages, fold, strict=True) if f != k]
        clf = fit_pages(train + list(others or []))
        test = np.flatnonzero(fold == k)
        for i, c in zip(test, clf.predict(page_matrix([pages[i] for i in test])), strict=True):
            predicted[i] = PAGE_TYPES[int(c)]
    accuracy = sum(a == b for a, b in zip(predicted, labels, strict=True)) / len(labels)
    return accuracy, predicted


def non_article_share(held: str) -> float:
    """Share of the pages of news set ``held`` that a page model trained on the other two
    sets (never on ``held``) calls something other than an article."""
    train = [p for name in DATASETS if name != held for p in featurize(name)]
    if not any(p["dataset"] == "wcxb_dev" for p in train):
        return 0.0
    predicted = fit_pages(train).predict(page_matrix(featurize(held)))
    return float(np.mean(predicted != PAGE_TYPES.index("article")))


def predict(clf: Any, pages: list[dict[str, Any]]) -> list[np.ndarray]:
    """Block probabilities per page."""
    return [clf.predict_proba(p["X"])[:, 1] if len(p["texts"]) else np.zeros(0) for p in pages]


def choose_threshold(pages: list[dict[str, Any]], folds: int = 2) -> float:
    """The threshold with the best F1 over out-of-fold predictions on ``pages`` (by site)."""
    fold = np.array([f % folds for f in by_site_folds(pages, folds * 5)])
    probs: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for k in range(folds):
        clf = fit_blocks([p for p, f in zip(pages, fold, strict=True) if f != k])
        test = [i for i in range(len(pages)) if fold[i] == k]
        for i, prob in zip(test, predict(clf, [pages[i] for i in test]), strict=True):
            probs[i] = prob
    grid = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
    # each set weighs the same in the choice
    by_set: dict[str, list[int]] = {}
    for i, p in enumerate(pages):
        by_set.setdefault(p["dataset"], []).append(i)
    scores = {
        t: statistics.mean(
            selected_f1([pages[i] for i in idx], [probs[i] for i in idx], t) for idx in by_set.values()
        )
        for t in grid
    }
    return max(grid, key=lambda t: (scores[t], -abs(t - 0.5)))


def model_json(block_clf: Any, threshold: float, page_clf: Any | None, note: str) -> dict[str, Any]:
    """The model file's content."""
    from newsclean.extraction.blocks import BLOCK_FEATURES
    from newsclean.extraction.model import PAGE_INPUTS

    return {
        "trained_on": note,
        "block_features": list(BLOCK_FEATURES),
        "page_features": list(PAGE_INPUTS),
        "threshold": threshold,
        "block": export(block_clf),
        "page_types": list(PAGE_TYPES),
        "page": export(page_clf) if page_clf is not None else None,
    }


def train_model(
    train_sets: list[str], tune_threshold: bool = True, leave_out: tuple[str, int, int] | None = None
) -> dict[str, Any]:
    """A complete model trained on ``train_sets`` (the page model on wcxb_dev if among them).

    ``leave_out=(dataset, fold, folds)`` drops that dataset's pages of by-site fold ``fold``
    (of ``folds``) from the training data, for the by-site evaluation.
    """
    pages = [p for name in train_sets for p in featurize(name)]
    if leave_out is not None:
        held, fold, folds = leave_out
        site_fold = {p["id"]: f for p, f in zip(featurize(held), by_site_folds(featurize(held), folds), strict=True)}
        pages = [p for p in pages if p["dataset"] != held or site_fold[p["id"]] != fold]
    threshold = choose_threshold(pages) if tune_threshold else 0.5
    block_clf = fit_blocks(pages)
    page_clf = fit_pages(pages) if any(p["dataset"] == "wcxb_dev" for p in pages) else None
    note = f"{', '.join(train_sets)} ({len(pages)} pages); benchmarks/extract_train.py"
    return model_json(block_clf, threshold, page_clf, note)


def main(argv: list[str] | None = None) -> int:
    """Train and write the model, or report leave-one-dataset-out block F1."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", default=",".join(DATASETS), help="comma-separated DEV sets to train on")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model JSON")
    parser.add_argument("--lodo", action="store_true", help="report leave-one-dataset-out F1 of the blocks")
    parser.add_argument("--fixed-threshold", action="store_true", help="use 0.5 instead of tuning it")
    parser.add_argument("--page-only", action="store_true",
                        help="retrain only the page-type model of the --out file (its block model is kept)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    names = [n.strip() for n in args.train.split(",") if n.strip()]
    if args.lodo:
        for held in names:
            model_pages = [p for n in names if n != held for p in featurize(n)]
            threshold = 0.5 if args.fixed_threshold else choose_threshold(model_pages)
            clf = fit_blocks(model_pages)
            test = featurize(held)
            probs = predict(clf, test)
            print(f"{held}: block F1 {selected_f1(test, probs, threshold):.3f} at threshold {threshold} "
                  f"(F1 at 0.5: {selected_f1(test, probs, 0.5):.3f}); {time.perf_counter() - start:.0f} s", flush=True)
            if held == "wcxb_dev":
                others = [p for n in names if n != held for p in featurize(n)]
                accuracy, predicted = page_type_cv(test, others)
                confusion = Counter(zip((p["page_type"] for p in test), predicted, strict=True))
                print(f"page type accuracy (by-site 5 folds): {accuracy:.3f}; {sorted(confusion.items())}")
            else:
                print(f"{held}: pages called non-articles by a page model not trained on it: "
                      f"{non_article_share(held):.3f}")
        return 0
    if args.page_only:
        model = json.loads(args.out.read_text(encoding="utf-8"))
        from newsclean.extraction.model import PAGE_INPUTS

        model["page"] = export(fit_pages([p for name in names for p in featurize(name)]))
        model["page_features"] = list(PAGE_INPUTS)
        model["trained_on"] += f"; page model: {', '.join(names)}"
    else:
        model = train_model(names, tune_threshold=not args.fixed_threshold)
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, threshold {model['threshold']}) "
          f"in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
