"""A run's sketches on disk, in the order a step reads them, memory-mapped.

Step 2 (clustering) and step 4 (the index commit) read one sketch per document: with
exact verification about 4 KB (the signature, band keys, each document's distinct
shingles and figure words). Held in memory, that grows with the run (4.4 GB at 1M
records). Instead the chunks' sketches are copied, a chunk at a time and in the order
the step reads them, into ``.npy`` files under the work directory's ``sketch/`` folder,
and mapped: the operating system keeps the pages being read in its page cache (memory
it can reclaim), and a step copies into the process only what it needs as a whole (the
band keys for the candidate pairs, the offsets). The clustering itself is unchanged:
the mapped :class:`~newsclean.duplicates.Sketch` holds the same numbers as the loaded one.

Files are named ``<tag>.<array>.npy``; :func:`remove_mapped` removes only those.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from numpy.lib.format import open_memmap

from ..duplicates.config import DedupConfig
from ..duplicates.sketch import _ARRAYS, Sketch
from ..lsh import lsh_params
from .workdir import chunk_path, row_ids

__all__ = ["MAPPED_FOLDER", "chunk_sketches", "chunk_sizes", "map_rows", "remove_mapped"]

#: The folder of the mapped sketches inside a work directory.
MAPPED_FOLDER = "sketch"
#: Rows copied at a time (their temporaries are this many rows of a sketch).
_BLOCK = 8192
_SEGMENTS = (("shingles", "shingle_offsets"), ("words", "word_offsets"))


def chunk_sizes(folder: Path, numbers: Sequence[int]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Shingles and figure words per row of the chunks, in order (only their offsets are read)."""
    shingles: list[npt.NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
    words: list[npt.NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
    for number in numbers:
        with np.load(chunk_path(folder, number, ".npz")) as data:
            shingles.append(np.diff(data["shingle_offsets"]).astype(np.int64))
            words.append(np.diff(data["word_offsets"]).astype(np.int64))
    return np.concatenate(shingles), np.concatenate(words)


def chunk_sketches(folder: Path, numbers: Sequence[int]) -> Iterator[Sketch]:
    """The sketch of each chunk in turn (one chunk in memory at a time)."""
    for number in numbers:
        ids = tuple(row_ids(folder, [number]))
        with np.load(chunk_path(folder, number, ".npz")) as data:
            yield Sketch(ids=ids, **{name: data[name] for name in _ARRAYS})


def _offsets(sizes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    out = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=out[1:])
    return out


def _file(folder: Path, tag: str, name: str) -> Path:
    return folder / f"{tag}.{name}.npy"


def _mapped_array(path: Path, dtype: type, shape: tuple[int, ...]) -> npt.NDArray[np.generic]:
    """A new ``.npy`` file mapped for writing, its blocks allocated on disk first.

    ``open_memmap`` makes a sparse file: on a full disk the first write to a page would
    kill the process with SIGBUS. Allocated up front, a full disk is an ``OSError``
    (ENOSPC: the command's exit 7, "disk full", and a re-run resumes).
    """
    if 0 in shape:  # an empty file cannot be mapped
        return np.zeros(shape, dtype=dtype)
    array: npt.NDArray[np.generic] = open_memmap(path, mode="w+", dtype=dtype, shape=shape)
    allocate = getattr(os, "posix_fallocate", None)  # not on macOS or Windows
    if allocate is not None:
        with open(path, "r+b") as handle:
            allocate(handle.fileno(), 0, os.fstat(handle.fileno()).st_size)
    return array


def map_rows(
    parts: Iterable[Sketch],
    rows: npt.NDArray[np.int64],
    sizes: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    ids: Sequence[str],
    folder: Path,
    tag: str,
    config: DedupConfig,
) -> Sketch:
    """Rows ``rows`` of the concatenation of ``parts``, as a sketch mapped from files.

    Row ``i`` of the result is source row ``rows[i]``, as :meth:`Sketch.take` of the
    concatenation would give it; only one block of a part is in memory at a time.

    Args:
        parts: the source sketches, in order (e.g. :func:`chunk_sketches`).
        rows: source rows, each at most once.
        sizes: shingles and figure words of every source row (:func:`chunk_sizes`).
        ids: the ids of every source row.
        folder: where the files go (created if needed).
        tag: the files' name prefix (one mapped sketch per tag).
        config: the dedup options (the column widths).

    Returns:
        A :class:`~newsclean.duplicates.Sketch` whose columns are mapped ``.npy`` files.
    """
    rows = np.asarray(rows, dtype=np.int64)
    folder.mkdir(parents=True, exist_ok=True)
    bands, _ = lsh_params(config.candidate_threshold, config.num_perm)
    n = len(rows)
    at = np.full(len(sizes[0]), -1, dtype=np.int64)
    at[rows] = np.arange(n, dtype=np.int64)
    offsets = {"shingle_offsets": _offsets(sizes[0][rows]), "word_offsets": _offsets(sizes[1][rows])}
    shapes: dict[str, tuple[type, tuple[int, ...]]] = {
        "signatures": (np.uint32, (n, config.num_perm)),
        "band_keys": (np.uint64, (n, bands)),
        "whole_keys": (np.uint64, (n,)),
        "shingles": (np.uint32, (int(offsets["shingle_offsets"][-1]),)),
        "words": (np.uint32, (int(offsets["word_offsets"][-1]),)),
    }
    out = {name: _mapped_array(_file(folder, tag, name), dtype, shape) for name, (dtype, shape) in shapes.items()}
    start = 0
    for part in parts:
        for lo in range(0, len(part), _BLOCK):
            hi = min(lo + _BLOCK, len(part))
            dest = at[start + lo : start + hi]
            wanted = np.flatnonzero(dest >= 0)
            if not len(wanted):
                continue
            block = part.take(lo + wanted)
            dest = dest[wanted]
            for name in ("signatures", "band_keys", "whole_keys"):
                out[name][dest] = getattr(block, name)
            for values, offset_name in _SEGMENTS:
                _scatter(getattr(block, values), getattr(block, offset_name), out[values], offsets[offset_name], dest)
        start += len(part)
    if start != len(sizes[0]):
        msg = f"the parts hold {start} rows, the sizes {len(sizes[0])}"
        raise ValueError(msg)
    for array in out.values():
        if isinstance(array, np.memmap):
            array.flush()
    return Sketch(ids=tuple(ids[int(r)] for r in rows), **out, **offsets)  # type: ignore[arg-type]


def _scatter(
    values: npt.NDArray[np.uint32],
    offsets: npt.NDArray[np.int64],
    out: npt.NDArray[np.generic],
    out_offsets: npt.NDArray[np.int64],
    dest: npt.NDArray[np.int64],
) -> None:
    """Write each row's segment of ``values`` at its ``dest`` row's place in ``out``."""
    lengths = np.diff(offsets)
    if not int(lengths.sum()):
        return
    owner = np.repeat(np.arange(len(dest)), lengths)
    within = np.arange(len(values)) - offsets[:-1][owner]
    out[out_offsets[dest][owner] + within] = values


def remove_mapped(folder: Path) -> None:
    """Remove the mapped sketch files in ``folder`` (only those), then the folder if empty."""
    if not folder.is_dir():
        return
    names = {f".{name}.npy" for name in (*_ARRAYS, "shingle_offsets", "word_offsets")}
    for entry in os.listdir(folder):
        if any(entry.endswith(suffix) for suffix in names):
            (folder / entry).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()
