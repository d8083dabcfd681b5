"""Compiled loops of ``strip`` (numba, see :mod:`newsclean._jit`): one pass over a page.

Imported lazily by :mod:`.measure` and :mod:`.features` (inside the functions that use
them), so ``import newsclean`` does not import numba. Each kernel is a plain loop over
numpy arrays that replaces a sequence of whole-array numpy passes (and their
temporaries) with the same arithmetic: integer counts and IEEE additions and divisions
in the same order, so the results are the same numbers, bit for bit (property tests in
``tests/test_strip_measure.py`` and ``tests/test_strip_features.py`` compare them with
the line-by-line references).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._jit import kernel
from . import measure

__all__ = ["feature_rows", "line_bounds", "line_counts", "lower_codes", "window_means", "word_kinds"]

# Class bits of measure.py (kept equal there by an assertion at its import).
_SPACE = 1 << 0
_WORD = 1 << 1
_UPPER_OR_TITLE = 1 << 2
_LOWER = 1 << 3
_DIGIT = 1 << 6
_SENTENCE_END = 1 << 9
_PUNCT = 1 << 10
_NEWLINE = 10
_STOP = 1
assert (_SPACE, _WORD, _UPPER_OR_TITLE, _LOWER, _DIGIT, _SENTENCE_END, _PUNCT) == (
    measure.SPACE, measure.WORD, measure.UPPER_OR_TITLE, measure.LOWER, measure.DIGIT, measure.SENTENCE_END,
    measure.PUNCT), "kernels.py's class bits differ from measure.py's"
assert measure._STOP == _STOP


@kernel
def _class_bits(code: Any, table: Any, wide: Any, wide_flags: Any) -> Any:
    """Class bits of one code point: the BMP table, or the page's own astral characters."""
    if code < 65536:
        return np.int64(table[code])
    return np.int64(wide_flags[np.searchsorted(wide, code)])


@kernel
def line_counts(codes: Any, table: Any, wide: Any, wide_flags: Any, n_lines: int) -> Any:
    """Per line of ``"\\n".join(lines) + "\\n"``: the counts of ``lines._measure``.

    A word is a run of non-space characters (``str.split``). Returns an ``(8, n_lines)``
    int64 array: words, their characters, title-case words (``str.istitle``), all-digit
    words (``str.isdigit``), ``.,;:`` characters, whether the last word ends with a
    sentence end, the OR of the line's character classes, and the line's length.
    """
    out = np.zeros((8, n_lines), dtype=np.int64)
    line = 0
    start = 0
    words = chars = titles = digit_words = punct = line_or = 0
    ends_sentence = 0
    in_word = False
    cased_word = False  # the word holds a cased character
    broken = False  # the word breaks str.istitle
    prev_cased = False
    digit_word = True
    last_flags = 0
    for k in range(len(codes)):
        f = _class_bits(codes[k], table, wide, wide_flags)
        space = (f & _SPACE) != 0
        if space or codes[k] == _NEWLINE:
            if in_word:  # the word ends
                if cased_word and not broken:
                    titles += 1
                if digit_word:
                    digit_words += 1
                ends_sentence = 1 if last_flags & _SENTENCE_END else 0
                in_word = False
            prev_cased = False
            if codes[k] == _NEWLINE:
                out[0, line] = words
                out[1, line] = chars
                out[2, line] = titles
                out[3, line] = digit_words
                out[4, line] = punct
                out[5, line] = ends_sentence
                out[6, line] = line_or
                out[7, line] = k - start
                line += 1
                start = k + 1
                words = chars = titles = digit_words = punct = line_or = ends_sentence = 0
                continue
            line_or |= f
            if f & _PUNCT:
                punct += 1
            continue
        line_or |= f
        if f & _PUNCT:
            punct += 1
        if not in_word:
            in_word = True
            words += 1
            cased_word = False
            broken = False
            digit_word = True
        chars += 1
        upper = (f & _UPPER_OR_TITLE) != 0
        cased = upper or (f & _LOWER) != 0
        if upper:
            broken = broken or prev_cased
        elif cased:
            broken = broken or not prev_cased
        cased_word = cased_word or cased
        prev_cased = cased
        if not f & _DIGIT:
            digit_word = False
        last_flags = f
    return out


