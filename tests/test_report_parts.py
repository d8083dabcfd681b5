"""The report's parts: marks on texts, SVG charts, counting and sampling a run's output, evidence."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsclean import DedupConfig, InputError, explain_pair
from newsclean.report.evidence import describe, find_kept_apart, member_evidence
from newsclean.report.marks import changed_words, segments, word_spans
from newsclean.report.scan import Doc, ReportConfig, scan_output
from newsclean.report.svg import bar_chart
from newsclean.report.tally import reject_groups, size_bins

# ----------------------------------------------------------------------------- marks

span = st.tuples(st.integers(-3, 40), st.integers(-3, 40)).map(sorted).map(tuple)


@given(st.text(alphabet="ab \n", max_size=35),
       st.dictionaries(st.sampled_from(["changed", "shared", "figure"]), st.lists(span, max_size=4)))
def test_segments_cover_the_text_and_name_exactly_the_layers_over_each_character(
    text: str, layers: dict[str, list[tuple[int, int]]]
) -> None:
    pieces = segments(text, layers)
    assert "".join(p.text for p in pieces) == text
    at = 0
    for piece in pieces:
        for offset in range(len(piece.text)):
            i = at + offset
            expected = tuple(sorted(name for name, spans in layers.items()
                                    if any(a <= i < b for a, b in spans)))
            assert piece.marks == expected, (i, piece)
        at += len(piece.text)
    assert all(a.marks != b.marks for a, b in zip(pieces, pieces[1:], strict=False))


words = st.lists(st.sampled_from(["tram", "vote", "Council", "council,", "31", "12", "city"]), max_size=14)


@given(words, words)
def test_unchanged_words_are_a_common_subsequence(a_words: list[str], b_words: list[str]) -> None:
    a, b = " ".join(a_words), " ".join(b_words)
    changed_a, changed_b = changed_words(a, b)

    def kept(text: str, changed: list[tuple[int, int]]) -> list[str]:
        return [text[i:j].casefold().strip(",") for i, j in word_spans(text)
                if not any(x <= i and j <= y for x, y in changed)]

    assert kept(a, changed_a) == kept(b, changed_b)
    if [w.casefold().strip(",") for w in a_words] == [w.casefold().strip(",") for w in b_words]:
        assert changed_a == changed_b == []


def test_one_replaced_word_is_the_only_change() -> None:
    a = "The council voted 31 to 12 on Tuesday."
    b = "The Council voted 29 to 12 on Tuesday"
    changed_a, changed_b = changed_words(a, b)
    assert [a[i:j] for i, j in changed_a] == ["31"]
    assert [b[i:j] for i, j in changed_b] == ["29"]


# ----------------------------------------------------------------------------- svg


def test_bar_chart_draws_one_bar_per_value_scaled_to_the_peak() -> None:
    svg = bar_chart([("a", 10), ("b", 0), ("c", 5)], title="T <x>", x_label="x", y_label="y",
                    width=300, height=200)
    assert svg.count("<rect") == 3 and "T &lt;x&gt;" in svg
    heights = [float(part.split('"')[0]) for part in svg.split(' height="')[2:]]  # skip the svg's own
    assert heights[1] == 0.0 and heights[0] == pytest.approx(2 * heights[2])
    assert "a: 10</title>" in svg and "c: 5</title>" in svg


# ----------------------------------------------------------------------------- scan

WORDS = "harbour tram council vote bank rate market shares storm snow pass road school budget".split()


def _rows(seed: int = 3) -> list[dict[str, object]]:
    """Clusters of sizes 5, 3, 2, 2 and 6 singletons, with similarities and sources."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    sizes = {"c5": 5, "c3": 3, "c2a": 2, "c2b": 2}
    sizes.update({f"s{i}": 1 for i in range(6)})
    for cluster, size in sizes.items():
        for k in range(size):
            doc_id = cluster if k == 0 else f"{cluster}-{k}"
            rows.append({
                "id": doc_id, "text": " ".join(rng.choice(WORDS) for _ in range(30)),
                "source": "wire" if k else "daily", "status": "ok",
                "cluster_id": cluster, "is_representative": k == 0,
                "similarity": 1.0 if k == 0 else round(1.0 - 0.1 * k, 2),
            })
    rows.append({"id": "empty", "text": "", "source": "daily", "status": "no_content",
                 "cluster_id": "empty", "is_representative": True, "similarity": 1.0})
    return rows


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_scan_counts_everything_and_samples_within_bounds(tmp_path: Path) -> None:
    config = ReportConfig(largest_clusters=2, random_clusters=1, members_per_cluster=2, strip_records=4)
    scan = scan_output(_write(tmp_path / "out.jsonl", _rows()), config)
    assert (scan.rows, scan.clusters, scan.multi_clusters, scan.duplicates, scan.largest_cluster) == (
        19, 11, 4, 8, 5)
    assert dict(scan.statuses) == {"ok": 18, "no_content": 1}
    assert {(s.source, s.records, s.duplicates) for s in scan.sources} == {("wire", 8, 8), ("daily", 11, 0)}
    assert sum(scan.similarity_histogram) == 8
    assert [n for _, n, _ in scan.size_histogram] == [7, 2, 1, 1, 0]  # 1, 2, 3, 4-5, 6-10
    shown = scan.clusters_shown
    assert [(c.cluster_id, c.picked) for c in shown[:2]] == [("c5", "largest"), ("c3", "largest")]
    assert len(shown) == 3 and shown[2].picked == "random" and shown[2].cluster_id in ("c2a", "c2b")
    c5 = shown[0]
    assert c5.size == 5 and c5.representative is not None and c5.representative.id == "c5"
    assert [m.id for m in c5.members] == ["c5-4", "c5-3"]  # the least similar first
    assert c5.min_similarity == pytest.approx(0.6)
    assert len(scan.strip_sample) == 4 and scan.strip_sample[0].id == "empty"  # a row without a body
    assert {d.id for d in scan.pair_sample} == {"c5", "c3", "c2a", "c2b"} | {f"s{i}" for i in range(6)}
    assert scan.pair_population == 10  # the representatives with a text


