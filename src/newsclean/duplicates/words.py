"""The words the figures rule aligns: comparison-form words with figures kept whole.

The shingles split "2.5" into "2" and "5"; the figures rule must not, or "2.5 billion"
against "two billion" reads as a dropped "5", and "6-3/16" against "6-5/16" as
figures that merely moved. So here a figure written with inner punctuation is one
word: digits joined by one of ``. , / : -`` with a digit on each side ("2.5",
"6-3/16", "15:30", "1987-88"); a comma followed by exactly three digits is a
thousands separator and is dropped ("1,500,000" = "1500000"). Other words are those of
:func:`newsclean.normalize.word_tokens` (lower-cased ``[a-z0-9_]`` runs on plain
text).

:func:`text_words` is the batch form (numpy over one byte buffer for plain ASCII
text, the same rule per character in Python otherwise); :func:`word_spans` gives the
words of one text with their character spans (explanations). Both give the same
words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import xxhash

from ..normalize import normalize
from ..shingle import _ascii_form, xxh32_ranges

__all__ = ["text_words", "word_spans"]

_JOINERS = ".,/:-"
# Lower-case letters, keep word bytes and joiners, everything else a space.
_KEEP = bytes(
    (i + 32 if 65 <= i <= 90 else i)
    if (48 <= i <= 57 or 65 <= i <= 90 or 97 <= i <= 122 or i == 95 or chr(i) in _JOINERS)
    else 32
    for i in range(256)
)
_IS_WORD = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789_":
    _IS_WORD[_c] = True
_IS_DIGIT = np.zeros(256, dtype=bool)
_IS_DIGIT[48:58] = True
_IS_JOINER = np.zeros(256, dtype=bool)
for _c in _JOINERS.encode():
    _IS_JOINER[_c] = True
for _array in (_IS_WORD, _IS_DIGIT, _IS_JOINER):
    _array.setflags(write=False)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _python_words(form: str) -> list[tuple[str, int, int]]:
    """Words of a lower-cased ``form`` with their spans (the per-character rule)."""
    out: list[tuple[str, int, int]] = []
    n = len(form)
    i = 0
    while i < n:
        if not _is_word_char(form[i]):
            i += 1
            continue
        start = i
        chars: list[str] = []
        while i < n:
            c = form[i]
            if _is_word_char(c):
                chars.append(c)
                i += 1
                continue
            if c in _JOINERS and i + 1 < n and form[i - 1].isdigit() and form[i + 1].isdigit():
                if not _thousands(form, i):
                    chars.append(c)
                i += 1
                continue
            break
        out.append(("".join(chars), start, i))
    return out


def _thousands(form: str, i: int) -> bool:
    """A comma at ``i`` followed by exactly three digits: a thousands separator."""
    return (
        form[i] == ","
        and i + 3 < len(form) + 0
        and form[i + 1 : i + 4].isdigit()
        and len(form[i + 1 : i + 4]) == 3
        and not (i + 4 < len(form) and form[i + 4].isdigit())
    )


def _plain_form(text: str) -> str | None:
    form = _ascii_form(text)
    return None if form is None else form.lower()


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """The figures-rule words of ``text`` with character spans ``(word, start, end)``.

    Spans are exact on plain text; for text that needs Unicode normalisation they are
    found by searching each word in order (an empty span when it cannot be found).

    Examples:
        >>> [w for w, _, _ in word_spans("Arranged 1,500,000 dlrs at 6-3/16 pct.")]
        ['arranged', '1500000', 'dlrs', 'at', '6-3/16', 'pct']
        >>> word_spans("At 2.5 pct")[1]
        ('2.5', 3, 6)
    """
    form = _plain_form(text)
    if form is not None and len(form) == len(text):
        return _python_words(form)
    words = [w for w, _, _ in _python_words(normalize(text).casefold())]
    lowered = text.lower() if len(text.lower()) == len(text) else text
    out: list[tuple[str, int, int]] = []
    pos = 0
    for word in words:
        at = lowered.find(word, pos)
        if at < 0:
            out.append((word, pos, pos))
            continue
        out.append((word, at, at + len(word)))
        pos = at + len(word)
    return out


def text_words(
    texts: Sequence[str],
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """The figures-rule words of each text: xxHash32 per word, digit flag, offsets.

    Returns:
        ``(hashes, digits, offsets)``: uint32 hash of every word (text after text), whether
        it holds a digit, and int64 offsets of length ``n + 1``.

    Examples:
        >>> hashes, digits, offsets = text_words(["At 2.5 pct", "Café 1,000"])
        >>> offsets.tolist(), digits.tolist()
        ([0, 3, 5], [False, True, False, False, True])
        >>> int(hashes[1]) == xxhash.xxh32_intdigest(b"2.5")
        True
    """
    forms = [_plain_form(t) for t in texts]
    fast = [i for i, f in enumerate(forms) if f is not None]
    slow = [i for i, f in enumerate(forms) if f is None]
    per_text: list[tuple[npt.NDArray[np.uint32], npt.NDArray[np.bool_]]] = [
        (np.zeros(0, np.uint32), np.zeros(0, bool))
    ] * len(texts)
    counts = np.zeros(len(texts), dtype=np.int64)
    fast_hashes, fast_digits, fast_counts = _fast_words([forms[i] or "" for i in fast])
    counts[fast] = fast_counts
    for i in slow:
        words = [w for w, _, _ in _python_words(normalize(texts[i]).casefold())]
        per_text[i] = (
            np.array([xxhash.xxh32_intdigest(w.encode("utf-8")) for w in words], dtype=np.uint32),
            np.array([any(c.isdigit() for c in w) for w in words], dtype=bool),
        )
        counts[i] = len(words)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    if not slow:
        return fast_hashes, fast_digits, offsets
    hashes = np.zeros(int(offsets[-1]), dtype=np.uint32)
    digits = np.zeros(int(offsets[-1]), dtype=bool)
    fast_offsets = np.zeros(len(fast) + 1, dtype=np.int64)
    np.cumsum(fast_counts, out=fast_offsets[1:])
    for k, i in enumerate(fast):
        lo, hi = fast_offsets[k], fast_offsets[k + 1]
        hashes[offsets[i] : offsets[i + 1]] = fast_hashes[lo:hi]
        digits[offsets[i] : offsets[i + 1]] = fast_digits[lo:hi]
    for i in slow:
        hashes[offsets[i] : offsets[i + 1]], digits[offsets[i] : offsets[i + 1]] = per_text[i]
    return hashes, digits, offsets


def _fast_words(
    forms: Sequence[str],
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """:func:`_python_words` of lower-cased ASCII texts, vectorized over one buffer."""
    if not forms:
        return np.zeros(0, np.uint32), np.zeros(0, bool), np.zeros(0, np.int64)
    joined = "\n".join(forms).encode("ascii") + b"\n"
    low = np.frombuffer(joined.translate(_KEEP), dtype=np.uint8)
    digit = _IS_DIGIT[low]
    prev_digit = np.zeros_like(digit)
    prev_digit[1:] = digit[:-1]
    next_digit = np.zeros_like(digit)
    next_digit[:-1] = digit[1:]
    joiner = _IS_JOINER[low] & prev_digit & next_digit
    # A comma before exactly three digits is a thousands separator: dropped.
    d = [np.zeros_like(digit) for _ in range(4)]
    for k in range(4):
        if len(digit) > k + 1:
            d[k][: len(digit) - k - 1] = digit[k + 1 :]
    thousands = joiner & (low == 44) & d[0] & d[1] & d[2] & ~d[3]
    wordish = _IS_WORD[low] | joiner
    boundaries = np.zeros(len(forms) + 1, dtype=np.int64)
    np.cumsum(
        np.fromiter(map(len, forms), dtype=np.int64, count=len(forms)) + 1, out=boundaries[1:]
    )
    keep = ~thousands
    shift = np.concatenate(([0], np.cumsum(keep)))
    low = low[keep]
    wordish = wordish[keep]
    digit = digit[keep]
    boundaries = shift[boundaries]
    prev = np.zeros_like(wordish)
    prev[1:] = wordish[:-1]
    nxt = np.zeros_like(wordish)
    nxt[:-1] = wordish[1:]
    starts = np.flatnonzero(wordish & ~prev)
    ends = np.flatnonzero(wordish & ~nxt) + 1
    counts = np.diff(np.searchsorted(starts, boundaries)).astype(np.int64)
    hashes = xxh32_ranges(low, starts, ends - starts)
    digit_count = np.zeros(len(low) + 1, dtype=np.int64)
    np.cumsum(digit, out=digit_count[1:])
    digits = digit_count[ends] > digit_count[starts]
    return hashes, np.asarray(digits), counts
