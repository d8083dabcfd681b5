"""MinHash and LSH speed and memory: newsclean beside datasketch and rensa, one core.

Corpus: the Reuters-21578 texts (``../shared/data/dedup/reuters21578.jsonl.gz``), the
first 10,000, and 100,000 made by adding seeded perturbed copies (about 5% of the words
replaced, 2% dropped), as the data README describes.

Signatures, from raw text (tokenizing included), word 5-grams, 128 permutations:

- datasketch ``MinHash.update`` per shingle, ``update_batch`` per document and
  ``MinHash.bulk``, all with ``hashfunc=xxhash.xxh32_intdigest`` (the shingle strings come
  from newsclean's tokenizer, so every system hashes the same strings);
- rensa ``RMinHash.update`` with the same shingle strings (rensa hashes them itself, so
  its values differ from datasketch's);
- rensa ``digest_matrix_from_flat_token_hashes`` fed newsclean's shingle hashes (rensa's
  fastest batch path; the hashing time is newsclean's);
- newsclean ``minhash_signatures`` (bit-identical to the datasketch rows).

Whole pipelines, each in a fresh process, on the large corpus: ``newsclean.dedup`` with
its defaults (sketch, candidates, exact verification with the figures rule, clusters)
beside rensa's (Python shingles -> ``RMinHash.from_token_sets`` ->
``RMinHashLSH.insert_many`` + ``query_all``, threshold 0.5); "extra MB" is the peak RSS
growth of the pipeline.

JIT: newsclean's loops are compiled by numba and cached on disk. The timed runs use the
warm cache (a throwaway process compiles or loads the kernels first; each timed process
still pays for importing numba and loading the cached code, and that is counted).
``--cold`` prints the first-call compile time with an empty cache (a fresh
``NUMBA_CACHE_DIR``).

Slow systems run on a prefix of the corpus (``docs`` column); docs/s and MB/s (of raw
UTF-8 text) are comparable across rows; "cpu docs/s" uses the process CPU time, which
other processes on the machine disturb less than wall time. LSH: index build + query of
every document with 16 bands x 8 rows for all three systems (each system's library
loaded by its prepare step, for newsclean its compiled code) (rensa needs the band count
to divide num_perm): datasketch ``MinHashLSH``, rensa
``RMinHashLSH``, newsclean ``signature_pairs`` (``band_keys`` + ``candidate_pairs`` one
band at a time: the batch equivalent of build + query all). Each LSH system runs in its own forked process; "extra MB" is its
peak RSS during build + query minus its RSS before (Linux ``clear_refs``/``VmHWM``).

    python benchmarks/dedup_speed.py              # 10k and 100k
    python benchmarks/dedup_speed.py --quick      # 2k and 20k, smoke run
    python benchmarks/dedup_speed.py --pipeline-only   # the whole-pipeline table
    python benchmarks/dedup_speed.py --million --jobs 2   # + 1M docs end to end
    python benchmarks/dedup_speed.py --million-only --jobs 2
    python benchmarks/dedup_speed.py --cold            # JIT compile time, empty cache
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import os
import random
import re
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import newsclean  # noqa: E402
from _harness import print_table, rss_mb  # noqa: E402
from newsclean import band_keys, candidate_pairs, minhash_signatures  # noqa: E402
from newsclean.lsh import signature_pairs  # noqa: E402
from newsclean.shingle import shingle_hashes, shingles  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
REUTERS = SHARED / "data" / "dedup" / "reuters21578.jsonl.gz"
NUM_PERM = 128
# rensa's LSH needs num_perm divisible by the number of bands, so all three systems get
# the same explicit banding: 16 bands x 8 rows (the S-curve midpoint is at Jaccard ~0.7).
BANDS, ROWS = 16, 8
THRESHOLD = 0.7


def load_texts(path: Path, n: int) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    return texts[:n]


def perturb(text: str, rng: random.Random, vocab: Sequence[str]) -> str:
    """~5% of the words replaced by random corpus words, ~2% dropped."""
    out = []
    for word in text.split():
        r = rng.random()
        if r < 0.02:
            continue
        out.append(rng.choice(vocab) if r < 0.07 else word)
    return " ".join(out)


def scale(texts: Sequence[str], n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    vocab = re.findall(r"\w+", " ".join(texts[:500]))
    out = list(texts)
    while len(out) < n:
        out.append(perturb(texts[rng.randrange(len(texts))], rng, vocab))
    return out[:n]


# -- signature systems: each takes texts, returns something per doc -----------------------


def ds_update(texts: Sequence[str]) -> list[Any]:
    import xxhash
    from datasketch import MinHash

    out = []
    for text in texts:
        m = MinHash(num_perm=NUM_PERM, hashfunc=xxhash.xxh32_intdigest)
        for s in shingles(text):
            m.update(s.encode("utf-8"))
        out.append(m)
    return out


def ds_update_batch(texts: Sequence[str]) -> list[Any]:
    import xxhash
    from datasketch import MinHash

    out = []
    for text in texts:
        m = MinHash(num_perm=NUM_PERM, hashfunc=xxhash.xxh32_intdigest)
        m.update_batch([s.encode("utf-8") for s in shingles(text)])
        out.append(m)
    return out


def ds_bulk(texts: Sequence[str]) -> list[Any]:
    import xxhash
    from datasketch import MinHash

    data = [[s.encode("utf-8") for s in shingles(t)] for t in texts]
    return list(MinHash.bulk(data, num_perm=NUM_PERM, hashfunc=xxhash.xxh32_intdigest))


def rensa_update(texts: Sequence[str]) -> list[Any]:
    import rensa

    out = []
    for text in texts:
        m = rensa.RMinHash(num_perm=NUM_PERM, seed=1)
        m.update(shingles(text))
        out.append(m)
    return out


def rensa_matrix(texts: Sequence[str]) -> Any:
    import rensa

    batch = shingle_hashes(texts)
    return rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        batch.hashes.astype(np.uint64), batch.offsets.astype(np.uint64), NUM_PERM, 1
    )


def ours(texts: Sequence[str]) -> np.ndarray:
    return minhash_signatures(texts, num_perm=NUM_PERM)


SIGNATURE_SYSTEMS: dict[str, tuple[Callable[[Sequence[str]], Any], int]] = {
    # name: (function, max docs measured)
    "datasketch MinHash.update": (ds_update, 1_000),
    "datasketch update_batch": (ds_update_batch, 2_000),
    "datasketch MinHash.bulk": (ds_bulk, 3_000),
    "rensa RMinHash.update": (rensa_update, 20_000),
    "rensa digest_matrix (our hashes)": (rensa_matrix, 10**9),
    "newsclean minhash_signatures": (ours, 10**9),
}


def bench_signatures(texts: Sequence[str], repeat: int) -> list[dict[str, Any]]:
    rows = []
    for name, (fn, limit) in SIGNATURE_SYSTEMS.items():
        part = texts[:limit]
        mb = sum(len(t.encode("utf-8")) for t in part) / 1e6
        best = best_cpu = float("inf")
        for _ in range(repeat if limit >= len(texts) else 1):
            start, cpu = time.perf_counter(), time.process_time()
            fn(part)
            best = min(best, time.perf_counter() - start)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        rows.append(
            {
                "system": name,
                "docs": len(part),
                "seconds": best,
                "docs/s": len(part) / best,
                "MB/s": mb / best,
                "cpu docs/s": len(part) / best_cpu,
            }
        )
    return rows


# -- LSH systems: build an index of all signatures and query every one ---------------------


def _vm(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def prepare_datasketch(sig: np.ndarray, texts: Sequence[str]) -> Any:
    return [newsclean.to_lean_minhash(row) for row in sig]


def lsh_datasketch(leans: Any) -> int:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    with lsh.insertion_session() as session:
        for i, m in enumerate(leans):
            session.insert(i, m, check_duplication=False)
    return sum(len(lsh.query(m)) - 1 for m in leans) // 2


def prepare_rensa(sig: np.ndarray, texts: Sequence[str]) -> Any:
    # rensa's LSH takes its own RMinHash objects (of the same shingles).
    return rensa_update(texts)


def lsh_rensa(mhs: Any) -> int:
    import rensa

    lsh = rensa.RMinHashLSH(THRESHOLD, NUM_PERM, BANDS)
    for i, m in enumerate(mhs):
        lsh.insert(i, m)
    return sum(len(lsh.query(m)) - 1 for m in mhs) // 2


def prepare_ours(sig: np.ndarray, texts: Sequence[str]) -> Any:
    # newsclean computed the signatures in this process, so its compiled code is loaded
    # (as rensa's and datasketch's libraries are by their prepare steps).
    signature_pairs(sig[:2], BANDS, ROWS)
    return sig


def lsh_ours(sig: Any) -> int:
    return len(signature_pairs(sig, BANDS, ROWS))


LSH_SYSTEMS: dict[str, tuple[Callable[[np.ndarray, Sequence[str]], Any], Callable[[Any], int]]] = {
    "datasketch MinHashLSH": (prepare_datasketch, lsh_datasketch),
    "rensa RMinHashLSH": (prepare_rensa, lsh_rensa),
    "newsclean signature_pairs": (prepare_ours, lsh_ours),
}


def _lsh_child(name: str, sig: np.ndarray, texts: Sequence[str], queue: Any) -> None:
    prepare, run = LSH_SYSTEMS[name]
    prepared = prepare(sig, texts)  # the sketches exist before the index is built
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    except OSError:
        pass
    before = _vm("VmRSS")
    start, cpu = time.perf_counter(), time.process_time()
    try:
        pairs = run(prepared)
    except Exception as exc:  # report, do not hang the parent
        queue.put({"system": f"{name} (failed: {exc})"})
        return
    queue.put(
        {
            "system": name,
            "seconds": time.perf_counter() - start,
            "cpu s": time.process_time() - cpu,
            "extra MB": _vm("VmHWM") - before,
            "pairs": pairs,
        }
    )


def bench_lsh(sig: np.ndarray, texts: Sequence[str]) -> list[dict[str, Any]]:
    # spawn, not fork: rensa keeps a thread pool that a forked child cannot use.
    ctx = mp.get_context("spawn")
    rows = []
    for name in LSH_SYSTEMS:
        queue = ctx.Queue()
        proc = ctx.Process(target=_lsh_child, args=(name, sig, texts, queue))
        proc.start()
        proc.join()
        rows.append(queue.get(timeout=5) if not queue.empty() else {"system": f"{name} (crashed)"})
    return rows


# -- whole pipelines: texts in, clusters (or candidate pairs) out, each in a fresh process ----


def pipeline_rensa(texts: Sequence[str]) -> int:
    """rensa's whole pipeline: Python shingles -> RMinHash.from_token_sets -> RMinHashLSH
    insert_many + query_all, threshold 0.5 (candidates only: no verification)."""
    import rensa

    mhs = rensa.RMinHash.from_token_sets([shingles(t) for t in texts], NUM_PERM, 1)
    lsh = rensa.RMinHashLSH(0.5, NUM_PERM, BANDS)
    lsh.insert_many(mhs)
    return sum(len(hits) for hits in lsh.query_all(mhs))


def pipeline_newsclean(texts: Sequence[str]) -> int:
    """newsclean.dedup with its defaults: sketches, candidates at Jaccard 0.2, exact
    verification with the figures rule, clusters without chaining."""
    return newsclean.dedup(texts).n_clusters


PIPELINES: dict[str, Callable[[Sequence[str]], int]] = {
    "rensa whole pipeline": pipeline_rensa,
    "newsclean.dedup": pipeline_newsclean,
}


def _pipeline_child(name: str, n: int, data: Path, queue: Any) -> None:
    texts = scale(load_texts(data, 10_000), n)
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    except OSError:
        pass
    before = _vm("VmRSS")
    start, cpu = time.perf_counter(), time.process_time()
    result = PIPELINES[name](texts)
    queue.put(
        {
            "system": name,
            "docs": n,
            "seconds": time.perf_counter() - start,
            "cpu s": time.process_time() - cpu,
            "extra MB": _vm("VmHWM") - before,
            "result": result,
        }
    )


def _warm_child(data: Path) -> None:
    """Compile (or load) newsclean's kernels into numba's disk cache, untimed."""
    newsclean.dedup(scale(load_texts(data, 2_000), 2_000))
    minhash_signatures(load_texts(data, 100), num_perm=NUM_PERM)


def warm_cache(data: Path) -> None:
    """newsclean's kernels compiled once in a throwaway process: the timed runs load them."""
    proc = mp.get_context("spawn").Process(target=_warm_child, args=(data,))
    proc.start()
    proc.join()


