"""Tests of the tail trim (newsclean.extraction.tail), the <noscript> fallback and the
``non_articles`` switch of ``extract`` (hand-written pages, no shared data needed)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser
from tests.test_extract import BODY_EN, news_page

from newsclean import ExtractConfig, InputError, extract
from newsclean.extraction.blocks import page_blocks
from newsclean.extraction.tail import TailRules, tail_heading, trim_tail

TEASERS = ["Storm warning for the weekend", "New school opens in the north", "Ferry fares to rise in May"]


def _page(body: str) -> LexborHTMLParser:
    return LexborHTMLParser(f"<html><body>{body}</body></html>")


def _story_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


@pytest.mark.parametrize(
    "line",
    ["Comments", "12 comments", "Comments (3)", "Related stories", "More from The Harbour Times", "Read next",
     "Most read", "You may also like", "Kommentare", "Lesen Sie auch", "À lire aussi", "Noticias relacionadas",
     "Leia também", "Читайте также", "Похожие новости", "関連記事"],  # fmt: skip
)
def test_tail_headings_in_several_languages(line: str) -> None:
    assert tail_heading(line)


@pytest.mark.parametrize(
    "line",
    ["Comments from the mayor angered the council", "Related research suggests the bridge is safe",
     "More than 300 people came to the meeting.", "The council read the report next week"],  # fmt: skip
)
def test_article_lines_are_not_tail_headings(line: str) -> None:
    assert not tail_heading(line)


def test_teaser_section_after_the_story_is_cut() -> None:
    html = _story_html(BODY_EN) + "<h3>Related stories</h3><ul>" + "".join(f"<li><a href=/x>{t}</a></li>" for t in TEASERS) + "</ul>"
    blocks = page_blocks(_page(html).body)
    trim = trim_tail([*BODY_EN, "Related stories", *TEASERS], blocks)
    assert trim.paragraphs == tuple(BODY_EN)
    assert [p for p, _why in trim.dropped] == ["Related stories", *TEASERS]


def test_inline_teaser_box_is_cut_and_the_story_resumes() -> None:
    box = "<h4>Don't miss</h4>" + "".join(f"<p><a href=/x>{t}</a></p>" for t in TEASERS)
    html = _story_html(BODY_EN[:3]) + box + _story_html(BODY_EN[3:])
    blocks = page_blocks(_page(html).body)
    trim = trim_tail([*BODY_EN[:3], "Don't miss", *TEASERS, *BODY_EN[3:]], blocks)
    assert trim.paragraphs == tuple(BODY_EN)


def test_nothing_is_cut_from_the_head_of_the_body() -> None:
    html = "<h3>Comments</h3>" + _story_html(BODY_EN)
    blocks = page_blocks(_page(html).body)
    assert trim_tail(["Comments", *BODY_EN], blocks).paragraphs == ("Comments", *BODY_EN)


def test_trailing_link_text_and_comment_blocks() -> None:
    links = "".join(f"<p><a href=/x>{t}</a></p>" for t in TEASERS)
    comment = "<div class='comment-list'><p>I walk over that bridge every day and it really does shake when buses pass.</p></div>"
    blocks = page_blocks(_page(_story_html(BODY_EN) + comment + links).body)
    body = [*BODY_EN, "I walk over that bridge every day and it really does shake when buses pass.", *TEASERS]
    assert trim_tail(body, blocks, TailRules(headings=False, link_density=2.0)).paragraphs == tuple(body)
    only_links = trim_tail(body, blocks, TailRules(headings=False, link_density=0.9))
    assert only_links.paragraphs == tuple(body[:-3])
    both = trim_tail(body, blocks, TailRules(headings=False, link_density=0.9, comments=True))
    assert both.paragraphs == tuple(BODY_EN)
    assert [why for _p, why in both.dropped] == ["comments", "links", "links", "links"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from([*BODY_EN, *TEASERS, "Comments", "Related stories", "Read next"]), max_size=12),
    st.booleans(),
    st.sampled_from([0.5, 0.9, 2.0]),
)
def test_trim_keeps_an_ordered_subsequence_and_accounts_for_every_paragraph(
    body: list[str], comments: bool, density: float
) -> None:
    html = "".join(f"<p><a href=/x>{p}</a></p>" if p in TEASERS else f"<p>{p}</p>" for p in body)
    blocks = page_blocks(_page(html).body)
    trim = trim_tail(body, blocks, TailRules(link_density=density, comments=comments))
    assert len(trim.paragraphs) + len(trim.dropped) == len(body)
    remaining = iter(body)
    assert all(any(p == q for q in remaining) for p in trim.paragraphs)  # a subsequence, in order


def test_extract_trim_tail_switch() -> None:
    tail = "<h3>Related stories</h3><ul>" + "".join(f"<li><a href=/x>{t}</a></li>" for t in TEASERS) + "</ul>"
    page = news_page().replace("</article>", tail + "</article>")
    kept = extract(page, config=ExtractConfig(remove_chrome=False))
    trimmed = extract(page, config=ExtractConfig(remove_chrome=False, trim_tail=True))
    assert set(trimmed.paragraphs) <= set(kept.paragraphs)
    assert not any(t in trimmed.paragraphs for t in TEASERS)
    assert trimmed.paragraphs[: len(BODY_EN)] == tuple(BODY_EN)


def test_content_only_in_noscript_is_read() -> None:
    posts = "".join(f"<div class=post><p>{p}</p></div>" for p in BODY_EN)
    page = f"<html><head><title>Thread</title></head><body><div id=app></div><noscript>{posts}</noscript></body></html>"
    art = extract(page)
    assert art.ok and art.paragraphs == tuple(BODY_EN)


def test_noscript_is_still_dropped_when_the_page_has_text() -> None:
    page = news_page().replace("</main>", "<noscript><p>Please enable JavaScript to view the comments.</p></noscript></main>")
    assert "JavaScript" not in extract(page).text


@pytest.mark.parametrize(("page_type", "switched"), [("listing", True), ("forum", True), ("article", False)])
def test_non_articles_switch(monkeypatch: pytest.MonkeyPatch, page_type: str, switched: bool) -> None:
    import newsclean.extraction as extraction

    real = extraction.page_odds

    def fixed_type(page: Any, meta: Any, model: Any) -> tuple[str, float]:
        return page_type, real(page, meta, model)[1]

    monkeypatch.setattr(extraction, "page_odds", fixed_type)
    art = extract(news_page(), config=ExtractConfig(non_articles="trafilatura"))
    assert art.page_type == page_type and art.ok
    assert (art.method == "trafilatura") is switched
    assert extract(news_page()).method != "trafilatura"  # the default votes on every page type


def test_non_articles_must_be_known() -> None:
    with pytest.raises(InputError, match="non_articles"):
        extract("<p>x</p>", config=ExtractConfig(non_articles="other"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("odds", "extra_head", "switched"),
    [(0.95, "", True), (0.5, "", False), (0.95, '<meta property="og:type" content="article">', False),
     (0.95, '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bridge"}</script>', False)],  # fmt: skip
)
def test_auto_switch_needs_the_odds_and_no_article_metadata(
    monkeypatch: pytest.MonkeyPatch, odds: float, extra_head: str, switched: bool
) -> None:
    import newsclean.extraction as extraction

    real = extraction.page_odds
    monkeypatch.setattr(extraction, "page_odds", lambda page, meta, model: (real(page, meta, model)[0], odds))
    art = extract(news_page(extra_head=extra_head))
    assert art.ok and (art.method == "trafilatura") is switched
    assert extract(news_page(extra_head=extra_head), config=ExtractConfig(non_articles="vote")).method != "trafilatura"


def test_auto_threshold_is_the_switch_point(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsclean.extraction as extraction

    real = extraction.page_odds
    monkeypatch.setattr(extraction, "page_odds", lambda page, meta, model: (real(page, meta, model)[0], 0.6))
    assert extract(news_page(), config=ExtractConfig(non_article_threshold=0.6)).method == "trafilatura"
    assert extract(news_page(), config=ExtractConfig(non_article_threshold=0.61)).method != "trafilatura"


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_non_article_threshold_must_be_a_probability(threshold: float) -> None:
    with pytest.raises(InputError, match="non_article_threshold"):
        extract("<p>x</p>", config=ExtractConfig(non_article_threshold=threshold))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 12, allow_nan=False), min_size=1, max_size=1))
def test_page_probabilities_are_the_page_types_softmax(seed: list[float]) -> None:
    import numpy as np

    from newsclean.extraction.model import PAGE_INPUTS, load_model

    model = load_model()
    x = np.random.default_rng(abs(int(seed[0] * 1000))).uniform(-1, 1, len(PAGE_INPUTS)) * seed[0]
    probs = model.page_probabilities(x)
    assert set(probs) == set(model.page_types) and abs(sum(probs.values()) - 1.0) < 1e-9
    assert max(probs, key=lambda k: probs[k]) == model.page_type(x)
    assert all(0.0 <= p <= 1.0 for p in probs.values())
