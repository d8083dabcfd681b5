"""normalize / comparison_form: examples first, then invariants."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import article, noisy_text

import newsclean
from newsclean import NormalizeConfig, comparison_form, normalize, split_paragraphs

NO_MOJIBAKE = dataclasses.replace(NormalizeConfig(), fix_mojibake=False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("“Double” and ‘single’ quotes", '"Double" and \'single\' quotes'),
        ("«Ёлки» „Zitat“ ‹fr›", '"Ёлки" "Zitat" "fr"'),
        ("en – em — minus − hyphen‐x", "en - em - minus - hyphen-x"),
        ("wait…", "wait..."),
        ("a\u00a0b\u2009c\u202fd\u3000e", "a b c d e"),
        ("zero\u200bwidth soft\u00adhyphen \u200fbidi\u202e", "zerowidth softhyphen bidi"),
        ("Caf&eacute; &amp;amp; &#8220;x&#8221;", 'Café & "x"'),
        ("The cafÃ© is open", "The café is open"),
        ("Ð\u009cÐ¾Ñ\u0081ÐºÐ²Ð°", "Москва"),
        ("line one\r\nline two\r\rpara", "line one\nline two\n\npara"),
        ("  spaced   out  \n\n\n\n next ", "spaced out\n\nnext"),
        ("ﬁnance ＡＢＣ １２３", "finance ABC 123"),
        ("", ""),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_nfc_keeps_compatibility_characters() -> None:
    cfg = dataclasses.replace(NormalizeConfig(), unicode_form="NFC")
    assert normalize("ﬁ e\u0301", cfg) == "ﬁ é"


def test_entity_line_breaks_do_not_create_paragraphs() -> None:
    assert normalize("one&#10;&#10;two") == "one two"


def test_comparison_form_folds_case_punctuation_and_layout() -> None:
    a = "“Stocks FELL,” he said — again.\n\nMarkets closed."
    b = '"stocks fell" he said - again\nmarkets closed'
    assert comparison_form(a) == comparison_form(b) == "stocks fell he said again markets closed"


def test_comparison_form_cyrillic() -> None:
    assert comparison_form("«МОСКВА», 3 марта — Ёж") == "москва 3 марта ёж"


def test_non_str_is_a_clear_error() -> None:
    with pytest.raises(newsclean.InputError, match="takes a str"):
        normalize(b"bytes")  # type: ignore[arg-type]


# -- invariants -------------------------------------------------------------------------------


@given(st.text())
def test_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(noisy_text)
def test_idempotent_on_noisy_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_comparison_form_is_idempotent(text: str) -> None:
    key = comparison_form(text)
    assert comparison_form(key) == key


@given(article)
def test_keeps_paragraph_count(text: str) -> None:
    assert len(split_paragraphs(normalize(text))) == len(split_paragraphs(text))


@given(st.text(alphabet=st.characters(blacklist_characters="&", blacklist_categories=("Cs",))))
def test_keeps_every_letter_and_digit(text: str) -> None:
    # Up to the documented folding: NFKC, and nothing else (mojibake repair off).
    def alnum(s: str) -> list[str]:
        return [c for c in unicodedata.normalize("NFKC", s) if c.isalnum()]

    assert alnum(normalize(text, NO_MOJIBAKE)) == alnum(text)


@given(article, st.sampled_from(["“", "”", "«", "»", "—", "–", "…", "\u00a0", "\u200b"]))
def test_typography_noise_does_not_change_comparison_form(text: str, noise: str) -> None:
    noisy = text.replace(" ", f" {noise}", 3)
    assert comparison_form(noisy) == comparison_form(text)


@pytest.mark.parametrize("text", ["\x83È", "Ã‰COLE", "Ð\x9cÐ¾Ñ\x81ÐºÐ²Ð°"])
def test_comparison_form_idempotent_when_case_folding_exposes_mojibake(text: str) -> None:
    key = comparison_form(text)
    assert comparison_form(key) == key


def test_zero_width_joiners_stay_where_they_spell_a_word() -> None:
    persian = "می\u200cخواهم"  # "I want": the non-joiner is part of the spelling
    conjunct = "क्\u200dष"
    family = "👨\u200d👩\u200d👧"
    for text in (persian, conjunct, family):
        assert normalize(text) == text
    assert normalize("Zähler\u200cfeld ab\u200dcd") == "Zählerfeld abcd"  # Latin: only noise
    # the comparison form ignores them, so a copy that lost them is still the same text
    assert comparison_form(persian) == comparison_form("میخواهم")
    assert comparison_form("Zähler\u200cfeld") == comparison_form("Zählerfeld")


def test_a_turkish_dotted_capital_i_compares_as_i() -> None:
    # "İ".casefold() is "i" + U+0307: a copy in capitals or without the dot would not match
    assert comparison_form("İSTANBUL'da yağmur") == comparison_form("Istanbul'da yağmur")
    assert comparison_form(comparison_form("İzmir")) == comparison_form("İzmir") == "izmir"