def _cold_child(data: Path, queue: Any) -> None:
    texts = scale(load_texts(data, 2_000), 2_000)
    start, cpu = time.perf_counter(), time.process_time()
    newsclean.dedup(texts)
    first, first_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    newsclean.dedup(texts)
    queue.put((first, first_cpu, time.perf_counter() - start))


def cold_compile(data: Path) -> dict[str, Any]:
    """First call of ``newsclean.dedup`` with an empty numba cache (a fresh NUMBA_CACHE_DIR)."""
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        old = os.environ.get("NUMBA_CACHE_DIR")
        os.environ["NUMBA_CACHE_DIR"] = cache
        try:
            ctx = mp.get_context("spawn")
            queue = ctx.Queue()
            proc = ctx.Process(target=_cold_child, args=(data, queue))
            proc.start()
            first, first_cpu, second = queue.get(timeout=900)
            proc.join()
        finally:
            if old is None:
                os.environ.pop("NUMBA_CACHE_DIR")
            else:
                os.environ["NUMBA_CACHE_DIR"] = old
    return {
        "system": "newsclean.dedup, 2,000 docs, empty numba cache",
        "first call s": first,
        "first call cpu s": first_cpu,
        "second call s": second,
        "compile s": first - second,
    }


def bench_pipelines(n: int, data: Path) -> list[dict[str, Any]]:
    """Each whole pipeline in a fresh (spawned) process on the same ``n`` texts."""
    ctx = mp.get_context("spawn")
    rows = []
    for name in PIPELINES:
        queue = ctx.Queue()
        proc = ctx.Process(target=_pipeline_child, args=(name, n, data, queue))
        proc.start()
        proc.join()
        rows.append(queue.get(timeout=5) if not queue.empty() else {"system": f"{name} (crashed)"})
    return rows


