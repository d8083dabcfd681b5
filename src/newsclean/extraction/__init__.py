"""HTML -> :class:`~newsclean.types.Article`: metadata, candidate bodies, judging, clean-up.

:func:`extract` is the one entry point. Its stages are small modules:

- :mod:`~newsclean.extraction.charset`: bytes -> text (BOM, declared charset, sniffing).
- :mod:`~newsclean.extraction.metadata`: JSON-LD / OpenGraph / ``<meta>`` fields (selectolax).
- :mod:`~newsclean.extraction.blocks`: text blocks and their DOM features (one parse).
- :mod:`~newsclean.extraction.model`: the learned block and page-type classifiers.
- :mod:`~newsclean.extraction.candidates`, :mod:`~newsclean.extraction.judge`: the
  older ``method="vote"`` (trafilatura and readability bodies, voted and trimmed).
- :mod:`~newsclean.extraction.chrome`: inline chrome paragraphs removed by pattern data.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import lxml.html
import numpy as np
import numpy.typing as npt
import regex
from selectolax.lexbor import LexborHTMLParser

from ..errors import InputError, config_of
from ..language import article_language
from ..normalize import NormalizeConfig, normalize
from ..types import Article
from .blocks import PageBlocks, page_blocks, page_features
from .candidates import (
    Candidate,
    paragraph_candidate,
    parse_tree,
    readability_candidate,
    text_candidate,
    trafilatura_candidate,
)
from .charset import decode_html
from .chrome import remove_chrome
from .judge import (
    MIN_PUBLISHER_WORDS,
    SETTLED_SIMILARITY,
    Verdict,
    choose,
    similarity,
    trim_edges,
    word_count,
)
from .metadata import PageMeta, declares_article, kind_features, read_metadata
from .model import Model, load_model
from .tail import TailRules, trim_tail

__all__ = ["ExtractConfig", "extract"]

_TAG = regex.compile(r"<\s*(?:[A-Za-z][A-Za-z0-9:-]*|!DOCTYPE|!--)", regex.IGNORECASE)
_WORD = regex.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")  # control characters other than whitespace
_RAW_FACTOR = 20  # the decoded input is cut at this many times ``max_chars``
# Elements that never hold article text; dropped by the selectolax pre-pass (after the
# metadata is read, JSON-LD included) so lxml and trafilatura see a smaller tree.
_NON_TEXT_TAGS = ("script", "style", "noscript", "svg", "template", "iframe", "link", "meta", "canvas", "object", "embed")
_NOSCRIPT = re.compile(r"</?noscript\b[^>]*>", re.IGNORECASE)
_MAX_ATTRIBUTES = 256  # attributes kept per element (lexbor's parse is quadratic in them)
_LONG_TAG_CHARS = 4000  # start tags shorter than this are never looked at by cap_attributes
_LONG_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9:-]*)([^<>]{{{_LONG_TAG_CHARS},}})")
_MAX_DEPTH = 250  # elements nested deeper are made siblings: lxml drops what lies below 255
_DEEP_PAGE_TAGS = 20_000  # pages with fewer tags than this are never looked at by cap_depth
# Start and end tags of the elements whose start makes lexbor walk the whole stack of open
# elements (the "p element in button scope" check): nesting thousands of them is what
# makes its parse quadratic (40,000 nested <div>: 2.3 s; <span>, <b>, <td>: milliseconds).
_BLOCK_TAG = re.compile(
    r"<(/?)(?:div|section|article|aside|nav|header|footer|main|ul|ol|dl|menu|dir|blockquote|"
    r"fieldset|figure|figcaption|form|center|details|summary|dialog|address|hgroup|search)\b",
    re.IGNORECASE,
)
_BLOCK_STEP = {"": 1, "/": -1}
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr frame keygen".split()
)
_ATTRIBUTE = re.compile(r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_MAX_JSON_CHECK = 10_000_000  # characters; larger inputs are not parsed as JSON to check
#: The tail-trim rules of ``method="vote"`` (chosen leave-one-dataset-out, see
#: ``benchmarks/extract_tail_tune.py``).
TAIL_RULES = TailRules()
_TYPE_ERROR = "extract() takes the page as str or bytes, got {kind}; read a file with open(path, 'rb').read()"


@dataclass(frozen=True, slots=True)
class ExtractConfig:
    """Options of :func:`extract`; change one with :func:`dataclasses.replace`.

    Attributes:
        method: ``"vote"`` (default): the bodies of trafilatura (precision and fast
            modes) and readability judged against each other
            (:mod:`~newsclean.extraction.judge`). ``"blocks"``: every text block is kept
            or dropped by a learned classifier over its DOM features (one selectolax
            parse, numpy inference; :mod:`~newsclean.extraction.blocks`,
            :mod:`~newsclean.extraction.model`): 0.59-0.94x trafilatura's median time
            instead of about 1.5x, but behind the vote on pages unlike its training data
            (leave-one-dataset-out, see the README), so not the default.
        page_type: set ``Article.page_type`` by the page classifier (page-level
            features of the blocks and the metadata; no block inference). With
            ``method="vote"`` this is one more walk over the selectolax tree;
            ``False`` skips it (``page_type`` is then ``None``).
        non_articles: (``method="vote"``) which pages get trafilatura's own body
            (balanced mode, comments off: one extractor run, and more of the repeated
            posts and items of forums and listings) instead of the vote. ``"auto"``
            (default): the page classifier gives the page a probability of not being an
            article of at least ``non_article_threshold`` **and** its metadata does not
            call it an article (JSON-LD ``Article`` types, ``og:type`` article).
            Leave-one-dataset-out (``benchmarks/extract_page_rule.py``: page model and
            threshold fitted on the other two sets) against the vote: wcxb_dev +0.024
            F1, scrapinghub +0.000, dragnet -0.001. ``"trafilatura"``: every page the
            classifier names a forum, listing, product or other page (wcxb_dev +0.029,
            but scrapinghub -0.001, dragnet -0.003: articles taken for listings).
            ``"vote"``: the vote on every page (the default before this rule).
        non_article_threshold: the probability of ``non_articles="auto"`` (0.6: the
            threshold chosen most often leave-one-dataset-out, 0.6 / 0.6 / 0.75).
        precision_fallback: (``method="vote"``) when the precision candidate runs
            trafilatura's internal fallback (its own readability and jusText on a backup
            tree, about 0.4x of trafilatura's whole ``extract``): ``N > 0`` (default
            100) only when precision mode without it gives fewer than ``N`` words (then
            it runs again with the fallback); ``0`` never (the vote's readability
            candidate is then the only second opinion); ``-1`` always (the behaviour
            before this option). Chosen leave-one-dataset-out
            (``benchmarks/extract_precision_fallback.py``): never costs 0.006-0.008 F1
            on dragnet and wcxb_dev, the fallback rescuing pages where precision mode
            keeps little; 100 was chosen in two of the three folds.
        trim_tail: (``method="vote"``) drop teaser / comment sections after their
            heading and trailing link text (:mod:`~newsclean.extraction.tail`).
        model: path of a JSON weights file written by ``benchmarks/extract_train.py``;
            ``None`` uses the shipped one. Only for ``method="blocks"``.
        max_chars: the page's markup is cut at a tag boundary near this many characters,
            counted *after* scripts, styles, SVG, templates and other non-text elements
            are dropped by the selectolax pre-pass; the decoded input itself is first
            cut at ``20 * max_chars``. Only the head of a longer page is analysed.
            1,000,000 is above every scrapinghub and dragnet page (max 0.86 M after
            the pre-pass); the earlier 300,000 cut the items of 74 of the 908 wcxb_dev
            pages (listings and forums are longer than articles: +0.006 F1 there).
            ``0`` disables both cuts. Elements keep at most 256 attributes.
        readability: (``method="vote"``) run the readability candidate (a voice in the
            agreement vote and the reference of the edge trim; about 4 ms per page).
        remove_chrome: drop share/follow lines, "Read more" teasers, photo credits,
            newsletter boxes (see :mod:`~newsclean.extraction.chrome`).
        strip_headline: drop a first paragraph that repeats the title.
        min_words: a body with fewer words than this is "no_content".
        normalize: how each paragraph is normalized (``None`` keeps the text as extracted,
            whitespace collapsed). The default composes with NFC, not NFKC: NFKC rewrites
            characters the page shows (Arabic presentation forms to letters, ``½`` to
            ``1/2``), which changes the article's words (measured: -0.1 F1 points on the
            dev set, two pages). Quotes, dashes, spaces and invisibles are still unified;
            :func:`newsclean.comparison_form` folds the rest for comparison.
    """

    method: Literal["vote", "blocks"] = "vote"
    page_type: bool = True
    non_articles: Literal["auto", "vote", "trafilatura"] = "auto"
    non_article_threshold: float = 0.6
    precision_fallback: int = 100
    trim_tail: bool = False
    model: str | None = None
    max_chars: int = 1_000_000
    readability: bool = True
    remove_chrome: bool = True
    strip_headline: bool = True
    min_words: int = 1
    normalize: NormalizeConfig | None = field(default_factory=lambda: NormalizeConfig(unicode_form="NFC"))


def _check_config(config: ExtractConfig) -> None:
    if config.max_chars < 0:
        msg = f"max_chars must be >= 0 (0 = no limit), got {config.max_chars}"
        raise InputError(msg)
    if config.min_words < 0:
        msg = f"min_words must be >= 0, got {config.min_words}"
        raise InputError(msg)
    if config.method not in ("blocks", "vote"):
        msg = f"method must be 'vote' or 'blocks', got {config.method!r}"
        raise InputError(msg)
    if config.non_articles not in ("auto", "trafilatura", "vote"):
        msg = f"non_articles must be 'auto', 'vote' or 'trafilatura', got {config.non_articles!r}"
        raise InputError(msg)
    if config.precision_fallback < -1:
        msg = f"precision_fallback must be -1 (always), 0 (never) or a word count, got {config.precision_fallback}"
        raise InputError(msg)
    if not 0.0 <= config.non_article_threshold <= 1.0:
        msg = f"non_article_threshold must be within [0, 1], got {config.non_article_threshold}"
        raise InputError(msg)


def _to_text(html: str | bytes, url: str | None = None) -> tuple[str | None, Article | None]:
    """Decoded page text, or an empty Article saying why there is none."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        if not data.strip():
            return None, Article.empty("empty_input", "the input is empty")
        text, _codec = decode_html(data, url=url)
        return text, None  # binary data: _not_html_reason
    if isinstance(html, str):
        if not html.strip():
            return None, Article.empty("empty_input", "the input is empty or only whitespace")
        return html.lstrip("\ufeff"), None
    raise InputError(_TYPE_ERROR.format(kind=type(html).__name__))


