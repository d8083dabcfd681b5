"""Shingles, MinHash signatures and LSH banding: datasketch equality first, then invariants."""

from __future__ import annotations

import numpy as np
import pytest
import xxhash
from datasketch import LeanMinHash, MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import article, noisy_text

from newsclean import (
    InputError,
    band_keys,
    candidate_pairs,
    lsh_params,
    minhash_signatures,
    shingle_hashes,
    shingles,
    to_lean_minhash,
    word_tokens,
)
from newsclean.shingle import fast_word_tokens, xxh32_ranges
from newsclean.signature import EMPTY_HASH, empty_rows

ASCII_NOISE = st.text(
    alphabet="abcXYZ019_ &;#.,-'\"\t\n\r\x00\x01\x0b\x0c\x1f\x7famp lt eacute x27",
    max_size=120,
)
# English text with the typography the fast tokenizer maps itself (and a few others).
TYPOGRAPHIC = st.text(
    alphabet="abcdeXYZ019 .,'\"-\u00a0\u2009\u202f\u2013\u2014\u2018\u2019\u201c\u201d"
    "\u00ab\u00bb\u2026\u2022\u00ad\u200b\ufeff\u2212\u00e9\u00c3\u00a9\u00e2\u20ac",
    max_size=120,
)


def datasketch_row(text: str, num_perm: int = 128, ngram: int = 5, seed: int = 1) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=xxhash.xxh32_intdigest)
    for s in shingles(text, ngram):
        m.update(s.encode("utf-8"))
    return np.asarray(m.hashvalues)


def test_shingle_strings() -> None:
    assert shingles("A b, C d e f!", ngram=5) == ["a b c d e", "b c d e f"]
    assert shingles("Two words", ngram=5) == ["two words"]
    assert shingles("", ngram=5) == []
    assert shingles("!!! ...", ngram=3) == []


def test_signatures_equal_datasketch_examples() -> None:
    texts = [
        "The quick brown fox jumps over the lazy dog near the river bank.",
        "Short text",
        "Москва — «столица» России, сказал он в понедельник утром.",
        "Caf&eacute; prices rose 2.5% on Monday, the company said.",
        "x",
    ]
    for num_perm, ngram, seed in ((128, 5, 1), (64, 3, 7), (16, 1, 42)):
        sig = minhash_signatures(texts, num_perm=num_perm, ngram=ngram, seed=seed)
        assert sig.dtype == np.uint32 and sig.shape == (len(texts), num_perm)
        for row, text in zip(sig, texts, strict=True):
            assert (row == datasketch_row(text, num_perm, ngram, seed)).all()


@given(st.lists(st.one_of(article, noisy_text, ASCII_NOISE, TYPOGRAPHIC), max_size=6))
@settings(max_examples=60)
def test_signatures_equal_datasketch(texts: list[str]) -> None:
    sig = minhash_signatures(texts, num_perm=32, ngram=3)
    for row, text in zip(sig, texts, strict=True):
        assert (row == datasketch_row(text, 32, 3)).all()


def test_empty_text_gives_max_row() -> None:
    sig = minhash_signatures(["", "  ...  ", "one word"], num_perm=8)
    assert (sig[0] == EMPTY_HASH).all() and (sig[1] == EMPTY_HASH).all()
    assert empty_rows(sig).tolist() == [True, True, False]
    assert (sig[0] == MinHash(num_perm=8).hashvalues).all()


def test_lean_minhash_round_trip() -> None:
    sig = minhash_signatures(["a b c d e f g h", "a b c d e f g x"], num_perm=64)
    lean = to_lean_minhash(sig[0])
    assert isinstance(lean, LeanMinHash)
    buf = bytearray(lean.bytesize())
    lean.serialize(buf)
    back = LeanMinHash.deserialize(buf)
    assert (np.asarray(back.hashvalues) == sig[0]).all()
    ref = MinHash(num_perm=64, seed=1, hashfunc=xxhash.xxh32_intdigest)
    for s in shingles("a b c d e f g x"):
        ref.update(s.encode())
    assert lean.jaccard(LeanMinHash(ref)) == pytest.approx(float((sig[0] == sig[1]).mean()))


