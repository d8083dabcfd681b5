"""Re-flow columns that a renderer laid out side by side, before lines are judged.

Renderers that keep table and grid layout (inscriptis, w3m, links, several crawlers'
text exports) print the cells of one table row on one line: an article's sentences
share lines with a sidebar's headlines, separated by runs of spaces. Judged whole, such
a line is neither body nor chrome. :func:`reflow_columns` finds *column blocks*:
consecutive lines whose gaps of >= 2 spaces line up (a vertical *gutter* that every line
of the block leaves blank, with text on both sides of it on >= 4 lines), cuts the
block's lines at its gutters and writes the block out column by column, in reading
order: the left column's lines, a blank line, the next column's lines. Lines a renderer
wrapped inside a narrow column are joined back (the page-level rule of
:func:`~newsclean.stripping.lines.unwrap`, applied to the column) and, on a page
wrapped at a fixed width, wrapped again at that width for the line parser to join.

Not everything aligned is a column. A gutter is only cut when a column next to it
holds prose (>= 2 cells of >= 8 words) and neither column next to it is a column of
figures or list markers (in most cells, at most half the words are words of letters)
or of code (braces, ``=``, ``;``, ``<tag>``, ``name(``): a table of prices or scores
keeps its rows, a numbered list keeps its numbers, a program listing its lines.
Indented or centred lines have no inner gap; a double space in prose rarely lines up
over four lines with nothing crossing it. Lines outside a block come out unchanged,
and a text without a block is returned as it is (the same object).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .lines import _bounds, split_raw_lines, unwrap

__all__ = ["ColumnBlock", "LineTable", "find_column_blocks", "reflow_columns", "reflow_columns_measured"]

# A gap between two cells: a run of >= 2 spaces inside a line (inscriptis separates
# cells by two spaces, w3m by at least two; a single space is a word break).
_MIN_GAP = 2
_GAP_RE = re.compile(r"(?<=\S) {2,}(?=\S)")
# A gutter needs text on both sides on this many lines (one or two aligned double
# spaces happen in prose; several with nothing crossing between them rarely do).
# MIN_ROWS and PROSE_WORDS were chosen leaving one DEV set out (w3m, inscriptis and
# lynx dumps; benchmarks/strip_columns.py --sweep): the sweep is flat (every value
# within 0.001 F1 of the others), the folds chose 2/5, 2/8 and 4/8; 4 rows is the
# safer of the two against double spaces that line up by chance.
MIN_ROWS = 4
# A column that holds prose: >= _PROSE_CELLS cells of >= PROSE_WORDS words. Only a
# gutter next to such a column is cut (tables of short cells keep their rows).
PROSE_WORDS = 8
_PROSE_CELLS = 2
# A column of figures or markers: in most of its cells, at most half of the words are
# words of letters ("1.", "•", "$12.99", "3 - 1", "63 85% 1 tackle").
_DIGIT_RE = re.compile(r"\d")
_ALNUM_RE = re.compile(r"[^\W_]")
# Code or markup in a cell (a preformatted listing aligns its comments, a template its
# attributes): braces, angle brackets, semicolons, "=", a call "name(".
_CODE_RE = re.compile(r"[{}<>;=]|\w\(")
# A block ends after this many lines without text on both sides of its gutters.
_MAX_QUIET = 30
# The search for blocks stops after this much work (lines grown x their gutters) per
# line of the page, plus a floor: a block is grown from each line that starts none, so a
# page-long grid that never passes (a table of single words, 50 columns wide) would cost
# lines^2 x columns. The DEV dumps need at most ~120 per line; the search stops on
# generated grids only, keeping the blocks found before it.
_WORK_PER_LINE = 1024
_WORK_FLOOR = 100_000


@dataclass(frozen=True, slots=True)
class ColumnBlock:
    """Lines ``first..last`` (0-based, inclusive) cut at ``gutters`` (``(start, end)`` columns)."""

    first: int
    last: int
    gutters: tuple[tuple[int, int], ...]


def _line_gaps(raw: Sequence[str], gapped: Iterable[int] | None = None) -> dict[int, list[tuple[int, int]]]:
    """Inner gaps per line index (only lines with two spaces inside are searched).

    ``gapped``: those lines (``"  " in line.strip()``), when the caller knows them (the
    last row of :func:`~newsclean.stripping.lines._bounds`). ``"  " in line.strip()``
    is C string work; the gap regex over the whole page (its lookbehind defeats the
    literal-prefix scan) cost 3x as much on the DEV dumps.
    """
    if gapped is None:
        gapped = [i for i, stripped in enumerate(map(str.strip, raw)) if "  " in stripped]
    gaps: dict[int, list[tuple[int, int]]] = {}
    for i in gapped:
        found = [m.span() for m in _GAP_RE.finditer(raw[i])]
        if found:
            gaps[i] = found
    return gaps


def _blank_parts(line: str, line_gaps: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of the gutter ``start..end`` that ``line`` leaves blank ([]: crossed).

    A line with text inside the gutter leaves its own gaps of >= 2 spaces there (one
    gutter may become two). A gutter is not narrowed to a single space (w3m puts one
    between cells that fill their width): tried, it lost more F1 on the column pages
    of dragnet and wcxb_dev than it won (w3m, inscriptis and lynx dumps).
    """
    if not line[start:end].strip():
        return [(start, end)]
    return [(max(start, a), min(end, b)) for a, b in line_gaps if min(end, b) - max(start, a) >= _MIN_GAP]


