"""The per-document sketch every dedup engine carries: columnar, frozen, without the text.

A :class:`Sketch` holds, for a batch of documents, everything the verification and
the clustering need (:mod:`newsclean.duplicates.verification`,
:mod:`newsclean.duplicates.clusters`):

- ``ids``;
- ``signatures``: MinHash signatures, ``(n, num_perm)`` uint32 (datasketch's values);
- ``band_keys``: LSH band keys at ``candidate_threshold``, ``(n, bands)`` uint64, and
  ``whole_keys``: one key of the whole signature (equal signatures share it);
- ``shingles`` + ``shingle_offsets``: each document's distinct shingle hashes, sorted
  (exact Jaccard and containment; their count is the document's *size*);
- ``words`` + ``word_offsets``: each document's words as figure-rule hashes
  (:mod:`newsclean.duplicates.words`, hashed by
  :func:`newsclean.duplicates.figures.figure_words`).

:func:`sketch_texts` builds one from texts (in batches), :func:`concat` joins sketches,
:meth:`Sketch.take` selects rows, :meth:`Sketch.to_bytes` / :func:`from_bytes` store one
(npz). The streaming pipeline writes one per chunk, the persistent index stores rows of
them, and Spark tasks build and read them, so all engines see the same numbers.

Memory: about ``4 * num_perm + 8 * bands + 8`` bytes plus 8 bytes per word.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..errors import config_of
from ..lsh import band_keys, lsh_params
from ..shingle import check_texts, shingle_hashes
from ..signature import signatures_from_hashes
from .config import DedupConfig
from .figures import figure_words
from .words import text_words

__all__ = [
    "Sketch",
    "concat",
    "distinct",
    "empty_sketch",
    "from_bytes",
    "from_rows",
    "row_bytes",
    "segments",
    "sketch_texts",
]

_BATCH = 1024
_ARRAYS = (
    "signatures",
    "band_keys",
    "whole_keys",
    "shingles",
    "shingle_offsets",
    "words",
    "word_offsets",
)


@dataclass(frozen=True, slots=True, eq=False)
class Sketch:
    """The dedup state of a batch of documents (see the module docstring).

    Examples:
        >>> sk = sketch_texts(["one two three four five six", ""], ["a", "b"])
        >>> sk.sizes.tolist(), sk.empty.tolist(), len(sk)
        ([2, 0], [False, True], 2)
        >>> from_bytes(sk.to_bytes()).ids
        ('a', 'b')
    """

    ids: tuple[str, ...]
    signatures: npt.NDArray[np.uint32]
    band_keys: npt.NDArray[np.uint64]
    whole_keys: npt.NDArray[np.uint64]
    shingles: npt.NDArray[np.uint32]
    shingle_offsets: npt.NDArray[np.int64]
    words: npt.NDArray[np.uint32]
    word_offsets: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def sizes(self) -> npt.NDArray[np.int64]:
        """Distinct shingles of each document (0: no word)."""
        return np.diff(self.shingle_offsets)

    @property
    def empty(self) -> npt.NDArray[np.bool_]:
        """Documents without any word; they stay alone."""
        return np.asarray(self.sizes == 0)

    def words_of(self, i: int) -> npt.NDArray[np.uint32]:
        """Figure-rule words of document ``i``."""
        return self.words[self.word_offsets[i] : self.word_offsets[i + 1]]

    def shingles_of(self, i: int) -> npt.NDArray[np.uint32]:
        """Distinct shingle hashes of document ``i``, sorted."""
        return self.shingles[self.shingle_offsets[i] : self.shingle_offsets[i + 1]]

    def take(self, rows: Sequence[int] | npt.NDArray[np.int64]) -> Sketch:
        """The sketch of documents ``rows``, in that order.

        Examples:
            >>> sk = sketch_texts(["a b c", "d e f g h i"], ["x", "y"])
            >>> part = sk.take([1])
            >>> part.ids, part.sizes.tolist()
            (('y',), [2])
        """
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        shingles, shingle_offsets = _take_segments(self.shingles, self.shingle_offsets, rows)
        words, word_offsets = _take_segments(self.words, self.word_offsets, rows)
        return Sketch(
            ids=tuple(self.ids[int(i)] for i in rows),
            signatures=self.signatures[rows],
            band_keys=self.band_keys[rows],
            whole_keys=self.whole_keys[rows],
            shingles=shingles,
            shingle_offsets=shingle_offsets,
            words=words,
            word_offsets=word_offsets,
        )

    def to_bytes(self) -> bytes:
        """The sketch as npz bytes (ids as JSON); :func:`from_bytes` reads them back."""
        buffer = io.BytesIO()
        ids = np.frombuffer(json.dumps(list(self.ids)).encode("utf-8"), dtype=np.uint8)
        np.savez(buffer, ids=ids, **{name: getattr(self, name) for name in _ARRAYS})
        return buffer.getvalue()


def row_bytes(sketch: Sketch, i: int) -> bytes:
    """Document ``i`` of ``sketch`` as compact bytes (for a store); :func:`from_rows` reads them.

    Layout: two uint32 counts (shingles, words), then the signature, the band keys, the
    whole key, the shingles and the words, little-endian.
    """
    shingles, words = sketch.shingles_of(i), sketch.words_of(i)
    head = np.array([len(shingles), len(words)], dtype="<u4").tobytes()
    return b"".join(
        (
            head,
            sketch.signatures[i].astype("<u4").tobytes(),
            sketch.band_keys[i].astype("<u8").tobytes(),
            np.asarray([sketch.whole_keys[i]], dtype="<u8").tobytes(),
            shingles.astype("<u4").tobytes(),
            words.astype("<u4").tobytes(),
        )
    )


def from_rows(ids: Sequence[str], rows: Sequence[bytes], config: DedupConfig) -> Sketch:
    """A sketch of stored documents from their :func:`row_bytes`.

    Examples:
        >>> sk = sketch_texts(["one two three four five six", "seven"], ["a", "b"])
        >>> back = from_rows(["a", "b"], [row_bytes(sk, 0), row_bytes(sk, 1)], DedupConfig())
        >>> bool((back.shingles == sk.shingles).all() and (back.band_keys == sk.band_keys).all())
        True
    """
    if not rows:
        return empty_sketch(config)
    bands, _ = lsh_params(config.candidate_threshold, config.num_perm)
    perm = config.num_perm
    sig, keys, whole, shingles, words = [], [], [], [], []
    n_shingles, n_words = [], []
    for blob in rows:
        k, w = (int(x) for x in np.frombuffer(blob, dtype="<u4", count=2))
        at = 8
        sig.append(np.frombuffer(blob, dtype="<u4", count=perm, offset=at))
        at += 4 * perm
        keys.append(np.frombuffer(blob, dtype="<u8", count=bands, offset=at))
        at += 8 * bands
        whole.append(np.frombuffer(blob, dtype="<u8", count=1, offset=at))
        at += 8
        shingles.append(np.frombuffer(blob, dtype="<u4", count=k, offset=at))
        at += 4 * k
        words.append(np.frombuffer(blob, dtype="<u4", count=w, offset=at))
        n_shingles.append(k)
        n_words.append(w)

    def offsets(counts: list[int]) -> npt.NDArray[np.int64]:
        out = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=out[1:])
        return out

    return Sketch(
        ids=tuple(ids),
        signatures=np.stack(sig).astype(np.uint32),
        band_keys=np.stack(keys).astype(np.uint64),
        whole_keys=np.concatenate(whole).astype(np.uint64),
        shingles=np.concatenate(shingles).astype(np.uint32),
        shingle_offsets=offsets(n_shingles),
        words=np.concatenate(words).astype(np.uint32),
        word_offsets=offsets(n_words),
    )


def from_bytes(data: bytes) -> Sketch:
    """A :class:`Sketch` from :meth:`Sketch.to_bytes`."""
    with np.load(io.BytesIO(data)) as arrays:
        ids = tuple(json.loads(arrays["ids"].tobytes().decode("utf-8")))
        return Sketch(ids=ids, **{name: arrays[name] for name in _ARRAYS})


def distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``np.unique`` of an int64 array, by one sort (numpy's radix sort for integers).

    Examples:
        >>> distinct(np.array([[3, 1], [1, 7]])).tolist()
        [1, 3, 7]
    """
    flat = np.sort(np.asarray(values, dtype=np.int64).ravel(), kind="stable")
    if len(flat) < 2:
        return flat
    out: npt.NDArray[np.int64] = flat[np.concatenate(([True], flat[1:] != flat[:-1]))]
    return out


