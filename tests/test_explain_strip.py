"""strip(explain=True): every line's decision carries the line model's score."""

from __future__ import annotations

import newsclean
from newsclean.stripping.model import default_model

DUMP = "\n".join([
    "Home | News | Sport | Weather",
    "Subscribe   Log in",
    "Harbour tram line approved",
    "",
    "The city council voted 31 to 12 on Tuesday to approve a new tram line linking the "
    "harbour district with the university campus, ending a debate of almost a decade.",
    "",
    "The line will have 14 stops and is expected to carry about 40,000 passengers a day "
    "once it opens in 2029, according to the council's transport committee.",
    "",
    "Share this article: Facebook Twitter Email",
    "(c) 2024 Port Allen Daily. All rights reserved.",
])


def test_scores_are_probabilities_and_blank_lines_have_none() -> None:
    decisions = newsclean.strip(DUMP, explain=True).decisions
    assert [d.line_no for d in decisions] == list(range(1, DUMP.count("\n") + 2))
    for d in decisions:
        if d.reason == "blank":
            assert d.score is None
        else:
            assert d.score is not None and 0.0 <= d.score <= 1.0
    threshold = default_model().threshold
    body = [d for d in decisions if d.reason == "body"]
    chrome = [d for d in decisions if d.reason in ("menu", "footer", "header", "share")]
    assert body and chrome
    assert all(d.score is not None and d.score >= threshold for d in body)
    assert all(d.score is not None and d.score < threshold for d in chrome)


def test_text_judged_without_the_model_has_no_score() -> None:
    prose = ("The council met on Tuesday and approved the plan after a long debate. "
             "Work will begin next spring and last for about three years.")
    decisions = newsclean.strip(prose, explain=True).decisions
    assert decisions and all(d.score is None for d in decisions)
    assert newsclean.strip(DUMP).decisions == ()
