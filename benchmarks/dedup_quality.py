"""Near-duplicate clustering quality on a labelled semi-synthetic Reuters set.

Builds the set the way ``../shared/data/dedup/README.md`` describes (seeded): real
Reuters-21578 articles with >= 80 words, filtered so that no two have word 5-gram
Jaccard >= 0.3 (greedily, in a seeded random order); half of them get 1-4 variants,
each made by 1-3 edits drawn from:

- ``header_footer``: site chrome lines above and below (menu, "Advertisement", copyright);
- ``wire_prefix``: "PARIS (Reuters) - " style prefix before the body;
- ``paragraphs``: one paragraph dropped or moved;
- ``typos``: 0.5-2% of the words get one keyboard typo (letters only: a figure changed by
  a typo cannot be told from another figure, see ``DedupConfig.numbers``);
- ``truncation``: the text cut to 50-85% of its words plus "Read the full story ...";
- ``headline``: the title rewritten (words dropped/replaced, case changed, "UPDATE 1-");
- ``noise``: curly quotes, em dashes, doubled spaces, non-breaking spaces, re-wrapped lines.

Then it prints, side by side in one run, for newsclean.dedup (defaults, plus a few
variants of the options), the command line ``newsclean dedup`` (defaults) and datasketch ``MinHashLSH`` + connected components at
thresholds 0.5 / 0.7 / 0.8 (word 5-grams, 128 permutations, xxh32, the same shingles):
pairwise precision / recall / F1, the adjusted Rand index, the recall of
(original, variant) pairs per edit type, and how many *hard negatives* each merges: pairs
of real Reuters articles with the same title (up to digits), Jaccard >= 0.5, and each
with figures the other lacks (templated notices: "Fed adds
reserves", USDA reserve prices, EC sugar levies); resent or corrected stories, whose
figures agree, are left out of that count.

The datasketch rows use ``datasketch.LeanMinHash`` objects built from newsclean's
signatures, which are bit-identical to ``MinHash(hashfunc=xxhash.xxh32_intdigest)``
updated with the same shingles (tests/test_signature.py checks it), so only the LSH and
the clustering differ.

    python benchmarks/dedup_quality.py            # 3,000 originals (about a minute)
    python benchmarks/dedup_quality.py --quick    # 400 originals, smoke run
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import newsclean  # noqa: E402
from _harness import print_table  # noqa: E402
from newsclean import DedupConfig, shingle_hashes, signatures_from_hashes  # noqa: E402
from newsclean.cluster import component_labels, pair_similarity, shingle_sets  # noqa: E402
from newsclean.lsh import band_keys, candidate_pairs, lsh_params  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
REUTERS = SHARED / "data" / "dedup" / "reuters21578.jsonl.gz"

EDITS = ("header_footer", "wire_prefix", "paragraphs", "typos", "truncation", "headline", "noise")
CITIES = ("PARIS", "LONDON", "TOKYO", "NEW YORK", "FRANKFURT", "SYDNEY", "TORONTO", "MADRID")
AGENCIES = ("Reuters", "AP", "AFP", "Bloomberg", "dpa")
SITES = ("The Daily Ledger", "Market Watchers", "Globe Business Online", "FinanceWire Today")
MENUS = (
    "Home | World | Business | Markets | Tech | Opinion",
    "Skip to content\nMenu  Search  Subscribe",
    "Latest News  Economy  Commodities  Companies",
)
FOOTERS = (
    "Share this article: Facebook Twitter LinkedIn Email",
    "Follow us on Twitter and Facebook for more business news.",
    "Sign up for our morning newsletter.",
)
FILLER = ("report", "says", "news", "update", "latest", "market", "sources", "official")
KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


@dataclass(frozen=True)
class LabelledSet:
    texts: list[str]
    ids: list[str]
    truth: np.ndarray  # cluster index per doc
    edits: list[tuple[str, ...]]  # edits of each doc (() for originals)
    original: list[int]  # index of each doc's original (itself for originals)


def load(path: Path) -> list[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def pick_originals(recs: Sequence[dict[str, object]], n: int, seed: int) -> list[dict[str, object]]:
    """>= 80 words, no two with 5-gram Jaccard >= 0.3 (greedy, seeded order)."""
    pool = [r for r in recs if len(re.findall(r"\w+", str(r["text"]))) >= 80]
    random.Random(seed).shuffle(pool)
    pool = pool[: int(n * 1.6) + 200]
    texts = [str(r["text"]) for r in pool]
    batch = shingle_hashes(texts)
    sig = signatures_from_hashes(batch.hashes, batch.offsets)
    pairs = candidate_pairs(band_keys(sig, *lsh_params(0.2, 128)))
    jac, _ = pair_similarity(pairs, sets=shingle_sets(batch))
    conflicts: dict[int, set[int]] = defaultdict(set)
    for (a, b), j in zip(pairs.tolist(), jac.tolist(), strict=True):
        if j >= 0.3:
            conflicts[a].add(b)
            conflicts[b].add(a)
    kept: list[int] = []
    taken: set[int] = set()
    for i in range(len(pool)):
        if conflicts[i] & taken:
            continue
        kept.append(i)
        taken.add(i)
        if len(kept) == n:
            break
    return [pool[i] for i in kept]


# -- edits: each (title, body, rng) -> (title, body) ----------------------------------------


def split_text(text: str) -> tuple[str, str]:
    title, _, body = text.partition("\n\n")
    return title, body


def body_paragraphs(body: str) -> list[str]:
    """Reuters bodies start each paragraph with an indented line."""
    return [p for p in re.split(r"\n(?=[ \t]{2,}\S)", body) if p.strip()]


def edit_header_footer(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    site = rng.choice(SITES)
    header = f"{site}\n{rng.choice(MENUS)}\nAdvertisement\n\n"
    footer = f"\n\n{rng.choice(FOOTERS)}\nCopyright {site}. All rights reserved."
    return header + title, body + footer


def edit_wire_prefix(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    return title, f"{rng.choice(CITIES)} ({rng.choice(AGENCIES)}) - " + body.lstrip()


def edit_paragraphs(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    paras = body_paragraphs(body)
    if len(paras) < 3:
        return title, body
    k = rng.randrange(1, len(paras))
    moved = paras.pop(k)
    if rng.random() < 0.5:
        paras.insert(rng.randrange(0, len(paras)), moved)
    return title, "\n".join(paras)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice(KEYBOARD) + word[i + 1 :]


def edit_typos(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    words = list(re.finditer(r"[A-Za-z]{3,}", body))
    if not words:
        return title, body
    total = len(re.findall(r"\S+", body))
    k = max(1, round(total * rng.uniform(0.005, 0.02)))
    chosen = sorted(rng.sample(range(len(words)), min(k, len(words))))
    out, last = [], 0
    for idx in chosen:
        m = words[idx]
        out += [body[last : m.start()], _typo(m.group(), rng)]
        last = m.end()
    out.append(body[last:])
    return title, "".join(out)


def edit_truncation(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    spans = [m.end() for m in re.finditer(r"\S+", body)]
    keep = max(1, int(len(spans) * rng.uniform(0.5, 0.85)))
    return title, body[: spans[keep - 1]] + f"...\n\nRead the full story at {rng.choice(SITES)}."


def edit_headline(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    words = title.split()
    if len(words) > 3:
        words.pop(rng.randrange(len(words)))
    if words:
        words[rng.randrange(len(words))] = rng.choice(FILLER).upper()
    new = " ".join(words).title()
    if rng.random() < 0.4:
        new = "UPDATE 1-" + new
    return new, body


def edit_noise(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    body = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", body).replace("'", "\u2019")
    body = body.replace(" - ", " \u2014 ")
    body = re.sub(r"\n(?![ \t])", " ", body) if rng.random() < 0.5 else body
    body = re.sub(r" (?=[a-z])", lambda m: rng.choice([" ", " ", " ", "  ", "\u00a0"]), body)
    return title, body


EDIT_FUNCS: dict[str, Callable[[str, str, random.Random], tuple[str, str]]] = {
    "header_footer": edit_header_footer,
    "wire_prefix": edit_wire_prefix,
    "paragraphs": edit_paragraphs,
    "typos": edit_typos,
    "truncation": edit_truncation,
    "headline": edit_headline,
    "noise": edit_noise,
}
# Applied in this order, whatever was drawn (chrome goes around the final text).
ORDER = ("paragraphs", "typos", "truncation", "headline", "noise", "wire_prefix", "header_footer")


def make_variant(text: str, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    edits = tuple(sorted(rng.sample(EDITS, rng.randint(1, 3)), key=ORDER.index))
    title, body = split_text(text)
    for name in edits:
        title, body = EDIT_FUNCS[name](title, body, rng)
    return f"{title}\n\n{body}", edits


def build_set(recs: Sequence[dict[str, object]], n_originals: int, seed: int) -> LabelledSet:
    originals = pick_originals(recs, n_originals, seed)
    rng = random.Random(seed + 1)
    texts, ids, truth, edits, original = [], [], [], [], []
    for c, rec in enumerate(originals):
        base = len(texts)
        texts.append(str(rec["text"]))
        ids.append(str(rec["id"]))
        truth.append(c)
        edits.append(())
        original.append(base)
        if c % 2 == 0:
            for v in range(rng.randint(1, 4)):
                text, done = make_variant(str(rec["text"]), rng)
                texts.append(text)
                ids.append(f"{rec['id']}~v{v}")
                truth.append(c)
                edits.append(done)
                original.append(base)
    return LabelledSet(texts, ids, np.asarray(truth), edits, original)


# -- metrics ----------------------------------------------------------------------------------


def _comb2(x: np.ndarray) -> float:
    return float((x * (x - 1) // 2).sum())


def pair_scores(pred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Pairwise precision/recall/F1 and the adjusted Rand index."""
    _, pred_idx = np.unique(pred, return_inverse=True)
    _, truth_idx = np.unique(truth, return_inverse=True)
    cells = np.unique(
        pred_idx.astype(np.int64) * (truth_idx.max() + 1) + truth_idx, return_counts=True
    )[1]
    tp = _comb2(cells)
    pred_pairs = _comb2(np.bincount(pred_idx))
    true_pairs = _comb2(np.bincount(truth_idx))
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = _comb2(np.array([len(pred)]))
    expected = pred_pairs * true_pairs / total
    ari = (tp - expected) / (0.5 * (pred_pairs + true_pairs) - expected)
    return {"precision": precision, "recall": recall, "F1": f1, "ARI": ari}


