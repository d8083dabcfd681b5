"""Split a page dump into lines and measure each line (pure Python, column by column).

A dump line carries layout that the model reads: indentation (inscriptis and lynx
indent nested lists and containers), a list bullet (``•``/``◦``/``▪`` or lynx
``*``/``+``/``o``), its words. :func:`parse_lines` reads them once into parallel tuples,
so the feature code can work on whole columns with numpy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import filterfalse
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from .measure import (
    _BYLINE_MAX_WORDS,
    _CATEGORIES,
    _CONTAINS_MAX_WORDS,
    _DATE_MAX_WORDS,
    _EXACT_MAX_WORDS,
    BULLET,
    SENTENCE_END_CHARS,
    _classes,
    _codes,
    _kernels,
    measure_page,
    measure_page_table,
)
from .patterns import (
    BULLETS,
    BYLINE_PREFIXES,
    CONTAINS_ANCHORS,
    CONTAINS_CATEGORY,
    CONTAINS_MARKS,
    CONTAINS_RE,
    DATE_ANCHORS,
    DATE_RE,
    EXACT,
    STOPWORDS,
    TRIM_CHARS,
)

__all__ = ["CATEGORIES", "Lines", "parse_lines", "split_raw_lines"]

#: Pattern categories, in the order of the integer codes in :attr:`Lines.category`
#: (0 means no pattern matched).
CATEGORIES: tuple[str, ...] = _CATEGORIES
_CODE = {name: code for code, name in enumerate(CATEGORIES)}
_SENTENCE_END = SENTENCE_END_CHARS
_DIGIT_RE = re.compile(r"\d")
_WORD_RE = re.compile(r"\w+")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LINK_NUMBER_RE = re.compile(r"\[\d{1,5}\]")
#: A line longer than this is measured on its first part only (bounded time on a
#: 10 MB line without newlines; a line that long is body or garbage either way).
_MEASURE_CHARS = 20_000
# Unwrapping (see unwrap): renderers wrap at 72-80 columns (lynx, textwrap) or up to
# ~200 for wide terminals; a page with lines longer than 250 characters was not wrapped.
_MIN_WRAP_WIDTH = 30
_MAX_WRAP_WIDTH = 250
_MIN_WRAP_BREAKS = 3
_MENU = _CODE["menu"]
# A line without the first character of any of CONTAINS_MARKS holds none (cheap pre-check).
_MARK_CHARS_RE = re.compile("[" + re.escape("".join(sorted({m[0] for m in CONTAINS_MARKS}))) + "]")
_IS_STOP = STOPWORDS.__contains__
# Up to this many lines not in the memo are measured one by one (see parse_lines).
_FEW_LINES = 8
#: Per-line measurements, see :func:`_measure`.
Row = tuple[str, int, int, int, int, int, int, bool, bool, int, bool, str]
#: What a parse measured (see :attr:`Lines.measured`): strings, columns, float rows or ``None``.
Measured = tuple[Sequence[str], Sequence[Sequence[Any]], "npt.NDArray[np.float64] | None"]


@dataclass(frozen=True, slots=True)
class Lines:
    """Measurements of the non-blank lines of a dump (all tuples are parallel).

    Attributes:
        line_no: 0-based index of each non-blank line in the input's lines.
        last_line_no: index of its last input line (> ``line_no`` when the renderer
            had wrapped it and :func:`parse_lines` joined it back).
        content: the line without its bullet (what the article keeps).
        indent: leading spaces.
        bullet: whether the line starts with a list bullet.
        words: number of words (for Chinese and Japanese, characters / 2).
        chars: number of characters of ``content`` (at most the measured 20,000).
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
        binary: whether more than 5% of the line's characters are control or other
            unprintable characters (binary garbage, not text).
        n_raw: number of input lines, blank ones included.
        numbers: the columns words, chars, stop, caps, digits, punct, end_punct, bullet,
            upper, duplicate, blank_before, blank_after and indent as rows of a float64
            array (the feature matrix's input), when :func:`parse_lines` measured the
            lines itself or took them all from an earlier parse; ``None`` when they came
            from the caller's memo.
        measured: what each line's measurements were taken of (the line after its bullet
            and lynx link numbers), its measurements (:func:`_measure`'s columns) and
            their float rows (see :func:`.measure.measure_page_table`; ``None`` when not
            made): a later parse of text made of these lines takes them from here
            (``reuse`` of :func:`parse_lines`).
    """

    line_no: tuple[int, ...]
    last_line_no: tuple[int, ...]
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
    binary: tuple[bool, ...]
    n_raw: int
    numbers: npt.NDArray[np.float64] | None = field(default=None, compare=False, repr=False)
    measured: Measured | None = field(default=None, compare=False, repr=False)

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


def _category(lower: str, tokens: list[str], n_words: int) -> int:
    """Pattern category code of a line (regexes run only when a cheap check allows a match)."""
    if n_words <= _EXACT_MAX_WORDS:
        found = EXACT.get(lower.strip(TRIM_CHARS))
        if found is not None:
            return _CODE[found]
    if n_words <= _CONTAINS_MAX_WORDS and (
        not CONTAINS_ANCHORS.isdisjoint(tokens)
        or (_MARK_CHARS_RE.search(lower) is not None and any(m in lower for m in CONTAINS_MARKS))
    ):
        match = CONTAINS_RE.search(lower)
        if match is not None:
            return _CODE[CONTAINS_CATEGORY[match.group()]]
    if n_words <= _BYLINE_MAX_WORDS and lower.startswith(BYLINE_PREFIXES):
        return _CODE["byline"]
    if (
        n_words <= _DATE_MAX_WORDS
        and (_DIGIT_RE.search(lower) is not None or not DATE_ANCHORS.isdisjoint(tokens))
        and DATE_RE.search(lower) is not None
    ):
        return _CODE["date"]
    return 0


def _cjk_words(text: str) -> int:
    """Word estimate for scripts written without spaces (Chinese, Japanese): 2 characters a word."""
    return len(_CJK_RE.findall(text)) // 2


def _unprintable_share(text: str) -> float:
    return sum(not c.isprintable() for c in text) / max(len(text), 1)


def _bounds(lines: Sequence[str], joined: str | None = None) -> npt.NDArray[np.int64]:
    """Indent, end, content start, bullet, first-word length and inner double space of each line.

    See :func:`.kernels.line_bounds`.

    ``joined`` is ``"\\n".join(lines)`` when the caller has it.
    """
    codes = _codes(("\n".join(lines) if joined is None else joined) + "\n")
    bounds: npt.NDArray[np.int64] = _kernels().line_bounds(codes, *_classes(codes), len(lines), BULLET)
    return bounds


def _ragged_break(raw: list[str], lengths: list[int], i: int, width: int) -> bool:
    """A break of text wrapped by hand or by an editor (ragged, not filled to the width).

    Wire copy and e-mail text break lines well before the width, so the textwrap test
    misses them; a line of at least half the width that stops mid-sentence, followed by
    a line that is not indented deeper (a deeper indent opens a paragraph), is taken as
    wrapped when the next line goes on in lower case, or when the line itself is long
    (>= 70% of the width) and ends in a letter or comma.
    """
    line, nxt = raw[i].rstrip(), raw[i + 1]
    if lengths[i] < width // 2 or line[-1] in ".!?:\"'»”)":
        return False
    indent, next_indent = len(line) - len(line.lstrip()), len(nxt) - len(nxt.lstrip())
    if next_indent > indent or (next_indent == indent > 0):
        return False
    first = nxt.lstrip()[0]
    return first.islower() or (lengths[i] * 10 >= width * 7 and (line[-1].isalpha() or line[-1] == ","))


def _new_paragraph(line: str, nxt: str) -> bool:
    """A sentence end followed by a deeper-indented line: a new paragraph, not a wrap."""
    end = line.rstrip()
    return bool(end) and end[-1] in ".!?\"”»)" and len(nxt) - len(nxt.lstrip()) > len(line) - len(line.lstrip())


def unwrap(raw: list[str], bounds: npt.NDArray[np.int64] | None = None) -> list[tuple[int, int, str]] | None:
    """Join lines that a renderer wrapped at a fixed width: ``(first, last, text)`` each.

    A line was wrapped when the next line's first word would not have fit after it
    within the page's width (the longest line), the way ``textwrap`` and ``lynx``
    break lines. Only pages whose width is at most 250 and that show at least three
    such breaks are unwrapped; for other pages the result is ``None`` (nothing to join).
    ``bounds`` is :func:`_bounds` of ``raw`` when the caller has it.

    Examples:
        >>> page = ["The council met on Tuesday and agreed on", "a plan.", ""] * 3
        >>> unwrap(page)[:2]
        [(0, 1, 'The council met on Tuesday and agreed on a plan.'), (2, 2, '')]
    """
    if len(raw) < 2:
        return None
    _, ends, _, bullet, first_word, _ = _bounds(raw) if bounds is None else bounds
    width = int(ends.max())
    if not _MIN_WRAP_WIDTH <= width <= _MAX_WRAP_WIDTH:
        return None
    lengths = ends.tolist()
    here, after = ends[:-1], ends[1:]
    fits = here + 1 + first_word[1:] > width
    # A break needs two non-blank lines, no bullet on the second, and the next word
    # not fitting or a ragged break (which needs the line to be >= half the width).
    maybe = (here > 0) & (after > 0) & (bullet[1:] == 0) & (fits | (here >= width // 2))
    breaks = [False] * (len(raw) - 1)
    for i, fit in zip(np.flatnonzero(maybe).tolist(), fits[maybe].tolist(), strict=True):
        breaks[i] = (fit or _ragged_break(raw, lengths, i, width)) and not _new_paragraph(raw[i], raw[i + 1])
    if sum(breaks) < _MIN_WRAP_BREAKS:
        return None
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(raw):
        j = i
        while j < len(breaks) and breaks[j]:
            j += 1
        text = raw[i] if i == j else raw[i].rstrip() + " " + " ".join(r.strip() for r in raw[i + 1:j + 1])
        out.append((i, j, text))
        i = j + 1
    return out


def _measure(c: str) -> Row:
    """Everything :class:`Lines` records of one line that depends on its content alone.

    Returns ``(content, words, chars, stop, caps, digits, punct, end_punct, upper,
    category, binary, duplicate_key)``.

    Examples:
        >>> _measure("The  minister said so.")[:3]
        ('The minister said so.', 4, 21)
    """
    m = c[:_MEASURE_CHARS] if len(c) > _MEASURE_CHARS else c
    w = m.split()
    nw = len(w)
    n = nw if nw > 3 or len(m) < 20 or m.isascii() else max(nw, _cjk_words(m))
    content = " ".join(w) if len(c) <= _MEASURE_CHARS else c
    lo = m.lower()
    tokens = _WORD_RE.findall(lo)
    return (
        content,
        n,
        min(len(content), _MEASURE_CHARS),
        sum(map(_IS_STOP, tokens)),
        sum(map(str.istitle, w)),
        sum(map(str.isdigit, w)),
        m.count(".") + m.count(",") + m.count(";") + m.count(":"),
        bool(content) and content[-1] in _SENTENCE_END,
        m.isupper() and n <= 6,
        (_category(lo, tokens, n) if n <= _CONTAINS_MAX_WORDS else 0) if n else _MENU,
        not m.isprintable() and _unprintable_share(m) > 0.05,
        lo[:300],
    )


def _measure_table(cs: list[str]) -> tuple[list[list[Any]], npt.NDArray[np.float64]]:
    """The columns of ``[_measure(c) for c in cs]`` and their numbers (see :func:`.measure.measure_page_table`).

    The page at once (numpy and compiled passes over its characters), lines longer
    than ``_MEASURE_CHARS`` one by one.
    """
    if not cs:
        return [[] for _ in range(12)], np.zeros((8, 0))
    if max(map(len, cs)) <= _MEASURE_CHARS:
        return measure_page_table(cs, _cjk_words, _unprintable_share)
    short = [i for i, c in enumerate(cs) if len(c) <= _MEASURE_CHARS]
    columns: list[list[Any]] = [list(col) for col in zip(*map(_measure, cs), strict=True)]
    for k, col in enumerate(measure_page(short_cs, _cjk_words, _unprintable_share)
                            if (short_cs := [cs[i] for i in short]) else []):
        for i, value in zip(short, col, strict=True):
            columns[k][i] = value
    return columns, np.array(columns[1:9], dtype=np.float64).reshape(8, len(cs))


def _measure_all(cs: list[str]) -> list[list[Any]]:
    """The columns of ``[_measure(c) for c in cs]`` (see :func:`_measure_table`)."""
    return _measure_table(cs)[0]


# Paragraphs set apart by single blank lines: each a line that starts with a character
# that is neither whitespace (re's \s is str.isspace) nor a bullet, and ends with one that
# is not whitespace (see _paragraph_layout).
_PARAGRAPH = "[^\\s" + "".join(re.escape(b) for b in sorted(BULLETS)) + "](?:[^\\n]*\\S)?"
_PARAGRAPH_LAYOUT_RE = re.compile(f"{_PARAGRAPH}(?:\\n\\n{_PARAGRAPH})*")


def _paragraph_layout(text: str) -> bool:
    """Whether ``text`` is paragraphs set apart by blank lines, as strip writes its output.

    Each paragraph is one line that starts and ends with a character that is not
    whitespace and does not start with a bullet character. :func:`parse_lines` reads such
    a text without its line passes: every line is content from its first character (no
    indent, no bullet: the ``"o "`` bullet needs an indent), and :func:`unwrap` never
    joins lines of it (every other line is blank). The same :class:`Lines` (tested).

    Examples:
        >>> _paragraph_layout("One.\\n\\nTwo."), _paragraph_layout("One.\\nTwo."), _paragraph_layout("A.\\n\\n\\nB.")
        (True, False, False)
        >>> _paragraph_layout("  One.\\n\\nTwo."), _paragraph_layout("• One.\\n\\nTwo."), _paragraph_layout("A \\n\\nB")
        (False, False, False)
    """
    return _PARAGRAPH_LAYOUT_RE.fullmatch(text) is not None


def parse_lines(text: str, *, join_wrapped: bool = True, memo: dict[str, Row] | None = None,
                line_table: tuple[str, list[str], npt.NDArray[np.int64]] | None = None,
                reuse: tuple[Lines, Sequence[int]] | None = None) -> Lines:
    """Measure every non-blank line of ``text`` (the whole page at once, for speed).

    ``memo`` (content -> measurements) lets the caller share measurements between
    calls on related texts (strip re-parses its own output); it is filled in place.
    ``line_table``: ``(text, text.split("\n"), _bounds(...))`` when the caller has them (the
    column search); used only when its text is ``text`` itself (the same object).
    ``reuse``: ``(earlier, at)`` when ``text`` is paragraphs set apart by blank lines made
    of lines of an earlier parse (strip's re-strip): paragraph ``k`` is line ``at[k]`` of
    ``earlier``. A line whose measured string is that earlier line's (compared) takes its
    measurements from ``earlier.measured``; the others are measured (or found in
    ``memo``). Measurements depend on the string alone, so the result is the same.

    Examples:
        >>> lines = parse_lines("  • News\\n\\nThe minister said on Monday that taxes would rise.")
        >>> lines.content
        ('News', 'The minister said on Monday that taxes would rise.')
        >>> lines.bullet, lines.words, lines.category
        ((True, False), (1, 9), (1, 0))
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if line_table is not None and line_table[0] is not text:
        line_table = None
    raw = text.split("\n") if line_table is None else line_table[1]  # split_raw_lines(text)
    logical: list[tuple[int, int, str]] | None = None
    if _paragraph_layout(text):
        # strip's own output (its re-strip): no indent, bullet or wrapping to find.
        keep: list[int] = list(range(0, len(raw), 2))
        cs = raw[0::2]
        at_zero = np.zeros(len(keep), dtype=np.int64)
        kept_starts, kept_bullet, apart = at_zero, at_zero, np.ones(max(len(keep) - 1, 0), dtype=bool)
    else:
        bounds = _bounds(raw, text) if line_table is None else line_table[2]
        logical = unwrap(raw, bounds) if join_wrapped else None
        if logical is None:
            source: Sequence[str] = raw
        else:
            source = tuple(line for _, _, line in logical)
            # A line left as it was keeps its bounds; only joined lines are measured again.
            bounds = bounds[:, [first for first, _, _ in logical]]
            joined = [k for k, (first, last, _) in enumerate(logical) if last > first]
            if joined:
                bounds[:, joined] = _bounds([source[k] for k in joined])
        starts, ends, content_starts, bullet, _, _ = bounds
        kept = np.flatnonzero(ends > starts)  # the non-blank lines
        keep = kept.tolist()
        cs = [source[i][a:b] for i, a, b in zip(keep, content_starts[kept].tolist(), ends[kept].tolist(), strict=True)]
        kept_starts, kept_bullet = starts[kept], bullet[kept]
        # A blank line (or the edge) before / after: the neighbour in `keep` is not adjacent.
        apart = np.diff(kept) != 1
    if "[" in text:  # lynx link numbers: "[12]Link text" -> "Link text"
        cs = [_LINK_NUMBER_RE.sub("", c) if "[" in c else c for c in cs]
    indents: list[int] = kept_starts.tolist()
    bullets: list[bool] = (kept_bullet != 0).tolist()
    cols: Sequence[Sequence[Any]]
    numbers: npt.NDArray[np.float64] | None = None  # words..upper as float rows, when measured here
    reused = _reused(cs, reuse, {} if memo is None else memo) if logical is None and reuse is not None else None
    if reused is not None:
        cols, numbers = reused
    elif memo and any(map(memo.__contains__, distinct := list(dict.fromkeys(cs)))):
        cols = _from_memo(cs, distinct, memo)
    else:
        # A first pass: every line measured in one go. A repeated line is measured
        # again (a line's measurements depend on its content alone; measuring the
        # distinct lines and picking them back out for the page cost more). The memo
        # is not filled: a re-strip takes these lines' measurements from
        # ``Lines.measured`` (``reuse``).
        cols, numbers = _measure_table(cs)
    keys = cols[11]
    if len(set(keys)) == len(keys):
        dups = [False] * len(keys)
    else:
        first_of: dict[str, int] = {}
        dups = [first_of.setdefault(key, k) != k for k, key in enumerate(keys)]
    contents, n_words, chars, stops, caps, digits, puncts, ends, uppers, cats, binaries = (
        tuple(col) for col in cols[:11])
    after: list[bool] = apart.tolist()
    table = None
    if numbers is not None:  # the numbers of the feature matrix (features.line_features), in its order
        table = np.empty((13, len(keep)))
        table[:7] = numbers[:7]  # words, chars, stop, caps, digits, punct, end_punct
        table[7] = kept_bullet
        table[8] = numbers[7]  # upper
        table[9] = dups
        table[10, :1], table[10, 1:] = True, apart  # blank_before
        table[11, :-1], table[11, -1:] = apart, True  # blank_after
        table[12] = kept_starts  # indent
    line_no = tuple(keep) if logical is None else tuple([logical[i][0] for i in keep])
    return Lines(
        line_no=line_no,
        last_line_no=line_no if logical is None else tuple([logical[i][1] for i in keep]),
        content=contents,
        indent=tuple(indents),
        bullet=tuple(bullets),
        words=n_words,
        chars=chars,
        stop=stops,
        caps=caps,
        digits=digits,
        punct=puncts,
        end_punct=ends,
        upper=uppers,
        category=cats,
        duplicate=tuple(dups),
        blank_before=(True, *after) if keep else (),
        blank_after=(*after, True) if keep else (),
        binary=binaries,
        n_raw=len(raw),
        numbers=table,
        measured=(cs, cols, numbers),
    )


def _from_memo(cs: list[str], distinct: list[str], memo: dict[str, Row]) -> list[Sequence[Any]]:
    """The columns of ``[_measure(c) for c in cs]``, rows found in ``memo`` or measured (and added)."""
    todo = list(filterfalse(memo.__contains__, distinct))
    if len(todo) > _FEW_LINES:
        memo.update(zip(todo, zip(*_measure_all(todo), strict=True), strict=True))
    else:  # a few lines: the page-at-once passes cost more than they save (the same rows, tested)
        memo.update(zip(todo, map(_measure, todo), strict=True))
    return list(zip(*map(memo.__getitem__, cs), strict=True)) if cs else [()] * 12


def _reused(cs: list[str], reuse: tuple[Lines, Sequence[int]], memo: dict[str, Row]
            ) -> tuple[list[Sequence[Any]], npt.NDArray[np.float64] | None] | None:
    """The columns (and float rows) of ``cs`` taken from an earlier parse (see ``reuse`` of :func:`parse_lines`).

    ``None`` when the earlier parse has no measurements or ``at`` does not give one line
    per string. A string that differs from its earlier line's has its row from ``memo``
    or measured (:func:`_from_memo`); the float rows then are not made (``None``).
    """
    earlier, at = reuse
    if earlier.measured is None or len(at) != len(cs) or not cs:
        return None
    before, columns, rows = earlier.measured
    take = itemgetter(*at) if len(at) > 1 else lambda seq: (seq[at[0]],)
    same = list(map(str.__eq__, cs, take(before)))
    if all(same):
        return [take(col) for col in columns], None if rows is None else rows[:, list(at)]
    # Some lines changed (inline chrome cut from them): those measured, the rest taken.
    changed = [c for c, s in zip(cs, same, strict=True) if not s]
    fresh = dict(zip(changed, zip(*_from_memo(changed, list(dict.fromkeys(changed)), memo), strict=True),
                     strict=True))
    found = [tuple(col[h] for col in columns) if s else fresh[c] for c, h, s in zip(cs, at, same, strict=True)]
    return list(zip(*found, strict=True)), None
