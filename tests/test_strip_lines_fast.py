"""``parse_lines`` (bounds of every line from one compiled pass) equals the per-line reference.

The reference below is the line splitting of ``parse_lines`` and ``unwrap`` as they were
before the speed work (commit 21ac0c4): ``str.strip`` / ``lstrip`` / ``split`` per line,
the bullet rule as a Python function, every line measured by ``lines._measure``.
"""

from __future__ import annotations

import dataclasses
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.stripping import lines as L
from newsclean.stripping.lines import Lines, parse_lines, split_raw_lines, unwrap
from newsclean.stripping.patterns import BULLETS


def _split_bullet(stripped: str, indent: int) -> tuple[bool, str]:
    first = stripped[0]
    if first in BULLETS and (len(stripped) == 1 or stripped[1] == " "):
        return True, stripped[1:].lstrip()
    if first == "o" and indent >= 6 and stripped[1:2] == " ":
        return True, stripped[2:].lstrip()
    return False, stripped


def _first_word_len(line: str) -> int:
    parts = line.split(maxsplit=1)
    return len(parts[0]) if parts else 0


def _ref_unwrap(raw: list[str]) -> list[tuple[int, int, str]] | None:
    lengths = [len(line.rstrip()) for line in raw]
    width = max(lengths, default=0)
    if not L._MIN_WRAP_WIDTH <= width <= L._MAX_WRAP_WIDTH:
        return None
    breaks = [
        lengths[i] > 0 and lengths[i + 1] > 0
        and (lengths[i] + 1 + _first_word_len(raw[i + 1]) > width or L._ragged_break(raw, lengths, i, width))
        and not _split_bullet(raw[i + 1].strip(), len(raw[i + 1]) - len(raw[i + 1].lstrip()))[0]
        and not L._new_paragraph(raw[i], raw[i + 1])
        for i in range(len(raw) - 1)
    ]
    if sum(breaks) < L._MIN_WRAP_BREAKS:
        return None
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(raw):
        j = i
        while j < len(breaks) and breaks[j]:
            j += 1
        text = raw[i] if i == j else raw[i].rstrip() + " " + " ".join(r.strip() for r in raw[i + 1:j + 1])
        out.append((i, j, text))
        i = j + 1
    return out


def _reference(text: str, join_wrapped: bool = True) -> Lines:
    raw = split_raw_lines(text)
    logical = _ref_unwrap(raw) if join_wrapped else None
    if logical is None:
        firsts, lasts, source = list(range(len(raw))), list(range(len(raw))), raw
    else:
        firsts, lasts, source = (list(col) for col in zip(*logical, strict=True))
    stripped_all = [line.strip() for line in source]
    keep = [i for i, s in enumerate(stripped_all) if s]
    indents = [len(source[i]) - len(source[i].lstrip()) for i in keep]
    split = [_split_bullet(stripped_all[i], ind) for i, ind in zip(keep, indents, strict=True)]
    split = [(b, L._LINK_NUMBER_RE.sub("", c)) for b, c in split]
    rows = [L._measure(c) for _, c in split]
    cols = list(zip(*rows, strict=True)) if rows else [()] * 12
    first_of: dict[str, int] = {}
    after = [b - a != 1 for a, b in pairwise(keep)]
    return Lines(
        line_no=tuple(firsts[i] for i in keep), last_line_no=tuple(lasts[i] for i in keep),
        content=tuple(cols[0]), indent=tuple(indents), bullet=tuple(b for b, _ in split),
        words=tuple(cols[1]), chars=tuple(cols[2]), stop=tuple(cols[3]), caps=tuple(cols[4]),
        digits=tuple(cols[5]), punct=tuple(cols[6]), end_punct=tuple(cols[7]), upper=tuple(cols[8]),
        category=tuple(cols[9]),
        duplicate=tuple(first_of.setdefault(key, k) != k for k, key in enumerate(cols[11])),
        blank_before=(True, *after) if keep else (), blank_after=(*after, True) if keep else (),
        binary=tuple(cols[10]), n_raw=len(raw),
    )


