"""Tests of the newsclean command: subcommands, bad data, exit codes, crash and resume."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsclean.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample" / "news.jsonl"
BROKEN = ROOT / "examples" / "sample" / "broken.jsonl"
WORDS = (
    "council harbour tram vote bank rate market shares fell rose year government minister "
    "report police storm snow road school teachers strike hospital doctors budget tax farmers "
    "wheat export price oil gas company profit quarter court judge ruling election party leader"
).split()


def make_corpus(n: int, seed: int = 7, copies_every: int = 4, prefix: str = "doc") -> list[dict[str, object]]:
    """``n`` invented stories; every ``copies_every``-th is a near copy of an earlier one."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for i in range(n):
        if i and i % copies_every == 0:
            words = str(rows[rng.randrange(len(rows))]["text"]).split()
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            text = " ".join(words)
        else:
            text = " ".join(rng.choice(WORDS) for _ in range(60))
        rows.append({"id": f"{prefix}-{i:05d}", "text": text, "feed": f"feed-{i % 3}"})
    return rows


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def cli(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "newsclean", *args], capture_output=True, input=stdin,
        env={**os.environ, **(env or {})}, timeout=300, check=False,
    )


def test_run_on_the_shipped_sample(tmp_path: Path) -> None:
    out, clusters, stats = tmp_path / "out.jsonl", tmp_path / "clusters.jsonl", tmp_path / "stats.json"
    code = main(["run", str(SAMPLE), "-o", str(out), "--clusters", str(clusters), "--stats", str(stats), "-q"])
    assert code == 0
    rows = read_jsonl(out)
    assert len(rows) == 10
    assert {"id", "source", "text", "title", "status", "cluster_id", "is_representative", "similarity"} <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    # the tram story is sent three times (one truncated); the bread story twice (HTML + dump)
    assert by_id["n01"]["cluster_id"] == by_id["n02"]["cluster_id"] == by_id["n03"]["cluster_id"] == "n01"
    assert by_id["n04"]["cluster_id"] == by_id["n05"]["cluster_id"] == "n04"
    assert by_id["n04"]["method"] != by_id["n05"]["method"]  # one extracted, one stripped
    assert by_id["n08"]["cluster_id"] == "n08" and by_id["n08"]["is_representative"]
    assert "<p>" not in str(by_id["n04"]["text"])
    for cluster in {r["cluster_id"] for r in rows}:
        assert sum(bool(r["is_representative"]) for r in rows if r["cluster_id"] == cluster) == 1
    table = read_jsonl(clusters)
    assert all(t["size"] >= 2 and t["representative"] in t["members"] for t in table)
    summary = json.loads(stats.read_text())
    assert summary["records_in"] == 10 and summary["rejects"] == 0
    assert summary["duplicates_removed"] == sum(not r["is_representative"] for r in rows)
    assert not (tmp_path / "out.jsonl.work").exists()


def test_malformed_input_is_rejected_with_location_and_the_rest_processed(tmp_path: Path) -> None:
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    result = cli("run", str(BROKEN), "-o", str(out), "--rejects", str(rejects))
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert [r["id"] for r in read_jsonl(out)] == ["n08", "n09"]
    bad = read_jsonl(rejects)
    assert [(Path(str(b["path"])).name, b["line"]) for b in bad] == [("broken.jsonl", 2), ("broken.jsonl", 3)]
    assert bad[0]["reason"].startswith("invalid JSON")
    assert "missing field 'text'" in bad[1]["reason"]
    assert b"2 rejects" in result.stderr


