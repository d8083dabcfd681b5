"""Publisher metadata of a page: JSON-LD, OpenGraph, ``<meta>`` and a few tags.

Publishers describe their articles for search engines and social networks; those
descriptions are more reliable than guessing from the layout. Sources, best first:

1. JSON-LD objects whose ``@type`` is an article type (``NewsArticle``, ``Article``,
   ``BlogPosting``, ``ReportageNews``, ...), also inside ``@graph`` and lists:
   ``headline``, ``articleBody``, ``author``, ``datePublished``, ``publisher``,
   ``inLanguage``, ``url``.
2. OpenGraph / article properties (``og:title``, ``og:site_name``, ``og:url``,
   ``article:published_time``, ``og:locale``).
3. Plain ``<meta>`` tags (``author``, ``date``, ``dc.date``, ``content-language``),
   ``<link rel=canonical>``, ``<html lang>``, ``<time datetime>``, ``<title>``, ``<h1>``.

Everything is read with selectolax (lexbor), which parses a page in a few
milliseconds and never recurses, so it is also safe on deeply nested pages.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["KIND_FEATURES", "PageMeta", "declares_article", "iso_date", "kind_features", "read_metadata"]

_ARTICLE_TYPES = re.compile(r"(?:Article|BlogPosting|Report|NewsArticle|Posting)$")
_ISO_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
_COMPACT_DATE = re.compile(r"\b(19\d{2}|20\d{2})(\d{2})(\d{2})\b")
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
_SPACES = re.compile(r"\s+")
_MAX_JSON_LD = 2_000_000  # characters of one JSON-LD block; larger ones are not article metadata


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Metadata read from a page; every field may be ``None``.

    Attributes:
        title: headline (JSON-LD ``headline``, ``og:title``, ``<h1>`` or ``<title>``).
        author: author name(s), comma-separated.
        date: publication date, ISO 8601.
        language: ISO 639 code (two letters where one exists).
        url: canonical URL declared by the page.
        site_name: publisher name.
        article_body: JSON-LD ``articleBody`` (the publisher's own copy of the text).
        kinds: what the page says it is: every JSON-LD ``@type`` (lower-cased) and the
            ``og:type`` value as ``og:<value>``, sorted (page-type features).
    """

    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    url: str | None = None
    site_name: str | None = None
    article_body: str | None = None
    kinds: tuple[str, ...] = ()


# What a page says it is (JSON-LD @type, og:type), in generic groups (page-type features).
_KIND_GROUPS = (
    ("ld_article", re.compile(r"^(?!og:).*(?:article|blogposting|reportagenews)$")),
    ("ld_forum", re.compile(r"^(?!og:).*(?:discussionforumposting|qapage|question|answer|comment)")),
    ("ld_product", re.compile(r"^(?!og:).*(?:product|offer)")),
    ("ld_list", re.compile(r"^(?:itemlist|collectionpage|searchresultspage|blog|profilepage)$")),
    ("og_article", re.compile(r"^og:(?:article|blog)")),
    ("og_website", re.compile(r"^og:website")),
    ("og_product", re.compile(r"^og:product")),
)
#: Names of :func:`kind_features`' values, in order.
KIND_FEATURES = (*(name for name, _p in _KIND_GROUPS), "has_date", "has_author", "body_words_log")


def declares_article(meta: PageMeta) -> bool:
    """Whether the page's metadata calls it an article (a JSON-LD ``@type`` of the
    article group: ``Article``, ``NewsArticle``, ``BlogPosting``, ...; or ``og:type``
    ``article`` / ``blog``).

    Examples:
        >>> declares_article(PageMeta(kinds=("newsarticle",))), declares_article(PageMeta(kinds=("og:website",)))
        (True, False)
    """
    groups = dict(_KIND_GROUPS)
    return any(groups["ld_article"].search(kind) or groups["og_article"].search(kind) for kind in meta.kinds)