@kernel
def word_kinds(codes: Any, table: Any, wide: Any, wide_flags: Any, n_lines: int, slot_hash: Any, slot_len: Any, slot_kind: Any,
               max_token: int, slot_bits: int, p: Any, mix: Any, exact_hash: Any, exact_len: Any, max_exact: int,
               exact_bits: int, trim_bit: int, word_filter: Any, filter_bits: int, filter_shift: int) -> Any:
    """Per line of the lowercased page: stopwords, OR of token kinds and of classes, first code.

    A token is a run of ``\\w`` characters, hashed as ``sum(code[k] * p**k)`` mod 2**64
    and looked up (linear probing from the top ``slot_bits`` bits of ``hash * mix``) in
    the stopword / anchor table when it is at most ``max_token`` long. Returns an
    ``(5, n_lines)`` int64 array: stopword tokens, OR of the kinds of the tokens that
    have a kind besides "stopword", OR of the character classes, the first code point
    (10 for an empty line), and 1 where the line without its leading and trailing
    ``trim_bit`` characters (``str.strip(TRIM_CHARS)``), hashed the same way, is in the
    ``exact_hash`` / ``exact_len`` table (the same probing, ``exact_bits`` slot bits). The
    page ends with ``"\\n"``. A token is looked up only when both its bits in the bit
    filter ``word_filter`` are set: the top ``filter_bits`` bits of ``hash * mix`` and
    its ``filter_bits`` bits from bit ``filter_shift`` on (every table word's are set).
    """
    out = np.zeros((5, n_lines), dtype=np.int64)
    exact_mask = (1 << exact_bits) - 1
    exact_shift = np.uint64(64 - exact_bits)
    start = 0
    mask = (1 << slot_bits) - 1
    shift = np.uint64(64 - slot_bits)
    f_shift = np.uint64(64 - filter_bits)
    f_shift_2 = np.uint64(filter_shift)
    f_mask = np.uint64((1 << filter_bits) - 1)
    six = np.uint64(6)
    low6 = np.uint64(63)
    one = np.uint64(1)
    line = 0
    length = 0
    h = np.uint64(0)
    power = np.uint64(1)
    stop = 0
    kinds = 0
    line_or = 0
    n = len(codes)
    if n:
        out[3, 0] = codes[0]
    for k in range(n):
        f = _class_bits(codes[k], table, wide, wide_flags)
        if f & _WORD:
            h += np.uint64(codes[k]) * power
            power *= p
            length += 1
            line_or |= f
            continue
        if length:
            g = h * mix
            b1 = g >> f_shift
            b2 = (g >> f_shift_2) & f_mask
            if (length <= max_token and (word_filter[b1 >> six] >> (b1 & low6)) & one
                    and (word_filter[b2 >> six] >> (b2 & low6)) & one):
                slot = np.int64(g >> shift)
                kind = 0
                while slot_len[slot]:
                    if slot_len[slot] == length and slot_hash[slot] == h:
                        kind = np.int64(slot_kind[slot])
                        break
                    slot = (slot + 1) & mask
                if kind & _STOP:
                    stop += 1
                if kind & ~_STOP:
                    kinds |= kind
            length = 0
            h = np.uint64(0)
            power = np.uint64(1)
        if codes[k] == _NEWLINE:
            out[0, line] = stop
            out[1, line] = kinds
            out[2, line] = line_or
            a = start
            while a < k and _class_bits(codes[a], table, wide, wide_flags) & trim_bit:
                a += 1
            b = k
            while b > a and _class_bits(codes[b - 1], table, wide, wide_flags) & trim_bit:
                b -= 1
            if 0 < b - a <= max_exact:
                eh = np.uint64(0)
                ep = np.uint64(1)
                for j in range(a, b):
                    eh += np.uint64(codes[j]) * ep
                    ep *= p
                slot = np.int64((eh * mix) >> exact_shift)
                while exact_len[slot]:
                    if exact_len[slot] == b - a and exact_hash[slot] == eh:
                        out[4, line] = 1
                        break
                    slot = (slot + 1) & exact_mask
            stop = kinds = line_or = 0
            line += 1
            start = k + 1
            if k + 1 < n:
                out[3, line] = codes[k + 1]
        else:
            line_or |= f
    return out


