"""Text blocks of a page and their features, from one selectolax (lexbor) parse.

A *block* is the text between two block-level tag boundaries (``<p>``, ``<div>``,
``<li>``, ``<h2>``, ``<td>``, ...), the unit the learned classifier
(:mod:`~newsclean.extraction.model`) keeps or drops. One iterative walk over the
tree (no recursion, so deep pages are safe) collects each block's text and the
context it sits in; :func:`page_blocks` then turns that into one feature row per block:

- the block's own text: words, link density, punctuation, stopword share, digits;
- its tag and the tags around it (inside ``<article>``, ``<nav>``, ``<aside>``, ...);
- class / id / role / itemprop tokens of its ancestors, in generic groups
  (``comment``, ``related``, ``share``, ``nav``, ``content``, ...), by distance;
- its containers (the block elements around it): share of the page's words, link density;
- a readability-style top container and where the block sits relative to it;
- position in the page and the same text features of its neighbours.

Nothing here is specific to a site; the groups of class tokens are generic words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from selectolax.lexbor import LexborNode

from ..stripping.patterns import STOPWORDS

__all__ = ["BLOCK_FEATURES", "PAGE_FEATURES", "PageBlocks", "page_blocks", "page_features"]

_WORD: Final = re.compile(r"\w+")
_SPACE: Final = re.compile(r"\s+")
_PUNCT: Final = re.compile(r"[.,;:!?。、，！？]")
# Scripts written without spaces (CJK, kana, Hangul syllables, Thai): one \w+ run is a whole
# clause there, so every two such characters count as one more word.
_UNSPACED: Final = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def count_words(text: str) -> int:
    r"""Words of ``text``: ``\w+`` runs, plus one per two characters of unspaced scripts.

    Examples:
        >>> count_words("Two words"), count_words("市議会は火曜日")
        (2, 4)
    """
    words = len(_WORD.findall(text))
    return words + len(_UNSPACED.findall(text)) // 2 if words and not text.isascii() else words

#: Elements whose boundaries end a block.
_BLOCK_TAGS: Final = frozenset(
    "p div section article main li ul ol h1 h2 h3 h4 h5 h6 td th tr table tbody thead tfoot caption pre "
    "blockquote header footer nav aside form figure figcaption dl dd dt address center body details "
    "summary fieldset hr br html menu legend".split()
)
#: Elements never walked into (no article text, or form controls).
_SKIP_TAGS: Final = frozenset(
    "script style noscript svg template iframe head select option button textarea input object embed "
    "canvas math video audio map".split()
)

# Ancestor tags, one bit each (set for the element and everything inside it).
_CONTEXT_TAGS: Final = (
    "article", "main", "nav", "aside", "footer", "header", "form", "li", "table", "figure",
    "blockquote", "a", "h", "dl", "pre", "ul", "label",
)  # fmt: skip
_CONTEXT_BIT: Final = {tag: 1 << i for i, tag in enumerate(_CONTEXT_TAGS)}
for _h in ("h1", "h2", "h3", "h4", "h5", "h6"):
    _CONTEXT_BIT[_h] = _CONTEXT_BIT["h"]
_CONTEXT_BIT["ol"] = _CONTEXT_BIT["ul"]
_LINK_BIT: Final = _CONTEXT_BIT["a"]
_FORM_BIT: Final = _CONTEXT_BIT["form"]

# The block's own tag (the innermost block element), one-hot.
_OWN_TAGS: Final = ("p", "div", "li", "h1", "h2", "h3", "h4", "td", "pre", "blockquote", "dd", "span")
_OWN_INDEX: Final = {tag: i for i, tag in enumerate(_OWN_TAGS)}
for _h in ("h5", "h6"):
    _OWN_INDEX[_h] = _OWN_INDEX["h4"]
_OWN_INDEX["th"] = _OWN_INDEX["td"]
_OWN_INDEX["dt"] = _OWN_INDEX["dd"]

# Generic groups of class / id / role / itemprop tokens (substring match on the lowercased value).
_GROUPS: Final = (
    ("content", r"article|content|post|entry|story|body|text|main|blog|prose|rich"),
    ("comment", r"comment|disqus|reply|replies|respond|discussion|reaction|talkback"),
    ("related", r"related|recommend|more|teaser|promo|trending|popular|also|next|prev|suggest|outbrain|taboola"),
    ("share", r"share|social|facebook|twitter|whatsapp|sharing|follow"),
    ("nav", r"nav|menu|breadcrumb|pagination|pager|tabs|toc|skip"),
    ("footer", r"foot|copyright|legal|bottom|colophon|contentinfo"),
    ("side", r"side|widget|rail|aside|complementary|column|col-"),
    ("ad", r"\bad|ads\b|advert|sponsor|banner|dfp|commercial"),
    ("header", r"head|masthead|top|brand|logo|title"),
    ("signup", r"newsletter|subscribe|signup|sign-up|login|register|paywall|modal|popup|cookie|consent|gdpr"),
    ("meta", r"author|byline|meta|date|time|info|tag|categor|label"),
    ("caption", r"caption|credit|figure|photo|image|img|gallery|media|video"),
    ("hidden", r"hidden|hide|invisible|sr-only|screen-reader|visually"),
    ("list", r"list|grid|card|item|tile|feed|stream|archive|result"),
    ("forum", r"thread|forum|message|topic|review|answer|question|qa"),
    ("product", r"product|price|cart|buy|shop|offer|sku|checkout"),
    ("body_prop", r"articlebody|articletext|post-body|entry-content|article-body|story-body|post-content"),
)
_GROUP_RE: Final = tuple(re.compile(pattern) for _name, pattern in _GROUPS)
_MAX_DISTANCE: Final = 12  # ancestor levels looked at for class groups
_CONTAINER_LEVELS: Final = 3  # block elements around a block described by features
_NO_GROUPS: Final = (-1,) * len(_GROUPS)

_TEXT_FEATURES: Final = ("log_words", "link_density", "stop_ratio", "punct_per_word", "ends_sentence",
                         "digit_ratio", "cap_ratio", "avg_word_len", "pipe_or_bullet")  # fmt: skip

#: Names of the per-block feature columns, in order.
BLOCK_FEATURES: Final = (
    *_TEXT_FEATURES,
    "log_chars",
    "is_title",
    "depth",
    "position_words",
    "position_blocks",
    *(f"own_{t}" for t in _OWN_TAGS),
    *(f"in_{t}" for t in _CONTEXT_TAGS),
    *(f"cls_{name}" for name, _p in _GROUPS),
    *(f"cls_{name}_own" for name, _p in _GROUPS),
    *(f"c{k}_{f}" for k in range(_CONTAINER_LEVELS) for f in ("words_frac", "link_density", "log_blocks")),
    "in_top",
    "in_top_parent",
    "top_words_frac",
    "before_top",
    "after_top",
    *(f"{side}{k}_{f}" for side in ("prev", "next") for k in (1, 2) for f in _TEXT_FEATURES[:3]),
)

#: Names of the page-level feature columns (for the page-type classifier), in order.
PAGE_FEATURES: Final = (
    "log_blocks",
    "log_words",
    "link_word_share",
    "li_word_share",
    "td_word_share",
    "h_blocks_per_100_words",
    "top_words_frac",
    "top_link_density",
    "form_word_share",
    "content_cls_share",
    *(f"page_cls_{name}" for name, _p in _GROUPS),
    "long_block_share",
    "mean_block_words",
    "max_block_share",
    "url_depth",
    "url_has_digits",
    # repeated siblings: the largest run of sibling elements with one tag and class
    "rep_max_log",
    "rep_words_share",
    "rep_link_density",
    "rep_words_cv",
    "rep_groups_log",
    "article_tags_log",
    "time_tags_log",
    "linky_word_share",
    "unlinked_word_share",
    "p_word_share",
)


@dataclass(frozen=True, slots=True)
class PageBlocks:
    """The blocks of one page and their features.

    Attributes:
        texts: each block's text, whitespace collapsed.
        features: one row per block, columns :data:`BLOCK_FEATURES` (float32).
        page: page-level features, :data:`PAGE_FEATURES` (float32).
        heading: whether each block is a heading (``<h1>``-``<h6>``).
    """

    texts: tuple[str, ...]
    features: npt.NDArray[np.float32]
    page: npt.NDArray[np.float32]
    heading: tuple[bool, ...]


class _Frame:
    """An open element during the walk; subtree totals fill in as blocks are flushed."""

    __slots__ = ("block", "chain", "context", "flags", "link_words", "n_blocks", "near", "parent", "score", "sig", "tag",
                 "words")  # fmt: skip

    def __init__(self, tag: str, block: bool, flags: int, context: int, parent: int, sig: str = "") -> None:
        self.tag = tag
        self.sig = sig
        self.block = block
        self.flags = flags
        self.context = context
        self.parent = parent
        self.words = 0
        self.link_words = 0
        self.n_blocks = 0
        self.score = 0.0
        # the open-stack depth of the nearest ancestor-or-self with each class group (-1:
        # none), and the innermost block elements around it (at most 4, innermost first)
        self.near: tuple[int, ...] = _NO_GROUPS
        self.chain: tuple[int, ...] = ()


class _RawBlock:
    __slots__ = ("chain", "flags_dist", "link_words", "own_flags", "own_tag", "text", "words", "context", "depth")

    def __init__(
        self,
        text: str,
        words: int,
        link_words: int,
        own_tag: str,
        chain: list[int],
        flags_dist: list[int],
        own_flags: int,
        context: int,
        depth: int,
    ) -> None:
        self.text = text
        self.words = words
        self.link_words = link_words
        self.own_tag = own_tag
        self.chain = chain
        self.flags_dist = flags_dist
        self.own_flags = own_flags
        self.context = context
        self.depth = depth


_FLAG_CACHE: dict[str, int] = {}
_TOKEN_CACHE: dict[str, int] = {}
_FLAG_CACHE_SIZE: Final = 50_000


def _token_flags(token: str) -> int:
    """Bitmask of the class-token groups whose pattern matches in ``token``."""
    flags = 0
    for i, regex in enumerate(_GROUP_RE):
        if regex.search(token):
            flags |= 1 << i
    return flags


def _flags(value: str) -> int:
    """Bitmask of the class-token groups found in a lowercased class/id/role value.

    The groups' patterns are words, hyphens and word boundaries, never a space, so a
    match lies within one whitespace-separated token (a boundary at a token's edge is one
    in the value too): the value's mask is the union of its tokens' masks, and tokens
    repeat across pages far more than whole values do (both are cached).
    """
    cached = _FLAG_CACHE.get(value)
    if cached is not None:
        return cached
    flags = 0
    for token in value.split():
        token_flags = _TOKEN_CACHE.get(token)
        if token_flags is None:
            token_flags = _token_flags(token)
            if len(_TOKEN_CACHE) >= _FLAG_CACHE_SIZE:
                _TOKEN_CACHE.clear()
            _TOKEN_CACHE[token] = token_flags
        flags |= token_flags
    if len(_FLAG_CACHE) >= _FLAG_CACHE_SIZE:
        _FLAG_CACHE.clear()  # start over rather than stop caching: values repeat within a page
    _FLAG_CACHE[value] = flags
    return flags


_BITS_CACHE: dict[int, tuple[int, ...]] = {}


def _bits(flags: int) -> tuple[int, ...]:
    """The group indices set in a bitmask."""
    bits = _BITS_CACHE.get(flags)
    if bits is None:
        bits = _BITS_CACHE[flags] = tuple(bit for bit in range(len(_GROUPS)) if flags >> bit & 1)
    return bits


def _attr_flags(node: LexborNode) -> tuple[int, str]:
    """The class-group bitmask of an element and its ``class`` value (its sibling signature)."""
    attrs = node.attributes  # one call building a dict is faster than four look-ups
    if not attrs:
        return 0, ""
    cls = attrs.get("class") or ""
    parts = (cls, attrs.get("id"), attrs.get("role"), attrs.get("itemprop"))
    joined = " ".join(p for p in parts if p)
    return (_flags(joined.lower()[:500]) if joined else 0), cls[:200]


class _Walker:
    """Collects the raw blocks of a tree in document order."""

    def __init__(self, budget: int) -> None:
        self.budget = budget  # characters of text and elements walked before stopping (0: no limit)
        self.frames: list[_Frame] = []
        self.open: list[int] = []  # indices into frames of the open elements
        self.blocks: list[_RawBlock] = []
        self.pieces: list[str] = []
        self.link_pieces: list[str] = []

    def flush(self) -> None:
        if not self.pieces:
            return
        text = _SPACE.sub(" ", "".join(self.pieces)).strip()
        link_text = "".join(self.link_pieces)
        self.pieces = []
        self.link_pieces = []
        if not text:
            return
        words = count_words(text)
        if not words:
            return
        link_words = min(count_words(link_text), words)
        open_ = self.open
        if not open_:
            self.blocks.append(_RawBlock(text, words, link_words, "", [], [0] * len(_GROUPS), 0, 0, 0))
            return
        # The innermost open element takes the block's words; they reach its ancestors
        # when it closes (:meth:`close`), so a block costs O(groups), not O(depth).
        inner = self.frames[open_[-1]]
        inner.words += words
        inner.link_words += link_words
        inner.n_blocks += 1
        innermost = len(open_) - 1
        dist = [
            _MAX_DISTANCE - (innermost - at) if at >= 0 and innermost - at < _MAX_DISTANCE else 0
            for at in inner.near
        ]
        chain = list(inner.chain)
        own = self.frames[chain[0]] if chain else None
        self.blocks.append(
            _RawBlock(
                text,
                words,
                link_words,
                own.tag if own else "",
                chain,
                dist,
                own.flags if own else 0,
                inner.context,
                len(open_),
            )
        )

    def push(self, frame: _Frame) -> None:
        """Open ``frame`` (a child of the innermost open element)."""
        index = len(self.frames)
        self.frames.append(frame)
        open_ = self.open
        if open_:
            parent = self.frames[open_[-1]]
            frame.near, frame.chain = parent.near, parent.chain
        if frame.flags:
            near = list(frame.near)
            depth = len(open_)
            for bit in _bits(frame.flags):
                near[bit] = depth
            frame.near = tuple(near)
        if frame.block:
            frame.chain = (index, *frame.chain[:_CONTAINER_LEVELS])
        open_.append(index)

    def close(self) -> None:
        """Close the innermost open element: its subtree totals go to its parent."""
        frame = self.frames[self.open.pop()]
        if self.open:
            parent = self.frames[self.open[-1]]
            parent.words += frame.words
            parent.link_words += frame.link_words
            parent.n_blocks += frame.n_blocks
        if not frame.block:
            frame.n_blocks = 0  # only block elements count the blocks inside them

    def walk(self, root: LexborNode) -> None:
        stack: list[tuple[LexborNode, bool]] = [(root, True)]
        budget = self.budget or -1
        while stack:
            node, entering = stack.pop()
            tag = node.tag or ""
            budget -= 1
            if budget == 0:
                break
            if not entering:
                if tag in _BLOCK_TAGS:
                    self.flush()
                self.close()
                continue
            if tag == "-text":
                content = node.text_content or ""
                budget = max(budget - len(content), 1) if budget > 0 else budget
                self.pieces.append(content)
                if self.open and self.frames[self.open[-1]].context & _CONTEXT_BIT["a"]:
                    self.link_pieces.append(content)
                continue
            if tag in _SKIP_TAGS or tag.startswith("-") or not node.is_element_node:
                continue
            is_block = tag in _BLOCK_TAGS
            if is_block:
                self.flush()
            if tag == "br":
                continue
            parent = self.open[-1] if self.open else -1
            parent_context = self.frames[parent].context if parent >= 0 else 0
            flags, cls = _attr_flags(node)
            self.push(_Frame(tag, is_block, flags, parent_context | _CONTEXT_BIT.get(tag, 0), parent, cls))
            stack.append((node, False))
            children: list[LexborNode] = []
            child = node.child
            while child is not None:
                children.append(child)
                child = child.next
            stack.extend((c, True) for c in reversed(children))
        self.flush()
        while self.open:  # a walk cut by the budget: close what is still open
            self.close()


def _text_features(text: str, words: list[str], count: int, link_words: int) -> list[float]:
    n = max(len(words), 1)
    count = max(count, 1)
    stop = sum(1 for w in words if w.lower() in STOPWORDS)
    digits = sum(1 for w in words if w.isdigit())
    caps = sum(1 for w in words if w[:1].isupper())
    return [
        math.log1p(count),
        link_words / count,
        stop / n,
        len(_PUNCT.findall(text)) / n,
        1.0 if text[-1:] in ".!?。！？\"'”»)" else 0.0,
        digits / n,
        caps / n,
        sum(len(w) for w in words) / n,
        1.0 if ("|" in text or "•" in text or "·" in text) else 0.0,
    ]


def _top_container(walker: _Walker) -> int:
    """The readability-style best container: most paragraph score, discounted by links."""
    frames = walker.frames
    for block in walker.blocks:
        if len(block.text) < 25 or not block.chain:
            continue
        score = 1.0 + block.text.count(",") + min(len(block.text) / 100.0, 3.0)
        if len(block.chain) > 1:
            frames[block.chain[1]].score += score
        if len(block.chain) > 2:
            frames[block.chain[2]].score += score / 2
    best, best_score = -1, 0.0
    for index, frame in enumerate(frames):
        if frame.score <= 0:
            continue
        density = frame.link_words / frame.words if frame.words else 0.0
        score = frame.score * (1.0 - density)
        if score > best_score:
            best, best_score = index, score
    return best


def _url_features(url: str | None) -> list[float]:
    if not url:
        return [0.0, 0.0]
    path = url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    segments = [s for s in path.split("/")[1:] if s]
    return [float(len(segments)), 1.0 if any(ch.isdigit() for ch in path.split("/", 1)[-1]) else 0.0]


def page_blocks(
    root: LexborNode | None, title: str | None = None, url: str | None = None, max_chars: int = 0
) -> PageBlocks:
    """The blocks under ``root`` (a page's ``<body>``) and their features.

    Args:
        root: the element to walk (``None`` gives no blocks).
        title: the page's headline, to mark blocks that repeat it.
        url: the page URL, for two page-level features (path depth, digits).
        max_chars: stop after about this many characters of text plus elements
            (``0``: walk the whole tree); bounds the time on giant pages.

    Returns:
        The :class:`PageBlocks` of the page, in document order.

    Examples:
        >>> from selectolax.lexbor import LexborHTMLParser
        >>> tree = LexborHTMLParser("<body><p>One two three.</p><ul><li><a href=/>Home</a></li></ul></body>")
        >>> blocks = page_blocks(tree.body)
        >>> blocks.texts
        ('One two three.', 'Home')
        >>> blocks.features.shape == (2, len(BLOCK_FEATURES))
        True
        >>> float(blocks.features[1, BLOCK_FEATURES.index("link_density")])
        1.0
    """
    walker = _Walker(max_chars)
    if root is not None:
        walker.walk(root)
    raw = walker.blocks
    frames = walker.frames
    n = len(raw)
    width = len(BLOCK_FEATURES)
    features = np.zeros((n, width), dtype=np.float32)
    total_words = max(sum(b.words for b in raw), 1)
    top = _top_container(walker)
    top_frame = frames[top] if top >= 0 else None
    top_parent = top_frame.parent if top_frame is not None else -1
    title_key = " ".join(_WORD.findall(title.lower())) if title else ""
    inside_top: list[bool] = []
    inside_top_parent: list[bool] = []
    text_rows: list[list[float]] = []
    for block in raw:
        # a block is inside the top container when the container is one of its ancestors
        inside = top >= 0 and bool(_chain_contains(frames, block.chain, top))
        inside_top.append(inside)
        inside_top_parent.append(top_parent >= 0 and bool(_chain_contains(frames, block.chain, top_parent)))
        words = _WORD.findall(block.text)
        text_rows.append(_text_features(block.text, words, block.words, block.link_words))
    first_top = next((i for i, v in enumerate(inside_top) if v), -1)
    last_top = max((i for i, v in enumerate(inside_top) if v), default=-1)
    cumulative = 0
    n_text = len(_TEXT_FEATURES)
    pos = n_text
    for i, block in enumerate(raw):
        row = features[i]
        row[:n_text] = text_rows[i]
        col = pos
        row[col] = math.log1p(len(block.text))
        row[col + 1] = 1.0 if title_key and " ".join(_WORD.findall(block.text.lower())) == title_key else 0.0
        row[col + 2] = min(block.depth, 60) / 60.0
        row[col + 3] = cumulative / total_words
        row[col + 4] = i / max(n, 1)
        cumulative += block.words
        col += 5
        own = _OWN_INDEX.get(block.own_tag)
        if own is not None:
            row[col + own] = 1.0
        col += len(_OWN_TAGS)
        for j, tag in enumerate(_CONTEXT_TAGS):
            if block.context & _CONTEXT_BIT[tag]:
                row[col + j] = 1.0
        col += len(_CONTEXT_TAGS)
        row[col : col + len(_GROUPS)] = [d / _MAX_DISTANCE for d in block.flags_dist]
        col += len(_GROUPS)
        for bit in range(len(_GROUPS)):
            if block.own_flags >> bit & 1:
                row[col + bit] = 1.0
        col += len(_GROUPS)
        for k in range(_CONTAINER_LEVELS):
            if k < len(block.chain):
                frame = frames[block.chain[k]]
                row[col] = frame.words / total_words
                row[col + 1] = frame.link_words / frame.words if frame.words else 0.0
                row[col + 2] = math.log1p(frame.n_blocks)
            col += 3
        row[col] = 1.0 if inside_top[i] else 0.0
        row[col + 1] = 1.0 if inside_top_parent[i] else 0.0
        row[col + 2] = top_frame.words / total_words if top_frame is not None else 0.0
        row[col + 3] = (first_top - i) / n if first_top >= 0 and i < first_top else 0.0
        row[col + 4] = (i - last_top) / n if last_top >= 0 and i > last_top else 0.0
        col += 5
        for offset in (-1, -2, 1, 2):
            j = i + offset
            if 0 <= j < n:
                row[col : col + 3] = text_rows[j][:3]
            col += 3
    page = _page_vector(walker, url, top)
    heading = tuple(b.own_tag in ("h1", "h2", "h3", "h4", "h5", "h6") for b in raw)
    return PageBlocks(tuple(b.text for b in raw), features, page, heading)


def _chain_contains(frames: list[_Frame], chain: list[int], target: int) -> bool:
    """Whether ``target`` is an ancestor-or-self of the block's innermost block element."""
    if not chain:
        return False
    index = chain[0]
    while index >= 0:
        if index == target:
            return True
        index = frames[index].parent
    return False


def _page_features(
    raw: list[_RawBlock],
    top_frame: _Frame | None,
    total_words: int,
    url: str | None,
) -> list[float]:
    """The first page features (layout, class groups, block sizes, URL), from the raw blocks."""
    words = np.array([b.words for b in raw], dtype=np.float64) if raw else np.zeros(0)
    total = float(max(total_words, 1))

    def share(mask: list[bool]) -> float:
        return float(words[np.array(mask, dtype=bool)].sum() / total) if len(words) else 0.0

    n = len(raw)
    link_words = sum(b.link_words for b in raw)
    form = _CONTEXT_BIT["form"]
    groups = [share([b.flags_dist[bit] > 0 for b in raw]) for bit in range(len(_GROUPS))]
    values = [
        math.log1p(n),
        math.log1p(total_words),
        link_words / total,
        share([b.own_tag == "li" for b in raw]),
        share([b.own_tag in ("td", "th") for b in raw]),
        100.0 * sum(1 for b in raw if b.own_tag[:1] == "h" and b.own_tag[1:].isdigit()) / total,
        top_frame.words / total if top_frame is not None else 0.0,
        top_frame.link_words / top_frame.words if top_frame is not None and top_frame.words else 0.0,
        share([bool(b.context & form) for b in raw]),
        groups[0],
        *groups,
        share(list(words >= 30)),
        float(words.mean()) if n else 0.0,
        float(words.max() / total) if n else 0.0,
        *_url_features(url),
    ]
    return values


def page_features(root: LexborNode | None, url: str | None = None, max_chars: int = 0) -> npt.NDArray[np.float32]:
    """The page-level features of the tree under ``root`` (:data:`PAGE_FEATURES`) without the
    per-block rows: what the page-type classifier needs, at about half the cost of
    :func:`page_blocks` (the same values as its ``page``: :class:`_PageWalk` visits the same
    nodes in the same order, with the same budget, and keeps only page-level totals).

    Examples:
        >>> from selectolax.lexbor import LexborHTMLParser
        >>> tree = LexborHTMLParser("<body><p>One two three.</p><ul><li><a href=/>Home</a></li></ul></body>")
        >>> bool((page_features(tree.body) == page_blocks(tree.body).page).all())
        True
    """
    walk = _PageWalk()
    if root is not None:
        walk.walk(root, max_chars)
    return walk.vector(url)


class _PageWalk:
    """:class:`_Walker`'s walk for the page features only.

    The nodes come from lexbor's own depth-first traversal (``LexborNode.traverse``, no
    Python stack of children); an element closes when a later node is not inside it (the
    node's parent is not the element, by ``mem_id``), which gives the open and close
    events of :meth:`_Walker.walk` in the same order and against the same budget. Only
    block elements get a row (tag, class, words, link words); an open element is a small
    list on the stack (its nearest block row, class-group depths, context bits, block
    chain), and each block only adds to the page totals.
    """

    def __init__(self) -> None:
        # one row per block element
        self.tag: list[str] = []
        self.sig: list[str] = []
        self.parent: list[int] = []  # mem_id of its parent element (-1: the root)
        self.words: list[int] = []
        self.links: list[int] = []
        self.score: dict[int, float] = {}  # the top container's paragraph scores, by row
        self.tags = {"article": 0, "time": 0}
        self.states: list[list[Any] | None] = []  # the open nodes (None: not walked into)
        self.pieces: list[str] = []
        self.link_pieces: list[str] = []
        # page totals over the blocks
        self.block_words: list[int] = []
        self.link_total = 0
        self.li_words = 0
        self.td_words = 0
        self.p_words = 0
        self.h_blocks = 0
        self.form_words = 0
        self.linky = 0
        self.unlinked = 0
        self.mask_words: dict[int, int] = {}

    def flush(self) -> None:
        if not self.pieces:
            return
        raw = "".join(self.pieces)
        link_text = "".join(self.link_pieces)
        self.pieces.clear()  # cleared, not replaced: the walk holds these lists
        self.link_pieces.clear()
        if not raw.strip():  # str.strip and the pattern's \s agree on what is a space
            return
        text = _SPACE.sub(" ", raw).strip()
        words = count_words(text)
        if not words:
            return
        link_words = min(count_words(link_text), words)
        self.block_words.append(words)
        self.link_total += link_words
        if link_words >= 0.5 * words:
            self.linky += words
        if not link_words:
            self.unlinked += words
        if not self.states:
            self.mask_words[0] = self.mask_words.get(0, 0) + words
            return
        state = self.states[-1]
        assert state is not None  # a block is flushed only while walking
        row, near, context, chain, depth, mask = state[:6]
        if row >= 0:
            self.words[row] += words
            self.links[row] += link_words
        if mask < 0:
            mask = 0
            for bit, at in enumerate(near):
                if at >= 0 and depth - at < _MAX_DISTANCE:
                    mask |= 1 << bit
            state[5] = mask
        self.mask_words[mask] = self.mask_words.get(mask, 0) + words
        if context & _FORM_BIT:
            self.form_words += words
        if not chain:
            return
        own = self.tag[chain[0]]
        if own == "li":
            self.li_words += words
        elif own in ("td", "th"):
            self.td_words += words
        elif own == "p":
            self.p_words += words
        elif own[:1] == "h" and own[1:].isdigit():
            self.h_blocks += 1
        if len(text) >= 25 and len(chain) > 1:
            score = 1.0 + text.count(",") + min(len(text) / 100.0, 3.0)
            self.score[chain[1]] = self.score.get(chain[1], 0.0) + score
            if len(chain) > 2:
                self.score[chain[2]] = self.score.get(chain[2], 0.0) + score / 2

    def push(self, node: LexborNode, tag: str, is_block: bool, parent_id: int) -> list[Any]:
        """The open state of a walked element (a row too if it is a block element)."""
        flags, cls = _attr_flags(node)
        states = self.states
        depth = len(states)  # only walked elements are open below a walked one
        if depth:
            above = states[-1]
            assert above is not None
            row, near, context, chain = above[:4]
        else:
            row, near, context, chain, parent_id = -1, _NO_GROUPS, 0, (), -1
        if flags:
            changed = list(near)
            for bit in _bits(flags):
                changed[bit] = depth
            near = tuple(changed)
        if tag in self.tags:
            self.tags[tag] += 1
        context |= _CONTEXT_BIT.get(tag, 0)
        if not is_block:
            return [row, near, context, chain, depth, -1, False, row]
        index = len(self.tag)
        self.tag.append(tag)
        self.sig.append(cls)
        self.parent.append(parent_id)
        self.words.append(0)
        self.links.append(0)
        return [index, near, context, (index, *chain[:2]), depth, -1, True, row]

    def close(self, state: list[Any]) -> None:
        """A block element's totals go to the block element around it (``state`` is a block's)."""
        if state[7] >= 0:
            self.words[state[7]] += self.words[state[0]]
            self.links[state[7]] += self.links[state[0]]

    def walk(self, root: LexborNode, max_chars: int) -> None:
        """Walk the tree under ``root``, stopping (as :class:`_Walker` does) when the budget of
        ``max_chars`` characters of text and events runs out (``0``: no limit)."""
        budget = max_chars or -1
        ids: list[int] = []  # mem_id of every open node, walked or skipped
        states = self.states
        pieces, link_pieces = self.pieces, self.link_pieces
        flush, close, push = self.flush, self.close, self.push
        stopped = False
        for node in root.traverse(include_text=True):
            parent = node.parent
            pid = parent.mem_id if parent is not None else -1
            while ids and ids[-1] != pid:  # the elements the node is not in are closed
                state = states[-1]
                if state is not None:
                    budget -= 1
                    if budget == 0:
                        stopped = True
                        break
                    if state[6]:
                        flush()
                        close(state)
                ids.pop()
                states.pop()
            if stopped:
                break
            tag = node.tag or ""
            if states and states[-1] is None:  # inside an element that is not walked into
                if tag != "-text":
                    ids.append(node.mem_id)
                    states.append(None)
                continue
            budget -= 1
            if budget == 0:
                stopped = True
                break
            if tag == "-text":
                content = node.text_content or ""
                if budget > 0:
                    budget = max(budget - len(content), 1)
                pieces.append(content)
                if states and states[-1][2] & _LINK_BIT:  # type: ignore[index]
                    link_pieces.append(content)
                continue
            ids.append(node.mem_id)
            if tag in _SKIP_TAGS or tag.startswith("-") or not node.is_element_node:
                states.append(None)
                continue
            is_block = tag in _BLOCK_TAGS
            if is_block:
                flush()
            states.append(None if tag == "br" else push(node, tag, is_block, pid))
        if not stopped:
            while states:
                state = states[-1]
                if state is not None:
                    budget -= 1
                    if budget == 0:
                        break
                    if state[6]:
                        flush()
                        close(state)
                states.pop()
        flush()
        while states:  # a walk cut by the budget: close what is still open
            state = states.pop()
            if state is not None and state[6]:
                close(state)

    def _top(self) -> int:
        """:func:`_top_container` from the rows."""
        best, best_score = -1, 0.0
        for index in sorted(self.score):
            words = self.words[index]
            density = self.links[index] / words if words else 0.0
            score = self.score[index] * (1.0 - density)
            if score > best_score:
                best, best_score = index, score
        return best

    def vector(self, url: str | None) -> npt.NDArray[np.float32]:
        """:data:`PAGE_FEATURES`, computed as :func:`_page_vector` computes them from the blocks."""
        words = np.array(self.block_words, dtype=np.float64) if self.block_words else np.zeros(0)
        n = len(self.block_words)
        total_words = max(sum(self.block_words), 1)
        total = float(total_words)
        top = self._top()
        groups = [0] * len(_GROUPS)
        for mask, count in self.mask_words.items():
            for bit in _bits(mask):
                groups[bit] += count
        shares = [count / total if n else 0.0 for count in groups]
        values = [
            math.log1p(n),
            math.log1p(total_words),
            self.link_total / total,
            self.li_words / total if n else 0.0,
            self.td_words / total if n else 0.0,
            100.0 * self.h_blocks / total,
            self.words[top] / total if top >= 0 else 0.0,
            self.links[top] / self.words[top] if top >= 0 and self.words[top] else 0.0,
            self.form_words / total if n else 0.0,
            shares[0],
            *shares,
            float(words[words >= 30].sum() / total) if n else 0.0,
            float(words.mean()) if n else 0.0,
            float(words.max() / total) if n else 0.0,
            *_url_features(url),
            *self._structure(total),
        ]
        return np.array(values, dtype=np.float32)

    def _structure(self, total: float) -> list[float]:
        """:func:`_structure_features` from the rows."""
        groups: dict[tuple[int, str, str], list[int]] = {}
        frame_words = self.words
        for index, (tag, sig, parent) in enumerate(zip(self.tag, self.sig, self.parent, strict=True)):
            if frame_words[index] and parent >= 0:
                groups.setdefault((parent, tag, sig), []).append(index)
        repeated = [members for members in groups.values() if len(members) >= _MIN_REPEATS]
        largest = max((len(m) for m in groups.values()), default=0)
        share = density = spread = 0.0
        if repeated:
            best = max(repeated, key=lambda m: sum(frame_words[i] for i in m))
            words = np.array([frame_words[i] for i in best], dtype=np.float64)
            share = float(words.sum()) / total
            density = sum(self.links[i] for i in best) / float(words.sum())
            spread = float(words.std() / words.mean())
        return [
            math.log1p(largest),
            share,
            density,
            spread,
            math.log1p(len(repeated)),
            math.log1p(self.tags["article"]),
            math.log1p(self.tags["time"]),
            self.linky / total,
            self.unlinked / total,
            self.p_words / total,
        ]


def _page_vector(walker: _Walker, url: str | None, top: int) -> npt.NDArray[np.float32]:
    raw = walker.blocks
    total_words = max(sum(b.words for b in raw), 1)
    top_frame = walker.frames[top] if top >= 0 else None
    values = _page_features(raw, top_frame, total_words, url) + _structure_features(walker)
    return np.array(values, dtype=np.float32)


_MIN_REPEATS: Final = 3  # siblings of one signature that make a repeated structure


def _structure_features(walker: _Walker) -> list[float]:
    """Repeated sibling structure and link profile of the page (the last ten page features).

    Listings, forums and product grids repeat one element (same tag and class) for every
    item or post; an article has one long run of paragraphs. Nothing here names a site.
    """
    frames = walker.frames
    groups: dict[tuple[int, str, str], list[int]] = {}
    tags = {"article": 0, "time": 0}
    for index, frame in enumerate(frames):
        if frame.tag in tags:
            tags[frame.tag] += 1
        if frame.block and frame.words and frame.parent >= 0:
            groups.setdefault((frame.parent, frame.tag, frame.sig), []).append(index)
    raw = walker.blocks
    total = float(max(sum(b.words for b in raw), 1))
    repeated = [members for members in groups.values() if len(members) >= _MIN_REPEATS]
    largest = max((len(m) for m in groups.values()), default=0)
    share = density = spread = 0.0
    if repeated:
        best = max(repeated, key=lambda m: sum(frames[i].words for i in m))
        words = np.array([frames[i].words for i in best], dtype=np.float64)
        share = float(words.sum()) / total
        density = sum(frames[i].link_words for i in best) / float(words.sum())
        spread = float(words.std() / words.mean())
    linky = sum(b.words for b in raw if b.link_words >= 0.5 * b.words)
    unlinked = sum(b.words for b in raw if not b.link_words)
    paragraphs = sum(b.words for b in raw if b.own_tag == "p")
    values = [
        math.log1p(largest),
        share,
        density,
        spread,
        math.log1p(len(repeated)),
        math.log1p(tags["article"]),
        math.log1p(tags["time"]),
        linky / total,
        unlinked / total,
        paragraphs / total,
    ]
    return values
