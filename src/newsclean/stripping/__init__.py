"""Strip site chrome (menus, tickers, teasers, share bars, footers) from page dumps.

Public entry points: :func:`strip` for one dump, :func:`strip_many` and
:class:`TemplateLearner` for many pages of the same sites, :class:`StripConfig`.
"""

from __future__ import annotations

from ..types import Article
from .core import StripConfig, strip_text
from .template import TemplateConfig, TemplateLearner, strip_many

__all__ = ["StripConfig", "TemplateConfig", "TemplateLearner", "strip", "strip_many"]


def strip(text: str, *, explain: bool = False, config: StripConfig | None = None) -> Article:
    """Keep the article of a plain-text page dump, drop the site's chrome.

    The dump is the text of a whole rendered page (a browser copy, ``lynx -dump``,
    inscriptis, a crawler's text export). Each line is scored by a small classifier on
    its own features and its context (runs of short bulleted lines are menus, the body
    is the dense region of long punctuated lines, lines after "Most Read" are teasers),
    whole-line chrome phrases in several languages are dropped, the headline is found
    and kept apart, and trailing inline chrome ("... said. Share") is cut.

    Args:
        text: the whole dump. Lines may be wrapped or not; bullets may be
            ``•``/``◦``/``▪`` or lynx's ``*``/``+``/``o``.
        explain: also return one :class:`~newsclean.LineDecision` per input line
            (``Article.decisions``) saying whether it was kept and why: ``body``,
            ``title``, ``menu``, ``ticker``, ``teaser``, ``share``, ``byline``, ``date``,
            ``footer``, ``cookie``, ``form``, ``header``, ``boilerplate``, ``template``,
            ``binary`` (unprintable garbage), ``caption``, ``comments``, ``blank``.
        config: options (:class:`StripConfig`); defaults when ``None``.

    Returns:
        An :class:`~newsclean.Article` with ``source="text"``, ``method="lines"``. Empty
        input gives ``status="empty_input"``, a dump without a body (all menus) gives
        ``status="no_content"``; both with a ``reason`` and no exception.

    Raises:
        InputError: ``text`` is not a ``str``.

    Examples:
        >>> dump = "\\n".join([
        ...     "  • Home", "  • World", "  • Politics",
        ...     "BREAKING", "Storm closes schools across the region", "",
        ...     "Parliament approves the new budget",
        ...     "By Jane Doe", "12 March 2024 10:15",
        ...     "",
        ...     "The parliament approved the new budget on Tuesday after a long debate, "
        ...     "with a majority of members voting in favour of the plan.",
        ...     "",
        ...     "The government said that the money would go to schools and hospitals, "
        ...     "and that taxes would not rise this year. Share",
        ...     "", "Most Read", "  • Storm hits the coast", "  • Prices go up",
        ...     "© 2024 Daily Example. All rights reserved.",
        ... ])
        >>> art = strip(dump)
        >>> art.title
        'Parliament approves the new budget'
        >>> for p in art.paragraphs:
        ...     print(p[:60])
        The parliament approved the new budget on Tuesday after a lo
        The government said that the money would go to schools and h
        >>> art.paragraphs[-1].endswith("this year.")
        True
        >>> strip("").status
        'empty_input'
    """
    return strip_text(text, explain=explain, config=config)
