"""The compiled kernels equal the rules they replaced, on generated input with the hard cases.

Oracles: the per-character word rule and the list-number regex of
:mod:`newsclean.duplicates.words`, the former Python figures rule (``tests/oracle_figures``:
rapidfuzz alignment, swaps, anchoring, hunks), Python sets, ``np.unique``, xxhash.
"""

from __future__ import annotations

import numpy as np
import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import oracle_figures as oracle
from tests.strategies import CYRILLIC

from newsclean.duplicates import kernels
from newsclean.duplicates.figures import (
    _FIGURE_HASHES,
    _NUMBER_FROM,
    _NUMBER_VALUE,
    align,
    check_figures,
    figure_words,
    hash_words,
    same_number,
)
from newsclean.duplicates.verification import intersections
from newsclean.duplicates.words import (
    _blank_list_numbers,
    _plain_form,
    _python_words,
    _unicode_form,
    plain_value,
    text_words,
)

# Digits glued to letters, joiners, thousands, carets, list numbers and bullets at line
# starts, blanks, Cyrillic and other multi-byte UTF-8, typography, entities, controls.
HARD = st.text(
    alphabet="aB 0123456789.,/:-_x\n\t\r^)*+" + CYRILLIC[:6] + "é—’\u00a0·•&;\x01",
    max_size=80,
)


@given(st.lists(HARD, max_size=12))
@settings(max_examples=300)
def test_text_words_kernel_is_the_per_character_rule(texts: list[str]) -> None:
    hashes, digits, values, offsets = text_words(texts)
    assert len(offsets) == len(texts) + 1
    for i, text in enumerate(texts):
        form = _plain_form(text)
        rule = _blank_list_numbers(form) if form is not None else _unicode_form(text)
        words = [w for w, _, _ in _python_words(rule)]
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        assert hashes[lo:hi].tolist() == [xxhash.xxh32_intdigest(w.encode()) for w in words]
        assert values[lo:hi].tolist() == [plain_value(w) for w in words]
        assert digits[lo:hi].tolist() == [any(c.isdigit() for c in w) for w in words]


def test_text_words_examples_of_the_hard_cases() -> None:
    texts = ["On the 25^th at 10am31 Amazon19.34\n2. Item\n - 12) Next at 6-3/16 pct, 1,500,000", "",
             "Москва 3,5 млн", "1234. no list"]
    _, _, values, offsets = text_words(texts)
    assert offsets.tolist()[1:3] == [16, 16]  # the empty text has no word
    assert 1500000 in values.tolist() and -1 in values.tolist()


@given(st.text(alphabet="12a .)\n\t\r*-+x", max_size=40))
@settings(max_examples=300)
def test_list_number_kernel_is_the_regex(text: str) -> None:
    raw = np.frombuffer(text.encode(), dtype=np.uint8)
    low = raw.copy()
    kernels._blank_list_numbers(raw, low, 0, len(raw))
    assert bytes(low).decode() == _blank_list_numbers(text)


@given(st.lists(st.sampled_from(["four", "4", "banks", "monday", "6-3/16", "first", "nil", "x"]), max_size=20),
       st.lists(st.integers(-1, 10**9), min_size=20, max_size=20))
def test_figure_words_kernel_is_the_numpy_rule(words: list[str], values: list[int]) -> None:
    hashes = np.array([xxhash.xxh32_intdigest(w.encode()) for w in words], dtype=np.uint32)
    digits = np.array([any(c.isdigit() for c in w) for w in words], dtype=bool)
    vals = np.array(values[: len(words)], dtype=np.int64)
    expected = oracle.numpy_figure_words(hashes, digits, vals, _FIGURE_HASHES, _NUMBER_FROM, _NUMBER_VALUE)
    assert figure_words(hashes, digits, vals).tolist() == expected.tolist()


@given(st.lists(st.lists(st.integers(0, 40), max_size=30), min_size=1, max_size=8), st.data())
def test_intersections_and_distinct_kernels_are_set_operations(docs: list[list[int]], data: st.DataObject) -> None:
    flat = np.array([v for d in docs for v in d], dtype=np.uint32)
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=offsets[1:])
    values, new = kernels.distinct_sorted(flat, offsets)
    sets = [sorted(set(d)) for d in docs]
    assert [values[new[i] : new[i + 1]].tolist() for i in range(len(docs))] == sets
    pairs = np.array(data.draw(st.lists(st.tuples(st.integers(0, len(docs) - 1), st.integers(0, len(docs) - 1)), max_size=10)), dtype=np.int64).reshape(-1, 2)
    got = intersections(values, new, pairs).tolist()
    assert got == [len(set(docs[a]) & set(docs[b])) for a, b in pairs.tolist()]


@given(st.lists(st.integers(0, 5), max_size=150), st.lists(st.integers(0, 5), max_size=150))
@settings(max_examples=300)
def test_alignment_kernel_is_rapidfuzz_indel(a: list[int], b: list[int]) -> None:
    assert align(a, b) == oracle.align(a, b)


