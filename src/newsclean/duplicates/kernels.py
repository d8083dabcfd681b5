"""The compiled loops of the dedup sketch and verification (numba, :mod:`newsclean._jit`).

Each kernel is a plain loop over numpy arrays: tokenizing a byte buffer, xxHash32 of
byte ranges, MinHash minima, per-document sorting, sorted-set intersections, the
figure-word mapping. The modules that call them import this one inside the calling
functions, so ``import newsclean`` does not import numba.

Arithmetic on hashes is done in uint64 and cut to 32 bits (``& _MASK``): numba widens
small integers, and the low 32 bits of a uint64 product are those of the uint32 one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .._jit import kernel

_MASK = np.uint64(0xFFFFFFFF)
_P1 = np.uint64(2654435761)
_P2 = np.uint64(2246822519)
_P3 = np.uint64(3266489917)
_P4 = np.uint64(668265263)
_P5 = np.uint64(374761393)
_SPACE = np.uint8(32)


@kernel
def _rotl(x: np.uint64, r: int) -> Any:
    return ((x << np.uint64(r)) | (x >> np.uint64(32 - r))) & _MASK


@kernel
def _read32(buf: npt.NDArray[np.uint8], p: int) -> Any:
    return (
        np.uint64(buf[p])
        | (np.uint64(buf[p + 1]) << np.uint64(8))
        | (np.uint64(buf[p + 2]) << np.uint64(16))
        | (np.uint64(buf[p + 3]) << np.uint64(24))
    )


@kernel
def _round(v: np.uint64, word: np.uint64) -> Any:
    v = (v + word * _P2) & _MASK
    return (_rotl(v, 13) * _P1) & _MASK


@kernel
def xxh32(buf: npt.NDArray[np.uint8], start: int, length: int) -> Any:
    """xxHash32 (seed 0) of ``buf[start:start + length]``, the reference algorithm."""
    p = start
    end = start + length
    if length >= 16:
        v1 = (_P1 + _P2) & _MASK
        v2 = _P2
        v3 = np.uint64(0)
        v4 = (np.uint64(1 << 32) - _P1) & _MASK
        limit = end - 16
        while p <= limit:
            v1 = _round(v1, _read32(buf, p))
            v2 = _round(v2, _read32(buf, p + 4))
            v3 = _round(v3, _read32(buf, p + 8))
            v4 = _round(v4, _read32(buf, p + 12))
            p += 16
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & _MASK
    else:
        h = _P5
    h = (h + np.uint64(length)) & _MASK
    while p + 4 <= end:
        h = (h + _read32(buf, p) * _P3) & _MASK
        h = (_rotl(h, 17) * _P4) & _MASK
        p += 4
    while p < end:
        h = (h + np.uint64(buf[p]) * _P5) & _MASK
        h = (_rotl(h, 11) * _P1) & _MASK
        p += 1
    h ^= h >> np.uint64(15)
    h = (h * _P2) & _MASK
    h ^= h >> np.uint64(13)
    h = (h * _P3) & _MASK
    h ^= h >> np.uint64(16)
    return h


@kernel
def xxh32_ranges(
    buf: npt.NDArray[np.uint8], begin: npt.NDArray[np.int64], length: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint32]:
    """xxHash32 of ``buf[begin[i]:begin[i] + length[i]]`` for every ``i``."""
    out = np.empty(len(begin), dtype=np.uint32)
    for i in range(len(begin)):
        out[i] = np.uint32(xxh32(buf, begin[i], length[i]))
    return out


@kernel
def fold_words(
    raw: npt.NDArray[np.uint8], lengths: npt.NDArray[np.int64], fold: npt.NDArray[np.uint8]
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The words of texts joined by one separator byte, each word followed by one space.

    ``fold`` maps a byte to its lower-cased word byte, or to a space when it is no word
    byte. Returns the word buffer, the word count of each text, and which texts hold a
    byte with ``fold`` value 0 (a control character: the caller takes those another way).
    """
    n = len(lengths)
    out = np.empty(len(raw) + 1, dtype=np.uint8)
    counts = np.zeros(n, dtype=np.int64)
    bad = np.zeros(n, dtype=np.bool_)
    at = 0
    pos = 0
    for t in range(n):
        end = pos + lengths[t]
        inside = False
        c = 0
        for p in range(pos, end):
            f = fold[raw[p]]
            if f == 0:
                bad[t] = True
                f = _SPACE
            if f != _SPACE:
                out[at] = f
                at += 1
                if not inside:
                    c += 1
                    inside = True
            elif inside:
                out[at] = _SPACE
                at += 1
                inside = False
        if inside:
            out[at] = _SPACE
            at += 1
        counts[t] = c
        pos = end + 1  # the separator
    return out[:at].copy(), counts, bad