def segments(offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The document of each element of a flat column with these offsets."""
    return np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))


#: Elements gathered at a time by :meth:`Sketch.take`: its int64 index temporaries stay
#: small (a whole run's words at once would need four int64 arrays of that length).
_TAKE_BLOCK = 1 << 20


def _take_segments(
    values: npt.NDArray[np.uint32], offsets: npt.NDArray[np.int64], rows: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    starts = offsets[rows]
    lengths = offsets[rows + 1] - starts
    new_offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_offsets[1:])
    out = np.empty(int(new_offsets[-1]), dtype=values.dtype)
    i = 0
    while i < len(rows):
        j = int(np.searchsorted(new_offsets, new_offsets[i] + _TAKE_BLOCK, side="right")) - 1
        j = min(max(j, i + 1), len(rows))
        lo, hi = int(new_offsets[i]), int(new_offsets[j])
        owner = np.repeat(np.arange(j - i), lengths[i:j])
        within = np.arange(hi - lo) - (new_offsets[i:j] - lo)[owner]
        out[lo:hi] = values[starts[i:j][owner] + within]
        i = j
    return out, new_offsets


def empty_sketch(config: DedupConfig) -> Sketch:
    """A sketch of no documents, with the column shapes of ``config``."""
    bands, _ = lsh_params(config.candidate_threshold, config.num_perm)
    return Sketch(
        ids=(),
        signatures=np.zeros((0, config.num_perm), dtype=np.uint32),
        band_keys=np.zeros((0, bands), dtype=np.uint64),
        whole_keys=np.zeros(0, dtype=np.uint64),
        shingles=np.zeros(0, dtype=np.uint32),
        shingle_offsets=np.zeros(1, dtype=np.int64),
        words=np.zeros(0, dtype=np.uint32),
        word_offsets=np.zeros(1, dtype=np.int64),
    )


def concat(parts: Sequence[Sketch], config: DedupConfig | None = None) -> Sketch:
    """One sketch of the documents of ``parts``, in order.

    Examples:
        >>> a = sketch_texts(["one two three"], ["a"])
        >>> b = sketch_texts(["four five six seven eight nine"], ["b"])
        >>> both = concat([a, b])
        >>> both.ids, both.sizes.tolist(), bool((both.take([1]).shingles == b.shingles).all())
        (('a', 'b'), [1, 2], True)
    """
    if not parts:
        return empty_sketch(config or DedupConfig())
    if len(parts) == 1:
        return parts[0]

    def offsets(name: str) -> npt.NDArray[np.int64]:
        shift = 0
        out = [np.zeros(1, dtype=np.int64)]
        for part in parts:
            column: npt.NDArray[np.int64] = getattr(part, name)
            out.append(column[1:] + shift)
            shift += int(column[-1])
        return np.concatenate(out)

    return Sketch(
        ids=tuple(i for part in parts for i in part.ids),
        signatures=np.concatenate([p.signatures for p in parts]),
        band_keys=np.concatenate([p.band_keys for p in parts]),
        whole_keys=np.concatenate([p.whole_keys for p in parts]),
        shingles=np.concatenate([p.shingles for p in parts]),
        shingle_offsets=offsets("shingle_offsets"),
        words=np.concatenate([p.words for p in parts]),
        word_offsets=offsets("word_offsets"),
    )


def _distinct_sorted(
    hashes: npt.NDArray[np.uint32], offsets: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Each document's distinct hashes, sorted, and their offsets."""
    from . import kernels

    out: tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]] = kernels.distinct_sorted(
        np.ascontiguousarray(hashes, dtype=np.uint32), np.asarray(offsets, dtype=np.int64)
    )
    return out