@given(st.integers(0, 10**9), st.integers(0, 10**9), st.integers(0, 120))
def test_same_number_kernel_is_the_python_rule(x: int, y: int, k: int) -> None:
    assert same_number(x, y) == oracle.same_number(x, y)
    assert same_number(x, x // 10 ** (k % 9)) == oracle.same_number(x, x // 10 ** (k % 9))


VOCAB = ["the", "fed", "adds", "billion", "dlrs", "at", "pct", "on", "mln", "shares", "said",
         "1", "2", "1.5", "15", "146", "145919300", "6-3/16", "6-5/16", "four", "4", "first",
         "monday", "tuesday", "april", "1987-88", "0.25", "0.50", "a", "of", "and", "to"]


@st.composite
def figure_pair(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    base = draw(st.lists(st.sampled_from(VOCAB), min_size=0, max_size=90))
    other = list(base)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["swap", "insert", "delete", "replace_run"]))
        at = draw(st.integers(0, max(len(other) - 1, 0)))
        if op == "swap" and other:
            other[at] = draw(st.sampled_from(VOCAB[11:]))
        elif op == "insert":
            other[at:at] = draw(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=6))
        elif op == "delete" and other:
            del other[at : at + draw(st.integers(1, 6))]
        elif other:
            other[at : at + draw(st.integers(1, 5))] = draw(st.lists(st.sampled_from(VOCAB), max_size=5))
    return base, other


@given(figure_pair(), st.integers(1, 6))
@settings(max_examples=500)
def test_figures_rule_kernel_is_the_python_rule(pair: tuple[list[str], list[str]], span: int) -> None:
    a, b = hash_words(pair[0]), hash_words(pair[1])
    for checked in (False, True):
        assert check_figures(a, b, span=span, multiset_checked=checked) == oracle.check_figures(
            a, b, span=span, multiset_checked=checked
        )


def test_the_figures_rule_oracle_can_tell_a_wrong_kernel() -> None:
    one = hash_words("fed adds 1 5 billion dlrs at 6 pct on monday".split())
    two = hash_words("fed adds two billion dlrs at 6 pct on tuesday".split())
    assert check_figures(one, two) == oracle.check_figures(one, two)
    assert check_figures(one, two) != oracle.check_figures(one, one)


@given(st.lists(st.lists(st.integers(0, 3), min_size=3, max_size=3), max_size=40), st.integers(1, 6))
@settings(max_examples=300)
def test_candidate_pairs_kernel_is_the_numpy_rule(rows: list[list[int]], max_group: int) -> None:
    from newsclean.lsh import candidate_pairs

    keys = np.array(rows, dtype=np.uint64).reshape(-1, 3)
    expected = oracle.numpy_candidate_pairs(keys, max_group)
    assert candidate_pairs(keys, max_group=max_group).tolist() == expected.tolist()
    assert candidate_pairs(keys[:, 0], max_group=max_group).tolist() == oracle.numpy_candidate_pairs(keys[:, 0], max_group).tolist()


@given(st.lists(st.lists(st.integers(0, 12), max_size=25), min_size=1, max_size=8))
def test_figure_occurrences_kernel_is_the_numpy_rule(docs: list[list[int]]) -> None:
    words = np.array([v for d in docs for v in d], dtype=np.uint32)
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=offsets[1:])
    got = kernels.figure_occurrences(words, offsets, np.arange(len(docs), dtype=np.int64))
    expected = oracle.numpy_figure_occurrences(words, offsets)
    assert got[0].tolist() == expected[0].tolist() and got[1].tolist() == expected[1].tolist()
    last = kernels.figure_occurrences(words, offsets, np.array([len(docs) - 1], dtype=np.int64))
    assert last[0].tolist() == expected[0][expected[1][-2] :].tolist()


@given(st.lists(st.lists(st.integers(0, 2**32 - 1), min_size=12, max_size=12), min_size=1, max_size=6),
       st.sampled_from([(1, 12), (3, 4), (4, 3), (5, 2)]))
def test_band_keys_kernel_is_the_numpy_rule(rows: list[list[int]], shape: tuple[int, int]) -> None:
    from newsclean.lsh import band_column, band_keys

    sig = np.array(rows, dtype=np.uint32)
    bands, width = shape
    keys = band_keys(sig, bands, width)
    for band in range(bands):
        expected = oracle.numpy_band_column(sig, band, width)
        assert keys[:, band].tolist() == expected.tolist()
        assert band_column(sig, band, width).tolist() == expected.tolist()


_pair_lists = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=30).map(
    lambda ps: np.array(sorted(set(ps)), dtype=np.int64).reshape(-1, 2)
)


@given(_pair_lists, _pair_lists, st.lists(st.integers(0, 50), min_size=7, max_size=7, unique=True))
def test_union_and_take_pairs_kernels_are_set_operations(a: np.ndarray, b: np.ndarray, rows: list[int]) -> None:
    union = kernels.union_pairs(a, b)
    expected_union = sorted(set(map(tuple, a.tolist())) | set(map(tuple, b.tolist())))
    assert [tuple(p) for p in union.tolist()] == expected_union  # sorted, once each
    if not len(b) or set(map(tuple, b.tolist())) <= set(map(tuple, a.tolist())):
        assert union is a  # nothing to add: no copy
    expected = np.asarray(rows, dtype=np.int64)[union].tolist()
    kernels.take_pairs(np.asarray(rows, dtype=np.int64), union)
    assert union.tolist() == expected


def test_candidates_of_a_sketch_with_empty_rows_are_sketch_rows() -> None:
    from newsclean.duplicates.clusters import candidates
    from newsclean.duplicates.sketch import sketch_texts

    story = "Shares of the company rose sharply in early trade on Monday after the news"
    sk = sketch_texts(["", story, "", story + " again", "...", story], ["a", "b", "c", "d", "e", "f"])
    assert candidates(sk).tolist() == [[1, 3], [1, 5], [3, 5]]