def million(texts: Sequence[str], jobs: int, n: int, chunk: int = 50_000) -> dict[str, Any]:
    """n perturbed docs end to end: signatures in chunks (jobs processes), band keys,
    candidate pairs, connected components. Texts are generated per chunk and dropped."""
    rng = random.Random(1)
    vocab = re.findall(r"\w+", " ".join(texts[:500]))
    bands, rows = BANDS, ROWS
    start = time.perf_counter()
    keys = np.empty((n, bands), dtype=np.uint64)
    mb = 0.0
    for lo in range(0, n, chunk):
        part = [
            perturb(texts[rng.randrange(len(texts))], rng, vocab) for _ in range(min(chunk, n - lo))
        ]
        mb += sum(len(t) for t in part) / 1e6
        sig = minhash_signatures(part, num_perm=NUM_PERM, jobs=jobs, batch_size=5_000)
        keys[lo : lo + len(part)] = band_keys(sig, bands, rows)
    pairs = candidate_pairs(keys)
    labels = newsclean.component_labels(n, pairs)
    seconds = time.perf_counter() - start
    return {
        "system": f"newsclean, {n:,} docs, jobs={jobs}",
        "docs": n,
        "seconds": seconds,
        "docs/s": n / seconds,
        "MB/s": mb / seconds,
        "pairs": len(pairs),
        "clusters": len(np.unique(labels)),
        "peak RSS MB": rss_mb(),
        "worker peak RSS MB": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2k / 20k docs")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for fast systems")
    parser.add_argument("--million", action="store_true", help="also 1M docs end to end")
    parser.add_argument("--million-docs", type=int, default=1_000_000)
    parser.add_argument("--million-only", action="store_true", help="skip the 10k/100k tables")
    parser.add_argument("--jobs", type=int, default=2, help="processes for --million")
    parser.add_argument("--data", type=Path, default=REUTERS)
    parser.add_argument(
        "--pipeline-only", action="store_true", help="only the whole-pipeline table"
    )
    parser.add_argument(
        "--cold", action="store_true", help="only the first-call compile time (empty cache)"
    )
    args = parser.parse_args(argv)
    if not args.data.exists():
        sys.exit(f"missing {args.data}: set NEWSCLEAN_SHARED to the shared data folder")
    if args.cold:
        print_table(
            [cold_compile(args.data)],
            ["first call s", "first call cpu s", "second call s", "compile s"],
            title="JIT compile time: first call in a fresh process with an empty numba cache",
        )
        return
    small, large = (2_000, 20_000) if args.quick else (10_000, 100_000)
    base = load_texts(args.data, small)
    warm_cache(args.data)
    if args.million_only:
        row = million(base, args.jobs, args.million_docs)
        print_table(
            [row],
            [
                "docs",
                "seconds",
                "docs/s",
                "MB/s",
                "pairs",
                "clusters",
                "peak RSS MB",
                "worker peak RSS MB",
            ],
            title="End to end (generate, signatures, band keys, pairs, components)",
        )
        return
    print(
        f"{len(base):,} Reuters texts, {sum(len(t) for t in base) / 1e6:.1f} MB; one core "
        f"for signatures and LSH (other processes may share the machine)"
    )
    rows = bench_signatures(base, args.repeat)
    print_table(
        rows,
        ["docs", "seconds", "docs/s", "MB/s", "cpu docs/s"],
        ratio_to="rensa RMinHash.update",
        ratio_of=["docs/s", "cpu docs/s"],
        title=f"Signatures from raw text, {len(base):,} docs",
    )
    rows = bench_pipelines(large, args.data)
    print_table(
        rows,
        ["docs", "seconds", "cpu s", "extra MB", "result"],
        ratio_to="rensa whole pipeline",
        ratio_of=["seconds", "cpu s", "extra MB"],
        title=f"Whole pipeline, {large:,} docs, each in a fresh process (result: rensa "
        "candidate hits, newsclean clusters)",
    )
    if args.pipeline_only:
        return
    big = scale(base, large)
    sig = minhash_signatures(big, num_perm=NUM_PERM)
    rows = bench_signatures(big, 1)[-3:]
    print_table(
        rows,
        ["docs", "seconds", "docs/s", "MB/s", "cpu docs/s"],
        ratio_to="rensa RMinHash.update",
        ratio_of=["docs/s", "cpu docs/s"],
        title=f"Signatures from raw text, {len(big):,} docs",
    )
    lsh_rows = bench_lsh(sig, big)
    print_table(
        lsh_rows,
        ["seconds", "cpu s", "extra MB", "pairs"],
        ratio_to="rensa RMinHashLSH",
        ratio_of=["seconds", "cpu s", "extra MB"],
        title=f"LSH build + query all, {len(big):,} docs, {BANDS} bands x {ROWS} rows",
    )
    if args.million:
        row = million(base, args.jobs, args.million_docs)
        print_table(
            [row],
            [
                "docs",
                "seconds",
                "docs/s",
                "MB/s",
                "pairs",
                "clusters",
                "peak RSS MB",
                "worker peak RSS MB",
            ],
            title="End to end (generate, signatures, band keys, pairs, components)",
        )


if __name__ == "__main__":
    main()