def _sketch_batch(texts: Sequence[str], ids: tuple[str, ...], config: DedupConfig) -> Sketch:
    shingled = shingle_hashes(texts, config.ngram, checked=True)
    word_hashes, digits, values, word_offsets = text_words(texts)
    signatures = signatures_from_hashes(
        shingled.hashes, shingled.offsets, num_perm=config.num_perm, seed=config.seed
    )
    bands, rows = lsh_params(config.candidate_threshold, config.num_perm)
    shingles, shingle_offsets = _distinct_sorted(shingled.hashes, shingled.offsets)
    return Sketch(
        ids=ids,
        signatures=signatures,
        band_keys=band_keys(signatures, bands, rows),
        whole_keys=band_keys(signatures, 1, config.num_perm)[:, 0],
        shingles=shingles,
        shingle_offsets=shingle_offsets,
        words=figure_words(word_hashes, digits, values),
        word_offsets=word_offsets,
    )


def sketch_texts(
    texts: Sequence[str],
    ids: Sequence[str],
    config: DedupConfig | None = None,
    *,
    batch_size: int = _BATCH,
) -> Sketch:
    """The :class:`Sketch` of ``texts``, built ``batch_size`` texts at a time.

    The result does not depend on ``batch_size``.

    Raises:
        InputError: if a text is not a ``str``.

    Examples:
        >>> sk = sketch_texts(["The bank raised its rate on Monday"], ["a"])
        >>> sk.signatures.shape, sk.band_keys.shape, sk.word_offsets.tolist()
        ((1, 128), (1, 28), [0, 7])
    """
    config = config_of(config, DedupConfig, "sketch_texts()")
    check_texts(texts)
    id_tuple = tuple(ids)
    if len(texts) <= batch_size:
        return concat([_sketch_batch(texts, id_tuple, config)], config)
    # The batches are written into columns allocated once (the flat ones with room for
    # about one word per four characters, grown if needed), so no batch is kept until a
    # final join: the peak is the sketch plus one batch.
    n = len(texts)
    bands, _ = lsh_params(config.candidate_threshold, config.num_perm)
    signatures = np.empty((n, config.num_perm), dtype=np.uint32)
    keys = np.empty((n, bands), dtype=np.uint64)
    whole = np.empty(n, dtype=np.uint64)
    room = sum(map(len, texts)) // 4 + n
    flat = {"shingles": np.empty(room, dtype=np.uint32), "words": np.empty(room, dtype=np.uint32)}
    offsets = {name: np.zeros(n + 1, dtype=np.int64) for name in flat}
    for start in range(0, n, batch_size):
        part = _sketch_batch(
            texts[start : start + batch_size], id_tuple[start : start + batch_size], config
        )
        rows = slice(start, start + len(part))
        signatures[rows] = part.signatures
        keys[rows] = part.band_keys
        whole[rows] = part.whole_keys
        for name in flat:
            values = getattr(part, name)
            at = int(offsets[name][start])
            if at + len(values) > len(flat[name]):
                flat[name] = _grown(flat[name], at, at + len(values))
            flat[name][at : at + len(values)] = values
            part_offsets = getattr(part, name[:-1] + "_offsets")
            offsets[name][start + 1 : start + len(part) + 1] = part_offsets[1:] + at
        del part
    # Views of the used part: the room never written to was never resident either.
    exact = {name: column[: int(offsets[name][-1])] for name, column in flat.items()}
    return Sketch(
        ids=id_tuple,
        signatures=signatures,
        band_keys=keys,
        whole_keys=whole,
        shingles=exact["shingles"],
        shingle_offsets=offsets["shingles"],
        words=exact["words"],
        word_offsets=offsets["words"],
    )


def _grown(column: npt.NDArray[np.uint32], used: int, need: int) -> npt.NDArray[np.uint32]:
    """``column`` with room for at least ``need`` values (twice as much), ``used`` kept."""
    out = np.empty(max(need, 2 * len(column)), dtype=column.dtype)
    out[:used] = column[:used]
    return out
