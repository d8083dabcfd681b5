"""MinHash signatures of text batches, bit-identical to datasketch.

:func:`minhash_signatures` gives, for each text, the hash values that datasketch 2.x
computes with ``MinHash(num_perm=num_perm, seed=seed, hashfunc=xxhash.xxh32_intdigest)``
(its default ``"affine32"`` scheme) updated with the UTF-8 bytes of each shingle of
:mod:`newsclean.shingle`. Rows convert losslessly to ``datasketch.LeanMinHash``
(:func:`to_lean_minhash`), so signatures can go into datasketch's indexes and storage.

The scheme, as datasketch 2.0 defines it: the 32-bit shingle hash ``h`` is pre-mixed
with the MurmurHash3 32-bit finalizer, then permutation ``k`` maps it to
``a[k] * h + b[k] mod 2**32`` with ``a`` odd and ``a``, ``b`` drawn from
``numpy.random.RandomState(seed)``; a signature holds the minimum over shingles.

Everything is a pure function of arrays, so a Spark partition or a worker process can
call it on its own slice and get the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .shingle import check_texts, shingle_hashes

__all__ = [
    "EMPTY_HASH",
    "empty_rows",
    "minhash_signatures",
    "permutations",
    "signatures_from_hashes",
    "to_lean_minhash",
]

#: The value of every slot of an empty signature (a text without words), as in datasketch.
EMPTY_HASH = np.uint32(0xFFFFFFFF)
# Texts per batch: a batch's byte buffer, shingle arrays and hash temporaries then stay
# mostly in the CPU cache (CPU time of 10k Reuters texts: 0.25 s at 4096, 0.21 s at 1024,
# 0.23 s at 256).
_DEFAULT_BATCH = 1024


def permutations(
    num_perm: int = 128, seed: int = 1
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """The permutation parameters ``(a, b)`` datasketch's affine32 scheme draws for ``seed``.

    Examples:
        >>> a, b = permutations(4, seed=1)
        >>> a.dtype.name, bool((a % 2 == 1).all()), b.shape
        ('uint32', True, (4,))
    """
    check_num_perm(num_perm)
    check_seed(seed)
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def check_num_perm(num_perm: int) -> None:
    """Raise :class:`InputError` unless ``num_perm`` is an int in [1, 65536]."""
    if not isinstance(num_perm, int) or isinstance(num_perm, bool) or not 1 <= num_perm <= 1 << 16:
        msg = f"num_perm must be an int in [1, 65536], got {num_perm!r} (128 is the usual choice)"
        raise InputError(msg)


def check_seed(seed: int) -> None:
    """Raise :class:`InputError` unless ``seed`` is an int numpy's RandomState takes."""
    # numpy's RandomState (datasketch's generator) takes 0 .. 2**32 - 1 only.
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or not 0 <= int(seed) < 1 << 32:
        msg = f"seed must be an int in [0, 2**32 - 1], got {seed!r} (datasketch's default is 1)"
        raise InputError(msg)


def signatures_from_hashes(
    hashes: npt.NDArray[np.uint32],
    offsets: npt.NDArray[np.int64],
    *,
    num_perm: int = 128,
    seed: int = 1,
) -> npt.NDArray[np.uint32]:
    """MinHash signatures from flat shingle hashes and per-document offsets.

    Args:
        hashes: uint32 hashes of all shingles, document after document.
        offsets: int64 of length ``n + 1``; document ``i`` owns
            ``hashes[offsets[i]:offsets[i + 1]]``.
        num_perm: permutations (signature length).
        seed: seed of the permutations (datasketch's ``seed``).

    Returns:
        uint32 array of shape ``(n, num_perm)``; a document without shingles gets a row
        of :data:`EMPTY_HASH`.

    Examples:
        >>> sig = signatures_from_hashes(np.array([7, 9, 7], dtype=np.uint32),
        ...                              np.array([0, 2, 2, 3]), num_perm=4)
        >>> sig.shape, bool((sig[1] == EMPTY_HASH).all()), bool((sig[0] <= sig[2]).all())
        ((3, 4), True, True)
    """
    from .duplicates import kernels

    check_num_perm(num_perm)
    a, b = permutations(num_perm, seed)
    out: npt.NDArray[np.uint32] = kernels.minhash(
        np.ascontiguousarray(hashes, dtype=np.uint32), np.asarray(offsets, dtype=np.int64), a, b
    )
    return out


