"""The language of an article: detected from its text, else declared, else by script."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsclean
from newsclean.language import MIN_LETTERS, article_language, detect_language, script_language

_RU = ("В среду в Москве торжественно открыли новый пешеходный мост через реку. Строительство "
       "продолжалось почти три года и обошлось городу в два с половиной миллиарда рублей.")
_UK = ("У середу в Києві урочисто відкрили новий пішохідний міст через річку. Будівництво "
       "тривало майже три роки і коштувало місту два з половиною мільярди гривень.")
_DE = ("Die Gewerkschaft hat für Donnerstag einen bundesweiten Streik angekündigt. Reisende müssen "
       "mit erheblichen Einschränkungen rechnen, teilte die Bahn am Dienstag mit.")


def _page(body: str, lang: str | None = None) -> str:
    attr = f' lang="{lang}"' if lang else ""
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in body.split(".") if s.strip())
    return (f"<html{attr}><head><title>Story</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>Story</h1>{paragraphs}{paragraphs}</article></body></html>")


@pytest.mark.parametrize(("text", "code"), [(_RU, "ru"), (_UK, "uk"), (_DE, "de")])
def test_a_page_without_a_declaration_gets_its_texts_language(text: str, code: str) -> None:
    article = newsclean.extract(_page(text))
    assert article.status == "ok"
    assert article.language == code


def test_the_text_overrules_a_template_declaration() -> None:
    # a German article on a site whose template says lang="en"
    assert newsclean.extract(_page(_DE, lang="en")).language == "de"


def test_a_declaration_stands_when_the_text_is_too_short_to_tell() -> None:
    assert article_language("OK", "fr") == "fr"
    assert article_language("x" * (MIN_LETTERS - 1), "fr") == "fr"
    assert article_language("12:30 - 14:45", None) is None


def test_one_script_one_language_without_a_model_verdict() -> None:
    assert article_language("Η βουλή ψήφισε.", None) == "el"


def test_detection_reads_any_text_without_failing() -> None:
    for text in ["", "   ", "\x00\x01", "\udc80 broken surrogate", "a" * 100_000, "😀" * 50, "\n\n\n"]:
        found = detect_language(text)
        assert found is None or (isinstance(found[0], str) and 0.0 <= found[1] <= 1.0 + 1e-6)


@given(st.text(max_size=300), st.sampled_from([None, "en", "fr"]))
def test_too_few_letters_never_overrule_the_declaration(text: str, declared: str | None) -> None:
    result = article_language(text, declared)
    if sum(ch.isalpha() for ch in text[:2000]) < MIN_LETTERS:
        assert result == (declared or script_language(text))
    assert result is None or (result.isascii() and result.islower() and 2 <= len(result) <= 3)


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщыэюя ", min_size=MIN_LETTERS + 10, max_size=200))
def test_enough_letters_get_a_detected_or_the_declared_language(text: str) -> None:
    found = detect_language(text)
    result = article_language(text, "xx")
    if sum(ch.isalpha() for ch in text) >= MIN_LETTERS and found is not None and found[1] >= 0.5:
        assert result == found[0]
    else:
        assert result == "xx"


def test_strip_gives_the_language_of_the_article_it_keeps() -> None:
    dump = "Home | News | Sport\n\n" + "\n\n".join([_UK, _UK.replace("середу", "четвер")]) + "\n\nMost Read\n"
    article = newsclean.strip(dump)
    assert article.status == "ok"
    assert article.language == "uk"
    nothing = "Home | News"
    assert newsclean.strip(nothing).language is None  # no article, no language
