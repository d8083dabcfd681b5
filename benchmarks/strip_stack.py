"""The second pass of ``newsclean.strip`` (stacking): train it and choose its settings out of sample.

The first pass (``data/strip/model.json``'s network) scores each line from its own and
its neighbours' measurements. The second pass is a network of the same form over each
line's first-pass probability among its neighbours' probabilities
(``newsclean.stripping.features.context_features``: windowed means and maxima, distance
to the nearest kept line, the main run of kept lines and its share of the page's words,
the page's share kept, position). It must learn from first-pass probabilities of pages
the first pass was not trained on, or it learns the in-sample scores (too confident):
here the folds are the DEV sets, so each training set's probabilities come from the
first-pass model trained on the other training set(s) (``strip_quality.py``'s cached
``only-SET`` and ``lodo-SET`` models, ``strip_train.py``'s recipe):

- LODO with S held out (train sets A, B): the second pass is trained on A's lines scored
  by the model trained on B alone and on B's scored by the model trained on A alone; it
  runs on S after the LODO first pass (trained on A + B). Its threshold and
  ``fill_gap`` are chosen on A and B alone: the second pass trained on A (A scored by
  only-B) runs after only-A on every second page of B, and the other way round (the
  same protocol as ``strip_quality.py``'s first-pass settings, which these rows are
  compared with).
- all three sets (what would ship on a model trained on all three): each set scored by
  the model trained on the other two.

Line rows (``strip_train.page_rows``: both dumps, their short-body copies and the clean
gold, with the recipe's weights) are cached under ``--cache``/rows-SET.npz.

    python benchmarks/strip_stack.py --lines          # line-level log loss, first vs second pass
    python benchmarks/strip_stack.py --cross          # page F1 of the cross directions (settings grid)
    python benchmarks/strip_stack.py --lodo           # LODO F1 on the held-out sets
    python benchmarks/strip_stack.py --cross --columns p-only   # the second pass on probabilities only
    python benchmarks/strip_stack.py --site-folds     # (b): LODO settings chosen by pooled site folds
    python benchmarks/strip_stack.py --speed          # strip's CPU time with / without the second pass
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import strip_quality as sq  # noqa: E402
import strip_train as st  # noqa: E402
from newsclean.stripping.core import StripConfig, strip_text  # noqa: E402
from newsclean.stripping.features import CONTEXT_NAMES, FEATURE_NAMES, context_features  # noqa: E402
from newsclean.stripping.model import LineModel  # noqa: E402

DEV_SETS = st.DEV_SETS
HIDDEN = 16
EPOCHS = 6
SEED = 29
MEMBERS = 1
STACK_RECIPE = 1  # bump when fit_stack's recipe changes (the cached second passes are keyed by it)
CACHE = Path.home() / ".cache/newsclean-bench/strip"
ROWS = Path.home() / ".cache/newsclean-bench/strip-stack"
#: ``--columns``: all context columns, or only those computed from the probabilities
#: (a smoother of the first pass's output that cannot relearn the lines themselves).
COLUMNS = {"all": CONTEXT_NAMES, "p-only": CONTEXT_NAMES[:CONTEXT_NAMES.index("chrome")]}
USE = ["all"]


def set_rows(name: str) -> dict[str, np.ndarray]:
    """x, y, w, page, var of every line row of set ``name`` (``strip_train.page_rows``), cached."""
    path = ROWS / f"rows-{name}-{_code_key()}.npz"
    if not path.exists():
        recs = st.load_sets([name])
        xs, ys, ws, page, var = [], [], [], [], []
        for p, rec in enumerate(recs):
            for v, (x, y, w) in enumerate(st.page_rows(rec, p)):
                xs.append(x)
                ys.append(y)
                ws.append(w)
                page.append(np.full(len(y), p, dtype=np.int32))
                var.append(np.full(len(y), v, dtype=np.int8))
        st._ROWS.clear()
        ROWS.mkdir(parents=True, exist_ok=True)
        np.savez(path, x=np.vstack(xs), y=np.concatenate(ys), w=np.concatenate(ws),
                 page=np.concatenate(page), var=np.concatenate(var))
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


def _code_key() -> str:
    import newsclean

    src = Path(newsclean.__file__).resolve().parent / "stripping"
    parts = [Path(st.__file__).read_bytes()] + [(src / f).read_bytes() for f in ("lines.py", "measure.py", "kernels.py")]
    parts.append(json.dumps(FEATURE_NAMES).encode())
    return hashlib.sha256(b"".join(parts)).hexdigest()[:12]


def variant_bounds(rows: dict[str, np.ndarray]) -> np.ndarray:
    """Start offsets of each page variant's rows, plus the end."""
    key = rows["page"].astype(np.int64) * 16 + rows["var"]
    change = np.flatnonzero(np.diff(key)) + 1
    return np.concatenate(([0], change, [len(key)]))


