"""Tests of the block pipeline of newsclean.extract: blocks, features, model, attribute cap."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser
from tests.test_extract import BODY_EN, news_page

from newsclean import ExtractConfig, InputError, extract
from newsclean.extraction import cap_attributes
from newsclean.extraction.blocks import BLOCK_FEATURES, PAGE_FEATURES, page_blocks
from newsclean.extraction.metadata import PageMeta, kind_features, read_metadata
from newsclean.extraction.model import PAGE_INPUTS, Ensemble, load_model, model_from_json

_COL = {name: i for i, name in enumerate(BLOCK_FEATURES)}


def test_blocks_split_at_block_tags_and_join_inline_text() -> None:
    tree = LexborHTMLParser(
        "<body><div>Intro <b>bold</b>text<p>First <a href=/x>link</a> para.</p>tail words"
        "<ul><li>one</li><li><a href=/>two</a></li></ul></div><script>var x;</script></body>"
    )
    blocks = page_blocks(tree.body)
    assert blocks.texts == ("Intro boldtext", "First link para.", "tail words", "one", "two")
    assert blocks.features.shape == (5, len(BLOCK_FEATURES))
    link = blocks.features[:, _COL["link_density"]]
    assert link[1] == pytest.approx(1 / 3) and link[3] == 0.0 and link[4] == 1.0
    assert blocks.features[3, _COL["own_li"]] == 1.0 and blocks.features[1, _COL["own_p"]] == 1.0
    assert blocks.page.shape == (len(PAGE_FEATURES),)


def test_context_and_class_features() -> None:
    tree = LexborHTMLParser(
        '<body><nav class="menu"><a href=/>Home</a></nav><article><p>Body text here.</p></article>'
        '<div id="comments"><div class="x"><p>A reader said this.</p></div></div></body>'
    )
    blocks = page_blocks(tree.body)
    home, body, comment = blocks.features
    assert home[_COL["in_nav"]] == 1.0 and body[_COL["in_nav"]] == 0.0
    assert body[_COL["in_article"]] == 1.0
    assert home[_COL["cls_nav"]] > 0 and body[_COL["cls_nav"]] == 0
    # the comment group is two levels up from the paragraph, nearer groups score higher
    assert 0 < comment[_COL["cls_comment"]] < 1 and body[_COL["cls_comment"]] == 0


def test_title_and_position_features() -> None:
    tree = LexborHTMLParser("<body><h1>Storm Hits Coast</h1><p>" + " ".join(BODY_EN) + "</p></body>")
    blocks = page_blocks(tree.body, title="storm hits coast")
    assert blocks.features[0, _COL["is_title"]] == 1.0 and blocks.features[1, _COL["is_title"]] == 0.0
    assert blocks.heading == (True, False)
    assert blocks.features[0, _COL["position_words"]] == 0.0 < blocks.features[1, _COL["position_words"]]


def test_walk_budget_stops_on_giant_pages() -> None:
    tree = LexborHTMLParser("<body>" + "<p>word word</p>" * 5000 + "</body>")
    assert len(page_blocks(tree.body).texts) == 5000
    assert 0 < len(page_blocks(tree.body, max_chars=1000).texts) < 200


def test_deep_pages_are_walked_without_recursion() -> None:
    depth = 20_000
    tree = LexborHTMLParser("<body>" + "<div>" * depth + "<p>deep text</p>" + "</div>" * depth + "</body>")
    assert page_blocks(tree.body).texts == ("deep text",)


def _stump(feature: int, threshold: float, low: float, high: float) -> dict[str, object]:
    return {"feature": [feature, 0, 0], "threshold": [threshold, None, None], "left": [1, 1, 2],
            "right": [2, 1, 2], "value": [0.0, low, high]}  # fmt: skip


def test_ensemble_sums_trees_per_class() -> None:
    trees = [_stump(0, 0.5, -1.0, 1.0), {**_stump(1, 2.0, 0.5, -0.5), "class": 1}, _stump(1, 1.0, 0.0, 3.0)]
    ens = Ensemble.from_json({"trees": trees, "base": [0.0, 1.0], "depth": 1})
    raw = ens.raw(np.array([[0.0, 0.0], [1.0, 1.5], [1.0, 3.0]]))
    # column 0: tree 0 + tree 2; column 1: base 1 + tree 1
    assert raw.tolist() == [[-1.0, 1.5], [4.0, 1.5], [4.0, 0.5]]


def test_shipped_model_loads_and_matches_the_features() -> None:
    model = load_model()
    assert model.block.feature.max() < len(BLOCK_FEATURES)
    assert model.page is not None and model.page.feature.max() < len(PAGE_INPUTS)
    assert set(model.page_types) == {"article", "forum", "listing", "product", "other"}
    assert 0 < model.threshold < 1


def test_model_with_other_features_is_refused(tmp_path: object) -> None:
    data = {"block_features": ["x"], "threshold": 0.5, "block": {"trees": [], "base": [0.0], "depth": 0}}
    with pytest.raises(InputError, match="block features"):
        model_from_json(data)
    bad = tmp_path / "model.json"  # type: ignore[operator]
    bad.write_text("{not json")
    with pytest.raises(InputError, match="cannot read"):
        load_model(str(bad))


_BLOCKS = ExtractConfig(method="blocks")


def test_extract_uses_blocks_and_sets_page_type() -> None:
    art = extract(news_page(), config=_BLOCKS)
    assert art.method == "blocks" and art.page_type in ("article", "forum", "listing", "product", "other")
    assert art.paragraphs[:4] == tuple(BODY_EN)
    for chrome in ("Share on", "Most read", "Copyright", "Home", "Storm warning"):
        assert chrome not in art.text
    vote = extract(news_page())  # the default method
    assert vote.method.startswith("trafilatura") and vote.page_type == art.page_type
    assert extract(news_page(), config=ExtractConfig(page_type=False)).page_type is None


def test_bad_method_is_input_error() -> None:
    with pytest.raises(InputError, match="method"):
        extract("<p>x</p>", config=ExtractConfig(method="magic"))  # type: ignore[arg-type]


def test_cap_attributes_bounds_one_element() -> None:
    many = " ".join(f'a{i}="v{i}"' for i in range(100_000))
    page = f"<html><body><div {many}><p>{BODY_EN[0]}</p></div></body></html>"
    capped = cap_attributes(page)
    div = LexborHTMLParser(capped).css_first("div")
    assert div is not None and len(div.attributes) == 256
    assert capped.endswith(f"><p>{BODY_EN[0]}</p></div></body></html>")
    for config in (_BLOCKS, ExtractConfig()):
        art = extract(page, config=config)
        assert art.ok and art.paragraphs == (BODY_EN[0],)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), st.text("ab c'", max_size=30)),
                max_size=300))  # fmt: skip
def test_cap_attributes_changes_only_tags_over_the_cap(attrs: list[tuple[str, str]]) -> None:
    values = " ".join(f'{name}="{value}"' for name, value in attrs)
    tag = f"<span {values} {'x' * 4000}>"
    page = f"<p>{tag}text</p>"
    capped = cap_attributes(page, limit=100)
    if len(attrs) + 1 <= 100:
        assert capped == page
    else:
        kept = LexborHTMLParser(capped).css_first("span")
        assert kept is not None and len(kept.attributes) <= 100
        assert capped.endswith(">text</p>")


def test_model_json_round_trip(tmp_path: object) -> None:
    """A model written in the training script's format loads and scores."""
    stump = _stump(_COL["link_density"], 0.5, 2.0, -2.0)
    page_stumps = [{**_stump(0, 100.0, 1.0, 0.0), "class": k} for k in range(5)]
    data = {
        "block_features": list(BLOCK_FEATURES),
        "page_features": list(PAGE_INPUTS),
        "threshold": 0.5,
        "block": {"trees": [stump], "base": [0.0], "depth": 1},
        "page_types": ["article", "forum", "listing", "product", "other"],
        "page": {"trees": page_stumps, "base": [0.0, 0.0, 0.5, 0.0, 0.0], "depth": 1},
    }
    path = tmp_path / "m.json"  # type: ignore[operator]
    path.write_text(json.dumps(data))
    art = extract(news_page(), config=ExtractConfig(method="blocks", model=str(path)))
    # the toy model keeps every block that is not mostly links, and calls every page a listing
    assert art.page_type == "listing" and BODY_EN[0] in art.paragraphs and "Home" not in art.text