_NUMBERS = ("words", "chars", "stop", "caps", "digits", "punct", "end_punct", "bullet", "upper", "duplicate",
            "blank_before", "blank_after", "indent")


def _typed(lines: Lines) -> tuple[object, ...]:
    """All fields with their types (True == 1 must not pass for an int column).

    ``numbers`` (the float rows for the feature matrix), when there, must hold the
    same numbers as the tuples.
    """
    if lines.numbers is not None:
        expect = np.array([getattr(lines, name) for name in _NUMBERS], dtype=np.float64).reshape(13, len(lines))
        assert lines.numbers.shape == expect.shape and lines.numbers.tobytes() == expect.tobytes()
    _check_measured(lines)
    return tuple(tuple((type(v).__name__, v) for v in f) if isinstance(f, tuple) else f
                 for f in (getattr(lines, name) for name in Lines.__slots__ if name not in ("numbers", "measured")))


def _check_measured(lines: Lines) -> None:
    """``measured`` (what a re-strip reuses) holds each string's own line-by-line rows, typed."""
    if lines.measured is None:
        return
    strings, columns, rows = lines.measured
    assert len(strings) == len(lines)
    found = [tuple((type(v).__name__, v) for v in row) for row in zip(*columns, strict=True)] if strings else []
    assert found == [tuple((type(v).__name__, v) for v in L._measure(c)) for c in strings]
    if rows is not None:
        assert rows.tobytes() == np.array([list(col) for col in columns[1:9]], dtype=np.float64).reshape(
            8, len(strings)).tobytes()


_PROSE = ("The council met on Tuesday and agreed on a plan that would cut the budget by a tenth, "
          "said the mayor, who had argued for it since the spring and hoped it would pass.")
# Pieces of dump lines: bullets of inscriptis and lynx (also "o" nested), link numbers,
# Cyrillic, CJK, astral and multi-byte characters, tabs and odd whitespace, lone
# surrogates, column gaps, chrome phrases.
_PIECE = st.sampled_from([
    "• ", "◦ ", "* ", "+ ", "- ", "o ", "o", "•", "•Home", "▪", "      o ", "        * ", "\t", "\t• ", " ",
    "    ", "[12]", "[3]Link", "[[1]2]", "[", "Share", "Most Read", "By Jane Doe", "12 March 2024",
    "Новости дня и комментарии", "新闻报道中国日本語新闻报道", "😀", "𝐀", "\u00a0", "\u2009", "\x0b", "\x1c",
    "\u2028", "\u0085", "\ud800", "ǅ", "word", "the", "and", "Ünïcödé", "said.", "   |   ", "x" * 40,
])
_INDENT = st.one_of(st.integers(0, 9).map(" ".__mul__), st.sampled_from(["\t", " \t ", "\u3000"]))
_BULLET = st.sampled_from(["", "", "• ", "•", "◦ ", "* ", "+ ", "- ", "o ", "o", "o  ", "▪\t", "·"])
_BODY = st.lists(st.one_of(_PIECE, st.text(max_size=6)), max_size=10).map("".join)
_LINE = st.one_of(
    st.tuples(_INDENT, _BULLET, _BODY).map("".join),
    st.integers(0, len(_PROSE)).map(lambda k: _PROSE[:k]),  # prefixes of prose: wrapped pages
    st.just(""),
).map(lambda s: s.replace("\n", " ").replace("\r", " "))
_SEP = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


@st.composite
def _dumps(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_LINE, max_size=30))
    if draw(st.booleans()):  # a wrapped paragraph (textwrap at a random width)
        import textwrap

        width = draw(st.integers(30, 90))
        at = draw(st.integers(0, len(lines)))
        lines[at:at] = textwrap.wrap(_PROSE * draw(st.integers(1, 3)), width)
    out = ""
    for line in lines:
        out += line + draw(_SEP)
    return out


