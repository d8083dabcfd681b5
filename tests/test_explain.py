"""newsclean explain A.txt B.txt, and strip --explain: the evidence on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean import DedupConfig, explain_pair, normalize, strip
from newsclean.cli import main
from newsclean.report.evidence import describe

REPORT = (
    "Shares of Harbour Bank {verb} {pct} percent to {price} crowns on Tuesday after the lender said "
    "its quarterly profit rose to {profit} million crowns, as higher interest rates lifted its income "
    "from loans to households and small firms across the northern region. The bank said it expects "
    "rates to stay near their current level for the rest of the year."
)
A = REPORT.format(verb="rose", pct="3.2", price="41.50", profit="812")
B = REPORT.format(verb="fell", pct="1.7", price="38.20", profit="655")


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_explain_prints_the_swapped_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", write(tmp_path, "a.txt", A), write(tmp_path, "b.txt", B)]) == 0
    out = capsys.readouterr().out
    assert "verdict: NOT COPIES (rule: figures)" in out
    assert "'41.50' (A " in out and "-> '38.20' (B " in out
    assert "shared passages:" in out


def test_explain_of_a_copy_names_the_rule_and_the_passages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = "PORT ALLEN (Wire) - " + A
    assert main(["explain", write(tmp_path, "a.txt", A), write(tmp_path, "c.txt", copy)]) == 0
    out = capsys.readouterr().out
    evidence = explain_pair(normalize(A), normalize(copy), DedupConfig())
    assert f"verdict: COPIES (rule: {evidence.rule})" in out
    assert describe(evidence, DedupConfig()) in out
    assert f"Jaccard similarity {evidence.jaccard:.3f}" in out
    assert "swapped figures: none" in out


def test_explain_json_spans_index_the_normalized_texts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = "“Quoted” text:\u00a0" + A  # normalize changes quotes and spaces: spans refer to its output
    assert main(["explain", write(tmp_path, "a.txt", a), write(tmp_path, "b.txt", B), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    text_a, text_b = normalize(a), normalize(B)
    assert (data["rule"], data["duplicate"], data["chars_a"]) == ("figures", False, len(text_a))
    for swap in data["figure_swaps"]:
        assert text_a[slice(*swap["a_span"])] == swap["a"]
        assert text_b[slice(*swap["b_span"])] == swap["b"]
    assert data["shared_passages"]
    for passage in data["shared_passages"]:
        assert text_a[slice(*passage["a_span"])] == passage["text"]


def test_explain_threshold_changes_the_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    half = A[: len(A) // 2] + " Other news followed about the weather in the north of the country today."
    paths = [write(tmp_path, "a.txt", A), write(tmp_path, "h.txt", half)]
    assert main(["explain", *paths, "--json", "--threshold", "0.05"]) == 0
    low = json.loads(capsys.readouterr().out)
    assert main(["explain", *paths, "--json", "--threshold", "0.99"]) == 0
    high = json.loads(capsys.readouterr().out)
    assert low["jaccard"] == high["jaccard"] and low["rule"] != high["rule"]


def test_explain_bad_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "a.txt", A)
    assert main(["explain", good, str(tmp_path / "missing.txt")]) == 2
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    assert main(["explain", good, str(latin)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


# ----------------------------------------------------------------------------- strip --explain

DUMP = "\n".join([
    "Home | News | Sport | Weather", "Subscribe   Log in", "Harbour tram line approved", "",
    "The city council voted 31 to 12 on Tuesday to approve a new tram line linking the harbour "
    "district with the university campus, ending a debate of almost a decade.", "",
    "The line will have 14 stops and is expected to carry about 40,000 passengers a day once it "
    "opens in 2029, according to the transport committee of the council.", "",
    "Share this article: Facebook Twitter Email", "(c) 2024 Port Allen Daily. All rights reserved.",
])


def test_strip_explain_writes_every_line_beside_the_articles(tmp_path: Path) -> None:
    records = [{"id": "d1", "text": DUMP}, {"id": "d2", "text": DUMP.replace("31 to 12", "29 to 14")},
               {"id": "bad"}]
    news = tmp_path / "dumps.jsonl"
    news.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "articles.jsonl"
    assert main(["strip", str(news), "-o", str(out), "--explain", "--quiet"]) == 0
    rows = [json.loads(line) for line in (tmp_path / "articles.decisions.jsonl").read_text().splitlines()]
    articles = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["id"] for r in rows} == {a["id"] for a in articles} == {"d1", "d2"}
    for article in articles:
        mine = [r for r in rows if r["id"] == article["id"]]
        assert [r["line"] for r in mine] == list(range(1, DUMP.count("\n") + 2))
        assert all(set(r) == {"id", "where", "line", "kept", "reason", "score", "text"} for r in mine)
        expected = strip(next(rec["text"] for rec in records if rec["id"] == article["id"]), explain=True)
        assert [(r["kept"], r["reason"], r["score"]) for r in mine] == [
            (d.kept, d.reason, d.score) for d in expected.decisions]
        body = [r["text"] for r in mine if r["reason"] == "body"]
        assert body and all(line in article["text"] for line in body)
        assert mine[0]["where"].endswith("dumps.jsonl:1" if article["id"] == "d1" else "dumps.jsonl:2")


def test_strip_explain_to_a_path_and_its_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    news = tmp_path / "dumps.jsonl"
    news.write_text(json.dumps({"id": "d1", "text": DUMP}) + "\n", encoding="utf-8")
    target = tmp_path / "why.jsonl"
    assert main(["strip", str(news), "-o", "-", "--explain", str(target), "--quiet"]) == 0
    assert len(target.read_text().splitlines()) == DUMP.count("\n") + 1
    capsys.readouterr()
    assert main(["strip", str(news), "-o", "-", "--explain", "--quiet"]) == 2
    assert "--explain without a path needs -o FILE" in capsys.readouterr().err


def test_explanations_with_a_site_field_follow_strip_many(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from newsclean import strip_many
    from newsclean.report.decisions import explained_records

    promo = "Support our journalism: become a member today and read without limits."
    dumps = [f"Story {i}\n\nThe team won game {i} after a late goal in extra time, the coach said.\n\n{promo}"
             for i in range(6)]
    rows = [{"id": f"p{i}", "site": "a" if i % 2 else "b", "text": t} for i, t in enumerate(dumps)]
    rows.insert(2, {"id": "x", "site": "a"})  # no text: not stripped, not explained
    news = tmp_path / "pages.jsonl"
    news.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    # The run's configuration with --site-field (newsclean.etl's PipelineConfig.site_field).
    config = SimpleNamespace(input_format=None, mode="strip", text_field="text", html_field="html",
                             id_field="id", site_field="site")
    got = list(explained_records([str(news)], config))  # type: ignore[arg-type]
    expected = list(strip_many(dumps, sites=["a" if i % 2 else "b" for i in range(6)], window=500,
                               explain=True))
    assert [record.fields["id"] for record, _ in got] == [f"p{i}" for i in range(6)]
    assert [article.decisions for _, article in got] == [a.decisions for a in expected]
    assert any(d.reason == "template" for a in expected for d in a.decisions)
    alone = list(explained_records([str(news)], SimpleNamespace(**{**vars(config), "site_field": None})))  # type: ignore[arg-type]
    assert [a.decisions for _, a in alone] == [strip(t, explain=True).decisions for t in dumps]
