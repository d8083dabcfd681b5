"""Learn a site's template from many of its pages: lines that repeat are chrome.

A menu, a newsletter box or a legal footer is on every page of a site, an article's
sentences are on one. Counting, per site, on how many pages each line occurs (a hash
of the line, as CCNet does for paragraphs) finds template lines the single-page model
may miss: a long promotional sentence, a site-specific disclaimer, a teaser heading in
a language the phrase lists do not cover. The counts are bounded in memory (rare lines
are pruned first) and the pages stream through in windows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import xxhash

from ..errors import InputError, config_of
from ..types import Article
from .core import Judged, StripConfig, Stripped, strip_body, with_languages
from .lines import Row, split_raw_lines

__all__ = ["TemplateConfig", "TemplateLearner", "strip_many"]


@dataclass(frozen=True, slots=True)
class TemplateConfig:
    """When a line counts as template (defaults: a line on 3+ pages and 10%+ of its site's pages).

    Attributes:
        min_pages: a line must occur on at least this many pages of the site. Two
            pages can be copies of one story; three rarely are.
        min_fraction: and on at least this fraction of the site's pages seen so far.
        max_lines: bound on the number of counted (site, line) keys; above it the
            keys seen on one page only are pruned (memory stays bounded).
        max_removed: if template lines would remove more than this fraction of the
            words that the page alone keeps, the page is taken to be a copy of
            another page and template lines are not applied to it.

    Examples:
        >>> TemplateConfig(min_pages=1)
        Traceback (most recent call last):
        ...
        newsclean.errors.InputError: min_pages must be >= 2, got 1
    """

    min_pages: int = 3
    min_fraction: float = 0.1
    max_lines: int = 1_000_000
    max_removed: float = 0.9

    def __post_init__(self) -> None:
        if self.min_pages < 2:
            msg = f"min_pages must be >= 2, got {self.min_pages}"
            raise InputError(msg)
        if not 0.0 <= self.min_fraction <= 1.0 or not 0.0 <= self.max_removed <= 1.0:
            msg = "min_fraction and max_removed must be in [0, 1]"
            raise InputError(msg)
        if self.max_lines < 1:
            msg = f"max_lines must be >= 1, got {self.max_lines}"
            raise InputError(msg)


def _line_keys(text: str) -> list[int]:
    """One hash per input line (0 for blank lines), of its lowercased words."""
    keys = []
    for line in split_raw_lines(text):
        words = line.lower().split()
        keys.append((xxhash.xxh64_intdigest(" ".join(words).encode("utf-8", "surrogatepass")) | 1) if words else 0)
    return keys


class TemplateLearner:
    """Counts lines across pages per site; strips pages with that knowledge.

    Examples:
        >>> footer = "Sign up to the Example Daily briefing and get the best of our journalism every morning."
        >>> pages = [f"Park story\\n\\nThe council met on day {i} and agreed to a new plan for the park.\\n\\n{footer}"
        ...          for i in range(4)]
        >>> learner = TemplateLearner()
        >>> for page in pages:
        ...     learner.observe(page, site="example.com")
        >>> art = learner.strip(pages[0], site="example.com")
        >>> art.paragraphs
        ('The council met on day 0 and agreed to a new plan for the park.',)
    """

    def __init__(self, config: TemplateConfig | None = None) -> None:
        self.config = config_of(config, TemplateConfig, "TemplateLearner()")
        self._counts: dict[tuple[str, int], int] = {}
        self._pages: dict[str, int] = {}

    def observe(self, text: str, site: str = "") -> None:
        """Count the lines of one page of ``site``."""
        if not isinstance(text, str):
            msg = f"observe() takes a page dump as str, got {type(text).__name__}"
            raise InputError(msg)
        self._pages[site] = self._pages.get(site, 0) + 1
        counts = self._counts
        for key in set(_line_keys(text)) - {0}:
            counts[(site, key)] = counts.get((site, key), 0) + 1
        if len(counts) > self.config.max_lines:
            self._prune()

    def _prune(self) -> None:
        floor = 1
        while len(self._counts) > self.config.max_lines // 2:
            self._counts = {k: c for k, c in self._counts.items() if c > floor}
            floor += 1

    def template_lines(self, text: str, site: str = "") -> frozenset[int]:
        """0-based numbers of the lines of ``text`` that are template for ``site``."""
        pages = self._pages.get(site, 0)
        need = max(self.config.min_pages, self.config.min_fraction * pages)
        counts = self._counts
        return frozenset(
            no for no, key in enumerate(_line_keys(text))
            if key and counts.get((site, key), 0) >= need
        )

    def strip(self, text: str, site: str = "", *, explain: bool = False,
              config: StripConfig | None = None) -> Article:
        """Like :func:`newsclean.strip`, also dropping the site's template lines."""
        return with_languages([self.strip_body(text, site, explain=explain, config=config)])[0]

    def strip_body(self, text: str, site: str = "", *, explain: bool = False,
                   config: StripConfig | None = None) -> Article | Stripped:
        """:meth:`strip` but for the language (see :func:`~newsclean.stripping.core.with_languages`)."""
        template = self.template_lines(text, site) if isinstance(text, str) else frozenset()
        memo: dict[str, Row] = {}  # line measurements, shared by both strips of this page
        # and the lines and scores of each pass's text (they do not depend on the template)
        judged: dict[tuple[str, StripConfig, int], Judged] | None = {} if template else None
        alone = strip_body(text, explain=explain, config=config, memo=memo, judged=judged)
        if not template:
            return alone
        with_template = strip_body(text, explain=explain, config=config, template=template, memo=memo,
                                   judged=judged)
        words_alone = _words(alone)
        words_with = _words(with_template)
        if words_alone and words_with < (1.0 - self.config.max_removed) * words_alone:
            return alone
        return with_template


def _words(found: Article | Stripped) -> int:
    return found.words() if isinstance(found, Stripped) else len(found.text.split())


_END = object()


def strip_many(texts: Iterable[str], *, sites: Iterable[str] | None = None, window: int = 500,
               explain: bool = False, config: StripConfig | None = None,
               template: TemplateConfig | None = None) -> Iterator[Article]:
    """Strip many dumps, using what repeats across pages of the same site.

    The pages stream through in windows of ``window``: each window's pages are
    counted first (with all pages before them), then stripped (their languages
    detected after the last one's strip, one after another: faster), so memory holds
    one window of texts and their articles plus the bounded line counts. Results come
    out in input order, a window at a time.

    Args:
        texts: the page dumps.
        sites: the site of each page (e.g. the URL host), parallel to ``texts``;
            ``None`` treats all pages as one site.
        window: pages counted before they are stripped (>= 1).
        explain: as for :func:`newsclean.strip`; template lines get reason ``"template"``.
        config: options of the single-page stripping.
        template: when a line counts as template (:class:`TemplateConfig`).

    Yields:
        One :class:`~newsclean.Article` per page, in input order.

    Raises:
        InputError: at the call: ``texts`` or ``sites`` is a single ``str`` (not a list
            of them), ``window < 1``; while iterating: a text or site is not a ``str``
            (named by its position), or ``sites`` and ``texts`` differ in length (raised
            when the shorter one ends).

    Examples:
        >>> promo = "Support our journalism: become a member today and read without limits."
        >>> dumps = [f"Match report\\n\\nThe team won game {i} after a late goal in extra time.\\n\\n{promo}"
        ...          for i in range(5)]
        >>> [a.paragraphs for a in strip_many(dumps)][2]
        ('The team won game 2 after a late goal in extra time.',)
    """
    for name, items in (("texts", texts), ("sites", sites)):
        if isinstance(items, (str, bytes)):
            msg = (f"strip_many() takes {name} as an iterable of str, got a single "
                   f"{type(items).__name__}; wrap it in a list (newsclean.strip takes one page)")
            raise InputError(msg)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        msg = f"window must be an int >= 1, got {window!r}"
        raise InputError(msg)
    return _strip_windows(texts, sites, window, explain, config, TemplateLearner(template))


def _checked(batch: list[str], start: int, name: str) -> None:
    for i, item in enumerate(batch):
        if not isinstance(item, str):
            what = "a page dump" if name == "texts" else "a site name"
            msg = (f"strip_many(): {name}[{start + i}] is {type(item).__name__}, not str "
                   f"({what}; decode bytes first, replace a missing one by '')")
            raise InputError(msg)


def _strip_windows(texts: Iterable[str], sites: Iterable[str] | None, window: int,
                   explain: bool, config: StripConfig | None,
                   learner: TemplateLearner) -> Iterator[Article]:
    text_iter = iter(texts)
    site_iter = iter(sites) if sites is not None else None
    start = 0
    while True:
        batch = list(islice(text_iter, window))
        if not batch:
            if site_iter is not None and next(site_iter, _END) is not _END:
                msg = "sites has more items than texts: pass one site per text"
                raise InputError(msg)
            return
        if site_iter is None:
            batch_sites = [""] * len(batch)
        else:
            batch_sites = list(islice(site_iter, len(batch)))
            if len(batch_sites) != len(batch):
                msg = "sites has fewer items than texts: pass one site per text"
                raise InputError(msg)
            _checked(batch_sites, start, "sites")
        _checked(batch, start, "texts")
        start += len(batch)
        for text, site in zip(batch, batch_sites, strict=True):
            learner.observe(text, site)
        # the window's pages stripped, then their languages detected one after another
        yield from with_languages([learner.strip_body(text, site, explain=explain, config=config)
                                   for text, site in zip(batch, batch_sites, strict=True)])