def first_model(what: str, every: list[dict[str, Any]]) -> LineModel:
    """The cached first-pass model ``only-SET`` or ``lodo-SET`` of ``strip_quality.py``."""
    kind, name = what.split("-", 1)
    train = [r for r in every if (r["_set"] == name) == (kind == "only")]
    return sq.trained_model(train, what, CACHE)


def stack_rows(rows: dict[str, np.ndarray], model: LineModel) -> np.ndarray:
    """Context rows of every page variant, from ``model``'s first-pass probabilities."""
    p = model.predict(rows["x"])
    bounds = variant_bounds(rows)
    return np.vstack([context_features(rows["x"][a:b], p[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)])


_STACK_ROWS: dict[tuple[str, str], np.ndarray] = {}


def cached_stack_rows(name: str, what: str, every: list[dict[str, Any]]) -> np.ndarray:
    key = (name, what)
    if key not in _STACK_ROWS:
        _STACK_ROWS[key] = stack_rows(set_rows(name), first_model(what, every))
    return _STACK_ROWS[key]


def fit_stack(parts: list[tuple[str, str]], every: list[dict[str, Any]], hidden: int = HIDDEN,
              epochs: int = EPOCHS, seed: int = SEED) -> LineModel:
    """The second pass trained on ``parts``: (set, first-pass model that scored it); each set the same weight."""
    tag = hashlib.sha256(json.dumps([parts, hidden, epochs, seed, MEMBERS, CONTEXT_NAMES, _code_key(),
                                     USE[0], STACK_RECIPE]).encode()).hexdigest()[:16]
    path = CACHE / f"stack-{tag}.json"
    if path.exists():
        return LineModel.from_json(json.loads(path.read_text()), CONTEXT_NAMES)
    xs, ys, ws = [], [], []
    for name, what in parts:
        rows = set_rows(name)
        xs.append(cached_stack_rows(name, what, every))
        ys.append(rows["y"])
        ws.append(rows["w"] / rows["w"].sum())
    w = np.concatenate(ws)
    print(f"  training the second pass on {parts} ({len(w)} lines) ...", file=sys.stderr, flush=True)
    cols = np.array([CONTEXT_NAMES.index(c) for c in COLUMNS[USE[0]]])
    part = st.train_ensemble(np.vstack(xs)[:, cols], np.concatenate(ys), w / w.mean(), hidden, epochs, seed,
                             st.L2, MEMBERS)
    # the columns left out: weight 0 (mean 0, scale 1), so the model takes every context row
    d = len(CONTEXT_NAMES)
    mean, scale, weights = np.zeros(d), np.ones(d), np.zeros((d, part.hidden_weights.shape[1]))
    mean[cols], scale[cols], weights[cols] = part.mean, part.scale, part.hidden_weights
    model = replace(part, mean=mean, scale=scale, hidden_weights=weights)
    model = replace(model, info={"trained_on": parts, "hidden": hidden, "epochs": epochs, "columns": USE[0]})
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(CONTEXT_NAMES)))
    return model


def log_loss(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(w * (y * np.log(p) + (1 - y) * np.log(1 - p))).sum() / w.sum())


def lines_report(every: list[dict[str, Any]]) -> None:
    """Weighted log loss and accuracy at 0.5 on each cross direction, first pass vs with the second."""
    for a in DEV_SETS:
        for b in DEV_SETS:
            if a == b:
                continue
            third = next(s for s in DEV_SETS if s not in (a, b))
            del third
            stack = fit_stack([(a, f"only-{b}")], every)
            rows = set_rows(b)
            first = first_model(f"only-{a}", every).predict(rows["x"])
            second = stack.predict(cached_stack_rows(b, f"only-{a}", every))
            y, w = rows["y"], rows["w"]
            acc1 = float((w * ((first >= 0.5) == y)).sum() / w.sum())
            acc2 = float((w * ((second >= 0.5) == y)).sum() / w.sum())
            print(f"{a} -> {b}: log loss {log_loss(first, y, w):.4f} -> {log_loss(second, y, w):.4f}, "
                  f"accuracy {acc1:.4f} -> {acc2:.4f}", flush=True)