@settings(max_examples=300, deadline=None)
@given(_dumps(), st.booleans())
def test_parse_lines_equals_reference(text: str, join_wrapped: bool) -> None:
    expect = _typed(_reference(text, join_wrapped))
    assert _typed(parse_lines(text, join_wrapped=join_wrapped)) == expect
    # With a memo (as strip passes one): measured here, then all from the memo, then a
    # text that shares some lines with it.
    memo: dict[str, L.Row] = {}
    first = parse_lines(text, join_wrapped=join_wrapped, memo=memo)
    assert _typed(first) == expect
    assert first.numbers is not None or not len(first)
    assert _typed(parse_lines(text, join_wrapped=join_wrapped, memo=memo)) == expect
    more = text + "\nA new line of its own.\n" + text[: len(text) // 2]
    assert _typed(parse_lines(more, join_wrapped=join_wrapped, memo=memo)) == _typed(_reference(more, join_wrapped))


@settings(max_examples=200, deadline=None)
@given(_dumps())
def test_unwrap_equals_reference(text: str) -> None:
    raw = split_raw_lines(text)
    assert unwrap(raw) == _ref_unwrap(raw)


def test_a_long_line_and_a_wrapped_page() -> None:
    import textwrap

    page = "\n".join(["  • Home", "      o Sub", *textwrap.wrap(_PROSE * 3, 60), "", "[1]Next", "\t• Last"])
    assert _typed(parse_lines(page)) == _typed(_reference(page))
    assert parse_lines(page).last_line_no[2] > parse_lines(page).line_no[2]  # the paragraph was joined
    long_page = page + "\n" + "word " * 6_000 + "\n\n" + "x" * 30_000
    assert _typed(parse_lines(long_page)) == _typed(_reference(long_page))


def test_the_comparison_catches_a_wrong_bullet() -> None:
    lines = parse_lines("      o Sub item\n• Home")
    assert lines.bullet == (True, True)
    wrong = Lines(**{name: getattr(lines, name) for name in Lines.__slots__ if name != "numbers"}
                  | {"bullet": (True, False)})
    assert _typed(wrong) != _typed(_reference("      o Sub item\n• Home"))
    numbers = lines.numbers.copy() if lines.numbers is not None else np.zeros(0)
    numbers[7, 1] = 0.0  # the float rows must agree with the tuples too
    bad = Lines(**{name: getattr(lines, name) for name in Lines.__slots__ if name != "numbers"} | {"numbers": numbers})
    with pytest.raises(AssertionError):
        _typed(bad)


def test_import_newsclean_does_not_import_numba() -> None:
    import subprocess
    import sys

    code = "import sys, newsclean; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


_PARAGRAPH = st.one_of(_BODY, st.tuples(_BULLET, _BODY).map("".join), st.just(_PROSE), st.just("[2]Next story"),
                       st.just("x" * (L._MEASURE_CHARS + 5))).map(lambda s: s.replace("\n", " ").replace("\r", " "))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=12), st.lists(_PARAGRAPH, max_size=12))
def test_strips_own_layout_parses_as_the_reference(paragraphs: list[str], earlier: list[str]) -> None:
    # strip re-parses its output, paragraphs set apart by blank lines, with a memo
    # filled by an earlier pass (all, some or none of the lines in it).
    text = "\n\n".join(paragraphs)
    expect = _typed(_reference(text))
    assert _typed(parse_lines(text)) == expect
    memo: dict[str, L.Row] = {}
    parse_lines("\n".join(earlier + paragraphs[::2]), memo=memo)
    assert _typed(parse_lines(text, memo=memo)) == expect
    assert _typed(parse_lines(text, memo=memo)) == expect


def test_strips_own_layout_takes_the_short_way() -> None:
    # The layout test decides which way parse_lines reads a text; both give the reference.
    text = "\n\n".join(["The first paragraph.", "The second one, [3]with a link.", "ǅ third"])
    assert L._paragraph_layout(text)
    assert _typed(parse_lines(text)) == _typed(_reference(text))
    for other in ("\n\n".join(["• A bullet.", "Text."]), "A.\n\n B.", "A.\nB.", "A.\n\nB.\u00a0", "A.\n\n\n\nB.", "A.\n\n\x1cB.", "A.\n\n", "\n\nA."):
        assert not L._paragraph_layout(other), other
        assert _typed(parse_lines(other)) == _typed(_reference(other))


