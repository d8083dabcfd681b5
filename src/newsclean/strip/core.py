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

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..types import Article, LineDecision
from .features import line_features
from .lines import CATEGORIES, Lines, parse_lines
from .model import LineModel, default_model
from .patterns import EXACT

__all__ = ["StripConfig", "strip_text"]

Array = npt.NDArray[np.float64]

_CAT = {name: code for code, name in enumerate(CATEGORIES)}
#: Whole-line phrases that are chrome whatever the model says (when the line is short).
_HARD_CODES = frozenset(_CAT[c] for c in ("menu", "ticker", "teaser", "share"))
_HARD_MAX_WORDS = 4
_HEADLINE_END_BAD = frozenset(".,;:")
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
_MAX_ROUNDS = 20


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
    max_chars: int = 50_000_000
    model: LineModel | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            msg = f"threshold must be in [0, 1], got {self.threshold}"
            raise InputError(msg)
        if self.min_words < 0 or self.max_chars < 1:
            msg = f"min_words must be >= 0 and max_chars >= 1, got {self.min_words}, {self.max_chars}"
            raise InputError(msg)


@dataclass(frozen=True, slots=True)
class _Pass:
    lines: Lines
    kept: tuple[bool, ...]
    reasons: tuple[str, ...]
    title: int | None  # index into lines of the headline, if any


def _is_headline(lines: Lines, i: int) -> bool:
    words = lines.words[i]
    content = lines.content[i]
    return (
        3 <= words <= 25
        and not lines.bullet[i]
        and lines.category[i] == 0
        and content[-1] not in _HEADLINE_END_BAD
        and not content[0].islower()
    )


def _find_title(lines: Lines, kept: list[bool]) -> tuple[int | None, bool]:
    """The headline's index and whether it was a kept line (then taken out of the body)."""
    first = next((i for i, k in enumerate(kept) if k), None)
    if first is None:
        return None, False
    following = next((j for j in range(first + 1, len(kept)) if kept[j]), None)
    if _is_headline(lines, first) and following is not None and lines.words[following] >= 10:
        return first, True
    for i in range(first - 1, max(first - 12, -1), -1):
        if _is_headline(lines, i) and lines.words[i] >= 4:
            return i, False
    return None, False


def _drop_reason(lines: Lines, i: int, before_body: bool, after_body: bool, template: bool) -> str:
    code = lines.category[i]
    if code:
        return CATEGORIES[code]
    if template:
        return "template"
    if lines.bullet[i] or lines.words[i] <= 3:
        return "menu"
    if before_body:
        return "header"
    if after_body:
        return "footer"
    return "boilerplate"


def _decide(text: str, config: StripConfig, template: frozenset[int] | None) -> _Pass:
    lines = parse_lines(text)
    model = config.model or default_model()
    flags = np.zeros(len(lines))
    if template:
        flags[[i for i, no in enumerate(lines.line_no) if no in template]] = 1.0
    prob = model.predict(line_features(lines, flags))
    threshold = model.threshold if config.threshold is None else config.threshold
    kept = (prob >= threshold).tolist()
    for i, code in enumerate(lines.category):
        if (code in _HARD_CODES and lines.words[i] <= _HARD_MAX_WORDS) or flags[i]:
            kept[i] = False
        elif not lines.content[i]:
            kept[i] = False
    title, title_was_kept = _find_title(lines, kept) if config.find_title else (None, False)
    if title is not None and title_was_kept:
        kept[title] = False
    kept_idx = [i for i, k in enumerate(kept) if k]
    first = kept_idx[0] if kept_idx else len(kept)
    last = kept_idx[-1] if kept_idx else -1
    reasons = tuple(
        "body" if k else "title" if i == title
        else _drop_reason(lines, i, i < first, i > last, bool(flags[i]))
        for i, k in enumerate(kept)
    )
    return _Pass(lines, tuple(kept), reasons, title)


