"""Chrome phrase lists (package data) turned into fast lookups.

The phrases live in ``newsclean/data/strip/patterns.json`` (menu words, teaser headings
such as "Most Read" / "Читайте также", ticker markers such as "BREAKING", share/follow
lines, cookie notices, footer/legal lines, form fields) and the stopwords in
``stopwords.txt`` (derived from jusText's stoplists, see that file's header). They are
read once at import into immutable structures: frozensets, a read-only mapping and
compiled regular expressions.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from types import MappingProxyType
from typing import Final

__all__ = [
    "BULLETS",
    "CONTAINS_ANCHORS",
    "CONTAINS_MARKS",
    "DATE_ANCHORS",
    "BYLINE_PREFIXES",
    "CONTAINS_CATEGORY",
    "CONTAINS_RE",
    "DATE_PARTS",
    "DATE_PARTS_TRIE",
    "DATE_RE",
    "DATE_WORD_FIRSTS",
    "EXACT",
    "STOPWORDS",
    "TRIM_CHARS",
    "chrome_key",
    "trie_pattern",
]

_DATA = files("newsclean") / "data" / "strip"

#: Characters that start a list item in page dumps: browser-like (inscriptis) and
#: lynx-like renderers. ``o`` (lynx's third level) is only a bullet when indented.
BULLETS: Final = frozenset("•◦▪‣∙·*+-–—▸►▶■□●○")

#: Stripped from both ends of a short line before it is looked up as a chrome phrase,
#: so that "▼ читать продолжение новости ▼", "Share:" and "1 Shares" find their entry.
TRIM_CHARS: Final = " \t0123456789.,:;!?|/\\-–—_()[]{}<>«»\"'“”‘’#*+•◦▪‣∙·▼▲►◄▶◀→←↓↑…>~=&"

# A category seen in several lists resolves to the first of this order: a ticker word
# is also a menu word ("live"), a share word also a teaser ("advertisement").
_PRIORITY: Final = ("ticker", "teaser", "share", "menu")


def _load_patterns() -> dict[str, object]:
    data: dict[str, object] = json.loads((_DATA / "patterns.json").read_text(encoding="utf-8"))
    return data


def _exact_table(raw: dict[str, dict[str, list[str]]]) -> MappingProxyType[str, str]:
    table: dict[str, str] = {}
    for category in reversed(_PRIORITY):
        for phrases in raw.get(category, {}).values():
            for phrase in phrases:
                table[phrase.lower().strip(TRIM_CHARS)] = category
    return MappingProxyType(table)


def _contains(raw: dict[str, list[str]]) -> tuple[re.Pattern[str], MappingProxyType[str, str]]:
    category_of: dict[str, str] = {}
    for category, phrases in raw.items():
        for phrase in phrases:
            category_of.setdefault(phrase.lower(), category)
    # Longest first, so that "share on facebook" wins over "share" inside one alternation.
    alternation = "|".join(re.escape(p) for p in sorted(category_of, key=len, reverse=True))
    return re.compile(alternation), MappingProxyType(category_of)


def trie_pattern(phrases: list[str] | tuple[str, ...]) -> str:
    """One regex alternation of literal phrases, factored as a trie (same matches, faster).

    ``re`` tries an alternation's branches one by one at each position; as a trie it
    follows one path. At a position, the trie's greedy optional groups try the longer
    phrase first, which is what a longest-first alternation does (two phrases of one
    length cannot both match at one position), so a search finds the same match.

    Examples:
        >>> print(trie_pattern(["share", "share on facebook", "shares", "cookie"]))
        (?:cookie|share(?:\\ on\\ facebook|s)?)
        >>> import re
        >>> re.search(trie_pattern(["share", "share on facebook"]), "a share on facebook b").group()
        'share on facebook'
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:  # type: ignore[type-arg]
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            child = node[ch]
            # A run of single-child nodes is one literal.
            literal = re.escape(ch)
            while len(child) == 1 and "" not in child:
                (nxt, child), = child.items()
                literal += re.escape(nxt)
            rest = pattern(child)
            branches.append(literal + rest)
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not end else "(?:" + "|".join(branches) + ")"
        return body + "?" if end else body

    return pattern(trie)


