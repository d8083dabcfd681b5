"""Speed of ``newsclean.strip`` on the DEV dumps, beside baselines, and bad-input timings.

Prints pages per second on one core (one process pinned to one CPU, BLAS threads off,
CPU time of the process, so that other processes on a shared machine count less) for
keep-long-lines, jusText and boilerpy3 on the lines, ``newsclean.strip`` and
``newsclean.strip_many``, with each system's time relative to ``strip`` (read the
ratios; the repeats go round the systems, so load that comes and goes falls on all), over pages of the three DEV sets (``--per-set`` pages of each, both dump
styles). It also checks that the page-at-once line measurement (the fast path) gives
exactly the line-by-line reference's measurements on every dump (``--no-check`` skips
it). Then it times the bad inputs the library promises to survive in bounded time:
empty text, one 10 MB line without newlines, 1 MB of binary garbage, a dump that is
all menu.

``--old-src DIR`` also times the ``strip`` of another copy of the package
(``DIR/newsclean``, e.g. ``git archive 06baad5 src | tar -x -C /tmp/old``), imported under
another name, in the same run.

``--cold-jit`` times, in fresh processes, ``import newsclean`` and the first ``strip`` with
an empty numba cache (``NUMBA_CACHE_DIR`` a new directory: every kernel is compiled) and
then with that cache filled (the kernels are loaded), and a second ``strip``; no timings.

``--alternate`` (with ``--old-src``) times only ``strip`` and the older copy's, alternating on
chunks of 20 pages, best of 5 per chunk (a change of load falls on both within seconds:
the steadiest comparison on a shared machine), then ``strip_many`` (the URL hosts as
sites, one call a chunk of 100 pages) and the older copy's the same way; no other timing.

``--loop SECONDS`` only strips the pages (both dump styles) over and over for that long,
for a sampling profiler to watch; no timings.

``--floor`` times, per page, only the compiled and C parts of one pass of ``strip`` (the
line-bounds, line-count and stopword kernels with the lowercasing they read, the feature
kernels, the model's matrix products, fastText on the article) beside the whole ``strip``:
their sum bounds what any rewrite of the Python around them can reach.

``--save-outputs F`` writes a fingerprint (SHA-256) of every output of ``strip``,
``strip(explain=True)`` (the decisions too) and ``strip_many`` (URL host as the site) on
every page of the three DEV sets, both dump styles; ``--compare-outputs F`` compares the
current code's with such a file and prints how many differ (0 expected after a change
that is only for speed). Both skip the timings.

    python benchmarks/strip_speed.py [--quick] [--repeat N] [--per-set N]
    python benchmarks/strip_speed.py --old-src /tmp/old/src   # + an older strip in the same run
    python benchmarks/strip_speed.py --old-src /tmp/old/src --alternate   # the two strips, chunk by chunk
    python benchmarks/strip_speed.py --blas-default           # BLAS threads as callers get them
    python benchmarks/strip_speed.py --cold-jit                # compile time of the kernels
    python benchmarks/strip_speed.py --floor --per-set 100     # the compiled / C floor of a page
    py-spy record -f raw -o prof.txt -- python benchmarks/strip_speed.py --loop 40 --per-set 60
    python benchmarks/strip_speed.py --save-outputs /tmp/before.json   # then change the code
    python benchmarks/strip_speed.py --compare-outputs /tmp/before.json
"""

from __future__ import annotations

import os
import sys

# One core, as the target says: numpy's BLAS must not start threads (under load a
# threaded matrix product waits for a second core), and the process stays on core 0.
# --blas-default leaves both as a caller gets them (BLAS threads, every core; CPU time
# of all threads), to see what strip costs there.
BLAS_DEFAULT = "--blas-default" in sys.argv
if not BLAS_DEFAULT:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _extraction_io import read_jsonl  # noqa: E402

import newsclean  # noqa: E402
from newsclean.stripping.lines import _LINK_NUMBER_RE, _measure, _measure_all, split_raw_lines  # noqa: E402
from strip_quality import DEV_SETS, host_of, keep_long_lines, make_boilerpy3, make_justext  # noqa: E402


def pages_per_second(systems: list[tuple[str, Callable[[list[str]], object]]], dumps: list[str],
                     repeat: int) -> list[tuple[str, float]]:
    """Each system's best of ``repeat`` runs over all dumps, in pages per second.

    The runs go round the systems (one run of each, ``repeat`` times), so that a change
    of load on a shared machine falls on every system alike rather than on the ones
    timed while it lasted.
    """
    best = dict.fromkeys((name for name, _ in systems), float("inf"))
    for _, func in systems:
        func(dumps[:5])  # compiled kernels loaded, caches warm, before any timing
    for _ in range(repeat):
        for name, func in systems:
            t0 = time.process_time()
            func(dumps)
            best[name] = min(best[name], time.process_time() - t0)
    return [(name, len(dumps) / best[name]) for name, _ in systems]