def _wrapped(lines: Lines, i: int, width: int) -> bool:
    """Whether kept line ``i`` was wrapped by the renderer (continues on the next line)."""
    return (
        not lines.blank_after[i]
        and not lines.end_punct[i]
        and lines.chars[i] >= 0.75 * width
        and lines.chars[i] >= 40
    )


def _paragraphs(passed: _Pass, config: StripConfig) -> list[tuple[str, tuple[int, ...]]]:
    """Kept lines as paragraphs, each with the input line numbers it came from."""
    lines = passed.lines
    kept = [i for i, k in enumerate(passed.kept) if k]
    width = max((lines.chars[i] for i in kept), default=0)
    out: list[tuple[str, tuple[int, ...]]] = []
    parts: list[int] = []
    for pos, i in enumerate(kept):
        parts.append(i)
        nxt = kept[pos + 1] if pos + 1 < len(kept) else None
        joined = (
            config.join_wrapped and nxt is not None and nxt == i + 1
            and lines.line_no[nxt] == lines.line_no[i] + 1 and _wrapped(lines, i, width)
        )
        if not joined:
            text = " ".join(lines.content[j] for j in parts)
            if config.remove_inline:
                text = _INLINE_RE.sub("", text)
            out.append((text, tuple(lines.line_no[j] for j in parts)))
            parts = []
    return out


def _decisions(text: str, passed: _Pass, dropped_later: dict[int, str]) -> tuple[LineDecision, ...]:
    lines = passed.lines
    by_line = {no: i for i, no in enumerate(lines.line_no)}
    out: list[LineDecision] = []
    for no, raw in enumerate(text.split("\n")):
        i = by_line.get(no)
        if i is None:
            out.append(LineDecision(no + 1, " ".join(raw.split()), False, "blank"))
        elif no in dropped_later:
            out.append(LineDecision(no + 1, lines.text[i], False, dropped_later[no]))
        else:
            out.append(LineDecision(no + 1, lines.text[i], passed.kept[i] or i == passed.title,
                                    passed.reasons[i]))
    return tuple(out)


def _settle(paragraphs: list[tuple[str, tuple[int, ...]]], config: StripConfig,
            dropped_later: dict[int, str]) -> list[tuple[str, tuple[int, ...]]]:
    """Re-strip the result until it is a fixed point (so strip is idempotent)."""
    for _ in range(_MAX_ROUNDS):
        again = _decide("\n\n".join(p for p, _ in paragraphs), config, None)
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


def strip_text(text: object, *, explain: bool = False, config: StripConfig | None = None,
               template: frozenset[int] | None = None) -> Article:
    """Implementation of :func:`newsclean.strip` (``template``: input line numbers to drop)."""
    if not isinstance(text, str):
        msg = f"strip() takes the page dump as str, got {type(text).__name__}; decode bytes first"
        raise InputError(msg)
    config = config or StripConfig()
    text = text[: config.max_chars]
    if not text.strip():
        return Article.empty("empty_input", "the input is empty or only whitespace",
                             source="text", method="lines")
    passed = _decide(text, config, template)
    dropped_later: dict[int, str] = {}
    paragraphs = _settle(_paragraphs(passed, config), config, dropped_later)
    title = passed.lines.content[passed.title] if passed.title is not None else None
    decisions = _decisions(text, passed, dropped_later) if explain else ()
    words = sum(len(p.split()) for p, _ in paragraphs)
    if not paragraphs or words < config.min_words:
        return Article.empty(
            "no_content",
            f"no article body found: {words} body words (min_words={config.min_words}); "
            "the dump looks like navigation, teasers or other chrome only",
            title=title, source="text", method="lines", decisions=decisions,
        )
    return Article.from_paragraphs([p for p, _ in paragraphs], title=title, source="text",
                                   method="lines", decisions=decisions)


def kept_lines(article: Article) -> Sequence[LineDecision]:
    """The kept decisions of an explained article, in order (helper for tests)."""
    return [d for d in article.decisions if d.kept]
