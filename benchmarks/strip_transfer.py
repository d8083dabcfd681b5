"""Which line-model recipe or rule carries over to a DEV set it was not trained on.

``strip_quality.py`` chooses a LODO model's threshold and ``fill_gap`` on the cross
directions of its two training sets: a model trained on ONE set, scored on every second
page of the other. The same directions compare recipes without the held-out set: a
recipe that wins on the directions among the training sets is the one to try LODO.

Recipes (``--features``; each trained on one set with ``strip_train.py``'s weights and
scored on each other set over ``strip_quality.py``'s grid of thresholds x ``fill_gap``,
mean F1 of both dumps, printed beside the shipped recipe's cached cross scores):

- ``base``: the shipped network; with ``--augment`` also scattered-body copies of the
  dumps (:func:`scattered_body`: a news page laid out like a forum or a listing);
- ``page``: the network with page-relative columns (:func:`page_features`) after the
  line features (:class:`PageModel`);
- ``trees``: gradient-boosted trees (scikit-learn, the ``bench`` extra), run with
  ``newsclean.extraction.model``'s numpy inference (:class:`TreeModel`).

Probes (``--probe``) score a rule or score adjustment on ``strip_quality.py``'s cached
models (``--direction MODEL:SET:THRESHOLD:FILL_GAP``, every second page of SET):

- ``long-share``: keep every line of >= 10 words also when the body holds less than
  VALUE of those lines' words (``core._keep_long_lines`` replaced for the run);
- ``prior-shift``: each page's line probabilities adapted to its own body share (label
  shift by EM, Saerens et al. 2002), VALUE = strength (0 = none).

Line rows are ``strip_stack.py``'s cache (``strip_train.page_rows``: both dumps, their
short-body copies, the clean gold); ``--rows-any`` reuses the newest cached rows when the
measuring code's hash changed since by changes that left every line's measurement the same.

    python benchmarks/strip_transfer.py --rows-any --features page --train scrapinghub_aeb dragnet
    python benchmarks/strip_transfer.py --rows-any --features base --augment
    python benchmarks/strip_transfer.py --rows-any --features trees
    python benchmarks/strip_transfer.py --rows-any --label-rates
    python benchmarks/strip_transfer.py --rows-any --probe prior-shift --values 0 0.5 1 \\
        --direction only-dragnet:scrapinghub_aeb:0.5:10 lodo-wcxb_dev:wcxb_dev:0.5:10
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import strip_quality as sq  # noqa: E402
import strip_stack as ss  # noqa: E402
import strip_train as st  # noqa: E402
from newsclean.stripping import core  # noqa: E402
from newsclean.stripping.core import StripConfig, strip_text  # noqa: E402
from newsclean.stripping.features import FEATURE_NAMES, line_features  # noqa: E402
from newsclean.stripping.lines import parse_lines  # noqa: E402
from newsclean.stripping.model import LineModel  # noqa: E402

DEV_SETS = st.DEV_SETS
LINE_FIELDS = ("mean", "scale", "hidden_weights", "hidden_bias", "out_weights", "out_bias", "threshold", "info")
CACHE = Path.home() / ".cache/newsclean-bench/strip-transfer"
Array = np.ndarray

# -- recipe 1: page-relative columns ---------------------------------------------------

_COL = {name: i for i, name in enumerate(FEATURE_NAMES)}
_SIMILAR = 0.25  # lines whose log word counts differ by at most this count as the same length
_DENSE = 0.8  # a line's 8-line neighbourhood this close to the page's densest counts as dense
PAGE_NAMES: tuple[str, ...] = (
    "rel_logw_med", "rel_logw_top", "word_cdf", "rel_stop", "rel_punct", "rel_ctx8_long",
    "rel_ctx4_logw", "dense_dist", "similar_len", "page_logn", "page_long", "page_bullet", "page_logw",
)


def page_features(x: Array) -> Array:
    """Each line's measurements relative to its own page (columns ``PAGE_NAMES``).

    The line's log word count minus the page's median and 90th percentile; the share of
    the page's words in shorter lines (half of those of equal length); its stopword
    ratio minus the page's word-weighted mean, its punctuation minus the page's median;
    its 8-line long-line density and 4-line mean log word count minus the page's maxima;
    the log distance to the nearest line whose density is >= 0.8 of the page's densest;
    the share of the page's other lines of about its length (log word counts within
    0.25: a listing's repeated items); the page's log line count, share of long and of
    bulleted lines and median log word count.
    """
    n = len(x)
    out = np.empty((len(PAGE_NAMES), n))
    if n == 0:
        return out.T.copy()
    logw = x[:, _COL["logw"]]
    words = np.rint(np.expm1(logw))
    total = max(float(words.sum()), 1.0)
    ordered = np.sort(logw)
    median = float(np.median(ordered))
    out[0] = logw - median
    out[1] = logw - float(np.quantile(ordered, 0.9))
    sizes, inverse, counts = np.unique(words, return_inverse=True, return_counts=True)
    mass = sizes * counts
    out[2] = (np.cumsum(mass)[inverse] - 0.5 * mass[inverse]) / total
    stop = x[:, _COL["stop"]]
    out[3] = stop - float(stop @ words) / total
    punct = x[:, _COL["punct"]]
    out[4] = punct - float(np.median(punct))
    density = x[:, _COL["ctx8_long"]]
    top = float(density.max())
    out[5] = density - top
    ctx_logw = x[:, _COL["ctx4_logw"]]
    out[6] = ctx_logw - float(ctx_logw.max())
    dense = np.flatnonzero(density >= _DENSE * top) if top > 0 else np.zeros(0, dtype=np.int64)
    if len(dense):
        idx = np.arange(n)
        at = np.searchsorted(dense, idx)
        after = dense[np.minimum(at, len(dense) - 1)]
        before = dense[np.maximum(at - 1, 0)]
        out[7] = np.log1p(np.minimum(np.abs(after - idx), np.abs(idx - before)))
    else:
        out[7] = np.log1p(n)
    lo = np.searchsorted(ordered, logw - _SIMILAR, "left")
    hi = np.searchsorted(ordered, logw + _SIMILAR, "right")
    out[8] = (hi - lo - 1) / max(n - 1, 1)
    out[9] = np.log1p(n)
    out[10] = float(x[:, _COL["long"]].mean())
    out[11] = float(x[:, _COL["bullet"]].mean())
    out[12] = median
    return np.ascontiguousarray(out.T)


@dataclass(frozen=True, eq=False)
class PageModel(LineModel):
    """A line model that reads :func:`page_features` after the line features."""

    def predict(self, features: Array) -> Array:
        if len(features) and features.shape[1] == len(FEATURE_NAMES):
            features = np.hstack((features, page_features(features)))
        return super().predict(features)


# -- recipe 3: gradient-boosted trees (newsclean.extraction.model's numpy inference) ------

TREE_PARAMS = {"max_iter": 200, "learning_rate": 0.1, "max_leaf_nodes": 31, "min_samples_leaf": 200,
               "l2_regularization": 1.0}


@dataclass(frozen=True, eq=False)
class TreeModel(LineModel):
    """Boosted trees over the line features (``trees``: an ``extraction.model.Ensemble``)."""

    trees: Any = None

    def predict(self, features: Array) -> Array:
        if len(features) == 0:
            return np.zeros(0)
        raw = np.clip(self.trees.raw(features)[:, 0], -30.0, 30.0)
        return 1.0 / (1.0 + np.exp(-raw))


def tree_model(data: dict[str, Any]) -> TreeModel:
    from newsclean.extraction.model import Ensemble

    d = len(FEATURE_NAMES)
    return TreeModel(mean=np.zeros(d), scale=np.ones(d), hidden_weights=np.zeros((d, 1)), hidden_bias=np.zeros(1),
                     out_weights=np.zeros(1), out_bias=0.0, threshold=0.5, info={}, trees=Ensemble.from_json(data))


def fit_trees(x: Array, y: Array, w: Array, seed: int = 0) -> dict[str, Any]:
    """``HistGradientBoostingClassifier`` (scikit-learn, the bench extra) as ``extract_train.export``'s JSON."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from extract_train import export

    clf = HistGradientBoostingClassifier(random_state=seed, early_stopping=False, **TREE_PARAMS)
    clf.fit(x, y, sample_weight=w)
    return export(clf)