def _grow(raw: Sequence[str], gaps: dict[int, list[tuple[int, int]]], i: int) -> tuple[int, list[list[int]]]:
    """Grow a block down from line ``i``: its last two-sided line and its gutters.

    Each gutter is ``[start, end, rows]`` (rows: lines with text on both sides of it).
    A line narrows the gutters to what it leaves blank (:func:`_blank_parts`). A
    crossed gutter seen on fewer than MIN_ROWS lines is forgotten; one seen on more
    ends the block before the line (a wide cell that spans the columns, or the table's
    end).
    """
    gutters = [[s, e, 1] for s, e in gaps[i]]
    last, j = i, i + 1
    while j < len(raw) and j - last <= _MAX_QUIET and gutters:
        line = raw[j]
        if line.strip():
            narrowed: list[list[int]] = []
            for s, e, rows in gutters:
                parts = _blank_parts(line, gaps.get(j, ()), s, e)
                if not parts and rows >= MIN_ROWS:
                    return last, [g for g in gutters if g[2] >= MIN_ROWS]
                for a, b in parts:
                    sided = bool(line[:a].strip()) and bool(line[b:].strip())
                    narrowed.append([a, b, rows + sided])
                    last = j if sided else last
            gutters = narrowed
        j += 1
    return last, [g for g in gutters if g[2] >= MIN_ROWS]


def _cells(raw: Sequence[str], first: int, last: int, gutters: Sequence[tuple[int, int]]) -> list[list[str]]:
    """The block's cells, column by column (one per line; ``""`` where the column is blank)."""
    bounds = [0, *(x for g in gutters for x in g), None]
    return [[raw[k][bounds[2 * c]:bounds[2 * c + 1]].strip() for k in range(first, last + 1)]
            for c in range(len(gutters) + 1)]


def _word_counts(cell: str) -> tuple[int, int]:
    """Words of letters (no digit) and all words with a letter or digit (not "•", "|", "-")."""
    words = [w for w in cell.split() if _ALNUM_RE.search(w) is not None]
    return sum(_DIGIT_RE.search(w) is None for w in words), len(words)


def _prose(cells: list[str]) -> bool:
    """Whether the column holds running text: >= 2 cells of >= PROSE_WORDS words of letters.

    A cell with a gap of two spaces inside is a row of a table whose other gutters were
    crossed (cells that wrap in a comparison table), not running text.
    """
    return sum(c.count(" ") + 1 >= PROSE_WORDS and "  " not in c and _word_counts(c)[0] >= PROSE_WORDS
               for c in cells) >= _PROSE_CELLS


def _figures(cells: list[str]) -> bool:
    """Whether the column is one of figures or markers: most cells at most half words of letters."""
    counts = [_word_counts(c) for c in cells if c]
    return 2 * sum(2 * letters <= words for letters, words in counts) >= len(counts)


def _code(cells: list[str]) -> bool:
    """Whether most cells look like code or markup (``x = 1;``, ``print(x)``, ``<b>``)."""
    filled = [c for c in cells if c]
    return 2 * sum(_CODE_RE.search(c) is not None for c in filled) >= len(filled)