_PAGE_COL = {name: i for i, name in enumerate(PAGE_FEATURES)}


def _listing(items: int) -> str:
    cards = "".join(
        f'<div class="card"><h3><a href="/p{i}">Item number {i} title</a></h3><p>Short teaser {i} text.</p>'
        f"<time>2024-01-{i % 28 + 1:02d}</time></div>"
        for i in range(items)
    )
    return f"<body><div class=grid>{cards}</div></body>"


def test_repeated_siblings_are_page_features() -> None:
    listing = page_blocks(LexborHTMLParser(_listing(12)).body).page
    article = page_blocks(LexborHTMLParser("<body><article>" + "".join(f"<p>{s}</p>" for s in BODY_EN) + "</article></body>").body).page
    assert listing[_PAGE_COL["rep_max_log"]] == pytest.approx(np.log1p(12))
    assert listing[_PAGE_COL["rep_words_share"]] == pytest.approx(1.0)
    assert listing[_PAGE_COL["rep_words_cv"]] < 0.2  # the cards are alike
    assert listing[_PAGE_COL["time_tags_log"]] == pytest.approx(np.log1p(12))
    assert 0.3 < listing[_PAGE_COL["linky_word_share"]] < 0.7
    # the article's paragraphs are siblings too, but of one element: one group, all words
    assert article[_PAGE_COL["article_tags_log"]] == pytest.approx(np.log1p(1))
    assert article[_PAGE_COL["unlinked_word_share"]] == pytest.approx(1.0)
    assert article[_PAGE_COL["p_word_share"]] == pytest.approx(1.0) and listing[_PAGE_COL["p_word_share"]] < 0.5
    # two cards are not a repeated structure
    assert page_blocks(LexborHTMLParser(_listing(2)).body).page[_PAGE_COL["rep_words_share"]] == 0.0


