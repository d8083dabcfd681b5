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
from newsclean.normalize import fold_homoglyphs

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


# -- look-alike letters of Latin, Cyrillic and Greek ------------------------------------------

# Look-alikes written out here (the oracle), by script: Latin -> Cyrillic, Latin -> Greek.
CYRILLIC_OF = dict(zip("aceopxysijhdqwlACEHIJKMOPSTXYBë", "асеорхуѕіјһԁԛԝӏАСЕНІЈКМОРЅТХУВё", strict=True))
GREEK_OF = dict(zip("ABEHIKMNOPTXYZoipvku", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖοιρνκυ", strict=True))
LATIN_OF = {cyr: lat for lat, cyr in CYRILLIC_OF.items()} | {gr: lat for lat, gr in GREEK_OF.items()}
# Every script's letter -> its look-alikes in the other two scripts.
ALIKES: dict[str, list[str]] = {}
for _lat in set(CYRILLIC_OF) | set(GREEK_OF):
    _class = [c for c in (_lat, CYRILLIC_OF.get(_lat), GREEK_OF.get(_lat)) if c]
    for _c in _class:
        ALIKES[_c] = [o for o in _class if o != _c]


@pytest.mark.parametrize(
    ("disguised", "plain"),
    [
        ("M\u043escow", "Moscow"),  # Cyrillic о
        ("R\u0415UT\u0415RS", "Reuters"),  # Cyrillic Е
        ("\u0421\u043e\u0440yright", "Copyright"),  # Cyrillic С, о, р
        ("\u041co\u0441\u043a\u0432a", "Москва"),  # Latin o, a in a Cyrillic word
        ("\u0432ыбopы", "выборы"),  # Latin o, p
        ("KOMITET", "KOMITET"),  # all Latin: a Latin word, not folded
        ("\u0391thens", "Athens"),  # Greek Α
        ("\u03b1\u03b8\u03b7\u03bda", "\u03b1\u03b8\u03b7\u03bda"),  # Latin a: no Greek look-alike
        ("\u0391\u03b8\u03b7\u039da\u03b9", "\u0391\u03b8\u03b7\u039da\u03b9"),  # Greek word, Latin a
        ("\u039f\u03bb\u03c5\u03bcp\u03b9\u03b1", "\u039f\u03bb\u03c5\u03bc\u03c1\u03b9\u03b1"),  # Latin p
    ],
)
def test_a_word_mixing_scripts_compares_as_its_own_script(disguised: str, plain: str) -> None:
    assert comparison_form(disguised) == comparison_form(plain)
    assert normalize(disguised) == disguised  # the display form keeps every letter


def test_words_in_one_script_each_are_not_folded() -> None:
    text = "iPhone и Москва, Сочи и Sochi: ХОР и XOP, 2кг3kg"  # scripts meeting only across a digit
    assert fold_homoglyphs(text) == text
    assert comparison_form(text) == "iphone и москва сочи и sochi хор и xop 2кг3kg"


def test_a_disguised_copy_is_a_duplicate() -> None:
    story = (
        "Shares of the company rose sharply in early trade on Monday after the board "
        "approved a plan to buy back stock and raise the dividend for the third year"
    )
    disguised = story.replace("o", "\u043e").replace("a", "\u0430").replace("e", "\u0435")
    assert disguised != story
    res = newsclean.dedup([story, disguised, "Rain is expected over the weekend in the north"],
                          ids=["a", "b", "c"])
    assert list(res.labels) == ["a", "a", "c"]


_latin_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzBKMT", min_size=2, max_size=12)
_cyrillic_word = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщыэюяВКМТ", min_size=2, max_size=12)
_greek_word = st.text(alphabet="αβγδεζηθικλμνξοπρστυφχψωΑΒΚΜΤΩ", min_size=2, max_size=12)


@st.composite
def _disguised_word(draw: st.DrawFn) -> tuple[str, str]:
    """A one-script word with an own letter, and a copy with some look-alikes swapped
    for the same letter of another script."""
    word = draw(st.one_of(_latin_word, _cyrillic_word, _greek_word))
    own = [i for i, ch in enumerate(word) if ch not in ALIKES]
    alike = [i for i, ch in enumerate(word) if ch in ALIKES]
    from hypothesis import assume

    assume(own and alike)
    chosen = draw(st.sets(st.sampled_from(alike), min_size=1))
    copy = "".join(draw(st.sampled_from(ALIKES[ch])) if i in chosen else ch for i, ch in enumerate(word))
    return word, copy


@given(st.lists(_disguised_word(), min_size=1, max_size=8))
def test_swapping_lookalikes_into_a_word_keeps_its_comparison_form(
    words: list[tuple[str, str]],
) -> None:
    plain = " ".join(w for w, _ in words)
    disguised = " ".join(c for _, c in words)
    assert disguised != plain  # every word had a letter swapped
    assert comparison_form(disguised) == comparison_form(plain)


@given(st.lists(st.one_of(_latin_word, _cyrillic_word, _greek_word), max_size=10), st.sampled_from(" ,.-\n"))
def test_text_whose_words_each_have_one_script_is_not_folded(words: list[str], sep: str) -> None:
    text = sep.join(words)
    assert fold_homoglyphs(text) == text