def recall_by_edit(pred: np.ndarray, data: LabelledSet) -> dict[str, float]:
    hits: dict[str, list[bool]] = defaultdict(list)
    for i, edits in enumerate(data.edits):
        same = bool(pred[i] == pred[data.original[i]])
        for e in edits:
            hits[e].append(same)
    return {e: float(np.mean(hits[e])) if hits[e] else float("nan") for e in EDITS}


# -- hard negatives ---------------------------------------------------------------------------


def _figures(text: str) -> set[str]:
    return {t for t in re.findall(r"\w+", text.lower()) if any(c.isdigit() for c in t)}


def hard_negative_pairs(
    recs: Sequence[dict[str, object]],
) -> tuple[list[str], list[tuple[int, int]]]:
    """Templated distinct reports of Reuters-21578: same title up to digits, 5-gram
    Jaccard >= 0.5, and each text has figures (digit tokens) the other lacks, e.g. the
    daily "Fed adds reserves" or USDA reserve-price notices. (Resent and corrected
    stories, whose figures agree, are not counted.) Returns the texts involved and the
    pairs (indices into those texts)."""
    texts = [str(r["text"]) for r in recs]
    batch = shingle_hashes(texts)
    sig = signatures_from_hashes(batch.hashes, batch.offsets)
    pairs = candidate_pairs(band_keys(sig, *lsh_params(0.4, 128)))
    jac, _ = pair_similarity(pairs, sets=shingle_sets(batch))
    found = []
    for (a, b), j in zip(pairs.tolist(), jac.tolist(), strict=True):
        ta, tb = str(recs[a]["title"]), str(recs[b]["title"])
        if j < 0.5 or re.sub(r"\d", "#", ta) != re.sub(r"\d", "#", tb):
            continue
        fa, fb = _figures(texts[a]), _figures(texts[b])
        if fa - fb and fb - fa:
            found.append((a, b))
    involved = sorted({i for p in found for i in p})
    where = {d: k for k, d in enumerate(involved)}
    return [texts[i] for i in involved], [(where[a], where[b]) for a, b in found]


