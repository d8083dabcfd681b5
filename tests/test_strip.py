"""Tests of newsclean.strip: examples, seeds, bad input, metamorphic and property tests."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import article as article_strategy

import newsclean
from newsclean import (
    Article,
    InputError,
    StripConfig,
    TemplateConfig,
    TemplateLearner,
    strip,
    strip_many,
)
from newsclean.stripping.lines import split_raw_lines

CASES = Path(__file__).parent / "cases" / "strip"
REASONS = {"body", "title", "menu", "ticker", "teaser", "share", "byline", "date", "footer",
           "cookie", "form", "header", "boilerplate", "template", "binary", "caption", "comments", "blank"}

# --- hand-written articles (ours) and chrome -------------------------------------------

ARTICLES = {
    "en": [
        "The city council voted on Tuesday to extend the tram line to the northern suburbs, "
        "ending a debate that had lasted for more than three years.",
        "Supporters of the plan said the new line would cut travel times for thousands of "
        "commuters, while critics warned that the cost could rise well above the budget.",
        "Construction is expected to begin next spring and to take about two years, the "
        "mayor told reporters after the vote.",
    ],
    "ru": [
        "Городской совет во вторник проголосовал за продление трамвайной линии в северные "
        "районы, завершив спор, который длился больше трёх лет.",
        "Сторонники проекта считают, что новая линия сократит время в пути для тысяч "
        "жителей, а критики предупреждают, что стоимость может превысить бюджет.",
        "Строительство должно начаться следующей весной и займёт около двух лет, сообщил "
        "мэр журналистам после голосования.",
    ],
    "de": [
        "Der Stadtrat hat am Dienstag beschlossen, die Straßenbahnlinie bis in die nördlichen "
        "Vororte zu verlängern, und damit eine jahrelange Debatte beendet.",
        "Befürworter sagen, dass die neue Linie die Fahrzeiten für tausende Pendler verkürzen "
        "wird, während Kritiker vor steigenden Kosten warnen.",
        "Die Bauarbeiten sollen im nächsten Frühjahr beginnen und etwa zwei Jahre dauern, "
        "sagte die Bürgermeisterin nach der Abstimmung.",
    ],
    "fr": [
        "Le conseil municipal a voté mardi le prolongement de la ligne de tramway vers les "
        "quartiers du nord, mettant fin à un débat qui durait depuis plus de trois ans.",
        "Les partisans du projet estiment que la nouvelle ligne réduira le temps de trajet de "
        "milliers d'habitants, tandis que les critiques craignent une hausse des coûts.",
        "Les travaux devraient commencer au printemps prochain et durer environ deux ans, a "
        "déclaré le maire après le vote.",
    ],
    "es": [
        "El ayuntamiento votó el martes a favor de ampliar la línea de tranvía hasta los "
        "barrios del norte, poniendo fin a un debate que duraba más de tres años.",
        "Los defensores del plan afirman que la nueva línea reducirá el tiempo de viaje de "
        "miles de vecinos, mientras que los críticos temen que el coste se dispare.",
        "Las obras comenzarán la próxima primavera y durarán unos dos años, dijo la alcaldesa "
        "a los periodistas después de la votación.",
    ],
    "ar": [
        "صوّت مجلس المدينة يوم الثلاثاء على تمديد خط الترام إلى الأحياء الشمالية، منهياً "
        "نقاشاً استمر أكثر من ثلاث سنوات بين السكان والمسؤولين.",
        "ويقول مؤيدو الخطة إن الخط الجديد سيختصر وقت التنقل لآلاف الركاب، بينما يحذر "
        "المنتقدون من أن التكلفة قد ترتفع كثيراً فوق الميزانية المقررة.",
        "ومن المتوقع أن تبدأ أعمال البناء في الربيع المقبل وأن تستغرق نحو عامين، بحسب ما "
        "قاله رئيس البلدية للصحفيين بعد التصويت.",
    ],
}

CHROME = {
    "en": {"menu": ["Home", "News", "World", "Politics", "Business", "Sport", "Culture"],
           "ticker": "BREAKING", "teaser": "Most Read", "share": ["Share", "Tweet", "Email"],
           "footer": "© 2024 The Example Times. All rights reserved."},
    "ru": {"menu": ["Главная", "Новости", "Политика", "Экономика", "Спорт", "Культура"],
           "ticker": "Срочно", "teaser": "Читайте также", "share": ["Поделиться", "Комментарии"],
           "footer": "© 2024 Пример. Все права защищены."},
    "de": {"menu": ["Startseite", "Politik", "Wirtschaft", "Sport", "Kultur", "Wissen"],
           "ticker": "Eilmeldung", "teaser": "Meistgelesen", "share": ["Teilen", "Drucken"],
           "footer": "© 2024 Beispiel Verlag. Alle Rechte vorbehalten."},
    "fr": {"menu": ["Accueil", "Politique", "Économie", "Société", "Sports", "Culture"],
           "ticker": "Dernière minute", "teaser": "Les plus lus", "share": ["Partager", "Imprimer"],
           "footer": "© 2024 Exemple. Tous droits réservés."},
    "es": {"menu": ["Inicio", "Política", "Economía", "Sociedad", "Deportes", "Cultura"],
           "ticker": "Última hora", "teaser": "Lo más leído", "share": ["Compartir", "Imprimir"],
           "footer": "© 2024 Ejemplo. Todos los derechos reservados."},
    "ar": {"menu": ["الرئيسية", "أخبار", "سياسة", "اقتصاد", "رياضة", "ثقافة"],
           "ticker": "عاجل", "teaser": "الأكثر قراءة", "share": ["شارك", "طباعة"],
           "footer": "© 2024 مثال. جميع الحقوق محفوظة."},
}
TEASERS = ["Storm closes schools across the region", "Prices of bread rise again",
           "Local team reaches the final", "New museum opens its doors"]


def dressed(lang: str, style: str = "inscriptis") -> str:
    """A page dump: our article dressed in our chrome, in a renderer's style."""
    chrome = CHROME[lang]
    top, sub = ("  • ", "      ◦ ") if style == "inscriptis" else ("     * ", "          + ")
    indent = "" if style == "inscriptis" else "   "
    lines = [f"{top}{item}" for item in chrome["menu"][:3]]
    lines += [f"{sub}{item}" for item in chrome["menu"][3:]]
    if style == "lynx":
        lines.append("     * ____________________ (BUTTON) Search")
    lines += ["", indent + chrome["ticker"], indent + TEASERS[0], ""]
    lines += [f"{top}{item}" for item in chrome["share"]]
    for para in ARTICLES[lang]:
        lines += ["", indent + para]
    lines += ["", f"{top}{chrome['share'][0]}", "", indent + chrome["teaser"], ""]
    lines += [f"{top}{t}" for t in TEASERS]
    lines += ["", indent + chrome["footer"]]
    return "\n".join(lines)


