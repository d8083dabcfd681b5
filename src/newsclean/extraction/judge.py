"""Judge candidate bodies against each other and pick (and trim) the best one.

Measured on the scrapinghub dev set (181 pages) and checked on the dragnet set
(1379 pages), with bag-of-words F1 (see ``benchmarks/extraction_quality.py``):

1. **Base**: trafilatura in precision mode without comments (F1 0.970 / 0.924
   alone, against 0.965 / 0.922 for its balanced mode).
2. **Agreement**: trafilatura's fast mode and readability propose bodies too. Each
   candidate's agreement is the sum of its bag-of-words F1 with the others (the
   medoid idea: a body that the independent methods share is probably the article,
   an outlier is probably a stub, a paywall notice or a comment thread). Precision
   mode is kept unless another candidate agrees more by over :data:`AGREEMENT_MARGIN`
   (+0.6 points F1 on dragnet, +/-0 on scrapinghub; margin swept 0-0.3). When
   precision mode and readability already agree (bag-of-words F1 >=
   :data:`SETTLED_SIMILARITY`, 84% of the dragnet pages) the vote cannot change the
   outcome in practice, and fast mode is not run (same scores on both sets, measured
   at thresholds 0.8-0.95).
3. **Edge trim**: readability scores whole blocks by text and link density, so it
   rarely keeps a trailing "Read more" list or sign-up box; trafilatura keeps them
   when they sit in the article container. Leading and trailing paragraphs of the
   chosen body whose words are mostly absent from readability's body are dropped,
   but only when readability found a comparable body (:func:`trim_edges`) (+0.15
   points on scrapinghub; -0.05 on dragnet, whose gold keeps headline and byline lines).
4. **JSON-LD**: the publisher's ``articleBody`` joins the vote when it has at least
   :data:`MIN_PUBLISHER_WORDS` words (an independent source: it can outvote a layout
   method that grabbed a teaser list), and is the body when no layout method found
   one. It is not preferred outright: it is often truncated (paywalls, "read the
   rest") or lacks paragraph breaks (12 of the 181 scrapinghub pages have one this
   long; scores unchanged with it voting).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .candidates import Candidate

__all__ = [
    "AGREEMENT_MARGIN",
    "MIN_PUBLISHER_WORDS",
    "RESCUE_RATIO",
    "SETTLED_SIMILARITY",
    "Verdict",
    "agreement",
    "candidate_bag",
    "choose",
    "needs_rescue",
    "similarity",
    "trim_edges",
    "word_bag",
    "word_count",
]

#: How much more agreement another candidate needs to replace the preferred one.
AGREEMENT_MARGIN = 0.1
#: A JSON-LD ``articleBody`` votes only when it has at least this many words.
MIN_PUBLISHER_WORDS = 100
#: Precision mode and readability agreeing this much settle the vote without fast mode.
SETTLED_SIMILARITY = 0.9
#: Precision mode is replaced when it has fewer words than this share of readability's.
RESCUE_RATIO = 0.5
#: A paragraph counts as supported by the reference when this share of its words is in it.
SUPPORT_SHARE = 0.5
#: The reference is used for trimming only if it has and shares this share of the base's words.
REFERENCE_COVERAGE = 0.5

_WORD = regex.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judged body: its paragraphs and the name of the method it came from."""

    paragraphs: tuple[str, ...]
    method: str


def word_bag(text: str) -> Counter[str]:
    """Lower-cased word counts of ``text``.

    Examples:
        >>> sorted(word_bag("The cat, the hat.").items())
        [('cat', 1), ('hat', 1), ('the', 2)]
    """
    return Counter(_WORD.findall(text.lower()))


def candidate_bag(candidate: Candidate) -> Counter[str]:
    """:func:`word_bag` of a candidate's text, computed once per candidate (the vote compares
    the same few bodies several times: similarity, agreement, edge trim) and kept on it.
    Never modified by its callers.

    Examples:
        >>> c = Candidate("a", ("The cat,", "the hat."))
        >>> candidate_bag(c) is candidate_bag(c), candidate_bag(c)["the"]
        (True, 2)
    """
    bag = candidate.bag
    if bag is None:
        bag = word_bag(candidate.text)
        object.__setattr__(candidate, "bag", bag)  # a cache on a frozen dataclass
    return bag


def _size(bag: Counter[str]) -> int:
    return sum(bag.values())


def _common(a: Counter[str], b: Counter[str]) -> int:
    """``_size(a & b)``: the words two bags share, counted with multiplicity.

    Examples:
        >>> _common(Counter("aab"), Counter("abbc")) == _size(Counter("aab") & Counter("abbc")) == 2
        True
    """
    if len(a) > len(b):
        a, b = b, a
    return sum(min(count, b[word]) for word, count in a.items() if word in b)


