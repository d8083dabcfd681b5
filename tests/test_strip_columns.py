"""Columns laid out side by side (table-layout renderers): re-flowed before lines are judged."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsclean
from newsclean.stripping.columns import MIN_ROWS, PROSE_WORDS, find_column_blocks, reflow_columns

# An invented two-column page: the article on the left, a sidebar of headlines on the
# right, as w3m or inscriptis print a two-cell table row per line.
ARTICLE = [
    "The city council of Port Allen voted on Tuesday to build",
    "a new tram line between the harbour district and the",
    "university campus, after a debate that lasted six hours.",
    "",
    "The line will have fourteen stops and should carry about",
    "forty thousand passengers a day once it opens, the mayor",
    "told reporters after the vote in the town hall.",
]
SIDEBAR = [
    "Most Read",
    "  • Storm warning for the coast",
    "  • Harbour festival cancelled",
    "",
    "  • Prices rise at the market",
    "  • Local team wins the cup",
    "  • New bakery opens downtown",
]
HEADER = ["Port Allen Daily", "", "  • News", "  • Politics", "  • Sport", ""]
FOOTER = ["", "© 2026 Port Allen Daily. All rights reserved."]


def side_by_side(left: list[str], right: list[str], gap: int = 4) -> list[str]:
    width = max(map(len, left)) + gap
    return [(a.ljust(width) + b).rstrip() for a, b in zip(left, right, strict=True)]


def words(text: str) -> list[str]:
    return text.split()


def test_two_columns_are_written_out_one_after_the_other() -> None:
    page = "\n".join(side_by_side(ARTICLE, SIDEBAR))
    out, _ = reflow_columns(page)
    assert words(out) == words("\n".join(ARTICLE)) + words("\n".join(SIDEBAR))
    assert find_column_blocks(page)[0].first == 0


def test_strip_keeps_the_article_of_a_two_column_page_and_drops_the_sidebar() -> None:
    dump = "\n".join([*HEADER, *side_by_side(ARTICLE, SIDEBAR), *FOOTER])
    art = newsclean.strip(dump)
    assert art.ok
    text = " ".join(art.text.split())
    assert "The city council of Port Allen voted on Tuesday" in text
    assert "in the town hall." in text
    assert "Harbour festival" not in text and "bakery" not in text


def test_a_text_without_a_column_block_is_returned_as_it_is() -> None:
    text = "One line.  Two spaces after a sentence.\n\n    An indented paragraph.\n"
    out, template = reflow_columns(text, frozenset({1}))
    assert out is text and template == frozenset({1})


@pytest.mark.parametrize(
    ("label", "page"),
    [
        ("a table of prices keeps its rows", [
            "Item             Price    Stock", "Apples           $1.20    340",
            "Pears            $2.45    12", "Oranges          $0.99    87", "Plums            $3.10    5"]),
        ("a score table keeps its rows", [
            "Harbour City beat the Rovers at home     3 - 1", "Port Allen lost to the Eagles away       0 - 2",
            "The Rovers drew with Union in the rain    1 - 1", "Union beat Harbour City after extra time  2 - 1"]),
        ("a numbered list keeps its numbers", [
            "1.     Wash your face with a mild soap and pat it dry with a towel.",
            "2.     Open the packet and take out the patch and its applicator.",
            "3.     Peel back the paper tab that is marked with the number one.",
            "4.     Press the patch down lightly and hold it for fifteen seconds."]),
        ("code with aligned comments keeps its lines", [
            "total = price * count       # the amount before the discount is taken off",
            "discount = total * rate     # the shop gives this back to every member",
            "final = total - discount    # what the customer pays at the till today",
            "print(final)                # shown on the screen of the cash register"]),
        ("centred and indented lines", [
            "                 The Harbour Report", "          Published every Tuesday morning",
            "    The council met on Tuesday and agreed on a new plan for the harbour.",
            "The mayor said that the money would come from the port's own fees."]),
        ("stray double spaces in prose", [
            "The council met on Tuesday.  It agreed on a new plan for the old harbour",
            "district, which has been empty since the shipyard closed.  The mayor said",
            "that the money would come from the fees.  Work starts in the spring and",
            "should be done within two years.  The plan was approved by a large vote."]),
    ],
)
def test_things_that_look_like_columns_but_are_not(label: str, page: list[str]) -> None:
    text = "\n".join(page)
    assert find_column_blocks(text) == [], label
    assert reflow_columns(text)[0] is text


def test_template_line_numbers_follow_their_lines() -> None:
    left = ["The council met on Tuesday and agreed on a plan.", "It will build a new tram line to the old harbour.",
            "Work starts in May.", "The mayor was pleased with the vote of the council."]
    right = ["Most Read", "Storm warning for the coast", "Festival cancelled", "Prices rise"]
    lines = ["Site header", *side_by_side(left, right), "Site footer"]
    out, template = reflow_columns("\n".join(lines), frozenset({0, 2, len(lines) - 1}))
    assert template is not None
    out_lines = out.split("\n")
    marked = [out_lines[k].strip() for k in sorted(template)]
    # Input line 2 holds one line of each column: both stay template.
    assert marked == ["Site header", left[1], right[1], "Site footer"]


def test_explain_on_a_column_page_decides_the_reflowed_lines() -> None:
    dump = "\n".join([*HEADER, *side_by_side(ARTICLE, SIDEBAR), *FOOTER])
    art = newsclean.strip(dump, explain=True)
    reflowed, _ = reflow_columns(dump)
    assert len(art.decisions) == len(reflowed.split("\n"))
    reasons = {d.text: d.reason for d in art.decisions}
    assert reasons["• Local team wins the cup"] != "body"
    assert reasons[" ".join(ARTICLE[:3])] == "body"


# -- properties ----------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzéüßабвгд"
word = st.text(alphabet=LETTERS, min_size=1, max_size=9)
prose_cell = st.lists(word, min_size=PROSE_WORDS, max_size=PROSE_WORDS + 6).map(" ".join)
side_cell = st.lists(word, min_size=1, max_size=4).map(" ".join)


@given(st.integers(MIN_ROWS, 12).flatmap(lambda n: st.tuples(
    st.lists(prose_cell, min_size=n, max_size=n), st.lists(side_cell, min_size=n, max_size=n))),
    st.integers(2, 8))
def test_interleaved_columns_come_back_column_by_column(columns: tuple[list[str], list[str]], gap: int) -> None:
    left, right = columns
    page = "\n".join(side_by_side(left, right, gap))
    out, _ = reflow_columns(page)
    assert words(out) == words(" ".join(left)) + words(" ".join(right))


_INNER_GAP = re.compile(r"\S {2}")


@given(st.lists(st.tuples(st.integers(0, 30), st.lists(word, min_size=1, max_size=12), st.integers(0, 11)),
                max_size=20), st.data())
def test_text_with_fewer_gapped_lines_than_a_block_needs_is_unchanged(
        lines: list[tuple[int, list[str], int]], data: st.DataObject) -> None:
    rendered = []
    for indent, ws, at in lines:
        pos = at % len(ws)
        rendered.append(" " * indent + " ".join(ws[:pos]) + ("  " if pos else "") + " ".join(ws[pos:]))
    gapped = [i for i, line in enumerate(rendered) if _INNER_GAP.search(line)]
    keep = set(data.draw(st.lists(st.sampled_from(gapped), max_size=MIN_ROWS - 1)) if gapped else [])
    text = "\n".join(line if i not in gapped or i in keep else " ".join(line.split()) for i, line in
                     enumerate(rendered))
    assert reflow_columns(text)[0] is text


@given(st.lists(st.one_of(prose_cell, side_cell, st.just("")), min_size=1, max_size=30), st.integers(2, 6),
       st.integers(0, 2))
def test_reflow_keeps_every_word(cells: list[str], gap: int, shift: int) -> None:
    half = len(cells) // 2
    left, right = cells[:half] or [""], cells[half:half * 2] or [""]
    page = "\n".join(" " * shift + line for line in side_by_side(left, right[:len(left)] + [""] * (len(left) - len(right)), gap))
    out, _ = reflow_columns(page)
    assert sorted(words(out)) == sorted(words(page))


def _ref_cut_gutters(raw: list[str], first: int, last: int, gutters: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    # columns._cut_gutters without its first test (too few lines of PROSE_WORDS words: no gutter)
    from newsclean.stripping import columns as C

    k = 0
    while k < len(gutters):
        cols = C._cells(raw, first, last, gutters)
        left, right = cols[k], cols[k + 1]
        if (C._prose(left) or C._prose(right)) and not any(map(C._figures, (left, right))) and not any(
                map(C._code, (left, right))):
            k += 1
        else:
            del gutters[k]
            k = 0
    return tuple(gutters)


def _assert_cuts_are_the_plain_loops(lines: list[str]) -> None:
    """Every block grown from ``lines`` gets from _cut_gutters the gutters the plain loop cuts."""
    from newsclean.stripping import columns as C

    raw = "\n".join(lines).split("\n")
    gaps = C._line_gaps(raw)
    for i in sorted(gaps):
        last, grown = C._grow(raw, gaps, i)
        if grown:
            cut = [(s, e) for s, e, _ in grown]
            assert C._cut_gutters(raw, i, last, list(cut)) == _ref_cut_gutters(raw, i, last, list(cut))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(prose_cell, side_cell, st.just(""), st.just("12  3.50  7")),
                          st.one_of(prose_cell, side_cell, st.just(""))), min_size=MIN_ROWS, max_size=14),
       st.integers(2, 6), st.booleans())
def test_gutters_cut_with_the_short_block_test_are_those_cut_without(rows: list[tuple[str, str]], gap: int,
                                                                       third: bool) -> None:
    # Blocks of prose and short cells side by side (a third column of short cells, some
    # rows of figures): every block found gets the gutters the plain loop cuts.
    left = [a for a, _ in rows]
    right = [b for _, b in rows]
    lines = side_by_side(left, right, gap)
    if third:
        lines = side_by_side(lines, [b.split(" ")[0] for b in right], gap)
    _assert_cuts_are_the_plain_loops(lines)


@settings(max_examples=100, deadline=None)
@given(st.integers(MIN_ROWS, 12).flatmap(lambda n: st.tuples(
    st.lists(prose_cell, min_size=n, max_size=n), st.lists(side_cell, min_size=n, max_size=n))),
    st.integers(2, 8), st.sampled_from(["\n", "\r\n"]))
def test_strips_column_pass_finds_the_blocks_reflow_columns_finds(columns: tuple[list[str], list[str]], gap: int,
                                                                   newline: str) -> None:
    from newsclean.stripping.columns import reflow_columns_measured

    left, right = columns
    page = newline.join(["Header line", *side_by_side(left, right, gap), "Footer  line"])
    out, template, table = reflow_columns_measured(page, frozenset({1, 3}))
    assert (out, template) == reflow_columns(page, frozenset({1, 3}))
    assert table is None  # a block was found: the text changed, its lines are new


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(prose_cell, side_cell, st.just(""), st.just("12  3.50")), min_size=6, max_size=6),
                min_size=MIN_ROWS, max_size=10),
       st.integers(2, 5), st.integers(2, 6))
def test_gutters_cut_on_wide_grids_are_those_the_plain_loop_cuts(rows: list[list[str]], gap: int, width: int) -> None:
    # Up to six columns: a failing gutter merges two columns and the one before is judged
    # again (not every gutter from the first): the same gutters as the plain loop.
    grid = [row[:width] for row in rows]
    lines = [cells[0] for cells in grid]
    for c in range(1, width):
        lines = side_by_side(lines, [cells[c] for cells in grid], gap)
    _assert_cuts_are_the_plain_loops(lines)


def test_the_block_search_of_a_page_long_grid_stops_after_a_bounded_amount_of_work(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A 400-line grid of single words, 50 columns: no block passes, and without a bound a
    # block would be grown from every line (400 growths of up to 400 lines x 49 gutters).
    from newsclean.stripping import columns as C

    calls = []
    grow = C._grow
    monkeypatch.setattr(C, "_grow", lambda raw, gaps, i: calls.append(i) or grow(raw, gaps, i))
    grid = "\n".join(("cell" + " " * 40) * 50 for _ in range(400))
    assert find_column_blocks(grid) == []
    assert 0 < len(calls) < 100
    calls.clear()
    small = "\n".join(("cell" + " " * 40) * 5 for _ in range(40))  # within the bound: every line tried
    assert find_column_blocks(small) == [] and len(calls) == 40