# -- recipe 2: scattered-body copies of the dumps ----------------------------------------

def scattered_body(dump: str, gold: str, rng: np.random.Generator) -> str:
    """The dump's body lines in chunks of 1-3 with runs of 2-6 of its other lines between
    them, and about half of the body lines of < 25 words bulleted (``   * ``): a news
    page made to look like a forum thread, a listing or a documentation page (many
    separate items between chrome, often bulleted). Labels still come from
    ``strip_train.label_lines``."""
    raw = [line for line in dump.split("\n") if line.strip()]
    if not raw:
        return dump
    labels = st.label_lines(tuple(line.strip() for line in raw), gold)
    body = [line for line, lab in zip(raw, labels, strict=True) if lab]
    other = [line for line, lab in zip(raw, labels, strict=True) if not lab]
    if len(body) < 2 or not other:
        return dump
    out: list[str] = []
    at = int(rng.integers(0, len(other)))
    i = 0
    while i < len(body):
        take = int(rng.integers(1, 4))
        for line in body[i:i + take]:
            bullet = len(line.split()) < 25 and rng.random() < 0.5
            out.append("   * " + line.strip() if bullet else line)
        i += take
        for _ in range(int(rng.integers(2, 7))):
            out.append(other[at % len(other)])
            at += 1
    return "\n".join(out)