def _is_json(text: str) -> bool:
    stripped = text.strip()
    if stripped[:1] not in ("{", "[") or len(stripped) > _MAX_JSON_CHECK:
        return False
    try:
        json.loads(stripped)
    except (ValueError, RecursionError):
        return False
    return True


def _not_html_reason(text: str) -> str | None:
    """Why ``text`` is not an HTML page, or ``None`` if it is one."""
    head = text[:4096]
    # NUL counts as one control character more: one stray NUL (a CMS's broken field) in a
    # page is no reason to drop its article; binary files have many control bytes.
    if len(_CONTROL.findall(head)) > len(head) // 20:
        return "the input is binary data, not HTML"
    if _is_json(text):
        return "the input is JSON, not HTML"
    if not _TAG.search(text[:100_000]):
        return "the input has no HTML markup"
    return None


def _truncate(text: str, max_chars: int) -> str:
    """The first ``max_chars`` of ``text``, cut before a tag if one is in the last half."""
    if not max_chars or len(text) <= max_chars:
        return text
    cut = text.rfind("<", max_chars // 2, max_chars)
    return text[: cut if cut > 0 else max_chars]


def _candidates(
    tree_html: str, page: LexborHTMLParser | None, meta: PageMeta, url: str | None, config: ExtractConfig
) -> Verdict:
    """Run the methods and judge their bodies (see :mod:`~newsclean.extraction.judge`)."""
    publisher = text_candidate("json-ld", meta.article_body)
    verdict = _layout_verdict(tree_html, url, config, publisher)
    if verdict.paragraphs:
        return verdict
    if publisher.paragraphs:
        return Verdict(publisher.paragraphs, publisher.name)
    if page is not None:
        fallback = paragraph_candidate(page, config.max_chars)
        return Verdict(fallback.paragraphs, fallback.name)
    return verdict


def _layout_verdict(tree_html: str, url: str | None, config: ExtractConfig, publisher: Candidate) -> Verdict:
    """The judged body of the layout methods (trafilatura, readability), with the
    publisher's JSON-LD body as one more voice when it is long enough."""
    tree = parse_tree(tree_html)
    if tree is None:
        return Verdict((), "none")
    precision = precision_candidate(tree, url, config.precision_fallback)
    if not config.readability:
        base = choose([precision, trafilatura_candidate(tree, "trafilatura-fast", url)])
        return Verdict(base.paragraphs, base.name)
    reference = readability_candidate(tree)
    if precision.paragraphs and similarity(precision, reference) >= SETTLED_SIMILARITY:
        base = precision  # the vote could not change the outcome: skip the third method
    else:
        voices = [precision, trafilatura_candidate(tree, "trafilatura-fast", url), reference]
        if word_count(publisher) >= MIN_PUBLISHER_WORDS:
            voices.append(publisher)
        base = choose(voices)
    paragraphs = base.paragraphs
    if paragraphs and reference.paragraphs and base not in (reference, publisher):
        paragraphs = trim_edges(paragraphs, reference)
    if not paragraphs and reference.paragraphs:
        return Verdict(reference.paragraphs, reference.name)
    return Verdict(paragraphs, base.name)


def precision_candidate(tree: lxml.html.HtmlElement, url: str | None, fallback: int) -> Candidate:
    """trafilatura's precision-mode body (``"trafilatura-precision"``), with its internal
    fallback never (``fallback == 0``), always (``-1``) or only when the run without it
    gives fewer than ``fallback`` words (then a second run, with it; see
    ``ExtractConfig.precision_fallback``).

    Examples:
        >>> tree = parse_tree("<html><body><article><p>" + "Word and more words here. " * 20 + "</p></article></body></html>")
        >>> precision_candidate(tree, None, 0).name
        'trafilatura-precision'
        >>> word_count(precision_candidate(tree, None, 0)) == word_count(precision_candidate(tree, None, -1))
        True
    """
    if fallback < 0:
        return trafilatura_candidate(tree, "trafilatura-precision-fallback", url)
    first = trafilatura_candidate(tree, "trafilatura-precision", url)
    if fallback and word_count(first) < fallback:
        return trafilatura_candidate(tree, "trafilatura-precision-fallback", url)
    return first


def cut_tag(match: re.Match[str], limit: int) -> str:
    """A match of ``_LONG_TAG`` with its first ``limit`` attributes (unchanged if it has no more)."""
    found: list[str] = []
    for attribute in _ATTRIBUTE.finditer(match.group(2)):
        if len(found) == limit:
            return f"<{match.group(1)} " + " ".join(found)
        found.append(attribute.group())
    return match.group()


def cap_attributes(text: str, limit: int = _MAX_ATTRIBUTES) -> str:
    """``text`` with every start tag cut to its first ``limit`` attributes.

    lexbor (like the HTML standard) checks each attribute against the earlier ones of
    its element, so one element with 100,000 attributes takes seconds to parse; no
    real page has more than a few dozen. Only tags of 4,000+ characters are looked at.

    Examples:
        >>> tag = "<div " + " ".join(f"a{i}=1" for i in range(1000)) + ">x</div>"
        >>> capped = cap_attributes(tag, limit=3)
        >>> capped
        '<div a0=1 a1=1 a2=1>x</div>'
        >>> cap_attributes("<p class=x>short</p>") == "<p class=x>short</p>"
        True
    """
    if len(text) < _LONG_TAG_CHARS:
        return text
    cut = functools.partial(cut_tag, limit=limit)
    # A match of _LONG_TAG starts at a "<" and never reaches the next "<", so it lies within
    # one piece of text.split("<"): only pieces long enough to hold one are searched (the
    # same result as one pass of the pattern over the page, at a fraction of its time).
    pieces = text.split("<")
    changed = False
    # the indices of the long pieces, found without a Python-level loop over all of them
    for i in itertools.compress(range(len(pieces)), map(_LONG_TAG_CHARS.__lt__, map(len, pieces))):
        piece = pieces[i]
        if i and piece[:1].isascii() and piece[:1].isalpha():
            capped = _LONG_TAG.sub(cut, "<" + piece)[1:]
            if capped != piece:
                pieces[i] = capped
                changed = True
    return "<".join(pieces) if changed else text


def cap_depth(text: str, limit: int = _MAX_DEPTH) -> str:
    """``text`` with the tags of elements nested deeper than ``limit`` removed (their
    content stays, in the deepest element kept), on a page that nests thousands of blocks.

    lexbor checks the whole stack of open elements at each block's start tag, so a page of
    100,000 nested ``<div>`` takes minutes to parse (Chromium's parser stops nesting at
    512 elements); lxml's parser (trafilatura, readability) drops the text of elements
    nested deeper than 255, so the default keeps 250. A page with fewer than 20,000 tags,
    or whose block elements (by their tags alone) nest at most ``limit`` deep, is returned
    unchanged, at the cost of one count of ``"<"`` (and one regex pass on the large ones).

    Examples:
        >>> page = "<body>" + "<div>" * 5 + "deep" + "</div>" * 5 + "<p>after</p>"
        >>> cap_depth(page, limit=3) == page  # fewer than 20,000 tags: not looked at
        True
        >>> page = "<body>" + "<div><span>" * 12_000 + "deep" + "</span></div>" * 12_000 + "<p>after</p>"
        >>> capped = cap_depth(page, limit=3)
        >>> capped
        '<body><div><span>deep</span></div><p>after</p>'
    """
    if text.count("<") < _DEEP_PAGE_TAGS:
        return text
    steps = map(_BLOCK_STEP.__getitem__, _BLOCK_TAG.findall(text))
    if max(itertools.accumulate(steps), default=0) <= limit:
        return text
    depth = 0
    kept: Counter[str] = Counter()  # open elements by name, their tags kept / removed
    dropped: Counter[str] = Counter()

    def keep(match: re.Match[str]) -> str:
        nonlocal depth
        close, name, empty = match.groups()
        name = name.lower()
        if empty or name in _VOID:
            return match.group()
        if not close:
            depth += 1
            if depth > limit:
                dropped[name] += 1
                return ""
            kept[name] += 1
            return match.group()
        if dropped[name]:  # the end of a removed element
            dropped[name] -= 1
            depth -= 1
            return ""
        if kept[name]:
            kept[name] -= 1
            depth -= 1
        return match.group()  # an end tag of nothing open closes nothing (the parser ignores it)

    return _ANY_TAG.sub(keep, text)


def _prepass(text: str, max_chars: int) -> tuple[str, LexborHTMLParser | None, PageMeta, bool]:
    """selectolax pre-pass: metadata, non-text elements dropped, markup capped.

    Returns the capped markup (the input of ``method="vote"``), the selectolax tree
    (``None`` if parsing failed), the metadata, and whether the page has visible text.
    """
    text = cap_depth(cap_attributes(_truncate(text, max_chars * _RAW_FACTOR)))
    try:
        page = LexborHTMLParser(text)
        meta = read_metadata(page)
        page.strip_tags(list(_NON_TEXT_TAGS))
        has_text = _has_text(page)
        if not has_text and _NOSCRIPT.search(text):
            # The page shows its content only without JavaScript (forum software renders
            # posts in <noscript>: 15 of the 75 wcxb_dev forum threads). A browser with
            # scripts off shows it, so read it as the page.
            text = _NOSCRIPT.sub("", text)
            page = LexborHTMLParser(text)
            page.strip_tags(list(_NON_TEXT_TAGS))
            has_text = _has_text(page)
    except Exception:  # noqa: BLE001 - selectolax failing on a page is a result, not a crash
        return _truncate(text, max_chars), None, PageMeta(), True
    return text, page, meta, has_text


def _has_text(page: LexborHTMLParser) -> bool:
    body_node = page.body
    return body_node is not None and bool(body_node.text(deep=True).strip())


def _markup(text: str, page: LexborHTMLParser | None, max_chars: int) -> str:
    """The pre-passed markup for lxml (``method="vote"``), cut at ``max_chars``."""
    markup = (page.html if page is not None else None) or text
    return _truncate(markup, max_chars)


def page_inputs(page: npt.NDArray[np.float32], meta: PageMeta) -> npt.NDArray[np.float32]:
    """The page-type classifier's input row (``model.PAGE_INPUTS``): the page features of
    the blocks (``PageBlocks.page`` or :func:`~newsclean.extraction.blocks.page_features`)
    and the metadata's."""
    return np.concatenate([page, np.array(kind_features(meta), dtype=np.float32)])


def classify_page(page: npt.NDArray[np.float32], meta: PageMeta, model: Model) -> str:
    """The page type of a page by ``model`` (no block inference needed)."""
    return model.page_type(page_inputs(page, meta))


def non_article_probability(page: npt.NDArray[np.float32], meta: PageMeta, model: Model) -> float:
    """The probability by ``model`` that a page is not an article (1 - P(article))."""
    return 1.0 - model.page_probabilities(page_inputs(page, meta)).get("article", 0.0)


def page_odds(page: npt.NDArray[np.float32], meta: PageMeta, model: Model) -> tuple[str, float]:
    """:func:`classify_page` and :func:`non_article_probability` from one evaluation of the
    page model."""
    page_type, probabilities = model.page_scores(page_inputs(page, meta))
    return page_type, 1.0 - probabilities.get("article", 0.0)


def takes_trafilatura(page_type: str | None, odds: float | None, meta: PageMeta, config: ExtractConfig) -> bool:
    """Whether ``config.non_articles`` gives this page trafilatura's body instead of the vote.

    ``odds`` is the page's probability of not being an article (``None``: not computed).

    Examples:
        >>> auto = ExtractConfig()
        >>> takes_trafilatura("forum", 0.9, PageMeta(), auto)
        True
        >>> takes_trafilatura("forum", 0.9, PageMeta(kinds=("og:article",)), auto)  # the page says: article
        False
        >>> takes_trafilatura("listing", 0.5, PageMeta(), auto)  # not sure enough
        False
        >>> takes_trafilatura("listing", 0.5, PageMeta(), ExtractConfig(non_articles="trafilatura"))
        True
    """
    if config.non_articles == "trafilatura":
        return page_type not in (None, "article")
    if config.non_articles == "auto":
        return odds is not None and odds >= config.non_article_threshold and not declares_article(meta)
    return False


def classify_blocks(blocks: PageBlocks, meta: PageMeta, model: Model) -> tuple[npt.NDArray[np.bool_], str]:
    """Which blocks are main content, and the page type, by ``model``."""
    keep = model.block_probability(blocks.features) >= model.threshold
    return keep, classify_page(blocks.page, meta, model)


def read_blocks(text: str, max_chars: int = 1_000_000, url: str | None = None) -> tuple[PageMeta, PageBlocks]:
    """The metadata and the text blocks of decoded page ``text`` (as :func:`extract` sees them).

    Used by the training script so that training and :func:`extract` share one pipeline.
    """
    _text, page, meta, _has_text = _prepass(text, max_chars)
    root = page.body if page is not None else None
    return meta, page_blocks(root, meta.title, url or meta.url, max_chars)


def _only_links(paragraphs: tuple[str, ...], page: LexborHTMLParser | None) -> bool:
    """Whether every paragraph is the text of a link (a menu, not an article)."""
    if page is None or sum(len(p) for p in paragraphs) > 500:
        return False
    try:
        anchors = {" ".join(a.text(deep=True).split()) for a in page.css("a")}
    except Exception:  # noqa: BLE001 - selectolax failing means we cannot tell: keep the body
        return False
    return all(p in anchors for p in paragraphs)


def _same_line(a: str, b: str) -> bool:
    return _WORD.findall(a.lower()) == _WORD.findall(b.lower())


def _clean(
    paragraphs: tuple[str, ...], title: str | None, config: ExtractConfig, blocks: PageBlocks | None = None
) -> tuple[str, ...]:
    """Normalize, drop a repeated headline, trim the tail (given the blocks), drop chrome."""
    if config.normalize is not None:
        norm = config.normalize
        paragraphs = tuple(" ".join(normalize(p, norm).split()) for p in paragraphs)
    paragraphs = tuple(p for p in paragraphs if p)
    if config.strip_headline and title and paragraphs and _same_line(paragraphs[0], title):
        paragraphs = paragraphs[1:]
    if config.trim_tail and blocks is not None:
        paragraphs = trim_tail(paragraphs, blocks, TAIL_RULES).paragraphs
    if config.remove_chrome:
        paragraphs = remove_chrome(paragraphs)
    return paragraphs


def extract(
    html: str | bytes,
    url: str | None = None,
    config: ExtractConfig | None = None,
) -> Article:
    """Extract the article of an HTML page: body paragraphs, title, author, date, language.

    Bytes are decoded first (BOM, valid UTF-8, ``<meta>`` charset, content sniffing;
    see :mod:`~newsclean.extraction.charset`). The page is never fetched and nothing it
    links to is loaded; entities are not expanded beyond HTML's own. One selectolax
    parse gives the metadata and the page's text blocks; with ``method="blocks"`` a
    learned classifier keeps the blocks of the main content, and it names the page type
    (:mod:`~newsclean.extraction.blocks`, :mod:`~newsclean.extraction.model`). The
    headline is removed from the body if it leaked in, inline chrome is dropped, and
    each paragraph is normalized with :func:`newsclean.normalize`.

    With ``ExtractConfig(method="vote")`` (the default) the body is instead the winner of
    trafilatura's and readability's candidates judged against each other
    (:mod:`~newsclean.extraction.judge`), except on a page the classifier takes for a
    non-article (``non_articles``), which gets trafilatura's own body; ``page_type`` comes
    from the classifier either way.

    A page without an article is not an error: the result has ``status``
    ``"empty_input"``, ``"not_html"`` (binary, JSON, plain text) or ``"no_content"``
    and a ``reason``, and ``text == ""``. Metadata found on a "no_content" page is
    kept. Giant pages are cut (see ``max_chars`` in :class:`ExtractConfig`).

    Args:
        html: the page, as text or as the raw bytes that were served.
        url: the page's URL, if known; used for the ``url`` field (else the page's
            canonical URL) and to resolve links. Never fetched.
        config: options; ``None`` means ``ExtractConfig()``.

    Returns:
        An :class:`~newsclean.types.Article` with ``source="html"``, ``page_type`` set,
        and ``method`` the winning candidate (``"trafilatura-precision"``,
        ``"trafilatura-fast"``, ``"readability"``, ``"json-ld"`` or ``"paragraphs"``;
        ``"trafilatura"`` on a page taken for a non-article);
        with ``method="blocks"``: ``"blocks"``, or the ``"json-ld"`` / ``"paragraphs"``
        fallbacks when no block is kept.

    Raises:
        InputError: ``html`` is not ``str``/``bytes``, ``url`` not ``str``/``None``, or
            the config is out of range.

    Examples:
        >>> page = '''<html lang="en"><head><title>Storm hits coast | Daily</title></head>
        ... <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
        ... <article><h1>Storm hits coast</h1>
        ... <p>A strong storm hit the coast on Monday night, cutting power to thousands of homes.</p>
        ... <p>Officials said schools would stay closed until the roads were cleared again.</p>
        ... <p>Share this article</p></article>
        ... <footer>Copyright 2024 Daily</footer></body></html>'''
        >>> art = extract(page, url="https://example.com/storm")
        >>> print(art.text)
        A strong storm hit the coast on Monday night, cutting power to thousands of homes.
        <BLANKLINE>
        Officials said schools would stay closed until the roads were cleared again.
        >>> art.title, art.language, art.status
        ('Storm hits coast', 'en', 'ok')
        >>> extract(b"").status, extract('{"a": 1}').status
        ('empty_input', 'not_html')
    """
    config = config_of(config, ExtractConfig, "extract()")
    _check_config(config)
    if url is not None and not isinstance(url, str):
        msg = f"url must be a str or None, got {type(url).__name__}"
        raise InputError(msg)
    text, failure = _to_text(html, url)
    if failure is not None or text is None:
        return failure or Article.empty("empty_input", "the input is empty")
    reason = _not_html_reason(text)
    if reason:
        return Article.empty("not_html", reason, url=url)
    text, page, meta, has_text = _prepass(text, config.max_chars)
    fields: dict[str, object] = {
        "title": meta.title,
        "author": meta.author,
        "date": meta.date,
        "language": meta.language,
        "url": url or meta.url,
        "site_name": meta.site_name,
        "source": "html",
    }
    if not has_text and not meta.article_body:
        return Article.empty("no_content", "the page has no visible text", **fields)
    blocks: PageBlocks | None = None
    if not has_text:  # a script-rendered page: only the publisher's JSON-LD copy has the text
        verdict = Verdict(text_candidate("json-ld", meta.article_body).paragraphs, "json-ld")
    elif config.method == "vote":
        verdict, blocks = _vote_verdict(text, page, meta, url, config, fields)
    else:
        verdict = _block_verdict(page, meta, url, config, fields)
    paragraphs = _clean(verdict.paragraphs, meta.title, config, blocks)
    if sum(len(_WORD.findall(p)) for p in paragraphs) < max(config.min_words, 1):
        return Article.empty("no_content", "no article body found on the page", method=verdict.method, **fields)
    if _only_links(paragraphs, page):
        return Article.empty("no_content", "the page holds only navigation links", method=verdict.method, **fields)
    fields["language"] = article_language("\n".join(paragraphs), fields["language"])  # type: ignore[arg-type]
    return Article.from_paragraphs(paragraphs, method=verdict.method, **fields)


def _vote_verdict(
    text: str, page: LexborHTMLParser | None, meta: PageMeta, url: str | None, config: ExtractConfig,
    fields: dict[str, object],
) -> tuple[Verdict, PageBlocks | None]:
    """``method="vote"``: the page type first (one walk of the selectolax tree for the page
    features, or for the blocks when the tail trim needs them), then the judged candidates, or
    trafilatura alone on a page that :func:`takes_trafilatura` (``config.non_articles``)."""
    wants_type = config.page_type or config.non_articles != "vote"
    blocks = None
    features = None
    if page is not None and config.trim_tail:
        blocks = page_blocks(page.body, meta.title, url or meta.url, config.max_chars)
        features = blocks.page
    elif page is not None and wants_type:
        features = page_features(page.body, url or meta.url, config.max_chars)  # no per-block rows
    page_type = odds = None
    if features is not None and wants_type:
        page_type, odds = page_odds(features, meta, load_model(config.model))
        if config.non_articles != "auto":
            odds = None
    if config.page_type and page_type is not None:
        fields["page_type"] = page_type
    markup = _markup(text, page, config.max_chars)
    if takes_trafilatura(page_type, odds, meta, config):
        tree = parse_tree(markup)
        single = trafilatura_candidate(tree, "trafilatura", url) if tree is not None else Candidate("trafilatura", ())
        if single.paragraphs:
            return Verdict(single.paragraphs, single.name), blocks
    return _candidates(markup, page, meta, url, config), blocks


def _block_verdict(
    page: LexborHTMLParser | None, meta: PageMeta, url: str | None, config: ExtractConfig, fields: dict[str, object]
) -> Verdict:
    """The blocks the learned classifier keeps (``method="blocks"``); sets ``page_type``."""
    blocks = page_blocks(page.body if page is not None else None, meta.title, url or meta.url, config.max_chars)
    keep, page_type = classify_blocks(blocks, meta, load_model(config.model))
    if config.page_type:
        fields["page_type"] = page_type
    paragraphs = tuple(t for t, k in zip(blocks.texts, keep, strict=True) if k)
    if paragraphs:
        return Verdict(paragraphs, "blocks")
    publisher = text_candidate("json-ld", meta.article_body)
    if publisher.paragraphs or page is None:
        return Verdict(publisher.paragraphs, publisher.name)
    fallback = paragraph_candidate(page, config.max_chars)  # the page's <p> text, if any
    return Verdict(fallback.paragraphs, fallback.name)