def _load_stopwords() -> frozenset[str]:
    text = (_DATA / "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


_PATTERNS: Final = _load_patterns()

#: Whole-line chrome phrases (lowercased, trimmed) -> category (menu/ticker/teaser/share).
EXACT: Final = _exact_table(_PATTERNS["exact"])  # type: ignore[arg-type]
#: One alternation of substrings that mark cookie/footer/share/form lines, and the
#: category of each matched (lowercased) substring.
CONTAINS_RE, CONTAINS_CATEGORY = _contains(_PATTERNS["contains"])  # type: ignore[arg-type]
_BYLINE: Final = _PATTERNS["byline"]
#: Lowercased starts of a byline ("by ", "von ", "автор:").
BYLINE_PREFIXES: Final = tuple(_BYLINE["prefixes"])  # type: ignore[index]
_DATE_WORDS: Final = tuple(sorted(_BYLINE["date_words"], key=len, reverse=True))  # type: ignore[index]
_DATE_ALTERNATION: Final = "|".join(re.escape(w) for w in _DATE_WORDS)
#: The parts of :data:`DATE_RE`: (a clock time or a numeric date, or a figure before a
#: month word), a month word before a figure, and the "N min read" / "updated" markers.
#: A line matches DATE_RE exactly when it matches one of them; the page-at-once
#: measurement runs each only on the lines that can match it (a figure, a month word,
#: a marker word).
def _date_parts(alternation: str) -> tuple[str, str, str, str]:
    return (
        r"\b\d{1,2}:\d{2}\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b",
        r"\b(?:" + alternation + r")\b\.?\s*\d",
        r"\d\s*(?:" + alternation + r")\b",
        r"\b(?:min read|minute read|minutes read|ago|updated|published)\b",
    )


DATE_PARTS: Final = _date_parts(_DATE_ALTERNATION)
#: :data:`DATE_PARTS` with the date words as a trie (:func:`trie_pattern`): the same
#: matches, found faster.
DATE_PARTS_TRIE: Final = _date_parts(trie_pattern(_DATE_WORDS))
#: A date or time inside a short line: a month word next to a number, a numeric date,
#: a clock time, or "N min read" / "updated" markers.
DATE_RE: Final = re.compile("|".join(DATE_PARTS))
#: The first word of each month / date word (a line without one cannot match the
#: month-word-before-a-figure part of :data:`DATE_RE`).
DATE_WORD_FIRSTS: Final = frozenset(re.findall(r"\w+", w)[0] for w in _DATE_WORDS)
#: Words of the "contains" phrases: a line sharing none of them (and holding none of
#: :data:`CONTAINS_MARKS`) cannot match :data:`CONTAINS_RE`, so the regex is skipped.
CONTAINS_ANCHORS: Final = frozenset(
    max(words, key=len)
    for words in (re.findall(r"[^\W\d_]+", phrase) for phrase in CONTAINS_CATEGORY)
    if words
)
#: Non-word marks of the "contains" phrases ("©", form fields) checked with ``in``.
CONTAINS_MARKS: Final = ("©", "___", "(c)", "[x]", "[ ]")
#: Words that can start a date/byline match without a digit.
DATE_ANCHORS: Final = frozenset(("min", "minute", "minutes", "ago", "updated", "published"))
#: Union of jusText stoplists of ~30 languages (see ``stopwords.txt``).
STOPWORDS: Final = _load_stopwords()


def chrome_key(content: str) -> str:
    """The lookup key of a line: lowercased, with counts, bullets and punctuation trimmed.

    Examples:
        >>> chrome_key("▼ читать продолжение новости ▼")
        'читать продолжение новости'
        >>> EXACT[chrome_key("  • 1 Shares")]
        'share'
    """
    return content.lower().strip(TRIM_CHARS)
