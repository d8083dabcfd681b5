"""find_reuse: the seeds, errors, and a pasted paragraph found in unrelated text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import InputError, ReuseConfig, find_reuse
from newsclean.reuse import paragraphs

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
