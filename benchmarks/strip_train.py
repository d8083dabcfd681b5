"""Train the line classifier of ``newsclean.strip`` and write ``data/strip/model.json``.

Labels come from the DEV sets (``--datasets``, default all three): each non-blank line of a
page dump (both ``dump_inscriptis`` and ``dump_lynx``) is body when it matches the gold
article text (long lines: >= 70% of their word trigrams occur in the gold; short lines:
the whole line is a gold line). The model is a one-hidden-layer perceptron trained with
Adam in numpy. Weights follow the metric (macro averages over pages): every page
variant (each dump, its short-body copy, the clean gold) weighs the same in total,
split over its lines by their share of its words, and every DEV set weighs the same in
total (``--no-set-balance``: by its pages), so dragnet's and wcxb_dev's 1M lines do
not drown scrapinghub's 126k. (The recipe before weighed a page by its line count and
each set by its lines: trained on two sets it did worse on the third than the model
trained on scrapinghub alone; see the README, section strip.)

Cross-validation is grouped by site (URL host): no site has pages in both the training
and the test folds, so the printed CV numbers say how the model does on sites it has
never seen. The decision threshold is the one with the best CV F1 (averaged over the two
dump styles), and the final model is trained on all pages.

    python benchmarks/strip_train.py [--folds 5] [--hidden 24] [--epochs 40] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "tools"))

from _extraction_io import read_jsonl  # noqa: E402
from eval_extract import bow_scores, summarize  # noqa: E402

from newsclean.stripping.core import StripConfig, strip_text  # noqa: E402
from newsclean.stripping.features import FEATURE_NAMES, line_features  # noqa: E402
from newsclean.stripping.lines import parse_lines  # noqa: E402
from newsclean.stripping.model import LineModel  # noqa: E402

DUMPS = ("dump_inscriptis", "dump_lynx")
CLEAN_WEIGHT = 0.5
EPOCHS = 10
BATCH = 512
SEED = 13
HIDDEN = 24
L2 = 1e-3
ENSEMBLE = 3
RECALL_SLACK = 0.002
_TOKEN = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def label_lines(contents: tuple[str, ...], gold: str) -> np.ndarray:
    """1 for lines that belong to the gold text, 0 otherwise."""
    gold_tokens = _tokens(gold)
    trigrams = {tuple(gold_tokens[i:i + 3]) for i in range(len(gold_tokens) - 2)}
    gold_lines = {tuple(_tokens(line)) for line in gold.split("\n") if line.strip()}
    labels = np.zeros(len(contents))
    for i, content in enumerate(contents):
        toks = _tokens(content)
        if len(toks) >= 6:
            grams = [tuple(toks[j:j + 3]) for j in range(len(toks) - 2)]
            labels[i] = float(sum(g in trigrams for g in grams) >= 0.7 * len(grams))
        elif toks:
            labels[i] = float(tuple(toks) in gold_lines)
    return labels


def host(url: str) -> str:
    netloc = urlsplit(url).netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def short_body(dump: str, gold: str, keep: int) -> str:
    """The dump with only its first ``keep`` body lines (chrome all kept).

    Augmentation: the dev pages are long articles; a page with a two-paragraph story
    inside a full set of chrome teaches the model that a short body is still a body.
    """
    raw = dump.split("\n")
    lines = parse_lines(dump)
    labels = label_lines(lines.content, gold)
    body = [no for no, lab in zip(lines.line_no, labels, strict=True) if lab]
    cut = set(body[keep:])
    return "\n".join(line for no, line in enumerate(raw) if no not in cut)


DEV_SETS = ("scrapinghub_aeb", "dragnet", "wcxb_dev")


def site_of(rec: dict[str, Any], dataset: str = "") -> str:
    """The page's site for grouped folds: its URL host, else the page itself."""
    return host(rec.get("url") or "") or f"{dataset}:{rec['id']}"


