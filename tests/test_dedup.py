"""dedup: examples (copies, truncations, templated reports), errors, then invariants."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import article

from newsclean import (
    DedupConfig,
    DedupResult,
    InputError,
    comparison_form,
    dedup,
    explain_pair,
)
from newsclean.etl.rows import article_text
from newsclean.report.evidence import describe

REPORT = (
    "The central bank raised its main interest rate by half a percentage point on Tuesday, "
    "its third increase this year, saying inflation was still too high.\n\n"
    "Governor Anna Berg told reporters the bank would act again if prices kept rising, "
    "and that the labour market remained tight across the country.\n\n"
    "Economists had expected a smaller move. The currency rose against the euro after the "
    "announcement, while shares of the largest lenders fell in afternoon trading.\n\n"
    "The next policy meeting is scheduled for the end of next month, the bank said."
)
OTHER = (
    "The city council approved a plan to rebuild the old harbour bridge, which has been "
    "closed to heavy traffic since a storm damaged its supports last winter. Work will start "
    "in spring and should take two years, officials said, adding that ferries would run "
    "more often while the bridge is shut."
)
TEMPLATE = (
    "The Agriculture Department said national average prices for farmer-owned reserve grain "
    "stood at {a} dlrs per bushel for wheat and {b} dlrs for corn on April {day}, "
    "compared with the previous day's levels, the department said in its daily notice."
)


def labels_of(texts: list[str], **kwargs: object) -> tuple[str, ...]:
    return dedup(texts, **kwargs).labels  # type: ignore[arg-type]


def test_wire_prefix_and_typography_copy_is_merged() -> None:
    copy = "LONDON (Reuters) - " + REPORT.replace("'", "\u2019").upper()
    assert labels_of([REPORT, copy, OTHER]) == ("0", "0", "2")


def test_truncated_copy_joins_by_containment() -> None:
    paragraphs = REPORT.split("\n\n")
    truncated = "\n\n".join(paragraphs[:2]) + "\n\nRead the full story on our website."
    res = dedup([REPORT, truncated, OTHER])
    assert res.labels == ("0", "0", "2")
    assert res.representatives[:2] == ("0", "0")
    assert res.containment[1] > 0.8 and res.similarity[1] < 0.7
    no_containment = DedupConfig(containment=None)
    assert dedup([REPORT, truncated], config=no_containment).labels == ("0", "1")


BIO = (
    "Maria Lindqvist has covered markets and economic policy for this newspaper since 2009, "
    "first from the Stockholm bureau and later from Brussels, where she followed the debt "
    "crisis and the banking union talks. She studied economics in Uppsala and journalism in "
    "Gothenburg. Write to her with tips through the newsroom contact form."
)
HARBOUR = (
    "Harbour workers walked out on Friday morning after talks on a new wage deal broke down "
    "late on Thursday, leaving dozens of container ships waiting outside the port.\n\n"
    "The union said its members had been offered less than the rise in living costs, while "
    "the port operator said the offer was the best in a decade and urged a quick return.\n\n"
    "Exporters of timber and steel warned that a strike lasting more than a week would cost "
    "them orders, and the trade minister called both sides to a meeting on Monday.\n\n"
    "Ferry traffic to the islands was not affected, the port said, and passenger terminals "
    "stayed open through the day, although some freight routes were moved to other ports."
)


def test_shared_bio_is_not_a_copy_but_a_short_truncated_copy_is() -> None:
    # Two different articles that both end with the same long author bio: the short one
    # is mostly the bio (>= 0.6 contained in the long one), but a small part of the long
    # one, so its Jaccard is low; a copy truncated to its first paragraphs still joins.
    long_story = REPORT + "\n\n" + HARBOUR + "\n\n" + OTHER + "\n\n" + BIO
    short_note = "The museum reopens soon after long repairs.\n\n" + BIO
    truncated = "\n\n".join(long_story.split("\n\n")[:4]) + "\n\nRead more on our website."
    res = dedup([long_story, short_note, truncated])
    assert res.labels == ("0", "1", "0")
    ev = explain_pair(short_note, long_story)
    assert ev.containment >= 0.6 and ev.jaccard < 0.2 and ev.rule == "below_threshold"
    assert "is below 0.2" in describe(ev, DedupConfig())
    ev = explain_pair(truncated, long_story)
    assert ev.rule == "containment" and ev.jaccard < DedupConfig().threshold
    no_floor = DedupConfig(containment_min_jaccard=0.0)
    assert explain_pair(short_note, long_story, no_floor).rule == "containment"
    with pytest.raises(InputError, match="containment_min_jaccard"):
        DedupConfig(containment_min_jaccard=1.5)


def test_templated_reports_with_other_figures_stay_apart() -> None:
    day7 = TEMPLATE.format(a="2.72", b="1.59", day=7)
    day8 = TEMPLATE.format(a="2.75", b="1.61", day=8)
    assert labels_of([day7, day8]) == ("0", "1")
    ignore = DedupConfig(numbers="ignore", threshold=0.3)
    assert dedup([day7, day8], config=ignore).labels == ("0", "0")


def test_result_fields_and_helpers() -> None:
    texts = [REPORT, "PARIS (AFP) - " + REPORT, OTHER]
    res = dedup(texts, ids=["z", "b", "q"])
    assert isinstance(res, DedupResult)
    assert res.labels == ("b", "b", "q")
    assert res.representatives == ("b", "b", "q")  # the longer copy represents the cluster
    assert res.similarity[1] == 1.0 and 0.8 < res.similarity[0] < 1.0
    assert res.clusters() == {"b": ("b", "z")}
    assert res.duplicates() == ("z",)
    assert res.n_clusters == 2


def test_empty_and_short_texts_are_documented_singletons() -> None:
    res = dedup(["", "...", "Hi", "Hi", REPORT])
    assert res.empty == (True, True, False, False, False)
    assert res.labels == ("0", "1", "2", "2", "4")


def test_estimate_verification_agrees_on_clear_cases() -> None:
    texts = [REPORT, "LONDON (Reuters) - " + REPORT, OTHER]
    assert dedup(texts, config=DedupConfig(verify="estimate")).labels == ("0", "0", "2")


@pytest.mark.parametrize(
    ("texts", "ids", "kwargs", "match"),
    [
        ([REPORT, 3], None, {}, "texts\\[1\\] is int"),
        ([REPORT, OTHER], ["a", "a"], {}, "duplicate id 'a'"),
        ([REPORT, OTHER], ["a"], {}, "2 texts"),
        ([REPORT], [7], {}, "ids\\[0\\] is int"),
        ([REPORT], None, {"threshold": 1.5}, "threshold must be in"),
        ([REPORT], None, {"threshold": 0.0}, "threshold must be in"),
    ],
)
def test_bad_input_raises(
    texts: list[object], ids: object, kwargs: dict[str, float], match: str
) -> None:
    with pytest.raises(InputError, match=match):
        dedup(texts, ids, **kwargs)  # type: ignore[arg-type]


def test_bad_config_raises() -> None:
    with pytest.raises(InputError, match="containment"):
        DedupConfig(containment=2.0)
    with pytest.raises(InputError, match="verify"):
        dataclasses.replace(DedupConfig(), verify="fuzzy")  # type: ignore[arg-type]


corpus = st.lists(article, min_size=1, max_size=8)


@given(corpus, st.data())
@settings(max_examples=40)
def test_identical_texts_share_a_cluster(texts: list[str], data: st.DataObject) -> None:
    doubled = texts + [texts[data.draw(st.integers(0, len(texts) - 1))]]
    res = dedup(doubled)
    i = len(doubled) - 1
    original = doubled.index(doubled[i])
    if not res.empty[i]:
        assert res.labels[i] == res.labels[original]


@given(corpus)
@settings(max_examples=40)
def test_labels_form_a_partition_named_by_smallest_member(texts: list[str]) -> None:
    ids = [f"d{i:02d}" for i in range(len(texts))]
    res = dedup(texts, ids)
    clusters: dict[str, list[str]] = {}
    for doc_id, label in zip(res.ids, res.labels, strict=True):
        clusters.setdefault(label, []).append(doc_id)
    for label, members in clusters.items():
        assert label == min(members)
    reps = {label: rep for label, rep in zip(res.labels, res.representatives, strict=True)}
    assert all(rep in clusters[label] for label, rep in reps.items())
    assert len(set(res.representatives)) == len(clusters)


@given(corpus, st.randoms(use_true_random=False))
@settings(max_examples=40)
def test_input_order_changes_nothing(texts: list[str], rnd: random.Random) -> None:
    texts = texts + [t + " extra words at the end" for t in texts[:2]]
    ids = [f"id{i}" for i in range(len(texts))]
    res = dedup(texts, ids)
    order = list(range(len(texts)))
    rnd.shuffle(order)
    shuffled = dedup([texts[i] for i in order], [ids[i] for i in order])
    by_id = dict(
        zip(res.ids, zip(res.labels, res.representatives, res.similarity, strict=True), strict=True)
    )
    for doc_id, label, rep, sim in zip(
        shuffled.ids, shuffled.labels, shuffled.representatives, shuffled.similarity, strict=True
    ):
        assert by_id[doc_id] == (label, rep, sim)


def test_reuters_hard_negatives(reuters_path: object) -> None:
    """Same-title daily notices of different days in Reuters-21578 are not merged."""
    import gzip
    import json

    with gzip.open(str(reuters_path), "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    notices = [r for r in recs if r["title"] == "FED ADDS RESERVES VIA CUSTOMER REPURCHASES"]
    assert len(notices) >= 10
    res = dedup([r["text"] for r in notices], [r["id"] for r in notices])
    merged_different = {
        (a["id"], b["id"])
        for a, la in zip(notices, res.labels, strict=True)
        for b, lb in zip(notices, res.labels, strict=True)
        if la == lb and comparison_form(a["text"]) != comparison_form(b["text"])
    }
    assert not merged_different


def test_empty_input() -> None:
    res = dedup([])
    assert res.labels == () and res.n_clusters == 0


def test_figures_moved_within_a_rephrased_clause_conflict() -> None:
    from newsclean.cluster import numbers_conflict
    from newsclean.shingle import fast_word_tokens

    head = "The harbour board said it had not changed its tariff during the week. "
    a = (
        head
        + "Later it revised its view of the cargo balance this month to a gain of 40 mln tonnes from an earlier estimate of an even balance."
    )
    b = (
        head
        + "Later it revised its view of the cargo balance to even from an earlier estimate of a 25 mln tonnes gain."
    )
    assert numbers_conflict(fast_word_tokens(a), fast_word_tokens(b))
    # The same clause with the same figure moved is a copy, and so is "UPDATE 1" in front.
    c = (
        head
        + "Later it revised its view of the cargo balance to even from an earlier estimate of a 40 mln tonnes gain."
    )
    assert not numbers_conflict(fast_word_tokens(a), fast_word_tokens(c))
    assert not numbers_conflict(fast_word_tokens(a), fast_word_tokens("UPDATE 1 " + a))


# -- explain_pair: the decision of dedup for one pair, with its evidence ----------------------

FED = (
    "The Federal Reserve entered the government securities market to arrange {} billion "
    "dlrs of customer repurchase agreements, a Fed spokesman said. Dealers said federal "
    "funds were trading at {} pct when the Fed began its temporary supply of reserves."
)


def test_explain_pair_shows_the_swapped_figures() -> None:
    from newsclean import FigureSwap, PairEvidence, explain_pair

    a, b = FED.format("1.5", "6-3/16"), FED.format("two", "6-1/4")
    ev = explain_pair(a, b)
    assert isinstance(ev, PairEvidence)
    assert (ev.duplicate, ev.rule) == (False, "figures")
    assert ev.jaccard >= DedupConfig().threshold
    assert ev.figure_swaps == (
        FigureSwap(
            "1.5", "two", (a.index("1.5"), a.index("1.5") + 3), (b.index("two"), b.index("two") + 3)
        ),
        FigureSwap(
            "6-3/16",
            "6-1/4",
            (a.index("6-3"), a.index("6-3") + 6),
            (b.index("6-1"), b.index("6-1") + 5),
        ),
    )
    for passage in ev.shared_passages:
        assert a[slice(*passage.a_span)] == passage.text
        assert comparison_form(b[slice(*passage.b_span)]) == comparison_form(passage.text)
    assert dedup([a, b]).labels == ("0", "1")


def test_explain_pair_agrees_with_dedup_and_names_the_rule() -> None:
    from newsclean import explain_pair

    paragraphs = REPORT.split("\n\n")
    truncated = "\n\n".join(paragraphs[:2]) + "\n\nRead the full story on our website."
    cases = {
        "jaccard": ("LONDON (Reuters) - " + REPORT, REPORT),
        "containment": (REPORT, truncated),
        "below_threshold": (REPORT, OTHER),
        "empty": (REPORT, " ... "),
    }
    for rule, (a, b) in cases.items():
        ev = explain_pair(a, b)
        assert ev.rule == rule
        assert ev.duplicate == (dedup([a, b]).labels == ("0", "0"))
        res = dedup([a, b])
        if ev.duplicate:
            # dedup reports the member's similarity to its representative: the same numbers.
            assert max(res.similarity) == 1.0 and min(res.similarity) == pytest.approx(ev.jaccard)
    # Number words are compared as digits: "four" in one copy and "4" in the other is no swap.
    words = explain_pair(REPORT + " It has four branches.", REPORT + " It has 4 branches.")
    assert words.duplicate and words.figure_swaps == ()
    # numbers="ignore" turns the rule off.
    a, b = FED.format("1.5", "6-3/16"), FED.format("two", "6-1/4")
    assert explain_pair(a, b, DedupConfig(numbers="ignore")).duplicate


@given(st.lists(article, min_size=2, max_size=2), st.integers(0, 3))
@settings(max_examples=30)
def test_explain_pair_decision_is_dedup_decision(texts: list[str], edit: int) -> None:
    from newsclean import explain_pair

    a = texts[0]
    b = [a, "Intro. " + a, a[: len(a) * 2 // 3], texts[1]][edit]
    ev = explain_pair(a, b)
    assert ev.duplicate == (len(set(dedup([a, b]).labels)) == 1)
    assert ev.duplicate == (ev.rule in ("jaccard", "containment"))


# -- one core, every engine: the same clusters from dedup, DedupIndex and the command line ---

_STORY_WORDS = (
    "the bank said rates would rise after inflation data showed prices climbing while traders "
    "expected a cut oil output fell shares of the company jumped on news minister told "
    "parliament that talks continue storm hit coast wheat corn"
).split()
_FIGURES = ["1.5", "two", "four", "4", "6-3/16", "1,500", "12", "Monday", "March", "0.25", "nil"]
_NOTICE = (
    "The Federal Reserve entered the government securities market to arrange {} billion dlrs "
    "of customer repurchase agreements, a spokesman said. Federal funds were trading at {} pct "
    "when the Fed began its temporary and indirect supply of reserves to the banking system."
)


@st.composite
def figure_corpora(draw: st.DrawFn) -> list[str]:
    """Stories with figures and their copies (prefix, truncation, number word for digits,
    one corrected figure, Cyrillic look-alike letters), plus templated notices with swapped
    figures."""
    words = st.sampled_from(_STORY_WORDS + _FIGURES)
    stories = draw(st.lists(st.lists(words, min_size=3, max_size=60), min_size=1, max_size=5))
    texts = [" ".join(s) for s in stories]
    for story in stories:
        for edit in draw(
            st.lists(
                st.sampled_from(["copy", "prefix", "cut", "word", "fix", "disguise"]), max_size=3
            )
        ):
            tokens = list(story)
            if edit == "prefix":
                tokens = ["LONDON", "(Reuters)", "-", *tokens]
            elif edit == "cut":
                tokens = tokens[: max(1, len(tokens) * 2 // 3)]
            elif edit == "word":
                tokens = ["4" if t == "four" else "four" if t == "4" else t for t in tokens]
            elif edit == "fix":
                tokens[draw(st.integers(0, len(tokens) - 1))] = draw(st.sampled_from(_FIGURES))
            elif edit == "disguise":  # Cyrillic о and а in the words: the same text to dedup
                tokens = [t.replace("o", "\u043e").replace("a", "\u0430") for t in tokens]
            texts.append(" ".join(tokens))
    amounts = st.sampled_from(["1.5", "two", "2.5", "one", "800 mln"])
    rates = st.sampled_from(["6-3/16", "6-1/4", "six", "6-1/8"])
    texts += [_NOTICE.format(draw(amounts), draw(rates)) for _ in range(draw(st.integers(0, 4)))]
    return texts


def _cli_rows(
    tmp: str, ids: list[str], texts: list[str], *args: str
) -> dict[str, dict[str, object]]:
    import json
    from pathlib import Path

    from newsclean.cli import main

    src, out = Path(tmp) / "in.jsonl", Path(tmp) / f"out{len(list(Path(tmp).iterdir()))}.jsonl"
    src.write_text(
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts, strict=True))
    )
    assert main(["dedup", str(src), "-o", str(out), "-q", "--chunk-size", "3", *args]) == 0
    return {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}


def _assert_rows_match(rows: dict[str, dict[str, object]], res: DedupResult) -> None:
    for i, doc_id in enumerate(res.ids):
        row = rows[doc_id]
        assert row["cluster_id"] == res.labels[i], doc_id
        assert row["is_representative"] == (res.representatives[i] == doc_id), doc_id
        assert row["similarity"] == round(res.similarity[i], 4), doc_id


@given(figure_corpora(), st.integers(1, 3))
@settings(max_examples=25, deadline=None)
def test_index_gives_the_clusters_of_dedup(texts: list[str], batches: int) -> None:
    from newsclean import DedupIndex

    ids = [f"d{i:02d}" for i in range(len(texts))]
    once = dedup(texts, ids)
    index = DedupIndex()
    step = max(1, len(texts) // batches)
    for lo in range(0, len(texts), step):
        index.add(texts[lo : lo + step], ids[lo : lo + step])
    inc = index.result()
    assert (inc.labels, inc.representatives, inc.similarity, inc.containment) == (
        once.labels,
        once.representatives,
        once.similarity,
        once.containment,
    )


@given(figure_corpora())
@settings(max_examples=4, deadline=None)
def test_command_line_gives_the_clusters_of_dedup(texts: list[str]) -> None:
    import tempfile

    ids = [f"d{i:02d}" for i in range(len(texts))]
    with tempfile.TemporaryDirectory() as tmp:
        _assert_rows_match(_cli_rows(tmp, ids, texts), dedup(texts, ids))


@pytest.mark.slow
@given(figure_corpora())
@settings(max_examples=15, deadline=None)
def test_command_line_jobs_1_and_2_give_the_clusters_of_dedup(texts: list[str]) -> None:
    import tempfile

    ids = [f"d{i:02d}" for i in range(len(texts))]
    once = dedup(texts, ids)
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in ("1", "2"):
            _assert_rows_match(_cli_rows(tmp, ids, texts, "--jobs", jobs), once)


@given(figure_corpora())
@settings(max_examples=30, deadline=None)
def test_no_member_is_chained_to_its_representative(texts: list[str]) -> None:
    """Every member of a cluster is itself a verified duplicate of its representative."""
    from newsclean import explain_pair

    res = dedup(texts)
    for i, rep in enumerate(res.representatives):
        if rep != res.ids[i]:
            assert explain_pair(texts[i], texts[int(rep)]).duplicate, (i, rep)
        assert res.labels[i] == min(
            (d for d, lab in zip(res.ids, res.labels, strict=True) if lab == res.labels[i]),
        )


def test_chained_pairs_are_split_deterministically() -> None:
    from newsclean.duplicates import assign, sketch_texts

    words = [f"w{i}" for i in range(80)]
    texts = [" ".join(words[lo:hi]) for lo, hi in ((0, 30), (10, 40), (20, 46), (30, 60))]
    res = dedup(texts, ["a", "b", "c", "d"])
    # a~b and b~c and c~d are duplicates; d is no duplicate of b, the hub: it stays out.
    assert res.labels == ("a", "a", "a", "d") and res.representatives == ("b", "b", "b", "d")
    # A wrong rule (plain connected components) would chain d in: the split is what differs.
    sk = sketch_texts(texts, ["a", "b", "c", "d"])
    chain = np.array([[0, 1], [1, 2], [2, 3]])
    assert assign(sk, chain, DedupConfig()).representative.tolist() == [1, 1, 1, 3]


def test_templated_notices_stay_apart_through_the_command_line(tmp_path: object) -> None:
    import tempfile

    day7 = TEMPLATE.format(a="2.72", b="1.59", day=7)
    day8 = TEMPLATE.format(a="2.75", b="1.61", day=8)
    copy = "WASHINGTON (Reuters) - " + day7
    with tempfile.TemporaryDirectory() as tmp:
        rows = _cli_rows(tmp, ["a", "b", "c"], [day7, day8, copy])
    assert [rows[i]["cluster_id"] for i in "abc"] == ["a", "b", "a"]


def test_reuters_hard_negatives_through_the_command_line(reuters_path: object) -> None:
    import gzip
    import json
    import tempfile

    with gzip.open(str(reuters_path), "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    notices = [r for r in recs if r["title"] == "FED ADDS RESERVES VIA CUSTOMER REPURCHASES"]
    with tempfile.TemporaryDirectory() as tmp:
        rows = _cli_rows(tmp, [r["id"] for r in notices], [r["text"] for r in notices])
    res = dedup([r["text"] for r in notices], [r["id"] for r in notices])
    _assert_rows_match(rows, res)
    by_form: dict[str, set[str]] = {}
    for r in notices:
        by_form.setdefault(rows[r["id"]]["cluster_id"], set()).add(comparison_form(r["text"]))  # type: ignore[arg-type]
    assert all(len(forms) == 1 for forms in by_form.values())


def _run_rows(
    tmp: str, name: str, ids: list[str], texts: list[str], *args: str
) -> dict[str, dict[str, object]]:
    import json
    from pathlib import Path

    from newsclean.cli import main

    src, out = Path(tmp) / f"{name}.jsonl", Path(tmp) / f"{name}.out.jsonl"
    src.write_text(
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts, strict=True))
    )
    assert (
        main(["run", str(src), "-o", str(out), "-q", "--chunk-size", "3", "--from", "text", *args])
        == 0
    )
    return {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}


@pytest.mark.slow
@given(figure_corpora())
@settings(max_examples=8, deadline=None)
def test_run_jobs_1_and_2_give_the_clusters_of_dedup_on_its_articles(texts: list[str]) -> None:
    import tempfile

    ids = [f"d{i:02d}" for i in range(len(texts))]
    with tempfile.TemporaryDirectory() as tmp:
        first = _run_rows(tmp, "one", ids, texts, "--jobs", "1")
        second = _run_rows(tmp, "two", ids, texts, "--jobs", "2")
    assert first == second
    articles = [str(article_text(first[i])) for i in ids]
    _assert_rows_match(first, dedup(articles, ids))


@pytest.mark.slow
@given(figure_corpora())
@settings(max_examples=8, deadline=None)
def test_run_with_an_index_over_two_days(texts: list[str]) -> None:
    """Day 2 joins day 1's published clusters exactly when it duplicates their representative.

    The reference is built from the library alone: day 1 is ``dedup`` of day 1; a day-2
    document joins the day-1 cluster whose representative it is a duplicate of
    (``explain_pair``; the most similar, then the smallest cluster id); the other day-2
    documents are ``dedup`` of themselves.
    """
    import tempfile
    from pathlib import Path

    from newsclean import explain_pair

    ids = [f"d{i:02d}" for i in range(len(texts))]
    half = len(texts) // 2
    with tempfile.TemporaryDirectory() as tmp:
        index = str(Path(tmp) / "seen.sqlite")
        day1 = _run_rows(tmp, "day1", ids[:half], texts[:half], "--index", index)
        day2 = _run_rows(tmp, "day2", ids[half:], texts[half:], "--index", index, "--jobs", "2")
    ref1 = dedup([str(article_text(day1[i])) for i in ids[:half]], ids[:half])
    _assert_rows_match(day1, ref1)
    reps = sorted(
        set(ref1.representatives) - {d for d, e in zip(ref1.ids, ref1.empty, strict=True) if e}
    )
    label_of = dict(zip(ref1.representatives, ref1.labels, strict=True))
    rest: list[str] = []
    for doc_id in ids[half:]:
        text = str(article_text(day2[doc_id]))
        best = None
        for rep in reps:
            ev = explain_pair(text, str(article_text(day1[rep])))
            if ev.duplicate:
                choice = (-round(ev.jaccard, 12), label_of[rep])
                best = choice if best is None or choice < best else best
        if best is None:
            rest.append(doc_id)
            continue
        assert day2[doc_id]["cluster_id"] == best[1], doc_id
        assert day2[doc_id]["is_representative"] is False
        assert day2[doc_id]["similarity"] == round(-best[0], 4)
    if rest:
        _assert_rows_match(
            {i: day2[i] for i in rest}, dedup([str(article_text(day2[i])) for i in rest], rest)
        )


def test_command_line_takes_the_containment_jaccard_floor() -> None:
    import tempfile

    long_story = REPORT + "\n\n" + HARBOUR + "\n\n" + OTHER + "\n\n" + BIO
    truncated = "\n\n".join(long_story.split("\n\n")[:4]) + "\n\nRead more on our website."
    texts, ids = [long_story, truncated], ["a", "b"]
    strict = DedupConfig(containment_min_jaccard=0.45)  # above this truncated copy's Jaccard
    assert dedup(texts, ids).labels == ("a", "a") and dedup(texts, ids, config=strict).labels == ("a", "b")
    with tempfile.TemporaryDirectory() as tmp:
        assert _cli_rows(tmp, ids, texts)["b"]["cluster_id"] == "a"
        assert _cli_rows(tmp, ids, texts, "--containment-min-jaccard", "0.45")["b"]["cluster_id"] == "b"