def kind_features(meta: PageMeta) -> list[float]:
    """What the page's metadata says it is, as numbers (see :data:`KIND_FEATURES`).

    Examples:
        >>> kind_features(PageMeta(kinds=("newsarticle", "og:article"), date="2024-01-02"))[:5]
        [1.0, 0.0, 0.0, 0.0, 1.0]
    """
    values = [1.0 if any(pattern.search(kind) for kind in meta.kinds) else 0.0 for _name, pattern in _KIND_GROUPS]
    body_words = len(meta.article_body.split()) if meta.article_body else 0
    values += [1.0 if meta.date else 0.0, 1.0 if meta.author else 0.0, math.log1p(body_words)]
    return values


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 date (with time and offset if given) found in ``value``, else ``None``.

    Examples:
        >>> iso_date("2019-11-18T09:30:00Z")
        '2019-11-18T09:30:00+00:00'
        >>> iso_date("Published 2024-08-29")
        '2024-08-29'
        >>> iso_date("20190105"), iso_date("yesterday")
        ('2019-01-05', None)
    """
    if not value:
        return None
    match = _ISO_DATE.search(value)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        try:
            datetime(int(year), int(month), int(day))
        except ValueError:
            return None
        if hour is None:
            return f"{year}-{month}-{day}"
        stamp = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}"
        if zone:
            zone = "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
            stamp += zone
        try:
            return datetime.fromisoformat(stamp).isoformat()
        except ValueError:
            return f"{year}-{month}-{day}"
    compact = _COMPACT_DATE.search(value)
    if compact:
        year, month, day = compact.groups()
        try:
            return datetime(int(year), int(month), int(day)).date().isoformat()
        except ValueError:
            return None
    return None


def _clean(value: object) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = _SPACES.sub(" ", value).strip()
    return text or None


def _names(value: object) -> list[str]:
    """Person/organization names from a JSON-LD ``author``/``publisher`` value."""
    if isinstance(value, str):
        name = _clean(value)
        return [name] if name and not name.startswith("http") else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value[:20] for name in _names(item)]
    return []


def _walk(value: object, depth: int = 0) -> Iterator[dict[str, object]]:
    """Every JSON object inside a JSON-LD value (lists and ``@graph`` included)."""
    if depth > 6:
        return
    if isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in value:
                yield from _walk(value[key], depth + 1)
    elif isinstance(value, list):
        for item in value[:200]:
            yield from _walk(item, depth + 1)


def _is_article(obj: dict[str, object]) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds)


def _types(obj: dict[str, object]) -> list[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.strip().lower()[:60] for k in kinds[:10] if isinstance(k, str) and k.strip()]


def _json_ld_objects(tree: LexborHTMLParser) -> list[dict[str, object]]:
    """Every object of the page's JSON-LD blocks (``@graph``, lists and main entities included)."""
    objects: list[dict[str, object]] = []
    for node in tree.css('script[type="application/ld+json"]'):
        raw = node.text(deep=True, strip=True)
        if not raw or len(raw) > _MAX_JSON_LD:
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        objects.extend(_walk(data))
    return objects


def _meta_map(tree: LexborHTMLParser) -> dict[str, str]:
    """``<meta>`` contents by lower-cased ``property``/``name``/``itemprop``/``http-equiv`` (first wins)."""
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = _clean(attrs.get("content"))
        if not content:
            continue
        for key in ("property", "name", "itemprop", "http-equiv"):
            name = attrs.get(key)
            if name:
                found.setdefault(name.strip().lower(), content)
    return found


def _first(*values: object) -> str | None:
    for value in values:
        text = _clean(value)
        if text:
            return text
    return None


def _language(*values: str | None) -> str | None:
    for value in values:
        match = _LANG.match(value.strip()) if value else None
        if match:
            return match.group(1).lower()
    return None


def _node_text(node: LexborNode | None) -> str | None:
    return _clean(node.text(deep=True, separator=" ")) if node is not None else None


def _attr(node: LexborNode | None, name: str) -> str | None:
    return _clean(node.attributes.get(name)) if node is not None else None