def load_sets(names: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """Records of the named DEV sets (``../shared/data/extraction/NAME.jsonl.gz``).

    Each record gets ``_set`` (the set's name) and ``_site`` (see :func:`site_of`).
    """
    out = []
    for name in names:
        path = Path(name) if name.endswith(".gz") else SHARED / "data/extraction" / f"{name}.jsonl.gz"
        set_name = path.name.split(".")[0]
        for rec in read_jsonl(str(path)):
            rec["_set"] = set_name
            rec["_site"] = site_of(rec, set_name)
            for key in DUMPS:
                rec[key] = rec.get(key) or ""
            out.append(rec)
    return out


_ROWS: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}


def page_rows(rec: dict[str, Any], p: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Features, labels and weights of one page's variants (memoised by set and id).

    The variants: both dumps, a short-body copy of each (1-3 body lines kept, seeded by
    the page's index ``p``) and the clean gold text (all body, weight ``CLEAN_WEIGHT``:
    teaches the model to leave clean text alone, which keeps strip idempotent on its
    own output). Each variant's weights sum to 1 (its lines' shares of its words).
    """
    key = (rec.get("_set", ""), rec["id"])
    if key in _ROWS:
        return _ROWS[key]
    rng = np.random.default_rng(p)
    variants = [rec[k] for k in DUMPS]
    variants += [short_body(rec[k], rec["text"], int(rng.integers(1, 4))) for k in DUMPS]
    rows = []
    for dump in variants:
        lines = parse_lines(dump)
        if len(lines):
            words = np.asarray(lines.words, dtype=np.float64)
            rows.append((line_features(lines), label_lines(lines.content, rec["text"]),
                         words / max(words.sum(), 1.0)))
    clean = parse_lines("\n\n".join(p for p in rec["text"].split("\n") if p.strip()))
    if len(clean):
        words = np.asarray(clean.words, dtype=np.float64)
        rows.append((line_features(clean), np.ones(len(clean)), CLEAN_WEIGHT * words / max(words.sum(), 1.0)))
    _ROWS[key] = rows
    return rows


def build(records: list[dict[str, Any]], set_balance: bool = True,
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels, weights, page index and site group of every line.

    Weights: each page variant 1 in total (see :func:`page_rows`); with ``set_balance``
    each DEV set (``_set``) the same in total; scaled to a mean of 1.
    """
    xs, ys, ws, pages, groups, sets = [], [], [], [], [], []
    for p, rec in enumerate(records):
        group = zlib.crc32((rec.get("_site") or host(rec["url"])).encode())
        for x, y, w in page_rows(rec, p):
            xs.append(x)
            ys.append(y)
            ws.append(w)
            pages.append(np.full(len(y), p))
            groups.append(np.full(len(y), group))
            sets.append(np.full(len(y), zlib.crc32(rec.get("_set", "").encode())))
    w = np.concatenate(ws)
    if set_balance:
        set_of = np.concatenate(sets)
        for s in np.unique(set_of):
            mask = set_of == s
            w[mask] /= w[mask].sum()
    w /= w.mean()
    return np.vstack(xs), np.concatenate(ys), w, np.concatenate(pages), np.concatenate(groups)