# -- systems -----------------------------------------------------------------------------------


def datasketch_labels(texts: Sequence[str], threshold: float) -> np.ndarray:
    """datasketch MinHashLSH (insert all, query each) + connected components."""
    from datasketch import MinHashLSH

    batch = shingle_hashes(texts)
    sig = signatures_from_hashes(batch.hashes, batch.offsets)
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    leans = [newsclean.to_lean_minhash(row) for row in sig]
    for i, m in enumerate(leans):
        lsh.insert(i, m)
    edges = [(i, j) for i, m in enumerate(leans) for j in lsh.query(m) if j != i]
    return component_labels(len(texts), np.asarray(edges, dtype=np.int64).reshape(-1, 2))


def ours_labels(texts: Sequence[str], ids: Sequence[str], config: DedupConfig) -> np.ndarray:
    res = newsclean.dedup(texts, ids, config=config)
    return np.asarray(res.labels)


def cli_labels(texts: Sequence[str], ids: Sequence[str]) -> np.ndarray:
    """Cluster ids from ``newsclean dedup`` (the command line, local engine, defaults)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text(
            "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts, strict=True)),
            encoding="utf-8",
        )
        cmd = [sys.executable, "-m", "newsclean", "dedup", str(src), "-o", str(out), "--quiet"]
        subprocess.run(cmd, check=True)
        rows = {r["id"]: r["cluster_id"] for r in map(json.loads, out.read_text().splitlines())}
    return np.asarray([rows[i] for i in ids])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--originals", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="400 originals")
    parser.add_argument("--data", type=Path, default=REUTERS)
    args = parser.parse_args(argv)
    if not args.data.exists():
        sys.exit(f"missing {args.data}: set NEWSCLEAN_SHARED to the shared data folder")
    n = 400 if args.quick else args.originals
    recs = load(args.data)
    start = time.perf_counter()
    data = build_set(recs, n, args.seed)
    n_var = sum(1 for e in data.edits if e)
    print(
        f"set: {n} originals + {n_var} variants = {len(data.texts)} docs "
        f"(seed {args.seed}, built in {time.perf_counter() - start:.1f} s)"
    )
    hn_texts, hn_pairs = hard_negative_pairs(recs)
    print(f"hard negatives: {len(hn_pairs)} pairs among {len(hn_texts)} real Reuters articles")
    hn_ids = [f"h{i:05d}" for i in range(len(hn_texts))]

    systems: dict[str, Callable[[Sequence[str], Sequence[str]], np.ndarray]] = {}
    default = DedupConfig()
    systems["newsclean (defaults)"] = lambda t, i: ours_labels(t, i, default)
    systems["newsclean dedup (CLI)"] = cli_labels
    variants = {
        "newsclean verify=estimate": dataclasses.replace(default, verify="estimate"),
        "newsclean numbers=ignore": dataclasses.replace(default, numbers="ignore"),
        "newsclean containment=None": dataclasses.replace(default, containment=None),
        "newsclean threshold=0.8": dataclasses.replace(default, threshold=0.8),
    }
    for name, cfg in variants.items():
        systems[name] = lambda t, i, cfg=cfg: ours_labels(t, i, cfg)
    for th in (0.5, 0.7, 0.8):
        systems[f"datasketch LSH t={th}"] = lambda t, i, th=th: datasketch_labels(t, th)

    rows, edit_rows = [], []
    for name, fn in systems.items():
        t0 = time.perf_counter()
        pred = fn(data.texts, data.ids)
        seconds = time.perf_counter() - t0
        scores = pair_scores(pred, data.truth)
        hn_pred = fn(hn_texts, hn_ids)
        merged = sum(1 for a, b in hn_pairs if hn_pred[a] == hn_pred[b])
        rows.append(
            {
                "system": name,
                **scores,
                "hard neg. merged": f"{merged}/{len(hn_pairs)}",
                "seconds": seconds,
            }
        )
        edit_rows.append({"system": name, **recall_by_edit(pred, data)})
    print_table(
        rows,
        ["precision", "recall", "F1", "ARI", "hard neg. merged", "seconds"],
        title="Pairwise scores (all pairs within true clusters), hard negatives merged",
    )
    print_table(
        edit_rows, list(EDITS), title="Recall of (original, variant) pairs, per edit in the variant"
    )


if __name__ == "__main__":
    main()