@kernel
def window_means(rows: Any, widths: Any, out: Any, first_row: int) -> None:
    """Means of each row of ``rows`` (k x n) over ``[i - w, i + w]`` without item ``i``.

    Into ``out[first_row + j * k + r]`` for width ``widths[j]`` and row ``r``: the
    cumulative-sum differences of ``features._window_means`` (the same additions in the
    same order), 0 where the window holds no other item.
    """
    k, n = rows.shape
    csum = np.zeros(n + 1)
    for r in range(k):
        total = 0.0
        for i in range(n):
            total += rows[r, i]
            csum[i + 1] = total
        for j in range(len(widths)):
            w = widths[j]
            for i in range(n):
                lo = max(i - w, 0)
                hi = min(i + w + 1, n)
                count = np.float64(hi - lo - 1)
                value = 0.0
                if count > 0:
                    value = (csum[hi] - csum[lo] - rows[r, i]) / count
                out[first_row + j * k + r, i] = value


@kernel
def feature_rows(raw: Any, cat: Any, chrome_lut: Any, n_cats: int, teaser: int, ticker: int, template: Any,
                 x: Any, args: Any) -> None:
    """The rows of ``features.line_features`` that need no logarithm or exponential.

    ``raw`` holds the 13 measured columns (words, chars, stop, caps, digits, punct,
    end, bullet, upper, dup, blank_before, blank_after, indent); ``x`` is the (features x
    lines) matrix, written in place but for rows 0, 1, 20-23 and the window means, whose
    arguments go to ``args``: words, chars, lines to the nearest strong line (at most
    50), the short-run length, and ``-d / 4`` for the teaser and ticker distances.
    """
    n = raw.shape[1]
    words = raw[0]
    end = raw[6]
    indent = raw[12]
    max_indent = 0
    any_strong = False
    for i in range(n):
        max_indent = max(max_indent, np.int64(indent[i]))
        any_strong = any_strong or (words[i] >= 15 and end[i] > 0)
    weight = np.zeros(max_indent + 1)
    for i in range(n):
        if not any_strong:
            weight[np.int64(indent[i])] += 1.0
        elif words[i] >= 15 and end[i] > 0:
            weight[np.int64(indent[i])] += words[i]
    body_indent = np.float64(np.argmax(weight))
    total_mass = 0.0
    for i in range(n):
        if words[i] >= 10:
            total_mass += words[i]
    total_mass = max(total_mass, 1.0)
    cum = 0.0
    last_strong = -1
    last_teaser = -1
    last_ticker = -1
    run_start = 0
    for i in range(n):
        w = words[i]
        safe = max(w, 1.0)
        long = 1.0 if w >= 10 else 0.0
        args[0, i] = w
        args[1, i] = raw[1, i]
        x[2, i] = long
        x[3, i] = 1.0 if w >= 25 else 0.0
        x[4, i] = 1.0 if w <= 3 else 0.0
        x[5, i] = raw[2, i] / safe
        x[6, i] = raw[3, i] / safe
        x[7, i] = raw[4, i] / safe
        x[8, i] = min(raw[5, i] / safe, 1.0)
        for r in range(6):
            x[9 + r, i] = raw[6 + r, i]
        x[15, i] = 1.0 if indent[i] == body_indent else 0.0
        x[16, i] = min(abs(indent[i] - body_indent), 12.0) / 4.0
        x[17, i] = np.float64(i) / max(n - 1, 1)
        mass = w * long
        cum += mass
        x[18, i] = (cum - mass) / total_mass
        x[19, i] = (total_mass - cum) / total_mass
        if w >= 15 and end[i] > 0:
            last_strong = i
        args[2, i] = np.float64(n + 50 if last_strong < 0 else i - last_strong)
        c = cat[i]
        if c == teaser:
            last_teaser = i
        if c == ticker:
            last_ticker = i
        args[4, i] = -np.float64(10_000 if last_teaser < 0 else i - last_teaser) / 4.0
        args[5, i] = -np.float64(10_000 if last_ticker < 0 else i - last_ticker) / 4.0
        short = w <= 4
        if i > 0 and short != (words[i - 1] <= 4):
            run_start = i
        if i == n - 1 or short != (words[i + 1] <= 4):
            for j in range(run_start, i + 1):
                args[3, j] = np.float64(i + 1 - run_start) if short else 0.0
        x[24, i] = template[i] if len(template) else 0.0
        for code in range(1, n_cats):
            x[24 + code, i] = 1.0 if c == code else 0.0
        chrome = chrome_lut[c]
        if i == 0:
            x[34, i] = 0.0
            x[35, i] = 0.0
            x[36, i] = 0.0
            x[37, i] = 1.0
        if i + 1 < n:
            x[34, i + 1] = long
            x[35, i + 1] = raw[7, i]
            x[36, i + 1] = end[i]
            x[37, i + 1] = chrome
        if i == n - 1:
            x[39, i] = 0.0
            x[40, i] = 0.0
            x[41, i] = 0.0
            x[42, i] = 1.0
        if i > 0:
            x[39, i - 1] = long
            x[40, i - 1] = raw[7, i]
            x[41, i - 1] = end[i]
            x[42, i - 1] = chrome
        x[38, i] = raw[10, i]
        x[43, i] = raw[11, i]
    # Lines to the nearest strong line: the backward pass.
    next_strong = -1
    for i in range(n - 1, -1, -1):
        if words[i] >= 15 and end[i] > 0:
            next_strong = i
        if next_strong >= 0:
            args[2, i] = min(args[2, i], np.float64(next_strong - i))
        args[2, i] = min(args[2, i], 50.0)


