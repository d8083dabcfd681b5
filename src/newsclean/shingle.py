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
texts without HTML entities or control characters go through a numpy path that gives
exactly the same words as :func:`newsclean.normalize.word_tokens`; other texts go
through ``word_tokens`` itself), and xxHash32 runs vectorized over all shingles of the
batch at once, as byte ranges of that buffer: no Python string per shingle.
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

_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A") : ord("Z") + 1] += 32
_IS_CONTROL = np.zeros(256, dtype=bool)
_IS_CONTROL[[*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F]] = True
_IS_CONTROL.setflags(write=False)
_IS_WORD = np.zeros(256, dtype=bool)
for _lo, _hi in ((b"a", b"z"), (b"A", b"Z"), (b"0", b"9"), (b"_", b"_")):
    _IS_WORD[_lo[0] : _hi[0] + 1] = True
_LOWER.setflags(write=False)
_IS_WORD.setflags(write=False)
_FOLD = bytes(int(_LOWER[i]) if _IS_WORD[i] else 32 for i in range(256))
del _lo, _hi

_P1 = np.uint32(2654435761)
_P2 = np.uint32(2246822519)
_P3 = np.uint32(3266489917)
_P4 = np.uint32(668265263)
_P5 = np.uint32(374761393)


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
    _check_ngram(ngram)
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


def _check_ngram(ngram: int) -> None:
    if not isinstance(ngram, int) or isinstance(ngram, bool) or ngram < 1:
        msg = f"ngram must be a positive int, got {ngram!r}"
        raise InputError(msg)


def check_texts(texts: Sequence[str]) -> None:
    """Raise :class:`InputError` naming the first element that is not a ``str``."""
    if isinstance(texts, str):
        msg = "texts must be a sequence of str, got a single str; wrap it in a list"
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
    the buffer is not built and the caller sends those texts the slow way.
    """
    joined = "\n".join(texts).encode("ascii") + b"\n"
    raw = np.frombuffer(joined, dtype=np.uint8)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    boundaries = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=boundaries[1:])
    controls = np.flatnonzero(_IS_CONTROL[raw])
    if len(controls):
        bad = np.unique(np.searchsorted(boundaries, controls, side="right") - 1)
        return raw[:0], boundaries[:0], [int(i) for i in bad]
    # bytes.translate (C, ~1 GB/s) lower-cases letters and turns every non-word byte
    # into a space in one pass.
    folded = np.frombuffer(joined.translate(_FOLD), dtype=np.uint8)
    is_word = folded != 32
    prev_word = np.empty_like(is_word)
    prev_word[0] = False
    prev_word[1:] = is_word[:-1]
    # A word starts where a word byte follows a non-word byte; texts are joined by "\n",
    # so no word crosses two texts.
    starts = np.flatnonzero(is_word & ~prev_word)
    counts = np.diff(np.searchsorted(starts, boundaries)).astype(np.int64)
    keep = is_word | prev_word  # word bytes, plus the first byte after each word
    buffer = folded[keep]
    return buffer, counts, []


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
    _check_ngram(ngram)
    buffer, first, counts = _token_buffer(texts)
    ends = np.flatnonzero(buffer == 32)  # every word is followed by exactly one space
    starts = np.empty_like(ends)
    if len(ends):
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
    per_doc = np.where(counts >= ngram, counts - ngram + 1, np.minimum(counts, 1))
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(per_doc, out=offsets[1:])
    first_word, last_word = _shingle_words(first, counts, offsets, ngram)
    begin = starts[first_word]
    length = ends[last_word] - begin
    hashes = xxh32_ranges(buffer, begin, length)
    return ShingleBatch(hashes=hashes, offsets=offsets, token_counts=counts)


def _shingle_words(
    first: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
    offsets: npt.NDArray[np.int64],
    ngram: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Token index of the first and last word of every shingle, texts in input order."""
    n = len(counts)
    total = int(offsets[-1])
    if n and bool((first[1:] == first[:-1] + counts[:-1]).all()):
        # Texts lie in the buffer in input order (the usual case): every word starts a
        # shingle except the last ngram - 1 of each text; marking those needs only
        # per-text work, then one pass over the words.
        n_words = int(first[-1] + counts[-1])
        is_first = np.ones(n_words, dtype=bool)
        text_end = first + counts
        for k in range(1, ngram):
            tail = text_end - k
            is_first[tail[tail >= first]] = False
        short = np.flatnonzero((counts > 0) & (counts < ngram))
        is_first[first[short]] = True
        first_word = np.flatnonzero(is_first)
        last_word = first_word + (ngram - 1)
        last_word[offsets[short]] = first[short] + counts[short] - 1
        return first_word, last_word
    doc_of = np.repeat(np.arange(n), np.diff(offsets))
    first_word = first[doc_of] + (np.arange(total) - offsets[:-1][doc_of])
    width = np.minimum(counts[doc_of], ngram)
    return first_word, first_word + width - 1


def _rotl(x: npt.NDArray[np.uint32], r: int) -> npt.NDArray[np.uint32]:
    out: npt.NDArray[np.uint32] = (x << np.uint32(r)) | (x >> np.uint32(32 - r))
    return out


def _rotl_inplace(x: npt.NDArray[np.uint32], r: int, tmp: npt.NDArray[np.uint32]) -> None:
    np.right_shift(x, np.uint32(32 - r), out=tmp)
    np.left_shift(x, np.uint32(r), out=x)
    np.bitwise_or(x, tmp, out=x)


