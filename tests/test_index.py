"""DedupIndex: incremental adds give the clusters of one dedup call; queries; errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import article

from newsclean import DedupIndex, InputError, dedup

BASE = (
    "The harbour authority said on Monday that container traffic rose by a tenth last year, "
    "helped by new routes to Asia and a longer quay that opened in the spring. "
    "It expects growth to slow this year as trade with the largest partners weakens."
)


def test_query_does_not_change_the_index() -> None:
    index = DedupIndex()
    index.add(
        [BASE, "Completely unrelated words about gardening and roses in summer time."], ["a", "b"]
    )
    hits = index.query(
        ["OSLO (NTB) - " + BASE, "Nothing like anything indexed so far at all here."]
    )
    assert [m.id for m in hits[0]] == ["a"] and hits[1] == ()
    assert len(index) == 2


def test_duplicate_id_across_batches_raises() -> None:
    index = DedupIndex()
    index.add([BASE], ["a"])
    with pytest.raises(InputError, match="already in the index"):
        index.add([BASE], ["a"])


@given(st.lists(article, min_size=1, max_size=9), st.integers(1, 4))
@settings(max_examples=30)
def test_batches_give_the_same_clusters_as_dedup(texts: list[str], size: int) -> None:
    texts = texts + [texts[0], "Intro line. " + texts[-1]]
    ids = [f"t{i:02d}" for i in range(len(texts))]
    index = DedupIndex()
    for start in range(0, len(texts), size):
        index.add(texts[start : start + size], ids[start : start + size])
    once = dedup(texts, ids)
    inc = index.result()
    assert inc.labels == once.labels
    assert inc.representatives == once.representatives