def read_metadata(tree: LexborHTMLParser) -> PageMeta:
    """Read the metadata of a parsed page.

    Args:
        tree: the page parsed by ``selectolax.lexbor.LexborHTMLParser``.

    Returns:
        A :class:`PageMeta`; fields the page does not declare are ``None``.

    Examples:
        >>> from selectolax.lexbor import LexborHTMLParser
        >>> page = '''<html lang="de-AT"><head><title>T | Site</title>
        ... <meta property="og:site_name" content="Site">
        ... <script type="application/ld+json">{"@type": "NewsArticle", "headline": "H",
        ...  "author": [{"@type": "Person", "name": "A. Writer"}],
        ...  "datePublished": "2024-08-29T10:00:00+02:00", "articleBody": "Body."}</script>
        ... </head><body><h1>H</h1></body></html>'''
        >>> meta = read_metadata(LexborHTMLParser(page))
        >>> meta.title, meta.author, meta.date, meta.language, meta.site_name, meta.article_body
        ('H', 'A. Writer', '2024-08-29T10:00:00+02:00', 'de', 'Site', 'Body.')
        >>> meta.kinds
        ('newsarticle',)
    """
    objects = _json_ld_objects(tree)
    articles = [obj for obj in objects if _is_article(obj)]
    meta = _meta_map(tree)
    kinds = {kind for obj in objects for kind in _types(obj)}
    if meta.get("og:type"):
        kinds.add("og:" + meta["og:type"].strip().lower()[:60])
    first_article = articles[0] if articles else {}
    body = max(
        (b for b in (_clean_body(a.get("articleBody")) for a in articles) if b),
        key=len,
        default=None,
    )
    authors = [name for a in articles for name in _names(a.get("author"))]
    publishers = [name for a in articles for name in _names(a.get("publisher"))]
    html_node = tree.css_first("html")
    canonical = tree.css_first('link[rel="canonical"]')
    time_node = tree.css_first("time[datetime]")
    title_node = tree.css_first("title")
    h1 = tree.css_first("h1")
    return PageMeta(
        title=_first(
            *(a.get("headline") for a in articles),
            meta.get("og:title"),
            meta.get("twitter:title"),
            _node_text(h1),
            _node_text(title_node),
        ),
        author=", ".join(dict.fromkeys(authors)) if authors else _first(
            meta.get("author"), meta.get("article:author"), meta.get("dc.creator"),
            meta.get("sailthru.author"), meta.get("parsely-author"),
        ),
        date=iso_date(
            _first(
                *(a.get("datePublished") for a in articles),
                meta.get("article:published_time"),
                meta.get("og:published_time"),
                meta.get("datepublished"),
                meta.get("date"),
                meta.get("pubdate"),
                meta.get("publish-date"),
                meta.get("dc.date"),
                meta.get("dc.date.issued"),
                meta.get("sailthru.date"),
                meta.get("parsely-pub-date"),
                _attr(time_node, "datetime"),
                *(a.get("dateCreated") for a in articles),
            )
        ),
        language=_language(
            _attr(html_node, "lang"),
            _attr(html_node, "xml:lang"),
            _first(first_article.get("inLanguage")),
            meta.get("content-language"),
            meta.get("og:locale"),
            meta.get("language"),
            meta.get("dc.language"),
        ),
        url=_first(_attr(canonical, "href"), meta.get("og:url"), first_article.get("url")),
        site_name=_first(meta.get("og:site_name"), *publishers, meta.get("application-name")),
        article_body=body,
        kinds=tuple(sorted(kinds)),
    )


def _clean_body(value: object) -> str | None:
    """A JSON-LD ``articleBody`` as text; markup inside it (some CMSs put HTML there) is dropped."""
    if not isinstance(value, str) or not value.strip():
        return None
    if "<" in value and ">" in value:
        inner = LexborHTMLParser(f"<div>{value}</div>")
        for node in inner.css("p, br, h2, h3, h4, li, div"):
            node.insert_after("\n")
        body = inner.body
        value = body.text(deep=True) if body is not None else value
    return value.strip() or None
