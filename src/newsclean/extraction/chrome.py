"""Remove inline chrome that survives extraction: share lines, teasers, credits, sign-up boxes.

Extractors keep whatever sits inside the article container; publishers put widgets
there. The patterns are data (``newsclean/data/extract_chrome.json``), multilingual,
and only ever applied to *short* paragraphs (``max_words`` there), so a real
paragraph that happens to mention a newsletter is kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

__all__ = ["ChromePatterns", "chrome_reason", "load_patterns", "remove_chrome"]

_WORD = regex.compile(r"\w+")
_SPACES = regex.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ChromePatterns:
    """Compiled chrome patterns.

    Attributes:
        max_words: only paragraphs with at most this many words are tested.
        labels: widget labels ("Comments", "Share this article") as lower-cased words
            joined by one space; a paragraph whose words are exactly a label is chrome.
        patterns: ``(reason, compiled regex)`` pairs, tried in order.
    """

    max_words: int
    labels: frozenset[str]
    patterns: tuple[tuple[str, regex.Pattern[str]], ...]


@lru_cache(maxsize=1)
def load_patterns() -> ChromePatterns:
    """Load and compile the packaged pattern file (once per process; the result is immutable)."""
    raw = resources.files("newsclean").joinpath("data/extract_chrome.json").read_text("utf-8")
    data = json.loads(raw)
    patterns = tuple(
        (reason, regex.compile(expr, regex.IGNORECASE | regex.UNICODE))
        for reason, exprs in data["patterns"].items()
        for expr in exprs
    )
    labels = frozenset(" ".join(_WORD.findall(label.lower())) for label in data["label"]["words"])
    return ChromePatterns(int(data["max_words"]), labels, patterns)


def chrome_reason(paragraph: str, patterns: ChromePatterns | None = None) -> str | None:
    """Why ``paragraph`` is chrome (``"label"``, ``"share"``, ``"related"``, ``"credit"``,
    ``"newsletter"``, ``"meta"``), or ``None`` if it looks like article text.

    Examples:
        >>> chrome_reason("Follow us on Twitter and Facebook.")
        'share'
        >>> chrome_reason("Read more: Storm closes schools")
        'related'
        >>> chrome_reason("Photo: Jane Doe / Reuters")
        'credit'
        >>> chrome_reason("Sign up for our daily newsletter to get the news in your inbox.")
        'newsletter'
        >>> chrome_reason("Читайте также: Новости дня")
        'related'
        >>> chrome_reason("Comments")
        'label'
        >>> chrome_reason("The mayor said she would follow the advice of the council.") is None
        True
    """
    rules = patterns or load_patterns()
    text = _SPACES.sub(" ", paragraph).strip()
    words = _WORD.findall(text)
    if len(words) > rules.max_words:
        return None
    if " ".join(words).lower() in rules.labels:
        return "label"
    for reason, pattern in rules.patterns:
        if pattern.search(text):
            return reason
    return None


def remove_chrome(paragraphs: Sequence[str], patterns: ChromePatterns | None = None) -> tuple[str, ...]:
    """The paragraphs that :func:`chrome_reason` does not flag, in order.

    Examples:
        >>> remove_chrome(["The storm hit at night.", "Share this article", "Schools stay shut."])
        ('The storm hit at night.', 'Schools stay shut.')
    """
    rules = patterns or load_patterns()
    return tuple(p for p in paragraphs if chrome_reason(p, rules) is None)