@given(st.binary(max_size=200), st.data())
def test_xxh32_ranges_equal_xxhash(data: bytes, draw: st.DataObject) -> None:
    n = len(data)
    begins = draw.draw(st.lists(st.integers(0, n), max_size=8))
    lengths = [draw.draw(st.integers(0, n - b)) for b in begins]
    buf = np.frombuffer(data, dtype=np.uint8)
    out = xxh32_ranges(buf, np.array(begins, dtype=np.int64), np.array(lengths, dtype=np.int64))
    assert out.tolist() == [
        xxhash.xxh32_intdigest(data[b : b + k]) for b, k in zip(begins, lengths, strict=True)
    ]


def test_xxh32_ranges_many_chunks_equal_xxhash() -> None:
    # More ranges than one internal chunk, mixed lengths (0 to 5 stripes), any order.
    rng = np.random.default_rng(7)
    data = rng.integers(0, 256, 5000, dtype=np.uint8).tobytes()
    lengths = rng.integers(0, 90, 70_000)
    begins = rng.integers(0, 5000 - 90, 70_000)
    out = xxh32_ranges(np.frombuffer(data, dtype=np.uint8), begins, lengths)
    expected = [
        xxhash.xxh32_intdigest(data[b : b + k]) for b, k in zip(begins, lengths, strict=True)
    ]
    assert out.tolist() == expected


@given(st.one_of(noisy_text, article, ASCII_NOISE, TYPOGRAPHIC))
def test_fast_tokens_equal_word_tokens(text: str) -> None:
    assert fast_word_tokens(text) == word_tokens(text)


@given(st.lists(st.one_of(article, ASCII_NOISE), max_size=8), st.integers(1, 4))
@settings(max_examples=40)
def test_shingle_batch_equals_per_text(texts: list[str], ngram: int) -> None:
    batch = shingle_hashes(texts, ngram)
    for i, text in enumerate(texts):
        expected = [xxhash.xxh32_intdigest(s.encode()) for s in shingles(text, ngram)]
        assert batch.doc(i).tolist() == expected


@given(st.lists(article, min_size=1, max_size=7), st.integers(1, 4))
@settings(max_examples=25)
def test_batch_size_and_jobs_do_not_change_signatures(texts: list[str], batch_size: int) -> None:
    whole = minhash_signatures(texts, num_perm=16)
    assert (minhash_signatures(texts, num_perm=16, batch_size=batch_size) == whole).all()


def test_jobs_do_not_change_signatures() -> None:
    texts = [
        f"document number {i} says that item {i * 7} costs {i % 5} dollars today" for i in range(50)
    ]
    one = minhash_signatures(texts, num_perm=32, batch_size=8)
    two = minhash_signatures(texts, num_perm=32, batch_size=8, jobs=2)
    assert (one == two).all()


@pytest.mark.parametrize("bad", [[1, "a"], "single string", [b"bytes"], [None]])
def test_bad_texts_raise(bad: object) -> None:
    with pytest.raises(InputError, match="str"):
        minhash_signatures(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("kwargs", [{"num_perm": 0}, {"ngram": 0}, {"batch_size": 0}, {"jobs": 0}])
def test_bad_parameters_raise(kwargs: dict[str, int]) -> None:
    with pytest.raises(InputError):
        minhash_signatures(["a b c"], **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.5, 0.7, 0.8, 0.9])
def test_lsh_params_match_datasketch(threshold: float) -> None:
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    assert lsh_params(threshold, 128) == (lsh.b, lsh.r)


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5, float("nan")])
def test_lsh_params_reject_bad_threshold(threshold: float) -> None:
    with pytest.raises(InputError, match=r"threshold must be in \(0, 1\]"):
        lsh_params(threshold, 128)


def test_band_keys_never_equal_across_bands() -> None:
    sig = np.zeros((3, 8), dtype=np.uint32)  # all bands hold identical values
    keys = band_keys(sig, bands=4, rows=2)
    assert len(set(keys[0].tolist())) == 4
    assert (keys[0] == keys[1]).all()


@given(st.lists(st.lists(st.integers(0, 3), min_size=3, max_size=3), max_size=25))
def test_candidate_pairs_equal_brute_force(rows: list[list[int]]) -> None:
    keys = np.array(rows, dtype=np.uint64).reshape(-1, 3) + np.arange(
        3, dtype=np.uint64
    ) * np.uint64(10)
    expected = sorted(
        (i, j)
        for i in range(len(rows))
        for j in range(i + 1, len(rows))
        if (keys[i] == keys[j]).any()
    )
    assert [tuple(p) for p in candidate_pairs(keys).tolist()] == expected