# --- examples ----------------------------------------------------------------------------


def test_public_api() -> None:
    assert newsclean.strip is strip
    assert isinstance(strip("word " * 20), Article)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "\t \r\n"])
def test_empty_input_gives_empty_article_with_reason(text: str) -> None:
    art = strip(text)
    assert art.status == "empty_input" and art.reason and art.text == "" and art.paragraphs == ()
    assert art.source == "text"


@pytest.mark.parametrize("bad", [None, b"bytes", 42, ["a list"]])
def test_non_str_raises_input_error(bad: object) -> None:
    with pytest.raises(InputError, match="str"):
        strip(bad)  # type: ignore[arg-type]


def test_all_menu_dump_is_no_content() -> None:
    dump = "\n".join(f"  • {w}" for w in CHROME["en"]["menu"] * 5) + "\nMost Read\n" + "\n".join(
        f"  • {t}" for t in TEASERS)
    art = strip(dump)
    assert art.status == "no_content"
    assert art.reason and "no article body" in art.reason
    assert art.text == ""


def test_binary_garbage_does_not_raise() -> None:
    rng = random.Random(7)
    garbage = bytes(rng.randrange(256) for _ in range(20_000)).decode("latin-1")
    art = strip(garbage, explain=True)
    assert art.status in {"ok", "no_content"}
    assert len(art.decisions) == len(split_raw_lines(garbage))


def test_long_line_without_newlines() -> None:
    sentence = "The committee published its report on the state of the river today. "
    art = strip(sentence * 3000)  # ~200 KB in one line (the 10 MB case is in the speed benchmark)
    assert art.ok and len(art.paragraphs) == 1


