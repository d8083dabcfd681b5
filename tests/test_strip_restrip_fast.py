"""The re-strip's shortcuts give what the plain steps give.

Each re-strip pass of ``strip`` (the fixed point) takes the measurements of its lines
from the pass before (``parse_lines(reuse=...)``, see ``tests/test_strip_lines_fast.py``
for the parse itself); here whole ``strip`` calls with and without that reuse must give
the same article, decisions and scores included. ``core._chrome_free`` looks for figures
only where they count; the plain test over every line is its oracle.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.stripping import core as C
from newsclean.stripping import lines as L
from newsclean.stripping.lines import Lines, parse_lines

_DIGIT_RE = re.compile(r"\d")


def _ref_chrome_free(lines: Lines) -> bool:
    n = len(lines)
    if n == 0 or n > C._CHROME_FREE_MAX_LINES or any(lines.bullet) or any(lines.binary):
        return False
    if any(code in C._CHROME_CODES for code in lines.category):
        return False
    figures = [_DIGIT_RE.search(c) is not None for c in lines.content]
    if not any(figures) and not any(lines.end_punct):
        return False
    text = sum(lines.words[i] for i in range(n) if lines.words[i] >= C._CHROME_FREE_MIN_WORDS or figures[i])
    return text * 10 >= sum(lines.words) * 6


_WIRE_LINES = st.one_of(
    st.sampled_from((
        "ACME CORP <ACM> 2ND QTR NET", "Shr 1.20 dlrs vs 1.05", "Revs 12.3 mln vs 11.1 mln", "Pay April 17",
        "Reuter", "Story", "stock.", "The company said profits rose in the quarter to March.", "Loss 739,146",
        "Net ٣٤ vs ١٢", "Home", "• Markets", "Share", "Q3", "It rose 5 pct", "One two three four",
    )),
    st.text(alphabet="ab 12.,:\u0663", min_size=1, max_size=25),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WIRE_LINES, st.booleans()), min_size=1, max_size=70))
def test_chrome_free_is_the_plain_test(parts: list[tuple[str, bool]]) -> None:
    text = "".join(line + ("\n\n" if blank else "\n") for line, blank in parts)
    lines = parse_lines(text)
    assert C._chrome_free(lines) == _ref_chrome_free(lines)


def test_chrome_free_counts_a_short_line_with_a_figure() -> None:
    # Short lines count as text only with a figure: "Pay April 17" makes the share, "Pay April" does not.
    table = "ACME CORP QUARTER\n\nPay April 17\nRecord March 3\nDiv 12 cts\nShr 1.20 dlrs vs 1.05"
    assert C._chrome_free(parse_lines(table))
    assert not C._chrome_free(parse_lines(_DIGIT_RE.sub("", table)))


_PAGE_LINES = st.one_of(
    st.sampled_from((
        "  • Home", "  • World News", "Share", "Tweet this", "Most Read", "By Jane Doe", "12 March 2024",
        "The council met on Tuesday and agreed on a plan that would cut the budget by a tenth, said the mayor.",
        "She said the vote would come in the spring, after a long debate in the chamber. Share",
        "Officials did not give a cost for the work, which will start next year and take two years.",
        "[12]Link to the next story", "12 Comments", "Jane says:", "Reply", "Photo: AP",
        "Shr 1.20 dlrs vs 1.05", "Budget approved after a long debate",
        "Ein Gericht hat am Montag die Klage abgewiesen, wie eine Sprecherin mitteilte.",
    )),
    st.text(alphabet="ab XY.,:•[]1\t", min_size=1, max_size=40),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_PAGE_LINES, st.booleans()), min_size=1, max_size=40), st.booleans())
def test_strip_with_the_reused_measurements_is_strip_without(parts: list[tuple[str, bool]], explain: bool) -> None:
    text = "".join(line + ("\n\n" if blank else "\n") for line, blank in parts)
    fast = C.strip_text(text, explain=explain)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(L, "_reused", lambda cs, reuse, memo: None)  # every re-strip measures its lines
        slow = C.strip_text(text, explain=explain)
    assert fast == slow
    assert fast.decisions == slow.decisions


def test_the_restrip_takes_its_measurements_from_the_pass_before() -> None:
    taken: list[bool] = []
    real = L._reused

    def spy(cs: list[str], reuse: tuple[Lines, list[int]], memo: dict[str, L.Row]) -> object:
        out = real(cs, reuse, memo)
        taken.append(out is not None)
        return out

    page = ("  • Home\n  • World\n\nBudget approved\n\n"
            + "The parliament approved the new budget on Tuesday after a long debate. " * 3 + "\n\nShare\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(L, "_reused", spy)
        C.strip_text(page)
    assert taken and all(taken)