@kernel
def shingle_hashes(
    buffer: npt.NDArray[np.uint8],
    first: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
    ngram: int,
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """xxHash32 of every ``ngram``-word shingle of each text of a word buffer.

    ``buffer`` holds words each followed by one space; text ``i`` owns words
    ``first[i]:first[i] + counts[i]``. A text with fewer than ``ngram`` words (but one)
    has one shingle of all its words. Returns the hashes (texts in input order) and
    their offsets.
    """
    n_words = 0
    for p in range(len(buffer)):
        if buffer[p] == _SPACE:
            n_words += 1
    starts = np.empty(n_words + 1, dtype=np.int64)
    k = 0
    starts[0] = 0
    for p in range(len(buffer)):
        if buffer[p] == _SPACE:
            k += 1
            starts[k] = p + 1
    n = len(counts)
    offsets = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        c = counts[i]
        offsets[i + 1] = offsets[i] + (c - ngram + 1 if c >= ngram else min(c, 1))
    out = np.empty(offsets[n], dtype=np.uint32)
    for i in range(n):
        f = first[i]
        width = min(counts[i], ngram)
        for s in range(offsets[i + 1] - offsets[i]):
            lo = starts[f + s]
            hi = starts[f + s + width] - 1  # the space after the shingle's last word
            out[offsets[i] + s] = np.uint32(xxh32(buffer, lo, hi - lo))
    return out, offsets


@kernel
def _fmix32(h: np.uint64) -> Any:
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & _MASK
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & _MASK
    h ^= h >> np.uint64(16)
    return h


@kernel
def minhash(
    hashes: npt.NDArray[np.uint32],
    offsets: npt.NDArray[np.int64],
    a: npt.NDArray[np.uint32],
    b: npt.NDArray[np.uint32],
) -> npt.NDArray[np.uint32]:
    """Per document, the minimum of ``a * fmix32(h) + b mod 2**32`` over its hashes."""
    n = len(offsets) - 1
    m = len(a)
    out = np.full((n, m), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    for i in range(n):
        row = out[i]
        for s in range(offsets[i], offsets[i + 1]):
            h = _fmix32(np.uint64(hashes[s]))
            for k in range(m):
                v = np.uint32((np.uint64(a[k]) * h + np.uint64(b[k])) & _MASK)
                row[k] = min(row[k], v)
    return out


@kernel
def distinct_sorted(
    values: npt.NDArray[np.uint32], offsets: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Each segment's distinct values, sorted, and the new offsets."""
    n = len(offsets) - 1
    out = np.empty(len(values), dtype=np.uint32)
    new = np.zeros(n + 1, dtype=np.int64)
    at = 0
    for i in range(n):
        part = np.sort(values[offsets[i] : offsets[i + 1]])
        for k in range(len(part)):
            if k == 0 or part[k] != part[k - 1]:
                out[at] = part[k]
                at += 1
        new[i + 1] = at
    return out[:at].copy(), new


@kernel
def intersections(
    values: npt.NDArray[np.uint32],
    offsets: npt.NDArray[np.int64],
    pairs: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """For each pair, the values of the smaller segment found in the larger (sorted segments).

    The smaller segment is the first one when the sizes tie; each of its values counts
    once per occurrence.
    """
    out = np.zeros(len(pairs), dtype=np.int64)
    for r in range(len(pairs)):
        x, y = pairs[r, 0], pairs[r, 1]
        if offsets[x + 1] - offsets[x] > offsets[y + 1] - offsets[y]:
            x, y = y, x
        i, i_end = offsets[x], offsets[x + 1]
        j, j_end = offsets[y], offsets[y + 1]
        hits = 0
        while i < i_end and j < j_end:  # branch-free: j moves past smaller, i otherwise
            v, w = values[i], values[j]
            hits += w == v
            i += w >= v
            j += w < v
        out[r] = hits
    return out


_SIGNIFICANT = 9


@kernel
def _blank_list_numbers(raw: npt.NDArray[np.uint8], low: npt.NDArray[np.uint8], pos: int, end: int) -> None:
    """Blank (in ``low``) the list item numbers at the line starts of ``raw[pos:end]``.

    A line start, blanks, an optional bullet (``-*+``) with at least one blank after it,
    one to three digits, ``.`` or ``)``, then a blank: the digits and the mark are blanked.
    """
    q = pos
    while q < end:
        r = q
        while r < end and (raw[r] == 32 or raw[r] == 9):
            r += 1
        d = r
        if r + 1 < end and (raw[r] == 45 or raw[r] == 42 or raw[r] == 43):
            s = r + 1
            while s < end and (raw[s] == 32 or raw[s] == 9):
                s += 1
            if s > r + 1 and s < end and 48 <= raw[s] <= 57:
                d = s
        e = d
        while e < end and 48 <= raw[e] <= 57:
            e += 1
        if (
            1 <= e - d <= 3
            and e + 1 < end
            and (raw[e] == 46 or raw[e] == 41)
            and (raw[e + 1] == 32 or raw[e + 1] == 9)
        ):
            for p in range(d, e + 1):
                low[p] = _SPACE
        while q < end and raw[q] != 10:  # the next line
            q += 1
        q += 1


@kernel
def _is_digit(c: np.uint8) -> Any:
    return 48 <= c <= 57


@kernel
def _is_word_byte(c: np.uint8) -> Any:
    return 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122 or c == 95


@kernel
def figure_rule_words(
    raw: npt.NDArray[np.uint8], lengths: npt.NDArray[np.int64], keep: npt.NDArray[np.uint8]
) -> tuple[
    npt.NDArray[np.uint32],
    npt.NDArray[np.bool_],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
]:
    """The figures-rule words of ASCII texts joined by one separator byte.

    Per text: carets before a word byte are dropped, list item numbers at line starts
    blanked, then ``keep`` maps a byte to its lower-cased self if it is a word byte or a
    joiner (``.,/:-``), else to a space, and the words are cut
    (:mod:`newsclean.duplicates.words` has the rule). Returns each word's xxHash32,
    whether it holds a digit, its plain value (-1: none), the word count of each text,
    and which texts hold a control character (their words are not to be used).
    """
    n_bytes = len(raw)
    clean = np.empty(n_bytes, dtype=np.uint8)
    low = np.empty(n_bytes, dtype=np.uint8)
    word_bytes = np.empty(n_bytes, dtype=np.uint8)
    hashes = np.empty(n_bytes, dtype=np.uint32)  # at most one word per byte
    digits = np.empty(n_bytes, dtype=np.bool_)
    values = np.empty(n_bytes, dtype=np.int64)
    counts = np.zeros(len(lengths), dtype=np.int64)
    bad = np.zeros(len(lengths), dtype=np.bool_)
    n_words = 0
    pos = 0
    for t in range(len(lengths)):
        # Carets before a word byte dropped ("25^th" = "25th"); control bytes flagged.
        p = pos
        m = pos
        stop = pos + lengths[t]
        while p < stop:
            c = raw[p]
            if c < 9 or 14 <= c < 32 or c == 127:
                bad[t] = True
            if c == 94:
                q = p
                while q < stop and raw[q] == 94:
                    q += 1
                if q < stop and _is_word_byte(raw[q]):
                    p = q
                    continue
                while p < q:
                    clean[m] = 94
                    m += 1
                    p += 1
                continue
            clean[m] = c
            m += 1
            p += 1
        end = m
        for p in range(pos, end):
            low[p] = keep[clean[p]]
        _blank_list_numbers(clean, low, pos, end)
        i = pos
        while i < end:
            c = low[i]
            if c == _SPACE or not (_is_digit(c) or c == 95 or 97 <= c <= 122):
                i += 1  # a joiner outside a figure is no word byte
                continue
            numeric = _is_digit(c)
            start = 0
            w = 0
            plain = True
            value = 0
            significant = 0
            while i < end:
                c = low[i]
                if c == _SPACE:
                    break
                if _is_digit(c) or c == 95 or 97 <= c <= 122:
                    if _is_digit(c) != numeric:  # digits meet letters: a new word
                        break
                    word_bytes[w] = c
                    w += 1
                    if numeric and (significant > 0 or c != 48) and significant < _SIGNIFICANT:
                        value = value * 10 + (c - 48)
                        significant += 1
                    i += 1
                    continue
                # A joiner: inside a figure when digits are on both sides.
                if not (numeric and i + 1 < end and _is_digit(low[i + 1])):
                    break
                thousands = (
                    c == 44
                    and i + 3 < end
                    and _is_digit(low[i + 2])
                    and _is_digit(low[i + 3])
                    and not (i + 4 < end and _is_digit(low[i + 4]))
                )
                if not thousands:
                    word_bytes[w] = c
                    w += 1
                    if c == 47 or c == 45:  # "/" and "-": a fraction or a range
                        plain = False
                i += 1
            hashes[n_words] = np.uint32(xxh32(word_bytes, start, w))
            digits[n_words] = numeric
            values[n_words] = value if (numeric and plain) else -1
            n_words += 1
            counts[t] += 1
        pos = stop + 1  # the separator
    return (
        hashes[:n_words].copy(),
        digits[:n_words].copy(),
        values[:n_words].copy(),
        counts,
        bad,
    )


@kernel
def _find(table: npt.NDArray[np.uint32], h: np.uint32) -> int:
    """Index of ``h`` in the sorted ``table``, or -1."""
    lo, hi = 0, len(table)
    while lo < hi:
        mid = (lo + hi) >> 1
        if table[mid] < h:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(table) and table[lo] == h else -1


@kernel
def figure_words(
    hashes: npt.NDArray[np.uint32],
    digits: npt.NDArray[np.bool_],
    values: npt.NDArray[np.int64],
    figure_hashes: npt.NDArray[np.uint32],
    number_from: npt.NDArray[np.uint32],
    number_value: npt.NDArray[np.int64],
    listed: npt.NDArray[np.uint64],
) -> npt.NDArray[np.uint32]:
    """:func:`newsclean.duplicates.figures.figure_words` (the tables sorted).

    ``listed`` is a bitmap of the low 16 bits of every hash in the two tables: a word
    whose bit is clear is in neither, without a search.
    """
    out = np.empty(len(hashes), dtype=np.uint32)
    for i in range(len(hashes)):
        h = hashes[i]
        value = values[i]
        low16 = h & np.uint32(0xFFFF)
        maybe = (listed[low16 >> np.uint32(6)] >> np.uint64(low16 & np.uint32(63))) & np.uint64(1)
        if maybe:
            k = _find(number_from, h)
            if k >= 0:
                value = number_value[k]
        if value >= 0:
            out[i] = np.uint32(((np.uint64(value) << np.uint64(2)) | np.uint64(3)) & _MASK)
        elif digits[i] or (maybe and _find(figure_hashes, h) >= 0):
            out[i] = np.uint32((np.uint64(h) & np.uint64(0xFFFFFFFC)) | np.uint64(1))
        else:
            out[i] = np.uint32(np.uint64(h) & np.uint64(0xFFFFFFFE))
    return out


# -- the figures rule (newsclean.duplicates.figures has the rule in words) ---------------


@kernel
def align_ops(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> Any:
    """The word alignment of :func:`newsclean.duplicates.figures.align` as ``(m, 5)`` rows.

    Each row is ``(tag, i1, i2, j1, j2)``, tag 0 for an equal stretch and 1 for the gap
    between two (a replace). The longest common subsequence is Hyyrö's bit-parallel one
    with rapidfuzz's backtrace (``LCSseq.editops``): the same alignment as
    ``rapidfuzz.distance.Indel.opcodes``.
    """
    la, lb = len(a), len(b)
    prefix = 0
    while prefix < la and prefix < lb and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < la - prefix and suffix < lb - prefix and a[la - 1 - suffix] == b[lb - 1 - suffix]:
        suffix += 1
    s1 = a[prefix : la - suffix]
    s2 = b[prefix : lb - suffix]
    n1, n2 = len(s1), len(s2)
    # step per path position: 0 match, 1 delete (from a), 2 insert (from b), reversed.
    steps = np.empty(la + lb + 1, dtype=np.int8)
    n_steps = 0
    for _ in range(suffix):
        steps[n_steps] = 0
        n_steps += 1
    if n1 and n2:
        words = (n1 + 63) // 64
        keys = np.unique(s1)
        masks = np.zeros((len(keys), words), dtype=np.uint64)
        for i in range(n1):
            k = np.searchsorted(keys, s1[i])
            masks[k, i // 64] |= np.uint64(1) << np.uint64(i % 64)
        matrix = np.empty((n2, words), dtype=np.uint64)
        state = np.full(words, np.uint64(0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
        if n1 % 64:
            state[words - 1] = (np.uint64(1) << np.uint64(n1 % 64)) - np.uint64(1)
        for r in range(n2):
            k = np.searchsorted(keys, s2[r])
            found = k < len(keys) and keys[k] == s2[r]
            carry = np.uint64(0)
            for w in range(words):
                m = masks[k, w] if found else np.uint64(0)
                s = state[w]
                u = s & m
                total = s + u
                c1 = np.uint64(1) if total < s else np.uint64(0)
                total2 = total + carry
                c2 = np.uint64(1) if total2 < total else np.uint64(0)
                state[w] = total2 | (s - u)
                carry = c1 | c2
                matrix[r, w] = state[w]
        col, row = n1, n2
        while row != 0 and col != 0:
            c = col - 1
            if (matrix[row - 1, c // 64] >> np.uint64(c % 64)) & np.uint64(1):
                col -= 1
                steps[n_steps] = 1
            else:
                row -= 1
                if row and not ((matrix[row - 1, c // 64] >> np.uint64(c % 64)) & np.uint64(1)):
                    steps[n_steps] = 2
                else:
                    col -= 1
                    steps[n_steps] = 0
            n_steps += 1
        for _ in range(col):
            steps[n_steps] = 1
            n_steps += 1
        for _ in range(row):
            steps[n_steps] = 2
            n_steps += 1
    else:
        for _ in range(n1):
            steps[n_steps] = 1
            n_steps += 1
        for _ in range(n2):
            steps[n_steps] = 2
            n_steps += 1
    for _ in range(prefix):
        steps[n_steps] = 0
        n_steps += 1
    ops = np.empty((n_steps + 1, 5), dtype=np.int64)
    m = 0
    i = j = 0
    t = n_steps - 1
    while t >= 0:
        tag = 0 if steps[t] == 0 else 1
        i1, j1 = i, j
        while t >= 0 and (steps[t] == 0) == (tag == 0):
            if steps[t] != 2:
                i += 1
            if steps[t] != 1:
                j += 1
            t -= 1
        ops[m, 0], ops[m, 1], ops[m, 2], ops[m, 3], ops[m, 4] = tag, i1, i, j1, j
        m += 1
    return ops[:m].copy()


@kernel
def _digits_of(x: int) -> int:
    n = 1
    while x >= 10:
        x //= 10
        n += 1
    return n


@kernel
def same_number(x: int, y: int) -> Any:
    """:func:`newsclean.duplicates.figures.same_number`."""
    if x == y:
        return True
    lx, ly = _digits_of(x), _digits_of(y)
    if ly < lx:
        short, long, k, n = y, x, ly, lx
    else:
        short, long, k, n = x, y, lx, ly
    if k < 2 or n == k:
        return False
    cut = long // 10 ** (n - k)
    next_digit = (long // 10 ** (n - k - 1)) % 10
    return short == cut or short == cut + (1 if next_digit >= 5 else 0)


@kernel
def _figures_in(words: npt.NDArray[np.uint32], lo: int, hi: int) -> npt.NDArray[np.uint32]:
    count = 0
    for p in range(lo, hi):
        if words[p] & 1:
            count += 1
    out = np.empty(count, dtype=np.uint32)
    k = 0
    for p in range(lo, hi):
        if words[p] & 1:
            out[k] = words[p]
            k += 1
    return out


@kernel
def _same_figures(fa: npt.NDArray[np.uint32], fb: npt.NDArray[np.uint32]) -> bool:
    other_a = np.unique(fa[(fa & 3) == 1])
    other_b = np.unique(fb[(fb & 3) == 1])
    if len(other_a) != len(other_b) or not np.all(other_a == other_b):
        return False
    plain_a = fa[(fa & 3) == 3] >> np.uint32(2)
    plain_b = fb[(fb & 3) == 3] >> np.uint32(2)
    if len(plain_a) != len(plain_b):
        return False
    for k in range(len(plain_a)):
        if not same_number(int(plain_a[k]), int(plain_b[k])):
            return False
    return True


@kernel
def _unmatched(figures: npt.NDArray[np.uint32], others: npt.NDArray[np.uint32]) -> bool:
    for w in figures:
        if np.any(others == w):
            continue
        if w & 3 != 3:
            return True
        found = False
        for o in others:
            if o & 3 == 3 and same_number(int(w >> np.uint32(2)), int(o >> np.uint32(2))):
                found = True
                break
        if not found:
            return True
    return False


@kernel
def _units(
    words: npt.NDArray[np.uint32], ops: npt.NDArray[np.int64], lo: int, hi: int, side: int
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """(unit, figure) pairs of the replaced stretches ``ops[lo:hi]`` on one side."""
    units = np.empty(len(words), dtype=np.uint32)
    figures = np.empty(len(words), dtype=np.uint32)
    n = 0
    for k in range(lo, hi):
        if ops[k, 0] != 1 or not (ops[k, 2] > ops[k, 1] and ops[k, 4] > ops[k, 3]):
            continue
        for p in range(ops[k, 1 + 2 * side], ops[k, 2 + 2 * side]):
            if words[p] & 1 and p + 1 < len(words) and not (words[p + 1] & 1):
                units[n] = words[p + 1]
                figures[n] = words[p]
                n += 1
    return units[:n], figures[:n]


@kernel
def _hunk_swap(
    a: npt.NDArray[np.uint32],
    b: npt.NDArray[np.uint32],
    ops: npt.NDArray[np.int64],
    lo: int,
    hi: int,
    span: int,
) -> bool:
    """Whether the changes ``ops[lo:hi]`` are a reworded clause with other figures."""
    changes = 0
    replaced = 0
    removed = 0
    added = 0
    for k in range(lo, hi):
        if ops[k, 0] != 1:  # a short equal stretch inside the hunk
            continue
        changes += 1
        if ops[k, 2] > ops[k, 1] and ops[k, 4] > ops[k, 3]:
            replaced += 1
        removed += ops[k, 2] - ops[k, 1]
        added += ops[k, 4] - ops[k, 3]
    if changes < 2 or replaced < 2 or removed > 3 * span or added > 3 * span:
        return False
    units_a, figures_a = _units(a, ops, lo, hi, 0)
    units_b, figures_b = _units(b, ops, lo, hi, 1)
    for unit in np.unique(units_a):
        other = np.unique(figures_b[units_b == unit])
        if len(other) and _unmatched(np.unique(figures_a[units_a == unit]), other):
            if _unmatched(other, np.unique(figures_a[units_a == unit])):
                return True
    return False


@kernel
def _swaps(
    a: npt.NDArray[np.uint32],
    b: npt.NDArray[np.uint32],
    ops: npt.NDArray[np.int64],
    span: int,
    min_context: int,
) -> Any:
    """The swapped stretches ``(i1, i2, j1, j2)``, sorted (the figures module's ``_swaps``)."""
    m = len(ops)
    swap = np.zeros(m, dtype=np.bool_)
    with_figures = 0
    for k in range(m):
        i1, i2, j1, j2 = ops[k, 1], ops[k, 2], ops[k, 3], ops[k, 4]
        if ops[k, 0] != 1 or i1 == i2 or j1 == j2:
            continue
        fa = _figures_in(a, i1, i2)
        fb = _figures_in(b, j1, j2)
        if not (len(fa) or len(fb)):
            continue
        with_figures += 1
        if not (len(fa) and len(fb)):
            continue
        longer = i2 - i1 > span or j2 - j1 > span
        if longer and (len(fa) < i2 - i1 or len(fb) < j2 - j1):
            continue
        if not _same_figures(fa, fb):
            swap[k] = True
    # Only the swaps that sit in aligned text (MIN_CONTEXT equal words around the chain).
    kept = np.zeros(m, dtype=np.bool_)
    chain_start = 0
    equal = 0
    starts_at_edge = True
    for k in range(m + 1):
        if k < m and ops[k, 0] == 0:
            equal += ops[k, 2] - ops[k, 1]
            continue
        if k < m and swap[k]:
            continue
        if equal >= min_context or (starts_at_edge and k == m):
            for q in range(chain_start, k):
                if swap[q]:
                    kept[q] = True
        chain_start, equal, starts_at_edge = k + 1, 0, False
    out = np.empty((m + 1, 4), dtype=np.int64)
    n = 0
    for k in range(m):
        if kept[k]:
            out[n, 0], out[n, 1], out[n, 2], out[n, 3] = ops[k, 1], ops[k, 2], ops[k, 3], ops[k, 4]
            n += 1
    if with_figures >= 2:
        found = n
        gap = 2 * span
        lo = -1
        for k in range(m + 1):
            if k < m and ops[k, 0] == 1:
                if lo < 0:
                    lo = k
                continue
            if k < m and ops[k, 2] - ops[k, 1] <= gap:
                continue
            if lo >= 0:
                last = k - 1
                while ops[last, 0] == 0:
                    last -= 1
                if _hunk_swap(a, b, ops, lo, last + 1, span):
                    s0, s1, s2, s3 = ops[lo, 1], ops[last, 2], ops[lo, 3], ops[last, 4]
                    inside = False
                    for q in range(n):
                        if s0 <= out[q, 0] and out[q, 1] <= s1:
                            inside = True
                            break
                    if not inside:
                        if n >= len(out):
                            bigger = np.empty((2 * len(out), 4), dtype=np.int64)
                            bigger[:n] = out[:n]
                            out = bigger
                        out[n, 0], out[n, 1], out[n, 2], out[n, 3] = s0, s1, s2, s3
                        n += 1
                lo = -1
        if n > found:  # sorted as tuples
            keys = out[:n]
            order = np.arange(n)
            for x in range(1, n):  # insertion sort: a handful of stretches
                y = x
                while y > 0 and _before(keys[order[y]], keys[order[y - 1]]):
                    order[y], order[y - 1] = order[y - 1], order[y]
                    y -= 1
            return keys[order].copy()
    return out[:n].copy()


@kernel
def _before(x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> Any:
    for k in range(4):
        if x[k] != y[k]:
            return x[k] < y[k]
    return False


@kernel
def figure_checks(
    words: npt.NDArray[np.uint32],
    offsets: npt.NDArray[np.int64],
    pairs: npt.NDArray[np.int64],
    span: int,
    min_context: int,
) -> tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
]:
    """The figures rule on each pair ``(a, b)`` of documents (multisets already checked).

    Returns per pair ``(swapped, shared)`` as an ``(n, 2)`` array (zeros without a swap),
    the swapped stretches of all pairs ``(total, 4)`` with their offsets (``n + 1``), and
    the figure words of each side ``(n, 2)``; the caller weighs them.
    """
    n = len(pairs)
    result = np.zeros((n, 2), dtype=np.int64)
    figure_counts = np.zeros((n, 2), dtype=np.int64)
    swap_offsets = np.zeros(n + 1, dtype=np.int64)
    stretches = np.empty((max(n, 1) * 2, 4), dtype=np.int64)
    total = 0
    for r in range(n):
        x, y = pairs[r, 0], pairs[r, 1]
        a = words[offsets[x] : offsets[x + 1]]
        b = words[offsets[y] : offsets[y + 1]]
        ops = align_ops(a, b)
        swaps = _swaps(a, b, ops, span, min_context)
        if len(swaps):
            shared = 0
            for k in range(len(ops)):
                if ops[k, 0] == 0:
                    shared += ops[k, 2] - ops[k, 1]
            swapped = 0
            for s in range(len(swaps)):
                swapped += max(
                    len(_figures_in(a, swaps[s, 0], swaps[s, 1])),
                    len(_figures_in(b, swaps[s, 2], swaps[s, 3])),
                )
            result[r, 0], result[r, 1] = swapped, shared
            figure_counts[r, 0] = len(_figures_in(a, 0, len(a)))
            figure_counts[r, 1] = len(_figures_in(b, 0, len(b)))
            if total + len(swaps) > len(stretches):
                bigger = np.empty((2 * (total + len(swaps)), 4), dtype=np.int64)
                bigger[:total] = stretches[:total]
                stretches = bigger
            stretches[total : total + len(swaps)] = swaps
            total += len(swaps)
        swap_offsets[r + 1] = total
    return result, stretches[:total].copy(), swap_offsets, figure_counts


# -- LSH candidates ------------------------------------------------------------------------


@kernel
def band_pairs(keys: npt.NDArray[np.uint64], order: npt.NDArray[np.int32], max_group: int) -> Any:
    """Sorted unique pairs ``(i, j)``, ``i < j``, of rows sharing a key in some column.

    A group of equal keys in one column (rows in row order) of at most ``max_group`` rows
    gives all its pairs; a larger one a chain (each member with the next) and a star (the
    first member with each other). Each row's partners are gathered over all columns and
    made unique with a stamp per row, so no pair is listed twice. ``order[band]`` is the
    stable argsort of column ``band`` (int32); with it, three int32 tables by row (its
    place in that order, its group's start and end): 16 bytes per row and column.
    """
    n, bands = keys.shape
    position = np.empty((bands, n), dtype=np.int32)
    group_start = np.empty((bands, n), dtype=np.int32)
    group_end = np.empty((bands, n), dtype=np.int32)
    for band in range(bands):
        column = keys[:, band]
        sorted_rows = order[band]  # stable: ties in row order
        start = 0
        while start < n:
            end = start + 1
            while end < n and column[sorted_rows[end]] == column[sorted_rows[start]]:
                end += 1
            for p in range(start, end):
                row = sorted_rows[p]
                position[band, row] = p
                group_start[band, row] = start
                group_end[band, row] = end
            start = end
    stamp = np.full(n, -1, dtype=np.int64)
    partners = np.empty(16, dtype=np.int64)
    out = np.empty((max(n, 16), 2), dtype=np.int64)
    n_out = 0
    for i in range(n):
        count = 0
        for band in range(bands):
            s, e, p = group_start[band, i], group_end[band, i], position[band, i]
            if e - s < 2:
                continue
            if e - s <= max_group:
                lo, hi = s, e
            elif p == s:  # the star's centre
                lo, hi = s + 1, e
            else:  # the next link of the chain
                lo, hi = p + 1, min(p + 2, e)
            for q in range(lo, hi):
                j = order[band, q]
                if j > i and stamp[j] != i:
                    stamp[j] = i
                    if count == len(partners):
                        bigger = np.empty(2 * len(partners), dtype=np.int64)
                        bigger[:count] = partners[:count]
                        partners = bigger
                    partners[count] = j
                    count += 1
        if not count:
            continue
        mine = np.sort(partners[:count])
        if n_out + count > len(out):
            bigger_out = np.empty((2 * (n_out + count), 2), dtype=np.int64)
            bigger_out[:n_out] = out[:n_out]
            out = bigger_out
        for k in range(count):
            out[n_out, 0] = i
            out[n_out, 1] = mine[k]
            n_out += 1
    return out[:n_out].copy()


@kernel
def figure_occurrences(
    words: npt.NDArray[np.uint32], offsets: npt.NDArray[np.int64], docs: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """The figure occurrences of documents ``docs`` as sorted uint32 keys: the k-th
    occurrence of a figure is the figure mixed with ``k``, so set intersections are
    multiset ones. Returns the keys and their offsets (one segment per entry of ``docs``)."""
    n = len(docs)
    total = 0
    for d in docs:
        for p in range(offsets[d], offsets[d + 1]):
            if words[p] & 1:
                total += 1
    out = np.empty(total, dtype=np.uint32)
    new = np.zeros(n + 1, dtype=np.int64)
    at = 0
    for i in range(n):
        d = docs[i]
        figures = np.sort(_figures_in(words, offsets[d], offsets[d + 1]))
        start = at
        rank = 0
        for k in range(len(figures)):
            rank = rank + 1 if k and figures[k] == figures[k - 1] else 0
            mixed = (np.uint64(figures[k]) ^ ((np.uint64(rank) * np.uint64(0x9E3779B1)) & _MASK))
            mixed ^= mixed >> np.uint64(15)
            mixed = (mixed * np.uint64(0x85EBCA6B)) & _MASK
            mixed ^= mixed >> np.uint64(13)
            out[at] = np.uint32(mixed)
            at += 1
        out[start:at] = np.sort(out[start:at])
        new[i + 1] = at
    return out, new


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)


@kernel
def band_keys(signatures: npt.NDArray[np.uint32], first: int, bands: int, rows: int) -> Any:
    """Keys of bands ``first .. first + bands - 1`` of each signature, ``(n, bands)`` uint64.

    Per band: start from ``(band + 1) * golden``, then for each of its ``rows`` values
    xor it in and mix (a multiply-add, then MurmurHash3's 64-bit finalizer); uint64
    arithmetic wraps.
    """
    n = signatures.shape[0]
    out = np.empty((n, bands), dtype=np.uint64)
    for i in range(n):
        for k in range(bands):
            band = first + k
            key = (np.uint64(band) + np.uint64(1)) * _GOLDEN
            for r in range(band * rows, (band + 1) * rows):
                x = key ^ np.uint64(signatures[i, r])
                x = x * _GOLDEN + np.uint64(1)
                x ^= x >> np.uint64(33)
                x *= _MIX1
                x ^= x >> np.uint64(33)
                x *= _MIX2
                x ^= x >> np.uint64(33)
                key = x
            out[i, k] = key
    return out


@kernel
def _pair_before(a: npt.NDArray[np.int64], i: int, b: npt.NDArray[np.int64], j: int) -> Any:
    return a[i, 0] < b[j, 0] or (a[i, 0] == b[j, 0] and a[i, 1] < b[j, 1])


@kernel
def union_pairs(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> Any:
    """The union of two sorted lists of unique pairs, sorted; ``a`` itself when ``b`` adds none.

    One merge pass counts the pairs of ``b`` missing from ``a``; only when there are
    some is a new array made (so the usual case, equal signatures also sharing a band,
    costs no copy of the pairs).
    """
    na, nb = len(a), len(b)
    missing = 0
    i = 0
    for j in range(nb):
        while i < na and _pair_before(a, i, b, j):
            i += 1
        if i == na or a[i, 0] != b[j, 0] or a[i, 1] != b[j, 1]:
            missing += 1
    if missing == 0:
        return a
    out = np.empty((na + missing, 2), dtype=np.int64)
    i = 0
    j = 0
    k = 0
    while i < na or j < nb:
        if j == nb or (i < na and _pair_before(a, i, b, j)):
            out[k, 0] = a[i, 0]
            out[k, 1] = a[i, 1]
            i += 1
        else:
            if i < na and a[i, 0] == b[j, 0] and a[i, 1] == b[j, 1]:
                i += 1
            out[k, 0] = b[j, 0]
            out[k, 1] = b[j, 1]
            j += 1
        k += 1
    return out


@kernel
def take_pairs(rows: npt.NDArray[np.int64], pairs: npt.NDArray[np.int64]) -> None:
    """``pairs[:] = rows[pairs]`` in place (no temporary the size of the pairs)."""
    for k in range(len(pairs)):
        pairs[k, 0] = rows[pairs[k, 0]]
        pairs[k, 1] = rows[pairs[k, 1]]
