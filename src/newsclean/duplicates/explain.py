"""Why two texts are (or are not) duplicates: :func:`explain_pair`.

The decision is the one :func:`newsclean.dedup` makes for the pair alone: both texts
are sketched and verified by :func:`newsclean.duplicates.verification.verify`, the function
every engine uses. The evidence adds what a reader needs to check it: the figures
swapped in place and the passages the texts share, as character spans of the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import config_of
from ..shingle import check_texts
from .config import DedupConfig
from .figures import align, check_figures
from .sketch import sketch_texts
from .verification import Rule, verify
from .words import word_spans

__all__ = ["FigureSwap", "PairEvidence", "SharedPassage", "explain_pair"]


@dataclass(frozen=True, slots=True)
class FigureSwap:
    """One aligned stretch where the figures differ.

    Attributes:
        a: the stretch as written in ``text_a``, e.g. ``"1.5 billion dlrs"``.
        b: the aligned stretch in ``text_b``, e.g. ``"two billion dlrs"``.
        a_span: character span ``(start, end)`` in ``text_a``.
        b_span: character span in ``text_b``.
    """

    a: str
    b: str
    a_span: tuple[int, int]
    b_span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class SharedPassage:
    """A stretch of words the two texts share (at least ``ngram`` words).

    Attributes:
        a_span: character span in ``text_a``.
        b_span: character span in ``text_b``.
        text: the passage as written in ``text_a``.
    """

    a_span: tuple[int, int]
    b_span: tuple[int, int]
    text: str


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """The decision on a pair and what it rests on.

    Attributes:
        jaccard: Jaccard similarity of the shingle sets (exact, or the MinHash estimate
            with ``verify="estimate"``).
        containment: share of the smaller text's shingles found in the larger.
        duplicate: the decision :func:`newsclean.dedup` makes for this pair alone.
        rule: ``"jaccard"`` or ``"containment"`` (accepted by), ``"figures"`` (kept
            apart by the figures rule), ``"below_threshold"``, ``"empty"``.
        figure_swaps: the stretches where figures were swapped in place.
        shared_passages: the stretches of words the texts share, in order.
        swapped_figures: figure words inside the swaps (the side with more).
        shared_words: words in the shared stretches (all lengths).
    """

    jaccard: float
    containment: float
    duplicate: bool
    rule: Rule
    figure_swaps: tuple[FigureSwap, ...]
    shared_passages: tuple[SharedPassage, ...]
    swapped_figures: int = 0
    shared_words: int = 0


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [(start, end) for _, start, end in word_spans(text)]


def _span(spans: list[tuple[int, int]], lo: int, hi: int) -> tuple[int, int]:
    if hi <= lo or not spans:
        return (0, 0)
    return (spans[lo][0], spans[hi - 1][1])


def explain_pair(text_a: str, text_b: str, config: DedupConfig | None = None) -> PairEvidence:
    """Whether two texts are duplicates under ``config``, with the evidence.

    Args:
        text_a: the first text.
        text_b: the second text.
        config: dedup options (:class:`newsclean.DedupConfig`; default: the library's).

    Returns:
        A :class:`PairEvidence`.

    Raises:
        InputError: a text is not a ``str``, or an option is out of range.

    Examples:
        >>> notice = ("The Federal Reserve entered the government securities market to "
        ...           "arrange {} billion dlrs of customer repurchase agreements, a spokesman "
        ...           "said. Federal funds were trading at {} pct when the Fed began.")
        >>> ev = explain_pair(notice.format("1.5", "6-3/16"), notice.format("two", "6-1/4"))
        >>> ev.duplicate, ev.rule
        (False, 'figures')
        >>> [(s.a, s.b) for s in ev.figure_swaps]
        [('1.5', 'two'), ('6-3/16', '6-1/4')]
        >>> copy = explain_pair(notice.format("two", "6"), "NEW YORK - " + notice.format("two", "6"))
        >>> copy.duplicate, copy.rule, copy.figure_swaps
        (True, 'jaccard', ())
        >>> copy.shared_passages[0].text[:25]
        'The Federal Reserve enter'
    """
    config = config_of(config, DedupConfig, "explain_pair()")
    check_texts([text_a, text_b])
    sketch = sketch_texts([text_a, text_b], ["a", "b"], config)
    verdicts = verify(sketch, np.array([[0, 1]]), config)
    words_a, words_b = sketch.words_of(0), sketch.words_of(1)
    check = verdicts.figures.get(0)
    if check is None and config.numbers == "distinct":
        check = check_figures(words_a, words_b)  # the same rule, for the record
    spans_a, spans_b = _word_spans(text_a), _word_spans(text_b)
    swaps = tuple(
        FigureSwap(
            a=text_a[slice(*_span(spans_a, i1, i2))],
            b=text_b[slice(*_span(spans_b, j1, j2))],
            a_span=_span(spans_a, i1, i2),
            b_span=_span(spans_b, j1, j2),
        )
        for i1, i2, j1, j2 in (check.swaps if check is not None else ())
    )
    ops = align(words_a.tolist(), words_b.tolist()) if len(words_a) and len(words_b) else []
    equal = [op for op in ops if op[0] == "equal"]
    shared = tuple(
        SharedPassage(
            a_span=_span(spans_a, i1, i2),
            b_span=_span(spans_b, j1, j2),
            text=text_a[slice(*_span(spans_a, i1, i2))],
        )
        for _, i1, i2, j1, j2 in equal
        if i2 - i1 >= min(config.ngram, len(words_a), len(words_b))
    )
    return PairEvidence(
        jaccard=float(verdicts.jaccard[0]),
        containment=float(verdicts.containment[0]),
        duplicate=bool(verdicts.duplicate[0]),
        rule=verdicts.rule_of(0),
        figure_swaps=swaps,
        shared_passages=shared,
        swapped_figures=check.swapped if check is not None else 0,
        shared_words=sum(op[2] - op[1] for op in equal),
    )
