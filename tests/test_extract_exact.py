"""Exact speed-ups of the vote path checked against their reference paths.

- :func:`~newsclean.extraction.blocks.page_features` (lexbor's traversal, rows only for
  block elements) against the page features of the full walk
  (:func:`~newsclean.extraction.blocks.page_blocks`), on generated pages with skipped
  elements, line breaks, comments, deep class contexts and walk budgets that cut the walk.
- :func:`~newsclean.extraction.candidates.trafilatura_options` (a copied template) against
  the options ``trafilatura.extract`` builds from its keyword arguments.
- ``cap_attributes`` (only the long pieces between two ``<``) against one pass of its
  pattern, and the binary-input check (one regex count) against the per-character loop.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser
from tests.oracle_markup import one_pass_cap

from newsclean.extraction import _not_html_reason, cap_attributes
from newsclean.extraction.blocks import page_blocks, page_features
from newsclean.extraction.candidates import (
    TRAFILATURA_VARIANTS,
    trafilatura_candidate,
    trafilatura_options,
)

_TAGS = st.sampled_from(
    ["p", "div", "li", "td", "th", "h2", "a", "span", "article", "form", "time", "ul", "section", "b", "label"]
)
_CLASSES = st.sampled_from(["", "card", "comment", "nav menu", "post-content", "related", "photo caption", "item"])
_LEAVES = st.sampled_from(
    [
        "Some words here.",
        "Home",
        "A longer sentence, with commas, and words, long enough to score.",
        "  \n ",
        "市議会は火曜日",
        "<br>",
        "<!-- a comment -->",
        "<button>Press me</button>",
        "<select><option>One</option><option>Two</option></select>",
        "<img alt=x>",
        "<template><p>Template words</p></template>",
        "<svg><g><text>Drawn words</text></g></svg>",
        "<table><tr><td>Cell one<td>Cell two</table>",
    ]
)


@st.composite
def _html(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        if draw(st.integers(0, 2)) == 0:
            parts.append(draw(_LEAVES))
        else:
            tag, cls = draw(_TAGS), draw(_CLASSES)
            href = " href=/x" if tag == "a" else ""
            parts.append(f'<{tag} class="{cls}"{href}>{draw(_html(depth + 1))}</{tag}>')
    return "".join(parts)


@st.composite
def _deep(draw: st.DrawFn) -> str:
    """A class group far above the text: 1-16 wrappers, so the 12-level distance limit is crossed."""
    levels = draw(st.integers(1, 16))
    inner = draw(_html())
    return '<div class="comment">' + "<span>" * levels + f"<p>{inner} text words</p>" + "</span>" * levels + "</div>"


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(_html(), _deep()),
    st.sampled_from([None, "https://example.com/2024/05/story-1", "https://example.com/"]),
    st.sampled_from([0, 0, 1, 2, 5, 20, 60, 200, 1000]),
)
def test_page_features_equal_the_full_walks(html: str, url: str | None, max_chars: int) -> None:
    """Every page feature is the full walk's, bit for bit, also when the budget cuts the walk."""
    body = LexborHTMLParser(f"<body>{html}</body>").body
    assert page_features(body, url, max_chars).tolist() == page_blocks(body, url=url, max_chars=max_chars).page.tolist()


def test_page_features_of_a_cut_walk_differ_from_the_whole() -> None:
    """The budget is honoured (the equality above is not the trivial one of an ignored budget)."""
    body = LexborHTMLParser("<body>" + '<div class="card"><p>word word word</p></div>' * 50 + "</body>").body
    whole, cut = page_features(body), page_features(body, max_chars=300)
    assert whole.tolist() != cut.tolist()
    assert cut.tolist() == page_blocks(body, max_chars=300).page.tolist()


_URLS = [None, "https://example.com/a/story", "https://example.com/\udcff"]


