"""Decide, line by line, what of a page dump is article body; build the Article.

The orchestration is :func:`strip_text`: measure lines (:mod:`.lines`), describe them in
context (:mod:`.features`), score them with the trained classifier (:mod:`.model`),
apply the few unambiguous rules (whole-line chrome phrases, template lines learnt from
other pages of the site), find the headline, group the kept lines into paragraphs and
drop inline chrome (a trailing "Share"). The result is re-stripped until it no longer
changes, which makes :func:`strip_text` idempotent on its own output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, islice
from operator import not_

import numpy as np
import numpy.typing as npt

from ..errors import InputError, config_of
from ..language import article_language
from ..types import Article, LineDecision
from .columns import LineTable, reflow_columns_measured
from .features import line_features
from .lines import CATEGORIES, Lines, Row, _cjk_words, parse_lines, split_raw_lines
from .model import LineModel, default_model
from .patterns import BYLINE_PREFIXES, EXACT, chrome_key

__all__ = ["StripConfig", "Stripped", "strip_body", "strip_text", "with_languages"]

Array = npt.NDArray[np.float64]

_CAT = {name: code for code, name in enumerate(CATEGORIES)}
#: Whole-line phrases that are chrome whatever the model says (when the line is short).
_HARD_CODES = frozenset(_CAT[c] for c in ("menu", "ticker", "teaser", "share"))
_HARD_MAX_WORDS = 4
_CHROME_CODES = frozenset(_CAT[c] for c in ("menu", "ticker", "teaser", "share", "cookie", "footer", "form"))
_DIGIT_RE = re.compile(r"\d")
# No headline: a link marked by an arrow ("« Older post", "Next story »"); see _navigation_link.
_NAV_STARTS = ("«", "‹", "<<")
_NAV_ENDS = ("»", "›", ">>")
# A photo credit anywhere in a line ("Photograph: Jane Doe", "(AP Photo/Jane Doe)").
_CREDIT_RE = re.compile(
    r"\b(?:photo(?:graph)?|picture|image|credit|foto|bild)s?\s*:|\b(?:ap|afp|reuters|epa) photo\b|getty images",
    re.IGNORECASE,
)
_HEADLINE_END_BAD = frozenset(".,;:")
# A headline may end in an abbreviation ("... until 10 p.m.", "... in the U.S.").
_ABBREVIATION_END_RE = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
# Inline chrome: a share/teaser phrase of <= 3 words glued after the end of a sentence.
_INLINE_PHRASES = sorted(
    (p for p, c in EXACT.items() if c in ("share", "teaser") and 0 < len(p.split()) <= 3 and len(p) > 2),
    key=len,
    reverse=True,
)
_INLINE_RE = re.compile(
    r"(?<=[.!?\"”»’)])\s+(?:" + "|".join(re.escape(p) for p in _INLINE_PHRASES) + r")\s*[:.!]?\s*$",
    re.IGNORECASE,
)
_INLINE_LAST = frozenset(p.rsplit(None, 1)[-1] for p in _INLINE_PHRASES)
_MAX_ROUNDS = 20
# A comment section: a heading ("12 Comments", "{ 74 comments... read them below }",
# "156 Responses to ...", "Leave a Reply", "Kommentare") followed, within 40 lines, by
# at least two comment meta lines ("Reply", "Log in to Reply", "Jane says:", "tRiSh
# said...", "November 5, 2019 at 3:14 pm", "1. on 2012-10-16 at 8:03 am Ivan").
# Everything after such a heading goes. Readers' comments are long prose the line model
# cannot tell from the article (blogs in every DEV set; on dragnet the main cause of
# pages kept at precision < 0.2); their meta lines give them away.
_COMMENT_HEAD_RE = re.compile(
    r"^[\W_]*(?:(?:\d+|one|no)\s+)?(?:comments?|responses?|replies|reader comments|"
    r"leave a (?:reply|comment)|post a comment|join the (?:discussion|conversation)|discussion|"
    r"kommentare|commentaires|comentarios|comentários|комментарии|التعليقات)\b",
)
_COMMENT_HEAD_MAX_WORDS = 10
#: Every alternative of _COMMENT_HEAD_RE's heading words holds one of these (tested): a
#: line without any of them, lowercased, is no heading (a few substring searches over
#: the short lines at once instead of the pattern on each).
_COMMENT_HEAD_KEYS = ("comment", "coment", "respons", "replies", "leave a", "join the", "discussion",
                      "kommentare", "комментарии", "التعليقات")
_COMMENT_META_RE = re.compile(
    r"^[\[(]?(?:reply|replydelete|reply to this|log in to reply|antworten|répondre|responder|"
    r"responda|ответить|report|like|permalink|link to this comment)[\])]?(?:\s*[↓#/]|\s+share)?$|"
    r"\b(?:says|wrote|said)(?::|\.{3}|…)?$|\breply\s*#$|"
    r"(?:\bat|@)\s?\d{1,2}:\d{2}|\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)\b|"
    r"^\d+ (?:likes?|points?|replies)$|\(\s*score:\s*-?\d",
)
#: Every alternative of _COMMENT_META_RE holds one of these (tested): a line without any of
#: them is no meta line (a few substring tests before the pattern's search).
_COMMENT_META_KEYS = (":", "repl", "antworten", "répondre", "respond", "ответить", "report", "like", "link",
                      "says", "wrote", "said", "point")
_COMMENT_WINDOW = 40
_CAPTION_STARTS = ("photo", "image", "picture", "credit", "foto", "фото", "bild", "imagen")
# Cookie notices are dropped outright when they also speak of the site or consent.
_COOKIE = _CAT["cookie"]
_COOKIE_CONTEXT_RE = re.compile(r"website|site|experience|browser|consent|accept|privacy|akzept|accepter|aceptar")
# Region growing (see _grow_body): a neighbour of the body is kept when it is prose
# (>= 10 words, ends like a sentence, >= 15% stopwords) and the model gave it >= 0.01.
_GROW_MIN_WORDS = 10
_GROW_MIN_STOP = 0.15
_GROW_FLOOR = 0.01
_SUBHEADING_MAX_WORDS = 20
# Body filling (see _fill_body): inside the main run of body lines, lines of >= 5 words
# that match no chrome pattern are kept.
_FILL_MIN_WORDS = 5
# A ticker marker ("BREAKING") heads a block of headlines printed without blank lines.
_TICKER = _CAT["ticker"]
_MAX_TICKER_BLOCK = 30
_TICKER_ITEM_MAX_WORDS = 20
# Texts of at most this many lines with no bullet and no chrome pattern, >= 60% of their
# words in lines of >= _CHROME_FREE_MIN_WORDS words or with figures, are kept whole but
# for short lines without figures (labels, signatures; see _chrome_free).
_CHROME_FREE_MAX_LINES = 60
_CHROME_FREE_MIN_WORDS = 4
# An image caption or credit: a sentence closed by a short parenthesised credit
# ("... on October 8, 2024. (@durov)", "(AP Photo/Jane Doe)"), or a "Photo:" line.
_CAPTION_RE = re.compile(
    r"[.!?]\s*\((?:ap|afp|reuters|getty|photo|image|file|@)[^()]{0,60}\)$"
    r"|\((?:ap|afp|getty images|reuters)(?: photo)?[^()]{0,40}\)$"
    r"|^(?:photo|image|picture|credit|foto|фото|bild|imagen)\s*(?:by|:)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class StripConfig:
    """Options of :func:`newsclean.strip` (defaults measured on the dev dumps).

    Attributes:
        threshold: probability above which a line is body; ``None`` uses the model's
            own (tuned for F1 by site-grouped cross-validation). Lower keeps more
            (recall), higher keeps less (precision).
        find_title: look for the headline (kept apart from the body).
        join_wrapped: join lines that a renderer wrapped at a fixed width back into
            one paragraph.
        remove_inline: drop chrome glued to the end of a body line ("... said. Share").
        min_words: an article with fewer body words is reported as ``no_content``.
        fill_gap: the body is one run of kept lines with gaps of at most this many
            dropped lines; inside the run with the most body words, lines of >= 5 words
            that match no chrome pattern are kept too (content the model doubted between
            body lines: table rows, list items, short paragraphs); 0 turns this off.
        page_share: when the body found holds fewer words than this share of the page's
            prose (lines that read like sentences), the page is not one article (a forum
            thread, a listing, a service or product page, a page the model does not
            know) and every line of >= 10 words is kept as well; 0 turns this off.
        max_chars: only the first ``max_chars`` characters are read (bounded time).
        model: the line classifier; ``None`` is the one shipped with newsclean.

    Examples:
        >>> import dataclasses
        >>> dataclasses.replace(StripConfig(), threshold=0.3).threshold
        0.3
    """

    threshold: float | None = None
    find_title: bool = True
    join_wrapped: bool = True
    remove_inline: bool = True
    min_words: int = 5
    fill_gap: int = 20
    page_share: float = 0.4
    max_chars: int = 50_000_000
    model: LineModel | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            msg = f"threshold must be in [0, 1], got {self.threshold}"
            raise InputError(msg)
        if not 0.0 <= self.page_share <= 1.0:
            msg = f"page_share must be in [0, 1], got {self.page_share}"
            raise InputError(msg)
        if self.fill_gap < 0:
            msg = f"fill_gap must be >= 0, got {self.fill_gap}"
            raise InputError(msg)
        if self.min_words < 0 or self.max_chars < 1:
            msg = f"min_words must be >= 0 and max_chars >= 1, got {self.min_words}, {self.max_chars}"
            raise InputError(msg)
        if self.model is not None and not isinstance(self.model, LineModel):
            msg = (f"model must be a newsclean.stripping.model.LineModel (LineModel.from_json reads a "
                   f"weights file's JSON) or None, got {type(self.model).__name__}")
            raise InputError(msg)


@dataclass(frozen=True, slots=True)
class _Pass:
    lines: Lines
    kept: tuple[bool, ...]
    reasons: tuple[str, ...]
    title: int | None  # index into lines of the headline, if any
    scores: tuple[float, ...] = ()  # the model's body probability per line; () if not scored


def _is_headline(lines: Lines, i: int) -> bool:
    words = lines.words[i]
    content = lines.content[i]
    return (
        3 <= words <= 25
        and not lines.bullet[i]
        and lines.category[i] == 0
        and (content[-1] not in _HEADLINE_END_BAD or _ABBREVIATION_END_RE.search(content) is not None)
        and not content[0].islower()
        and content.count("|") < 2  # "Home | News | Sport" is a menu bar
        and not _navigation_link(content)
        and not _credit_or_byline(content)
    )


def _credit_or_byline(content: str) -> bool:
    """An image caption's credit ("... Photograph: Jane Doe", "(Jane Doe/AP Photo)",
    "Picture: Supplied") or a byline ("By Jane Doe on May 4, 2012 in News"), whatever
    its length: no headline.

    Examples:
        >>> _credit_or_byline("The harbour at dawn. Photograph: Jane Doe"), _credit_or_byline("By Jane Doe in News")
        (True, True)
        >>> _credit_or_byline("Photographers return to the harbour")
        False
    """
    return content.lower().startswith(BYLINE_PREFIXES) or _CREDIT_RE.search(content) is not None


def _navigation_link(content: str) -> bool:
    """A link to another page marked by an arrow ("« Older post", "Next story »") or a
    line wholly in parentheses (an image credit: "(Credit: Jane Doe)"): no headline.

    Examples:
        >>> _navigation_link("« Rain returns to the valley"), _navigation_link("(Photo: Jane Doe)")
        (True, True)
        >>> _navigation_link("Rain returns to the valley (update)")
        False
    """
    return content.startswith(_NAV_STARTS) or content.endswith(_NAV_ENDS) or (
        content.startswith("(") and content.endswith(")"))


def _labelled_item(content: str) -> bool:
    """A line led by a chrome label ("Latest: Markets close higher"): a ticker or teaser item."""
    head, colon, _ = content.partition(":")
    return bool(colon) and len(head.split()) <= 2 and EXACT.get(chrome_key(head)) is not None


def _find_title(lines: Lines, kept: list[bool]) -> tuple[int | None, bool]:
    """The headline's index and whether it was a kept line (then taken out of the body).

    A kept line is the headline when it looks like one and the next kept line is long
    and does not go on in lower case (then the line was a sentence broken by hand).
    Otherwise the headline is the nearest headline-like line of >= 4 words above the
    body; a line led by a chrome label ("Latest: ...", "Breaking: ...") is a ticker
    item there, not the headline. A headline-like line near the body's start that the
    page repeats inside a longer line that is not body wins over one found so that does not
    (see :func:`_repeated_headline`).
    """
    first = next((i for i, k in enumerate(kept) if k), None)
    if first is None:
        return None, False
    found: tuple[int | None, bool] = None, False
    following = next((j for j in range(first + 1, len(kept)) if kept[j]), None)
    if (_is_headline(lines, first) and following is not None and lines.words[following] >= 10
            and not lines.content[following][0].islower()):
        found = first, True
    else:
        above = (i for i in range(first - 1, max(first - 12, -1), -1) if _title_candidate(lines, i))
        at = next(above, None)
        if at is not None:
            found = at, False
    return _repeated_headline(lines, kept, first, found)


def _title_candidate(lines: Lines, i: int) -> bool:
    """A headline-like line of >= 4 words that is not a ticker or teaser item."""
    return _is_headline(lines, i) and lines.words[i] >= 4 and not _labelled_item(lines.content[i])


def _repeated_headline(lines: Lines, kept: list[bool], first: int,
                       found: tuple[int | None, bool]) -> tuple[int | None, bool]:
    """The headline the page repeats, else ``found`` (the one found by its position).

    A page prints its headline more than once: in the ``<title>``-like head line of a
    lynx dump ("#Site RSS Feed Site » Headline Comments Feed"), a breadcrumb ("Home /
    Headline"), a share or e-mail line. A line that occurs, as written (case and all),
    inside a longer line of the page that is not body is repeated (inside a body line
    it is a phrase of the text, or a caption of a gallery). When ``found`` is not, the
    headline is the first repeated candidate (see :func:`_title_candidate`) among the
    first 4 lines from the body's first kept line ``first`` down, else the nearest of
    the 11 above it.

    Examples:
        >>> lines = parse_lines("Home / Rain returns to the valley\\n\\nBy Jane Doe\\n\\nRain returns to the valley\\n\\n"
        ...                     "The first rain in months fell on the valley on Tuesday, farmers said.")
        >>> _repeated_headline(lines, [False, False, True, True], 2, (None, False))
        (2, True)
    """
    chrome = "\n".join(compress(lines.content, map(not_, kept)))  # the lines that are not body

    def repeated(i: int) -> bool:  # an occurrence in a line of ``chrome`` that is not a copy of the line
        content = lines.content[i]
        at = chrome.find(content)
        while at >= 0:
            end = at + len(content)
            if (at and chrome[at - 1] != "\n") or (end < len(chrome) and chrome[end] != "\n"):
                return True
            at = chrome.find(content, at + 1)
        return False

    if found[0] is not None and repeated(found[0]):
        return found
    near = (*range(first, min(first + 4, len(kept))), *range(first - 1, max(first - 12, -1), -1))
    at = next((i for i in near if _title_candidate(lines, i) and repeated(i)), None)
    return found if at is None else (at, bool(kept[at]))


def _drop_reason(lines: Lines, i: int, before_body: bool, after_body: bool, template: bool) -> str:
    code = lines.category[i]
    if lines.binary[i]:
        return "binary"
    if template:
        return "template"
    if code:
        return CATEGORIES[code]
    if lines.words[i] <= 40 and _CAPTION_RE.search(lines.content[i]) is not None:
        return "caption"
    if lines.bullet[i] or lines.words[i] <= 3:
        return "menu"
    if before_body:
        return "header"
    if after_body:
        return "footer"
    return "boilerplate"


def _drop_comments(lines: Lines, kept: list[bool]) -> set[int]:
    """Drop a readers' comment section after the body (see _COMMENT_HEAD_RE)."""
    if True not in kept:
        return set()
    first = kept.index(True)
    # Only lines of <= _COMMENT_HEAD_MAX_WORDS words can be a heading, and only those whose
    # lowercased text holds a heading key: these are found in the short lines lowercased
    # as one text (str.lower maps each line as it maps the lines joined by "\n").
    short = map(_COMMENT_HEAD_MAX_WORDS.__ge__, lines.words[first + 1:])
    candidates = list(compress(range(first + 1, len(kept)), short))
    joined = "\n".join([lines.content[c] for c in candidates]).lower()
    keyed: set[int] = set()
    for key in _COMMENT_HEAD_KEYS:
        at = joined.find(key)
        while at >= 0:
            keyed.add(joined.count("\n", 0, at))
            at = joined.find("\n", at)
            at = joined.find(key, at) if at >= 0 else -1
    for c in sorted(candidates[k] for k in keyed):
        if _COMMENT_HEAD_RE.match(lines.content[c].lower()) is None:
            continue
        window = range(c + 1, min(c + 1 + _COMMENT_WINDOW, len(kept)))
        meta = (j for j in window if lines.words[j] <= 12 and _comment_meta(lines.content[j].lower()))
        if next(islice(meta, 1, None), None) is not None:  # >= 2 meta lines (the search stops at the second)
            dropped = {j for j in range(c, len(kept)) if kept[j]}
            for j in dropped:
                kept[j] = False
            return dropped
    return set()


def _comment_meta(low: str) -> bool:
    """Whether a lowercased line is a comment's meta line (see _COMMENT_META_RE).

    Examples:
        >>> _comment_meta("jane says:"), _comment_meta("reply"), _comment_meta("the vote passed")
        (True, True, False)
    """
    return any(map(low.__contains__, _COMMENT_META_KEYS)) and _COMMENT_META_RE.search(low) is not None


def _drop_ticker_blocks(lines: Lines, kept: list[bool], prose: list[bool]) -> set[int]:
    """Drop the lines that follow a ticker marker without a blank line between."""
    dropped: set[int] = set()
    if _TICKER not in lines.category:
        return dropped
    for i, code in enumerate(lines.category):
        if code != _TICKER or lines.words[i] > _HARD_MAX_WORDS:
            continue
        end = min(len(kept) - 1, i + _MAX_TICKER_BLOCK)
        closed = any(lines.blank_after[k] for k in range(i, end))
        j = i
        while j + 1 < len(kept) and not lines.blank_after[j] and j - i < _MAX_TICKER_BLOCK:
            j += 1
            # A dump without blank lines (text copied from a browser) gives the block no
            # end: there the first long prose line is taken as the start of the body
            # (ticker items are headlines, rarely 20 words or more).
            if not closed and lines.words[j] >= _TICKER_ITEM_MAX_WORDS and prose[j]:
                break
            kept[j] = False
            dropped.add(j)
    return dropped


def _prose_lines(lines: Lines) -> list[bool]:
    """Which lines read like prose: >= 10 words, a sentence end, >= 15% stopwords, no bullet or pattern."""
    return [
        words >= _GROW_MIN_WORDS and end and not bullet and code == 0 and not binary
        and stop >= _GROW_MIN_STOP * words
        for words, end, bullet, code, binary, stop in zip(
            lines.words, lines.end_punct, lines.bullet, lines.category, lines.binary, lines.stop, strict=True)
    ]


def _grow_body(lines: Lines, kept: list[bool], prob: Array, excluded: set[int], prose: list[bool]) -> None:
    """Keep prose lines next to the body that the model left just below its threshold.

    The body is one region of alike lines; its first paragraph (right after a byline)
    or last one (right before a share bar) is where the classifier doubts most.
    """
    # The growable lines (prose, not excluded, p >= _GROW_FLOOR) not kept: a loop visits
    # only them (the others never change), in the same order.
    probs = prob.tolist()
    grow = [i for i in compress(range(len(kept)), prose)
            if not kept[i] and i not in excluded and probs[i] >= _GROW_FLOOR]
    # One sweep down, one up: each grows a run of growable lines from a kept end (linear).
    for i in grow:
        if i and not kept[i] and kept[i - 1] and lines.indent[i - 1] == lines.indent[i]:
            kept[i] = True
    for i in reversed(grow):
        if i < len(kept) - 1 and not kept[i] and kept[i + 1] and lines.indent[i + 1] == lines.indent[i]:
            kept[i] = True
    # A subheading: one short plain line with body on both sides belongs to the body.
    # Step i reads kept[i] and kept[i + 1] before any step changed them (a step changes
    # only its own line): only lines not kept before a kept one can change.
    for i in [i for i in compress(range(1, len(kept) - 1), kept[2:]) if not kept[i]]:
        if (
            kept[i - 1] and i not in excluded
            and lines.words[i] <= _SUBHEADING_MAX_WORDS and lines.category[i] == 0
            and not lines.bullet[i] and not lines.binary[i] and lines.content[i]
        ):
            kept[i] = True


def _chrome_free(lines: Lines) -> bool:
    """Plain text with nothing of a page about it: keep it whole, let the title be found.

    A wire story, an e-mail, a pasted article or a table of figures has no bullets, no
    line that matches a chrome pattern (menu, ticker, teaser, share, footer, cookie,
    form; a byline or a date is not chrome), a sentence end or a figure somewhere, and
    is mostly text: >= 60% of its words in lines of >= 4 words or lines with figures
    (``Shr 1.20 dlrs vs 1.05``, ``Pay April 17``); the model, trained on whole pages, would
    take such a short text for a page header. Pages with chrome almost always show a
    bullet or a pattern, so they rarely take this path.
    """
    n = len(lines)
    if n == 0 or n > _CHROME_FREE_MAX_LINES or any(lines.bullet) or any(lines.binary):
        return False
    if any(code in _CHROME_CODES for code in lines.category):
        return False
    # (a figure is looked for in the lines joined, \d never matching the "\n", and then
    # only in the short lines, where it counts)
    if not any(lines.end_punct) and _DIGIT_RE.search("\n".join(lines.content)) is None:
        return False  # a list of headlines or labels, not a text
    text = sum(words for words, content in zip(lines.words, lines.content, strict=True)
               if words >= _CHROME_FREE_MIN_WORDS or _DIGIT_RE.search(content) is not None)
    return text * 10 >= sum(lines.words) * 6


def _chrome_free_keep(lines: Lines) -> Array:
    """Lines kept of a chrome-free text: those of >= 4 words, with a figure or a sentence end.

    A line of one to three words without either is a label or a signature ("Story",
    "Reuter"); a short line with one is a table row ("Pay April 17", "Loss 739,146") or
    the end of a sentence broken by hand ("stock.").
    """
    return np.fromiter(
        (w >= _CHROME_FREE_MIN_WORDS or end or _DIGIT_RE.search(c) is not None
         for w, c, end in zip(lines.words, lines.content, lines.end_punct, strict=True)),
        dtype=np.float64, count=len(lines))


def _wire_title(lines: Lines) -> int | None:
    """The headline of a chrome-free text: its first line, set off by a blank line.

    Wire copy and most plain texts open with the headline on a line of its own (often
    in capitals, with a ticker or a date: ``ACME CORP <ACM> 2ND QTR NET``).
    """
    if len(lines) < 2 or not lines.blank_after[0] or lines.bullet[0]:
        return None
    content = lines.content[0]
    if not 2 <= lines.words[0] <= 25 or content[-1] in _HEADLINE_END_BAD or content[0].islower():
        return None
    return 0


#: What :func:`_judge` found for one text: lines, prose flags, body probabilities, whether
#: the model gave them, the wire title.
Judged = tuple[Lines, list[bool], Array, bool, "int | None"]


def _judge(text: str, config: StripConfig, memo: dict[str, Row] | None, table: LineTable | None = None,
           reuse: tuple[Lines, list[int]] | None = None) -> Judged:
    """Measure the lines of ``text`` and score them: everything of a pass before the rules.

    It does not depend on the template lines (the model never sees them; they are
    dropped by rule afterwards), so both strips of a page in ``strip_many`` share it.
    ``reuse``: the earlier pass's lines that ``text`` is made of (see :func:`parse_lines`).
    """
    lines = parse_lines(text, join_wrapped=config.join_wrapped, memo=memo, line_table=table, reuse=reuse)
    model = config.model or default_model()
    wire_title: int | None = None
    scored = False
    prose = _prose_lines(lines)
    if all(prose):
        # Nothing but prose (a clean article, or what strip returned): keep it all. The
        # model knows pages with chrome; a lone paragraph gives it no context to judge.
        prob = np.ones(len(lines))
    elif _chrome_free(lines):
        # Plain text without chrome: keep it whole, tables included.
        # A text set line by line (wire copy, tables: not every line a paragraph of its
        # own, as in strip's output) has its headline on the first line.
        laid_out = not all(lines.blank_after)
        prob = _chrome_free_keep(lines)
        wire_title = _wire_title(lines) if laid_out and config.find_title else None
    else:
        # Template lines are dropped by rule below; the model never saw them in training.
        prob = model.score(line_features(lines))  # both passes (model.context: the second)
        scored = True
    return lines, prose, prob, scored, wire_title


def _decide(text: str, config: StripConfig, template: frozenset[int] | None,
            explain: bool = True, memo: dict[str, Row] | None = None,
            judged: dict[tuple[str, StripConfig, int], Judged] | None = None,
            table: LineTable | None = None, reuse: tuple[Lines, list[int]] | None = None) -> _Pass:
    """One pass of strip over ``text``; ``judged`` keeps :func:`_judge`'s results by text."""
    if judged is None:
        lines, prose, prob, scored, wire_title = _judge(text, config, memo, table, reuse)
    else:
        key = (text, config, id(config.model))
        found = judged.get(key)
        if found is None:
            found = judged[key] = _judge(text, config, memo, table, reuse)
        lines, prose, prob, scored, wire_title = found
    model = config.model or default_model()
    flags = np.zeros(len(lines))
    if template:
        flags[[i for i, no in enumerate(lines.line_no) if no in template]] = 1.0
    threshold = model.threshold if config.threshold is None else config.threshold
    kept = (prob >= threshold).tolist()
    ticker_items, comments = _apply_rules(lines, kept, prob, flags, prose)
    _fill_body(lines, kept, flags, ticker_items, config.fill_gap, min(comments, default=len(kept)))
    _keep_long_lines(lines, kept, flags, config.page_share, prose, min(comments, default=len(kept)))
    title: int | None = wire_title
    title_was_kept = wire_title is not None and bool(kept[wire_title])
    if wire_title is None and config.find_title:
        title, title_was_kept = _find_title(lines, kept)
    if title is not None and title_was_kept:
        kept[title] = False
    if not explain:  # reasons are for explanations only; skip their cost
        return _Pass(lines, tuple(kept), ("",) * len(kept), title)
    kept_idx = [i for i, k in enumerate(kept) if k]
    first = kept_idx[0] if kept_idx else len(kept)
    last = kept_idx[-1] if kept_idx else -1
    reasons = tuple(
        "body" if k else "title" if i == title else "ticker" if i in ticker_items
        else "comments" if i in comments else _drop_reason(lines, i, i < first, i > last, bool(flags[i]))
        for i, k in enumerate(kept)
    )
    return _Pass(lines, tuple(kept), reasons, title, tuple(prob.tolist()) if scored else ())


def _fill_body(lines: Lines, kept: list[bool], flags: Array, excluded: set[int], gap: int, end: int) -> None:
    """Keep the content lines inside the main run of body lines that the model left out.

    The body is one region, but the model, trained on news pages, doubts the lines in
    it that do not read like a news paragraph: the rows of a table, the items of a list,
    a short paragraph between two long ones. The kept lines before ``end`` (where a
    readers' comment section starts) are split into runs wherever more than ``gap``
    dropped lines lie between two kept ones; inside the run with the most body words,
    every line of >= 5 words that matches no chrome pattern (menu, ticker, teaser,
    share, cookie, footer, form), does not repeat an earlier line (the headline again
    in a share bar), is not binary, not a template line, not an image credit and not
    in a ticker block (``excluded``) is kept. Stray kept lines far from
    the body (a teaser the model liked) do not widen the run. ``gap`` was chosen
    leave-one-dataset-out (README, section strip).

    Examples:
        >>> lines = parse_lines("Body one two three four five six seven.\\n\\nBasic plan 3,000 dollars a month\\n\\n"
        ...                     "Body eight nine ten eleven twelve thirteen.")
        >>> kept = [True, False, True]
        >>> _fill_body(lines, kept, np.zeros(3), set(), 10, 3)
        >>> kept
        [True, True, True]
    """
    if gap <= 0:
        return
    idx = [i for i in range(end) if kept[i]]
    if len(idx) < 2:
        return
    best_words, best = -1, (0, 0)
    start = prev = idx[0]
    words = lines.words[start]
    for i in idx[1:]:
        if i - prev - 1 > gap:
            if words > best_words:
                best_words, best = words, (start, prev)
            start, words = i, 0
        words += lines.words[i]
        prev = i
    if words > best_words:
        best = (start, prev)
    for i in range(best[0] + 1, best[1]):
        if (
            not kept[i] and lines.words[i] >= _FILL_MIN_WORDS and lines.category[i] not in _CHROME_CODES
            and not lines.duplicate[i] and not lines.binary[i] and not flags[i] and i not in excluded
            and not _is_caption(lines, i)
        ):
            kept[i] = True


def _is_caption(lines: Lines, i: int) -> bool:
    """An image caption or credit line (see _CAPTION_RE)."""
    content = lines.content[i]
    return lines.words[i] <= 40 and (
        content.endswith(")") or content[:8].lower().startswith(_CAPTION_STARTS)
    ) and _CAPTION_RE.search(content) is not None


def _keep_long_lines(lines: Lines, kept: list[bool], flags: Array, share: float, prose: list[bool],
                     comments_from: int | None = None) -> None:
    """When the body found is small beside the page's prose, keep every long line too.

    The line model knows article pages: one dense body among chrome. On a forum thread,
    a listing, a product or service page the content is many separate items, and the
    model keeps only a few of them (or nothing). Such a page shows itself by its prose:
    most of the page's sentence-like lines are outside the body found. Then every line
    of >= 10 words (not binary, not a template line) is kept as well, so strip does not
    fall below the simple "lines of >= 10 words" rule there. ``share`` was chosen on
    the three DEV sets (README, section strip: the sweep and its leave-one-out check).
    A readers' comment section found by :func:`_drop_comments` (its lines from
    ``comments_from`` on) is neither counted as the page's prose nor kept: it is what the
    page has besides its article.
    """
    if share <= 0.0:
        return
    end = len(kept) if comments_from is None else comments_from
    prose_words = sum(compress(lines.words[:end], prose[:end]))
    body = sum(compress(lines.words, kept))
    if not prose_words or body >= share * prose_words:
        return
    for i in range(end):
        if lines.words[i] >= _GROW_MIN_WORDS and not lines.binary[i] and not flags[i]:
            kept[i] = True


def _apply_rules(lines: Lines, kept: list[bool], prob: Array, flags: Array,
                 prose: list[bool]) -> tuple[set[int], set[int]]:
    """The unambiguous rules after the model; returns the ticker items and comment lines dropped."""
    # Only lines with a pattern category, a template flag, binary or no content can be
    # dropped here (the tests below are all false on the others).
    n = len(kept)
    maybe = {*compress(range(n), lines.category), *compress(range(n), lines.binary),
             *compress(range(n), map(not_, lines.content)), *np.flatnonzero(flags).tolist()}
    for i in maybe:
        code, words, content, binary, template = (
            lines.category[i], lines.words[i], lines.content[i], lines.binary[i], flags[i])
        if (code in _HARD_CODES and words <= _HARD_MAX_WORDS) or template:
            kept[i] = False
        elif code == _COOKIE and _COOKIE_CONTEXT_RE.search(content.lower()):
            kept[i] = False
        elif not content or binary:
            kept[i] = False
    ticker_items = _drop_ticker_blocks(lines, kept, prose)
    _grow_body(lines, kept, prob, ticker_items | set(np.flatnonzero(flags).tolist()), prose)
    comments = _drop_comments(lines, kept)
    for i in [i for i in compress(range(len(kept)), kept) if _is_caption(lines, i)]:  # a step changes its own line only
        kept[i] = False
    return ticker_items, comments


def _paragraphs(passed: _Pass, config: StripConfig) -> list[tuple[str, tuple[int, ...]]]:
    """Kept lines as paragraphs, each with the input line numbers it came from."""
    lines = passed.lines
    texts = list(compress(lines.content, passed.kept))
    if config.remove_inline:
        for k, text in enumerate(texts):
            if _last_word(text).lower().strip(":.!") in _INLINE_LAST:
                texts[k] = _cut_inline(text)
    if lines.last_line_no is lines.line_no:  # no line was joined: each came from one input line
        origins: list[tuple[int, ...]] = list(zip(compress(lines.line_no, passed.kept)))
    else:
        origins = [tuple(range(first, last + 1)) for first, last in
                   compress(zip(lines.line_no, lines.last_line_no, strict=True), passed.kept)]
    return list(zip(texts, origins, strict=True))


def _last_word(text: str) -> str:
    """``text.rsplit(None, 1)[-1]`` without copying the rest of ``text`` (a line's words are
    most often set apart by single spaces: then the last word is what follows the last one).

    Examples:
        >>> _last_word("It rained. Share"), _last_word("Share"), _last_word("a\tb "), _last_word("a b\u00a0c")
        ('Share', 'Share', 'b', 'c')
    """
    last = text[text.rfind(" ") + 1:]
    if last and last.split() == [last]:  # no whitespace after the last space: that is the last word
        return last
    return text.rsplit(None, 1)[-1]


def _cut_inline(text: str) -> str:
    """``_INLINE_RE.sub("", text)``, the pattern tried only on the end of ``text`` that a match can span.

    A match starts at a run of whitespace after a sentence end and runs to the end of the
    text over a phrase of at most 3 words and an optional ``:.!`` (at most 4 words), so
    it starts at one of the last 4 runs of whitespace: the text before the 4th-last run
    is kept as it is, its last character given to the pattern for the look-behind.

    Examples:
        >>> _cut_inline("The vote passed on Tuesday after a long debate. Share this"), _cut_inline("Done. Share")
        ('The vote passed on Tuesday after a long debate.', 'Done.')
    """
    parts = text.rsplit(None, 4)
    if len(parts) < 5:
        return _INLINE_RE.sub("", text)
    cut = len(parts[0]) - 1  # the last character before the 4th-last run of whitespace
    return text[:cut] + _INLINE_RE.sub("", text[cut:])


def _decisions(text: str, passed: _Pass, dropped_later: dict[int, str]) -> tuple[LineDecision, ...]:
    lines = passed.lines
    by_line = {no: i for i, (first, last) in enumerate(zip(lines.line_no, lines.last_line_no, strict=True))
               for no in range(first, last + 1)}
    out: list[LineDecision] = []
    for no, raw in enumerate(split_raw_lines(text)):
        i = by_line.get(no)
        shown = " ".join(raw.split())
        if i is None:
            out.append(LineDecision(no + 1, shown, False, "blank"))
        elif no in dropped_later:
            out.append(LineDecision(no + 1, shown, False, dropped_later[no], _score(passed, i)))
        else:
            out.append(LineDecision(no + 1, shown, passed.kept[i] or i == passed.title,
                                    passed.reasons[i], _score(passed, i)))
    return tuple(out)


def _score(passed: _Pass, i: int) -> float | None:
    return round(float(passed.scores[i]), 4) if passed.scores else None


def _settle(paragraphs: list[tuple[str, tuple[int, ...]]], config: StripConfig,
            dropped_later: dict[int, str], explain: bool, memo: dict[str, Row] | None = None,
            judged: dict[tuple[str, StripConfig, int], Judged] | None = None,
            passed: _Pass | None = None) -> list[tuple[str, tuple[int, ...]]]:
    """Re-strip the result until it is a fixed point (so strip is idempotent).

    ``passed`` is the pass that gave ``paragraphs`` (its kept lines, in order): each
    re-strip takes the measurements of the lines it is made of from the pass before
    (``reuse`` of :func:`parse_lines`; the same measurements, not measured again).
    """
    for _ in range(_MAX_ROUNDS):
        reuse = None if passed is None else (passed.lines, list(compress(range(len(passed.kept)), passed.kept)))
        again = _decide("\n\n".join(p for p, _ in paragraphs), config, None, explain, memo, judged, reuse=reuse)
        passed = again
        # Each paragraph is one line of the re-stripped text, at line 2 * index.
        index = {no // 2: i for i, no in enumerate(again.lines.line_no)}
        changed = False
        survivors: list[tuple[str, tuple[int, ...]]] = []
        redo = _paragraphs(again, config)
        texts = iter(redo)
        for k, (para, origin) in enumerate(paragraphs):
            i = index.get(k)
            if i is not None and again.kept[i]:
                new_text = next(texts)[0]
                changed |= new_text != para
                survivors.append((new_text, origin))
            else:
                changed = True
                for no in origin:
                    dropped_later[no] = again.reasons[i] if i is not None else "blank"
        paragraphs = survivors
        if not changed:
            break
    return paragraphs


def _body_words(paragraphs: list[tuple[str, tuple[int, ...]]], enough: int) -> int:
    """Words of the paragraphs (CJK: 2 characters a word), counted until there are ``enough``.

    Examples:
        >>> _body_words([("one two", (0,)), ("three", (2,))], 10), _body_words([("a b c", (0,))] * 9, 5)
        (3, 6)
    """
    words = 0
    for p, _ in paragraphs:
        # (an ASCII paragraph holds no CJK character: skip the regex there)
        words += len(p.split()) if p.isascii() else max(len(p.split()), _cjk_words(p))
        if words >= enough:
            break
    return words


@dataclass(frozen=True, slots=True)
class Stripped:
    """The article :func:`strip_body` found, before its language is detected.

    :func:`with_languages` makes these articles: one call of the language model after
    another over many pages, which keeps the model in the processor's cache (between two
    strips it is not: a detection costs about 3x as much there).
    """

    body: tuple[str, ...]
    title: str | None
    decisions: tuple[LineDecision, ...]

    def words(self) -> int:
        """Words of the article's text (as ``len(article.text.split())``)."""
        return sum(len(p.split()) for p in self.body)

    def article(self, language: str | None) -> Article:
        """The :class:`~newsclean.Article`, in ``language``."""
        return Article.from_paragraphs(self.body, title=self.title, source="text", method="lines",
                                       decisions=self.decisions, language=language)

    def language(self) -> str | None:
        """The language of the article's text (:func:`newsclean.language.article_language`)."""
        return article_language("\n".join(self.body))


def with_languages(found: Sequence[Article | Stripped]) -> list[Article]:
    """Articles of :func:`strip_body`'s results, the languages detected one after another.

    Examples:
        >>> with_languages([strip_body("")])[0].status
        'empty_input'
    """
    languages = [f.language() if isinstance(f, Stripped) else None for f in found]
    return [f.article(language) if isinstance(f, Stripped) else f
            for f, language in zip(found, languages, strict=True)]


def strip_text(text: object, *, explain: bool = False, config: StripConfig | None = None,
               template: frozenset[int] | None = None, memo: dict[str, Row] | None = None,
               judged: dict[tuple[str, StripConfig, int], Judged] | None = None) -> Article:
    """Implementation of :func:`newsclean.strip` (``template``: input line numbers to drop).

    ``memo`` (line content -> measurements) and ``judged`` (text of a pass -> its lines
    and scores, see :func:`_judge`) may be shared by calls on the same text with the
    same config (``strip_many`` strips a page with and without its template lines).
    """
    found = strip_body(text, explain=explain, config=config, template=template, memo=memo, judged=judged)
    return found.article(found.language()) if isinstance(found, Stripped) else found


def strip_body(text: object, *, explain: bool = False, config: StripConfig | None = None,
               template: frozenset[int] | None = None, memo: dict[str, Row] | None = None,
               judged: dict[tuple[str, StripConfig, int], Judged] | None = None) -> Article | Stripped:
    """:func:`strip_text` but for the language: the article found, else the empty :class:`Article`."""
    if not isinstance(text, str):
        msg = f"strip() takes the page dump as str, got {type(text).__name__}; decode bytes first"
        raise InputError(msg)
    config = config_of(config, StripConfig, "strip()")
    text = text[: config.max_chars]
    if not text.strip():
        return Article.empty("empty_input", "the input is empty or only whitespace",
                             source="text", method="lines")
    # table columns side by side -> one after another (and the text's line table, measured on the way)
    text, template, table = reflow_columns_measured(text, template)
    memo = {} if memo is None else memo  # line measurements, shared by the passes
    passed = _decide(text, config, template, explain, memo, judged, table)
    dropped_later: dict[int, str] = {}
    paragraphs = _settle(_paragraphs(passed, config), config, dropped_later, explain, memo, judged, passed)
    title = passed.lines.content[passed.title] if passed.title is not None else None
    decisions = _decisions(text, passed, dropped_later) if explain else ()
    words = _body_words(paragraphs, config.min_words)
    if not paragraphs or words < config.min_words:
        return Article.empty(
            "no_content",
            f"no article body found: {words} body words (min_words={config.min_words}); "
            "the dump looks like navigation, teasers or other chrome only",
            title=title, source="text", method="lines", decisions=decisions,
        )
    return Stripped(tuple(p for p, _ in paragraphs), title, decisions)

