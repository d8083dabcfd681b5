"""LSH banding over MinHash signatures: parameters, band keys, candidate pairs.

Banding splits a signature of ``bands * rows`` values into ``bands`` bands; two documents
become candidates when all ``rows`` values of at least one band agree, which happens with
probability ``1 - (1 - J**rows)**bands`` for Jaccard similarity ``J``.
:func:`lsh_params` picks ``(bands, rows)`` exactly as datasketch's ``MinHashLSH`` does.

Band keys are 64-bit hashes of a band's values with the band index mixed in, so the keys
of all bands can share one table (one sort) without a key of band 3 ever meeting a key
of band 5 by construction. Candidate pairs come from one ``numpy`` sort of all keys: no
Python dict per key, memory linear in ``n * bands``.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from .errors import InputError

__all__ = [
    "band_column",
    "band_keys",
    "candidate_pairs",
    "lsh_params",
    "signature_pairs",
]

#: Band groups larger than this are linked as a chain plus a star, not all pairs: one
#: key shared by thousands of documents (boilerplate-only pages) would otherwise give
#: millions of pairs. Connectivity is kept; only verification sees fewer pairs.
MAX_GROUP_PAIRS = 64


def lsh_params(
    threshold: float, num_perm: int = 128, weights: tuple[float, float] = (0.5, 0.5)
) -> tuple[int, int]:
    """``(bands, rows)`` minimizing the weighted false positive + negative probability.

    The same search and integrals as datasketch 2.x ``MinHashLSH`` (``_optimal_param``),
    so an index built with our keys answers like datasketch's at the same threshold.

    Args:
        threshold: Jaccard similarity threshold in (0, 1].
        num_perm: signature length.
        weights: ``(false_positive_weight, false_negative_weight)``, summing to 1.

    Returns:
        ``(bands, rows)`` with ``bands * rows <= num_perm``.

    Raises:
        InputError: on a threshold outside (0, 1] or bad weights.

    Examples:
        >>> lsh_params(0.5, 128)
        (25, 5)
        >>> lsh_params(0.8, 128)
        (9, 13)
    """
    check_threshold(threshold, "threshold")
    if len(weights) != 2 or min(weights) < 0 or abs(sum(weights) - 1.0) > 1e-9:
        msg = f"weights must be two non-negative numbers summing to 1, got {weights!r}"
        raise InputError(msg)
    if not isinstance(num_perm, int) or num_perm < 1:
        msg = f"num_perm must be a positive int, got {num_perm!r}"
        raise InputError(msg)
    return _optimal(float(threshold), num_perm, float(weights[0]), float(weights[1]))


#: datasketch's ``_optimal_param`` for the settings newsclean uses by default (its search
#: integrates ~1,400 times: about a second per process); tests/test_signature.py checks
#: them against datasketch.
KNOWN_PARAMS: dict[tuple[float, int, float, float], tuple[int, int]] = {
    (0.2, 128, 0.5, 0.5): (28, 2),
    (0.5, 128, 0.5, 0.5): (25, 5),
    (0.8, 128, 0.5, 0.5): (9, 13),
}


@functools.lru_cache(maxsize=256)
def _optimal(
    threshold: float, num_perm: int, fp_weight: float, fn_weight: float
) -> tuple[int, int]:
    # Memoized: the search integrates ~1,400 times (0.1-1 s); the result never changes.
    known = KNOWN_PARAMS.get((threshold, num_perm, fp_weight, fn_weight))
    if known is not None:
        return known
    from datasketch.lsh import _optimal_param

    bands, rows = _optimal_param(threshold, num_perm, fp_weight, fn_weight)
    return int(bands), int(rows)


def check_threshold(value: float, name: str) -> None:
    """Raise :class:`InputError` unless ``0 < value <= 1``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
        msg = f"{name} must be in (0, 1], got {value!r} (0.8 is a common choice)"
        raise InputError(msg)


