"""Split a page dump into lines and measure each line (pure Python, one pass).

A dump line carries layout that the model reads: indentation (inscriptis and lynx
indent nested lists and containers), a list bullet (``•``/``◦``/``▪`` or lynx
``*``/``+``/``o``), its words. :func:`parse_lines` reads them once into parallel tuples,
so the feature code can work on whole columns with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

from .patterns import (
    BULLETS,
    BYLINE_PREFIXES,
    CONTAINS_CATEGORY,
    CONTAINS_RE,
    DATE_RE,
    EXACT,
    STOPWORDS,
    TRIM_CHARS,
)

__all__ = ["CATEGORIES", "Lines", "parse_lines", "split_raw_lines"]

#: Pattern categories, in the order of the integer codes in :attr:`Lines.category`
#: (0 means no pattern matched).
CATEGORIES: tuple[str, ...] = (
    "", "menu", "ticker", "teaser", "share", "cookie", "footer", "form", "byline", "date",
)
_CODE = {name: code for code, name in enumerate(CATEGORIES)}
_SENTENCE_END = frozenset(".!?\"”»’'…:;)")
_PUNCT_TABLE = str.maketrans({c: " " for c in ".,;:!?\"'“”‘’«»()[]{}|/\\-–—…*#"})
# Exact phrases are whole-line chrome only when the line is short; "Share" is chrome,
# a sentence that happens to start with "Share" is not.
_EXACT_MAX_WORDS = 6
_CONTAINS_MAX_WORDS = 40
_BYLINE_MAX_WORDS = 10
_DATE_MAX_WORDS = 12
#: A line longer than this is measured on its first part only (bounded time on a
#: 10 MB line without newlines; a line that long is body or garbage either way).
_MEASURE_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Lines:
    """Measurements of the non-blank lines of a dump (all tuples are parallel).

    Attributes:
        line_no: 0-based index of each non-blank line in the input's lines.
        text: the line, whitespace-collapsed, bullet kept (what decisions show).
        content: the line without its bullet (what the article keeps).
        indent: leading spaces.
        bullet: whether the line starts with a list bullet.
        words: number of words.
        chars: number of characters of ``content``.
        stop: number of stopwords.
        caps: number of capitalised (title-case) words.
        digits: number of all-digit words.
        punct: number of ``.``, ``,``, ``;``, ``:`` characters.
        end_punct: whether the line ends like a sentence.
        upper: whether the line is all upper case (``BREAKING``).
        category: pattern category code (see :data:`CATEGORIES`).
        duplicate: whether the same content appeared earlier in the dump.
        blank_before: whether a blank line (or the start) precedes the line.
        blank_after: whether a blank line (or the end) follows the line.
        n_raw: number of input lines, blank ones included.
    """

    line_no: tuple[int, ...]
    text: tuple[str, ...]
    content: tuple[str, ...]
    indent: tuple[int, ...]
    bullet: tuple[bool, ...]
    words: tuple[int, ...]
    chars: tuple[int, ...]
    stop: tuple[int, ...]
    caps: tuple[int, ...]
    digits: tuple[int, ...]
    punct: tuple[int, ...]
    end_punct: tuple[bool, ...]
    upper: tuple[bool, ...]
    category: tuple[int, ...]
    duplicate: tuple[bool, ...]
    blank_before: tuple[bool, ...]
    blank_after: tuple[bool, ...]
    n_raw: int

    def __len__(self) -> int:
        return len(self.line_no)


def split_raw_lines(text: str) -> list[str]:
    r"""Split on ``\n``, ``\r\n`` and ``\r`` only (not on the other Unicode breaks).

    Examples:
        >>> split_raw_lines("a\r\nb\rc\n")
        ['a', 'b', 'c', '']
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _category(content: str, lower: str, n_words: int) -> int:
    if n_words <= _EXACT_MAX_WORDS:
        found = EXACT.get(lower.strip(TRIM_CHARS))
        if found is not None:
            return _CODE[found]
    if n_words <= _CONTAINS_MAX_WORDS:
        match = CONTAINS_RE.search(lower)
        if match is not None:
            return _CODE[CONTAINS_CATEGORY[match.group()]]
    if n_words <= _BYLINE_MAX_WORDS and lower.startswith(BYLINE_PREFIXES):
        return _CODE["byline"]
    if n_words <= _DATE_MAX_WORDS and DATE_RE.search(lower) is not None:
        return _CODE["date"]
    return 0


def _split_bullet(stripped: str, indent: int) -> tuple[bool, str]:
    first = stripped[0]
    if first in BULLETS and (len(stripped) == 1 or stripped[1] == " "):
        return True, stripped[1:].lstrip()
    # lynx's third-level bullet is a plain "o"; only trust it when nested.
    if first == "o" and indent >= 6 and stripped[1:2] == " ":
        return True, stripped[2:].lstrip()
    return False, stripped


def parse_lines(text: str) -> Lines:
    """Measure every non-blank line of ``text``.

    Examples:
        >>> lines = parse_lines("  • News\\n\\nThe minister said on Monday that taxes would rise.")
        >>> lines.content
        ('News', 'The minister said on Monday that taxes would rise.')
        >>> lines.bullet, lines.words, lines.category
        ((True, False), (1, 9), (1, 0))
    """
    raw = split_raw_lines(text)
    cols: list[list[object]] = [[] for _ in range(17)]
    (line_no, texts, contents, indents, bullets, words_c, chars, stops, caps, digits, puncts,
     ends, uppers, cats, dups, blank_before, blank_after) = cols
    seen: set[str] = set()
    stopwords = STOPWORDS
    prev_blank = True
    for i, line in enumerate(raw):
        stripped = line.strip()
        if not stripped:
            if blank_after and not prev_blank:
                blank_after[-1] = True
            prev_blank = True
            continue
        indent = len(line) - len(line.lstrip())
        bullet, content = _split_bullet(stripped, indent)
        measured = content if len(content) <= _MEASURE_CHARS else content[:_MEASURE_CHARS]
        words = measured.split()
        content = " ".join(content.split()) if len(content) <= _MEASURE_CHARS else content
        lower = measured.lower()
        n_words = len(words)
        line_no.append(i)
        texts.append(("• " + content if content else "•") if bullet else content)
        contents.append(content)
        indents.append(indent)
        bullets.append(bullet)
        words_c.append(n_words)
        chars.append(len(content))
        stops.append(sum(map(stopwords.__contains__, lower.translate(_PUNCT_TABLE).split())))
        caps.append(sum(map(str.istitle, words)))
        digits.append(sum(map(str.isdigit, words)))
        puncts.append(measured.count(".") + measured.count(",") + measured.count(";") + measured.count(":"))
        ends.append(bool(content) and content[-1] in _SENTENCE_END)
        uppers.append(measured.isupper() and n_words <= 6)
        cats.append(_category(content, lower, n_words) if n_words else _CODE["menu"])
        key = lower if len(lower) < 300 else lower[:300]
        dups.append(key in seen)
        seen.add(key)
        blank_before.append(prev_blank)
        blank_after.append(False)
        prev_blank = False
    if blank_after:
        blank_after[-1] = True
    return Lines(*(tuple(col) for col in cols), n_raw=len(raw))  # type: ignore[arg-type,misc]
