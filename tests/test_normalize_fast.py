"""The fast forms of normalize's steps against the plain code they replace.

Each reference below is the step as it was written before (one pass over every run of
spaces, every line, every word); the fast step must give exactly its output.
"""

from __future__ import annotations

import re

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsclean.normalize import (
    _ASCII_NON_WORD,
    _NON_WORD_RUN,
    _TYPOGRAPHY,
    _drop_stray_joiners,
    _key_once,
    _maybe_mojibake,
    _mojibake_hint,
    collapse_whitespace,
    fold_case,
    normalize,
    unify_line_endings,
    unify_typography,
)

_SPACES = re.compile("[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_RUN = re.compile(r"\n(?:[ ]*\n)+")
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028]")
_WORD = regex.compile(r"\w+")
_NO_JOINERS = str.maketrans("", "", "\u200c\u200d")


def collapse_whitespace_reference(text: str) -> str:
    text = _SPACES.sub(" ", text)
    if "\n" not in text:
        return text.strip(" ")
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip("\n ")


def unify_line_endings_reference(text: str) -> str:
    return _LINE_BREAKS.sub("\n", text).replace("\u2029", "\n\n")


def unify_typography_reference(text: str) -> str:
    """The whole table over the text, ASCII or not (the backtick is ASCII)."""
    return _drop_stray_joiners(text.translate(_TYPOGRAPHY))


def maybe_mojibake_reference(text: str) -> bool:
    from ftfy.badness import is_bad

    starts = [m.start() for m in _mojibake_hint().finditer(text)]
    if not starts:
        return False
    if len(starts) > 200:
        return bool(is_bad(text))
    return bool(is_bad("\x00".join(text[max(0, i - 6) : i + 7] for i in starts)))


def words_reference(folded: str) -> str:
    return " ".join(_WORD.findall(folded.translate(_NO_JOINERS)))


# Every kind of space and line break the steps treat apart, beside letters, marks,
# digits, punctuation, joiners and other invisible characters.
_LAYOUT = (" \t\n\r\v\f\x85\u2028\u2029\u00a0\u1680\u2000\u2005\u200a\u200b\u202f\u205f\u3000"
           "\u200c\u200d\u00ad")
_LETTERS = "ab Zé\u0301ж9_٣漢-.,'\"!"
layout_text = st.text(alphabet=_LAYOUT + _LETTERS, max_size=80)


@given(st.one_of(layout_text, st.text(max_size=80)))
@example(" a \n \n\n b ")
@example("\u3000\n\t")
def test_collapse_whitespace_is_the_line_by_line_collapse(text: str) -> None:
    assert collapse_whitespace(text) == collapse_whitespace_reference(text)


@given(st.one_of(layout_text, st.text(max_size=80)))
@example("a\r\nb\rc\u2029d\x85e")
def test_unify_line_endings_is_the_plain_substitution(text: str) -> None:
    assert unify_line_endings(text) == unify_line_endings_reference(text)


@given(st.one_of(layout_text, st.text(max_size=80)))
@example("It's 3 o'clock_now; (really)!\t\n")
@example("¡Hola!  ¿qué\u200c tal? ")
@example("می\u200cخواهم")  # a joiner that spells a word: kept by normalize, not in the key
def test_the_comparison_key_is_the_words_joined_by_single_spaces(text: str) -> None:
    assert _key_once(text, None) == words_reference(fold_case(normalize(text)))


def test_the_ascii_word_characters_are_the_word_pattern_s() -> None:
    for code in range(128):
        char = chr(code)
        assert (char.translate(_ASCII_NON_WORD) != " ") is bool(_WORD.fullmatch(char)), repr(char)


_TYPOGRAPHIC = "‘’‚‛′ʼʻʹ‵´＇`“”„‟″‶«»‹›〝〞〟＂‐‑‒–—―⁃−⸺⸻﹘﹣－…⋯\u00ad\u200b\u200e\ufeff\x01\x7f\x85"
typographic_text = st.text(alphabet=_TYPOGRAPHIC + _LETTERS + " \u200c\u200dم", max_size=80)


@given(st.one_of(typographic_text, st.text(max_size=80)))
@example("«Да» — it’s “done”… `x´")
def test_unify_typography_is_the_translation_of_each_run(text: str) -> None:
    assert unify_typography(text) == unify_typography_reference(text)


@given(st.text(alphabet="`'ab ,.\x01\x7f-", max_size=40))
@example("it`s")
def test_ascii_text_is_unified_as_it_is_inside_non_ascii_text(text: str) -> None:
    """The ASCII fast path and the table agree (the table made backticks apostrophes, so
    a text kept them or not by whether it held one non-ASCII character)."""
    assert unify_typography(text) == unify_typography(text + "é")[:-1]


# Text dense in the characters that may start mojibake: over 200 of them or not.
mojibake_text = st.text(alphabet="éÃ©â€œ€°µ×aé ", min_size=150, max_size=260)


@settings(max_examples=60)
@given(st.one_of(mojibake_text, typographic_text, st.text(max_size=80)))
@example("Zürich " * 200 + "CafÃ© ")  # > 200 hints: the whole text is read (bad), not the windows of 200 (not)
@example("Zürich " * 198 + "CafÃ© ")
def test_the_mojibake_probe_reads_what_the_full_list_of_hints_reads(text: str) -> None:
    assert _maybe_mojibake(text) == maybe_mojibake_reference(text)


def test_every_character_splits_words_as_the_word_pattern_does() -> None:
    # each character of the BMP between two words: a word character joins them, any
    # other separates them, as in the word pattern
    for start in range(0, 0x10000, 4096):
        chars = "".join(chr(c) for c in range(start, start + 4096) if not 0xD800 <= c < 0xE000)
        text = "a" + "a".join(chars) + "a"
        assert _NON_WORD_RUN.sub(" ", text).strip(" ") == " ".join(_WORD.findall(text))