def train(x: np.ndarray, y: np.ndarray, w: np.ndarray, hidden: int, epochs: int, seed: int,
          l2: float = 1e-4, batch: int = BATCH) -> LineModel:
    """Adam on the weighted logistic loss of a one-hidden-layer ReLU network (float32)."""
    rng = np.random.default_rng(seed)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    xs = ((x - mean) / scale).astype(np.float32)
    y, w = y.astype(np.float32), w.astype(np.float32)
    d = xs.shape[1]
    params = [rng.normal(0, np.sqrt(2 / d), (d, hidden)), np.zeros(hidden),
              rng.normal(0, np.sqrt(1 / hidden), hidden), np.zeros(1)]
    params = [p.astype(np.float32) for p in params]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1, b2, step = 3e-3, 0.9, 0.999, 0
    for _ in range(epochs):
        order = rng.permutation(len(xs))
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            xb, yb, wb = xs[idx], y[idx], w[idx]
            h_pre = xb @ params[0] + params[1]
            h = np.maximum(h_pre, 0)
            logit = h @ params[2] + params[3][0]
            prob = 1 / (1 + np.exp(-np.clip(logit, -30, 30)))
            g_logit = (prob - yb) * wb / len(idx)
            g_w2 = h.T @ g_logit + l2 * params[2]
            g_b2 = np.array([g_logit.sum()], dtype=np.float32)
            g_h = np.outer(g_logit, params[2]) * (h_pre > 0)
            g_w1 = xb.T @ g_h + l2 * params[0]
            g_b1 = g_h.sum(axis=0)
            step += 1
            for k, g in enumerate((g_w1, g_b1, g_w2, g_b2)):
                m[k] = b1 * m[k] + (1 - b1) * g
                v[k] = b2 * v[k] + (1 - b2) * g * g
                mh = m[k] / (1 - b1 ** step)
                vh = v[k] / (1 - b2 ** step)
                params[k] -= lr * mh / (np.sqrt(vh) + 1e-8)
    w1, b1_, w2 = (p.astype(np.float64) for p in params[:3])
    return LineModel(mean=mean, scale=scale, hidden_weights=w1, hidden_bias=b1_,
                     out_weights=w2, out_bias=float(params[3][0]), threshold=0.5, info={})


def train_ensemble(x: np.ndarray, y: np.ndarray, w: np.ndarray, hidden: int, epochs: int,
                   seed: int, l2: float, members: int) -> LineModel:
    """``members`` networks (seeds ``seed``, ``seed + 1``, ...) averaged in logit space.

    Averaging logits of networks that share the input standardisation is itself one
    network with the hidden layers side by side and the output weights divided by
    ``members``, so the shipped format and the inference code do not change.
    """
    nets = [train(x, y, w, hidden, epochs, seed + k, l2) for k in range(members)]
    if members == 1:
        return nets[0]
    return replace(
        nets[0],
        hidden_weights=np.hstack([n.hidden_weights for n in nets]),
        hidden_bias=np.concatenate([n.hidden_bias for n in nets]),
        out_weights=np.concatenate([n.out_weights for n in nets]) / members,
        out_bias=float(np.mean([n.out_bias for n in nets])),
    )


def fit(records: list[dict[str, Any]], threshold: float, info: dict[str, Any] | None = None) -> LineModel:
    """The shipped recipe (features, labels, weights, ensemble) trained on ``records``."""
    x, y, w, _, _ = build(records)
    model = train_ensemble(x, y, w, HIDDEN, EPOCHS, SEED, L2, ENSEMBLE)
    return replace(model, threshold=threshold, info=info or {})


def score(records: list[dict[str, Any]], key: str, config: StripConfig) -> dict[str, Any]:
    rows = []
    for rec in records:
        out = strip_text(rec[key], config=config).text
        row = bow_scores(rec["text"], out)
        row.update(ms=0.0, error=None, output=out)
        rows.append(row)
    return summarize(rows)


