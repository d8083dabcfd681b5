"""Tests of the persistent dedup index (SQLite, and Redis with a real redis-server)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from newsclean.errors import InputError
from newsclean.pipeline import PipelineConfig, RunPaths, run_pipeline
from newsclean.store import DedupStore, SqliteStore, open_store

WORDS = "bank rate vote storm snow road court judge price oil wheat farmers council tram".split()


def _batch(n: int, seed: int) -> tuple[list[str], list[str], list[bytes], np.ndarray]:
    rng = np.random.default_rng(seed)
    ids = [f"s{seed}-{i}" for i in range(n)]
    reps = [ids[i - i % 3] for i in range(n)]
    sketches = [rng.bytes(int(rng.integers(0, 64))) for _ in range(n)]
    keys = rng.integers(0, 2**64 - 1, size=(n, 4), dtype=np.uint64)
    return ids, reps, sketches, keys


def _exercise(store: DedupStore) -> None:
    store.check_params({"num_perm": 8, "bands": 4})
    store.check_params({"num_perm": 8, "bands": 4})
    with pytest.raises(InputError, match="built with"):
        store.check_params({"num_perm": 16, "bands": 4})
    ids, reps, sketches, keys = _batch(30, seed=1)
    assert not store.has_run("r1")
    assert store.add_run("r1", ids, reps, reps, sketches, keys)
    assert not store.add_run("r1", ids, reps, reps, sketches, keys)  # idempotent
    assert store.has_run("r1") and store.count() == 30
    # a probe sharing band 2 with doc 5 and band 0 with doc 9 (keys are near-unique)
    probe = np.array([[keys[9, 0], 1, keys[5, 2], 2], [3, 4, 5, 6]], dtype=np.uint64)
    assert store.lookup(probe) == [(0, ids[5]), (0, ids[9])]
    got = store.fetch([ids[5], "unknown", ids[5]])
    assert list(got) == [ids[5]]
    doc = got[ids[5]]
    assert doc.sketch == sketches[5] and doc.representative == reps[5] == doc.cluster_id
    assert doc.run == "r1"
    assert (keys.max() >= np.uint64(2**63)) and store.lookup(keys[keys[:, 0] >= np.uint64(2**63)][:1])
    # an empty batch is a valid batch (a day without new documents)
    assert store.add_run("r2", [], [], [], [], np.zeros((0, 4), dtype=np.uint64))
    assert store.has_run("r2") and store.count() == 30


def test_sqlite_store(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "index.sqlite"))
    _exercise(store)
    store.close()
    reopened = open_store(str(tmp_path / "index.sqlite"))
    assert reopened.count() == 30 and reopened.has_run("r1")
    reopened.close()


def test_sqlite_store_rejects_a_non_index_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("this is not a database " * 100)
    with pytest.raises(InputError, match="cannot open the index"):
        SqliteStore(str(bad))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server); Redis index tests skipped")
    pytest.importorskip("redis", reason="the redis extra (redis client) is not installed")
    import redis

    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.skip("redis-server did not start")
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_redis_store(redis_url: str) -> None:
    store = open_store(f"{redis_url}/1")
    assert type(store).__name__ == "RedisStore"
    _exercise(store)
    store.close()


def _stories(prefix: str, n: int, seed: int) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    return [{"id": f"{prefix}{i}", "text": " ".join(rng.choice(WORDS, size=50))} for i in range(n)]


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_today_is_deduplicated_against_yesterday(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> None:
    index = str(tmp_path / "seen.sqlite") if backend == "sqlite" else f"{request.getfixturevalue('redis_url')}/2"
    yesterday = _stories("y", 20, seed=1)
    today = _stories("t", 10, seed=2) + [{"id": "t-copy", "text": yesterday[3]["text"]}, dict(yesterday[4])]
    config = PipelineConfig(mode="text", chunk_size=4)
    summaries = []
    for name, rows in (("yesterday", yesterday), ("today", today)):
        data = tmp_path / f"{name}.jsonl"
        data.write_text("".join(json.dumps(r) + "\n" for r in rows))
        summaries.append(run_pipeline([str(data)], RunPaths(output=str(tmp_path / f"{name}.out.jsonl"), index=index), config))
    assert summaries[0].seen_before == 0 and summaries[1].seen_before == 2
    out = {r["id"]: r for r in (json.loads(x) for x in (tmp_path / "today.out.jsonl").read_text().splitlines())}
    assert out["t-copy"]["cluster_id"] == "y3" and not out["t-copy"]["is_representative"]
    assert out["y4"]["cluster_id"] == "y4" and not out["y4"]["is_representative"]  # same id seen before
    assert all(out[f"t{i}"]["is_representative"] for i in range(10))
    store = open_store(index)
    assert store.count() == 31  # 20 + 11 new documents; y4 is not stored twice
    store.close()