Pages = list[tuple[str, str]]  # (dump, site)


def alternate(new: Callable[[Pages], object], old: Callable[[Pages], object], dumps: Pages,
              chunk: int = 20, repeat: int = 5) -> tuple[float, float]:
    """Pages per second of ``new`` and ``old`` (each strips a list of pages): each chunk of
    pages timed by both in turn, best of ``repeat``."""
    new(dumps[:5])
    old(dumps[:5])
    total_new = total_old = 0.0
    for start in range(0, len(dumps), chunk):
        part = dumps[start:start + chunk]
        best_new = best_old = float("inf")
        for _ in range(repeat):
            t0 = time.process_time()
            old(part)
            best_old = min(best_old, time.process_time() - t0)
            t0 = time.process_time()
            new(part)
            best_new = min(best_new, time.process_time() - t0)
        total_new += best_new
        total_old += best_old
    return len(dumps) / total_new, len(dumps) / total_old


def check_fast_path(dumps: list[str]) -> int:
    """Lines whose page-at-once measurement differs from the line-by-line one (0 expected)."""
    bad = 0
    for dump in dumps:
        contents = [_LINK_NUMBER_RE.sub("", line.strip()) for line in split_raw_lines(dump) if line.strip()]
        fast = list(zip(*_measure_all(contents), strict=True))
        bad += sum(row != _measure(c) for row, c in zip(fast, contents, strict=True))
    return bad


def _fingerprint(art: newsclean.Article) -> str:
    decisions = [(d.line_no, d.text, d.kept, d.reason, d.score) for d in art.decisions]
    key = (art.status, art.text, art.paragraphs, art.title, art.reason, decisions)
    return hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()


def dev_outputs() -> dict[str, list[str]]:
    """Fingerprints of strip / strip(explain=True) / strip_many outputs on all DEV pages."""
    out: dict[str, list[str]] = {}
    for name in DEV_SETS:
        records = list(read_jsonl(str(SHARED / "data/extraction" / f"{name}.jsonl.gz")))
        hosts = [host_of(r.get("url") or "") for r in records]
        for key in ("dump_inscriptis", "dump_lynx"):
            dumps = [r.get(key) or "" for r in records]
            out[f"{name} {key} strip"] = [_fingerprint(newsclean.strip(d)) for d in dumps]
            out[f"{name} {key} explain"] = [_fingerprint(newsclean.strip(d, explain=True)) for d in dumps]
            out[f"{name} {key} strip_many"] = [
                _fingerprint(a) for a in newsclean.strip_many(dumps, sites=hosts, explain=True)]
    return out


def compare_outputs(path: str) -> None:
    saved = json.loads(Path(path).read_text(encoding="utf-8"))
    now = dev_outputs()
    total = sum(len(v) for v in now.values())
    differ = {k: [i for i, (a, b) in enumerate(zip(saved[k], v, strict=True)) if a != b] for k, v in now.items()}
    print(f"outputs differing from {path}: {sum(map(len, differ.values()))} of {total}")
    for k, bad in differ.items():
        if bad:
            print(f"  {k}: pages {bad[:10]}")


def _many(package: Any, pages: Pages) -> list[Any]:
    """``package.strip_many`` of the pages, their sites given."""
    return list(package.strip_many([d for d, _ in pages], sites=[site for _, site in pages]))


