"""strip on dump layouts the dev dumps do not show: no blank lines between paragraphs."""

from __future__ import annotations

import json
from pathlib import Path

import newsclean

BODY = [
    "The city council of Port Allen voted 31 to 12 on Tuesday to approve a new tram line "
    "linking the harbour district with the university campus.",
    "The 9.4 kilometre line will have 14 stops and is expected to carry about 40,000 "
    "passengers a day once it opens in 2029, the council said.",
]
CHROME_TOP = ["Port Allen Daily", "  • News", "  • Politics", "  • Sport", "BREAKING",
              "Storm warning for the coast tonight", "Tram line approved"]
CHROME_BOTTOM = ["Share", "Most Read", "  • Storm warning for the coast tonight",
                 "  • Harbour festival cancelled", "© 2026 Port Allen Daily. All rights reserved."]


def test_ticker_block_does_not_swallow_a_body_without_blank_lines() -> None:
    dump = "\n".join([*CHROME_TOP, *BODY, *CHROME_BOTTOM]) + "\n"
    art = newsclean.strip(dump, explain=True)
    assert art.ok
    assert art.paragraphs == tuple(BODY)
    reasons = {d.text.strip(): d.reason for d in art.decisions}
    assert reasons["Storm warning for the coast tonight"] in {"ticker", "title", "teaser"}
    assert reasons["BREAKING"] != "body"


WIRE = """HARBOUR AUTHORITY RAISES FEES

The Port Allen harbour authority said it
would raise mooring fees for cargo ships by eight pct from
July, the first increase in four years.
    The authority said the extra income would pay for the
dredging of the eastern channel, which has been closed to
large vessels since the spring floods.
    Shipping companies said they had not been consulted.
"""


def test_hand_wrapped_wire_copy_is_kept() -> None:
    art = newsclean.strip(WIRE)
    assert art.ok, art.reason
    assert len(art.paragraphs) >= 2
    body = " ".join(art.paragraphs)
    for phrase in ("mooring fees for cargo ships", "dredging of the eastern channel",
                   "not been consulted"):
        assert phrase in body


def test_plain_text_without_chrome_is_kept_whole() -> None:
    # Wire copy as it is filed: no page around it, lines broken by hand.
    text = ("HARBOUR FIRM <HBR> APPROVES SHARE SPLIT\n\n"
            "Harbour Holdings Inc said its\n"
            "board of directors approved a three-for-one share split of its\n"
            "ordinary shares for holders of record as of May 2, 2026.\n"
            "The company also said its board voted to recommend to\n"
            "shareholders at the annual meeting June 11 an increase in the\n"
            "authorised capital from ten mln to 40 mln shares.\n"
            "Reuter\n")
    art = newsclean.strip(text)
    assert art.ok, art.reason
    body = " ".join(art.paragraphs)
    assert "Harbour Holdings Inc said its" in body
    assert "authorised capital from ten mln to 40 mln shares." in body
    assert "Reuter" not in art.paragraphs


EARNINGS = """ACME HOLDINGS INC <ACMH> 2ND QTR NET

Shr 1.20 dlrs vs 1.05 dlrs
    Net 12.3 mln vs 11.1 mln
    Revs 120.5 mln vs 110.2 mln
    Six mths
    Shr 2.31 dlrs vs 2.02 dlrs
    Net 23.8 mln vs 21.0 mln
 Reuter
"""

DIVIDEND = """HARBOUR BANK <HBK> RAISES QTLY PAYOUT

Qtly div seven cts vs six cts prior
    Pay April 17
    Record April three
 Reuter
"""

SHORT_ITEM = """PORT ALLEN FIRM TO BUY STEEL UNIT

Port Allen Holdings Inc said it will
acquire Eastern Steel Corp in exchange for a portion of its
stock.
 Reuter
"""


def test_clean_earnings_table_is_kept_whole() -> None:
    # A wire table has no prose, but no chrome either: every row is content.
    art = newsclean.strip(EARNINGS)
    assert art.ok, art.reason
    assert art.title == "ACME HOLDINGS INC <ACMH> 2ND QTR NET"
    # Every row; the label "Six mths" is kept as a heading inside the table.
    assert art.paragraphs == ("Shr 1.20 dlrs vs 1.05 dlrs", "Net 12.3 mln vs 11.1 mln",
                              "Revs 120.5 mln vs 110.2 mln", "Six mths", "Shr 2.31 dlrs vs 2.02 dlrs",
                              "Net 23.8 mln vs 21.0 mln")
    assert newsclean.strip(art.text).paragraphs == art.paragraphs  # a fixed point


