"""Paragraph-level fusion of the candidate bodies: its ceiling and its leave-one-dataset-out score.

The vote (:mod:`newsclean.extraction.judge`) picks one whole candidate body. A fusion would
instead keep or drop every paragraph of the *union* of the candidates (trafilatura
balanced, precision and fast modes, readability), by a model over the candidates'
agreement. This script measures, from the candidate bodies cached by
``benchmarks/extract_dev_cache.py`` (no extractor is run):

- the **oracle** of such a fusion: keep exactly the union paragraphs that are in the gold
  text (label "substring": the paragraph's word sequence occurs in the gold's; label
  "share": at least half of its words are gold words), i.e. the ceiling of any keep/drop
  rule over these paragraphs;
- a **learned fusion**, leave-one-dataset-out: a gradient-boosted classifier
  (scikit-learn's ``HistGradientBoostingClassifier``) trained on the union paragraphs of
  two DEV sets (substring labels, each page weighted equally, paragraphs by their
  words) and scored on the third, keeping paragraphs with P >= 0.5; and a *drop-only*
  variant that starts from trafilatura's balanced body and drops its paragraphs with
  P < 0.05 (nothing added).
- with ``--site-folds``, the fusion on wcxb_dev by site (5 folds, no site in two folds,
  each fold's model trained on the other folds' sites and the two news sets): whether
  it transfers within one set's conventions.

Features per union paragraph: which candidates hold it, the share of its words each
candidate holds, its position (in paragraphs and words) and its distance before / after
the span all four candidates agree on, its length, sentence end, capitalised-word and
digit shares, separators, the same candidate counts and lengths of its neighbours,
whether it is (or follows) a teaser / comment heading (:func:`~newsclean.extraction.tail.tail_heading`),
and page-level agreement (bag-of-words F1 between candidates, their sizes).

Every body is cleaned as ``extract`` cleans (normalisation, repeated headline, chrome)
and scored with the reference scorer's functions (``eval_extract.bow_scores`` /
``summarize``).

    python benchmarks/extract_dev_cache.py --out /tmp/newsclean-dev        # the candidates
    python benchmarks/extract_fusion.py --cache /tmp/newsclean-dev
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import math
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import DATASETS, SHARED, read_records  # noqa: E402

SOURCES = ("trafilatura", "trafilatura-precision", "trafilatura-fast", "readability")
_TOKEN = re.compile(r"\w+")
_END = frozenset(".!?。！？\"'”»)…:")
#: Training settings of the fusion classifier.
PARAMS: dict[str, Any] = {"max_iter": 100, "max_depth": 4, "learning_rate": 0.1, "min_samples_leaf": 40, "l2_regularization": 1.0}


def _reference() -> Any:
    sys.path.insert(0, str(SHARED / "tools"))
    import eval_extract

    return eval_extract


def bag(text: str) -> Counter[str]:
    """Lower-cased ``\\w+`` counts (the reference scorer's tokens)."""
    return Counter(_TOKEN.findall(text.lower()))


def _key(paragraph: str) -> str:
    return " ".join(paragraph.split())


def union(row: dict[str, Any]) -> list[str]:
    """The candidates' paragraphs merged in page order.

    The three trafilatura modes share one segmentation: their paragraphs are merged by
    identity (a repeated paragraph counts once per occurrence), each new one inserted
    after the last shared one before it. Readability splits differently, so its
    paragraphs join only when most of their words are in no trafilatura paragraph.
    """
    order: list[tuple[str, int]] = []

    def add(paragraphs: list[str], novel: Any = None) -> None:
        position = {k: i for i, k in enumerate(order)}
        last = -1
        seen: Counter[str] = Counter()
        for paragraph in paragraphs:
            text = _key(paragraph)
            if not text:
                continue
            seen[text] += 1
            key = (text, seen[text])
            if key in position:
                last = position[key]
                continue
            if novel is not None and not novel(text):
                continue
            order.insert(last + 1, key)
            position = {k: i for i, k in enumerate(order)}
            last = position[key]

    for name in SOURCES[:3]:
        add(row.get(name) or [])
    covered: Counter[str] = Counter()
    for text, _n in order:
        covered.update(bag(text))

    def novel(text: str) -> bool:
        words = bag(text)
        size = sum(words.values())
        return size > 0 and sum((words & covered).values()) < 0.5 * size

    add(row.get("readability") or [], novel)
    return [text for text, _n in order]


def _similarity(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def paragraph_features(row: dict[str, Any], paragraphs: list[str]) -> np.ndarray:
    """One feature row per union paragraph (see the module docstring)."""
    from newsclean.extraction.tail import tail_heading

    if not paragraphs:
        return np.zeros((0, 41), dtype=np.float32)
    keys = {n: {_key(p) for p in row.get(n) or []} for n in SOURCES}
    bags = {n: bag("\n".join(row.get(n) or [])) for n in SOURCES}
    union_size = max(1, sum(bag("\n".join(paragraphs)).values()))
    inside = np.array([[p in keys[n] for n in SOURCES] for p in paragraphs], dtype=np.float32)
    count = inside.sum(1)
    agreed = [i for i in range(len(paragraphs)) if count[i] == len(SOURCES)]
    first = agreed[0] if agreed else len(paragraphs)
    last = agreed[-1] if agreed else -1
    pbags = [bag(p) for p in paragraphs]
    words = np.array([sum(b.values()) for b in pbags], dtype=np.float32)
    cumulative = np.cumsum(words)
    total = max(1.0, float(cumulative[-1]))
    pairs = (("trafilatura-precision", "readability"), ("trafilatura", "readability"),
             ("trafilatura-precision", "trafilatura"), ("trafilatura-fast", "readability"))  # fmt: skip
    page = [*(_similarity(bags[a], bags[b]) for a, b in pairs), *(sum(bags[n].values()) / union_size for n in SOURCES),
            math.log1p(union_size), len(paragraphs), len(agreed) / len(paragraphs)]  # fmt: skip
    heads = [tail_heading(p) is not None for p in paragraphs]
    after = np.maximum.accumulate(np.array(heads, dtype=np.float32))
    rows = []
    n = len(paragraphs)
    for i, text in enumerate(paragraphs):
        size = max(1.0, float(words[i]))
        tokens = text.split()
        rows.append([
            *inside[i], count[i], *(sum((pbags[i] & bags[s]).values()) / size for s in SOURCES),
            i / n, cumulative[i] / total, (cumulative[i] - words[i]) / total,
            float(i < first), float(i > last), (i - last) if i > last else 0, (first - i) if i < first else 0,
            math.log1p(words[i]), len(text), float(text[-1] in _END),
            sum(1 for t in tokens if t[:1].isupper()) / max(1, len(tokens)),
            sum(c.isdigit() for c in text) / max(1, len(text)), text.count("|") + text.count("•"),
            count[i - 1] if i > 0 else -1, count[i + 1] if i + 1 < n else -1,
            words[i - 1] if i > 0 else -1, words[i + 1] if i + 1 < n else -1,
            float(heads[i]), float(after[i]), *page,
        ])  # fmt: skip
    return np.array(rows, dtype=np.float32)


def labels(paragraphs: list[str], gold: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per paragraph: in the gold (substring label), half its words gold words (share
    label), and its training weight (its words over the page's)."""
    sequence = " " + " ".join(_TOKEN.findall(gold.lower())) + " "
    gold_bag = bag(gold)
    substring, share, weight = [], [], []
    total = max(1, sum(sum(bag(p).values()) for p in paragraphs))
    for paragraph in paragraphs:
        tokens = _TOKEN.findall(paragraph.lower())
        substring.append(bool(tokens) and f" {' '.join(tokens)} " in sequence)
        share.append(bool(tokens) and sum(1 for t in tokens if gold_bag[t]) >= 0.5 * len(tokens))
        weight.append(len(tokens) / total)
    return np.array(substring), np.array(share), np.array(weight)


def load(dataset: str, cache: Path) -> list[dict[str, Any]]:
    """The cached candidates of a DEV set with gold text, title, union, features, labels."""
    from newsclean.extraction import _prepass

    records = {r["id"]: r for r in read_records(dataset)}
    pages = []
    with gzip.open(cache / f"{dataset}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            rec = records[row["id"]]
            paragraphs = union(row)
            substring, share, weight = labels(paragraphs, rec.get("text") or "")
            title = row.get("title")
            if "title" not in row:  # caches written before the title was stored
                title = _prepass(rec.get("html") or "", 1_000_000)[2].title
            pages.append({"id": row["id"], "gold": rec.get("text") or "", "title": title, "union": paragraphs,
                          "site": _site(rec.get("url") or ""),
                          "X": paragraph_features(row, paragraphs), "y": substring, "share": share, "w": weight,
                          **{name: row.get(name) or [] for name in SOURCES}})  # fmt: skip
    return pages


def _site(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host[4:] if host.startswith("www.") else host


def site_fold_fusion(data: dict[str, list[dict[str, Any]]], folds: int = 5) -> tuple[float, float]:
    """wcxb_dev F1 of the fusion by site (each fold's model trained on the other folds'
    sites and the news sets) and of trafilatura's balanced body."""
    import extract_train

    pages = data["wcxb_dev"]
    fold_of = extract_train.by_site_folds(pages, folds)
    news = [p for name in DATASETS if name != "wcxb_dev" for p in data[name]]
    fused: list[list[str]] = [[] for _ in pages]
    for fold in range(folds):
        clf = fit([p for p, f in zip(pages, fold_of, strict=True) if f != fold] + news)
        for i, (page, f) in enumerate(zip(pages, fold_of, strict=True)):
            if f == fold and len(page["union"]):
                probs = clf.predict_proba(page["X"])[:, 1]
                fused[i] = [t for t, q in zip(page["union"], probs, strict=True) if q >= 0.5]
    return f1(pages, fused), f1(pages, [p["trafilatura"] for p in pages])


def f1(pages: list[dict[str, Any]], bodies: list[list[str]]) -> float:
    """Reference-scorer F1 of the bodies, each cleaned as ``extract`` cleans."""
    import newsclean
    from newsclean.extraction import _clean

    ref = _reference()
    config = newsclean.ExtractConfig()
    rows = []
    for page, body in zip(pages, bodies, strict=True):
        out = "\n".join(_clean(tuple(body), page["title"], config))
        rows.append({"id": page["id"], "ms": 0.0, "error": None, "output": out, **ref.bow_scores(page["gold"], out)})
    return float(ref.summarize(rows)["f1"])


def fit(pages: list[dict[str, Any]]) -> Any:
    """The fusion classifier trained on ``pages``."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    used = [p for p in pages if len(p["union"])]
    clf = HistGradientBoostingClassifier(random_state=0, **PARAMS)
    clf.fit(np.vstack([p["X"] for p in used]), np.concatenate([p["y"] for p in used]),
            sample_weight=np.concatenate([p["w"] for p in used]) * len(used))  # fmt: skip
    return clf


def main(argv: list[str] | None = None) -> int:
    """Print the oracle and leave-one-dataset-out table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsclean-dev"))
    parser.add_argument("--sets", default=",".join(DATASETS))
    parser.add_argument("--site-folds", action="store_true", help="also the fusion on wcxb_dev by site (5 folds)")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    names = args.sets.split(",")
    data = {name: load(name, args.cache) for name in DATASETS}
    print("| held-out set | trafilatura balanced | precision | union (all kept) | oracle (substring) | oracle (share) "
          "| fusion LODO (P >= 0.5) | balanced minus fusion drops (P < 0.05) |\n|---|---|---|---|---|---|---|---|")  # fmt: skip
    for held in names:
        pages = data[held]
        clf = fit([p for name in DATASETS if name != held for p in data[name]])
        probs = [clf.predict_proba(p["X"])[:, 1] if len(p["union"]) else np.zeros(0) for p in pages]
        fused = [[t for t, q in zip(p["union"], pr, strict=True) if q >= 0.5] for p, pr in zip(pages, probs, strict=True)]
        balanced_keys = [{_key(t) for t in p["trafilatura"]} for p in pages]
        dropped = [
            [t for t, q in zip(p["union"], pr, strict=True) if _key(t) in keys and q >= 0.05]
            for p, pr, keys in zip(pages, probs, balanced_keys, strict=True)
        ]
        cells = [
            f1(pages, [p["trafilatura"] for p in pages]),
            f1(pages, [p["trafilatura-precision"] for p in pages]),
            f1(pages, [p["union"] for p in pages]),
            f1(pages, [[t for t, y in zip(p["union"], p["y"], strict=True) if y] for p in pages]),
            f1(pages, [[t for t, y in zip(p["union"], p["share"], strict=True) if y] for p in pages]),
            f1(pages, fused),
            f1(pages, dropped),
        ]
        print(f"| {held} ({len(pages)}) | " + " | ".join(f"{c:.3f}" for c in cells) + " |", flush=True)
    if args.site_folds:
        fused, balanced = site_fold_fusion(data)
        print(f"\nwcxb_dev by site (5 folds, news sets in training): fusion {fused:.3f}, trafilatura balanced {balanced:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