def test_max_errors_stops_with_exit_code_3(tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    result = cli("run", str(BROKEN), "-o", str(tmp_path / "out.jsonl"), "--max-errors", "0", "--chunk-size", "1",
                 "--rejects", str(rejects))
    assert result.returncode == 3
    assert [r["line"] for r in read_jsonl(rejects)] == [2]
    assert b"--max-errors" in result.stderr and b"Traceback" not in result.stderr


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    missing = cli("dedup", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl"))
    assert missing.returncode == 2 and b"input not found" in missing.stderr
    bad_threshold = cli("dedup", str(SAMPLE), "-o", str(tmp_path / "o.jsonl"), "--threshold", "1.5")
    assert bad_threshold.returncode == 2 and b"threshold" in bad_threshold.stderr
    for result in (missing, bad_threshold):
        assert b"Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["run", "extract", "strip", "dedup", "reuse"])
def test_help_has_examples_and_exit_codes(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and f"newsclean {command}" in text and "exit codes:" in text


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", make_corpus(400))
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        assert main(["dedup", str(data), "-o", str(out), "--jobs", str(jobs), "--chunk-size", "64", "-q"]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    rows = [json.loads(x) for x in outputs[0].splitlines()]
    assert sum(not r["is_representative"] for r in rows) >= 80  # the planted copies were found


def test_input_order_does_not_change_the_clusters(tmp_path: Path) -> None:
    rows = make_corpus(300)
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    results = []
    for name, data in (("a", rows), ("b", shuffled)):
        out = tmp_path / f"{name}.jsonl"
        assert main(["dedup", str(write_jsonl(tmp_path / f"{name}-in.jsonl", data)), "-o", str(out), "-q",
                     "--chunk-size", "50"]) == 0
        results.append({r["id"]: (r["cluster_id"], r["is_representative"], r["similarity"]) for r in read_jsonl(out)})
    assert results[0] == results[1]


def test_stdin_to_stdout_and_representatives_only(tmp_path: Path) -> None:
    data = "".join(json.dumps(r) + "\n" for r in make_corpus(40)).encode()
    result = cli("dedup", "-", "-o", "-", "--representatives-only", "-q", stdin=data)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert rows and all(r["is_representative"] for r in rows)
    assert len(rows) < 40 and result.stderr == b""


def test_parquet_in_and_out(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")
    import pyarrow.parquet as pq

    first = tmp_path / "first.parquet"
    assert main(["dedup", str(write_jsonl(tmp_path / "in.jsonl", make_corpus(60))), "-o", str(first), "-q"]) == 0
    table = pq.read_table(first)
    assert {"id", "text", "feed", "cluster_id", "is_representative", "similarity"} <= set(table.column_names)
    second = tmp_path / "second.jsonl"
    assert main(["strip", str(first), "-o", str(second), "-q"]) == 0
    assert len(read_jsonl(second)) == 60


def test_reuse_subcommand(tmp_path: Path) -> None:
    shared = "The minister said on Monday that the new budget would cut taxes for small firms and farmers."
    rows = [
        {"id": "a", "text": "Markets opened higher today after a quiet week of trading.\n\n" + shared},
        {"id": "b", "text": "Football results from the weekend were mixed for the home sides.\n\n" + shared},
    ]
    out = tmp_path / "pairs.jsonl"
    assert main(["reuse", str(write_jsonl(tmp_path / "in.jsonl", rows)), "-o", str(out), "-q"]) == 0
    pairs = read_jsonl(out)
    assert [(p["doc_a"], p["paragraph_a"], p["doc_b"], p["paragraph_b"]) for p in pairs] == [("a", 1, "b", 1)]


@pytest.mark.parametrize("flags", [["--jobs", "2"], ["--chunk-size", "10"], ["--work-dir", "W"]])
def test_reuse_refuses_the_flags_it_cannot_honour(tmp_path: Path, flags: list[str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """One process, not resumable: --jobs, --chunk-size and --work-dir would do nothing, so say so."""
    data = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "one two three four five six"}])
    out = tmp_path / "pairs.jsonl"
    assert main(["reuse", str(data), "-o", str(out), *flags]) == 2
    assert f"does not support {flags[0]}" in capsys.readouterr().err and not out.exists()


# ----------------------------------------------------------------------------- crash and resume


def _clean_run(tmp_path: Path, data: Path, *extra: str) -> tuple[bytes, dict[str, object]]:
    out, stats = tmp_path / "clean.jsonl", tmp_path / "clean-stats.json"
    assert main(["run", str(data), "--from", "text", "-o", str(out), "--stats", str(stats), *extra]) == 0
    return out.read_bytes(), json.loads(stats.read_text())


def _comparable(stats: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in stats.items() if k not in ("seconds", "chunks_resumed")}


def test_sigkill_mid_run_then_rerun_gives_the_clean_output(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", make_corpus(800))
    clean, clean_stats = _clean_run(tmp_path, data, "--chunk-size", "25", "-q")
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    args = [sys.executable, "-m", "newsclean", "run", str(data), "--from", "text", "-o", str(out),
            "--chunk-size", "25", "--jobs", "2", "--stats", str(stats), "-q"]
    proc = subprocess.Popen(args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    chunks = tmp_path / "out.jsonl.work" / "chunks"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(chunks.glob("*.jsonl"))) >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed; make the input larger"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    done_before = len(list(chunks.glob("*.jsonl")))
    assert 3 <= done_before < 30
    rerun = subprocess.run(args, capture_output=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert out.read_bytes() == clean
    resumed = json.loads(stats.read_text())
    assert _comparable(resumed) == _comparable(clean_stats)
    assert resumed["chunks_resumed"] >= 3


@pytest.mark.parametrize("point", ["chunk-1", "sketch", "labels", "output", "index"])
def test_kill_at_each_step_then_rerun_matches_clean_run_with_index(tmp_path: Path, point: str) -> None:
    old = write_jsonl(tmp_path / "yesterday.jsonl", make_corpus(120, seed=1))
    new_rows = make_corpus(200, seed=2, prefix="new")
    new_rows[5]["text"] = read_jsonl(old)[7]["text"]  # a copy of something seen yesterday
    new = write_jsonl(tmp_path / "today.jsonl", new_rows)
    results = []
    for name, kill in (("clean", None), ("killed", point)):
        index, out, stats = tmp_path / f"{name}.sqlite", tmp_path / f"{name}.jsonl", tmp_path / f"{name}.json"
        common = ["--index", str(index), "--chunk-size", "50", "-q"]
        assert main(["dedup", str(old), "-o", str(tmp_path / f"{name}-old.jsonl"), *common]) == 0
        today = ["dedup", str(new), "-o", str(out), "--stats", str(stats), *common]
        if kill is not None:  # a real process, killed by SIGKILL at that step
            killed = subprocess.run([sys.executable, str(ROOT / "tests" / "killswitch.py"), kill, *today],
                                    capture_output=True, timeout=300, check=False)
            assert killed.returncode == -signal.SIGKILL, killed.stderr
            if kill == "sketch":  # the mapped sketch files are left behind, then cleared
                assert list((tmp_path / f"{name}.jsonl.work" / "sketch").glob("*.npy"))
        assert main(today) == 0
        assert not (tmp_path / f"{name}.jsonl.work").exists()
        from newsclean.store import SqliteStore

        store = SqliteStore(str(index))
        results.append((out.read_bytes(), _comparable(json.loads(stats.read_text())), store.count()))
        store.close()
    assert results[0] == results[1]
    rows = {r["id"]: r for r in (json.loads(x) for x in results[0][0].splitlines())}
    assert rows["new-00005"]["cluster_id"] == "doc-00007" and not rows["new-00005"]["is_representative"]
    assert rows["new-00005"]["similarity"] == 1.0
    assert results[0][1]["seen_before"] >= 1


def test_python_dash_m_and_version() -> None:
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.startswith(b"newsclean ")


def test_no_progress_bar_in_a_pipe_only_the_summary(tmp_path: Path) -> None:
    result = cli("run", str(SAMPLE), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 0
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsclean run: 10 records in, 10 out")
    assert "\r" not in result.stderr.decode()


def test_run_on_a_warc_file_extracts_html_responses(tmp_path: Path) -> None:
    pytest.importorskip("fastwarc", reason="the warc extra (fastwarc) is not installed")
    import gzip

    from test_io import _warc_record

    pages = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if "html" in line]
    members = [_warc_record(f"http://example.org/{i}", p["html"].encode("utf-8"), "text/html; charset=utf-8")
               for i, p in enumerate(pages)]
    members.append(_warc_record("http://example.org/9", b"\x89PNG", "image/png"))
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(b"".join(gzip.compress(m) for m in members))
    out = tmp_path / "out.jsonl"
    assert main(["run", str(crawl), "-o", str(out), "--drop-field", "html", "-q"]) == 0
    rows = read_jsonl(out)
    assert [r["url"] for r in rows] == [f"http://example.org/{i}" for i in range(len(pages))]
    assert all(r["status"] == "ok" and r["source"] == "html" and "html" not in r for r in rows)
