"""The words the figures rule aligns: comparison-form words with figures kept whole.

The shingles split "2.5" into "2" and "5"; the figures rule must not, or "2.5 billion"
against "two billion" reads as a dropped "5", and "6-3/16" against "6-5/16" as
figures that merely moved. So here a figure written with inner punctuation is one
word: digits joined by one of ``. , / : -`` with a digit on each side ("2.5",
"6-3/16", "15:30", "1987-88"); a comma followed by exactly three digits is a
thousands separator and is dropped ("1,500,000" = "1500000"). Other words are those of
:func:`newsclean.normalize.word_tokens` (lower-cased ``[a-z0-9_]`` runs on plain
text), with three renderings of one figure made one:

- a word splits where digits meet letters ("25th" = "25 th", "10am" = "10 am", a
  figure glued to the next word by a renderer: "19.34Amazon");
- a caret before a word character is dropped (lynx writes a superscript
  "25<sup>th</sup>" as "25^th", other renderers as "25th"; a footnote mark "2025.^8" as
  "2025.8");
- a list item's number at the start of a line ("1. ", "12) ", after an optional bullet)
  is a position, not a figure, and is left out (renderers number nested lists
  differently, and a list that lost an item renumbers the rest).

:func:`text_words` is the batch form (a compiled loop over one byte buffer for plain
ASCII text, :mod:`newsclean.duplicates.kernels`; the same rule per character in Python
otherwise); :func:`word_spans` gives the
words of one text with their character spans (explanations). Both give the same
words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import regex
import xxhash

from ..normalize import fold_case, normalize
from ..shingle import _CONTROL, _ENTITY, _INVISIBLE, _SEPARATORS

__all__ = ["plain_value", "text_words", "word_spans"]

_JOINERS = ".,/:-"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_QUOTES = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
# Lower-case letters, keep word bytes and joiners, everything else a space.
_KEEP = np.frombuffer(
    bytes(
        (i + 32 if 65 <= i <= 90 else i)
        if (48 <= i <= 57 or 65 <= i <= 90 or 97 <= i <= 122 or i == 95 or chr(i) in _JOINERS)
        else 32
        for i in range(256)
    ),
    dtype=np.uint8,
)
_POINTS = ".,:"
_SIGNIFICANT = 9


# A list item's number at the start of a line: blanked (same length, spans stay exact).
_LIST_NUMBER = regex.compile(r"(?m)^([ \t]*(?:[-*+\u2022\u00b7][ \t]+)?)(\d{1,3}[.)])(?=[ \t])")


def _blank_list_numbers(form: str) -> str:
    r"""``form`` with list item numbers at line starts replaced by spaces.

    Examples:
        >>> _blank_list_numbers("1. Nike\n  * 12) Puma\nat 2. pct")
        '   Nike\n  *     Puma\nat 2. pct'
    """
    if "." not in form and ")" not in form:
        return form
    return _LIST_NUMBER.sub(lambda m: m.group(1) + " " * len(m.group(2)), form)


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
        numeric = form[i].isdigit()
        while i < n:
            c = form[i]
            if _is_word_char(c):
                if c.isdigit() != numeric:  # digits meet letters: a new word
                    break
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


# Typography as newsclean.normalize writes it (dashes are "-", so "6–3/16" and
# "6-3/16" are one figure in the raw and in the normalized text alike).
_TYPOGRAPHY = str.maketrans(
    {
        **{c: " " for c in _SEPARATORS if c not in _DASHES + _QUOTES + "\u2026"},
        **{c: "-" for c in _DASHES},
        **{c: "'" for c in _QUOTES},
        "\u2026": "...",
        **{c: None for c in _INVISIBLE},
    }
)


def _ascii_text(text: str) -> str | None:
    """``text`` with typography mapped to ASCII, or ``None`` when it needs normalisation.

    The compiled path takes this (it lower-cases, drops carets and sends texts with a
    control character back itself).
    """
    if not text.isascii():
        text = text.translate(_TYPOGRAPHY)
        if not text.isascii():
            return None
    if "&" in text and _ENTITY.search(text) is not None:
        return None
    return text


def _plain_form(text: str) -> str | None:
    """Lower-cased ASCII form of ``text`` (the per-character rule), or ``None`` (Unicode path)."""
    ascii_text = _ascii_text(text)
    if ascii_text is None or _CONTROL.search(ascii_text):
        return None
    return _drop_carets(ascii_text.lower())


def _unicode_form(text: str) -> str:
    """The form the per-character rule reads for text that needs Unicode normalisation."""
    return _blank_list_numbers(_drop_carets(fold_case(normalize(text))))


_CARET = regex.compile(r"\^+(?=\w)")


def _drop_carets(form: str) -> str:
    """A superscript as lynx writes it ("25^th", "2025.^8") joined to what it follows."""
    return _CARET.sub("", form) if "^" in form else form


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
        return _python_words(_blank_list_numbers(form))
    words = [w for w, _, _ in _python_words(_unicode_form(text))]
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
) -> tuple[
    npt.NDArray[np.uint32], npt.NDArray[np.bool_], npt.NDArray[np.int64], npt.NDArray[np.int64]
]:
    """The figures-rule words of each text: hash, digit flag and plain value per word.

    Returns:
        ``(hashes, digits, values, offsets)``: uint32 xxHash32 of every word (text after
        text), whether it holds a digit, its :func:`plain_value` (-1 if none), and int64
        offsets of length ``n + 1``.

    Examples:
        >>> hashes, digits, values, offsets = text_words(["At 2.5 pct", "Café 1,000"])
        >>> offsets.tolist(), digits.tolist(), values.tolist()
        ([0, 3, 5], [False, True, False, False, True], [-1, 25, -1, -1, 1000])
        >>> int(hashes[1]) == xxhash.xxh32_intdigest(b"2.5")
        True
    """
    forms = [_ascii_text(t) for t in texts]
    fast = [i for i, f in enumerate(forms) if f is not None]
    fast_hashes, fast_values, fast_counts, bad = _fast_words([forms[i] or "" for i in fast])
    if bad:  # control characters: rare, those texts go the per-character way
        for k in bad:
            forms[fast[k]] = None
        fast = [i for i, f in enumerate(forms) if f is not None]
        fast_hashes, fast_values, fast_counts, _ = _fast_words([forms[i] or "" for i in fast])
    slow = [i for i, f in enumerate(forms) if f is None]
    counts = np.zeros(len(texts), dtype=np.int64)
    counts[fast] = fast_counts
    per_text: dict[int, list[str]] = {}
    for i in slow:
        per_text[i] = [w for w, _, _ in _python_words(_unicode_form(texts[i]))]
        counts[i] = len(per_text[i])
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    if not slow:
        return fast_hashes, fast_values[1], fast_values[0], offsets
    hashes = np.zeros(int(offsets[-1]), dtype=np.uint32)
    digits = np.zeros(int(offsets[-1]), dtype=bool)
    values = np.full(int(offsets[-1]), -1, dtype=np.int64)
    fast_offsets = np.zeros(len(fast) + 1, dtype=np.int64)
    np.cumsum(fast_counts, out=fast_offsets[1:])
    for k, i in enumerate(fast):
        lo, hi, at = fast_offsets[k], fast_offsets[k + 1], slice(offsets[i], offsets[i + 1])
        hashes[at], digits[at], values[at] = (
            fast_hashes[lo:hi],
            fast_values[1][lo:hi],
            fast_values[0][lo:hi],
        )
    for i in slow:
        words = per_text[i]
        at = slice(offsets[i], offsets[i + 1])
        hashes[at] = [xxhash.xxh32_intdigest(w.encode("utf-8")) for w in words]
        digits[at] = [any(c.isdigit() for c in w) for w in words]
        values[at] = [plain_value(w) for w in words]
    return hashes, digits, values, offsets


def _fast_words(
    forms: Sequence[str],
) -> tuple[
    npt.NDArray[np.uint32],
    tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]],
    npt.NDArray[np.int64],
    list[int],
]:
    """:func:`_python_words` of :func:`_plain_form` of ASCII texts (list numbers blanked).

    Compiled (:func:`newsclean.duplicates.kernels.figure_rule_words` over one byte
    buffer). Returns the hashes, ``(values, digits)``, the word count of each text, and
    the texts holding a control character (their words are not to be used).
    """
    from . import kernels

    raw = np.frombuffer(("\n".join(forms) + "\n").encode("ascii"), dtype=np.uint8)
    lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
    hashes, digits, values, counts, bad = kernels.figure_rule_words(raw, lengths, _KEEP)
    return hashes, (values, digits), counts, [int(i) for i in np.flatnonzero(bad)]


def plain_value(word: str) -> int:
    """A plain number's significant digits as an int: -1 for any other word.

    A plain number is digits with ``.``, ``,`` or ``:`` inside ("2.5", "2,29", "15:30");
    its value is its digits without leading zeros, the first nine of them ("0.25" ->
    25, "1,459,193,000" -> 145919300). Fractions and ranges ("6-3/16") are not plain.

    Examples:
        >>> plain_value("0.25"), plain_value("11:00"), plain_value("6-3/16"), plain_value("0")
        (25, 1100, -1, 0)
    """
    if (
        not word
        or not any(c.isdigit() for c in word)
        or any(not (("0" <= c <= "9") or c in _POINTS) for c in word)
    ):
        return -1
    significant = "".join(c for c in word if "0" <= c <= "9").lstrip("0")[:_SIGNIFICANT]
    return int(significant) if significant else 0
