"""Measure all lines of a page at once with numpy (the fast path of ``lines._measure``).

Python-level work per *word* is what made line measurement slow (~2,500 word objects
a page, each split, looked up and tested). Here the page is one array of code points:
each character gets its classes from one lookup table (built at import from Python's
own ``str`` methods, so the classes are exactly those of ``str.isspace``,
``str.istitle``, ``str.isdigit``, ... and ``re``'s ``\\w`` and ``\\d``), word
boundaries are where the classes change, and each ``\\w+`` token of the lowercased page
gets a polynomial hash (mod 2**64) that is looked up in a sorted table of the
stopword and anchor hashes. Per-line counts are sums over the line's tokens. Only the
pattern regexes and the few rare cases (wide CJK lines, unprintable characters, odd
whitespace) run per line, and only on the lines that can need them.

The result equals ``[_measure(c) for c in lines]`` column by column (property test in
``tests/test_strip_measure.py``; ``benchmarks/strip_speed.py`` checks every DEV dump).
The one assumption is that no ``\\w+`` token shares its 64-bit hash and its length
with a table word it is not (about 3e4 words in 2**64 hash values; the table itself is
checked for collisions at import).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from .patterns import (
    BULLETS,
    BYLINE_PREFIXES,
    CONTAINS_ANCHORS,
    CONTAINS_CATEGORY,
    CONTAINS_MARKS,
    DATE_ANCHORS,
    DATE_PARTS_TRIE,
    DATE_WORD_FIRSTS,
    EXACT,
    STOPWORDS,
    TRIM_CHARS,
    trie_pattern,
)

__all__ = ["char_flags", "measure_page", "measure_page_table"]

Codes = npt.NDArray[np.uint32]
Flags = npt.NDArray[np.uint16]

# Character classes, one bit each.
SPACE = 1 << 0  # str.isspace
WORD = 1 << 1  # re's \w: str.isalnum or "_"
UPPER_OR_TITLE = 1 << 2  # str.istitle of the character: upper or titlecase
LOWER = 1 << 3  # str.islower
UPPER = 1 << 4  # str.isupper
TITLECASE = 1 << 5  # titlecase, not upper (Dž): str.isupper is False on it
DIGIT = 1 << 6  # str.isdigit
UNPRINTABLE = 1 << 7  # not str.isprintable
DECIMAL = 1 << 8  # re's \d: str.isdecimal
SENTENCE_END = 1 << 9  # ends a sentence (lines._SENTENCE_END)
PUNCT = 1 << 10  # . , ; :
MARK = 1 << 11  # first character of a CONTAINS_MARKS entry
NON_ASCII = 1 << 12
ODD_SPACE = 1 << 13  # whitespace other than " " and "\n": content differs from the line
BULLET = 1 << 14  # a list bullet (patterns.BULLETS)
TRIM = 1 << 15  # trimmed from a line's ends before its exact-phrase look-up (patterns.TRIM_CHARS)

SENTENCE_END_CHARS = frozenset(".!?\"”»’'…:;)。！？」』؟।")
_PUNCT_CHARS = frozenset(".,;:")
_MARK_FIRST = frozenset(m[0] for m in CONTAINS_MARKS)
# Exact phrases are whole-line chrome only when the line is short; "Share" is chrome,
# a sentence that happens to start with "Share" is not.
_EXACT_MAX_WORDS = 6
_CONTAINS_MAX_WORDS = 40
_BYLINE_MAX_WORDS = 10
_DATE_MAX_WORDS = 12
#: Pattern categories in the order of their integer codes (re-exported as
#: ``lines.CATEGORIES``; 0 means no pattern matched).
_CATEGORIES: tuple[str, ...] = (
    "", "menu", "ticker", "teaser", "share", "cookie", "footer", "form", "byline", "date",
)
_CODE = {name: code for code, name in enumerate(_CATEGORIES)}


def char_flags(ch: str) -> int:
    """Class bits of one character (the lookup table holds this for every BMP character).

    Examples:
        >>> char_flags("A") & UPPER_OR_TITLE != 0, char_flags(" ") & SPACE != 0
        (True, True)
    """
    flags = 0
    for bit, test in _TESTS:
        if test(ch):
            flags |= bit
    return flags


_TESTS: tuple[tuple[int, Callable[[str], bool]], ...] = (
    (SPACE, str.isspace),
    (WORD, lambda c: c.isalnum() or c == "_"),
    (UPPER_OR_TITLE, str.istitle),
    (LOWER, str.islower),
    (UPPER, str.isupper),
    (TITLECASE, lambda c: c.istitle() and not c.isupper()),
    (DIGIT, str.isdigit),
    (UNPRINTABLE, lambda c: not c.isprintable()),
    (DECIMAL, str.isdecimal),
    (SENTENCE_END, SENTENCE_END_CHARS.__contains__),
    (PUNCT, _PUNCT_CHARS.__contains__),
    (MARK, _MARK_FIRST.__contains__),
    (NON_ASCII, lambda c: ord(c) >= 128),
    (ODD_SPACE, lambda c: c.isspace() and c not in " \n"),
    (BULLET, BULLETS.__contains__),
    (TRIM, frozenset(TRIM_CHARS).__contains__),
)


def _bmp_table() -> Flags:
    """:func:`char_flags` of every BMP character, one C-level pass per class (~25 ms)."""
    chars = [chr(i) for i in range(0x10000)]
    table = np.zeros(0x10000, dtype=np.uint16)
    for bit, test in _TESTS:
        table[np.fromiter(map(test, chars), dtype=bool, count=len(chars))] |= bit
    table.flags.writeable = False
    return table


_TABLE = _bmp_table()

# Polynomial hash of a token mod 2**64: sum of code(k) * P**k over its characters.
_P = 0x9E3779B97F4A7C15
_P_INV = pow(_P, -1, 1 << 64)
_POWERS_CACHED = 1 << 16


def _powers(base: int, n: int) -> npt.NDArray[np.uint64]:
    out = np.full(n, base, dtype=np.uint64)
    out[0] = 1
    with np.errstate(over="ignore"):
        result: npt.NDArray[np.uint64] = np.cumprod(out, dtype=np.uint64)
    return result


_POW = _powers(_P, _POWERS_CACHED)
_POW_INV = _powers(_P_INV, _POWERS_CACHED)
_POW.flags.writeable = False
_POW_INV.flags.writeable = False


def _codes(text: str) -> Codes:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@functools.cache
def _kernels() -> ModuleType:
    """The compiled loops (:mod:`.kernels`), imported on first use so that ``import newsclean``
    does not import numba (and a function-level import is not paid on every call)."""
    from . import kernels as module

    return module


_NO_WIDE = np.zeros(0, dtype=np.uint32)
_NO_WIDE_FLAGS = np.zeros(0, dtype=np.uint16)


def _wide_classes(codes: Codes) -> tuple[Codes, Flags]:
    """The sorted code points >= 0x10000 in ``codes`` and their class bits (empty for BMP text).

    With the BMP table, they give every character's classes: the compiled passes look
    characters up there (no per-character flags array is made).
    """
    if not codes.size or int(codes.max()) < 0x10000:
        return _NO_WIDE, _NO_WIDE_FLAGS
    wide = np.unique(codes[codes >= 0x10000])
    return wide, np.array([char_flags(chr(c)) for c in wide.tolist()], dtype=np.uint16)


def _classes(codes: Codes) -> tuple[Flags, Codes, Flags]:
    """Arguments of the kernels that look characters' classes up: table, wide codes, their bits."""
    return (_TABLE, *_wide_classes(codes))


