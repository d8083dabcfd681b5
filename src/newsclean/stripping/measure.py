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

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from .patterns import (
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

__all__ = ["char_flags", "measure_page"]

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


def _flags(codes: Codes) -> Flags:
    if not codes.size or int(codes.max()) < 0x10000:
        return _TABLE.take(codes)
    flags = _TABLE.take(np.minimum(codes, 0xFFFF))
    wide = np.flatnonzero(codes >= 0x10000)
    unique, inverse = np.unique(codes[wide], return_inverse=True)
    flags[wide] = np.array([char_flags(chr(c)) for c in unique.tolist()], dtype=np.uint16)[inverse]
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


_VECTOR_PROBES = 2  # probes done with numpy; the few tokens still open go on one by one


def _lookup(hashes: npt.NDArray[np.uint64], lengths: npt.NDArray[np.intp],
            vector_probes: int = _VECTOR_PROBES) -> npt.NDArray[np.uint8]:
    """Kinds of the tokens with these hashes and lengths (0: not a table word)."""
    kinds = np.zeros(len(hashes), dtype=np.uint8)
    with np.errstate(over="ignore"):
        slots = ((hashes * np.uint64(_MIX)) >> np.uint64(64 - _SLOT_BITS)).astype(np.intp)
    todo = np.arange(len(hashes))
    mask = (1 << _SLOT_BITS) - 1
    for _ in range(vector_probes):
        if not len(todo):
            return kinds
        slot = slots[todo]
        length = _WORD_LEN[slot]
        hit = (_WORD_HASH[slot] == hashes[todo]) & (length == lengths[todo])
        kinds[todo[hit]] = _WORD_KIND[slot[hit]]
        # Go on probing where the slot held another word; an empty slot ends the run.
        go_on = ~hit & (length > 0)
        todo = todo[go_on]
        slots[todo] = (slot[go_on] + 1) & mask
    table_len, table_kind = _WORD_LEN, _WORD_KIND
    for k, slot_at, value, length_k in zip(todo.tolist(), slots[todo].tolist(), hashes[todo].tolist(),
                                            lengths[todo].tolist(), strict=True):
        while table_len[slot_at]:
            if int(_WORD_HASH[slot_at]) == value and int(table_len[slot_at]) == length_k:
                kinds[k] = table_kind[slot_at]
                break
            slot_at = (slot_at + 1) & mask
    return kinds


def _line_sums(token_line: npt.NDArray[np.intp], values: npt.NDArray[Any], n_lines: int) -> list[int]:
    counts: list[int] = np.bincount(token_line, weights=values, minlength=n_lines).astype(np.intp).tolist()
    return counts


def _line_of(is_newline: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Line index of each character that is not a newline (newlines before it)."""
    line_of: npt.NDArray[np.intp] = np.cumsum(is_newline, dtype=np.intp)
    return line_of


def _word_kinds(low: str, n_lines: int, line_of: npt.NDArray[np.intp] | None,
                newlines: npt.NDArray[np.intp]) -> tuple[list[int], npt.NDArray[np.uint8], Flags, Codes]:
    """Per line of the lowercased page: stopwords, OR of token kinds and of character flags, first character.

    ``line_of`` and ``newlines`` are the original page's: they hold for the lowercased
    one when lowercasing kept its length (else ``line_of`` is ``None``).
    """
    codes = _codes(low)
    flags = _flags(codes)
    if line_of is None:
        is_newline = codes == 10
        newlines, line_of = np.flatnonzero(is_newline), _line_of(is_newline)
    starts, ends = _token_spans((flags & WORD) != 0)
    token_line = line_of[starts]
    lengths = ends - starts
    short = np.flatnonzero(lengths <= _MAX_TOKEN)
    kinds = np.zeros(len(starts), dtype=np.uint8)
    if len(short):
        hashes = _token_hashes(codes, starts[short], ends[short])
        kinds[short] = _lookup(hashes, lengths[short])
    stop: list[int] = np.bincount(token_line[(kinds & _STOP) != 0], minlength=n_lines).tolist()
    line_kinds = np.zeros(n_lines, dtype=np.uint8)
    marked = np.flatnonzero(kinds & ~np.uint8(_STOP))
    if len(marked):
        np.bitwise_or.at(line_kinds, token_line[marked], kinds[marked])
    flags[newlines] = 0
    line_starts = np.concatenate(([0], newlines[:-1] + 1))
    line_or: Flags = np.bitwise_or.reduceat(flags, line_starts)
    return stop, line_kinds, line_or, codes[line_starts]


# The phrase and date-word alternations as tries: the same matches as CONTAINS_RE and
# DATE_RE's parts (see trie_pattern), found several times faster.
_CONTAINS_RE = re.compile(trie_pattern(sorted(CONTAINS_CATEGORY)))
_DATE_FIGURE_RE = re.compile(DATE_PARTS_TRIE[0] + "|" + DATE_PARTS_TRIE[2])
_DATE_WORD_RE = re.compile(DATE_PARTS_TRIE[1])
_DATE_MARKER_RE = re.compile(DATE_PARTS_TRIE[3])


def _is_date(lo: str, kinds: int, flags: int) -> bool:
    """``DATE_RE.search(lo) is not None``, each part tried only where it can match."""
    if flags & DECIMAL and (
        _DATE_FIGURE_RE.search(lo) is not None or (kinds & _DATE_WORD and _DATE_WORD_RE.search(lo) is not None)
    ):
        return True
    return bool(kinds & _DATE_ANCHOR) and _DATE_MARKER_RE.search(lo) is not None


_BYLINE_FIRSTS = np.array(sorted({ord(p[0]) for p in BYLINE_PREFIXES}), dtype=np.uint32)


def _categories(lows: list[str], n_words: list[int], kinds: npt.NDArray[np.uint8], flags: Flags,
                firsts: Codes) -> list[int]:
    """Pattern category codes: the tests of ``lines._category``, each on the lines it can hit.

    A line's tests run in the reference's order (exact phrase, contains, byline, date);
    here each test runs over the lines still open that pass its cheap pre-check (the
    word counts, a token kind, a character class, the first character), which gives
    the same first hit.
    """
    cats = [0 if n else _CODE["menu"] for n in n_words]
    n = np.array(n_words)
    some = n > 0
    exact = EXACT.get
    for i in np.flatnonzero(some & (n <= _EXACT_MAX_WORDS)).tolist():
        found = exact(lows[i].strip(TRIM_CHARS))
        if found is not None:
            cats[i] = _CODE[found]
    anchor = (kinds & _ANCHOR) != 0
    for i in np.flatnonzero(some & (n <= _CONTAINS_MAX_WORDS) & (anchor | ((flags & MARK) != 0))).tolist():
        lo = lows[i]
        if not cats[i] and (anchor[i] or any(m in lo for m in CONTAINS_MARKS)):
            match = _CONTAINS_RE.search(lo)
            if match is not None:
                cats[i] = _CODE[CONTAINS_CATEGORY[match.group()]]
    byline = _CODE["byline"]
    for i in np.flatnonzero(some & (n <= _BYLINE_MAX_WORDS) & np.isin(firsts, _BYLINE_FIRSTS)).tolist():
        if not cats[i] and lows[i].startswith(BYLINE_PREFIXES):
            cats[i] = byline
    date = _CODE["date"]
    may_date = ((flags & DECIMAL) != 0) | ((kinds & _DATE_ANCHOR) != 0)
    for i in np.flatnonzero(some & (n <= _DATE_MAX_WORDS) & may_date).tolist():
        if not cats[i] and _is_date(lows[i], int(kinds[i]), int(flags[i])):
            cats[i] = date
    return cats


def measure_page(cs: list[str], cjk_words: Callable[[str], int],
                 unprintable_share: Callable[[str], float]) -> list[list[Any]]:
    """The columns of ``[lines._measure(c) for c in cs]`` for lines without ``\\n``/``\\r``.

    ``cjk_words`` and ``unprintable_share`` are the reference's own helpers (used on
    the rare lines that need them), so both paths share one definition.

    Examples:
        >>> from newsclean.stripping.lines import _cjk_words, _unprintable_share
        >>> cols = measure_page(["The  minister said so.", "• Home"], _cjk_words, _unprintable_share)
        >>> cols[0], cols[1], cols[3], cols[7]
        (['The minister said so.', '• Home'], [4, 2], [3, 1], [True, False])
    """
    n_lines = len(cs)
    if not n_lines:
        return [[] for _ in range(12)]
    page = "\n".join(cs) + "\n"
    codes = _codes(page)
    flags = _flags(codes)
    lengths = list(map(len, cs))
    newlines = np.cumsum(np.array(lengths) + 1) - 1
    line_of = np.repeat(np.arange(n_lines), np.array(lengths) + 1)  # line of each character
    space = (flags & SPACE) != 0
    flags[newlines] = 0
    line_starts = np.concatenate(([0], newlines[:-1] + 1))
    line_or = np.bitwise_or.reduceat(flags, line_starts)
    starts, ends = _token_spans(~space)
    token_line = line_of[starts]
    per_line = np.bincount(token_line, minlength=n_lines)
    n_words: list[int] = per_line.tolist()
    # str.istitle per token: an upper/titlecase character must not follow a cased one,
    # a lowercase one must; and at least one character is cased (whitespace is uncased).
    upper_or_title = (flags & UPPER_OR_TITLE) != 0
    cased = (flags & (UPPER_OR_TITLE | LOWER)) != 0
    after_cased = np.zeros_like(cased)
    after_cased[1:] = cased[:-1]
    lower_only = cased & ~upper_or_title
    breaks = np.where(upper_or_title, after_cased, lower_only & ~after_cased)
    title = np.logical_or.reduceat(cased, starts) & ~np.logical_or.reduceat(breaks, starts) if len(starts) else starts
    not_digit = ~space & ((flags & DIGIT) == 0)
    digit = ~np.logical_or.reduceat(not_digit, starts) if len(starts) else starts
    caps: list[int] = np.bincount(token_line[title], minlength=n_lines).tolist()
    digits: list[int] = np.bincount(token_line[digit], minlength=n_lines).tolist()
    non_space = _line_sums(token_line, ends - starts, n_lines)
    punct_at = np.flatnonzero(flags & PUNCT)
    punct: list[int] = np.bincount(line_of[punct_at], minlength=n_lines).tolist()
    ends_sentence = np.zeros(n_lines, dtype=bool)
    has_words = per_line > 0
    if len(starts):
        last_token = np.cumsum(per_line) - 1
        ends_sentence[has_words] = (flags[ends[last_token[has_words]] - 1] & SENTENCE_END) != 0
    line_flags: list[int] = line_or.tolist()
    chars = [k + n - 1 if n else 0 for k, n in zip(non_space, n_words, strict=True)]
    contents = [c if not f & ODD_SPACE and k == m else " ".join(c.split())
                for c, f, k, m in zip(cs, line_flags, chars, lengths, strict=True)]
    for i in [i for i, (n, m, f) in enumerate(zip(n_words, lengths, line_flags, strict=True))
              if n <= 3 and m >= 20 and f & NON_ASCII]:
        n_words[i] = max(n_words[i], cjk_words(cs[i]))
    low = page.lower()
    lows = low.split("\n")
    lows.pop()
    same = len(low) == len(page)
    stop, kinds, low_flags, firsts = _word_kinds(low, n_lines, line_of if same else None, newlines)
    cats = _categories(lows, n_words, kinds, low_flags, firsts)
    upper = [n <= 6 and not f & (LOWER | TITLECASE) and bool(f & UPPER) for n, f in zip(n_words, line_flags, strict=True)]
    binary = [bool(f & UNPRINTABLE) and unprintable_share(c) > 0.05 for c, f in zip(cs, line_flags, strict=True)]
    return [
        contents, n_words, chars, stop, caps, digits, punct, ends_sentence.tolist(), upper, cats, binary,
        [lo[:300] for lo in lows],
    ]
