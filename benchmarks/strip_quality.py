"""Quality of ``newsclean.strip`` on plain-text page dumps, out of sample, beside baselines.

One run scores every system on the three DEV sets (``../shared/data/extraction``:
scrapinghub_aeb, dragnet, wcxb_dev), both dump styles (``dump_inscriptis``: browser-like
bullets, tables laid out side by side; ``dump_lynx``: tables linearised):

- baselines: keep everything, keep lines of >= 10 words, jusText on the lines (each line
  one paragraph, stoplist chosen per page), boilerpy3's ArticleExtractor on the lines;
- ``strip``, shipped model (in sample for the sets it was trained on: labelled so);
- ``strip`` LODO: leave one dataset out, the model retrained (``strip_train.py``'s recipe)
  on the other two sets and scored on the third. Its threshold is chosen without the
  third set either: models trained on ONE set (same recipe) are scored on the other
  training set (every second page, thresholds ``THRESHOLDS`` x ``StripConfig.fill_gap``
  values ``FILL_GAPS``), and the pair with the best mean F1 of the two directions and
  both dump styles is taken. The same rule over all six directions gives the threshold
  (``strip_train.py --folds 0 --threshold T`` ships it) and the ``fill_gap`` for a model
  trained on all three sets, and the ``fill_gap`` of the shipped model (printed);
- ``strip`` by site: 5 folds grouped by site over the three sets pooled (no site in both
  the training and the scored fold);
- ``strip_many`` (URL host as the site), shipped model.

Scores are the bag-of-words macro precision / recall / F1 of
``../shared/tools/eval_extract.py`` (its functions are imported, so the numbers agree
with it). Title accuracy (headline found == gold title, compared as lowercased word
sequences; a hit also when one contains the other) is printed for the sets with titles
(dragnet: the gold's first line when the page's ``<title>`` holds it; wcxb_dev: ``title``).

Retrained models are cached (``--cache``, keyed by the training code and data), so a
run after a rule change only re-scores; the first run trains 6 models for LODO (about a
minute a network on a free core) and 5 for the folds.

    python benchmarks/strip_quality.py                 # everything
    python benchmarks/strip_quality.py --quick         # 60 pages a set, shipped model only
    python benchmarks/strip_quality.py --sets dragnet --no-folds
    python benchmarks/strip_quality.py --no-lodo --no-folds --page-share 0.3
    python benchmarks/strip_quality.py --thresholds-only   # the thresholds and fill_gaps chosen LODO
    python benchmarks/strip_quality.py --reuters           # no_content on clean wire stories
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import html  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import zlib  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_extract import bow_scores, summarize  # noqa: E402

import newsclean  # noqa: E402
from newsclean.stripping.core import StripConfig, strip_text  # noqa: E402
from newsclean.stripping.features import FEATURE_NAMES  # noqa: E402
from newsclean.stripping.model import LineModel, default_model  # noqa: E402

DUMPS = ("dump_inscriptis", "dump_lynx")
DEV_SETS = ("scrapinghub_aeb", "dragnet", "wcxb_dev")
FOLDS = 5
THRESHOLDS = (0.2, 0.35, 0.5, 0.65)
FILL_GAPS = (0, 10, 20, 40)
JUSTEXT_LANGUAGES = ("English", "German", "French", "Spanish", "Italian", "Portuguese", "Russian",
                     "Dutch", "Polish", "Indonesian", "Korean", "Arabic", "Turkish", "Swedish")
_TOKEN_RE = re.compile(r"\w+")

Strip = Callable[[str], str]


def keep_all(dump: str) -> str:
    """Baseline: the whole dump."""
    return dump


def keep_long_lines(dump: str) -> str:
    """Baseline: lines of at least 10 words."""
    return "\n".join(line for line in dump.split("\n") if len(line.split()) >= 10)


def _lines_as_html(dump: str) -> str | None:
    lines = [line.strip() for line in dump.split("\n") if line.strip()]
    if not lines:
        return None
    return "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"


def make_justext() -> Strip | None:
    """jusText on the dump's lines (each line one <p>), stoplist chosen per page."""
    try:
        import justext
    except ImportError:
        return None
    stoplists = {lang: justext.get_stoplist(lang) for lang in JUSTEXT_LANGUAGES}

    def run(dump: str) -> str:
        page = _lines_as_html(dump)
        if page is None:
            return ""
        words = dump.lower().split()[:2000]
        lang = max(stoplists, key=lambda k: sum(w in stoplists[k] for w in words))
        paragraphs = justext.justext(page.encode("utf-8"), stoplists[lang], encoding="utf-8")
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def make_boilerpy3() -> Strip | None:
    """boilerpy3's ArticleExtractor on the dump's lines (each line one <p>)."""
    try:
        from boilerpy3 import extractors
    except ImportError:
        return None
    extractor = extractors.ArticleExtractor(raise_on_failure=False)

    def run(dump: str) -> str:
        page = _lines_as_html(dump)
        if page is None:
            return ""
        try:
            return str(extractor.get_content(page))
        except Exception:  # boilerpy3 raises on some degenerate pages: score as empty
            return ""

    return run