def test_config_validation() -> None:
    with pytest.raises(InputError, match="threshold"):
        StripConfig(threshold=1.5)
    with pytest.raises(InputError):
        StripConfig(min_words=-1)


def test_explain_gives_one_decision_per_line_with_known_reasons() -> None:
    dump = dressed("en")
    art = strip(dump, explain=True)
    assert len(art.decisions) == len(dump.split("\n"))
    assert [d.line_no for d in art.decisions] == list(range(1, len(art.decisions) + 1))
    assert {d.reason for d in art.decisions} <= REASONS
    reasons = {d.text: d.reason for d in art.decisions}
    assert reasons["• Home"] == "menu"
    assert reasons["BREAKING"] == "ticker"
    assert reasons["Most Read"] == "teaser"
    assert reasons["• Tweet"] == "share"
    assert reasons["© 2024 The Example Times. All rights reserved."] == "footer"
    assert all(reasons[p] == "body" for p in ARTICLES["en"])
    assert strip(dump).decisions == ()


def test_inline_share_is_cut() -> None:
    text = "\n\n".join([*ARTICLES["en"][:2], ARTICLES["en"][2] + " Share"])
    assert strip(text).paragraphs == tuple(ARTICLES["en"])


def test_wrapped_lines_are_joined() -> None:
    import textwrap

    wrapped = "\n\n".join(textwrap.fill(p, 60) for p in ARTICLES["en"])
    assert strip(wrapped).paragraphs == tuple(ARTICLES["en"])


def test_lynx_link_numbers_and_references_go() -> None:
    dump = "\n".join([
        "   [1]Home [2]News [3]Sport", "",
        "   " + ARTICLES["en"][0].replace("tram line", "[4]tram line"), "",
        *("   " + p + "\n" for p in ARTICLES["en"][1:]),
        "References", "", "   1. https://example.com/", "   2. https://example.com/news",
    ])
    assert strip(dump).paragraphs == tuple(ARTICLES["en"])


# --- metamorphic: our article + our chrome -> our article ---------------------------------


@pytest.mark.parametrize("style", ["inscriptis", "lynx"])
@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_chrome_around_article_is_stripped(lang: str, style: str) -> None:
    art = strip(dressed(lang, style))
    assert art.paragraphs == tuple(ARTICLES[lang])


def test_headline_before_byline_is_the_title() -> None:
    dump = "\n".join(["  • Home", "  • News", "", "Tram line to reach the northern suburbs",
                      "By Anna Smith", "12 March 2024 10:15", "", *ARTICLES["en"]])
    art = strip(dump, explain=True)
    assert art.title == "Tram line to reach the northern suburbs"
    assert art.paragraphs == tuple(ARTICLES["en"])
    assert any(d.reason == "title" and d.kept for d in art.decisions)


COMMENTS = [
    "Marta Lopez July 7, 2012 at 12:27 am",
    "I have taken the tram to the old harbour every morning for twenty years and I would welcome a line that "
    "finally reaches the hospital and the schools in the north.",
    "Reply",
    "Peter K. said...",
    "The council said the same thing about the bus lanes in the last election, and the works took twice as "
    "long as they promised us, so forgive me if I wait and see.",
    "July 8, 2012 9:03 AM",
    "Jane Doe July 8, 2012 at 10:15 pm",
    "Will the new stops have lifts for prams and wheelchairs, or will we again be left to carry everything "
    "up the stairs at the busiest stations of the network?",
    "Reply",
]


@pytest.mark.parametrize("heading", ["{ 3 comments\u2026 read them below or add one }", "3 Responses to \u201cTram\u201d",
                                     "Comments"])
def test_readers_comments_after_the_article_go(heading: str) -> None:
    # The comments are prose: without the comment rule the page_share rule would keep
    # them too (most of the page's prose lies outside the article).
    dump = "\n".join([*dressed("en").split("\n")[:-2], "", heading, *COMMENTS * 4, "", "  \u2022 Home",
                      "  \u2022 Contact"])
    art = strip(dump, explain=True)
    assert art.paragraphs == tuple(ARTICLES["en"])
    assert "comments" in {d.reason for d in art.decisions if d.text in COMMENTS}


