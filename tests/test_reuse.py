"""find_reuse: the seeds, errors, and a pasted paragraph found in unrelated text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import InputError, ReuseConfig, find_reuse
from newsclean.reuse import paragraph_spans, paragraphs

WORDS = (
    "market bank price rate city council bridge storm harbour minister budget tax school "
    "river farmer grain wheat report police court judge election vote party leader union "
    "strike factory export import currency shares trading energy oil gas coal power plant"
).split()


def test_seeds_shared_paragraphs(seeds: dict[str, str]) -> None:
    ids = sorted(seeds)
    res = find_reuse([seeds[i] for i in ids], ids)
    between = res.between("002", "004")
    exact = {(m.paragraph_a, m.paragraph_b) for m in between if m.containment == 1.0}
    assert len(exact) >= 4
    assert len({m.paragraph_a for m in between}) == 5
    assert res.between("000", "003") == ()
    paras_002 = res.paragraphs[ids.index("002")]
    paras_004 = res.paragraphs[ids.index("004")]
    for m in between:
        assert paras_002[m.paragraph_a] and paras_004[m.paragraph_b]
        assert (m.text_a, m.text_b) == (paras_002[m.paragraph_a], paras_004[m.paragraph_b])
        assert _squash(seeds["002"][slice(*m.span_a)]) == _squash(m.text_a)
        assert _squash(seeds["004"][slice(*m.span_b)]) == _squash(m.text_b)


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_paragraph_splitting_handles_one_per_line_and_wrapped() -> None:
    assert paragraphs("One.\nTwo!\nThree?") == ["One.", "Two!", "Three?"]
    assert len(paragraphs("wrapped line that\ngoes on and\non until the end.")) == 1


def test_bad_input() -> None:
    with pytest.raises(InputError):
        find_reuse(["a", 1])  # type: ignore[list-item]
    with pytest.raises(InputError, match="duplicate id"):
        find_reuse(["a", "b"], ["x", "x"])
    with pytest.raises(InputError, match="containment"):
        ReuseConfig(containment=0)


# Paragraphs of distinct words, so each has at least min_shared distinct shingles.
para = st.lists(st.sampled_from(WORDS), min_size=13, max_size=30, unique=True).map(
    lambda w: " ".join(w) + "."
)


@given(st.lists(para, min_size=2, max_size=4), st.lists(para, min_size=1, max_size=3), st.data())
@settings(max_examples=40)
def test_pasted_paragraph_is_found(source: list[str], host: list[str], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(source) - 1))
    pasted = source[k]
    at = data.draw(st.integers(0, len(host)))
    target = host[:at] + [pasted] + host[at:]
    res = find_reuse(["\n\n".join(source), "\n\n".join(target)], ["a_src", "b_dst"])
    found = {(m.paragraph_a, m.paragraph_b) for m in res.between("a_src", "b_dst")}
    source_paras = res.paragraphs[0]
    target_paras = res.paragraphs[1]
    assert any(source_paras[a] == pasted and target_paras[b] == pasted for a, b in found), (
        found,
        k,
        at,
    )


def test_match_carries_text_and_spans_of_both_paragraphs() -> None:
    shared = "The minister said on Monday that the new budget would cut taxes for small firms."
    a = "Markets opened higher today after a quiet week.\n\n" + shared
    b = "Football results from the weekend\r\nwere mixed.\r\n\r\n   " + shared + "\r\n\r\nMore later."
    (m,) = find_reuse([b, a], ids=["b", "a"]).matches
    assert (m.doc_a, m.doc_b) == ("a", "b")
    assert m.text_a == m.text_b == shared
    assert a[m.span_a[0]:m.span_a[1]] == shared
    assert b[m.span_b[0]:m.span_b[1]] == shared
    assert m.span_b[0] == b.index(shared)


# Text made of words, sentence ends, indentation and every kind of line break.
pieces = st.sampled_from(
    ["word", "other", "end.", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "\u2028", "\u2029",
     "\x0c", "\n  ", "\n\t", "\u00a0"]
)


@given(st.lists(pieces, max_size=60).map("".join))
def test_paragraph_spans_locate_every_paragraph(text: str) -> None:
    paras = paragraphs(text)
    spans = paragraph_spans(text)
    assert len(spans) == len(paras)
    previous_end = 0
    for para, (start, end) in zip(paras, spans, strict=True):
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece[0] == para[0] and piece[-1] == para[-1]
        assert _squash(piece) == _squash(para)
        previous_end = end
