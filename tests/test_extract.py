"""Tests of newsclean.extract on hand-written pages (no shared data needed)."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsclean
from newsclean import Article, ExtractConfig, InputError, extract
from newsclean.extraction.charset import decode_html

BODY_EN = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a debate that had lasted almost ten years.",
    "Engineers told the council that the bridge, opened in 1911, could no longer carry buses safely and would need new steel supports.",
    "Work is expected to start next spring and to take two years, during which a ferry will carry pedestrians across the harbour.",
    "Local shop owners said they welcomed the decision but worried about losing customers while the bridge is closed.",
]


def news_page(paragraphs: list[str] = BODY_EN, extra_head: str = "") -> str:
    """A news page with navigation, share buttons, a related list and a footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Council votes to rebuild harbour bridge | The Harbour Times</title>
<meta property="og:site_name" content="The Harbour Times">
<meta name="author" content="Jane Fielding">
<meta property="article:published_time" content="2024-03-05T08:15:00Z">
<link rel="canonical" href="https://harbour.example/news/bridge">
{extra_head}
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
<h1>Council votes to rebuild harbour bridge</h1>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
{body}
<p>Follow us on Twitter and Facebook for more local news.</p>
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Storm warning for the weekend</a></li>
<li><a href="/b">New school opens in the north</a></li></ul></aside></main>
<footer><p>Copyright 2024 The Harbour Times. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""


def test_news_page_body_and_metadata() -> None:
    art = extract(news_page(), url="https://harbour.example/news/bridge?ref=rss")
    assert art.ok and art.source == "html"
    assert art.paragraphs == tuple(BODY_EN)
    assert art.text == "\n\n".join(BODY_EN)
    assert art.title == "Council votes to rebuild harbour bridge"  # <h1> before <title>
    assert art.author == "Jane Fielding"
    assert art.date == "2024-03-05T08:15:00+00:00"
    assert art.language == "en"
    assert art.site_name == "The Harbour Times"
    assert art.url == "https://harbour.example/news/bridge?ref=rss"
    assert art.method.startswith("trafilatura")
    assert art.page_type in ("article", "forum", "listing", "product", "other")
    for chrome in ("Share on", "Follow us", "Most read", "Copyright", "Home", "Storm warning"):
        assert chrome not in art.text


def test_canonical_url_when_none_given() -> None:
    assert extract(news_page()).url == "https://harbour.example/news/bridge"


def test_headline_leaking_into_body_is_stripped() -> None:
    art = extract(news_page(extra_head='<meta property="og:title" content="Council votes to rebuild harbour bridge">'))
    assert art.title == "Council votes to rebuild harbour bridge"
    assert not art.text.startswith("Council votes")
    assert art.paragraphs[0] == BODY_EN[0]


def test_json_ld_metadata_wins_and_body_is_a_fallback() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Example"},
            {
                "@type": "NewsArticle",
                "headline": "Rebuilt bridge approved",
                "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chan"}],
                "datePublished": "2024-03-05",
                "publisher": {"@type": "Organization", "name": "Harbour Media"},
                "inLanguage": "en-US",
                "articleBody": "\n".join(BODY_EN),
            },
        ],
    }
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    page = f'<html><head><title>App</title>{script}</head><body><div id="app"></div></body></html>'
    art = extract(page)
    assert art.ok and art.method == "json-ld"
    assert art.paragraphs == tuple(BODY_EN)
    assert (art.title, art.author, art.date, art.language, art.site_name) == (
        "Rebuilt bridge approved", "Ann Lee, Bo Chan", "2024-03-05", "en", "Harbour Media",
    )
    art2 = extract(news_page(extra_head=script))
    assert art2.author == "Ann Lee, Bo Chan" and art2.method.startswith("trafilatura")


RU = [
    "Городской совет во вторник проголосовал за реконструкцию старого моста через гавань.",
    "Инженеры сообщили, что мост, открытый в 1911 году, больше не выдерживает автобусы.",
    "Работы начнутся весной и продлятся два года, всё это время пешеходов будет перевозить паром.",
]
JA = [
    "市議会は火曜日、港に架かる古い橋の架け替えを賛成多数で可決した。議論は十年近く続いていた。",
    "技術者によると、一九一一年に開通した橋はバスの重さに耐えられず、新しい鋼製の支柱が必要だという。",
    "工事は来年の春に始まり二年かかる見込みで、その間は渡し船が歩行者を運ぶ。",
]


def page_in(paragraphs: list[str], head: str, lang: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html lang='{lang}'><head>{head}<title>T</title></head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("paragraphs", "codec", "head", "lang"),
    [
        (RU, "cp1251", '<meta charset="windows-1251">', "ru"),
        (RU, "cp1251", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">', "ru"),
        (RU, "koi8_r", '<meta http-equiv="content-type" content="text/html;charset=KOI8-R">', "ru"),
        (JA, "shift_jis", '<meta charset="Shift_JIS">', "ja"),
        (JA, "cp932", '<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">', "ja"),
        (JA, "euc_jp", '<meta charset="EUC-JP">', "ja"),
        (RU, "utf-8", "", "ru"),
    ],
)
def test_declared_charsets_decode_right(paragraphs: list[str], codec: str, head: str, lang: str) -> None:
    art = extract(page_in(paragraphs, head, lang).encode(codec))
    assert art.ok
    assert art.paragraphs == tuple(paragraphs)
    assert art.language == lang


def test_language_from_the_text_when_undeclared() -> None:
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in JA) + "</article></body></html>"
    assert extract(page).language == "ja"
    page_ru = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in RU) + "</article></body></html>"
    assert extract(page_ru).language == "ru"  # Cyrillic is shared by many languages: the model tells