def empty_rows(signatures: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """Which signatures are empty (texts without any word).

    Examples:
        >>> empty_rows(minhash_signatures(["", "some words"], num_perm=8)).tolist()
        [True, False]
    """
    return np.asarray((signatures == EMPTY_HASH).all(axis=1))


def _signature_job(args: tuple[Sequence[str], int, int, int]) -> npt.NDArray[np.uint32]:
    texts, num_perm, ngram, seed = args
    batch = shingle_hashes(texts, ngram, checked=True)
    return signatures_from_hashes(batch.hashes, batch.offsets, num_perm=num_perm, seed=seed)


def minhash_signatures(
    texts: Sequence[str],
    *,
    num_perm: int = 128,
    ngram: int = 5,
    seed: int = 1,
    batch_size: int = _DEFAULT_BATCH,
    jobs: int = 1,
) -> npt.NDArray[np.uint32]:
    """MinHash signatures of ``texts``, one uint32 row of ``num_perm`` values per text.

    Bit-identical to datasketch 2.x ``MinHash(num_perm=num_perm, seed=seed,
    hashfunc=xxhash.xxh32_intdigest)`` after ``update(s.encode("utf-8"))`` for each
    shingle ``s`` of :func:`newsclean.shingle.shingles` (word ``ngram``-grams of the
    comparison form joined by one space; a text with fewer words has one shingle of all
    its words; a text without words gives a row of :data:`EMPTY_HASH`, see
    :func:`empty_rows`).

    Args:
        texts: the documents.
        num_perm: permutations; 128 is the usual trade-off (estimate error ~ 0.04).
        ngram: words per shingle.
        seed: permutation seed (datasketch's ``seed``).
        batch_size: texts hashed together; only memory changes with it, never the result.
        jobs: worker processes (1 = this process). Batches are cut the same way whatever
            ``jobs`` is and their results are put back in input order, so the output does
            not depend on it.

    Returns:
        uint32 array of shape ``(len(texts), num_perm)``.

    Raises:
        InputError: if a text is not a ``str`` or a parameter is out of range.

    Examples:
        >>> import xxhash
        >>> from datasketch import MinHash
        >>> from newsclean.shingle import shingles
        >>> sig = minhash_signatures(["The quick brown fox jumps over the dog"], num_perm=16)
        >>> m = MinHash(num_perm=16, seed=1, hashfunc=xxhash.xxh32_intdigest)
        >>> for s in shingles("The quick brown fox jumps over the dog"):
        ...     m.update(s.encode("utf-8"))
        >>> bool((sig[0] == m.hashvalues).all())
        True
    """
    check_texts(texts)
    check_num_perm(num_perm)
    check_seed(seed)
    for name, value in (("batch_size", batch_size), ("jobs", jobs)):
        if not isinstance(value, int) or value < 1:
            msg = f"{name} must be a positive int, got {value!r}"
            raise InputError(msg)
    n = len(texts)
    out = np.empty((n, num_perm), dtype=np.uint32)
    starts = list(range(0, n, batch_size))
    tasks = [(texts[s : s + batch_size], num_perm, ngram, seed) for s in starts]
    if jobs == 1 or len(tasks) <= 1:
        results: Any = map(_signature_job, tasks)
        for s, rows in zip(starts, results, strict=True):
            out[s : s + len(rows)] = rows
        return out
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for s, rows in zip(starts, pool.map(_signature_job, tasks), strict=True):
            out[s : s + len(rows)] = rows
    return out


def to_lean_minhash(row: npt.NDArray[np.uint32], seed: int = 1) -> Any:
    """A ``datasketch.LeanMinHash`` holding signature ``row`` (scheme ``"affine32"``).

    Examples:
        >>> sig = minhash_signatures(["a b c d e f", "a b c d e g"], num_perm=32)
        >>> lean = to_lean_minhash(sig[0])
        >>> lean.jaccard(to_lean_minhash(sig[1])) == float((sig[0] == sig[1]).mean())
        True
    """
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=np.asarray(row, dtype=np.uint32), scheme="affine32")
