"""Languages detected after the strips (a ``strip_many`` window, a chunk of ``newsclean run``)
against ``strip`` page by page: the same articles, each in its own language."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.errors import RecordError
from newsclean.etl.config import PipelineConfig
from newsclean.etl.records import Record
from newsclean.etl.rows import record_to_row
from newsclean.etl.sites import strip_ahead
from newsclean.stripping import TemplateLearner, strip_many
from newsclean.stripping.core import strip_body, strip_text, with_languages

# Own sentences, a few languages, so that a page given another page's language shows.
SENTENCES = {
    "en": ["The council approved the new budget for schools on Tuesday after a long debate.",
           "Farmers said that the first rain in months had come too late for most of the harvest.",
           "The minister told reporters that the bridge would open to traffic next spring."],
    "de": ["Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt für die Schulen beschlossen.",
           "Die Bauern sagten, der erste Regen seit Monaten sei für die Ernte zu spät gekommen.",
           "Der Minister erklärte, die Brücke werde im nächsten Frühjahr für den Verkehr geöffnet."],
    "fr": ["Le conseil municipal a adopté mardi le nouveau budget des écoles après un long débat.",
           "Les agriculteurs ont dit que la première pluie depuis des mois était arrivée trop tard.",
           "Le ministre a déclaré aux journalistes que le pont ouvrirait au printemps prochain."],
    "ru": ["Городской совет во вторник после долгих споров утвердил новый бюджет для школ.",
           "Фермеры сказали, что первый за несколько месяцев дождь пришёл слишком поздно.",
           "Министр сообщил журналистам, что мост откроют для движения следующей весной."],
}
CHROME = ["  • Home", "  • World", "Share this article", "© 2024 Example News. All rights reserved."]


@st.composite
def dumps(draw: st.DrawFn) -> str:
    language = draw(st.sampled_from(sorted(SENTENCES)))
    body = draw(st.lists(st.sampled_from(SENTENCES[language]), min_size=0, max_size=4))
    head = draw(st.lists(st.sampled_from(CHROME), max_size=3))
    tail = draw(st.lists(st.sampled_from(CHROME), max_size=2))
    return "\n".join([*head, "", *("\n\n".join(body).split("\n")), "", *tail])


pages = st.lists(dumps(), min_size=1, max_size=8)


@settings(max_examples=30, deadline=None)
@given(pages, st.booleans())
def test_languages_after_the_strips_are_those_of_each_strip(texts: list[str], explain: bool) -> None:
    found = with_languages([strip_body(t, explain=explain) for t in texts])
    assert found == [strip_text(t, explain=explain) for t in texts]


@settings(max_examples=20, deadline=None)
@given(pages, st.integers(1, 5))
def test_a_strip_many_window_gives_each_page_its_own_strip(texts: list[str], window: int) -> None:
    sites = [f"site{i % 2}.example" for i in range(len(texts))]
    learner = TemplateLearner()
    expected = []
    for start in range(0, len(texts), window):  # strip_many's windows, page by page
        part = range(start, min(start + window, len(texts)))
        for i in part:
            learner.observe(texts[i], sites[i])
        expected += [learner.strip(texts[i], sites[i]) for i in part]
    assert list(strip_many(texts, sites=sites, window=window)) == expected


def _row(record: Record, config: PipelineConfig) -> object:
    row = record_to_row(record, config)
    return str(row) if isinstance(row, RecordError) else row  # (an exception equals only itself)


@settings(max_examples=20, deadline=None)
@given(pages)
def test_a_chunk_stripped_ahead_gives_the_rows_of_records_stripped_one_by_one(texts: list[str]) -> None:
    config = PipelineConfig()  # mode auto: text records are stripped, HTML ones extracted
    items: list[Record] = [Record({"id": i, "text": t}, "in.jsonl", i + 1) for i, t in enumerate(texts)]
    items += [Record({"id": "n", "text": None}, "in.jsonl", 90),  # a reject: null text
              Record({"id": "b", "text": texts[0].encode("utf-8")}, "in.jsonl", 91),  # bytes: decoded
              Record({"id": "h", "text": texts[0], "html": "<p>Hello there, this is a page.</p>"}, "in.jsonl", 92)]
    ahead = strip_ahead(list(items), config)
    assert [_row(r, config) for r in ahead] == [_row(r, config) for r in items]
    assert sum(isinstance(r, Record) and r.prepared is not None for r in ahead) == len(texts) + 1