def test_candidate_pairs_big_group_stays_connected() -> None:
    from newsclean import component_labels

    keys = np.zeros((300, 1), dtype=np.uint64)
    pairs = candidate_pairs(keys, max_group=10)
    assert len(pairs) < 300 * 2
    assert set(component_labels(300, pairs).tolist()) == {0}


@given(
    st.lists(st.lists(st.integers(0, 2), min_size=6, max_size=6), max_size=30),
    st.sampled_from([(3, 2), (2, 3), (6, 1)]),
)
def test_signature_pairs_equal_candidate_pairs_of_band_keys(
    rows: list[list[int]], shape: tuple[int, int]
) -> None:
    from newsclean.lsh import signature_pairs

    sig = np.array(rows, dtype=np.uint32).reshape(-1, 6)
    bands, r = shape
    assert (signature_pairs(sig, bands, r) == candidate_pairs(band_keys(sig, bands, r))).all()


def test_known_lsh_params_are_datasketch_s() -> None:
    from datasketch.lsh import _optimal_param

    from newsclean.lsh import KNOWN_PARAMS

    for (threshold, num_perm, fp, fn), params in KNOWN_PARAMS.items():
        assert tuple(int(x) for x in _optimal_param(threshold, num_perm, fp, fn)) == params


@given(st.lists(st.text(alphabet="ab 12.,/:-\u2014\u00a0\u2019x", max_size=40), max_size=30), st.integers(1, 8))
@settings(max_examples=60)
def test_sketch_does_not_depend_on_the_batch_size(texts: list[str], batch_size: int) -> None:
    from newsclean.duplicates.sketch import _ARRAYS, sketch_texts

    ids = [str(i) for i in range(len(texts))]
    whole = sketch_texts(texts, ids, batch_size=10_000)
    cut = sketch_texts(texts, ids, batch_size=batch_size)
    for name in _ARRAYS:
        assert np.array_equal(getattr(whole, name), getattr(cut, name)), name


@given(st.lists(st.text(alphabet="aB 0123456789.,/:-_x\n\t^)*+", max_size=60), max_size=20))
@settings(max_examples=200)
def test_figure_words_compiled_path_is_the_per_character_rule(texts: list[str]) -> None:
    import xxhash

    from newsclean.duplicates.words import (
        _blank_list_numbers,
        _plain_form,
        _python_words,
        plain_value,
        text_words,
    )

    hashes, digits, values, offsets = text_words(texts)
    for i, text in enumerate(texts):
        words = [w for w, _, _ in _python_words(_blank_list_numbers(_plain_form(text) or ""))]
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        assert hashes[lo:hi].tolist() == [xxhash.xxh32_intdigest(w.encode()) for w in words]
        assert values[lo:hi].tolist() == [plain_value(w) for w in words]
        assert digits[lo:hi].tolist() == [any(c.isdigit() for c in w) for w in words]


@pytest.mark.parametrize("seed", [-1, 1 << 32, 1.5, True])
def test_a_seed_out_of_datasketch_range_is_an_input_error(seed: object) -> None:
    with pytest.raises(InputError, match="seed must be an int"):
        minhash_signatures(["the harbour board met on tuesday"], seed=seed)  # type: ignore[arg-type]
    assert minhash_signatures(["the harbour board met on tuesday"], seed=(1 << 32) - 1).shape == (1, 128)


@given(st.lists(st.text(alphabet="ab 12.\n", max_size=30), max_size=12), st.data())
@settings(max_examples=60)
def test_sketch_take_in_small_blocks_is_the_rows_in_order(texts: list[str], data: st.DataObject) -> None:
    import newsclean.duplicates.sketch as sketch

    sk = sketch.sketch_texts(texts, [str(i) for i in range(len(texts))])
    rows = data.draw(st.lists(st.integers(0, max(len(texts) - 1, 0)), max_size=20)) if texts else []
    block = data.draw(st.integers(1, 8))
    old, sketch._TAKE_BLOCK = sketch._TAKE_BLOCK, block
    try:
        part = sk.take(rows)
    finally:
        sketch._TAKE_BLOCK = old
    assert part.ids == tuple(str(r) for r in rows)
    for k, r in enumerate(rows):
        assert np.array_equal(part.words_of(k), sk.words_of(r))
        assert np.array_equal(part.shingles_of(k), sk.shingles_of(r))
