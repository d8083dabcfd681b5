"""Candidate article bodies, each from one method, as paragraph tuples.

The judge (:mod:`newsclean.extraction.judge`) compares them; here each method is only
run safely: on its own copy of the parsed tree, with every exception of the
underlying library turned into an empty candidate (a failing method is a result,
not a crash).

Methods:

- ``trafilatura`` variants (:data:`TRAFILATURA_VARIANTS`): trafilatura's own rules
  with comments left out, in its balanced, precision and fast modes.
- ``readability``: the readability algorithm (trafilatura's bundled fork of
  readability-lxml, so no extra dependency): scores blocks by text and link density
  and keeps the best one with its siblings; it fails differently from trafilatura,
  e.g. it does not stop at an ad slot in the middle of a story.
- ``paragraphs``: the text of the page's ``<p>`` elements, read with selectolax; the
  last resort when lxml could not build the tree (lxml stops at 256 levels of
  nesting, selectolax does not).
- ``json-ld``: the publisher's ``articleBody`` (see :mod:`newsclean.extraction.metadata`).
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from copy import copy, deepcopy
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

__all__ = [
    "Candidate",
    "TRAFILATURA_VARIANTS",
    "paragraph_candidate",
    "parse_tree",
    "readability_candidate",
    "text_candidate",
    "trafilatura_candidate",
]

#: trafilatura modes by candidate name: ``(favor_precision, fast)``. All leave comments
#: out: an article body never includes reader comments (trafilatura's default keeps
#: them, which costs it 0.8 points of F1 on the scrapinghub dev set). ``fast=True``
#: skips trafilatura's internal fallback (its own readability and jusText runs on a
#: backup tree, about 0.4x of its whole ``extract``): the precision candidate of the
#: vote runs without it, the vote's readability candidate being the second opinion
#: (``ExtractConfig.precision_fallback``); ``"trafilatura-precision-fallback"`` is the
#: same mode with the fallback, whose body still goes by ``"trafilatura-precision"``.
TRAFILATURA_VARIANTS: dict[str, tuple[bool, bool]] = {
    "trafilatura": (False, False),
    "trafilatura-precision": (True, True),
    "trafilatura-precision-fallback": (True, False),
    "trafilatura-fast": (False, True),
}
#: Candidate names that are reported under another name (the same method, another cost).
_REPORTED_AS = {"trafilatura-precision-fallback": "trafilatura-precision"}

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "tr", "dd", "dt", "figcaption", "br", "div", "section", "article", "table", "ul", "ol")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")

# lxml's HTML parser: no network, no DTD loading, entities not expanded beyond HTML's
# own, comments and processing instructions dropped (they are never article text).
_PARSER_OPTIONS = {
    "remove_comments": True,
    "remove_pis": True,
    "no_network": True,
    "collect_ids": False,
    "default_doctype": False,
    "huge_tree": False,
}

for _name in ("trafilatura", "readability", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass(frozen=True, slots=True)
class Candidate:
    """One method's article body.

    Attributes:
        name: the method, e.g. ``"trafilatura"``, ``"readability"``, ``"json-ld"``.
        paragraphs: the body's paragraphs (stripped, non-empty), in page order.
    """

    name: str
    paragraphs: tuple[str, ...]
    #: the lower-cased word counts of ``text``, filled in by the judge the first time it
    #: compares this candidate (:func:`newsclean.extraction.judge.candidate_bag`)
    bag: Counter[str] | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def text(self) -> str:
        """The paragraphs joined by newlines."""
        return "\n".join(self.paragraphs)


def text_candidate(name: str, text: str | None) -> Candidate:
    """A candidate from text with one paragraph per line.

    Examples:
        >>> text_candidate("x", " One.\\n\\n Two. ").paragraphs
        ('One.', 'Two.')
    """
    if not text:
        return Candidate(name, ())
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return Candidate(name, tuple(line for line in lines if line))


def parse_tree(html: str) -> lxml.html.HtmlElement | None:
    """Parse HTML with lxml safely; ``None`` if lxml cannot build a tree.

    Examples:
        >>> parse_tree("<html><body><p>Hi</p></body></html>").findtext(".//p")
        'Hi'
    """
    parser = lxml.html.HTMLParser(**_PARSER_OPTIONS)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError, TypeError, etree.LxmlError):
        return None
    return root if isinstance(root, lxml.html.HtmlElement) else None


@functools.cache
def _template(name: str) -> Any:
    """trafilatura's options (an ``Extractor``) of one variant, without a URL: built once, as
    ``trafilatura.extract`` builds them on every call (about 0.3 ms of config look-ups)."""
    from trafilatura.settings import Extractor

    precision, fast = TRAFILATURA_VARIANTS[name]
    return Extractor(output_format="txt", comments=False, tables=True, precision=precision, fast=fast)


def trafilatura_options(name: str, url: str | None = None) -> Any:
    """The options ``trafilatura.extract(url=url, output_format="txt", include_comments=False,
    include_tables=True, favor_precision=..., fast=...)`` builds for variant ``name``: a copy
    of the variant's template with the URL set as ``Extractor`` sets it (``url``, and
    ``source`` from it); trafilatura copies options before it changes any.

    Examples:
        >>> trafilatura_options("trafilatura-precision", "https://example.com/a").focus
        'precision'
    """
    options = copy(_template(name))
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    return options


def trafilatura_candidate(
    tree: lxml.html.HtmlElement, name: str, url: str | None = None
) -> Candidate:
    """Run one trafilatura variant of :data:`TRAFILATURA_VARIANTS` on a copy of ``tree``."""
    import trafilatura

    try:
        text = trafilatura.extract(tree, options=trafilatura_options(name, url))
    except Exception:  # noqa: BLE001 - any failure inside the library is an empty candidate
        text = None
    return text_candidate(_REPORTED_AS.get(name, name), text)


def _block_text(root: lxml.html.HtmlElement) -> str:
    """Text of an element with a line break around each block element."""
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    return str(root.text_content())


def readability_candidate(tree: lxml.html.HtmlElement) -> Candidate:
    """Run the readability algorithm (trafilatura's fork) on a copy of ``tree``."""
    from trafilatura.readability_lxml import Document

    try:
        summary = Document(deepcopy(tree), min_text_length=25).summary()
        parser = lxml.html.HTMLParser(**_PARSER_OPTIONS)
        root = lxml.html.fragment_fromstring(summary, create_parent="div", parser=parser)
        text = _block_text(root)
    except Exception:  # noqa: BLE001 - any failure inside the library is an empty candidate
        text = ""
    return text_candidate("readability", text)


#: ``<p>`` elements with fewer words are left out of the ``paragraphs`` candidate.
MIN_PARAGRAPH_WORDS = 8
_WORD = re.compile(r"\w+")


def paragraph_candidate(page: LexborHTMLParser, max_chars: int = 0) -> Candidate:
    """The text of the page's ``<p>`` elements of at least :data:`MIN_PARAGRAPH_WORDS` words.

    At most ``max_chars`` characters are kept (``0``: no limit).

    Examples:
        >>> page = LexborHTMLParser("<div><p>Too short.</p><p>This paragraph is long enough to be kept here.</p></div>")
        >>> paragraph_candidate(page).paragraphs
        ('This paragraph is long enough to be kept here.',)
    """
    kept: list[str] = []
    budget = max_chars or -1
    for node in page.css("p"):
        text = _SPACES.sub(" ", node.text(deep=True, separator=" ")).strip()
        if len(_WORD.findall(text[:2000])) < MIN_PARAGRAPH_WORDS:
            continue
        if budget >= 0:
            text = text[:budget]
            budget -= len(text)
        kept.append(text)
        if budget == 0:
            break
    return Candidate("paragraphs", tuple(kept))