@pytest.mark.parametrize("name", sorted(TRAFILATURA_VARIANTS))
@pytest.mark.parametrize("url", _URLS)
def test_trafilatura_options_are_what_extract_builds(name: str, url: str | None) -> None:
    """Every option trafilatura reads equals the one ``trafilatura.extract(**kwargs)`` builds
    (``date_params`` holds today's date and is only read with metadata on, which is off)."""
    from trafilatura.settings import Extractor

    precision, fast = TRAFILATURA_VARIANTS[name]
    built = Extractor(output_format="txt", comments=False, tables=True, precision=precision, fast=fast, url=url)
    ours = trafilatura_options(name, url)
    slots = [s for s in Extractor.__slots__ if s != "date_params"]
    assert {s: getattr(ours, s) for s in slots} == {s: getattr(built, s) for s in slots}
    assert ours is not trafilatura_options(name, url)  # a copy per call: trafilatura may set fields


def test_trafilatura_candidate_equals_keyword_extract() -> None:
    """The candidate's text is ``trafilatura.extract`` with keyword options on the same tree."""
    import trafilatura

    from newsclean.extraction.candidates import parse_tree, text_candidate

    page = (
        "<html><body><nav><a href=/>Home</a></nav><article><h1>Title</h1>"
        + "<p>One sentence of the story, with words enough to keep it.</p>" * 6
        + "</article><div class=comments><p>A reader comment here.</p></div></body></html>"
    )
    tree = parse_tree(page)
    assert tree is not None
    for name, (precision, fast) in TRAFILATURA_VARIANTS.items():
        expected = trafilatura.extract(
            tree, url="https://example.com/s", output_format="txt", include_comments=False,
            include_tables=True, favor_precision=precision, fast=fast,
        )  # fmt: skip
        got = trafilatura_candidate(tree, name, "https://example.com/s")
        assert got.paragraphs == text_candidate(got.name, expected).paragraphs
        assert got.paragraphs


_PIECES = st.sampled_from(
    ["<p>", "</p>", "text ", "<", "<<", ">", " a=1", ' b="x y"', "é", "<div", "<1x", "<é"]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.sampled_from(["x" * 4001, " c=2" * 1100, "y" * 3999])), max_size=12),
       st.sampled_from([1, 3, 256]))  # fmt: skip
@example(["x" * 4001, " c=2" * 1100], 3)  # a long first piece is text before any "<": not a tag
@example(["<div", " c=2" * 1100, ">", "<p>", "<x", " c=2" * 1100], 3)
def test_cap_attributes_equals_one_pass_of_its_pattern(parts: list[str], limit: int) -> None:
    text = "".join(parts)
    assert cap_attributes(text, limit) == one_pass_cap(text, limit)


def _old_control_check(head: str) -> bool:
    return sum(1 for c in head if c < "\t" or "\r" < c < " ") > len(head) // 20


@settings(max_examples=150, deadline=None)
@given(st.text(st.sampled_from(["a", "<", "p", ">", " ", "\t", "\n", "\r", "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e",
                                "\x1f", "\x7f", "é"]), max_size=5000))  # fmt: skip
def test_binary_check_counts_the_control_characters_of_the_loop(text: str) -> None:
    """``_not_html_reason`` calls a page binary exactly when the per-character count did."""
    binary = _not_html_reason(text) == "the input is binary data, not HTML"
    assert binary == _old_control_check(text[:4096])


_CLASS_WORDS = st.sampled_from(
    ["ad", "ads", "bad", "top-ad", "ad_slot", "load", "col-", "sign", "-up", "comment", "side", "bar", "post-body",
     "body", "x", "_", "-", "é", "navbar", "sr-only", "header", "contentinfo"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_CLASS_WORDS, st.sampled_from(["", " ", "  ", "\t", "\n", "-", "_"])), max_size=8))
def test_class_groups_by_token_equal_the_whole_value(parts: list[tuple[str, str]]) -> None:
    """A value's groups are the union of its tokens' (no pattern matches across a space)."""
    from newsclean.extraction import blocks

    value = "".join(word + sep for word, sep in parts)
    blocks._FLAG_CACHE.clear()
    blocks._TOKEN_CACHE.clear()
    assert blocks._flags(value) == blocks._token_flags(value)
    assert blocks._flags(value) == blocks._token_flags(value)  # from the caches


def test_class_group_patterns_never_match_a_space() -> None:
    """The token rule's premise: every alternative is word characters and hyphens, with at
    most a boundary at either end."""
    from newsclean.extraction.blocks import _GROUPS

    for _name, pattern in _GROUPS:
        for alternative in pattern.split("|"):
            assert re.fullmatch(r"(\\b)?[a-z-]+(\\b)?", alternative), alternative