@settings(max_examples=300, deadline=None)
@given(_dumps(), st.booleans())
def test_the_column_search_table_gives_the_same_lines_and_gaps(text: str, join_wrapped: bool) -> None:
    # The line-bounds kernel's last row is the column search's test ("  " in the line
    # stripped), and parse_lines given the table measures what it measures without it.
    from newsclean.stripping.columns import reflow_columns, reflow_columns_measured

    raw = split_raw_lines(text)
    assert L._bounds(raw)[5].tolist() == [int("  " in line.strip()) for line in raw]
    out, template, table = reflow_columns_measured(text, frozenset({0, 2}))
    expect_out, expect_template = reflow_columns(text, frozenset({0, 2}))
    assert split_raw_lines(out) == split_raw_lines(expect_out) and template == expect_template
    if table is not None:
        assert table[0] is out and table[1] == raw and table[2].tobytes() == L._bounds(raw).tobytes()
        assert _typed(parse_lines(out, join_wrapped=join_wrapped, line_table=table)) == _typed(
            _reference(text, join_wrapped))


def test_a_table_of_another_text_is_not_used() -> None:
    text = "  • Home\n\nThe minister said on Monday  that taxes would rise."
    other = "x" + text[1:]
    table = (other, other.split("\n"), L._bounds(other.split("\n")))
    assert _typed(parse_lines(text, line_table=table)) == _typed(parse_lines(text))


def test_strip_reads_a_dump_with_carriage_returns_as_the_same_dump_with_newlines() -> None:
    # The column search hands the line parser the text with "\r\n" read as "\n" and its
    # line table; decisions and text must be those of the "\n" dump.
    import newsclean

    dump = "\n".join(["  • Home  • World", "", _PROSE, "", "Share  Tweet", "", _PROSE.replace("budget", "plan"),
                      "", "© 2026 Example  All rights reserved"])
    for newline in ("\r\n", "\r"):
        assert newsclean.strip(dump.replace("\n", newline), explain=True) == newsclean.strip(dump, explain=True)


@settings(max_examples=300, deadline=None)
@given(_dumps(), st.data())
def test_a_restrip_reusing_an_earlier_parse_equals_the_reference(text: str, data: st.DataObject) -> None:
    # strip's re-strip: some of the earlier parse's lines as paragraphs (a few changed, as
    # inline chrome cut from them; some hints wrong), measured from the earlier parse.
    earlier = parse_lines(text)
    if not len(earlier):
        return
    at = data.draw(st.lists(st.integers(0, len(earlier) - 1), min_size=1, max_size=12))
    paragraphs = [earlier.content[i] for i in at]
    for k in data.draw(st.lists(st.integers(0, len(at) - 1), max_size=3)):
        paragraphs[k] = data.draw(st.sampled_from([paragraphs[k][:-1] or "x", "Changed line.", paragraphs[0]]))
    wrong = [i if data.draw(st.booleans()) else data.draw(st.integers(0, len(earlier) - 1)) for i in at]
    again = "\n\n".join(paragraphs)
    expect = _typed(_reference(again))
    for hints in (at, wrong, at[:-1]):
        memo: dict[str, L.Row] = {}
        assert _typed(parse_lines(again, reuse=(earlier, hints), memo=memo)) == expect
        # and a third pass from the second
        second = parse_lines(again, reuse=(earlier, hints))
        assert _typed(parse_lines(again, reuse=(second, list(range(len(second)))))) == expect


def test_a_restrip_takes_the_earlier_measurements() -> None:
    # The rows are taken, not measured again: a parse whose `measured` was tampered with
    # gives the tampered rows (so the test above checks the taking, not a re-measurement).
    earlier = parse_lines("The minister said on Monday that taxes would rise.\n\nHome")
    assert earlier.measured is not None
    strings, columns, rows = earlier.measured
    bad_columns = [list(col) for col in columns]
    bad_columns[3][0] += 1  # stopwords of line 0
    tampered = dataclasses.replace(earlier, measured=(strings, bad_columns, rows))
    again = parse_lines(earlier.content[0], reuse=(tampered, [0]))
    assert again.stop[0] == earlier.stop[0] + 1
    with pytest.raises(AssertionError):
        _typed(again)