def _cut_gutters(raw: Sequence[str], first: int, last: int,
                 gutters: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The gutters worth cutting: prose on one side, no figures, markers or code on either.

    A gutter that fails is removed (its two columns become one) and the gutter before it
    is judged again, as its right column changed; the gutters further left keep their
    columns, so they are not (the same outcome as judging every gutter again, without
    the quadratic cost on a grid of many columns).
    """
    # A prose cell (>= PROSE_WORDS words) lies in a line of as many words (a cell is cut
    # where every line of the block is blank, so its words are its line's): a block with
    # fewer than _PROSE_CELLS such lines has no prose column, and every gutter goes.
    if sum(len(raw[k].split()) >= PROSE_WORDS for k in range(first, last + 1)) < _PROSE_CELLS:
        return ()
    columns = _cells(raw, first, last, gutters)
    k = 0
    while k < len(gutters):
        left, right = columns[k], columns[k + 1]
        if (_prose(left) or _prose(right)) and not any(map(_figures, (left, right))) and not any(
                map(_code, (left, right))):
            k += 1
        else:
            del gutters[k]
            start = gutters[k - 1][1] if k else 0
            end = gutters[k][0] if k < len(gutters) else None
            columns[k: k + 2] = [[raw[i][start:end].strip() for i in range(first, last + 1)]]
            k = max(k - 1, 0)
    return tuple(gutters)


def find_column_blocks(text: str) -> list[ColumnBlock]:
    """The column blocks of ``text`` (see the module docstring), top to bottom.

    Examples:
        >>> row = "{:<44}  {}"
        >>> page = "\\n".join(row.format(a, b) for a, b in [
        ...     ("The council met on Tuesday and agreed on a", "Most read"),
        ...     ("new budget for the schools of the city.", "Storm hits the coast"),
        ...     ("The mayor said the plan would be paid for", "Prices rise again"),
        ...     ("without new taxes this year or the next.", "Team wins the cup"),
        ... ])
        >>> find_column_blocks(page)
        [ColumnBlock(first=0, last=3, gutters=((42, 46),))]
        >>> find_column_blocks("Price   Qty\\n$1.20   3\\n$4.50   12\\n$0.99   7")
        []
    """
    if "  " not in text:
        return []
    raw = split_raw_lines(text)
    return _blocks(raw, _line_gaps(raw))


def _blocks(raw: Sequence[str], gaps: dict[int, list[tuple[int, int]]]) -> list[ColumnBlock]:
    """The column blocks of the lines ``raw`` with the inner gaps ``gaps`` (see :func:`find_column_blocks`)."""
    if len(gaps) < MIN_ROWS:  # every row of a block has a gap of its own
        return []
    blocks: list[ColumnBlock] = []
    after = -1  # lines up to here belong to a block already
    budget = _WORK_FLOOR + _WORK_PER_LINE * len(raw)
    for i in sorted(gaps):
        if i <= after:
            continue
        if budget <= 0:
            break
        last, grown = _grow(raw, gaps, i)
        budget -= (last - i + 1 + _MAX_QUIET) * len(gaps[i])
        if not grown:
            continue
        gutters = _cut_gutters(raw, i, last, [(s, e) for s, e, _ in grown])
        if gutters:
            blocks.append(ColumnBlock(i, last, gutters))
            after = last
    return blocks


def _column_lines(raw: Sequence[str], block: ColumnBlock, c: int, width: int | None) -> list[tuple[str, int]]:
    """Column ``c`` of the block: ``(line, input line index)`` each.

    A cell keeps its place on the page (its indentation is a feature of the line);
    blank cells between filled ones become one blank line. Text that the renderer
    wrapped inside the column is joined back; on a page wrapped at ``width`` (not
    ``None``) it is wrapped again at that width: written wider, it would hide the
    page's own wrapping from :func:`~newsclean.stripping.lines.unwrap`, which joins
    both when lines are judged.
    """
    bounds = [0, *(x for g in block.gutters for x in g), None]
    start, end = bounds[2 * c], bounds[2 * c + 1]
    out: list[tuple[str, int]] = []
    for k in range(block.first, block.last + 1):
        cell = raw[k][start:end].rstrip()
        if cell.strip():
            out.append((" " * start + cell if start else cell, k))
        elif out and out[-1][0]:
            out.append(("", k))
    while out and not out[-1][0]:
        out.pop()
    joined = unwrap([line for line, _ in out])
    if joined is None:
        return out
    rewrapped: list[tuple[str, int]] = []
    for first, _, line in joined:
        indent = " " * (len(line) - len(line.lstrip()))
        pieces = textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=indent,
                               break_long_words=False, break_on_hyphens=False) if width is not None and len(line) > width else [line]
        rewrapped.extend((piece, out[first][1]) for piece in pieces or [""])
    return rewrapped


def reflow_columns(text: str, template: frozenset[int] | None = None) -> tuple[str, frozenset[int] | None]:
    """``text`` with each column block written out column by column; ``template`` renumbered.

    ``template`` holds 0-based numbers of input lines (see ``strip_many``); the result
    holds the numbers of the output lines that came from them. Without a column block,
    ``text`` and ``template`` come back as they are.

    Examples:
        >>> row = "{:<44}  {}"
        >>> page = "\\n".join(row.format(a, b) for a, b in [
        ...     ("The council met on Tuesday and agreed on a", "Most read"),
        ...     ("new budget for the schools of the city.", "Storm hits the coast"),
        ...     ("The mayor said the plan would be paid for", "Prices rise again"),
        ...     ("without new taxes this year or the next.", "Team wins the cup"),
        ... ])
        >>> print(reflow_columns(page)[0])
        The council met on Tuesday and agreed on a
        new budget for the schools of the city.
        The mayor said the plan would be paid for
        without new taxes this year or the next.
        <BLANKLINE>
                                                      Most read
                                                      Storm hits the coast
                                                      Prices rise again
                                                      Team wins the cup
        >>> reflow_columns("A line.  Another one.\\nNo columns here.")[0]
        'A line.  Another one.\\nNo columns here.'
    """
    blocks = find_column_blocks(text)
    if not blocks:
        return text, template
    return _reflow(split_raw_lines(text), blocks, template)


#: A text's lines and their bounds: ``(text, text.split("\n"), lines._bounds(...))``.
LineTable = tuple[str, list[str], npt.NDArray[np.int64]]


def reflow_columns_measured(text: str, template: frozenset[int] | None = None
                            ) -> tuple[str, frozenset[int] | None, LineTable | None]:
    """:func:`reflow_columns` for ``strip``, with the line table it measured, when it did.

    The column search needs the lines that hold two spaces inside; the line-bounds
    kernel finds them with the bounds that the line parser needs too. Without a block
    the text comes back with ``\r\n`` and ``\r`` read as ``\n`` (the line parser reads
    it so) and with its table, which :func:`~newsclean.stripping.lines.parse_lines` then
    uses instead of splitting and bounding the text again (the same arrays). The same
    blocks as :func:`reflow_columns` (tested).
    """
    if "  " not in text:
        return text, template, None
    flat = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    raw = flat.split("\n")
    bounds = _bounds(raw, flat)
    blocks = _blocks(raw, _line_gaps(raw, np.flatnonzero(bounds[5]).tolist()))
    if not blocks:
        return flat, template, (flat, raw, bounds)
    return (*_reflow(raw, blocks, template), None)


def _reflow(raw: list[str], blocks: list[ColumnBlock], template: frozenset[int] | None
            ) -> tuple[str, frozenset[int] | None]:
    """The lines ``raw`` with ``blocks`` written out column by column (see :func:`reflow_columns`)."""
    # When the text around the blocks was wrapped (the line parser will unwrap it),
    # column text goes back to the page's width.
    inside = {k for b in blocks for k in range(b.first, b.last + 1)}
    wrapped = unwrap([line for k, line in enumerate(raw) if k not in inside]) is not None
    width = max(len(line.rstrip()) for line in raw) if wrapped else None
    out: list[str] = []
    origin: list[int] = []
    done = 0
    for block in blocks:
        out.extend(raw[done:block.first])
        origin.extend(range(done, block.first))
        for c in range(len(block.gutters) + 1):
            if c:
                out.append("")
                origin.append(block.first)
            for line, no in _column_lines(raw, block, c, width):
                out.append(line)
                origin.append(no)
        done = block.last + 1
    out.extend(raw[done:])
    origin.extend(range(done, len(raw)))
    if template:
        template = frozenset(k for k, no in enumerate(origin) if no in template)
    return "\n".join(out), template