PAGE_SHARE: list[float] = []  # set by --page-share


def make_strip(model: LineModel | None, fill_gap: int | None = None) -> Strip:
    """newsclean.strip with ``model`` (``None``: shipped) and ``fill_gap`` (``None``: the default), body only."""
    config = StripConfig(model=model)
    if PAGE_SHARE:
        config = replace(config, page_share=PAGE_SHARE[0])
    if fill_gap is not None:
        config = replace(config, fill_gap=fill_gap)
    return lambda dump: newsclean.strip(dump, config=config).text


def host_of(url: str) -> str:
    """The URL's host without ``www.`` (the site key for strip_many)."""
    netloc = urlsplit(url).netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def score_rows(outputs: list[str], records: list[dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for rec, out in zip(records, outputs, strict=True):
        row = bow_scores(rec.get("text") or "", out)
        row.update(ms=0.0, error=None, output=out)
        rows.append(row)
    return summarize(rows)


# -- retrained models (cached) ---------------------------------------------------------

def _cache_key(train_ids: list[str], what: str) -> str:
    code = (Path(__file__).resolve().parent / "strip_train.py").read_bytes()
    h = hashlib.sha256(code + json.dumps([what, FEATURE_NAMES, sorted(train_ids)]).encode())
    return h.hexdigest()[:20]


def trained_model(train: list[dict[str, Any]], what: str, cache: Path, threshold: float | None = None) -> LineModel:
    """``strip_train.fit`` on ``train``, cached under ``cache``; ``threshold``: None = the shipped one."""
    import strip_train as st

    path = cache / f"{what}-{_cache_key([r['_set'] + ':' + r['id'] for r in train], what)}.json"
    if path.exists():
        model = LineModel.from_json(json.loads(path.read_text()))
    else:
        print(f"  training {what} on {len(train)} pages ...", file=sys.stderr, flush=True)
        model = st.fit(train, default_model().threshold, {"trained_for": what})
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(model.to_json()))
    return model if threshold is None else replace(model, threshold=threshold)


def _rules_key() -> str:
    """Hash of the rule code and patterns: cached scores of a rule change are not reused."""
    src = Path(newsclean.__file__).resolve().parent
    parts = [src / "stripping/core.py", src / "data/strip/patterns.json"]
    return hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()[:12]


Setting = tuple[float, int]  # (threshold, fill_gap)


class _JudgedByText(dict):  # type: ignore[type-arg]
    """``strip_text``'s ``judged`` cache shared by configs that differ only in threshold
    and fill_gap (the measured lines and the model's scores depend on neither)."""

    @staticmethod
    def _key(key: tuple[str, StripConfig, int]) -> tuple[str, bool, bool, int]:
        text, config, model = key
        return text, config.join_wrapped, config.find_title, model

    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(self._key(key), default)

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(self._key(key), value)


def cross_f1(every: list[dict[str, Any]], train_set: str, test_set: str, cache: Path) -> dict[Setting, float]:
    """Mean F1 (both dumps) by (threshold, fill_gap) of the model trained on ``train_set``
    alone, on every second page of ``test_set`` (cached beside the models)."""
    train = [r for r in every if r["_set"] == train_set]
    model = trained_model(train, f"only-{train_set}", cache)
    key = _cache_key([r["_set"] + ":" + r["id"] for r in train], f"only-{train_set}")
    grid = json.dumps([THRESHOLDS, FILL_GAPS, PAGE_SHARE])
    tag = hashlib.sha256((grid + _rules_key()).encode()).hexdigest()[:8]
    path = cache / f"cross-{train_set}-{test_set}-{key}-{tag}.json"
    if path.exists():
        return {(float(t), int(g)): f for t, g, f in json.loads(path.read_text())}
    test = [r for r in every if r["_set"] == test_set][::2]
    out = {}
    judged = _JudgedByText()  # the lines and scores of a text do not depend on the setting
    for t in THRESHOLDS:
        for g in FILL_GAPS:
            config = StripConfig(model=model, threshold=t, fill_gap=g)
            if PAGE_SHARE:
                config = replace(config, page_share=PAGE_SHARE[0])
            out[(t, g)] = sum(score_rows([strip_text(r[k], config=config, judged=judged).text for r in test],
                                         test)["f1"] for k in DUMPS) / len(DUMPS)
    print(f"  only-{train_set} on {test_set}: " + ", ".join(f"{t}/{g}: {f:.4f}" for (t, g), f in out.items()),
          file=sys.stderr, flush=True)
    path.write_text(json.dumps([[t, g, f] for (t, g), f in out.items()]))
    return out


def choose_setting(every: list[dict[str, Any]], train_sets: list[str], cache: Path) -> Setting:
    """The (threshold, fill_gap) for a model trained on ``train_sets``, chosen on them
    alone: the best mean F1 of single-set models scored on each other training set
    (lowest threshold, then smallest gap, on ties)."""
    runs = [cross_f1(every, a, b, cache) for a in train_sets for b in train_sets if a != b]
    mean = {tg: sum(r[tg] for r in runs) / len(runs) for tg in runs[0]}
    best = max(mean.values())
    return min(tg for tg, f in mean.items() if f >= best - 1e-9)


def fold_of(rec: dict[str, Any]) -> int:
    return zlib.crc32(rec["_site"].encode()) % FOLDS


# -- titles ----------------------------------------------------------------------------

def _words(text: str) -> str:
    return " ".join(_TOKEN_RE.findall(text.lower()))


def gold_title(rec: dict[str, Any]) -> str | None:
    """The page's headline: wcxb's ``title``; dragnet: the gold's first line when it is
    short and the HTML ``<title>`` contains it (dragnet's gold starts with the headline
    on ~85% of pages)."""
    if rec["_set"] == "wcxb_dev":
        return rec.get("title") or None
    if rec["_set"] != "dragnet":
        return None
    first = next((ln.strip() for ln in (rec.get("text") or "").split("\n") if ln.strip()), "")
    if not 2 <= len(first.split()) <= 25:
        return None
    m = re.search(r"<title[^>]*>(.*?)</title>", rec.get("html") or "", re.IGNORECASE | re.DOTALL)
    page_title = _words(html.unescape(m.group(1))) if m else ""
    return first if _words(first) and _words(first) in page_title else None


def title_hit(found: str | None, gold: str) -> bool:
    if not found:
        return False
    f, g = _words(found), _words(gold)
    return bool(f) and (f == g or f in g or g in f) and len(f) >= 0.5 * len(g)


def reuters_no_content() -> None:
    """How many clean Reuters-21578 stories (``text``: headline, blank line, body) strip
    returns as ``no_content``: clean text must come back whole."""
    import gzip

    path = SHARED / "data/dedup/reuters21578.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    texts = [t for t in texts if t.strip()]
    empty = sum(newsclean.strip(t).status == "no_content" for t in texts)
    print(f"Reuters-21578: no_content for {empty} of {len(texts)} stories ({100 * empty / len(texts):.2f}%)")


# -- main ------------------------------------------------------------------------------

def main() -> None:
    import strip_train as st

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(DEV_SETS), help="DEV sets to score")
    ap.add_argument("--quick", action="store_true", help="60 pages a set, no retrained models")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages of each set")
    ap.add_argument("--no-lodo", action="store_true", help="skip the leave-one-dataset-out rows")
    ap.add_argument("--no-folds", action="store_true", help="skip the by-site fold rows")
    ap.add_argument("--cache", default=str(Path.home() / ".cache/newsclean-bench/strip"),
                    help="where retrained models are kept")
    ap.add_argument("--page-share", type=float, help="StripConfig.page_share of the strip rows")
    ap.add_argument("--reuters", action="store_true",
                    help="only count no_content on the clean Reuters-21578 stories (../shared/data/dedup)")
    ap.add_argument("--thresholds-only", action="store_true",
                    help="only print the thresholds and fill_gaps chosen without the held-out sets (LODO and all three)")
    a = ap.parse_args()
    if a.page_share is not None:
        PAGE_SHARE.append(a.page_share)
    cache = Path(a.cache)
    limit = 60 if a.quick and not a.limit else a.limit
    retrain = not a.quick
    every = st.load_sets(DEV_SETS) if retrain else st.load_sets(a.sets)
    if a.reuters:
        reuters_no_content()
        return
    if a.thresholds_only:
        for s in DEV_SETS:
            t, g = choose_setting(every, [o for o in DEV_SETS if o != s], cache)
            print(f"{s} held out: threshold {t}, fill_gap {g}")
        t, g = choose_setting(every, list(DEV_SETS), cache)
        print(f"all three: threshold {t}, fill_gap {g}")
        return
    by_set = {s: [r for r in every if r["_set"] == s] for s in a.sets}
    if limit:
        by_set = {s: recs[:limit] for s, recs in by_set.items()}

    systems: list[tuple[str, Callable[[str], Strip]]] = [
        ("keep everything", lambda _s: keep_all),
        ("lines >= 10 words", lambda _s: keep_long_lines),
    ]
    jt, bp = make_justext(), make_boilerpy3()
    if jt is not None:
        systems.append(("jusText on lines", lambda _s: jt))
    if bp is not None:
        systems.append(("boilerpy3 on lines", lambda _s: bp))
    shipped = default_model()
    trained_on = shipped.info.get("trained_on", "")
    systems.append(("strip, shipped model", lambda _s: make_strip(None)))
    chosen: dict[str, Setting] = {}
    if retrain and not a.no_lodo:
        def lodo(s: str) -> Strip:
            others = [o for o in DEV_SETS if o != s]
            chosen[s] = t, g = choose_setting(every, others, cache)
            return make_strip(trained_model([r for r in every if r["_set"] != s], f"lodo-{s}", cache, t), g)
        systems.append(("strip, LODO (trained on the other 2)", lodo))

    results: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    titles: dict[str, list[str]] = {}
    for s, recs in by_set.items():
        results[s] = {}
        for name, make in systems:
            func = make(s)
            results[s][name] = {k: score_rows([func(r[k]) for r in recs], recs) for k in DUMPS}
        if retrain and not a.no_folds:
            outs: dict[str, list[str]] = {k: [""] * len(recs) for k in DUMPS}
            for fold in range(FOLDS):
                idx = [i for i, r in enumerate(recs) if fold_of(r) == fold]
                if not idx:
                    continue
                model = trained_model([r for r in every if fold_of(r) != fold], f"site-fold{fold}", cache)
                func = make_strip(model)
                for k in DUMPS:
                    for i in idx:
                        outs[k][i] = func(recs[i][k])
            results[s][f"strip, {FOLDS} folds by site (3 sets)"] = {k: score_rows(outs[k], recs) for k in DUMPS}
        hosts = [host_of(r.get("url") or "") or r["id"] for r in recs]
        results[s]["strip_many, site = URL host"] = {
            k: score_rows([art.text for art in newsclean.strip_many((r[k] for r in recs), sites=hosts)], recs)
            for k in DUMPS
        }
        gold = [(r, gold_title(r)) for r in recs]
        gold = [(r, g) for r, g in gold if g]
        if gold:
            titles[s] = []
            for k in DUMPS:
                hits = sum(title_hit(newsclean.strip(r[k]).title, g) for r, g in gold)
                titles[s].append(f"{k[5:]} {hits}/{len(gold)} = {hits / len(gold):.3f}")

    print(f"bag-of-words macro P / R / F1 (eval_extract.py); shipped model trained on: {trained_on}, "
          f"threshold {shipped.threshold}")
    print(f"strip rows: StripConfig.fill_gap {StripConfig().fill_gap} unless said")
    if chosen:
        print("LODO threshold / fill_gap (chosen on the two training sets): "
              + ", ".join(f"{s} held out: {t} / {g}" for s, (t, g) in chosen.items()))
        if set(a.sets) == set(DEV_SETS):
            t, g = choose_setting(every, list(DEV_SETS), cache)
            print(f"threshold / fill_gap for a model trained on all three: {t} / {g}")
    for s, rows in results.items():
        print(f"\n### {s} ({len(by_set[s])} pages)\n")
        print("| system | " + " | ".join(f"{k[5:]} {m}" for k in DUMPS for m in ("P", "R", "F1")) + " |")
        print("|---|" + "---:|" * 6)
        for name, cells in rows.items():
            vals = " | ".join(f"{cells[k][m]:.3f}" for k in DUMPS for m in ("precision", "recall", "f1"))
            print(f"| {name} | {vals} |")
        if s in titles:
            print(f"\ntitle accuracy (strip, shipped model): {'; '.join(titles[s])}")


if __name__ == "__main__":
    main()