def test_scan_does_not_depend_on_the_row_order(tmp_path: Path) -> None:
    rows = _rows()
    config = ReportConfig(largest_clusters=1, random_clusters=2, strip_records=3, pair_search_records=5)
    first = scan_output(_write(tmp_path / "a.jsonl", rows), config)
    random.Random(1).shuffle(rows)
    second = scan_output(_write(tmp_path / "b.jsonl", rows), config)
    assert first == second


def test_scan_of_an_output_without_dedup_fields(tmp_path: Path) -> None:
    rows = [{"id": f"d{i}", "text": "some text here", "status": "ok"} for i in range(5)]
    scan = scan_output(_write(tmp_path / "out.jsonl", rows))
    assert not scan.has_clusters and scan.clusters_shown == () and scan.size_histogram == ()
    assert scan.rows == 5 and scan.sources[0].source == "(none)"


def test_scan_refuses_a_file_that_is_not_an_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:2"):
        scan_output(bad)
    with pytest.raises(InputError, match="members_per_cluster"):
        ReportConfig(members_per_cluster=-1)


def test_size_bins_and_reject_groups() -> None:
    assert size_bins([1, 2, 2, 4, 4000])[-1] == ("1001+", 1, 4000)
    assert sum(n for _, n, _ in size_bins(range(1, 300))) == 299
    groups = reject_groups([{"path": "a", "line": i, "reason": f"invalid JSON at column {i}"} for i in range(5)]
                           + [{"path": "b", "offset": 7, "reason": "record too large"}], examples=2)
    assert [(g.reason, g.count, len(g.examples)) for g in groups] == [
        ("invalid JSON at column N", 5, 2), ("record too large", 1, 1)]
    assert groups[1].examples == ("b@7: record too large",)


# ----------------------------------------------------------------------------- evidence

SENTENCES = [
    "The city council voted on Tuesday to approve a new tram line across the harbour district.",
    "Work on the line is expected to begin next spring and to last for about three years.",
    "Opponents warned that the building work would disrupt the shops of the old town for months.",
    "The mayor said the project would be paid for by regional funds and a loan from the state bank.",
    "Bus routes along the quay will be cut back once the trams start running in the new year.",
    "A group of shop owners said they would ask the regional court to stop the project altogether.",
]


def test_a_member_that_is_no_copy_of_the_representative_says_through_whom_it_joined() -> None:
    rep = Doc("a", " ".join(SENTENCES[:4]))
    middle = Doc("b", " ".join(SENTENCES[2:5]))   # shares two sentences with each neighbour
    far = Doc("c", " ".join(SENTENCES[2:6]))       # a copy of b, not of a
    config = DedupConfig()
    assert not explain_pair(rep.text, far.text, config).duplicate
    assert explain_pair(middle.text, far.text, config).duplicate
    by_id = {e.doc.id: e for e in member_evidence(rep, [middle, far], config)}
    assert by_id["c"].link is not None and by_id["c"].link[0] == "b"
    assert by_id["c"].evidence == explain_pair(rep.text, far.text, config)
    assert describe(by_id["c"].evidence, config).startswith("not copies")


def test_kept_apart_finds_the_figure_swap_between_clusters_only() -> None:
    template = ("Shares of Harbour Bank {} {} percent to {} crowns on Tuesday after the lender said its "
                "quarterly profit reached {} million crowns, as higher interest rates lifted its income "
                "from loans to households and small firms across the northern region of the country.")
    a = Doc("bank-a", template.format("rose", "3.2", "41.50", "812"), cluster_id="bank-a")
    b = Doc("bank-b", template.format("fell", "1.7", "38.20", "655"), cluster_id="bank-b")
    other = Doc("tram", " ".join(SENTENCES), cluster_id="tram")
    search = find_kept_apart([other, b, a], DedupConfig(), limit=5)
    assert (search.records, search.figures_total) == (3, 1)
    (pair,) = search.pairs
    assert (pair.a.id, pair.b.id, pair.evidence.rule) == ("bank-a", "bank-b", "figures")
    assert ("41.50", "38.20") in {(s.a, s.b) for s in pair.evidence.figure_swaps}
    same_cluster = Doc("bank-b", b.text, cluster_id="bank-a")  # one cluster: not "kept apart"
    assert find_kept_apart([a, same_cluster, other], DedupConfig(), limit=5).pairs == ()


def test_the_report_reads_the_article_not_the_input_dump() -> None:
    """A dump read from ``text`` stays in ``text``; the report shows ``newsclean_text``."""
    from newsclean.report.scan import ReportConfig, _doc

    row = {"id": "a", "text": "Home | World | Sport\nThe council met.", "newsclean_text": "The council met."}
    assert _doc(row, ReportConfig()).text == "The council met."
    assert _doc({"id": "b", "text": "Already clean."}, ReportConfig()).text == "Already clean."
