"""Quality of ``newsclean.strip`` on plain-text page dumps, beside simple baselines.

For each dump style of the dataset (``dump_inscriptis``: browser-like bullets;
``dump_lynx``: lynx bullets and form fields) it prints, in one table: keep everything,
keep lines of >= 10 words, jusText on the lines (each line a paragraph, stoplist chosen
per page), ``newsclean.strip`` with the shipped model, ``newsclean.strip_many`` with the
URL host as the site, and -- the honest number for a
model trained on this very set -- ``strip`` under 5-fold cross-validation grouped by
site (retrained per fold by ``strip_train.py``'s code; ``--no-cv`` skips it). Scores are
the bag-of-words precision, recall and F1 of ``../shared/tools/eval_extract.py``, whose
functions are imported so the numbers agree with it.

    python benchmarks/strip_quality.py                       # scrapinghub dev set
    python benchmarks/strip_quality.py --dataset ../shared/data/extraction/dragnet.jsonl.gz
    python benchmarks/strip_quality.py --quick               # 40 pages, no CV

dragnet is a held-out check (never used for training); its gold keeps the headline,
so ``strip (+title)`` scores ``title + body`` there too.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _extraction_io import read_jsonl  # noqa: E402
from eval_extract import bow_scores, summarize  # noqa: E402

import newsclean  # noqa: E402
from newsclean.stripping.core import StripConfig  # noqa: E402

DUMPS = ("dump_inscriptis", "dump_lynx")
JUSTEXT_LANGUAGES = ("English", "German", "French", "Spanish", "Italian", "Portuguese", "Russian",
                     "Dutch", "Polish", "Indonesian", "Korean", "Arabic", "Turkish", "Swedish")


def keep_all(dump: str) -> str:
    """Baseline: the whole dump."""
    return dump


def keep_long_lines(dump: str) -> str:
    """Baseline: lines of at least 10 words."""
    return "\n".join(line for line in dump.split("\n") if len(line.split()) >= 10)


def make_justext() -> Callable[[str], str] | None:
    """jusText on the dump's lines (each line one <p>), stoplist chosen per page."""
    try:
        import justext
    except ImportError:
        return None
    stoplists = {lang: justext.get_stoplist(lang) for lang in JUSTEXT_LANGUAGES}

    def run(dump: str) -> str:
        lines = [line.strip() for line in dump.split("\n") if line.strip()]
        if not lines:
            return ""
        words = " ".join(lines).lower().split()
        lang = max(stoplists, key=lambda k: sum(w in stoplists[k] for w in words[:2000]))
        page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
        paragraphs = justext.justext(page.encode("utf-8"), stoplists[lang], encoding="utf-8")
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def strip_body(dump: str) -> str:
    """newsclean.strip, body only."""
    return newsclean.strip(dump).text


def strip_with_title(dump: str) -> str:
    """newsclean.strip, headline + body (for gold that keeps the headline)."""
    art = newsclean.strip(dump)
    return f"{art.title}\n\n{art.text}" if art.title else art.text


def host_of(url: str) -> str:
    """The URL's host without ``www.`` (the site key for strip_many)."""
    netloc = urlsplit(url).netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def evaluate(func: Callable[[str], str], records: list[dict[str, Any]], key: str) -> dict[str, Any]:
    rows = []
    t0 = time.perf_counter()
    for rec in records:
        out = func(rec.get(key) or "")
        row = bow_scores(rec.get("text") or "", out)
        row.update(ms=0.0, error=None, output=out)
        rows.append(row)
    result = summarize(rows)
    result["seconds"] = time.perf_counter() - t0
    return result


def cross_validated(records: list[dict[str, Any]], folds: int) -> dict[str, dict[str, Any]]:
    """strip with a model retrained without the test fold's sites, per dump style."""
    import strip_train as st
    from newsclean.stripping.model import default_model

    shipped = default_model()  # its threshold; the networks are retrained per fold
    fold_of_page = np.array([zlib.crc32(st.host(r["url"]).encode()) % folds for r in records])
    x, y, w, page, _ = st.build(records)
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in DUMPS}
    for fold in range(folds):
        mask = fold_of_page[page] != fold
        model = st.train_ensemble(x[mask], y[mask], w[mask], st.HIDDEN, st.EPOCHS, st.SEED, st.L2, st.ENSEMBLE)
        cfg = StripConfig(model=replace(model, threshold=shipped.threshold))
        for rec, f in zip(records, fold_of_page, strict=True):
            if f != fold:
                continue
            for key in DUMPS:
                out = newsclean.strip(rec[key], config=cfg).text
                row = bow_scores(rec["text"], out)
                row.update(ms=0.0, error=None, output=out)
                rows[key].append(row)
    return {k: summarize(v) for k, v in rows.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", default=str(SHARED / "data/extraction/scrapinghub_aeb.jsonl.gz"))
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages")
    ap.add_argument("--quick", action="store_true", help="40 pages, no cross-validation")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validated row")
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()

    records = list(read_jsonl(a.dataset))
    limit = 40 if a.quick and not a.limit else a.limit
    if limit:
        records = records[:limit]
    is_dev = "scrapinghub" in Path(a.dataset).name
    systems: list[tuple[str, Callable[[str], str]]] = [
        ("keep everything", keep_all),
        ("lines >= 10 words", keep_long_lines),
    ]
    jt = make_justext()
    if jt is not None:
        systems.append(("jusText on lines", jt))
    systems.append(("newsclean.strip", strip_body))
    if not is_dev:
        systems.append(("newsclean.strip (+title)", strip_with_title))
    print(f"dataset {a.dataset}: {len(records)} pages; bag-of-words macro P/R/F1 (eval_extract.py)")
    header = f"{'system':<36}" + "".join(f"| {k[5:]:^26}" for k in DUMPS)
    print(header)
    print(f"{'':<36}" + "| {:>7} {:>7} {:>7}   ".format("P", "R", "F1") * len(DUMPS))
    print("-" * len(header))
    for name, func in systems:
        cells = [evaluate(func, records, key) for key in DUMPS]
        print(f"{name:<36}" + "".join(f"| {c['precision']:7.3f} {c['recall']:7.3f} {c['f1']:7.3f}   "
                                      for c in cells))
    hosts = [host_of(r.get("url") or "") or r["id"] for r in records]
    cells = []
    for key in DUMPS:
        outs = iter([art.text for art in newsclean.strip_many((r.get(key) or "" for r in records), sites=hosts)])
        cells.append(evaluate(lambda _dump, outs=outs: next(outs), records, key))
    name = "newsclean.strip_many (by host)"
    print(f"{name:<36}" + "".join(f"| {c['precision']:7.3f} {c['recall']:7.3f} {c['f1']:7.3f}   " for c in cells))
    repeated = sum(1 for h in set(hosts) if hosts.count(h) >= 3)
    print(f"({repeated} of {len(set(hosts))} hosts have >= 3 pages here; strip_many only differs on those)")
    if is_dev and not a.quick and not a.no_cv:
        cv = cross_validated(records, a.folds)
        name = f"newsclean.strip ({a.folds}-fold CV by site)"
        print(f"{name:<36}" + "".join(f"| {cv[k]['precision']:7.3f} {cv[k]['recall']:7.3f} {cv[k]['f1']:7.3f}   "
                                      for k in DUMPS))
        print("(the shipped model was trained on this set: the CV row is the out-of-sample estimate)")


if __name__ == "__main__":
    main()
