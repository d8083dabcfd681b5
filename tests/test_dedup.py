"""dedup: examples (copies, truncations, templated reports), errors, then invariants."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import article

from newsclean import DedupConfig, DedupResult, InputError, comparison_form, dedup

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
        FigureSwap("1.5", "two", (a.index("1.5"), a.index("1.5") + 3), (b.index("two"), b.index("two") + 3)),
        FigureSwap("6-3/16", "6-1/4", (a.index("6-3"), a.index("6-3") + 6), (b.index("6-1"), b.index("6-1") + 5)),
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
