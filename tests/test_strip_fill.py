"""Tests of strip's body filling (``StripConfig.fill_gap``, ``core._fill_body``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import InputError, StripConfig
from newsclean.stripping.core import _CHROME_CODES, _fill_body, _is_caption
from newsclean.stripping.lines import Lines, parse_lines

# Our own lines: prose, content that does not read like a news paragraph (table rows,
# list items), chrome, a short label and a repeated headline.
PROSE = "The council voted on Tuesday to extend the tram line to the northern suburbs."
ROW = "Line 7 to Northgate 12 stops 35 minutes"
ITEM = "Free parking at every station of the new line"
MENU = "Home"
SHARE = "Share on Facebook"  # a chrome phrase (category share)
LABEL = "Timetable"
HEADLINE = "Council extends the tram line to the north"


def page(*contents: str) -> Lines:
    return parse_lines("\n\n".join(contents))


def test_fills_content_lines_between_body_lines() -> None:
    lines = page(PROSE, ROW, ITEM, PROSE.replace("Tuesday", "Monday"))
    kept = [True, False, False, True]
    _fill_body(lines, kept, np.zeros(4), set(), 20, 4)
    assert kept == [True, True, True, True]


def test_zero_gap_turns_it_off() -> None:
    lines = page(PROSE, ROW, PROSE.replace("Tuesday", "Monday"))
    kept = [True, False, True]
    _fill_body(lines, kept, np.zeros(3), set(), 0, 3)
    assert kept == [True, False, True]


def test_skips_chrome_short_repeated_template_excluded_and_comment_lines() -> None:
    lines = page(HEADLINE, PROSE, SHARE, MENU, LABEL, HEADLINE, ROW, ITEM, PROSE.replace("Tuesday", "Monday"),
                 ROW.replace("7", "8"), PROSE.replace("Tuesday", "Friday"))
    assert lines.category[2] in _CHROME_CODES and lines.duplicate[5]
    kept = [False, True, False, False, False, False, False, False, True, False, True]
    flags = np.zeros(len(lines))
    flags[6] = 1.0  # a template line
    _fill_body(lines, kept, flags, {7}, 20, 9)  # line 7 a ticker item; a comment section from line 9
    # nothing outside the run, no chrome phrase, label, repeat, template or ticker item; the
    # comment section (from line 9) neither filled nor part of the run
    assert kept == [False, True, False, False, False, False, False, False, True, False, True]


def test_a_stray_kept_line_far_away_does_not_widen_the_body() -> None:
    body = [PROSE.replace("Tuesday", day) for day in ("Monday", "Tuesday", "Friday")]
    lines = page(*body, *[f"{ROW} number {k}" for k in range(5)], ITEM)
    kept = [True, True, True, False, False, False, False, False, True]  # the item: a teaser the model liked
    _fill_body(lines, kept, np.zeros(len(lines)), set(), 3, len(lines))
    assert kept == [True, True, True, False, False, False, False, False, True]
    _fill_body(lines, kept, np.zeros(len(lines)), set(), 5, len(lines))  # gap of 5 rows: one run now
    assert all(kept)


def test_config_rejects_a_negative_gap() -> None:
    with pytest.raises(InputError, match="fill_gap"):
        StripConfig(fill_gap=-1)


def _reference(lines: Lines, kept: list[bool], flags: np.ndarray, excluded: set[int], gap: int,
               end: int) -> list[bool]:
    """The rule written out plainly: every run, its words, the first heaviest run filled."""
    out = list(kept)
    idx = [i for i in range(end) if kept[i]]
    if gap <= 0 or len(idx) < 2:
        return out
    runs: list[list[int]] = [[idx[0]]]
    for a, b in zip(idx, idx[1:], strict=False):
        if b - a - 1 > gap:
            runs.append([b])
        else:
            runs[-1].append(b)
    weights = [sum(lines.words[i] for i in run) for run in runs]
    run = runs[weights.index(max(weights))]
    for i in range(run[0], run[-1] + 1):
        if (not kept[i] and lines.words[i] >= 5 and lines.category[i] not in _CHROME_CODES
                and not lines.duplicate[i] and not lines.binary[i] and not flags[i]
                and i not in excluded and not _is_caption(lines, i)):
            out[i] = True
    return out


_PIECES = [PROSE, ROW, ITEM, MENU, SHARE, LABEL, HEADLINE, "Photo: Jane Doe (AP Photo/Jane Doe)"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.integers(0, 30), st.booleans(), st.booleans()),
                min_size=1, max_size=40),
       st.integers(0, 12), st.data())
def test_fill_equals_the_plain_rule_and_only_adds(
    rows: list[tuple[str, int, bool, bool]], gap: int, data: st.DataObject
) -> None:
    # Distinct texts (a number appended) unless hypothesis repeats one on purpose (suffix 0).
    lines = page(*(f"{text} {k}" if k else text for text, k, _, _ in rows))
    n = len(lines)
    kept = [keep for _, _, keep, _ in rows][:n]
    flags = np.array([float(flag) for _, _, _, flag in rows][:n])
    excluded = set(data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=3)))
    end = data.draw(st.integers(0, n))
    before = list(kept)
    _fill_body(lines, kept, flags, excluded, gap, end)
    assert kept == _reference(lines, before, flags, excluded, gap, end)
    assert all(k for k, b in zip(kept, before, strict=True) if b)  # never drops a kept line