def _cross_validate(records: list[dict[str, Any]], a: argparse.Namespace) -> tuple[Any, ...]:
    fold_of_page = np.array([zlib.crc32(r["_site"].encode()) % a.folds for r in records])
    x, y, w, page, _ = build(records, not a.no_set_balance)
    print(f"{len(records)} pages, {len(x)} lines, {int(y.sum())} body lines, {x.shape[1]} features")
    thresholds = np.round(np.arange(0.05, 0.41, 0.05), 2)
    cv: dict[float, dict[str, list[dict[str, Any]]]] = {t: {k: [] for k in DUMPS} for t in thresholds}
    per_page: dict[str, dict[float, list[tuple[int, str]]]] = {}
    for fold in range(a.folds):
        train_mask = fold_of_page[page] != fold
        model = train_ensemble(x[train_mask], y[train_mask], w[train_mask], a.hidden, a.epochs, a.seed,
                               a.l2, a.ensemble)
        test = [r for r, f in zip(records, fold_of_page, strict=True) if f == fold]
        if a.save_folds:
            Path(a.save_folds).mkdir(parents=True, exist_ok=True)
            (Path(a.save_folds) / f"fold{fold}.json").write_text(json.dumps(model.to_json()))
        for t in thresholds:
            cfg = StripConfig(model=replace(model, threshold=float(t)))
            for key in DUMPS:
                for rec in test:
                    out = strip_text(rec[key], config=cfg).text
                    row = bow_scores(rec["text"], out)
                    row.update(ms=0.0, error=None, output=out)
                    cv[t][key].append(row)
        print(f"fold {fold}: {len(test)} pages")
    del per_page
    table = {}
    mean_f1 = {}
    for t in thresholds:
        s = {k: summarize(cv[t][k]) for k in DUMPS}
        mean_f1[float(t)] = float(np.mean([s[k]["f1"] for k in DUMPS]))
        table[float(t)] = {k: {m: round(s[k][m], 4) for m in ("precision", "recall", "f1")} for k in DUMPS}
        print(f"t={t:.2f} " + "  ".join(f"{k[5:]} P={s[k]['precision']:.3f} R={s[k]['recall']:.3f} "
                                        f"F1={s[k]['f1']:.3f}" for k in DUMPS))
    # Recall matters more than precision (a lost paragraph is worse than a stray line):
    # take the lowest threshold whose mean F1 is within RECALL_SLACK of the best.
    best = max(mean_f1.values())
    best_t = min(t for t, f in mean_f1.items() if f >= best - RECALL_SLACK)
    print(f"best CV threshold {best_t:.2f}: " + str(table[best_t]))
    return x, y, w, page, best_t, table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", nargs="+", default=list(DEV_SETS),
                    help="DEV set names (or .jsonl.gz paths) to train on")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--hidden", type=int, default=HIDDEN)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--ensemble", type=int, default=ENSEMBLE, help="networks averaged (logits)")
    ap.add_argument("--out", default=str(ROOT / "src/newsclean/data/strip/model.json"))
    ap.add_argument("--threshold", type=float, default=0.35, help="with --folds 0: the model's threshold")
    ap.add_argument("--no-set-balance", action="store_true", help="weigh each set by its pages")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--save-folds", metavar="DIR", help="also write each fold's model here")
    a = ap.parse_args()

    records = load_sets(a.datasets)
    if a.folds <= 1:
        # No cross-validation: the final model only, at --threshold (e.g. one chosen
        # out of sample by benchmarks/strip_quality.py).
        x, y, w, page, _ = build(records, not a.no_set_balance)
        best_t = a.threshold
        table: dict[float, Any] = {best_t: "not cross-validated here: see benchmarks/strip_quality.py"}
    else:
        x, y, w, page, best_t, table = _cross_validate(records, a)
    model = train_ensemble(x, y, w, a.hidden, a.epochs, a.seed, a.l2, a.ensemble)
    info = {
        "trained_on": f"DEV sets {', '.join(sorted({r['_set'] for r in records}))}, "
                      f"dump_inscriptis + dump_lynx, {len(records)} pages, {len(x)} lines",
        "labels": "dump lines matched to the gold articleBody (word trigrams / whole lines)",
        "weights": "each page variant 1 (lines by their share of its words)"
                   + ("" if a.no_set_balance else "; each DEV set the same in total"),
        "network": f"{x.shape[1]} features -> {a.hidden} ReLU -> logistic; Adam, {a.epochs} epochs, "
                   f"L2 {a.l2}; {a.ensemble} networks (seeds {a.seed}..) averaged in logit space",
        "cv": f"{a.folds}-fold cross-validation grouped by URL host" if a.folds > 1 else "none here",
        "cv_scores_at_threshold": table[best_t],
    }
    final = replace(model, threshold=best_t, info=info)
    if not a.no_write:
        Path(a.out).write_text(json.dumps(final.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {a.out}")
    assert len(FEATURE_NAMES) == x.shape[1]


if __name__ == "__main__":
    main()