def page_f1(model: LineModel, test: list[dict[str, Any]], settings: list[tuple[float, int]]) -> dict[tuple[float, int], float]:
    """Mean F1 of both dumps by (threshold, fill_gap) of strip with ``model`` on ``test``."""
    judged = sq._JudgedByText()
    out = {}
    for t, g in settings:
        config = StripConfig(model=model, threshold=t, fill_gap=g)
        out[(t, g)] = sum(sq.score_rows([strip_text(r[k], config=config, judged=judged).text for r in test],
                                        test)["f1"] for k in st.DUMPS) / len(st.DUMPS)
    return out


def cross_stack_f1(every: list[dict[str, Any]], a: str, b: str, step: int = 2) -> dict[tuple[float, int], float]:
    """Direction a -> b with the second pass: only-a, then the second pass trained on a
    (scored by only-b), on every ``step``-th page of b; cached."""
    stack = fit_stack([(a, f"only-{b}")], every)
    grid = [(t, g) for t in sq.THRESHOLDS for g in sq.FILL_GAPS]
    tag = hashlib.sha256(json.dumps([grid, step, stack.to_json(CONTEXT_NAMES), sq._rules_key()]).encode()).hexdigest()[:12]
    path = CACHE / f"stackcross-{a}-{b}-{tag}.json"
    if path.exists():
        return {(float(t), int(g)): f for t, g, f in json.loads(path.read_text())}
    model = replace(first_model(f"only-{a}", every), context=stack)
    out = page_f1(model, [r for r in every if r["_set"] == b][::step], grid)
    path.write_text(json.dumps([[t, g, f] for (t, g), f in out.items()]))
    return out


def choose(runs: list[dict[tuple[float, int], float]]) -> tuple[float, int]:
    mean = {tg: sum(r[tg] for r in runs) / len(runs) for tg in runs[0]}
    best = max(mean.values())
    return min(tg for tg, f in mean.items() if f >= best - 1e-9)


def stack_setting(every: list[dict[str, Any]], train_sets: list[str]) -> tuple[float, int]:
    return choose([cross_stack_f1(every, a, b) for a in train_sets for b in train_sets if a != b])


def lodo_model(every: list[dict[str, Any]], held: str) -> tuple[LineModel, tuple[float, int]]:
    """The LODO first pass for ``held`` with its second pass, and the setting chosen without ``held``."""
    a, b = (s for s in DEV_SETS if s != held)
    stack = fit_stack([(a, f"only-{b}"), (b, f"only-{a}")], every)
    return replace(first_model(f"lodo-{held}", every), context=stack), stack_setting(every, [a, b])


SITE_FOLDS = 3


def site_fold_f1(every: list[dict[str, Any]], train_sets: list[str], step: int = 2) -> dict[tuple[float, int], float]:
    """(b) the settings grid scored by site folds over ``train_sets`` pooled: ``SITE_FOLDS``
    first-pass models (the recipe, one network each, sets balanced) trained without a
    fold's sites, each scored on every ``step``-th page of its fold; mean F1 of the sets
    (each set's pages pooled over the folds) and both dumps; cached."""
    grid = [(t, g) for t in sq.THRESHOLDS for g in sq.FILL_GAPS]
    tag = hashlib.sha256(json.dumps([train_sets, grid, step, SITE_FOLDS, _code_key(), sq._rules_key(),
                                     st.HIDDEN, st.EPOCHS, st.SEED, st.L2]).encode()).hexdigest()[:12]
    path = CACHE / f"sitefolds-{'+'.join(train_sets)}-{tag}.json"
    if path.exists():
        return {(float(t), int(g)): f for t, g, f in json.loads(path.read_text())}
    import zlib

    recs = {name: [r for r in every if r["_set"] == name] for name in train_sets}
    fold = {name: np.array([zlib.crc32(r["_site"].encode()) % SITE_FOLDS for r in rs]) for name, rs in recs.items()}
    outs: dict[str, dict[tuple[float, int], dict[str, list[str]]]] = {
        name: {tg: {k: [""] * len(rs) for k in st.DUMPS} for tg in grid} for name, rs in recs.items()}
    for f in range(SITE_FOLDS):
        xs, ys, ws = [], [], []
        for name in train_sets:
            rows = set_rows(name)
            mask = fold[name][rows["page"]] != f
            xs.append(rows["x"][mask])
            ys.append(rows["y"][mask])
            ws.append(rows["w"][mask] / rows["w"][mask].sum())
        w = np.concatenate(ws)
        print(f"  site fold {f} of {train_sets}: training on {len(w)} lines ...", file=sys.stderr, flush=True)
        model = st.train(np.vstack(xs), np.concatenate(ys), w / w.mean(), st.HIDDEN, st.EPOCHS, st.SEED, st.L2)
        del xs
        for name in train_sets:
            picked = [i for i in np.flatnonzero(fold[name] == f).tolist()][::step]
            judged = sq._JudgedByText()
            for t, g in grid:
                config = StripConfig(model=model, threshold=t, fill_gap=g)
                for k in st.DUMPS:
                    for i in picked:
                        outs[name][(t, g)][k][i] = strip_text(recs[name][i][k], config=config, judged=judged).text
    out = {}
    for tg in grid:
        cells = []
        for name, rs in recs.items():
            scored = [i for f in range(SITE_FOLDS) for i in np.flatnonzero(fold[name] == f).tolist()[::step]]
            for k in st.DUMPS:
                cells.append(sq.score_rows([outs[name][tg][k][i] for i in scored], [rs[i] for i in scored])["f1"])
        out[tg] = sum(cells) / len(cells)
    path.write_text(json.dumps([[t, g, f] for (t, g), f in out.items()]))
    return out