def load_old(src: str) -> Any:
    """The package in ``src/newsclean``, imported as ``newsclean_old``."""
    import importlib.util

    init = Path(src) / "newsclean" / "__init__.py"
    spec = importlib.util.spec_from_file_location("newsclean_old", init, submodule_search_locations=[str(init.parent)])
    if spec is None or spec.loader is None:
        msg = f"no package at {init}"
        raise SystemExit(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules["newsclean_old"] = module
    spec.loader.exec_module(module)
    return module


_FIRST_STRIP = """
import time
t0 = time.perf_counter()
import newsclean
t1 = time.perf_counter()
dump = "  • Home\\n  • World\\nBudget approved\\n\\n" + "The parliament approved the new budget on Tuesday. " * 3
newsclean.strip(dump)
t2 = time.perf_counter()
newsclean.strip(dump)
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def cold_jit() -> None:
    """Import and first-``strip`` times with an empty numba cache, then with it filled."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="numba-cold-") as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for label in ("empty cache (compile)", "filled cache (load)"):
            out = subprocess.run([sys.executable, "-c", _FIRST_STRIP], env=env, check=True,
                                 capture_output=True, text=True).stdout.split()
            imp, first, second = map(float, out)
            print(f"{label:<24} import newsclean {imp:6.2f} s   first strip {first:6.2f} s   "
                  f"second strip {second * 1000:6.2f} ms")


def compiled_floor(dumps: list[str], repeat: int) -> None:
    """CPU time a page of ``dumps`` spends in strip's compiled / C parts (one pass), beside all of ``strip``."""
    from newsclean.language import article_language
    from newsclean.stripping import features, measure
    from newsclean.stripping.lines import parse_lines
    from newsclean.stripping.model import default_model

    model = default_model()
    kernels = measure._kernels()
    pages = []
    for dump in (d for d in dumps if d.strip()):
        lines = parse_lines(dump)
        page = "\n".join(lines.content) + "\n"
        pages.append((dump, dump.count("\n") + 1, page, page.lower(), len(lines), lines,
                      features.line_features(lines), newsclean.strip(dump).text))

    def compiled_passes(p: tuple[Any, ...]) -> None:
        dump, n_raw, page, _, n, _, _, _ = p
        codes = measure._codes(dump + "\n")
        kernels.line_bounds(codes, *measure._classes(codes), n_raw, measure.BULLET)
        codes = measure._codes(page)
        kernels.line_counts(codes, *measure._classes(codes), n)
        lowered, low_codes = measure._lower(page, codes)
        measure._word_kinds(lowered, n, low_codes)

    parts: list[tuple[str, Callable[[tuple[Any, ...]], object]]] = [
        ("kernels: bounds, counts, lower, stopwords", compiled_passes),
        ("line_features (kernels + numpy)", lambda p: features.line_features(p[5])),
        ("model's matrix products (one BLAS thread)", lambda p: model.predict(p[6])),
        ("language of the article (fastText)", lambda p: article_language(p[7])),
        ("all of strip", lambda p: newsclean.strip(p[0])),
    ]
    best = dict.fromkeys((name for name, _ in parts), float("inf"))
    for _ in range(repeat):  # round the parts, as pages_per_second does
        for name, func in parts:
            t0 = time.process_time()
            for p in pages:
                func(p)
            best[name] = min(best[name], time.process_time() - t0)
    whole = best.pop("all of strip")
    floor = sum(best.values())
    print(f"{len(pages)} pages, CPU time per page, best of {repeat}, one core")
    for name, seconds in best.items():
        print(f"  {name:<44} {seconds / len(pages) * 1e6:7.0f} us")
    print(f"  {'sum: the compiled / C floor of one pass':<44} {floor / len(pages) * 1e6:7.0f} us "
          f"= at most {len(pages) / floor:,.0f} pages/s")
    print(f"  {'all of strip':<44} {whole / len(pages) * 1e6:7.0f} us = {len(pages) / whole:,.0f} pages/s "
          f"(the floor is {floor / whole:.0%} of it)")


def bad_inputs() -> list[tuple[str, str]]:
    rng = random.Random(0)
    sentence = "The committee published its long report on the state of the river today. "
    menu = "\n".join(f"  • {w}" for w in ["Home", "News", "World", "Politics", "Sport"] * 200)
    return [
        ("empty", ""),
        ("10 MB single line", (sentence * (10_000_000 // len(sentence) + 1))[:10_000_000]),
        ("1 MB binary garbage", bytes(rng.randrange(256) for _ in range(1_000_000)).decode("latin-1")),
        ("all-menu dump (1000 lines)", menu),
    ]


def main() -> None:
    if hasattr(os, "sched_setaffinity") and not BLAS_DEFAULT:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-set", type=int, default=200, help="pages of each DEV set (first N)")
    ap.add_argument("--quick", action="store_true", help="20 pages a set, one repeat, no 10 MB input")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-check", action="store_true", help="skip the fast-path check")
    ap.add_argument("--blas-default", action="store_true",
                    help="numpy's default BLAS threads and no pinning (CPU time of all threads)")
    ap.add_argument("--old-src", metavar="DIR", help="also time DIR/newsclean's strip (an older copy)")
    ap.add_argument("--alternate", action="store_true",
                    help="with --old-src: only strip and the old copy, alternating on chunks of 20 pages")
    ap.add_argument("--loop", type=float, metavar="SECONDS", help="strip the pages for SECONDS (to profile)")
    ap.add_argument("--cold-jit", action="store_true", help="time the kernels' compile (empty numba cache), no timing")
    ap.add_argument("--floor", action="store_true", help="time strip's compiled / C parts alone, no other timing")
    ap.add_argument("--save-outputs", metavar="FILE", help="write output fingerprints of all DEV pages, no timing")
    ap.add_argument("--compare-outputs", metavar="FILE", help="compare output fingerprints with FILE, no timing")
    a = ap.parse_args()
    if a.cold_jit:
        cold_jit()
        return
    if a.save_outputs:
        Path(a.save_outputs).write_text(json.dumps(dev_outputs()), encoding="utf-8")
        return
    if a.compare_outputs:
        compare_outputs(a.compare_outputs)
        return
    per_set = 20 if a.quick else a.per_set
    records = []
    for name in DEV_SETS:
        for k, rec in enumerate(read_jsonl(str(SHARED / "data/extraction" / f"{name}.jsonl.gz"))):
            if k >= per_set:
                break
            records.append(rec)
    if a.loop:
        dumps = [r.get(key) or "" for key in ("dump_inscriptis", "dump_lynx") for r in records]
        for d in dumps:
            newsclean.strip(d)  # kernels loaded before the profiler's window
        start = time.perf_counter()
        while time.perf_counter() - start < a.loop:
            for d in dumps:
                newsclean.strip(d)
        return
    repeat = 1 if a.quick else a.repeat
    if a.alternate:
        if not a.old_src:
            msg = "--alternate needs --old-src"
            raise SystemExit(msg)
        old = load_old(a.old_src)
        hosts = [host_of(r.get("url") or "") for r in records]
        for key in ("dump_inscriptis", "dump_lynx"):
            pages = list(zip([r.get(key) or "" for r in records], hosts, strict=True))
            for name, chunk, new_f, old_f in (
                ("strip", 20, lambda ps: [newsclean.strip(d) for d, _ in ps],
                 lambda ps: [old.strip(d) for d, _ in ps]),
                ("strip_many (URL hosts)", 100, lambda ps: _many(newsclean, ps), lambda ps: _many(old, ps)),
            ):
                new_rate, old_rate = alternate(new_f, old_f, pages, chunk=chunk)
                print(f"{key}: {len(pages)} pages, chunks of {chunk}, best of 5, one core: {name} {new_rate:.0f} "
                      f"pages/s, --old-src copy {old_rate:.0f} pages/s: {new_rate / old_rate:.3f}x")
        return
    if a.floor:
        compiled_floor([r.get(key) or "" for key in ("dump_inscriptis", "dump_lynx") for r in records], repeat)
        return
    systems: list[tuple[str, Callable[[list[str]], object]]] = [
        ("lines >= 10 words", lambda ds: [keep_long_lines(d) for d in ds]),
    ]
    jt = make_justext()
    if jt is not None:
        systems.append(("jusText on lines", lambda ds: [jt(d) for d in ds]))
    bp = make_boilerpy3()
    if bp is not None:
        systems.append(("boilerpy3 on lines", lambda ds: [bp(d) for d in ds]))
    systems += [
        ("newsclean.strip", lambda ds: [newsclean.strip(d) for d in ds]),
    ]
    if a.old_src:
        old_strip = load_old(a.old_src).strip
        systems.append(("strip, --old-src copy", lambda ds: [old_strip(d) for d in ds]))
    systems += [
        ("newsclean.strip(explain=True)", lambda ds: [newsclean.strip(d, explain=True) for d in ds]),
        ("newsclean.strip_many (1 site)", lambda ds: list(newsclean.strip_many(ds))),
    ]
    for key in ("dump_inscriptis", "dump_lynx"):
        dumps = [r.get(key) or "" for r in records]
        if not a.no_check:
            print(f"{key}: fast-path line measurements differing from the reference: {check_fast_path(dumps)}")
        mb = sum(len(d) for d in dumps) / 1e6
        where = "default BLAS threads, all cores" if BLAS_DEFAULT else "one core"
        print(f"{key}: {len(dumps)} pages, {mb:.1f} MB of text, best of {repeat}, {where}")
        rates = pages_per_second(systems, dumps, repeat)
        base = dict(rates)["newsclean.strip"]
        print(f"  {'system':<32} {'pages/s':>9} {'MB/s':>7} {'time vs strip':>14}")
        for name, rate in rates:
            print(f"  {name:<32} {rate:9.0f} {rate * mb / len(dumps):7.2f} {base / rate:13.2f}x")
    print("bad input (documented result, bounded time):")
    for name, text in bad_inputs():
        if a.quick and len(text) > 2_000_000:
            continue
        t0 = time.perf_counter()
        art = newsclean.strip(text)
        dt = time.perf_counter() - t0
        print(f"  {name:<28} {dt:7.3f} s  status={art.status}  paragraphs={len(art.paragraphs)}  "
              f"reason={art.reason!r}"[:160])


if __name__ == "__main__":
    main()
