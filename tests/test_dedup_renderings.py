"""The figures rule against renderings: one page dumped twice is one copy, notices stay apart.

Text renderers write the same figure in other ways (lynx: "25^th" for a superscript,
others "25th"; glued "10am" or "19.34Amazon"), number lists differently, and keep other
subsets of a comment section. None of that is a templated report with other figures.
"""

from __future__ import annotations

import pytest

from newsclean import dedup, explain_pair
from newsclean.duplicates.words import word_spans

ARTICLE = (
    "The regional water board will raise its tariffs in the spring, the chair said on "
    "Tuesday, the third increase since the drought began.\n\n"
    "Households will pay about a tenth more from the first bill of the season, while farms "
    "that draw from the river get a separate rate, the board said in a statement.\n\n"
    "Opponents on the council said the board had not explained where the money would go, "
    "and asked for an independent review before the vote."
)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("The vote is on the 25^th of May and the review on the 10^th.",
         "The vote is on the 25th of May and the review on the 10th."),
        ("Doors open at 10am, the hearing starts at 11am.", "Doors open at 10 am, the hearing starts at 11 am."),
        ("The report cost 19.34Euros per copy.", "The report cost 19.34 Euros per copy."),
        ("A footnote follows the year 2025.^8", "A footnote follows the year 2025.8"),
        # one renderer numbers a second list on from the first
        ("Causes:\n1. Leaks\n2. Meters\nRemedies:\n1. Rates\n2. Fees",
         "Causes:\n1. Leaks\n2. Meters\nRemedies:\n3. Rates\n4. Fees"),
        ("Causes:\n  * 1) Leaks\n  * 2) Meters\nRemedies:\n  * 1) Rates\n  * 2) Fees",
         "Causes:\n  * 1) Leaks\n  * 2) Meters\nRemedies:\n  * 3) Rates\n  * 4) Fees"),
    ],
)
def test_two_renderings_of_one_page_are_one_copy(one: str, other: str) -> None:
    a, b = ARTICLE + "\n\n" + one, ARTICLE + "\n\n" + other
    evidence = explain_pair(a, b)
    assert evidence.duplicate, evidence
    assert not evidence.figure_swaps
    assert len(set(dedup([a, b]).labels)) == 1


def test_figures_written_another_way_are_still_compared() -> None:
    """The same renderings with another figure are still a swap."""
    a = ARTICLE + "\n\nThe vote is on the 25^th of May."
    b = ARTICLE + "\n\nThe vote is on the 26th of May."
    assert explain_pair(a, b).figure_swaps


def test_words_split_where_digits_meet_letters() -> None:
    words = [w for w, _, _ in word_spans("On the 25^th at 10am31 Amazon19.34\n2. Item at 6-3/16 pct")]
    assert words == ["on", "the", "25", "th", "at", "10", "am", "31", "amazon", "19.34",
                     "item", "at", "6-3/16", "pct"]


NOTICE = (
    "The harbour freight index, as posted by the port authority, is a seven-day average of "
    "container rates from 14 terminals, based on spot and contract bookings for boxes "
    "between 20 and 40 feet.\n"
    "    {day}        Previous\n"
    "    {row}\n"
)


def test_a_row_of_prices_replaced_by_another_is_another_report() -> None:
    """Two days of a price notice: the whole row of figures differs, however long."""
    monday = NOTICE.format(day="May 5", row="69.35      69.25\n    May 3\n    69.32")
    friday = NOTICE.format(day="May 9", row="70.03      69.87")
    evidence = explain_pair(monday, friday)
    assert evidence.jaccard >= 0.5
    assert not evidence.duplicate and evidence.rule == "figures"
    assert len(set(dedup([monday, friday]).labels)) == 2


def _comment(name: str, time: str, body: str) -> str:
    return f"by {name} on May 23, 2011 at {time} am. Reply\n\n{body}"


COMMENTS = [
    _comment("Kevin", "3:55", "Thanks for writing this, it is the clearest account of the tariff I have read."),
    _comment("Ann", "4:03", "Nice story."),
    _comment("Rick", "5:59", "The council should publish the review before anyone votes on anything."),
    _comment("Maria", "7:30", "My bill went up last year as well and nobody could tell me why."),
    _comment("Tom", "8:12", "Good."),
    _comment("Sam", "9:41", "Farms on the river pay far less than households, which seems unfair."),
    _comment("Lena", "10:02", "Where can I read the statement of the board?"),
]


def test_two_renderings_keeping_other_comments_are_one_copy() -> None:
    """Templated comment headers of *different* comments are not figure swaps."""
    long_article = "\n\n".join([ARTICLE] * 3)
    a = long_article + "\n\n" + "\n\n".join(COMMENTS[i] for i in (0, 1, 2, 3, 5))
    b = long_article + "\n\n" + "\n\n".join(COMMENTS[i] for i in (0, 4, 2, 6, 5))
    evidence = explain_pair(a, b)
    assert evidence.jaccard >= 0.5
    assert evidence.duplicate, evidence.figure_swaps
    # The same comments with their times changed are swaps in aligned text.
    c = a.replace("4:03", "4:13").replace("7:30", "7:50")
    assert not explain_pair(a, c).duplicate