def speed(every: list[dict[str, Any]], per_set: int = 40, repeat: int = 3) -> None:
    """CPU time of strip with the LODO first pass alone and with its second pass (the first
    ``per_set`` pages of each set, both dumps; best of ``repeat``, the two alternating)."""
    import time

    a, b = DEV_SETS[1], DEV_SETS[2]
    first = first_model(f"lodo-{DEV_SETS[0]}", every)
    configs = {"first pass only": StripConfig(model=first),
               "with the second pass": StripConfig(model=replace(first, context=fit_stack(
                   [(a, f"only-{b}"), (b, f"only-{a}")], every)))}
    dumps = [r[k] for s in DEV_SETS for r in [r for r in every if r["_set"] == s][:per_set] for k in st.DUMPS]
    best = dict.fromkeys(configs, float("inf"))
    for _ in range(repeat):
        for name, config in configs.items():
            start = time.process_time()
            for dump in dumps:
                strip_text(dump, config=config)
            best[name] = min(best[name], time.process_time() - start)
    base = best["first pass only"]
    for name, t in best.items():
        print(f"{name}: {len(dumps) / t:.0f} pages/s ({t / base:.2f}x the time of the first pass only)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", action="store_true")
    ap.add_argument("--cross", action="store_true")
    ap.add_argument("--lodo", action="store_true")
    ap.add_argument("--site-folds", action="store_true",
                    help="(b): the LODO first pass's settings chosen by site folds over the two training sets pooled")
    ap.add_argument("--speed", action="store_true", help="strip's CPU time with and without the second pass")
    ap.add_argument("--columns", choices=sorted(COLUMNS), default="all")
    a = ap.parse_args()
    USE[0] = a.columns
    every = st.load_sets(DEV_SETS)
    if a.lines:
        lines_report(every)
    if a.cross:
        for x in DEV_SETS:
            for y in DEV_SETS:
                if x != y:
                    base = sq.cross_f1(every, x, y, CACHE)
                    new = cross_stack_f1(every, x, y)
                    bt, nt = choose([base]), choose([new])
                    print(f"{x} -> {y}: first pass best {bt}: {base[bt]:.4f}; with the second pass best {nt}: "
                          f"{new[nt]:.4f}", flush=True)
    if a.speed:
        speed(every)
    if a.site_folds:
        for held in DEV_SETS:
            train_sets = [s for s in DEV_SETS if s != held]
            f1 = site_fold_f1(every, train_sets)
            t, g = choose([f1])
            cross = sq.choose_setting(every, train_sets, CACHE)
            print(f"{held} held out: site folds choose {t} / {g} (mean F1 {f1[(t, g)]:.4f}); the cross-set "
                  f"protocol {cross[0]} / {cross[1]} (site folds there: {f1[cross]:.4f})", flush=True)
            recs = [r for r in every if r["_set"] == held]
            config = StripConfig(model=first_model(f"lodo-{held}", every), threshold=t, fill_gap=g)
            cells = [sq.score_rows([strip_text(r[k], config=config).text for r in recs], recs) for k in st.DUMPS]
            print(f"  LODO first pass on {held} at {t} / {g}: "
                  + " / ".join(f"P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f}" for c in cells),
                  flush=True)
    if a.lodo:
        for held in DEV_SETS:
            model, (t, g) = lodo_model(every, held)
            recs = [r for r in every if r["_set"] == held]
            config = StripConfig(model=model, threshold=t, fill_gap=g)
            cells = [sq.score_rows([strip_text(r[k], config=config).text for r in recs], recs) for k in st.DUMPS]
            print(f"{held} held out, threshold {t}, fill_gap {g}: "
                  + " / ".join(f"P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