# Ranges hashed together: the uint32 temporaries of a chunk (~128 KB each) stay in the
# CPU cache. CPU time of 1.47M Reuters shingles: 0.15 s unchunked, 0.105 s at 16k,
# 0.099 s at 64k.
_XXH_CHUNK = 1 << 15
_LANE_INIT = np.array(
    [(int(_P1) + int(_P2)) & 0xFFFFFFFF, int(_P2), 0, -int(_P1) & 0xFFFFFFFF], dtype=np.uint32
)
_LANE_INIT.setflags(write=False)


def xxh32_ranges(
    buffer: npt.NDArray[np.uint8],
    begin: npt.NDArray[np.int64],
    length: npt.NDArray[np.int64],
) -> npt.NDArray[np.uint32]:
    """xxHash32 (seed 0) of ``buffer[begin[i]:begin[i] + length[i]]`` for every ``i``.

    A vectorized transcription of the reference algorithm (XXH32: 16-byte stripes in four
    lanes, then 4-byte words, then single bytes, then the avalanche), run over chunks of
    ranges at once with in-place uint32 wraparound arithmetic.

    Examples:
        >>> import xxhash
        >>> data = b"the quick brown fox jumps over the lazy dog"
        >>> buf = np.frombuffer(data, dtype=np.uint8)
        >>> out = xxh32_ranges(buf, np.array([0, 4, 0]), np.array([43, 5, 0]))
        >>> out.tolist() == [xxhash.xxh32_intdigest(data), xxhash.xxh32_intdigest(b"quick"),
        ...                  xxhash.xxh32_intdigest(b"")]
        True
    """
    padded = np.zeros(len(buffer) + 16, dtype=np.uint8)
    padded[: len(buffer)] = buffer
    # words[p] = the little-endian uint32 at byte offset p: a view with a one-byte
    # stride, so nothing is built (numpy reads unaligned words).
    words: npt.NDArray[np.uint32] = np.ndarray(
        shape=(len(buffer) + 4,), dtype="<u4", buffer=padded.data, strides=(1,)
    )
    # blocks[p] = the four words at p, p + 4, p + 8, p + 12 (one XXH32 stripe).
    blocks: npt.NDArray[np.uint32] = np.ndarray(
        shape=(len(buffer) + 1, 4), dtype="<u4", buffer=padded.data, strides=(1, 4)
    )
    begin = np.asarray(begin, dtype=np.int64)
    length = np.asarray(length, dtype=np.int64)
    n = len(begin)
    out = np.empty(n, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for s in range(0, n, _XXH_CHUNK):
            e = min(s + _XXH_CHUNK, n)
            out[s:e] = _xxh32_chunk(words, blocks, padded, begin[s:e], length[s:e])
    return out


def _xxh32_chunk(
    words: npt.NDArray[np.uint32],
    blocks: npt.NDArray[np.uint32],
    padded: npt.NDArray[np.uint8],
    begin: npt.NDArray[np.int64],
    length: npt.NDArray[np.int64],
) -> npt.NDArray[np.uint32]:
    stripes = length >> 4
    idx = np.flatnonzero(stripes)
    if len(idx) == len(begin):
        h = _stripes(blocks, begin, stripes)
    else:
        h = np.full(len(begin), _P5, dtype=np.uint32)
        if len(idx):
            h[idx] = _stripes(blocks, begin[idx], stripes[idx])
    h += length.astype(np.uint32)
    pos = begin + (stripes << 4)
    rest = length & 15
    for k in range(3):
        idx = np.flatnonzero(rest >= 4 * (k + 1))
        if not len(idx):
            break
        hk = words[pos[idx] + 4 * k]
        hk *= _P3
        hk += h[idx]
        _rotl_inplace(hk, 17, np.empty_like(hk))
        hk *= _P4
        h[idx] = hk
    pos += rest & 12
    rest &= 3
    for k in range(3):
        idx = np.flatnonzero(rest > k)
        if not len(idx):
            break
        hk = padded[pos[idx] + k].astype(np.uint32)
        hk *= _P5
        hk += h[idx]
        _rotl_inplace(hk, 11, np.empty_like(hk))
        hk *= _P1
        h[idx] = hk
    tmp = np.empty_like(h)
    for shift, prime in ((15, _P2), (13, _P3), (16, None)):
        np.right_shift(h, np.uint32(shift), out=tmp)
        h ^= tmp
        if prime is not None:
            h *= prime
    return h


def _stripes(
    blocks: npt.NDArray[np.uint32],
    begin: npt.NDArray[np.int64],
    stripes: npt.NDArray[np.int64],
) -> npt.NDArray[np.uint32]:
    """The four-lane accumulation of XXH32 for ranges of at least 16 bytes.

    ``blocks[p]`` is the stripe at byte offset ``p`` (four little-endian uint32), so one
    gather of 16-byte rows feeds all four lanes, held as one (n, 4) array updated in
    place; after the first stripe only the ranges with more stripes are gathered.
    """
    lanes = blocks[begin]
    lanes *= _P2
    lanes += _LANE_INIT
    _rotl_inplace(lanes, 13, np.empty_like(lanes))
    lanes *= _P1
    k = 1
    sub = np.flatnonzero(stripes > 1)
    while len(sub):
        part = blocks[begin[sub] + 16 * k]
        part *= _P2
        part += lanes[sub]
        _rotl_inplace(part, 13, np.empty_like(part))
        part *= _P1
        lanes[sub] = part
        k += 1
        sub = sub[stripes[sub] > k]
    out = _rotl(lanes[:, 0], 1)
    out += _rotl(lanes[:, 1], 7)
    out += _rotl(lanes[:, 2], 12)
    out += _rotl(lanes[:, 3], 18)
    return out
