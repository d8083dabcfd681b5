"""The headline finder of strip: lines that look like a headline but are none.

Each rule has a dump of our own text in which, without the rule, the line it names is
taken for the headline (checked by removing the rule), and a unit test of the line test.
Measured on the DEV sets by ``benchmarks/strip_titles.py`` (README, section strip).
"""

from __future__ import annotations

import pytest
from tests.test_strip import ARTICLES

import newsclean
from newsclean.stripping.core import (
    _credit_or_byline,
    _is_headline,
    _navigation_link,
    _repeated_headline,
)
from newsclean.stripping.lines import parse_lines

HEADLINE = "Tram line to reach the northern suburbs"
MENU = ["  • Home", "  • News", "  • Sport", ""]

#: Lines between the headline and the article's first paragraph that the old finder took
#: for the headline: (rule, line).
IMPOSTORS = [
    ("credit", "A tram waits at the old harbour stop on Monday. Photograph: Anna Smith for the Courier"),
    ("credit", "A tram at the old harbour stop on Monday (Anna Smith/AP Photo)"),
    ("byline", "By Anna Smith on March 12, 2024 in City News, Transport with 4 Comments"),
    ("navigation", "« Council approves the new harbour bridge"),
    ("parenthesised", "(Cross-posted from the City Transport Blog)"),
]


def _dump(line: str) -> str:
    return "\n".join([*MENU, HEADLINE, "", line, "", *ARTICLES["en"]])


@pytest.mark.parametrize(("rule", "line"), IMPOSTORS, ids=[f"{r}-{k}" for k, (r, _) in enumerate(IMPOSTORS)])
def test_line_between_headline_and_body_is_not_the_title(rule: str, line: str) -> None:
    art = newsclean.strip(_dump(line))
    assert art.title == HEADLINE, rule
    assert HEADLINE not in art.paragraphs
    for paragraph in ARTICLES["en"]:
        assert paragraph in art.paragraphs


def _headline_like(text: str) -> bool:
    lines = parse_lines(text)
    assert len(lines) == 1
    return _is_headline(lines, 0)


@pytest.mark.parametrize("line", [
    "The harbour at dawn. Photograph: Jane Doe for the Courier",
    "Ships in the harbour on Monday (Jane Doe/AP Photo)",
    "Ships in the harbour on Monday. Picture: Supplied",
    "The old harbour crane at dusk Credit: Jane Doe",
    "Ships queue outside the harbour on Monday Getty Images",
])
def test_photo_credits_are_no_headline(line: str) -> None:
    assert _credit_or_byline(line)
    assert not _headline_like(line)


@pytest.mark.parametrize("line", [
    "By Jane Doe on May 4, 2012 in City News, Transport with 12 Comments",
    "Posted by admin in Harbour News on May 4th, 2012 | no responses",
])
def test_long_bylines_are_no_headline(line: str) -> None:
    assert _credit_or_byline(line)
    assert not _headline_like(line)


@pytest.mark.parametrize("line", [
    "« Council approves the new harbour bridge",
    "Council approves the new harbour bridge »",
    "‹ Older post: the harbour bridge",
    "(Cross-posted from the City Transport Blog)",
])
def test_navigation_links_are_no_headline(line: str) -> None:
    assert _navigation_link(line)
    assert not _headline_like(line)


@pytest.mark.parametrize("line", [
    HEADLINE,
    "Photographers return to the harbour after the storm",
    "Rain returns to the valley (update)",
    "Stand by me: the harbour choir sings again",
    "Image of the week shows the harbour at dawn",
])
def test_headlines_stay_headlines(line: str) -> None:
    assert not _credit_or_byline(line)
    assert not _navigation_link(line)
    assert _headline_like(line)


#: Pages that print their headline twice, with a headline-like line nearer the body.
REPEATED = {
    # the headline again in a share line at the end; a teaser headline above the body
    "share line": [*MENU, HEADLINE, "", "Council approves the new harbour bridge", "", *ARTICLES["en"], "",
                   f"Share: {HEADLINE}"],
    # lynx's head line ("Site » Headline Comments Feed"); the authors' names above the body
    "lynx head line": [f"#City Courier RSS Feed City Courier » {HEADLINE} Comments Feed", "", *MENU,
                       "City Courier Daily Edition", "", HEADLINE, "", "Anna Smith and Peter Brown", "",
                       *ARTICLES["en"]],
}


@pytest.mark.parametrize("name", sorted(REPEATED))
def test_the_headline_the_page_repeats_is_the_title(name: str) -> None:
    art = newsclean.strip("\n".join(REPEATED[name]))
    assert art.title == HEADLINE
    assert HEADLINE not in art.paragraphs
    assert art.paragraphs[-3:] == tuple(ARTICLES["en"])


def test_repeated_headline_keeps_a_found_headline_that_repeats() -> None:
    text = "\n\n".join([f"Home / {HEADLINE}", "Council approves the new harbour bridge", HEADLINE,
                         ARTICLES["en"][0]])
    lines = parse_lines(text)
    kept = [False, False, True, True]
    # the line found does not repeat, the headline does: it wins
    assert _repeated_headline(lines, kept, 2, (1, False)) == (2, True)
    # a found headline that repeats stays; nothing repeated near the body: found stays
    assert _repeated_headline(lines, kept, 2, (2, True)) == (2, True)
    lone = parse_lines("\n\n".join(["Council approves the new harbour bridge", HEADLINE, ARTICLES["en"][0]]))
    assert _repeated_headline(lone, [False, True, True], 1, (0, False)) == (0, False)


def test_a_line_repeated_only_inside_the_body_is_no_repeated_headline() -> None:
    # a gallery caption that the article's text quotes: a phrase of the body, not a headline
    caption = "The mayor greets commuters at the harbour stop"
    body = [ARTICLES["en"][0], caption, f"{caption} on Tuesday, a day after the council voted for the new "
            "line, and she promised that the works would not close the old stop for more than a week.",
            *ARTICLES["en"][1:]]
    art = newsclean.strip("\n".join([*MENU, HEADLINE, "", *body]))
    assert art.title == HEADLINE
    assert caption in art.paragraphs
