"""Tests of the extract stages: chrome patterns, judging, metadata, charset."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser
from tests.test_extract import BODY_EN, news_page

from newsclean import extract
from newsclean.extraction.candidates import Candidate
from newsclean.extraction.charset import declared_charset, decode_html, sniff_charset
from newsclean.extraction.chrome import chrome_reason, remove_chrome
from newsclean.extraction.judge import agreement, choose, trim_edges
from newsclean.extraction.metadata import iso_date, read_metadata

CHROME = [
    ("Share this article", "label"),
    ("Follow us on Instagram", "share"),
    ("Follow Jane Fielding on Twitter.", "share"),
    ("Read more: Harbour ferry timetable changes", "related"),
    ("READ MORE: Bridge closure dates announced", "related"),
    ("Lesen Sie auch: Neue Brücke für den Hafen", "related"),
    ("Lire aussi : le pont du port sera reconstruit", "related"),
    ("Leia também: ponte será reconstruída", "related"),
    ("Читайте также: мост закроют на ремонт", "related"),
    ("Photo: John Smith", "credit"),
    ("Foto: Agentur", "credit"),
    ("Фото: пресс-служба", "credit"),
    ("Sign up for our morning newsletter and get the news in your inbox.", "newsletter"),
    ("Get the latest updates right in your inbox.", "newsletter"),
    ("Tempo de leitura: 3 minutos", "meta"),
    ("5 min read", "meta"),
    ("12 Comments", "meta"),
    ("Advertisement", "label"),
]


@pytest.mark.parametrize(("line", "reason"), CHROME)
def test_chrome_lines_are_flagged(line: str, reason: str) -> None:
    assert chrome_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        *BODY_EN,
        "She said she would follow the council's advice on the bridge.",
        "Readers can sign up at the library to visit the construction site.",
        "The photo exhibition opens on Friday in the old customs house.",
        "Posted by the harbour master, the notice warned of strong currents.",
        # long paragraphs are never tested against the patterns
        "Follow us on Twitter, " + "and the story of the harbour bridge goes on " * 10,
    ],
)
def test_article_lines_are_kept(line: str) -> None:
    assert chrome_reason(line) is None


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from([line for line, _ in CHROME]), min_size=1, max_size=4), st.integers(0, 4))
def test_adding_chrome_to_an_article_gives_the_article_back(chrome: list[str], where: int) -> None:
    """Metamorphic: chrome paragraphs inserted into a clean article are removed again."""
    clean = extract(news_page()).paragraphs
    mixed = list(BODY_EN)
    mixed[where:where] = chrome
    assert extract(news_page(mixed)).paragraphs == clean


def test_remove_chrome_keeps_order() -> None:
    assert remove_chrome(["b", "Advertisement", "a"]) == ("b", "a")


def test_choose_prefers_first_unless_outvoted() -> None:
    full = ("The storm hit the coast on Monday.", "Schools were closed and roads flooded.")
    first = Candidate("precision", full[:1])
    fast = Candidate("fast", full)
    read = Candidate("readability", full)
    assert choose([first, fast, read]).name == "fast"
    assert choose([Candidate("precision", full), fast, read]).name == "precision"
    assert agreement([fast, read]) == {"fast": 1.0, "readability": 1.0}


def test_trim_edges_needs_a_comparable_reference() -> None:
    body = ["Sign up now", "The storm hit the coast on Monday.", "Schools were closed."]
    assert trim_edges(body, Candidate("r", ("unrelated words only",))) == tuple(body)
    assert trim_edges(body, Candidate("r", tuple(body[1:]))) == tuple(body[1:])


def test_metadata_fallbacks() -> None:
    page = LexborHTMLParser(
        "<html><head><title>Page title</title><meta http-equiv='content-language' content='pt-BR'>"
        "<meta name='date' content='2019-11-18 09:30'></head><body><time datetime='2001-01-01'>x</time></body></html>"
    )
    meta = read_metadata(page)
    assert (meta.title, meta.language, meta.date, meta.author) == ("Page title", "pt", "2019-11-18T09:30:00", None)


def test_metadata_survives_broken_json_ld() -> None:
    page = LexborHTMLParser('<script type="application/ld+json">{"@type": "NewsArticle", broken</script><h1>T</h1>')
    assert read_metadata(page).title == "T"


@pytest.mark.parametrize("value", ["2019-02-30", "not a date", "", None])
def test_iso_date_rejects_bad_dates(value: str | None) -> None:
    assert iso_date(value) is None


def test_charset_declared_but_wrong_falls_back_to_utf8() -> None:
    data = '<meta charset="us-ascii"><p>Straße</p>'.encode()
    assert declared_charset(data) == "cp1252"
    assert decode_html(data) == ('<meta charset="us-ascii"><p>Straße</p>', "utf-8")
    legacy = '<meta charset="iso-8859-1"><p>Straße</p>'.encode("latin-1")
    assert decode_html(legacy) == ('<meta charset="iso-8859-1"><p>Straße</p>', "cp1252")


_EN_POUND = ("<html><body><h1>Club agrees record fee</h1><p>The club said on Tuesday it had activated the "
             "£71.6m release clause of the striker, a fee it called “fair” for a player of his age.</p>"
             "<p>Supporters greeted the news with relief — and some scepticism — outside the ground.</p></body></html>")
_PL = ("<html><body><h1>Rząd przyjął budżet</h1><p>Rząd przyjął w środę projekt budżetu na przyszły rok. "
       "Minister finansów powiedział, że deficyt będzie niższy, niż zakładano jesienią, a wzrost płac "
       "w sferze budżetowej wyniesie około sześciu procent.</p><p>Opozycja zapowiedziała, że złoży "
       "poprawki dotyczące służby zdrowia i szkolnictwa wyższego.</p></body></html>")
_CZ = ("<html><body><p>Vláda ve středu schválila návrh rozpočtu na příští rok. Ministr financí řekl, že schodek "
       "bude nižší, než se čekalo na podzim, a platy ve veřejném sektoru vzrostou zhruba o šest procent.</p></body></html>")


@pytest.mark.parametrize(("page", "codec", "url"), [
    (_EN_POUND, "cp1252", None),  # charset_normalizer took it for cp1250: "Ł71.6m"
    (_EN_POUND, "cp1252", "https://www.example.co.uk/sport"),
    (_PL, "cp1250", None),
    (_PL, "iso8859_2", None),  # charset_normalizer: iso8859_10
    (_PL, "iso8859_2", "https://wiadomosci.example.pl/a"),
    (_CZ, "cp1250", "https://example.cz/"),
    (_CZ, "iso8859_2", None),  # charset_normalizer: cp1250
])
def test_undeclared_legacy_latin_pages_decode_as_written(page: str, codec: str, url: str | None) -> None:
    assert decode_html(page.encode(codec), url=url)[0] == page


def test_bytes_without_letter_bytes_are_windows_1252_and_odd_urls_are_only_hints() -> None:
    data = "<p>A £5 fee « agreed » for ® goods, 20°C</p>".encode("cp1252")
    assert sniff_charset(data) == "cp1252"
    pl = _PL.encode("cp1250")
    for url in ("https://пример.рф/", "http://[::1]/", "::::", "http://a..b/", "ftp://x", "http://x.123/", ""):
        assert isinstance(sniff_charset(pl, url), str)  # never raises on a URL
    assert extract(pl, url="https://example.pl/a").title == "Rząd przyjął budżet"
