"""Frozen result types shared by the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Article", "LineDecision", "Status"]

#: Why an :class:`Article` has (or has no) text.
#:
#: - ``"ok"``: an article body was found.
#: - ``"empty_input"``: the input was empty or only whitespace.
#: - ``"not_html"``: :func:`newsclean.extract` got something that is not HTML
#:   (binary data, JSON, plain text without markup).
#: - ``"no_content"``: the page parsed but holds no article body (an index page,
#:   an error page, a page that is all navigation).
Status = Literal["ok", "empty_input", "not_html", "no_content"]


@dataclass(frozen=True, slots=True)
class LineDecision:
    """What :func:`newsclean.strip` decided for one line of a page dump.

    Attributes:
        line_no: 1-based line number in the input.
        text: the line as it was read (whitespace-normalized).
        kept: whether the line is part of the article body (or its title).
        reason: why, e.g. ``"body"``, ``"title"``, ``"menu"``, ``"ticker"``,
            ``"teaser"``, ``"share"``, ``"byline"``, ``"footer"``, ``"cookie"``.
        score: the line model's probability that the line is body text (the rules that
            follow the model may still overrule it; see ``reason``), or ``None`` for a blank
            line and for a page that was judged as a whole, without the model (plain text
            without any chrome).
    """

    line_no: int
    text: str
    kept: bool
    reason: str
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article, the result of :func:`newsclean.extract` and :func:`newsclean.strip`.

    An article is never ``None``: a page without an article gives an ``Article``
    whose ``status`` says why (see :data:`Status`) and whose ``text`` is empty.

    Attributes:
        text: the body, paragraphs joined by one blank line (``"\\n\\n"``); no headline.
        paragraphs: the body's paragraphs, in order.
        title: the headline, or ``None`` if none was found.
        author: byline author(s) as one string, or ``None``.
        date: publication date as ISO 8601 (``"2024-08-29"`` or with time), or ``None``.
        language: ISO 639-1 code (``"en"``) declared by the page or detected, or ``None``.
        url: the page URL given by the caller or declared by the page (canonical).
        site_name: the publisher's name, or ``None``.
        source: the kind of input: ``"html"`` or ``"text"`` (a plain-text dump).
        method: which method produced the body (e.g. ``"trafilatura"``,
            ``"json-ld"``, ``"readability"``, ``"lines"``).
        status: ``"ok"`` or why there is no body (see :data:`Status`).
        page_type: what kind of page the HTML is, by :func:`newsclean.extract`'s
            page-type classifier: ``"article"``, ``"forum"``, ``"listing"`` (listings and
            collections), ``"product"`` or ``"other"`` (service pages, documentation, ...);
            ``None`` when not classified (plain-text input, a page that did not parse).
        reason: a human-readable explanation when ``status != "ok"``.
        decisions: per-line decisions when :func:`newsclean.strip` is asked to explain.

    Examples:
        >>> art = Article.from_paragraphs(["First.", "Second."], title="Hi", source="text", method="lines")
        >>> art.text
        'First.\\n\\nSecond.'
        >>> art.ok, len(art.paragraphs)
        (True, 2)
    """

    text: str
    paragraphs: tuple[str, ...]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    url: str | None = None
    site_name: str | None = None
    source: Literal["html", "text"] = "html"
    method: str = ""
    status: Status = "ok"
    reason: str | None = None
    page_type: str | None = None
    decisions: tuple[LineDecision, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        """``True`` when a body was found (``status == "ok"``)."""
        return self.status == "ok"

    @classmethod
    def from_paragraphs(
        cls,
        paragraphs: tuple[str, ...] | list[str],
        **fields: object,
    ) -> Article:
        """Build an article from its paragraphs (``text`` is derived from them)."""
        paras = tuple(p for p in paragraphs if p.strip())
        return cls(text="\n\n".join(paras), paragraphs=paras, **fields)  # type: ignore[arg-type]

    @classmethod
    def empty(
        cls,
        status: Status,
        reason: str,
        **fields: object,
    ) -> Article:
        """An article without a body, saying why.

        Examples:
            >>> Article.empty("empty_input", "the input is empty").ok
            False
        """
        return cls(text="", paragraphs=(), status=status, reason=reason, **fields)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        """The article as a JSON-ready dict (``decisions`` left out)."""
        return {
            "title": self.title,
            "text": self.text,
            "author": self.author,
            "date": self.date,
            "language": self.language,
            "url": self.url,
            "site_name": self.site_name,
            "source": self.source,
            "method": self.method,
            "page_type": self.page_type,
            "status": self.status,
            "reason": self.reason,
        }