def _flags(codes: Codes) -> Flags:
    """Class bits of each code point."""
    wide, wide_flags = _wide_classes(codes)
    if not len(wide):
        return _TABLE.take(codes)
    flags = _TABLE.take(np.minimum(codes, 0xFFFF))
    at = np.flatnonzero(codes >= 0x10000)
    flags[at] = wide_flags[np.searchsorted(wide, codes[at])]
    return flags


def _token_spans(mask: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Starts and ends (exclusive) of the runs of true ``mask`` (its last item is false)."""
    padded = np.zeros(len(mask) + 1, dtype=bool)
    padded[1:] = mask
    toggles = np.flatnonzero(padded[1:] != padded[:-1])
    return toggles[0::2], toggles[1::2]


def _token_hashes(codes: Codes, starts: npt.NDArray[np.intp],
                  ends: npt.NDArray[np.intp]) -> npt.NDArray[np.uint64]:
    n = len(codes)
    power = _POW[:n] if n <= _POWERS_CACHED else _powers(_P, n)
    power_inv = _POW_INV if n <= _POWERS_CACHED else _powers(_P_INV, n)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.cumsum(codes.astype(np.uint64) * power, out=prefix[1:])
        hashes: npt.NDArray[np.uint64] = (prefix[ends] - prefix[starts]) * power_inv[starts]
    return hashes


# Kinds of a looked-up token: stopword, "contains" anchor, date anchor, first word of
# a month / date word.
_STOP, _ANCHOR, _DATE_ANCHOR, _DATE_WORD = 1, 2, 4, 8


_SLOT_BITS = 17  # 2**17 slots for ~3e4 words: open addressing at ~23% load, 1.3 MB
# The slot is the top bits of hash * _MIX (a one-character token's hash is its code,
# so the hash's own top bits would send all of them to slot 0).
_MIX = 0xD6E8FEB86659FD93


def _word_table() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint8], npt.NDArray[np.uint8], int]:
    """Hash table (linear probing) of the stopwords and anchors: hashes, lengths, kinds.

    Slot ``k`` holds the word whose hash's top bits are ``k`` or, when taken, the next
    free slot; an empty slot has length 0. Returns the longest probe run too, the
    number of probes a lookup needs at most.
    """
    kinds: dict[str, int] = {}
    for words, kind in ((STOPWORDS, _STOP), (CONTAINS_ANCHORS, _ANCHOR), (DATE_ANCHORS, _DATE_ANCHOR),
                        (DATE_WORD_FIRSTS, _DATE_WORD)):
        for word in words:
            kinds[word] = kinds.get(word, 0) | kind
    table_words = sorted(kinds)
    text = "\n".join(table_words) + "\n"
    codes = _codes(text)
    starts, ends = _token_spans((_flags(codes) & WORD) != 0)
    # Every table word must be one \w+ token: one that is not could never be matched.
    assert len(starts) == len(table_words), "stopword / anchor lists hold a word that is not one \\w+ token"
    hashes = _token_hashes(codes, starts, ends).tolist()
    lengths = (ends - starts).tolist()
    assert len(set(hashes)) == len(hashes), "hash collision in the stopword table"
    size = 1 << _SLOT_BITS
    slot_hash = [0] * size
    slot_len = [0] * size
    slot_kind = [0] * size
    longest = 0
    for word, value, length in zip(table_words, hashes, lengths, strict=True):
        slot, probes = ((value * _MIX) & ((1 << 64) - 1)) >> (64 - _SLOT_BITS), 0
        while slot_len[slot]:
            slot, probes = (slot + 1) & (size - 1), probes + 1
        slot_hash[slot], slot_len[slot], slot_kind[slot] = value, length, kinds[word]
        longest = max(longest, probes)
    arrays = (np.array(slot_hash, dtype=np.uint64), np.array(slot_len, dtype=np.uint8),
              np.array(slot_kind, dtype=np.uint8))
    for arr in arrays:
        arr.flags.writeable = False
    return (*arrays, longest + 1)


_WORD_HASH, _WORD_LEN, _WORD_KIND, _MAX_PROBES = _word_table()
_MAX_TOKEN = int(_WORD_LEN.max())  # a longer token is no table word: not hashed

# A bit filter in front of the table (two bits a word, 2**18 bits: 32 KB, ~4% of other
# tokens pass it): the table (1.3 MB) is read at random, and between two pages the rest
# of strip (the model, fastText) pushes it out of the caches, so in strip a probe costs
# a cache miss; most tokens of a page are no table word and stop at the filter, whose
# few cache lines stay warm over a page. Every table word's bits are set: a token the
# filter stops is in no slot (tested), so the lookups find what they found before.
_FILTER_BITS = 18
_FILTER_SHIFT_2 = 20  # the second bit: hash * _MIX's bits 20..37 (the first: its top 18)


def _filter_bits(value: int) -> tuple[int, int]:
    """The two filter bits of a token hash (as :func:`.kernels.word_kinds` computes them)."""
    mixed = (value * _MIX) & ((1 << 64) - 1)
    return mixed >> (64 - _FILTER_BITS), (mixed >> _FILTER_SHIFT_2) & ((1 << _FILTER_BITS) - 1)


def _word_filter() -> npt.NDArray[np.uint64]:
    words = [0] * (1 << (_FILTER_BITS - 6))
    for value in _WORD_HASH[_WORD_LEN > 0].tolist():
        for bit in _filter_bits(value):
            words[bit >> 6] |= 1 << (bit & 63)
    table = np.array(words, dtype=np.uint64)
    table.flags.writeable = False
    return table


_WORD_FILTER = _word_filter()

_EXACT_SLOT_BITS = 11  # 2**11 slots for ~500 phrases (18 KB: the kernel reads it for every line)


def _exact_table() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint8]]:
    """Hash table (linear probing, as :func:`_word_table`) of the exact phrases (EXACT's keys).

    The hash is the tokens' polynomial hash over a whole key; a line is looked up by the
    hash of its lowercased text with TRIM_CHARS stripped. A phrase found this way is
    then checked in EXACT itself (a shared hash is not taken for a match); a phrase not
    found is not in EXACT (its hash would be). The empty phrase is not a key (asserted).
    """
    assert "" not in EXACT
    size = 1 << _EXACT_SLOT_BITS
    slot_hash = [0] * size
    slot_len = [0] * size
    for key in sorted(EXACT):
        value = 0
        for k, ch in enumerate(key):
            value = (value + ord(ch) * pow(_P, k, 1 << 64)) & ((1 << 64) - 1)
        slot = ((value * _MIX) & ((1 << 64) - 1)) >> (64 - _EXACT_SLOT_BITS)
        while slot_len[slot]:
            slot = (slot + 1) & (size - 1)
        slot_hash[slot], slot_len[slot] = value, len(key)
    assert max(slot_len) < 256
    hashes, lengths = np.array(slot_hash, dtype=np.uint64), np.array(slot_len, dtype=np.uint8)
    hashes.flags.writeable = False
    lengths.flags.writeable = False
    return hashes, lengths


_EXACT_HASH, _EXACT_LEN = _exact_table()
_MAX_EXACT = int(_EXACT_LEN.max())


def _word_kinds(low: str, n_lines: int, codes: Codes | None = None) -> npt.NDArray[np.int64]:
    """Per line of the lowercased page (``\\n``-joined, ``\\n``-ended): see :func:`.kernels.word_kinds`.

    Rows: stopwords, OR of token kinds (of tokens with a kind besides stopword), OR of
    character classes, first code point, whether the line stripped of TRIM_CHARS has the
    hash of an exact phrase (see :func:`_exact_table`). ``codes``: ``low``'s code points,
    when the caller has them.
    """
    codes = _codes(low) if codes is None else codes
    counts: npt.NDArray[np.int64] = _kernels().word_kinds(
        codes, *_classes(codes), n_lines, _WORD_HASH, _WORD_LEN, _WORD_KIND, _MAX_TOKEN, _SLOT_BITS,
        np.uint64(_P), np.uint64(_MIX), _EXACT_HASH, _EXACT_LEN, _MAX_EXACT, _EXACT_SLOT_BITS, TRIM,
        _WORD_FILTER, _FILTER_BITS, _FILTER_SHIFT_2)
    return counts


# The phrase and date-word alternations as tries: the same matches as CONTAINS_RE and
# DATE_RE's parts (see trie_pattern), found several times faster.
_CONTAINS_RE = re.compile(trie_pattern(sorted(CONTAINS_CATEGORY)))
_DATE_FIGURE_RE = re.compile(DATE_PARTS_TRIE[0] + "|" + DATE_PARTS_TRIE[2])


def _digit_first(figure_part: str, figure_word_part: str) -> str:
    r"""DATE_RE's figure parts as one pattern that starts with ``\d``: it matches a line
    exactly when :data:`_DATE_FIGURE_RE` does (not the same span; only whether).

    ``re`` scans for the first character of a pattern that starts with a character
    class before it tries a match, so most positions of a line cost one table look-up.
    ``\b\d`` at a position is ``\d`` there with no ``\w`` before it (a digit is a word
    character), which after the digit is ``(?<!\w\d)`` (also true at the line's start).
    """
    assert figure_part == r"\b\d{1,2}:\d{2}\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b", figure_part
    assert figure_word_part.startswith(r"\d\s*") and figure_word_part.endswith(r"\b"), figure_word_part[:20]
    return (r"\d(?:(?<!\w\d)(?:\d?:\d{2}\b|\d{0,3}[./-]\d{1,2}[./-]\d{1,4}\b)|"
            + figure_word_part[len(r"\d"):] + ")")


#: Whether a line matches :data:`_DATE_FIGURE_RE` (what the date test needs), found faster.
_DATE_FIGURE_ANY_RE = re.compile(_digit_first(DATE_PARTS_TRIE[0], DATE_PARTS_TRIE[2]))
_DATE_WORD_RE = re.compile(DATE_PARTS_TRIE[1])
_DATE_MARKER_RE = re.compile(DATE_PARTS_TRIE[3])


# Whether a code point starts a byline prefix, for code points below the table's last
# slot (which is False and takes every larger one).
_BYLINE_FIRST = np.zeros(max(ord(p[0]) for p in BYLINE_PREFIXES) + 2, dtype=bool)
_BYLINE_FIRST[[ord(p[0]) for p in BYLINE_PREFIXES]] = True
_BYLINE_FIRST.flags.writeable = False


def _categories(lows: list[str], n: npt.NDArray[np.int64], kinds: npt.NDArray[np.int64], flags: npt.NDArray[np.int64],
                firsts: npt.NDArray[np.int64], exact_hit: npt.NDArray[np.int64]) -> list[int]:
    """Pattern category codes: the tests of ``lines._category``, each on the lines it can hit.

    A line's tests run in the reference's order (exact phrase, contains, byline, date);
    here each test runs over the lines still open that pass its cheap pre-check (the
    word counts, a token kind, a character class, the first character), which gives
    the same first hit.
    """
    some = n > 0
    cats: list[int] = np.where(some, 0, _CODE["menu"]).tolist()
    exact = EXACT.get
    # Only lines whose trimmed text has a phrase's hash can be a phrase (exact_hit).
    for i in np.flatnonzero(some & (n <= _EXACT_MAX_WORDS) & (exact_hit != 0)).tolist():
        found = exact(lows[i].strip(TRIM_CHARS))
        if found is not None:
            cats[i] = _CODE[found]
    anchor = (kinds & _ANCHOR) != 0
    may_contain = np.flatnonzero(some & (n <= _CONTAINS_MAX_WORDS) & (anchor | ((flags & MARK) != 0)))
    search = _CONTAINS_RE.search
    for i, anchored in zip(may_contain.tolist(), anchor[may_contain].tolist(), strict=True):
        if not cats[i] and (anchored or any(m in lows[i] for m in CONTAINS_MARKS)):
            match = search(lows[i])
            if match is not None:
                cats[i] = _CODE[CONTAINS_CATEGORY[match.group()]]
    byline = _CODE["byline"]
    for i in np.flatnonzero(some & (n <= _BYLINE_MAX_WORDS) & _BYLINE_FIRST[np.minimum(firsts, len(_BYLINE_FIRST) - 1)]).tolist():
        if not cats[i] and lows[i].startswith(BYLINE_PREFIXES):
            cats[i] = byline
    # DATE_RE, part by part: a figure part where the line has a decimal digit, the month-word
    # part where it has a date word too, the marker part where it has a marker word.
    date = _CODE["date"]
    decimal = (flags & DECIMAL) != 0
    may_date = np.flatnonzero(some & (n <= _DATE_MAX_WORDS) & (decimal | ((kinds & _DATE_ANCHOR) != 0)))
    figure, word, marker = _DATE_FIGURE_ANY_RE.search, _DATE_WORD_RE.search, _DATE_MARKER_RE.search
    for i, has_digit, kind in zip(may_date.tolist(), decimal[may_date].tolist(), kinds[may_date].tolist(),
                                  strict=True):
        if cats[i]:
            continue
        lo = lows[i]
        if (has_digit and (figure(lo) is not None or (kind & _DATE_WORD and word(lo) is not None))) or (
                kind & _DATE_ANCHOR and marker(lo) is not None):
            cats[i] = date
    return cats


def _lower_table() -> tuple[npt.NDArray[np.uint16], str]:
    """``str.lower`` of each BMP character, and the characters it does not map one to one.

    Those map to themselves in the table: "İ" lowers to two characters, and "Σ" (added)
    to "ς" at a word's end and to "σ" elsewhere. A page with one of them (or with an
    astral character) is lowercased by ``str.lower`` itself (see :func:`_lower`).
    """
    lowered = [chr(i).lower() for i in range(0x10000)]
    special = "".join(chr(i) for i, lo in enumerate(lowered) if len(lo) != 1) + "\u03a3"
    table = np.array([ord(lo) if len(lo) == 1 else i for i, lo in enumerate(lowered)], dtype=np.uint16)
    table.flags.writeable = False
    return table, special


_LOWER, _LOWER_SPECIAL = _lower_table()
assert _LOWER_SPECIAL == "\u0130\u03a3", _LOWER_SPECIAL


def _lower(page: str, codes: Codes) -> tuple[str, Codes]:
    """``page.lower()`` and its code points, from ``page``'s code points ``codes``.

    An ASCII page (``str.lower``'s fast path) and a page with an astral or a special
    character (:data:`_LOWER_SPECIAL`) are lowercased by ``str.lower``; any other page
    by one look-up a character in :data:`_LOWER` (``str.lower`` of each BMP character),
    its code points decoded back: the same text, about three times faster on a page
    with non-ASCII characters (bullets, curly quotes), and the code points the stopword
    pass reads come with it.

    Examples:
        >>> page = "• Home\\nThe ÉLYSÉE said\\n"
        >>> _lower(page, _codes(page))[0] == page.lower()
        True
    """
    if page.isascii() or (codes.size and int(codes.max()) >= 0x10000) or any(
            map(page.__contains__, _LOWER_SPECIAL)):
        low = page.lower()
        return low, _codes(low)
    low_codes: Codes = _kernels().lower_codes(codes, _LOWER)
    return low_codes.tobytes().decode("utf-32-le", "surrogatepass"), low_codes


def measure_page_table(cs: list[str], cjk_words: Callable[[str], int],
                 unprintable_share: Callable[[str], float]) -> tuple[list[list[Any]], npt.NDArray[np.float64]]:
    """The columns of ``[lines._measure(c) for c in cs]`` and their numbers as an array.

    For lines without ``\\n``/``\\r``. The array holds the columns words, chars,
    stop, caps, digits, punct, end_punct and upper as float64 rows (exact), for the
    feature matrix.

    ``cjk_words`` and ``unprintable_share`` are the reference's own helpers (used on
    the rare lines that need them), so both paths share one definition.

    Examples:
        >>> from newsclean.stripping.lines import _cjk_words, _unprintable_share
        >>> cols, table = measure_page_table(["The  minister said so.", "• Home"], _cjk_words, _unprintable_share)
        >>> cols[0], cols[1], cols[3], cols[7]
        (['The minister said so.', '• Home'], [4, 2], [3, 1], [True, False])
        >>> table[0].tolist()
        [4.0, 2.0]
    """
    n_lines = len(cs)
    if not n_lines:
        return [[] for _ in range(12)], np.zeros((8, 0))
    page = "\n".join(cs) + "\n"
    codes = _codes(page)
    counts = _kernels().line_counts(codes, *_classes(codes), n_lines)
    words, non_space, caps, digits, punct, ends_sentence, line_or, lengths = counts
    chars = np.where(words > 0, non_space + words - 1, 0)
    contents = list(cs)
    for i in np.flatnonzero(((line_or & ODD_SPACE) != 0) | (chars != lengths)).tolist():
        contents[i] = " ".join(cs[i].split())
    n_words: list[int] = words.tolist()
    n = words  # the word counts as an array (a copy when a CJK line changes one)
    for i in np.flatnonzero((words <= 3) & (lengths >= 20) & ((line_or & NON_ASCII) != 0)).tolist():
        n_words[i] = max(n_words[i], cjk_words(cs[i]))
        if n is words:
            n = words.copy()
        n[i] = n_words[i]
    low, low_codes = _lower(page, codes)
    lows = low.split("\n")
    lows.pop()
    stop, kinds, low_flags, firsts, exact_hit = _word_kinds(low, n_lines, low_codes)
    cats = _categories(lows, n, kinds, low_flags, firsts, exact_hit)
    upper = (n <= 6) & ((line_or & (LOWER | TITLECASE)) == 0) & ((line_or & UPPER) != 0)
    binary = [False] * n_lines
    for i in np.flatnonzero(line_or & UNPRINTABLE).tolist():
        binary[i] = unprintable_share(cs[i]) > 0.05
    table = np.array((n, chars, stop, caps, digits, punct, ends_sentence != 0, upper), dtype=np.float64)
    if len(low) == len(page):
        # Lowercasing kept every line's length (it never shortens one): only the lines
        # longer than 300 need cutting.
        keys = lows
        for i in np.flatnonzero(lengths > 300).tolist():
            keys[i] = lows[i][:300]
    else:
        keys = [lo[:300] for lo in lows]
    return [
        contents, n_words, chars.tolist(), stop.tolist(), caps.tolist(), digits.tolist(), punct.tolist(),
        (ends_sentence != 0).tolist(), upper.tolist(), cats, binary, keys,
    ], table


def measure_page(cs: list[str], cjk_words: Callable[[str], int],
                 unprintable_share: Callable[[str], float]) -> list[list[Any]]:
    """The columns of ``[lines._measure(c) for c in cs]`` (see :func:`measure_page_table`).

    Examples:
        >>> from newsclean.stripping.lines import _cjk_words, _unprintable_share
        >>> measure_page(["Home"], _cjk_words, _unprintable_share)[1]
        [1]
    """
    return measure_page_table(cs, cjk_words, unprintable_share)[0]
