"""Tests of the extract stages: chrome patterns, judging, metadata, charset."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser
from tests.test_extract import BODY_EN, news_page

from newsclean import ExtractConfig, InputError, extract
from newsclean.extraction.candidates import Candidate, parse_tree
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


def _spy_trafilatura(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Record the mode of every ``trafilatura.extract`` call, ``favor_precision`` and ``fast``,
    from its keywords or its ``options`` (the real one still runs)."""
    import trafilatura

    calls: list[dict[str, object]] = []
    real = trafilatura.extract

    def spy(*args: object, **kwargs: object) -> object:
        options = kwargs.get("options")
        if options is not None:
            calls.append({"favor_precision": options.focus == "precision", "fast": options.fast})  # type: ignore[attr-defined]
        else:
            calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "extract", spy)
    return calls


LONGER_BODY = [*BODY_EN, *(f"{p} {p}" for p in BODY_EN)]  # 249 words, above the default 100


@pytest.mark.parametrize(
    ("body", "config", "runs"),
    [(LONGER_BODY, ExtractConfig(), [True]),  # a long precision body: no fallback run
     (BODY_EN, ExtractConfig(), [True, False]),  # 83 words < 100: run again with the fallback
     (BODY_EN, ExtractConfig(precision_fallback=0), [True]),
     (LONGER_BODY, ExtractConfig(precision_fallback=-1), [False])],  # fmt: skip
)
def test_vote_precision_candidate_runs_trafilaturas_fallback_only_when_short(
    monkeypatch: pytest.MonkeyPatch, body: list[str], config: ExtractConfig, runs: list[bool]
) -> None:
    """The vote runs trafilatura's precision mode with ``fast=True`` (no internal readability /
    jusText fallback) and again with ``fast=False`` only when that body has fewer than
    ``precision_fallback`` words; ``-1`` is the one ``fast=False`` run of before."""
    calls = _spy_trafilatura(monkeypatch)
    page = news_page(body, extra_head='<meta property="og:type" content="article">')  # an article: no switch
    art = extract(page, config=config)
    assert art.ok and art.method == "trafilatura-precision"  # the candidate keeps its name either way
    assert [c["fast"] for c in calls if c["favor_precision"]] == runs


@pytest.mark.parametrize(("fallback", "words", "runs"), [(0, 3, [True]), (-1, 3, [False]), (10, 3, [True, False]),
                                                         (10, 12, [True]), (3, 3, [True])])  # fmt: skip
def test_precision_fallback_runs_only_below_its_word_count(
    monkeypatch: pytest.MonkeyPatch, fallback: int, words: int, runs: list[bool]
) -> None:
    import newsclean.extraction as extraction
    from newsclean.extraction.candidates import TRAFILATURA_VARIANTS

    seen: list[bool] = []

    def fake(tree: object, name: str, url: str | None = None) -> Candidate:
        fast = TRAFILATURA_VARIANTS[name][1]
        seen.append(fast)
        text = " ".join(["harbour"] * words) if fast else "the bridge will be rebuilt by the council next spring"
        return Candidate("trafilatura-precision", (text,))

    monkeypatch.setattr(extraction, "trafilatura_candidate", fake)
    got = extraction.precision_candidate(parse_tree("<p>x</p>"), None, fallback)  # type: ignore[arg-type]
    assert seen == runs
    assert got.name == "trafilatura-precision"
    assert ("bridge" in got.text) is (not runs[-1])


def test_precision_fallback_must_be_known() -> None:
    with pytest.raises(InputError, match="precision_fallback"):
        extract("<p>x</p>", config=ExtractConfig(precision_fallback=-2))


_WORDS = st.lists(st.sampled_from(["the", "bridge", "harbour", "council", "vote", "Bridge", "spring", "ferry"]), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=2, max_size=4), st.lists(_WORDS, min_size=1, max_size=4))
def test_vote_scores_are_the_plain_bag_formulas(bodies: list[list[str]], paragraphs: list[list[str]]) -> None:
    """agreement / similarity / trim_edges (cached bags, shared-word counts, each pair once)
    equal the plain Counter formulas they replace."""
    from collections import Counter

    from newsclean.extraction.judge import REFERENCE_COVERAGE, SUPPORT_SHARE, similarity

    def bag(text: str) -> Counter[str]:
        return Counter(text.lower().split())

    def f1(a: Counter[str], b: Counter[str]) -> float:
        total = sum(a.values()) + sum(b.values())
        return 2 * sum((a & b).values()) / total if total else 1.0

    cands = [Candidate(f"c{i}", (" ".join(words),) if words else ()) for i, words in enumerate(bodies)]
    bags = [bag(c.text) for c in cands]
    plain = {c.name: sum(f1(bags[i], bags[j]) for j in range(len(cands)) if j != i) for i, c in enumerate(cands)}
    assert agreement(cands) == plain
    assert similarity(cands[0], cands[1]) == f1(bags[0], bags[1])
    texts = [" ".join(p) for p in paragraphs]
    ref, base = bags[0], bag("\n".join(texts))
    size = sum(base.values())
    usable = size and sum(ref.values()) >= REFERENCE_COVERAGE * size and sum((base & ref).values()) >= REFERENCE_COVERAGE * size

    def supported(text: str) -> bool:
        b = bag(text)
        return not b or sum((b & ref).values()) >= SUPPORT_SHARE * sum(b.values())

    start, end = 0, len(texts)
    while usable and start < end and not supported(texts[start]):
        start += 1
    while usable and end > start and not supported(texts[end - 1]):
        end -= 1
    assert trim_edges(texts, cands[0]) == tuple(texts[start:end])


_MARKUP_PIECES = st.sampled_from(["<div", "<p class=x", "<é", "<1", "<", ">", " a=1", ' title="x>y"', "word ", "\n"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_MARKUP_PIECES, st.integers(1, 1500)), max_size=12), st.integers(1, 300))
def test_cap_attributes_is_one_pass_of_the_long_tag_pattern(parts: list[tuple[str, int]], limit: int) -> None:
    """The split-by-"<" shortcut of cap_attributes gives what one pass of the pattern over the
    whole markup gives (pieces repeated up to 1,500 times make tags of 4,000+ characters)."""
    from tests.oracle_markup import one_pass_cap

    from newsclean.extraction import cap_attributes

    text = "".join(piece * count for piece, count in parts)
    expected = one_pass_cap(text, limit)
    assert cap_attributes(text, limit) == expected