def needs_rescue(base: Candidate, reference: Candidate) -> bool:
    """Whether ``base`` is a stub next to ``reference`` (fewer than :data:`RESCUE_RATIO` of its words).

    Examples:
        >>> stub = Candidate("p", ("Subscribe to read.",))
        >>> full = Candidate("r", ("A long story " * 20,))
        >>> needs_rescue(stub, full), needs_rescue(full, stub)
        (True, False)
    """
    return _size(candidate_bag(base)) < RESCUE_RATIO * _size(candidate_bag(reference))


def trim_edges(paragraphs: Sequence[str], reference: Candidate) -> tuple[str, ...]:
    """Drop leading and trailing paragraphs that the reference body does not support.

    A paragraph is supported when at least :data:`SUPPORT_SHARE` of its words occur in
    the reference. Trimming stops at the first supported paragraph from each end, so
    nothing inside the body is touched, and it is skipped when the reference is not
    a comparable body (it has or shares fewer than :data:`REFERENCE_COVERAGE` of the
    base's words).

    Examples:
        >>> ref = Candidate("r", ("Rain fell on the city all night.", "Roads were closed."))
        >>> trim_edges(["Rain fell on the city all night.", "Roads were closed.", "Sign up now"], ref)
        ('Rain fell on the city all night.', 'Roads were closed.')
    """
    ref_bag = candidate_bag(reference)
    base_bag = word_bag("\n".join(paragraphs))
    size = _size(base_bag)
    if not size or _size(ref_bag) < REFERENCE_COVERAGE * size:
        return tuple(paragraphs)
    if _common(base_bag, ref_bag) < REFERENCE_COVERAGE * size:
        return tuple(paragraphs)

    def supported(paragraph: str) -> bool:
        bag = Counter(_WORD.findall(paragraph.lower()))
        return not bag or _common(bag, ref_bag) >= SUPPORT_SHARE * _size(bag)

    start, end = 0, len(paragraphs)
    while start < end and not supported(paragraphs[start]):
        start += 1
    while end > start and not supported(paragraphs[end - 1]):
        end -= 1
    return tuple(paragraphs[start:end])


def _similarity(a: Counter[str], b: Counter[str]) -> float:
    total = _size(a) + _size(b)
    return 2 * _common(a, b) / total if total else 1.0


def agreement(candidates: Sequence[Candidate]) -> dict[str, float]:
    """Each candidate's summed bag-of-words F1 with the other candidates.

    Examples:
        >>> a = Candidate("a", ("the storm hit the coast",))
        >>> b = Candidate("b", ("the storm hit the coast at night",))
        >>> c = Candidate("c", ("subscribe now",))
        >>> {k: round(v, 2) for k, v in agreement([a, b, c]).items()}
        {'a': 0.83, 'b': 0.83, 'c': 0.0}
    """
    bags = [candidate_bag(c) for c in candidates]
    pair = {(i, j): _similarity(bags[i], bags[j]) for i in range(len(bags)) for j in range(i + 1, len(bags))}
    return {
        cand.name: sum(pair[min(i, j), max(i, j)] for j in range(len(candidates)) if j != i)
        for i, cand in enumerate(candidates)
    }


def choose(candidates: Sequence[Candidate], margin: float = AGREEMENT_MARGIN) -> Candidate:
    """The first candidate, unless another agrees with the rest by more than ``margin``.

    Examples:
        >>> stub = Candidate("precision", ("Subscribe to continue reading",))
        >>> fast = Candidate("fast", ("The storm hit the coast.", "Schools closed."))
        >>> read = Candidate("readability", ("The storm hit the coast.", "Schools closed.", "Photo"))
        >>> choose([stub, fast, read]).name
        'fast'
    """
    scores = agreement(candidates)
    preferred = candidates[0]
    best = max(candidates, key=lambda c: scores[c.name])
    return preferred if scores[preferred.name] >= scores[best.name] - margin else best


def similarity(first: Candidate, second: Candidate) -> float:
    """Bag-of-words F1 between two candidates' texts (1.0 for two empty ones).

    Examples:
        >>> similarity(Candidate("a", ("one two three",)), Candidate("b", ("one two four",)))
        0.6666666666666666
    """
    return _similarity(candidate_bag(first), candidate_bag(second))


def word_count(candidate: Candidate) -> int:
    """Number of words in a candidate.

    Examples:
        >>> word_count(Candidate("a", ("Two words.", "And three more")))
        5
    """
    return _size(candidate_bag(candidate))