def test_comment_meta_lines_alone_do_not_cut_the_article() -> None:
    # No comment heading: a reply line and a time inside the article are not a section.
    paragraphs = [*ARTICLES["en"][:2], "Reply", "The vote is at 10:30 on Monday.", ARTICLES["en"][2]]
    assert "The vote is at 10:30 on Monday." in strip("\n\n".join(paragraphs)).paragraphs


# --- seeds (hand-checked expectations in tests/cases/strip) -------------------------------


@pytest.mark.parametrize("case_file", sorted(CASES.glob("seed_*.json")), ids=lambda p: p.stem)
def test_seed_cases(case_file: Path, seeds: dict[str, str]) -> None:
    case = json.loads(case_file.read_text(encoding="utf-8"))
    art = strip(seeds[case["seed"]])
    assert art.title == case["title"]
    assert list(art.paragraphs) == case["paragraphs"]


# --- strip_many / TemplateLearner ---------------------------------------------------------


def _site_pages(n: int) -> list[str]:
    promo = ("Sign up for the Example Morning newsletter and get the stories that matter "
             "delivered to your inbox before breakfast every day.")
    pages = []
    for i in range(n):
        body = [f"Story number {i} begins as the council meets to discuss the budget for the year ahead.",
                f"Members argued for hours about item {i} before a narrow majority approved it late at night."]
        pages.append("\n\n".join([f"Council decides on item {i}", *body, promo]))
    return pages


def test_strip_many_drops_lines_repeated_across_the_site() -> None:
    pages = _site_pages(6)
    single = [strip(p) for p in pages]
    many = list(strip_many(pages, sites=["example.com"] * 6, explain=True))
    assert len(many) == 6
    for one, art in zip(single, many, strict=True):
        assert "newsletter" not in art.text
        assert set(art.paragraphs) <= set(one.paragraphs) | set(art.paragraphs)
        assert any(d.reason == "template" for d in art.decisions)


def test_strip_many_keeps_sites_apart_and_order() -> None:
    pages = _site_pages(6)
    sites = [f"site{i}.example" for i in range(6)]  # every page its own site: nothing repeats
    many = list(strip_many(pages, sites=sites, window=2))
    assert [a.paragraphs for a in many] == [strip(p).paragraphs for p in pages]


def test_strip_many_does_not_empty_copies_of_one_story() -> None:
    page = "\n\n".join(ARTICLES["en"])
    many = list(strip_many([page] * 5))
    assert all(a.paragraphs == tuple(ARTICLES["en"]) for a in many)


def test_strip_many_argument_errors() -> None:
    with pytest.raises(InputError, match="window"):
        list(strip_many(["a"], window=0))
    with pytest.raises(InputError, match="sites"):
        list(strip_many(["a", "b"], sites=["x"]))
    with pytest.raises(InputError, match="min_pages"):
        TemplateConfig(min_pages=1)


def test_strip_many_refuses_a_single_str_and_names_a_bad_item() -> None:
    # A str is an iterable of characters: it would come back as one "page" per character.
    with pytest.raises(InputError, match="single str; wrap it in a list"):
        strip_many("one page dump")
    with pytest.raises(InputError, match="sites .* single str"):
        strip_many(["a", "b"], sites="ab")
    with pytest.raises(InputError, match=r"texts\[2\] is NoneType"):
        list(strip_many(["a", "b", None, "d"], window=2))  # type: ignore[list-item]
    with pytest.raises(InputError, match=r"sites\[1\] is int"):
        list(strip_many(["a", "b"], sites=["x", 3]))  # type: ignore[list-item]


def test_template_learner_bounded_memory() -> None:
    learner = TemplateLearner(TemplateConfig(max_lines=50))
    for i in range(40):
        learner.observe("\n".join(f"line {i} {j}" for j in range(10)), site="s")
    assert len(learner._counts) <= 50


# --- properties ---------------------------------------------------------------------------

dump_lines = st.lists(
    st.one_of(
        st.sampled_from(["", "  • Home", "  • News", "Most Read", "BREAKING", "Share", "     * Sport",
                         "© 2024 All rights reserved.", "By Jane Doe", "12 March 2024"]),
        st.sampled_from([p for paras in ARTICLES.values() for p in paras]),
        st.text(max_size=80),
    ),
    max_size=30,
).map("\n".join)


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(s == b for b in it) for s in small)