def test_metadata_kinds_and_their_features() -> None:
    page = LexborHTMLParser(
        '<html><head><meta property="og:type" content="Product">'
        '<script type="application/ld+json">{"@graph": [{"@type": ["Product", "Thing"]}, {"@type": "BreadcrumbList"}]}'
        "</script></head><body><p>x</p></body></html>"
    )
    meta = read_metadata(page)
    assert meta.kinds == ("breadcrumblist", "og:product", "product", "thing")
    values = dict(zip(("ld_article", "ld_forum", "ld_product", "ld_list", "og_article", "og_website", "og_product"),
                      kind_features(meta), strict=False))  # fmt: skip
    assert values == {"ld_article": 0.0, "ld_forum": 0.0, "ld_product": 1.0, "ld_list": 0.0, "og_article": 0.0,
                      "og_website": 0.0, "og_product": 1.0}  # fmt: skip
    forum = kind_features(PageMeta(kinds=("discussionforumposting",)))
    assert forum[:2] == [0.0, 1.0]  # a forum post is not an article type, though it ends in "posting"


def test_page_type_needs_no_block_inference(monkeypatch: pytest.MonkeyPatch) -> None:
    """The vote path names the page type from page features only (no block model run)."""
    import newsclean.extraction.model as model_module

    def refuse(self: object, x: object) -> object:
        msg = "block inference on the vote path"
        raise AssertionError(msg)

    monkeypatch.setattr(model_module.Model, "block_probability", refuse)
    art = extract(news_page())
    assert art.ok and art.page_type in ("article", "forum", "listing", "product", "other")


