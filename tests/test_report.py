"""newsclean report / run --report: a self-contained page with the run's numbers and evidence."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean.cli import main

pytest.importorskip("jinja2", reason="the report needs the 'report' extra (jinja2)")

MENU = "Home | News | Business | Sport | Weather\nSubscribe   Log in\n"
FOOTER = "\n\nShare this article: Facebook Twitter Email\nRead more:\n(c) 2026 Example Daily. All rights reserved."

TRAM = (
    "The city council of Port Allen voted 31 to 12 on Tuesday to approve a new tram line linking the "
    "harbour district with the university campus, ending a debate that has run for almost a decade.\n\n"
    "The 9.4 kilometre line will have 14 stops and is expected to carry about 40,000 passengers a day "
    "once it opens in 2029, according to the transport committee of the council.\n\n"
    "Supporters said the tram would relieve the crowded bus routes along Quay Road and help the city "
    "meet its climate targets. Opponents warned that construction would disrupt shops in the old town "
    "for at least two years, and asked for a referendum before any work begins."
)
# A templated market report twice: the same words, other figures (kept apart by the figures rule).
MARKET = (
    "Shares of Harbour Bank {verb} {pct} percent to {price} crowns on Tuesday after the lender said "
    "its quarterly profit {move} to {profit} million crowns, as higher interest rates lifted its income "
    "from loans to households and small firms across the northern region.\n\n"
    "The bank said it expects the rate set by the central bank to stay near its current level for the "
    "rest of the year, and that it would pay a dividend of {dividend} crowns a share in the spring, "
    "according to a statement published before the market opened in the capital."
)
MARKET_A = MARKET.format(verb="rose", pct="3.2", price="41.50", move="climbed", profit="812", dividend="4.10")
MARKET_B = MARKET.format(verb="fell", pct="1.7", price="38.20", move="slipped", profit="655", dividend="3.60")
LIBRARY = (
    "The central library will stay open until ten in the evening on weekdays from next month, after a "
    "pilot project with longer opening hours drew more visitors than expected, the city said on Friday."
)


def make_run_input(folder: Path) -> Path:
    """A day of news: a story and two copies, a pair of templated reports, a lone story, bad lines."""
    rows = [
        {"id": "tram-1", "source": "port-daily", "text": MENU + "Tram line approved\n\n" + TRAM + FOOTER},
        {"id": "tram-2", "source": "wire", "text": MENU + "PORT ALLEN (Wire) - " + TRAM + FOOTER},
        {"id": "tram-3", "source": "metro", "text": MENU + TRAM.split("\n\n")[0] + "\n\n" + TRAM.split("\n\n")[1] + FOOTER},
        {"id": "bank-a", "source": "wire", "text": MENU + "Harbour Bank shares rise\n\n" + MARKET_A + FOOTER},
        {"id": "bank-b", "source": "markets-today", "text": MENU + "Harbour Bank shares fall\n\n" + MARKET_B + FOOTER},
        {"id": "library", "source": "port-daily", "text": MENU + "Library opens late\n\n" + LIBRARY + FOOTER},
    ]
    path = folder / "news.jsonl"
    lines = [json.dumps(r) for r in rows]
    lines.insert(3, '{"id": "broken", "text": "unterminated')
    lines.append(json.dumps({"id": "no-text", "headline": "a record without its text field"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_with_report(folder: Path) -> tuple[Path, Path]:
    news = make_run_input(folder)
    out, report = folder / "out.jsonl", folder / "report.html"
    code = main(["run", str(news), "-o", str(out), "--rejects", str(folder / "rejects.jsonl"),
                 "--stats", str(folder / "stats.json"), "--report", str(report), "--quiet"])
    assert code == 0
    return out, report


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-run")
    run_with_report(folder)
    return folder


def card(page: str, label: str) -> str:
    match = re.search(rf'data-card="{label}">([^<]*)<', page)
    assert match, label
    return match.group(1)


def test_run_report_is_self_contained_and_states_the_numbers(run_dir: Path) -> None:
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    stats = json.loads((run_dir / "stats.json").read_text(encoding="utf-8"))
    assert (card(page, "Records in"), card(page, "Articles out"), card(page, "Rejected")) == (
        str(stats["records_in"]), str(stats["records_out"]), str(stats["rejects"]))
    assert (stats["records_in"], stats["rejects"]) == (8, 2)
    assert card(page, "Clusters") == str(stats["clusters"])
    assert card(page, "Duplicates") == str(stats["duplicates_removed"])
    # Nothing to fetch: no script, stylesheet, image or frame, no URL but the SVG namespace.
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page)
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "url(" not in page and "@import" not in page


def test_report_shows_the_cluster_with_its_evidence(run_dir: Path) -> None:
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    out = [json.loads(line) for line in (run_dir / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    tram = {r["id"]: r for r in out if str(r["id"]).startswith("tram")}
    assert len({r["cluster_id"] for r in tram.values()}) == 1
    cluster_id = tram["tram-1"]["cluster_id"]
    assert f'id="cluster-{cluster_id}"' in page
    section = page[page.index(f'id="cluster-{cluster_id}"'):page.index('id="apart"')]
    for doc_id in ("tram-1", "tram-2", "tram-3"):
        assert f"<code>{doc_id}</code>" in section
    assert "<code>jaccard</code>" in section or "<code>containment</code>" in section
    assert 'class="changed"' in section  # the wire prefix differs
    assert re.search(r'class="[^"]*\bshared\b', section)  # a shared passage marked


def test_report_shows_the_pair_kept_apart_with_the_swapped_figures(run_dir: Path) -> None:
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    apart = page[page.index('id="apart"'):page.index('id="strip"')]
    assert "<code>bank-a</code> and <code>bank-b</code>" in apart
    assert '<span class="figure swap-a">41.50</span>' in apart
    assert '<span class="figure swap-b">38.20</span>' in apart


def test_report_shows_strip_decisions_and_rejects_by_reason(run_dir: Path) -> None:
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    strip = page[page.index('id="strip"'):page.index('id="rejects"')]
    assert 'class="l dropped"' in strip and 'class="l kept"' in strip
    assert '<span class="tag">menu</span>' in strip
    assert "Home | News | Business | Sport | Weather" in strip
    rejects = page[page.index('id="rejects"'):]
    assert "invalid JSON" in rejects and "missing field" in rejects and "news.jsonl:4" in rejects


def test_report_command_matches_run_report_and_is_deterministic(run_dir: Path, tmp_path: Path) -> None:
    args = ["report", str(run_dir / "out.jsonl"), "--rejects", str(run_dir / "rejects.jsonl"),
            "--stats", str(run_dir / "stats.json"), "--input", str(run_dir / "news.jsonl"), "--quiet"]
    assert main([*args, "-o", str(tmp_path / "a.html")]) == 0
    assert main([*args, "-o", str(tmp_path / "b.html")]) == 0
    first = (tmp_path / "a.html").read_bytes()
    assert first == (tmp_path / "b.html").read_bytes()
    page = first.decode("utf-8")
    assert card(page, "Records in") == "8" and "bank-a" in page and 'class="l dropped"' in page


def test_report_without_input_or_rejects_says_what_is_missing(run_dir: Path, tmp_path: Path) -> None:
    assert main(["report", str(run_dir / "out.jsonl"), "-o", str(tmp_path / "r.html"), "--quiet"]) == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert card(page, "Records in") == "?" and "--input INPUT" in page and "No rejects file was given" in page


def test_report_errors_have_exit_codes(run_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    news = run_dir / "news.jsonl"
    assert main(["run", str(news), "-o", "-", "--report", str(tmp_path / "r.html"), "--quiet"]) == 2
    assert "--report needs -o FILE" in capsys.readouterr().err
    rejects = tmp_path / "rejects.jsonl"
    assert main(["run", str(news), "-o", str(tmp_path / "o.jsonl"), "--rejects", str(rejects),
                 "--report", str(rejects)]) == 2
    assert not rejects.exists() and not (tmp_path / "o.jsonl").exists()  # refused before any work
    out = run_dir / "out.jsonl"
    before = out.read_bytes()
    assert main(["report", str(out), "-o", str(out)]) == 2
    assert out.read_bytes() == before
    assert main(["report", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "r.html")]) == 2
    monkeypatch.setitem(sys.modules, "jinja2", None)  # the extra is not installed
    assert main(["report", str(out), "-o", str(tmp_path / "r.html")]) == 4
    assert "pip install 'newsclean[report]'" in capsys.readouterr().err
    assert main(["run", str(news), "-o", str(tmp_path / "o.jsonl"), "--report", str(tmp_path / "r.html")]) == 4
    assert not (tmp_path / "o.jsonl").exists()  # refused before any work


def test_report_size_is_bounded_by_the_sampling(tmp_path: Path) -> None:
    rows = []
    for story in range(20):  # 20 clusters of 4 copies each
        base = f"Story {story} " + TRAM.replace("Port Allen", f"Town{story}").replace("31", str(story))
        for k in range(4):
            rows.append({"id": f"s{story:02d}-{k}", "text": (f"Copy {k}. " if k else "") + base})
    news = tmp_path / "many.jsonl"
    news.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out, report = tmp_path / "out.jsonl", tmp_path / "report.html"
    assert main(["dedup", str(news), "-o", str(out), "--quiet"]) == 0
    assert main(["report", str(out), "-o", str(report), "--report-clusters", "3", "--report-members", "2",
                 "--quiet"]) == 0
    page = report.read_text(encoding="utf-8")
    assert page.count('<details class="cluster"') == 6  # 3 largest + 3 at random
    assert page.count('<div class="member">') == 12
    assert "Showing 6 of 20 clusters" in page


def test_long_fields_and_lines_are_cut_so_the_page_stays_small(tmp_path: Path) -> None:
    blob = "x" * 60_000  # a minified script left in a dump, a title field gone wrong
    rows = [{"id": f"d{i}", "source": "s" * 20_000, "title": blob,
             "text": MENU + "Tram line approved\n\n" + TRAM + "\n" + blob + FOOTER} for i in range(6)]
    news = tmp_path / "big.jsonl"
    news.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for command in ("run", "dedup"):  # dedup keeps the input's huge title and source fields
        out, report = tmp_path / f"{command}.jsonl", tmp_path / f"{command}.html"
        assert main([command, str(news), "-o", str(out), "--quiet"]) == 0
        assert main(["report", str(out), "-o", str(report), "--input", str(news), "--quiet"]) == 0
        size = report.stat().st_size
        assert size < 200_000, (command, size)
    assert (tmp_path / "dedup.jsonl").stat().st_size > 6 * 2 * 60_000  # the page holds a fraction


def test_a_representatives_only_output_says_why_no_cluster_is_shown(run_dir: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "reps.jsonl", tmp_path / "report.html"
    assert main(["run", str(run_dir / "news.jsonl"), "-o", str(out), "--representatives-only", "--quiet"]) == 0
    assert main(["report", str(out), "-o", str(report), "--quiet"]) == 0
    page = report.read_text(encoding="utf-8")
    assert "This output holds one article per cluster" in page
    assert card(page, "Duplicates") == "0"
    full = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "This output holds one article per cluster" not in full


def test_report_of_a_strip_output_without_clusters(run_dir: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "articles.jsonl", tmp_path / "report.html"
    assert main(["strip", str(run_dir / "news.jsonl"), "-o", str(out), "--quiet"]) == 0
    assert main(["report", str(out), "-o", str(report), "--input", str(run_dir / "news.jsonl"), "--quiet"]) == 0
    page = report.read_text(encoding="utf-8")
    assert card(page, "Articles out") == "6" and 'data-card="Clusters"' not in page
    assert 'id="clusters"' not in page and 'class="l dropped"' in page


rows_strategy = st.lists(
    st.fixed_dictionaries(
        {"id": st.one_of(st.text(min_size=1, max_size=6), st.integers(0, 50))},
        optional={
            "text": st.one_of(st.none(), st.integers(), st.text(alphabet="ab 1.\n", max_size=80),
                              st.sampled_from([TRAM, MARKET_A, MARKET_B])),
            "title": st.one_of(st.none(), st.text(max_size=10)),
            "cluster_id": st.sampled_from(["c1", "c2", "c3", "0"]),
            "is_representative": st.booleans(),
            "similarity": st.one_of(st.none(), st.floats(0, 1), st.integers(0, 1)),
            "status": st.sampled_from(["ok", "no_content", "empty_input"]),
            "source": st.one_of(st.text(max_size=5), st.integers()),
            "url": st.sampled_from(["https://a.example/x", "not a url", ""]),
        },
    ),
    max_size=12,
)


@given(rows_strategy)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_output_gives_a_report_with_its_row_count(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    out, report = tmp_path / "out.jsonl", tmp_path / "report.html"
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["report", str(out), "-o", str(report), "--quiet"]) == 0
    page = report.read_text(encoding="utf-8")
    assert card(page, "Articles out") == f"{len(rows):,}"
    assert page.rstrip().endswith("</html>")


def test_the_page_is_well_formed(run_dir: Path) -> None:
    """Every element the template opens is closed, in order (a browser would guess otherwise)."""
    from html.parser import HTMLParser

    void = {"meta", "br", "line", "rect", "img", "input", "hr", "link"}

    class Balance(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.errors: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in void:
                self.stack.append(tag)

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            pass

        def handle_endtag(self, tag: str) -> None:
            if tag in void:
                return
            if not self.stack or self.stack[-1] != tag:
                self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            else:
                self.stack.pop()

    checker = Balance()
    checker.feed((run_dir / "report.html").read_text(encoding="utf-8"))
    assert checker.errors == [] and checker.stack == []