def band_keys(signatures: npt.NDArray[np.uint32], bands: int, rows: int) -> npt.NDArray[np.uint64]:
    """One 64-bit key per band of each signature (band index mixed in).

    Args:
        signatures: ``(n, num_perm)`` uint32 MinHash signatures.
        bands: number of bands.
        rows: values per band; ``bands * rows <= num_perm`` (extra values are unused,
            as in datasketch).

    Returns:
        uint64 array of shape ``(n, bands)``.

    Examples:
        >>> sig = np.array([[1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 3, 4]], dtype=np.uint32)
        >>> keys = band_keys(sig, bands=2, rows=2)
        >>> keys.shape, bool(keys[0, 0] == keys[1, 0]), bool(keys[0, 1] == keys[1, 1])
        ((3, 2), True, False)
        >>> bool((keys[0] == keys[2]).all()), bool(keys[0, 0] == keys[0, 1])
        (True, False)
    """
    sig = np.asarray(signatures)
    if sig.ndim != 2:
        msg = f"signatures must be a 2-d array (n, num_perm), got shape {sig.shape}"
        raise InputError(msg)
    if bands < 1 or rows < 1 or bands * rows > sig.shape[1]:
        msg = f"need bands * rows <= num_perm, got {bands} * {rows} > {sig.shape[1]}"
        raise InputError(msg)
    from .duplicates import kernels

    out: npt.NDArray[np.uint64] = kernels.band_keys(
        np.ascontiguousarray(sig, dtype=np.uint32), 0, bands, rows
    )
    return out


def band_column(signatures: npt.NDArray[np.uint32], band: int, rows: int) -> npt.NDArray[np.uint64]:
    """The keys of one band (column ``band`` of :func:`band_keys`), computed alone.

    Examples:
        >>> sig = np.arange(12, dtype=np.uint32).reshape(2, 6)
        >>> bool((band_column(sig, 1, 3) == band_keys(sig, 2, 3)[:, 1]).all())
        True
    """
    from .duplicates import kernels

    sig = np.ascontiguousarray(signatures, dtype=np.uint32)
    out: npt.NDArray[np.uint64] = kernels.band_keys(sig, band, 1, rows)[:, 0]
    return out


def candidate_pairs(
    keys: npt.NDArray[np.uint64], *, max_group: int = MAX_GROUP_PAIRS
) -> npt.NDArray[np.int64]:
    """Unique pairs ``(i, j)``, ``i < j``, of rows sharing at least one band key.

    All pairs of each group of equal keys, for groups of up to ``max_group`` rows; a
    larger group is linked by the pairs (first, member) and (member, next member), which
    keeps its members connected for clustering without a quadratic blow-up. Keys of
    different bands never match. Compiled (:func:`newsclean.duplicates.kernels.band_pairs`):
    each row's partners are gathered over all bands and made unique as they are found,
    so a pair sharing many bands is listed once; the extra memory is 16 bytes per row
    and band (each band's sort order and three tables, all int32) plus the pairs.

    Args:
        keys: ``(n, bands)`` band keys (from :func:`band_keys`), or a 1-d array of keys
            (one per row).
        max_group: group size up to which all pairs are listed.

    Returns:
        int64 array of shape ``(n_pairs, 2)``, sorted, rows ``i < j``.

    Examples:
        >>> keys = np.array([[5, 7], [5, 8], [6, 8], [9, 10]], dtype=np.uint64)
        >>> candidate_pairs(keys).tolist()
        [[0, 1], [1, 2]]
    """
    from .duplicates import kernels

    keys = np.asarray(keys, dtype=np.uint64)
    if keys.ndim == 1:
        keys = keys[:, None]
    if len(keys) >= 1 << 31:
        msg = f"at most 2**31 - 1 rows at a time, got {len(keys)}"
        raise InputError(msg)
    order = np.empty((keys.shape[1], len(keys)), dtype=np.int32)
    for band in range(keys.shape[1]):  # numpy's stable sort of integers is a radix sort
        order[band] = np.argsort(keys[:, band], kind="stable")
    out: npt.NDArray[np.int64] = kernels.band_pairs(np.ascontiguousarray(keys), order, max_group)
    return out


def signature_pairs(
    signatures: npt.NDArray[np.uint32],
    bands: int,
    rows: int,
    *,
    max_group: int = MAX_GROUP_PAIRS,
) -> npt.NDArray[np.int64]:
    """``candidate_pairs(band_keys(signatures, bands, rows))``, checked.

    Examples:
        >>> sig = np.array([[1, 2, 3, 4], [1, 2, 3, 5], [9, 9, 9, 9]], dtype=np.uint32)
        >>> signature_pairs(sig, 2, 2).tolist()
        [[0, 1]]
    """
    sig = np.asarray(signatures)
    if sig.ndim != 2 or bands < 1 or rows < 1 or bands * rows > sig.shape[1]:
        msg = f"need 2-d signatures and bands * rows <= num_perm, got {sig.shape}, {bands} x {rows}"
        raise InputError(msg)
    return candidate_pairs(band_keys(sig, bands, rows), max_group=max_group)