_TAGS = st.sampled_from(["p", "div", "li", "td", "th", "h2", "a", "span", "article", "form", "time", "ul"])
_CLASSES = st.sampled_from(["", "card", "comment", "nav menu", "post-content", "related"])


@st.composite
def _html(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(["Some words here.", "Home", "A longer sentence, with commas, and words."])))
        else:
            tag, cls = draw(_TAGS), draw(_CLASSES)
            href = " href=/x" if tag == "a" else ""
            parts.append(f'<{tag} class="{cls}"{href}>{draw(_html(depth + 1))}</{tag}>')
    return "".join(parts)


@settings(max_examples=80, deadline=None)
@given(_html(), st.sampled_from([None, "https://example.com/2024/05/story-1", "https://example.com/"]))
def test_page_features_are_page_blocks_page(html: str, url: str | None) -> None:
    """The vote path's cheap page features equal the full walk's (the classifier sees one thing)."""
    from newsclean.extraction.blocks import page_features

    body = LexborHTMLParser(f"<body>{html}</body>").body
    assert page_features(body, url).tolist() == page_blocks(body, url=url).page.tolist()


# A nested tree: (tag, class, children), leaves are paragraph texts.
_GROUP_CLASSES = ("comment", "share", "plain")
_tree = st.recursive(
    st.sampled_from(["one two", "three four five", "six"]),
    lambda inner: st.tuples(st.sampled_from(["div", "section"]), st.sampled_from(_GROUP_CLASSES), st.lists(inner, min_size=1, max_size=3)),
    max_leaves=12,
)


def _render(node: object) -> str:
    if isinstance(node, str):
        return f"<p>{node}</p>"
    tag, cls, children = node  # type: ignore[misc]
    return f'<{tag} class="{cls}">' + "".join(_render(c) for c in children) + f"</{tag}>"


def _expected(node: object, ancestors: tuple[tuple[str, int], ...], out: list[tuple[str, tuple[tuple[str, int], ...]]]) -> None:
    """Each paragraph's text and its ancestors (class, words under that element), outermost first."""
    if isinstance(node, str):
        out.append((node, ancestors))
        return
    _tag, cls, children = node  # type: ignore[misc]
    own = (cls, _words(node))
    for child in children:
        _expected(child, (*ancestors, own), out)


def _words(node: object) -> int:
    if isinstance(node, str):
        return len(node.split())
    return sum(_words(c) for c in node[2])  # type: ignore[index]


@given(st.lists(_tree, min_size=1, max_size=3))
@settings(max_examples=60, deadline=None)
def test_class_distances_and_container_words_follow_the_ancestors(roots: list[object]) -> None:
    """A block's class-group distance is 12 minus the levels up to its nearest ancestor of
    that group (the paragraph is level 0, 0 beyond 12 levels), and its containers' word
    shares are the words under its first and second block ancestors, whatever the depth."""
    blocks = page_blocks(LexborHTMLParser("<body>" + "".join(_render(r) for r in roots) + "</body>").body)
    expected: list[tuple[str, tuple[tuple[str, int], ...]]] = []
    for root in roots:
        _expected(root, (), expected)
    assert blocks.texts == tuple(text for text, _a in expected)
    total = sum(len(text.split()) for text, _a in expected)
    for row, (text, ancestors) in zip(blocks.features, expected, strict=True):
        chain = tuple(reversed(ancestors))  # nearest first; level = index + 1 (the <p> is level 0)
        for group in ("comment", "share"):
            level = next((i + 1 for i, (cls, _w) in enumerate(chain) if cls == group), None)
            want = (12 - level) / 12 if level is not None and level < 12 else 0.0
            assert row[_COL[f"cls_{group}"]] == pytest.approx(want)
        assert row[_COL["c0_words_frac"]] == pytest.approx(len(text.split()) / total)
        parent_words = chain[0][1] if chain else total  # no <div> around it: the <body>
        assert row[_COL["c1_words_frac"]] == pytest.approx(parent_words / total)