@settings(max_examples=200)
@given(st.text())
def test_never_raises_on_any_str(text: str) -> None:
    art = strip(text, explain=True)
    assert art.status in {"ok", "empty_input", "no_content"}
    assert (art.text == "") == (not art.ok)


@given(st.one_of(dump_lines, article_strategy))
def test_output_words_are_a_subsequence_of_input_lines(text: str) -> None:
    art = strip(text, explain=True)
    kept = [d.text for d in art.decisions if d.kept and d.reason == "body"]
    normalized = [" ".join(line.split()) for line in split_raw_lines(text)]
    assert _is_subsequence(kept, normalized)
    words = re.compile(r"\w+").findall
    assert _is_subsequence(words(art.text), words(" ".join(kept)))


@given(st.one_of(dump_lines, article_strategy))
def test_idempotent_on_its_own_output(text: str) -> None:
    first = strip(text)
    if first.ok:
        assert strip(first.text).paragraphs == first.paragraphs


# --- quality gate on the dev set (in-sample for the shipped model: a regression floor) ---

# Measured 0.952 / 0.940 when the model was shipped; the out-of-sample numbers
# (site-grouped CV) are in the README and benchmarks/strip_quality.py.
QUALITY_FLOORS = {"dump_inscriptis": 0.94, "dump_lynx": 0.925}


def _bow_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro bag-of-words F1 as ../shared/tools/eval_extract.py computes it."""
    from collections import Counter

    token = re.compile(r"\w+")
    precisions, recalls = [], []
    for gold, pred in pairs:
        g, p = Counter(token.findall(gold.lower())), Counter(token.findall(pred.lower()))
        tp = sum((g & p).values())
        if sum(p.values()):
            precisions.append(tp / sum(p.values()))
        recalls.append(tp / sum(g.values()) if sum(g.values()) else 1.0)
    prec, rec = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return 2 * prec * rec / (prec + rec)


@pytest.mark.parametrize("key", sorted(QUALITY_FLOORS))
def test_dev_set_quality_floor(key: str, extraction_dev_set: Path) -> None:
    import gzip

    with gzip.open(extraction_dev_set, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    f1 = _bow_f1([(r["text"], strip(r[key]).text) for r in records])
    assert f1 >= QUALITY_FLOORS[key]


# Pieces that exercise every measured column: chrome phrases and marks, bylines, dates,
# stopwords, title-case and digit words, CJK, odd whitespace and unprintable characters.
_MEASURE_PIECES = st.sampled_from([
    "Share", "Most Read", "© 2024 Example Ltd.", "By Jane Doe", "12 March 2024 10:15", "5 min read",
    "updated", "published", "the", "and", "Cookies help us", "accept", "___", "(c)", "[x]", "Σ",
    "ΟΔΟΣ", "İstanbul", "新闻报道中国日本語新闻报道中国日本語新闻报道", "O'Neil", "USA", "2024", "٣٤",
    "don't", "said.", "Hello,", "x;y:z", "\u00a0", "\t", "\u2009", "\x0b", "\x1c", "\x00\x01",
    "\u200b", "  ", " ", "“Quote”", "…", "Reply", "ago",
])
_MEASURE_LINE = st.lists(st.one_of(_MEASURE_PIECES, st.text(max_size=8)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MEASURE_LINE.map(lambda s: s.replace("\n", " ").replace("\r", " ")), max_size=20))
def test_page_at_once_measurement_equals_line_by_line(contents: list[str]) -> None:
    # The fast path (the whole page at once) must give exactly what the per-line
    # reference gives, column by column, so the model sees the same features.
    from newsclean.stripping.lines import _measure, _measure_all

    fast = _measure_all(contents)
    slow = [list(col) for col in zip(*map(_measure, contents), strict=True)] if contents else [[]] * 12
    assert [list(col) for col in fast] == slow


def test_page_at_once_measurement_handles_very_long_lines() -> None:
    from newsclean.stripping.lines import _MEASURE_CHARS, _measure, _measure_all

    contents = ["Share", "word " * (_MEASURE_CHARS // 4), "By Jane Doe"]
    assert [list(col) for col in _measure_all(contents)] == [
        list(col) for col in zip(*map(_measure, contents), strict=True)]