@pytest.mark.parametrize(("paragraphs", "codec"), [(RU * 3, "cp1251"), (JA * 3, "shift_jis")])
def test_undeclared_charset_is_sniffed(paragraphs: list[str], codec: str) -> None:
    data = page_in(paragraphs, "", "xx").encode(codec)
    text, found = decode_html(data)
    assert paragraphs[0] in text, found
    assert extract(data).paragraphs[0] == paragraphs[0]


def test_utf8_bom_and_utf16_bom() -> None:
    page = page_in(RU, "", "ru")
    assert extract(b"\xef\xbb\xbf" + page.encode("utf-8")).paragraphs == tuple(RU)
    assert extract(page.encode("utf-16")).paragraphs == tuple(RU)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("", "empty_input"),
        ("  \n\t ", "empty_input"),
        (b"", "empty_input"),
        (b"   ", "empty_input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "not_html"),
        (bytes(range(256)) * 4, "not_html"),
        ('{"title": "Not a page", "body": "<p>x</p>"}', "not_html"),
        ("[1, 2, 3]", "not_html"),
        ("Just a line of plain text without any markup at all.", "not_html"),
        ("<html><body></body></html>", "no_content"),
        ("<html><body><div><span> </span></div></body></html>", "no_content"),
        ("<html><head><title>Only a title</title></head><body><nav><a href='/'>Home</a></nav></body></html>", "no_content"),
    ],
)
def test_no_article_gives_typed_status(value: str | bytes, status: str) -> None:
    art = extract(value)
    assert art.status == status
    assert not art.ok and art.text == "" and art.paragraphs == ()
    assert art.reason


@pytest.mark.parametrize("value", [None, 42, ["<p>x</p>"], {"html": "<p>x</p>"}])
def test_wrong_type_is_input_error(value: object) -> None:
    with pytest.raises(InputError, match="str or bytes"):
        extract(value)  # type: ignore[arg-type]


def test_bad_config_is_input_error() -> None:
    with pytest.raises(InputError, match="max_chars"):
        extract("<p>x</p>", config=ExtractConfig(max_chars=-1))


def test_config_switches() -> None:
    page = news_page(extra_head='<meta property="og:title" content="Council votes to rebuild harbour bridge">')
    raw = extract(page, config=ExtractConfig(remove_chrome=False, strip_headline=False, normalize=None))
    assert raw.paragraphs[0] == "Council votes to rebuild harbour bridge"
    assert any(p.startswith("Follow us") for p in raw.paragraphs)
    assert extract(page, config=dataclasses.replace(ExtractConfig(), min_words=10_000)).status == "no_content"


def test_paragraphs_are_normalized() -> None:
    art = extract(news_page([p.replace("council", "“council”") + "\u00a0…" for p in BODY_EN]))
    assert '"council"' in art.text and "\u00a0" not in art.text and "..." in art.text


def test_truncation_keeps_the_head() -> None:
    page = news_page()
    art = extract(page + "<div>" + "<p>filler</p>" * 20_000, config=ExtractConfig(max_chars=len(page) + 100))
    assert art.ok and art.paragraphs[0] == BODY_EN[0]


def test_deep_nesting_does_not_crash() -> None:
    depth = 10_000
    page = "<html><body>" + "<div>" * depth + "<p>" + BODY_EN[0] + "</p>" + "</div>" * depth + "</body></html>"
    art = extract(page)
    assert art.ok and art.paragraphs == (BODY_EN[0],)
    # lxml stops at 256 levels, but cap_depth made the elements below 250 siblings: the
    # main extractor reads the <p> (before, only the selectolax fallback "paragraphs" did)
    assert art.method == "trafilatura"


def test_no_network_and_no_entity_expansion() -> None:
    page = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<html><body><article><p>" + BODY_EN[0] + " &xxe;</p><p>" + BODY_EN[1] + "</p></article></body></html>"
    )
    art = extract(page)
    assert "root:" not in art.text


def test_exported_at_top_level() -> None:
    assert newsclean.extract is extract and "extract" in newsclean.__all__ and "ExtractConfig" in newsclean.__all__


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400), st.text(alphabet="<>/ap divbody\"'=&;#x1", max_size=300)))
def test_never_raises_and_is_consistent(value: str | bytes) -> None:
    art = extract(value)
    assert isinstance(art, Article)
    assert art.text == "\n\n".join(art.paragraphs)
    assert art.ok == bool(art.text)
    assert (art.reason is None) == art.ok
