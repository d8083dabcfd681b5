"""Tokens and word n-gram shingles, hashed in batches.

A *shingle* is ``ngram`` consecutive words of the comparison form
(:func:`newsclean.normalize.comparison_form`) joined by one space, encoded as UTF-8.
Its hash is ``xxhash.xxh32_intdigest(shingle.encode("utf-8"))`` (xxHash32, seed 0): the value
datasketch's ``MinHash(hashfunc=xxhash.xxh32_intdigest)`` computes for the same string.

Edge cases, by design:

- a text with fewer than ``ngram`` words (but at least one) has exactly one shingle: all
  its words joined by one space, so short texts still compare;
- a text with no word at all (empty, only punctuation or whitespace) has no shingle;
  its MinHash signature is all ``0xFFFFFFFF`` (datasketch's empty MinHash), and
  :func:`newsclean.dedup` keeps it in a cluster of its own.

Speed: the whole batch is turned into one byte buffer of comparison forms (pure-ASCII
texts without HTML entities or control characters go through a compiled byte loop that
gives exactly the same words as :func:`newsclean.normalize.word_tokens`; other texts go
through ``word_tokens`` itself), and xxHash32 runs over all shingles of the batch at
once, as byte ranges of that buffer, compiled (:mod:`newsclean.duplicates.kernels`): no
Python string per shingle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .normalize import word_tokens

__all__ = [
    "ShingleBatch",
    "fast_word_tokens",
    "shingle_hashes",
    "shingles",
    "xxh32_ranges",
]

# Texts that the numpy path cannot take: an HTML entity normalize would decode, a control
# character normalize would delete (deleting joins the words around it), or non-ASCII
# beyond the typographic characters below. Same entity pattern as newsclean.normalize.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31})")
# Typographic characters of English news text (curly quotes, dashes, ellipsis, special
# spaces, invisible characters) and what normalize + comparison_form make of them: a
# separator, or nothing (invisible ones join the letters around them, as in normalize).
# Text that is ASCII after this mapping gives the same words as word_tokens (ftfy never
# flags these characters alone as mojibake; tests/test_signature.py checks it).
_SEPARATORS = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2018\u2019\u201a\u201b\u201c\u201d"
    "\u201e\u201f\u00ab\u00bb\u2039\u203a\u2026\u2022\u00b7"
)
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TYPOGRAPHY = str.maketrans({**{c: " " for c in _SEPARATORS}, **{c: None for c in _INVISIBLE}})


def _ascii_form(text: str, *, controls: bool = True) -> str | None:
    """``text`` with typography mapped to ASCII, if the numpy path gives its exact words.

    ``None`` when the text needs :func:`newsclean.normalize.word_tokens`. With
    ``controls=False`` the caller checks for control characters itself.
    """
    if not text.isascii():
        text = text.translate(_TYPOGRAPHY)
        if not text.isascii():
            return None
    if controls and _CONTROL.search(text):
        return None
    if "&" in text and _ENTITY.search(text) is not None:
        return None
    return text


_ASCII_WORD = re.compile(r"[a-z0-9_]+")

# Lower-cased word byte, a space for any other byte, 0 for a control character.
_FOLD = np.frombuffer(
    bytes(
        0
        if (i < 0x09 or 0x0E <= i < 0x20 or i == 0x7F)
        else i + 32
        if 65 <= i <= 90
        else i
        if (48 <= i <= 57 or 97 <= i <= 122 or i == 95)
        else 32
        for i in range(256)
    ),
    dtype=np.uint8,
)


def fast_word_tokens(text: str) -> list[str]:
    """The same list as :func:`newsclean.normalize.word_tokens`, faster on plain text.

    ASCII text (once curly quotes, dashes and special spaces are mapped to ASCII) without
    HTML entities or control characters needs no Unicode work: its words are the
    ``[a-z0-9_]+`` runs of the lower-cased text. Anything else goes through
    ``word_tokens``.

    Examples:
        >>> fast_word_tokens("Stocks FELL 2.5%, he said.")
        ['stocks', 'fell', '2', '5', 'he', 'said']
        >>> fast_word_tokens("Caf&eacute; “au lait”")
        ['café', 'au', 'lait']
    """
    ascii_text = _ascii_form(text)
    if ascii_text is None:
        return word_tokens(text)
    return _ASCII_WORD.findall(ascii_text.lower())


def shingles(text: str, ngram: int = 5) -> list[str]:
    """The shingle strings of ``text`` (for inspection and tests; dedup hashes bytes).

    Examples:
        >>> shingles("One, two; THREE four!", ngram=3)
        ['one two three', 'two three four']
        >>> shingles("Too short", ngram=5)
        ['too short']
        >>> shingles("  ...  ")
        []
    """
    check_ngram(ngram)
    tokens = fast_word_tokens(text)
    if not tokens:
        return []
    if len(tokens) < ngram:
        return [" ".join(tokens)]
    return [" ".join(tokens[i : i + ngram]) for i in range(len(tokens) - ngram + 1)]


@dataclass(frozen=True, slots=True)
class ShingleBatch:
    """The shingle hashes of a batch of texts, as flat arrays.

    Attributes:
        hashes: uint32 xxHash32 of every shingle, text after text (duplicates kept).
        offsets: int64, length ``n + 1``; the shingles of text ``i`` are
            ``hashes[offsets[i]:offsets[i + 1]]`` (empty for a text without words).
        token_counts: int64, number of words of each text.
    """

    hashes: npt.NDArray[np.uint32]
    offsets: npt.NDArray[np.int64]
    token_counts: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def doc(self, i: int) -> npt.NDArray[np.uint32]:
        """The shingle hashes of text ``i``."""
        return self.hashes[self.offsets[i] : self.offsets[i + 1]]


def check_ngram(ngram: int) -> None:
    """Raise :class:`InputError` unless ``ngram`` is a positive int."""
    if not isinstance(ngram, int) or isinstance(ngram, bool) or ngram < 1:
        msg = f"ngram must be a positive int, got {ngram!r}"
        raise InputError(msg)


def check_texts(texts: Sequence[str]) -> None:
    """Raise :class:`InputError` naming the first element that is not a ``str``."""
    if isinstance(texts, str):
        msg = "texts must be a sequence of str, got a single str; wrap it in a list"
        raise InputError(msg)
    if not hasattr(texts, "__len__") or not hasattr(texts, "__getitem__"):
        msg = f"texts must be a sequence of str (a list, a tuple), got {type(texts).__name__}; pass list(texts)"
        raise InputError(msg)
    if set(map(type, texts)) <= {str}:  # the common case, checked in C
        return
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            msg = (
                f"texts[{i}] is {type(text).__name__}, not str; "
                "decode bytes first and replace missing texts by ''"
            )
            raise InputError(msg)


def _ascii_token_buffer(
    texts: Sequence[str],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], list[int]]:
    """Comparison forms of ASCII texts as one buffer; each word followed by one space.

    Returns the buffer, the number of words of each text, and the texts holding a
    control character (normalize deletes those, joining words): when there are any,
    the caller sends those texts the slow way and builds the buffer again without them.
    """
    from .duplicates import kernels

    raw = np.frombuffer(("\n".join(texts) + "\n").encode("ascii"), dtype=np.uint8)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    buffer, counts, bad = kernels.fold_words(raw, lengths, _FOLD)
    return buffer, counts, [int(i) for i in np.flatnonzero(bad)]


def _token_buffer(
    texts: Sequence[str],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """One buffer of all comparison forms (word + space each) and each text's word range.

    Returns ``(buffer, first_token, token_count)``; texts may appear in the buffer in a
    different order than the input (fast-path texts first), hence ``first_token``.
    """
    forms: list[str | None]
    if "\n".join(texts).isascii():  # one C call instead of one per text
        forms = list(texts)
        for i, text in enumerate(texts):
            if "&" in text and _ENTITY.search(text) is not None:
                forms[i] = None
    else:
        forms = [_ascii_form(t, controls=False) for t in texts]
    fast = [i for i, f in enumerate(forms) if f is not None]
    slow = [i for i, f in enumerate(forms) if f is None] if len(fast) < len(texts) else []
    counts = np.zeros(len(texts), dtype=np.int64)
    parts: list[npt.NDArray[np.uint8]] = []
    order: list[int] = []
    if fast:
        buffer, fast_counts, bad = _ascii_token_buffer([forms[i] or "" for i in fast])
        if bad:  # control characters: rare, those texts go the slow way
            slow = sorted(slow + [fast[i] for i in bad])
            bad_set = {fast[i] for i in bad}
            fast = [i for i in fast if i not in bad_set]
            buffer, fast_counts, _ = _ascii_token_buffer([forms[i] or "" for i in fast])
        parts.append(buffer)
        counts[fast] = fast_counts
        order.extend(fast)
    if slow:
        words = [word_tokens(texts[i]) for i in slow]
        counts[slow] = [len(w) for w in words]
        joined = "".join(w + " " for ws in words for w in ws)
        parts.append(np.frombuffer(joined.encode("utf-8"), dtype=np.uint8))
        order.extend(slow)
    buffer = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)
    first = np.zeros(len(texts), dtype=np.int64)
    ordered_counts = counts[order]
    first[order] = np.cumsum(ordered_counts) - ordered_counts
    return buffer, first, counts


def shingle_hashes(texts: Sequence[str], ngram: int = 5, *, checked: bool = False) -> ShingleBatch:
    """xxHash32 of every word n-gram shingle of every text, vectorized over the batch.

    Args:
        texts: the documents (``str`` each).
        ngram: words per shingle (5 = the usual choice for news near-duplicates).
        checked: the caller has already checked that every text is a ``str``.

    Returns:
        A :class:`ShingleBatch` (flat hashes plus per-text offsets).

    Raises:
        InputError: if an element is not a ``str`` or ``ngram`` is not a positive int.

    Examples:
        >>> import xxhash
        >>> batch = shingle_hashes(["One two three four", "", "Solo"], ngram=3)
        >>> batch.offsets.tolist()
        [0, 2, 2, 3]
        >>> int(batch.hashes[0]) == xxhash.xxh32_intdigest(b"one two three")
        True
        >>> int(batch.hashes[2]) == xxhash.xxh32_intdigest(b"solo")
        True
    """
    if not checked:
        check_texts(texts)
    check_ngram(ngram)
    from .duplicates import kernels

    buffer, first, counts = _token_buffer(texts)
    hashes, offsets = kernels.shingle_hashes(buffer, first, counts, ngram)
    return ShingleBatch(hashes=hashes, offsets=offsets, token_counts=counts)


def xxh32_ranges(
    buffer: npt.NDArray[np.uint8],
    begin: npt.NDArray[np.int64],
    length: npt.NDArray[np.int64],
) -> npt.NDArray[np.uint32]:
    """xxHash32 (seed 0) of ``buffer[begin[i]:begin[i] + length[i]]`` for every ``i``.

    The reference algorithm (XXH32: 16-byte stripes in four lanes, then 4-byte words,
    then single bytes, then the avalanche), compiled
    (:func:`newsclean.duplicates.kernels.xxh32`).

    Examples:
        >>> import xxhash
        >>> data = b"the quick brown fox jumps over the lazy dog"
        >>> buf = np.frombuffer(data, dtype=np.uint8)
        >>> out = xxh32_ranges(buf, np.array([0, 4, 0]), np.array([43, 5, 0]))
        >>> out.tolist() == [xxhash.xxh32_intdigest(data), xxhash.xxh32_intdigest(b"quick"),
        ...                  xxhash.xxh32_intdigest(b"")]
        True
    """
    from .duplicates import kernels

    begin = np.asarray(begin, dtype=np.int64)
    length = np.asarray(length, dtype=np.int64)
    if len(begin) and (
        int(begin.min()) < 0 or int((begin + length).max()) > len(buffer) or int(length.min()) < 0
    ):
        msg = "byte ranges must lie inside the buffer"
        raise ValueError(msg)
    out: npt.NDArray[np.uint32] = kernels.xxh32_ranges(
        np.ascontiguousarray(buffer, dtype=np.uint8), begin, length
    )
    return out