def scattered_rows(rec: dict[str, Any], p: int) -> list[tuple[Array, Array, Array]]:
    """Rows of the :func:`scattered_body` copies of both dumps (each copy weighs 1)."""
    rng = np.random.default_rng(1_000_003 + p)
    rows = []
    for key in st.DUMPS:
        lines = parse_lines(scattered_body(rec[key], rec["text"], rng))
        if len(lines):
            words = np.asarray(lines.words, dtype=np.float64)
            rows.append((line_features(lines), st.label_lines(lines.content, rec["text"]),
                         words / max(words.sum(), 1.0)))
    return rows


def rows_of(name: str, any_key: bool) -> dict[str, np.ndarray]:
    """``strip_stack.set_rows``; with ``any_key`` the newest cached rows of the set even when
    the measuring code's hash changed (only exact speed changes since: same features)."""
    path = ss.ROWS / f"rows-{name}-{ss._code_key()}.npz"
    if not path.exists() and any_key:
        found = sorted(ss.ROWS.glob(f"rows-{name}-*.npz"), key=lambda p: p.stat().st_mtime)
        if found:
            with np.load(found[-1]) as data:
                return {k: data[k] for k in data.files}
    return ss.set_rows(name)


def with_page_features(rows: dict[str, np.ndarray]) -> np.ndarray:
    """The rows' line features with each page variant's :func:`page_features` appended."""
    bounds = ss.variant_bounds(rows)
    x = rows["x"]
    extra = np.vstack([page_features(x[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
    return np.hstack((x, extra))


def scattered(records: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Rows of ``strip_train.scattered_rows`` of every record, in ``set_rows``'s layout."""
    xs, ys, ws, page, var = [], [], [], [], []
    for p, rec in enumerate(records):
        for v, (x, y, w) in enumerate(scattered_rows(rec, p)):
            xs.append(x)
            ys.append(y)
            ws.append(w)
            page.append(np.full(len(y), p, dtype=np.int32))
            var.append(np.full(len(y), 8 + v, dtype=np.int8))
    return {"x": np.vstack(xs), "y": np.concatenate(ys), "w": np.concatenate(ws),
            "page": np.concatenate(page), "var": np.concatenate(var)}


def fit_recipe(rows: dict[str, np.ndarray], features: str, ensemble: int, seed: int = st.SEED) -> LineModel:
    x = with_page_features(rows) if features == "page" else rows["x"]
    w = rows["w"] / rows["w"].mean()
    model = st.train_ensemble(x, rows["y"], w, st.HIDDEN, st.EPOCHS, seed, st.L2, ensemble)
    return PageModel(**{f: getattr(model, f) for f in LINE_FIELDS}) if features == "page" else model


def model_for(name: str, features: str, ensemble: int, any_key: bool, augment: bool = False,
              records: list[dict[str, Any]] | None = None) -> LineModel:
    tag = hashlib.sha256(json.dumps([name, features, ensemble, PAGE_NAMES, st.HIDDEN, st.EPOCHS, st.L2, augment,
                                     TREE_PARAMS,
                                     Path(st.__file__).read_text()]).encode()).hexdigest()[:16]
    path = CACHE / f"only-{name}-{features}{'-aug' if augment else ''}-{tag}.json"
    names = (*FEATURE_NAMES, *PAGE_NAMES) if features == "page" else FEATURE_NAMES
    kind = PageModel if features == "page" else LineModel
    if features == "trees":
        if not path.exists():
            t0 = time.time()
            rows = rows_of(name, any_key)
            data = fit_trees(rows["x"], rows["y"], rows["w"] / rows["w"].mean())
            print(f"  trained {name} (trees) in {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
            CACHE.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data))
        return tree_model(json.loads(path.read_text()))
    if path.exists():
        return kind.from_json(json.loads(path.read_text()), names)
    t0 = time.time()
    rows = rows_of(name, any_key)
    if augment:
        extra = scattered([r for r in records or [] if r["_set"] == name])
        rows = {k: np.concatenate((rows[k], extra[k])) for k in rows}
    model = fit_recipe(rows, features, ensemble)
    print(f"  trained {name} ({features}, {ensemble} nets) in {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(names)))
    return model


def cross(model: LineModel, test: list[dict[str, Any]]) -> dict[tuple[float, int], float]:
    judged = sq._JudgedByText()
    out = {}
    for t in sq.THRESHOLDS:
        for g in sq.FILL_GAPS:
            config = StripConfig(model=model, threshold=t, fill_gap=g)
            out[(t, g)] = sum(sq.score_rows([strip_text(r[k], config=config, judged=judged).text for r in test],
                                            test)["f1"] for k in sq.DUMPS) / len(sq.DUMPS)
    return out


def shipped_cross(a: str, b: str) -> dict[tuple[float, int], float] | None:
    """``strip_quality.py``'s newest cached cross scores of the shipped recipe (None if none
    on this grid). They are keyed by the rule code: the newest may be of an older rule code
    (check that outputs did not change since, e.g. ``strip_speed.py --compare-outputs``)."""
    found = sorted((Path.home() / ".cache/newsclean-bench/strip").glob(f"cross-{a}-{b}-*.json"),
                   key=lambda p: p.stat().st_mtime)
    for path in reversed(found):
        got = {(float(t), int(g)): f for t, g, f in json.loads(path.read_text())}
        if set(got) == {(t, g) for t in sq.THRESHOLDS for g in sq.FILL_GAPS}:
            return got
    return None


# -- probes: rules and score adjustments on strip_quality.py's cached models ----------------

def cached_model(what: str) -> LineModel:
    """The newest ``strip_quality.py`` model ``what`` (``only-SET`` / ``lodo-SET``) in its cache."""
    found = sorted((Path.home() / ".cache/newsclean-bench/strip").glob(f"{what}-*.json"),
                   key=lambda p: p.stat().st_mtime)
    if not found:
        msg = f"no cached {what}: run strip_quality.py first"
        raise SystemExit(msg)
    return LineModel.from_json(json.loads(found[-1].read_text()))


@dataclass(frozen=True, eq=False)
class PriorShift(LineModel):
    """The line probabilities adapted to each page's own share of body words (label shift,
    Saerens et al. 2002: EM on the page's lines, the training prior ``prior``; ``alpha``
    scales the adaptation, 0 = none)."""

    prior: float = 0.5
    alpha: float = 0.0

    def score(self, features: Array) -> Array:
        p = self.predict(features)
        if len(p) == 0 or self.alpha == 0:
            return p
        w = np.expm1(features[:, _COL["logw"]]) + 1e-9
        pc = np.clip(p, 1e-9, 1 - 1e-9)
        pi, q = self.prior, pc
        for _ in range(20):
            a = (pi / self.prior) ** self.alpha
            b = ((1 - pi) / (1 - self.prior)) ** self.alpha
            q = a * pc / (a * pc + b * (1 - pc))
            pi = float(np.clip((q * w).sum() / w.sum(), 1e-4, 1 - 1e-4))
        return q


def label_prior(sets: list[str], any_key: bool) -> float:
    """Mean over ``sets`` of the weighted share of body lines in the training rows."""
    return float(np.mean([(r["y"] * r["w"]).sum() / r["w"].sum() for r in (rows_of(s, any_key) for s in sets)]))


LONG_SHARE = [0.0]
_KEEP_LONG = core._keep_long_lines


def _keep_long_lines_probe(lines: Any, kept: list[bool], flags: Array, share: float, prose: list[bool],
                           comments_from: int | None = None) -> None:
    """``core._keep_long_lines``, and also when the body holds < ``LONG_SHARE`` of the words
    in lines of >= 10 words (not only of the prose's)."""
    end = len(kept) if comments_from is None else comments_from
    long_words = sum(w for w in lines.words[:end] if w >= 10)
    body = sum(w for w, k in zip(lines.words, kept, strict=True) if k)
    if LONG_SHARE[0] > 0 and long_words and body < LONG_SHARE[0] * long_words:
        for i in range(end):
            if lines.words[i] >= 10 and not lines.binary[i] and not flags[i]:
                kept[i] = True
        return
    _KEEP_LONG(lines, kept, flags, share, prose, comments_from)


def probe(kind: str, values: list[float], direction: str, every: list[dict[str, Any]], any_key: bool) -> None:
    """Mean F1 (both dumps) on every second page of a test set, for each probe value."""
    what, test_set, t, g = direction.split(":")
    model = cached_model(what)
    test = [r for r in every if r["_set"] == test_set][::2]
    judged = sq._JudgedByText()
    if kind == "prior-shift":
        kind_sets = [what[5:]] if what.startswith("only-") else [s for s in DEV_SETS if s != what[5:]]
        prior = label_prior(kind_sets, any_key)
        fields = {f: getattr(model, f) for f in LINE_FIELDS}
    for v in values:
        m = model
        if kind == "prior-shift":
            m = PriorShift(**fields, prior=prior, alpha=v)
            judged = sq._JudgedByText()
        else:
            LONG_SHARE[0] = v
            core._keep_long_lines = _keep_long_lines_probe
        config = StripConfig(model=m, threshold=float(t), fill_gap=int(g))
        f = [sq.score_rows([strip_text(r[k], config=config, judged=judged).text for r in test], test)["f1"]
             for k in sq.DUMPS]
        core._keep_long_lines = _KEEP_LONG
        print(f"{what} -> {test_set} (every 2nd page) {t}/{g} {kind} {v}: F1 {f[0]:.4f} / {f[1]:.4f}, "
              f"mean {(f[0] + f[1]) / 2:.4f}", flush=True)


def label_rates(any_key: bool) -> None:
    """Share of the words labelled body, by kind of dump line, in each set's two dumps."""
    kinds = {
        "bulleted": lambda x, w: x[:, _COL["bullet"]] > 0,
        "bulleted, >= 10 words": lambda x, w: (x[:, _COL["bullet"]] > 0) & (w >= 10),
        "not bulleted, <= 4 words": lambda x, w: (x[:, _COL["bullet"]] == 0) & (w <= 4),
        "not bulleted, 5-9 words": lambda x, w: (x[:, _COL["bullet"]] == 0) & (w >= 5) & (w < 10),
        "not bulleted, >= 10 words": lambda x, w: (x[:, _COL["bullet"]] == 0) & (w >= 10),
    }
    print("| dump lines | " + " | ".join(DEV_SETS) + " |")
    table = {k: [] for k in kinds}
    for name in DEV_SETS:
        rows = rows_of(name, any_key)
        dump = rows["var"] < len(st.DUMPS)  # the dumps themselves (page_rows' first variants)
        x, y = rows["x"], rows["y"]
        words = np.rint(np.expm1(x[:, _COL["logw"]]))
        for k, select in kinds.items():
            m = select(x, words) & dump
            table[k].append(f"{(y[m] * words[m]).sum() / max(words[m].sum(), 1):.3f} ({int(m.sum()):,})")
    for k, cells in table.items():
        print(f"| {k} | " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--features", choices=("base", "page", "trees"), default="page",
                    help="the line model: the shipped network (base), + page-relative columns, boosted trees")
    ap.add_argument("--ensemble", type=int, default=st.ENSEMBLE)
    ap.add_argument("--every", type=int, default=2, help="score every N-th page of the other set")
    ap.add_argument("--rows-any", action="store_true", help="reuse the newest cached rows (see rows_of)")
    ap.add_argument("--augment", action="store_true", help="with strip_train.scattered_rows")
    ap.add_argument("--train", nargs="+", default=list(DEV_SETS))
    ap.add_argument("--test", nargs="+", default=list(DEV_SETS))
    ap.add_argument("--probe", choices=("long-share", "prior-shift"),
                    help="instead: a rule / score probe on strip_quality.py's cached models (see --direction)")
    ap.add_argument("--values", nargs="+", type=float, default=[0.0, 0.25, 0.5],
                    help="the probe's values (long-share: share; prior-shift: alpha)")
    ap.add_argument("--direction", nargs="+", default=[],
                    help="MODEL:TESTSET:THRESHOLD:FILL_GAP, e.g. only-dragnet:scrapinghub_aeb:0.5:10")
    ap.add_argument("--label-rates", action="store_true",
                    help="instead: the share of body words by kind of dump line in each set's labels")
    a = ap.parse_args()
    if a.label_rates:
        label_rates(a.rows_any)
        return
    every = st.load_sets(DEV_SETS)
    if a.probe:
        for direction in a.direction:
            probe(a.probe, a.values, direction, every, a.rows_any)
        return
    for train in a.train:
        model = model_for(train, a.features, a.ensemble, a.rows_any, a.augment, every)
        for test_set in a.test:
            if test_set == train:
                continue
            test = [r for r in every if r["_set"] == test_set][::a.every]
            t0 = time.time()
            got = cross(model, test)
            base = shipped_cross(train, test_set) if a.every == 2 else None
            best = max(got, key=lambda k: got[k])
            line = f"{train} -> {test_set}: {a.features} best {got[best]:.4f} at {best}"
            if base:
                bb = max(base, key=lambda k: base[k])
                line += f"; shipped recipe best {base[bb]:.4f} at {bb}"
            print(line + f"  ({time.time() - t0:.0f} s)", flush=True)
            print("   " + ", ".join(f"{t}/{g}: {f:.4f}" + (f" ({base[(t, g)]:.4f})" if base else "")
                                    for (t, g), f in got.items()), flush=True)


if __name__ == "__main__":
    main()
