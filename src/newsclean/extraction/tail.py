"""Trim what follows the article: comment sections, teaser lists, link blocks at the end.

The vote (:mod:`~newsclean.extraction.judge`) picks a whole body; when trafilatura's
candidate wins it often keeps what sits after the story inside the same container:
readers' comments, "Related stories" / "More from" teaser lists, headline sidebars. Two
generic signals find them, read from the page's text blocks
(:mod:`~newsclean.extraction.blocks`, the same walk that gives the page type):

- **a teaser or comment heading** in the last part of the body: a short line such as
  "Comments", "12 comments", "Related articles", "More from ...", "Read next",
  "Most read", in several languages (patterns are data: ``data/extract_tail.json``).
  The heading and everything after it are dropped.
- **a trailing run of link text** (or, with ``comments``, of blocks in comment
  containers): paragraphs whose block has link density >= ``link_density``, from the
  end up to the first paragraph that is not.

Nothing is trimmed from the first ``min_position`` share of the body's words, so a
short article with a "Related" list is cut only after its text.

It is opt-in (``ExtractConfig(trim_tail=True)``): chosen leave-one-dataset-out over a
grid of these signals (``benchmarks/extract_tail_tune.py``), it changed the held-out F1
by +0.0000 (scrapinghub), -0.0001 (dragnet) and -0.0008 (wcxb_dev): the vote's edge
trim against readability already removes most tails on these sets. The shipped rules
(:data:`~newsclean.extraction.TAIL_RULES`) are the setting chosen most often there.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

from .blocks import BLOCK_FEATURES, PageBlocks

__all__ = ["TailRules", "TailTrim", "load_headings", "tail_heading", "trim_tail"]

_WORD = regex.compile(r"\w+")
_SPACES = regex.compile(r"\s+")
_LINK_DENSITY = BLOCK_FEATURES.index("link_density")
_COMMENT = BLOCK_FEATURES.index("cls_comment")
_CONTENT = BLOCK_FEATURES.index("cls_content")
_SECTION_LINK_DENSITY = 0.5  # a paragraph after a tail heading that is mostly link text stays in its section
_SENTENCE_END = frozenset(".!?。！？\"'”»)…:")


@dataclass(frozen=True, slots=True)
class TailRules:
    """Which tail signals are used and their thresholds.

    Attributes:
        headings: cut at a teaser / comment heading (see :func:`tail_heading`).
        link_density: drop trailing paragraphs whose block has at least this link
            density (``> 1`` turns the signal off).
        comments: drop trailing paragraphs inside comment containers (class / id
            tokens such as ``comment``, ``reply``, ``discussion``, nearer than any
            content token), and keep them in a section opened by a tail heading.
        min_position: never cut before this share of the body's words.
        max_heading_words: a heading has at most this many words.
        max_title_words: after a tail heading, a line of at most this many words that
            does not end a sentence is a teaser headline.
    """

    headings: bool = True
    link_density: float = 0.7
    comments: bool = False
    min_position: float = 0.6
    max_heading_words: int = 8
    max_title_words: int = 15


@dataclass(frozen=True, slots=True)
class TailTrim:
    """The trimmed body and what was cut.

    Attributes:
        paragraphs: the kept paragraphs, in order.
        dropped: ``(paragraph, reason)`` for each cut paragraph (``"heading"``: at or
            after a teaser/comment heading; ``"links"``: trailing link text).
    """

    paragraphs: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def load_headings() -> regex.Pattern[str]:
    """The compiled heading pattern of ``data/extract_tail.json`` (once per process)."""
    raw = resources.files("newsclean").joinpath("data/extract_tail.json").read_text("utf-8")
    data = json.loads(raw)
    alternatives = [expr for exprs in data["headings"].values() for expr in exprs]
    return regex.compile(r"^(?:\d+\s+)?(?:" + "|".join(alternatives) + r")(?:\W|$)", regex.IGNORECASE)


def tail_heading(paragraph: str, max_words: int = 8) -> bool:
    """Whether ``paragraph`` is a short heading that opens a comment or teaser section.

    Examples:
        >>> tail_heading("3 Comments"), tail_heading("Related stories"), tail_heading("Lesen Sie auch")
        (True, True, True)
        >>> tail_heading("More from the Guardian"), tail_heading("Комментарии (12)")
        (True, True)
        >>> tail_heading("Comments from the minister angered the opposition on Tuesday")
        False
        >>> tail_heading("Related research shows the drug works")
        False
    """
    text = _SPACES.sub(" ", paragraph).strip()
    if not text or len(_WORD.findall(text)) > max_words:
        return False
    return bool(load_headings().match(text))


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _align(paragraphs: Sequence[str], blocks: PageBlocks) -> list[int]:
    """For each paragraph, the index of the block with the same words (in page order), or -1."""
    where: dict[str, list[int]] = {}
    for index, text in enumerate(blocks.texts):
        where.setdefault(_key(text), []).append(index)
    found: list[int] = []
    last = -1
    for paragraph in paragraphs:
        indices = where.get(_key(paragraph), [])
        after = next((i for i in indices if i > last), indices[0] if indices else -1)
        found.append(after)
        if after >= 0:
            last = after
    return found


def _teaser_like(paragraph: str, index: int, blocks: PageBlocks, rules: TailRules) -> bool:
    """Whether a paragraph after a tail heading still belongs to its section: link text,
    a comment block, or a short line that does not end a sentence (a headline)."""
    if index >= 0:
        row = blocks.features[index]
        if row[_LINK_DENSITY] >= _SECTION_LINK_DENSITY or (rules.comments and row[_COMMENT] > 0):
            return True
    text = paragraph.rstrip()
    return len(_WORD.findall(text)) <= rules.max_title_words and text[-1:] not in _SENTENCE_END


def _tail_like(index: int, blocks: PageBlocks, rules: TailRules) -> str | None:
    """Why a trailing paragraph's block is not article text (``None``: it may be)."""
    if index < 0:
        return None
    row = blocks.features[index]
    if row[_LINK_DENSITY] >= rules.link_density:
        return "links"
    if rules.comments and row[_COMMENT] > 0 and row[_CONTENT] <= row[_COMMENT]:
        return "comments"
    return None


