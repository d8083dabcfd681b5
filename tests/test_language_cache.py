"""``detect_language`` keeps its last few results: the same result as computing it again.

It reads only a text's first 300 characters, so those are the key; texts that begin
alike for fewer characters must not share a result.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import language
from newsclean.language import detect_language

_WORDS = st.sampled_from(["the", "council", "met", "der", "Rat", "tagte", "совет", "собрался", "le", "conseil",
                          "12:30", "—", "新闻", "!", "\n", "\x00", "\ud800", "Ωμέγα"])
_TEXT = st.lists(_WORDS, max_size=120).map(" ".join)


def _fresh(text: str) -> tuple[str, float] | None:
    return language._detect_sample.__wrapped__(text[: language._SAMPLE])


@settings(max_examples=100, deadline=None)
@given(_TEXT, _TEXT, _TEXT)
def test_a_kept_result_is_the_result(shared: str, one: str, other: str) -> None:
    # Texts that begin alike (for more or fewer than 300 characters), detected one after
    # the other and again: each gets what a detection of its own gives.
    first, second = shared + one, shared + other
    for text in (first, second, first, second):
        assert detect_language(text) == _fresh(text)


def test_texts_alike_in_their_first_300_characters_share_a_result() -> None:
    start = "The council met on Tuesday and agreed on a plan to rebuild the old bridge. " * 5
    language._detect_sample.cache_clear()
    assert detect_language(start + "Der Rat tagte am Dienstag.") == detect_language(start + "Совет собрался.")
    info = language._detect_sample.cache_info()
    assert (info.hits, info.misses) == (1, 1)
    detect_language("Der Rat tagte am Dienstag und beschloss einen Plan für die alte Brücke.")
    assert language._detect_sample.cache_info().misses == 2
