"""The rule loops of ``strip`` visit only the lines they can change: the same decisions.

``core._apply_rules`` (hard drops, ticker blocks, body growing, subheadings, comment
sections, captions) and ``core._paragraphs`` skip the lines a rule cannot touch. The
references below are the plain loops over every line they replaced; hypothesis builds
dumps of prose, menus, tickers, comment sections, captions and cookie lines, with random
model scores and template flags, and both must leave the same lines kept.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.stripping import core as C
from newsclean.stripping.lines import Lines, parse_lines


def _ref_drop_comments(lines: Lines, kept: list[bool]) -> set[int]:
    first = next((i for i, k in enumerate(kept) if k), None)
    if first is None:
        return set()
    for c in range(first + 1, len(kept)):
        if lines.words[c] > C._COMMENT_HEAD_MAX_WORDS or C._COMMENT_HEAD_RE.match(lines.content[c].lower()) is None:
            continue
        window = range(c + 1, min(c + 1 + C._COMMENT_WINDOW, len(kept)))
        meta = sum(1 for j in window if lines.words[j] <= 12
                   and C._COMMENT_META_RE.search(lines.content[j].lower()) is not None)
        if meta >= 2:
            dropped = {j for j in range(c, len(kept)) if kept[j]}
            for j in dropped:
                kept[j] = False
            return dropped
    return set()


def _ref_drop_ticker_blocks(lines: Lines, kept: list[bool], prose: list[bool]) -> set[int]:
    dropped: set[int] = set()
    for i, code in enumerate(lines.category):
        if code != C._TICKER or lines.words[i] > C._HARD_MAX_WORDS:
            continue
        end = min(len(kept) - 1, i + C._MAX_TICKER_BLOCK)
        closed = any(lines.blank_after[k] for k in range(i, end))
        j = i
        while j + 1 < len(kept) and not lines.blank_after[j] and j - i < C._MAX_TICKER_BLOCK:
            j += 1
            if not closed and lines.words[j] >= C._TICKER_ITEM_MAX_WORDS and prose[j]:
                break
            kept[j] = False
            dropped.add(j)
    return dropped


def _ref_grow_body(lines: Lines, kept: list[bool], prob: np.ndarray, excluded: set[int], prose: list[bool]) -> None:
    grow = [is_prose and i not in excluded and p >= C._GROW_FLOOR
            for i, (is_prose, p) in enumerate(zip(prose, prob.tolist(), strict=True))]
    for i in range(1, len(kept)):
        if grow[i] and not kept[i] and kept[i - 1] and lines.indent[i - 1] == lines.indent[i]:
            kept[i] = True
    for i in range(len(kept) - 2, -1, -1):
        if grow[i] and not kept[i] and kept[i + 1] and lines.indent[i + 1] == lines.indent[i]:
            kept[i] = True
    for i in range(1, len(kept) - 1):
        if (
            not kept[i] and kept[i - 1] and kept[i + 1] and i not in excluded
            and lines.words[i] <= C._SUBHEADING_MAX_WORDS and lines.category[i] == 0
            and not lines.bullet[i] and not lines.binary[i] and lines.content[i]
        ):
            kept[i] = True


def _ref_apply_rules(lines: Lines, kept: list[bool], prob: np.ndarray, flags: np.ndarray,
                     prose: list[bool]) -> tuple[set[int], set[int]]:
    rows = zip(lines.category, lines.words, lines.content, lines.binary, flags.tolist(), strict=True)
    for i, (code, words, content, binary, template) in enumerate(rows):
        if (code in C._HARD_CODES and words <= C._HARD_MAX_WORDS) or template:
            kept[i] = False
        elif code == C._COOKIE and C._COOKIE_CONTEXT_RE.search(content.lower()):
            kept[i] = False
        elif not content or binary:
            kept[i] = False
    ticker_items = _ref_drop_ticker_blocks(lines, kept, prose)
    _ref_grow_body(lines, kept, prob, ticker_items | set(np.flatnonzero(flags).tolist()), prose)
    comments = _ref_drop_comments(lines, kept)
    for i, (content, words) in enumerate(zip(lines.content, lines.words, strict=True)):
        if kept[i] and words <= 40 and (
            content.endswith(")") or content[:8].lower().startswith(C._CAPTION_STARTS)
        ) and C._CAPTION_RE.search(content) is not None:
            kept[i] = False
    return ticker_items, comments


_PROSE = (
    "The council met on Tuesday and agreed on a plan to rebuild the old bridge over the river.",
    "Officials said that the work would begin in the spring and take about two years to finish.",
    "The mayor told reporters that the city would not raise taxes to pay for the new bridge.",
    "Residents of the town have waited for a decision on the bridge for more than ten years now.",
)
_LINES = st.one_of(
    st.sampled_from(_PROSE),
    st.sampled_from(("  • Home", "  • World", "Politics", "BREAKING", "Most Read", "Share", "Reply",
                     "Jane says:", "November 5, 2019 at 3:14 pm", "12 Comments", "Leave a Reply",
                     "Photo: Jane Doe", "The bridge at dawn. (AP Photo/Jane Doe)", "[12]", "Subheading here",
                     "We use cookies to improve your experience on our website.", "© 2024 Example",
                     "Storm closes schools", "By Jane Doe", "    indented prose line of the article body here.",
                     # comment headings, one a line, and what sits around them
                     "— 12 Comments —", "_Comments_", "---", "ΣΣ comments", "İ Comments", "One Response to “Bridge”",
                     "Комментарии", "3\tcomments", "5 Replies to the bridge", "No comments yet", "discussions",
                     "Post a comment", "* * *", "Jane said...", "1 like")),
    st.text(alphabet="abc XYZ.,:()•\tİΣ_—\u00a0", min_size=1, max_size=30),
)


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Lines, list[bool], np.ndarray, np.ndarray]:
    parts = draw(st.lists(st.tuples(_LINES, st.booleans()), min_size=1, max_size=60))
    text = "".join(line + ("\n\n" if blank else "\n") for line, blank in parts)
    lines = parse_lines(text)
    n = len(lines)
    # Scores around the floors and the threshold (0.01, the model's), plus 0 and 1.
    prob = np.array(draw(st.lists(st.sampled_from((0.0, 0.005, 0.01, 0.2, 0.5, 0.9, 1.0)), min_size=n, max_size=n)))
    flags = np.array(draw(st.lists(st.sampled_from((0.0, 0.0, 0.0, 1.0)), min_size=n, max_size=n)))
    kept = (prob >= draw(st.sampled_from((0.3, 0.5, C.default_model().threshold)))).tolist()
    return lines, kept, prob, flags


@settings(max_examples=300, deadline=None)
@given(_cases())
def test_apply_rules_keeps_what_the_plain_loops_keep(case: tuple[Lines, list[bool], np.ndarray, np.ndarray]) -> None:
    lines, kept, prob, flags = case
    prose = C._prose_lines(lines)
    fast, slow = list(kept), list(kept)
    assert C._apply_rules(lines, fast, prob, flags, prose) == _ref_apply_rules(lines, slow, prob, flags, prose)
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(_cases(), st.data())
def test_grow_body_grows_what_the_plain_sweeps_grow(case: tuple[Lines, list[bool], np.ndarray, np.ndarray],
                                                     data: st.DataObject) -> None:
    lines, kept, prob, _ = case
    prose = C._prose_lines(lines)
    excluded = set(data.draw(st.lists(st.integers(0, max(len(lines) - 1, 0)), max_size=5)))
    fast, slow = list(kept), list(kept)
    C._grow_body(lines, fast, prob, excluded, prose)
    _ref_grow_body(lines, slow, prob, excluded, prose)
    assert fast == slow


def test_a_comment_section_and_a_subheading_are_found_by_both() -> None:
    text = "\n\n".join([*_PROSE[:2], "A short subheading", *_PROSE[2:], "12 Comments", "Jane says:",
                      "November 5, 2019 at 3:14 pm", "I liked the article about the bridge a lot, thanks.", "Reply"])
    lines = parse_lines(text)
    kept = [True, True, False, True, True, False, False, False, True, False]
    prob = np.array([0.9, 0.9, 0.1, 0.9, 0.9, 0.1, 0.1, 0.1, 0.9, 0.1])
    flags = np.zeros(len(lines))
    prose = C._prose_lines(lines)
    fast, slow = list(kept), list(kept)
    got = C._apply_rules(lines, fast, prob, flags, prose)
    assert got == _ref_apply_rules(lines, slow, prob, flags, prose)
    assert fast == slow
    assert fast[2] and 8 in got[1] and not fast[8]  # the subheading kept, the comment dropped


def test_paragraphs_are_the_kept_lines_in_order() -> None:
    lines = parse_lines("Home\n\nThe council met on Tuesday. Share\n\nMenu\n\nThe mayor agreed on it.")
    passed = C._Pass(lines, (False, True, False, True), ("",) * 4, None)
    assert C._paragraphs(passed, C.StripConfig()) == [
        ("The council met on Tuesday.", (2,)), ("The mayor agreed on it.", (6,))]


_COMMENT_LINES = st.sampled_from((
    "— 12 Comments —", "_Comments_", "---", "ΣΣ comments", "İ Comments", "Comments", "comments", "commentsx",
    "One Response to “Bridge”", "Комментарии", "3\tcomments", "5 Replies", "  ", "!!", "Reply", "Jane says:",
    "November 5, 2019 at 3:14 pm", "Leave a Reply", "Share", *_PROSE[:2]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_COMMENT_LINES, min_size=1, max_size=40), st.data())
def test_comment_sections_are_found_as_the_line_by_line_loop_finds_them(parts: list[str], data: st.DataObject) -> None:
    # A wrong joined pattern (one whose runs cross a line's end, or a wrong line index)
    # drops from another line or misses the heading.
    lines = parse_lines("\n".join(parts))
    kept = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    fast, slow = list(kept), list(kept)
    assert C._drop_comments(lines, fast) == _ref_drop_comments(lines, slow)
    assert fast == slow


def test_a_comment_heading_after_a_line_without_words_is_found_on_its_own_line() -> None:
    lines = parse_lines("\n".join([_PROSE[0], "---", "— 12 Comments —", "Jane says:", "Reply", _PROSE[1]]))
    fast, slow = [True] * len(lines), [True] * len(lines)
    assert C._drop_comments(lines, fast) == _ref_drop_comments(lines, slow) == {2, 3, 4, 5}
    assert fast == slow


def test_every_comment_heading_word_holds_a_heading_key() -> None:
    # _drop_comments tries the heading pattern only on lines holding a key: a heading
    # word without one would never be found. The alternatives of the pattern's last
    # group, each in its shortest form (a new alternative fails the count).
    group = C._COMMENT_HEAD_RE.pattern.rsplit(r"\s+)?(?:", 1)[1].removesuffix(r")\b")
    shortest = ("comment", "response", "replies", "reader comments", "leave a reply", "leave a comment",
                "post a comment", "join the discussion", "join the conversation", "discussion", "kommentare",
                "commentaires", "comentarios", "comentários", "комментарии", "التعليقات")
    assert len(group.replace("(?:reply|comment)", "").replace("(?:discussion|conversation)", "").split("|")) == 14
    for word in shortest:
        assert C._COMMENT_HEAD_RE.match(word) is not None, word
        assert any(key in word for key in C._COMMENT_HEAD_KEYS), word


def _ref_paragraphs(passed: C._Pass, config: C.StripConfig) -> list[tuple[str, tuple[int, ...]]]:
    lines = passed.lines
    out: list[tuple[str, tuple[int, ...]]] = []
    for i in range(len(passed.kept)):
        if not passed.kept[i]:
            continue
        text = lines.content[i]
        if config.remove_inline and text.rsplit(None, 1)[-1].lower().strip(":.!") in C._INLINE_LAST:
            text = C._INLINE_RE.sub("", text)
        out.append((text, tuple(range(lines.line_no[i], lines.last_line_no[i] + 1))))
    return out


_WRAPPED = ("The council met on Tuesday and agreed on a plan to rebuild the old\nbridge over the river, "
            "said the mayor, who had argued for it since the\nspring and hoped that it would pass soon.")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_LINES, st.just(_WRAPPED), st.sampled_from(("The vote passed. Share", "It rained. Tweet this",
                                                                       "Done! Read more:"))),
                min_size=1, max_size=30), st.data(), st.booleans())
def test_paragraphs_are_those_of_the_plain_loop(parts: list[str], data: st.DataObject, inline: bool) -> None:
    # Pages with wrapped paragraphs (lines joined: a paragraph from several input lines)
    # and inline chrome, some lines kept.
    lines = parse_lines("\n".join(parts * 3))
    drawn = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    # (a line without content is never kept: the rules drop it, and both loops read its last word)
    kept = tuple(k and bool(content) for k, content in zip(drawn, lines.content, strict=True))
    passed = C._Pass(lines, kept, ("",) * len(kept), None)
    config = C.StripConfig(remove_inline=inline)
    assert C._paragraphs(passed, config) == _ref_paragraphs(passed, config)


_ENDS = st.sampled_from(C._INLINE_PHRASES[:40] + C._INLINE_PHRASES[-20:] + ["Share", "SHARE THIS", "Read more", "x"])
_GLUE = st.sampled_from([" ", "  ", "\t", "\u00a0", " \u2009 ", ""])
_TAIL = st.sampled_from(["", ":", ".", "!", " :", " .", "  ", "\t!", ": "])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.text(alphabet="ab.!?\")”»’ \t\u00a0", max_size=12), _ENDS), _GLUE),
                min_size=1, max_size=10), _TAIL)
def test_inline_chrome_is_cut_as_the_pattern_over_the_whole_line_cuts_it(parts: list[tuple[str, str]], tail: str) -> None:
    # Texts of words, sentence ends and inline phrases glued by odd whitespace: the cut on
    # the text's end is the pattern's over the whole text, the last word rsplit's.
    text = "".join(word + glue for word, glue in parts) + tail
    assert C._cut_inline(text) == C._INLINE_RE.sub("", text)
    if text.split():
        assert C._last_word(text) == text.rsplit(None, 1)[-1]


def test_the_cut_keeps_the_text_before_the_phrase() -> None:
    text = "It rained all day in the city. " * 5 + "Share this"
    assert C._cut_inline(text) == text[: -len(" Share this")]
    assert C._cut_inline("One. Two three four five six. Share this  :") == "One. Two three four five six."
    assert C._cut_inline("One two three four five six seven Share this") == "One two three four five six seven Share this"


_META_PIECES = st.sampled_from([
    "reply", "replydelete", "reply to this", "log in to reply", "antworten", "répondre", "responder", "responda",
    "ответить", "report", "like", "likes", "permalink", "link to this comment", "says", "wrote", "said", "point",
    "points", "replies", "score", "at", "@", "3", "12", "10:45", ":", "am", "pm", "#", "↓", "/", "share", "[", "]",
    "(", ")", "...", "…", " ", "  ", "jane", "x", "-", "0", ":00",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_META_PIECES, min_size=1, max_size=8), st.text(alphabet="ab :1@(#", max_size=6))
def test_a_meta_line_holds_a_meta_key(pieces: list[str], noise: str) -> None:
    # _comment_meta tries the pattern only on lines holding a key: a line the pattern
    # matches without one would be missed. Lines made of the pattern's own words, figures and marks.
    for low in ("".join(pieces), " ".join(pieces), "".join(pieces) + noise, noise + " ".join(pieces)):
        assert C._comment_meta(low) == (C._COMMENT_META_RE.search(low) is not None), low


def test_every_meta_alternative_holds_a_meta_key() -> None:
    # One example of each alternative of the pattern (a new alternative needs one here).
    examples = ("reply", "[reply]", "replydelete", "reply to this", "log in to reply #", "antworten", "répondre",
                "responder", "responda", "ответить", "report", "like", "permalink", "link to this comment ↓",
                "jane says:", "tom wrote...", "ann said…", "reply #", "posted at 3:14", "@10:45", "3:14 pm",
                "12 likes", "1 point", "4 replies", "(score: 5")
    for low in examples:
        assert C._COMMENT_META_RE.search(low) is not None, low
        assert any(key in low for key in C._COMMENT_META_KEYS), low
    assert C._COMMENT_META_RE.pattern.count("|") == 27  # the pattern as the examples above cover it (a change fails)
