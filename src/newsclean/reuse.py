"""Passage reuse: which paragraph of which document reappears in which other document.

Documents that are not near-duplicates as wholes still share passages: a site pastes
five paragraphs of an agency report under its own introduction, a roundup quotes a
statement verbatim. :func:`find_reuse` finds them at paragraph level:

1. each document is cut into paragraphs (:func:`paragraphs`): blocks separated by blank
   lines, and the lines of a block when its lines are whole paragraphs rather than a
   hard-wrapped text;
2. every paragraph of at least ``min_words`` words is shingled (word n-grams of the
   comparison form, as for :func:`newsclean.dedup`);
3. an inverted index over shingle hashes, built with one numpy sort, counts the distinct
   shingles that each pair of paragraphs of different documents shares (exactly, no
   sampling); shingles found in more than ``max_df`` paragraphs (boilerplate) are skipped;
4. a pair is reported when at least ``min_shared`` shingles are shared and the smaller
   paragraph is ``containment``-contained in the larger (a paragraph pasted inside a
   longer one counts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .cluster import _check_ids
from .errors import InputError, config_of
from .lsh import check_threshold
from .normalize import split_paragraphs
from .shingle import check_texts, shingle_hashes

__all__ = [
    "ReuseConfig",
    "ReuseMatch",
    "ReuseResult",
    "find_reuse",
    "paragraph_spans",
    "paragraphs",
]

_TERMINAL = (".", "!", "?", ":", '"', "'", "\u201d", "\u2019", ")", ";")


@dataclass(frozen=True, slots=True)
class ReuseConfig:
    """Options of :func:`find_reuse`.

    Attributes:
        containment: fraction of the smaller paragraph's shingles that must appear in the
            other paragraph (1.0 = verbatim, 0.5 tolerates heavy editing).
        min_shared: at least this many shared shingles (5-grams: about ``min_shared + 4``
            words in common), so short stock phrases do not count.
        min_words: paragraphs with fewer words (headings, bylines, menus) are ignored.
        max_df: shingles in more paragraphs than this are boilerplate and ignored.
        ngram: words per shingle.
    """

    containment: float = 0.6
    min_shared: int = 8
    min_words: int = 8
    max_df: int = 100
    ngram: int = 5

    def __post_init__(self) -> None:
        check_threshold(self.containment, "containment")
        for name in ("min_shared", "min_words", "max_df", "ngram"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                msg = f"{name} must be a positive int, got {value!r}"
                raise InputError(msg)


@dataclass(frozen=True, slots=True)
class ReuseMatch:
    """One paragraph found (nearly) again in another document.

    Attributes:
        doc_a: id of the first document (the smaller id of the two; with ``ids=None``
            the earlier position).
        paragraph_a: index of the paragraph in ``doc_a`` (see :attr:`ReuseResult.paragraphs`).
        doc_b: id of the other document.
        paragraph_b: index of the paragraph in ``doc_b``.
        jaccard: Jaccard similarity of the two paragraphs' shingle sets.
        containment: fraction of the smaller paragraph's shingles found in the other.
        shared: number of shared distinct shingles.
        text_a: the paragraph of ``doc_a`` (as in :attr:`ReuseResult.paragraphs`).
        text_b: the paragraph of ``doc_b``.
        span_a: ``(start, end)`` character offsets of the paragraph in the text of
            ``doc_a`` as given to :func:`find_reuse`: ``text[start:end]`` runs from its
            first to its last character (a wrapped paragraph keeps its line breaks and
            indentation there; :attr:`text_a` has them stripped).
        span_b: the same in the text of ``doc_b``.
    """

    doc_a: str
    paragraph_a: int
    doc_b: str
    paragraph_b: int
    jaccard: float
    containment: float
    shared: int
    text_a: str = ""
    text_b: str = ""
    span_a: tuple[int, int] = (0, 0)
    span_b: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class ReuseResult:
    """Paragraph matches between documents.

    Attributes:
        ids: the document ids, in input order.
        paragraphs: the paragraphs of each document, in input order (indices of
            :class:`ReuseMatch` refer to these).
        matches: sorted by ``(doc_a, paragraph_a, doc_b, paragraph_b)``.
    """

    ids: tuple[str, ...]
    paragraphs: tuple[tuple[str, ...], ...]
    matches: tuple[ReuseMatch, ...]

    def between(self, doc_a: str, doc_b: str) -> tuple[ReuseMatch, ...]:
        """The matches between two documents (in either order)."""
        a, b = sorted((doc_a, doc_b))
        return tuple(m for m in self.matches if m.doc_a == a and m.doc_b == b)


def paragraphs(text: str) -> list[str]:
    r"""Paragraphs of ``text``: blank-line blocks, split further where lines are paragraphs.

    A block whose lines mostly end a sentence (or are long) has one paragraph per line
    (many pages and dumps put one paragraph per line); a hard-wrapped block whose
    paragraphs start with an indented line (wire copy) is cut before those lines; any
    other hard-wrapped block, whose lines break mid-sentence, stays whole.

    Examples:
        >>> paragraphs("Title\n\nFirst para ends.\nSecond para ends.")
        ['Title', 'First para ends.', 'Second para ends.']
        >>> paragraphs("a hard wrapped\nsentence goes on\nand ends.")
        ['a hard wrapped\nsentence goes on\nand ends.']
        >>> paragraphs("One wrapped\nparagraph.\n    Another one\nwrapped too.")
        ['One wrapped\nparagraph.', 'Another one\nwrapped too.']
    """
    out: list[str] = []
    for block in split_paragraphs(text):
        raw_lines = [line for line in block.split("\n") if line.strip()]
        lines = [line.strip() for line in raw_lines]
        if len(lines) > 1:
            ends = sum(line.endswith(_TERMINAL) for line in lines)
            long = sum(len(line) > 160 for line in lines)
            if ends + long >= 0.6 * len(lines):
                out.extend(lines)
                continue
            indented = [i for i, line in enumerate(raw_lines) if i and line[:1] in " \t"]
            if indented:
                cuts = [0, *indented, len(lines)]
                out.extend("\n".join(lines[a:b]) for a, b in zip(cuts[:-1], cuts[1:], strict=True))
                continue
        out.append(block)
    return out


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    r"""Where each of :func:`paragraphs` lies in ``text``: ``(start, end)`` character offsets.

    ``text[start:end]`` begins with the paragraph's first character and ends with its last;
    in between it is the paragraph with its original line breaks and indentation (a
    paragraph's lines are stripped, and ``\r\n`` read as ``\n``, by :func:`paragraphs`).

    Examples:
        >>> text = "Title\r\n\r\n  First para ends.\n Second para ends."
        >>> [text[a:b] for a, b in paragraph_spans(text)]
        ['Title', 'First para ends.', 'Second para ends.']
        >>> paragraph_spans("One wrapped\nsentence\nends.\n\n  Next.")
        [(0, 26), (30, 35)]
    """
    return spans_of(text, paragraphs(text))


def spans_of(text: str, paras: Sequence[str]) -> list[tuple[int, int]]:
    """:func:`paragraph_spans` of ``text`` whose :func:`paragraphs` are ``paras``."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for para in paras:
        start = end = -1
        for line in para.split("\n"):
            at = text.find(line, cursor)
            if at < 0:  # impossible: every line is a stripped slice of a line of text
                msg = f"paragraph line {line[:40]!r} not found in the text"
                raise AssertionError(msg)
            if start < 0:
                start = at
            end = cursor = at + len(line)
        spans.append((start, end))
    return spans


def _unit_pairs(
    unit_doc: npt.NDArray[np.int64], key: npt.NDArray[np.uint64], max_df: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Pairs of units of different documents sharing shingles, with the shared count.

    ``key`` holds the sorted distinct ``hash << 32 | unit`` entries.
    """
    h = key >> np.uint64(32)
    unit = (key & np.uint64(0xFFFFFFFF)).astype(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    sizes = np.diff(np.append(starts, len(h)))
    ok = (sizes >= 2) & (sizes <= max_df)
    group_end = np.repeat(starts + sizes, sizes)
    active = np.flatnonzero(np.repeat(ok, sizes))
    firsts: list[npt.NDArray[np.int64]] = []
    seconds: list[npt.NDArray[np.int64]] = []
    d = 1
    while len(active):
        active = active[active + d < group_end[active]]
        u, v = unit[active], unit[active + d]
        cross = unit_doc[u] != unit_doc[v]
        firsts.append(u[cross])
        seconds.append(v[cross])
        d += 1
    if not firsts:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros((0, 2), dtype=np.int64), empty
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    n_units = len(unit_doc)
    codes, counts = np.unique(lo * np.int64(n_units) + hi, return_counts=True)
    return np.stack((codes // n_units, codes % n_units), axis=1), counts.astype(np.int64)


def unit_keys(
    units: Sequence[str], first_unit: int, config: ReuseConfig
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """The distinct shingles of paragraphs numbered from ``first_unit``, and their counts.

    Returns:
        ``(keys, sizes)``: sorted distinct ``hash << 32 | unit`` of every paragraph of at
        least ``min_words`` words (a shorter one has none), and each paragraph's number of
        distinct shingles. A corpus may be keyed in batches: shingles never cross
        paragraphs, so the batches' keys together are the whole corpus's.
    """
    batch = shingle_hashes(units, config.ngram, checked=True)
    keep = batch.token_counts >= config.min_words
    per_unit = np.diff(batch.offsets)
    local = np.repeat(np.arange(len(units), dtype=np.int64), per_unit)
    mask = keep[local]
    numbers = (local[mask] + np.int64(first_unit)).astype(np.uint64)
    key = np.unique((batch.hashes[mask].astype(np.uint64) << np.uint64(32)) | numbers)
    sizes = np.bincount(
        (key & np.uint64(0xFFFFFFFF)).astype(np.int64) - first_unit, minlength=len(units)
    ).astype(np.int64)
    return key, sizes


def shared_counts(
    unit_doc: npt.NDArray[np.int64], key: npt.NDArray[np.uint64], max_df: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Pairs of paragraphs of different documents sharing shingles of ``key``, and how many.

    ``key``: sorted distinct ``hash << 32 | unit`` entries holding *every* entry of each
    of their hashes (a shingle in more than ``max_df`` paragraphs is boilerplate and
    skipped). Counts of disjoint sets of hashes add up: a corpus split by hash gives the
    whole corpus's counts once its parts' are summed per pair.

    Returns:
        ``(pairs, shared)``: ``(n, 2)`` unit numbers, lower first, in ascending order.
    """
    return _unit_pairs(unit_doc, key, max_df)


def accepted(
    pairs: npt.NDArray[np.int64], shared: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64],
    config: ReuseConfig,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The pairs that are reuse: at least ``min_shared`` shingles shared and the smaller
    paragraph ``containment``-contained in the other.

    Returns:
        ``(pairs, shared, jaccard, containment)`` of the accepted pairs.
    """
    size_a, size_b = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    containment = shared / np.minimum(size_a, size_b)
    jaccard = shared / (size_a + size_b - shared)
    ok = (shared >= config.min_shared) & (containment >= config.containment)
    return pairs[ok], shared[ok], jaccard[ok], containment[ok]


def new_match(
    doc_a: str, paragraph_a: int, doc_b: str, paragraph_b: int, jaccard: float, containment: float,
    shared: int, text_a: str, text_b: str, span_a: tuple[int, int], span_b: tuple[int, int],
) -> ReuseMatch:
    """A :class:`ReuseMatch`, its measures rounded as every driver writes them."""
    return ReuseMatch(
        doc_a=doc_a,
        paragraph_a=paragraph_a,
        doc_b=doc_b,
        paragraph_b=paragraph_b,
        jaccard=round(float(jaccard), 6),
        containment=round(float(min(containment, 1.0)), 6),
        shared=int(shared),
        text_a=text_a,
        text_b=text_b,
        span_a=span_a,
        span_b=span_b,
    )


def match_order(match: ReuseMatch) -> tuple[str, int, str, int]:
    """The order of :attr:`ReuseResult.matches`."""
    return (match.doc_a, match.paragraph_a, match.doc_b, match.paragraph_b)


def find_reuse(
    texts: Sequence[str],
    ids: Sequence[str] | None = None,
    *,
    config: ReuseConfig | None = None,
) -> ReuseResult:
    """Paragraphs that reappear, exactly or nearly, in another document.

    Works whether or not the documents are near-duplicates as wholes. The texts are
    held in memory; ``newsclean reuse`` (:func:`newsclean.etl.passages.run_reuse`) gives
    the same matches for files of any size in bounded memory.

    Args:
        texts: the documents.
        ids: one unique id per text; ``None`` uses ``"0"``, ``"1"``, ...
        config: options (:class:`ReuseConfig`).

    Returns:
        A :class:`ReuseResult`.

    Raises:
        InputError: on a non-str text or id, or duplicate ids.

    Examples:
        >>> shared = "The minister said on Monday that the new budget would cut taxes for small firms."
        >>> a = "Markets opened higher today after a quiet week.\\n\\n" + shared
        >>> b = "Football results from the weekend were mixed.\\n\\n" + shared + "\\n\\nMore later."
        >>> m = find_reuse([a, b], ids=["a", "b"]).matches
        >>> [(x.doc_a, x.paragraph_a, x.doc_b, x.paragraph_b, x.containment) for x in m]
        [('a', 1, 'b', 1, 1.0)]
    """
    config = config_of(config, ReuseConfig, "find_reuse()")
    check_texts(texts)
    id_list = _check_ids(ids, len(texts))
    paras = [paragraphs(t) for t in texts]
    spans: list[list[tuple[int, int]] | None] = [None] * len(texts)  # only for documents in a match
    units: list[str] = []
    unit_doc_list: list[int] = []
    unit_para: list[int] = []
    for d, ps in enumerate(paras):
        for p, para in enumerate(ps):
            units.append(para)
            unit_doc_list.append(d)
            unit_para.append(p)
    key, sizes = unit_keys(units, 0, config)
    unit_doc = np.asarray(unit_doc_list, dtype=np.int64)
    pairs, shared = shared_counts(unit_doc, key, config.max_df)
    # Documents ranked by id (by position when ids=None): doc_a is the lower-ranked one.
    rank = np.empty(len(texts), dtype=np.int64)
    rank[sorted(range(len(texts)), key=lambda i: id_list[i] if ids is not None else i)] = np.arange(
        len(texts)
    )
    matches: list[ReuseMatch] = []
    if len(pairs):
        for (u, v), sh, jac, con in zip(*accepted(pairs, shared, sizes, config), strict=True):
            first, second = (int(u), int(v))
            if rank[unit_doc[first]] > rank[unit_doc[second]]:
                first, second = second, first
            doc_first, doc_second = int(unit_doc[first]), int(unit_doc[second])
            for doc in (doc_first, doc_second):
                if spans[doc] is None:
                    spans[doc] = paragraph_spans(texts[doc])
            matches.append(
                new_match(
                    id_list[doc_first], unit_para[first], id_list[doc_second], unit_para[second],
                    jac, con, sh, units[first], units[second],
                    spans[doc_first][unit_para[first]],  # type: ignore[index]
                    spans[doc_second][unit_para[second]],  # type: ignore[index]
                )
            )
    matches.sort(key=match_order)
    return ReuseResult(
        ids=tuple(id_list),
        paragraphs=tuple(tuple(ps) for ps in paras),
        matches=tuple(matches),
    )