def test_clean_dividend_notice_and_short_item_are_kept() -> None:
    art = newsclean.strip(DIVIDEND)
    assert art.ok, art.reason
    assert art.title == "HARBOUR BANK <HBK> RAISES QTLY PAYOUT"
    assert art.paragraphs == ("Qtly div seven cts vs six cts prior", "Pay April 17")
    item = newsclean.strip(SHORT_ITEM)
    assert item.ok, item.reason
    body = " ".join(item.paragraphs)
    assert "acquire Eastern Steel Corp" in body and body.endswith("stock.")
    assert "Reuter" not in item.paragraphs
    assert newsclean.strip(item.text).paragraphs == item.paragraphs  # a fixed point


def test_headline_list_without_bullets_is_not_taken_for_clean_text() -> None:
    from newsclean.stripping.core import _chrome_free
    from newsclean.stripping.lines import parse_lines

    headlines = "\n".join(["Storm Warning For The Coast Tonight", "Harbour Festival Cancelled Again",
                           "Council Approves The New Tram Line", "Local Team Wins The Regional Cup"])
    assert not _chrome_free(parse_lines(headlines))
    assert _chrome_free(parse_lines(EARNINGS))


def test_ticker_item_and_menu_bar_are_not_the_title() -> None:
    # The shipped sample's page dumps (the project's own text): a menu bar, a ticker
    # line "Latest: ..." and the headline above the story.
    sample = Path(__file__).resolve().parent.parent / "examples" / "sample" / "news.jsonl"
    records = {r["id"]: r for r in map(json.loads, sample.read_text(encoding="utf-8").splitlines())}
    n08 = newsclean.strip(records["n08"]["text"])
    assert n08.title == "Central library to open until 10 p.m."  # ends in an abbreviation
    assert n08.paragraphs[0].startswith("The central library will stay open")
    n03 = newsclean.strip(records["n03"]["text"])
    assert n03.title is None or not n03.title.startswith(("Latest:", "Home |"))
    assert n03.paragraphs[0].startswith("The city council of Port Allen voted")


def test_signature_after_a_wrapped_story_is_not_joined_to_it() -> None:
    # Filled to the width: the signature " Reuter" would fit the width test, but it
    # follows a sentence end and sits deeper: a line of its own, not a wrap.
    text = ("HARBOUR TRUST <HBT> TO BUY LENDING UNIT\n\n"
            "Harbour Trust Corp of Port\n"
            "Allen said it has signed a definitive agreement to purchase\n"
            "Eastfield Credit, the lending operations unit of mortgage\n"
            "banking company <Eastfield Homes>, for undisclosed terms.\n"
            " Reuter\n")
    art = newsclean.strip(text)
    assert art.ok, art.reason
    assert art.title == "HARBOUR TRUST <HBT> TO BUY LENDING UNIT"
    assert " ".join(art.paragraphs).endswith("for undisclosed terms.")


FORUM_POSTS = [  # long lines, as inscriptis renders them (not wrapped)
    "I replaced the chain on my old touring bike last week and the shifting is still rough on the small "
    "cogs. It skips under load on the climb to work and makes a clicking noise on every turn of the pedals. "
    "The old chain had done about four thousand kilometres.",
    "Did you check the cable tension first? A quarter turn on the barrel adjuster usually fixes that kind "
    "of thing, and a new chain on an old cassette can skip as well when the teeth are worn down.",
    "Also make sure the derailleur hanger is straight, a bent hanger gives exactly those symptoms after a "
    "fall. You can check it by looking at the jockey wheels from behind the bike while it stands upright.",
    "Thanks, the hanger was bent indeed. I straightened it at the local shop and now it shifts perfectly "
    "again, even on the steep climb, and the clicking noise is gone as well. Thanks for all the tips here.",
]


def test_forum_posts_are_content() -> None:
    # A thread is many short items among meta lines: the line model (trained on article
    # pages) keeps none of them here; the page-share rule keeps every long line.
    from newsclean.stripping.core import StripConfig

    lines = ["  • Home", "  • Forums", "  • Members", "  • Search", "Bike repair forum",
             "Shifting problems after chain swap", ""]
    for i, post in enumerate(FORUM_POSTS):
        lines += [f"Posted by rider{i}", "12 March 2024 10:15", post, "Reply", "Quote", ""]
    lines += ["  • Terms", "  • Privacy", "© 2024 Example Forums"]
    dump = "\n".join(lines)
    art = newsclean.strip(dump)
    assert art.ok, art.reason
    assert art.paragraphs == tuple(FORUM_POSTS)
    assert newsclean.strip(dump, config=StripConfig(page_share=0.0)).paragraphs != tuple(FORUM_POSTS)
    assert newsclean.strip(art.text).paragraphs == art.paragraphs