@kernel
def line_bounds(codes: Any, table: Any, wide: Any, wide_flags: Any, n_lines: int, bullet_bit: int) -> Any:
    """Per line of ``"\\n".join(lines) + "\\n"``: where its parts start and end.

    Returns an ``(6, n_lines)`` int64 array: the indent (offset of the first non-space
    character; the line's length when it is blank), the end of the line without
    trailing spaces (``len(line.rstrip())``), the start of the content after a list
    bullet (``lines._split_bullet``: a bullet character alone or followed by ``" "``, or
    a lynx ``"o "`` indented by >= 6), whether there is a bullet, the length of the
    first word, and whether the line stripped holds two spaces in a row
    (``"  " in line.strip()``: where the column search looks for gaps).
    """
    out = np.zeros((6, n_lines), dtype=np.int64)
    start = 0
    line = 0
    for k in range(len(codes)):
        if codes[k] != _NEWLINE:
            continue
        first = start
        while first < k and _class_bits(codes[first], table, wide, wide_flags) & _SPACE:
            first += 1
        end = k
        while end > start and _class_bits(codes[end - 1], table, wide, wide_flags) & _SPACE:
            end -= 1
        indent = first - start
        content = first
        bullet = 0
        if first < end:
            second_is_space = first + 1 < end and codes[first + 1] == 32
            if _class_bits(codes[first], table, wide, wide_flags) & bullet_bit and (first + 1 == end or second_is_space):
                bullet = 1
                content = first + 1
            elif codes[first] == 111 and indent >= 6 and second_is_space:  # "o "
                bullet = 1
                content = first + 2
            while content < end and _class_bits(codes[content], table, wide, wide_flags) & _SPACE:
                content += 1
        word = first
        while word < end and not _class_bits(codes[word], table, wide, wide_flags) & _SPACE:
            word += 1
        out[0, line] = indent
        out[1, line] = end - start
        out[2, line] = content - start
        out[3, line] = bullet
        out[4, line] = word - first
        for q in range(first, end - 1):
            if codes[q] == 32 and codes[q + 1] == 32:
                out[5, line] = 1
                break
        line += 1
        start = k + 1
    return out


@kernel
def lower_codes(codes: Any, lower: Any) -> Any:
    """``lower[code]`` of each code point (``str.lower`` of a BMP page whose every character
    lowers to one character without context: see :func:`.measure._lower`)."""
    out = np.empty_like(codes)
    for k in range(len(codes)):
        out[k] = lower[codes[k]]
    return out
