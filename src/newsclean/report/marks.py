"""Marks on a text for display: changed words, shared passages, swapped figures.

The report shows two texts side by side. What differs and what is shared are *spans*
(character offsets) of each text; :func:`segments` cuts a text at every span boundary so
that a template can wrap each piece in the marks that cover it, with no HTML built here.

Changed words come from :func:`changed_words`, a word-level alignment
(:class:`difflib.SequenceMatcher`) of the two texts compared case- and
punctuation-insensitively, so that re-typeset quotes or a capital letter do not light up.
It is a display aid only: whether two texts are copies is decided by
:func:`newsclean.explain_pair`, never here.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import regex

from ..normalize import fold_case

__all__ = ["Segment", "changed_words", "clip_spans", "segments", "word_spans"]

_WORD = regex.compile(r"\S+")
_EDGE_PUNCT = regex.compile(r"^\p{P}+|\p{P}+$")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text and the marks that cover all of it.

    Attributes:
        text: the characters.
        marks: names of the layers covering them, sorted (e.g. ``("changed", "shared")``).
    """

    text: str
    marks: tuple[str, ...] = ()


def word_spans(text: str) -> list[Span]:
    """Character spans of the whitespace-separated words of ``text``.

    Examples:
        >>> word_spans("Hi  there, you")
        [(0, 2), (4, 10), (11, 14)]
    """
    return [m.span() for m in _WORD.finditer(text)]


def _key(word: str) -> str:
    return _EDGE_PUNCT.sub("", fold_case(word)) or word


def changed_words(text_a: str, text_b: str) -> tuple[list[Span], list[Span]]:
    """Spans of the words of each text that the other lacks (replaced, deleted, inserted).

    Adjacent changed words are merged into one span. Words compare case-insensitively and
    without leading or trailing punctuation.

    Examples:
        >>> a, b = "Prices rose 3% on Monday.", "prices fell 4% on Monday"
        >>> sa, sb = changed_words(a, b)
        >>> [a[i:j] for i, j in sa], [b[i:j] for i, j in sb]
        (['rose 3%'], ['fell 4%'])
    """
    spans_a, spans_b = word_spans(text_a), word_spans(text_b)
    keys_a = [_key(text_a[i:j]) for i, j in spans_a]
    keys_b = [_key(text_b[i:j]) for i, j in spans_b]
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    out_a: list[Span] = []
    out_b: list[Span] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if a1 > a0:
            out_a.append((spans_a[a0][0], spans_a[a1 - 1][1]))
        if b1 > b0:
            out_b.append((spans_b[b0][0], spans_b[b1 - 1][1]))
    return out_a, out_b


def clip_spans(spans: Sequence[Span], limit: int) -> list[Span]:
    """The parts of ``spans`` before character ``limit`` (for a text shown truncated).

    Examples:
        >>> clip_spans([(0, 3), (5, 9), (12, 15)], 8)
        [(0, 3), (5, 8)]
    """
    return [(a, min(b, limit)) for a, b in spans if a < limit and b > a]


def segments(text: str, layers: Mapping[str, Sequence[Span]]) -> list[Segment]:
    """Cut ``text`` at every boundary of the spans of ``layers``; each piece names its layers.

    Spans may overlap, within a layer and across layers; spans outside the text are
    clipped to it. The pieces, joined, give back ``text``.

    Args:
        text: the text to cut.
        layers: layer name -> ``(start, end)`` character spans of that layer.

    Returns:
        The :class:`Segment` pieces in order; neighbours never have the same marks.

    Examples:
        >>> for s in segments("one two three", {"changed": [(4, 7)], "shared": [(0, 7)]}):
        ...     print(repr(s.text), s.marks)
        'one ' ('shared',)
        'two' ('changed', 'shared')
        ' three' ()
    """
    n = len(text)
    cuts = {0, n}
    for spans in layers.values():
        for a, b in spans:
            cuts.add(min(max(a, 0), n))
            cuts.add(min(max(b, 0), n))
    bounds = sorted(cuts)
    out: list[Segment] = []
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        if start == end:
            continue
        marks = tuple(sorted(name for name, spans in layers.items()
                             if any(a <= start and end <= b for a, b in spans)))
        if out and out[-1].marks == marks:
            out[-1] = Segment(out[-1].text + text[start:end], marks)
        else:
            out.append(Segment(text[start:end], marks))
    return out
