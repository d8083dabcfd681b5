"""Steps 2 and 4 read the run's sketches mapped from files: the same numbers, the same labels."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_dedup import figure_corpora

from newsclean.duplicates.sketch import _ARRAYS, sketch_texts
from newsclean.etl import mapped
from newsclean.etl.clusters import (
    Labels,
    cluster_chunks,
    cluster_sketches,
    commit_index,
    dedup_config,
    load_sketches,
)
from newsclean.etl.config import PipelineConfig
from newsclean.etl.mapped import chunk_sizes, chunk_sketches, map_rows, remove_mapped
from newsclean.etl.workdir import chunk_path
from newsclean.store import open_store

CONFIG = PipelineConfig()


def _write_chunks(folder: Path, texts: list[str], ids: list[str], size: int) -> list[int]:
    """Chunk files as step 1 writes them (``.npz`` sketches and ``.ids``)."""
    folder.mkdir(parents=True, exist_ok=True)
    numbers = []
    for number, lo in enumerate(range(0, len(texts), size)):
        part = sketch_texts(texts[lo : lo + size], ids[lo : lo + size], dedup_config(CONFIG))
        buffer = io.BytesIO()
        np.savez(buffer, **{name: getattr(part, name) for name in _ARRAYS})
        chunk_path(folder, number, ".npz").write_bytes(buffer.getvalue())
        chunk_path(folder, number, ".ids").write_text(json.dumps(ids[lo : lo + size]), encoding="utf-8")
        numbers.append(number)
    return numbers


def _same(a: object, b: object) -> None:
    assert a.ids == b.ids  # type: ignore[attr-defined]
    for name in _ARRAYS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), name


@given(st.lists(st.sampled_from(["", "one two three four five six", "a b c d e f g h i j 1.5 pct",
                                 "Shares rose 4 pct on Monday after the bank said rates stay"]),
                min_size=1, max_size=30),
       st.integers(1, 7), st.randoms(use_true_random=False), st.integers(1, 5))
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_mapped_rows_equal_the_loaded_sketchs_rows(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], size: int, rnd: random.Random, block: int
) -> None:
    folder = tmp_path_factory.mktemp("chunks")
    ids = [f"d{i:03d}" for i in range(len(texts))]
    numbers = _write_chunks(folder, texts, ids, size)
    rows = np.array(rnd.sample(range(len(texts)), rnd.randint(0, len(texts))), dtype=np.int64)
    loaded = load_sketches(folder, numbers, CONFIG)
    old_block = mapped._BLOCK
    mapped._BLOCK = block  # blocks cut inside the chunks
    try:
        got = map_rows(chunk_sketches(folder, numbers), rows, chunk_sizes(folder, numbers), ids,
                       folder / "sketch", "t", dedup_config(CONFIG))
    finally:
        mapped._BLOCK = old_block
    _same(got, loaded.take(rows))
    remove_mapped(folder / "sketch")
    assert not (folder / "sketch").exists()


def test_the_mapped_columns_are_files_and_only_they_are_removed(tmp_path: Path) -> None:
    texts = ["one two three four five six seven", "eight nine ten eleven twelve thirteen"] * 3
    ids = [f"d{i}" for i in range(len(texts))]
    numbers = _write_chunks(tmp_path / "chunks", texts, ids, 4)
    where = tmp_path / "sketch"
    sk = map_rows(chunk_sketches(tmp_path / "chunks", numbers), np.arange(6), chunk_sizes(tmp_path / "chunks", numbers),
                  ids, where, "rows", dedup_config(CONFIG))
    assert isinstance(sk.shingles, np.memmap) and isinstance(sk.signatures, np.memmap)
    (where / "notes.txt").write_text("the user's", encoding="utf-8")
    remove_mapped(where)
    assert sorted(p.name for p in where.iterdir()) == ["notes.txt"]


def _both_ways(folder: Path, texts: list[str], ids: list[str], earlier: list[int], size: int) -> tuple[Labels, Labels]:
    """Labels of ``cluster_chunks`` loaded and mapped, with an index holding ``earlier``'s texts."""
    store = open_store(":memory:")
    if earlier:
        old = sketch_texts([texts[i] for i in earlier], [f"old{i}" for i in earlier], dedup_config(CONFIG))
        commit_index(store, "earlier", old, cluster_sketches(old, None, CONFIG))
    numbers = _write_chunks(folder / "chunks", texts, ids, size)
    loaded = cluster_chunks(folder / "chunks", numbers, lambda _ids: store, CONFIG)
    got = cluster_chunks(folder / "chunks", numbers, lambda _ids: store, CONFIG, folder / "sketch")
    assert got.cluster_id == loaded.cluster_id and got.representative_id == loaded.representative_id
    for name in ("representative", "similarity", "seen", "duplicate_id"):
        assert np.array_equal(getattr(got, name), getattr(loaded, name)), name
    assert not (folder / "sketch").exists()
    return loaded, got


@given(figure_corpora(), st.integers(1, 6), st.randoms(use_true_random=False))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_mapped_clustering_gives_the_loaded_clusterings_labels(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], size: int, rnd: random.Random
) -> None:
    """Figures, templated notices, repeated ids, and an index of an earlier run that some
    rows join (the rows left are mapped again)."""
    ids = [f"d{rnd.randrange(len(texts) + 3):03d}" for _ in texts]  # some ids repeat
    earlier = rnd.sample(range(len(texts)), len(texts) // 3)
    _both_ways(tmp_path_factory.mktemp("run"), texts, ids, earlier, size)


def test_rows_that_join_an_earlier_cluster_and_rows_that_do_not(tmp_path: Path) -> None:
    story = ("The harbour authority said on Monday that container traffic rose by a tenth last year, "
             "helped by new routes to Asia and a longer quay that opened in the spring.")
    notice = ("The Federal Reserve entered the government securities market to arrange {} billion dlrs "
              "of customer repurchase agreements, a spokesman said.")
    texts = [story, "OSLO (NTB) - " + story, notice.format("1.5"), notice.format("2.5"), notice.format("2.5"),
             "Completely unrelated words about gardening and roses in the summer time of the year."]
    _loaded, got = _both_ways(tmp_path, texts, [f"d{i}" for i in range(len(texts))], [0, 2], size=2)
    assert got.seen.tolist() == [True, True, True, False, False, False]
    assert got.cluster_id[3] == got.cluster_id[4] != got.cluster_id[2]  # 2.5 is not 1.5


@given(figure_corpora(), st.integers(1, 5))
@settings(max_examples=40, deadline=None)
def test_verifying_in_blocks_gives_the_verdicts_of_one_call(texts: list[str], block: int) -> None:
    """Step 2 verifies its candidate pairs a block at a time: the same duplicates."""
    from newsclean.duplicates.clusters import candidates
    from newsclean.duplicates.verification import duplicate_mask, verify

    sk = sketch_texts(texts, [f"d{i:03d}" for i in range(len(texts))], dedup_config(CONFIG))
    every = np.array([(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))], dtype=np.int64)
    for pairs in (candidates(sk), every.reshape(-1, 2)):
        whole = verify(sk, pairs, dedup_config(CONFIG)).duplicate
        assert duplicate_mask(sk, pairs, dedup_config(CONFIG), block=block).tolist() == whole.tolist()