def trim_tail(paragraphs: Sequence[str], blocks: PageBlocks, rules: TailRules | None = None) -> TailTrim:
    """Drop teaser / comment sections after their heading and a trailing run of link text.

    Args:
        paragraphs: the chosen body, in page order.
        blocks: the page's text blocks (for link density and class tokens).
        rules: which signals and thresholds; ``None`` means ``TailRules()``.

    Returns:
        A :class:`TailTrim`: the kept paragraphs (in order) and the cut ones.

    Examples:
        >>> from selectolax.lexbor import LexborHTMLParser
        >>> from newsclean.extraction.blocks import page_blocks
        >>> story = ["The council met on Monday and voted to close the old bridge to traffic."] * 3
        >>> body = [*story, "Related stories", "Bridge closed", "Council votes"]
        >>> html = "".join(f"<p>{p}</p>" for p in story) + "<h3>Related stories</h3>"
        >>> html += "<ul><li><a href=/a>Bridge closed</a></li><li><a href=/b>Council votes</a></li></ul>"
        >>> blocks = page_blocks(LexborHTMLParser(html).body)
        >>> trim = trim_tail(body, blocks)
        >>> trim.paragraphs == tuple(story), [reason for _p, reason in trim.dropped]
        (True, ['heading', 'heading', 'heading'])
        >>> trim_tail(body, blocks, TailRules(headings=False)).dropped
        (('Bridge closed', 'links'), ('Council votes', 'links'))
    """
    rules = rules or TailRules()
    words = [len(_WORD.findall(p)) for p in paragraphs]
    floor = rules.min_position * sum(words)
    start = [0] * len(paragraphs)  # words before each paragraph
    for i in range(1, len(paragraphs)):
        start[i] = start[i - 1] + words[i - 1]
    aligned = _align(paragraphs, blocks)
    reasons: dict[int, str] = {}
    if rules.headings:
        i = 0
        while i < len(paragraphs):
            if start[i] >= floor and start[i] > 0 and tail_heading(paragraphs[i], rules.max_heading_words):
                reasons[i] = "heading"
                i += 1
                while i < len(paragraphs) and _teaser_like(paragraphs[i], aligned[i], blocks, rules):
                    reasons[i] = "heading"
                    i += 1
                continue
            i += 1
    end = len(paragraphs)
    while end > 0 and start[end - 1] >= floor and start[end - 1] > 0:
        why = reasons.get(end - 1) or _tail_like(aligned[end - 1], blocks, rules)
        if why is None:
            break
        end -= 1
        reasons[end] = why
    kept = tuple(p for i, p in enumerate(paragraphs) if i not in reasons)
    dropped = tuple((paragraphs[i], reasons[i]) for i in sorted(reasons))
    return TailTrim(kept, dropped)
