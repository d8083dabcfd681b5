"""Issue #11, runs a cron job can trust: re-runs, work directories, locks, bad records."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from pathlib import Path

import pytest

from newsclean.cli import main
from test_cli import make_corpus, read_jsonl, write_jsonl


def _day(tmp_path: Path, name: str, rows: list[dict[str, object]]) -> Path:
    return write_jsonl(tmp_path / name, rows)


def _stats(path: Path) -> dict[str, object]:
    return dict(json.loads(path.read_text()))


# ----------------------------------------------------------------------------- item 1: re-runs


@pytest.mark.parametrize("extra", [[], ["--representatives-only"]])
def test_rerun_of_a_finished_command_with_index_rewrites_the_same_output(tmp_path: Path, extra: list[str]) -> None:
    day1 = _day(tmp_path, "day1.jsonl", make_corpus(60, seed=1))
    day2 = _day(tmp_path, "day2.jsonl", make_corpus(80, seed=2, prefix="new"))
    index, out, stats = tmp_path / "seen.sqlite", tmp_path / "out.jsonl", tmp_path / "stats.json"
    assert main(["dedup", str(day1), "-o", str(tmp_path / "o1.jsonl"), "--index", str(index), "-q"]) == 0
    command = ["dedup", str(day2), "-o", str(out), "--index", str(index), "--stats", str(stats), "-q", *extra]
    assert main(command) == 0
    first, first_stats = out.read_bytes(), _stats(stats)
    assert first  # not emptied
    assert main(command) == 0  # the same command again, after it finished
    assert out.read_bytes() == first
    again = _stats(stats)
    assert {k: v for k, v in again.items() if k != "seconds"} == {k: v for k, v in first_stats.items() if k != "seconds"}


def test_empty_and_all_rejected_inputs_with_an_index_exit_0(tmp_path: Path) -> None:
    index = tmp_path / "seen.sqlite"
    day1 = _day(tmp_path, "day1.jsonl", make_corpus(20, seed=1))
    assert main(["dedup", str(day1), "-o", str(tmp_path / "o1.jsonl"), "--index", str(index), "-q"]) == 0
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"{not json\n[1, 2]\n")
    for i, data in enumerate((empty, bad)):
        out = tmp_path / f"out{i}.jsonl"
        assert main(["dedup", str(data), "-o", str(out), "--index", str(index), "-q"]) == 0
        assert out.exists() and out.read_bytes() == b""
        assert not (tmp_path / f"out{i}.jsonl.work").exists()
    assert main(["dedup", str(bad), "-o", str(tmp_path / "out1.jsonl"), "--index", str(index), "-q"]) == 0


def test_a_day_of_only_repeats_exits_0_and_marks_every_record_seen(tmp_path: Path) -> None:
    index, stats = tmp_path / "seen.sqlite", tmp_path / "stats.json"
    rows = make_corpus(40, seed=3)
    day1 = _day(tmp_path, "day1.jsonl", rows)
    assert main(["dedup", str(day1), "-o", str(tmp_path / "o1.jsonl"), "--index", str(index), "-q"]) == 0
    again = _day(tmp_path, "day2.jsonl", rows)  # the feed delivered twice
    out = tmp_path / "o2.jsonl"
    assert main(["dedup", str(again), "-o", str(out), "--index", str(index), "--stats", str(stats), "-q"]) == 0
    assert _stats(stats)["seen_before"] == 40
    assert not any(r["is_representative"] for r in read_jsonl(out))


# ----------------------------------------------------------------------------- item 2: work dirs


def test_work_dir_keeps_the_users_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _day(tmp_path, "in.jsonl", make_corpus(30))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "mine.txt").write_text("keep me")
    assert main(["dedup", str(data), "-o", str(tmp_path / "a.jsonl"), "--work-dir", str(scratch), "-q"]) == 0
    assert (scratch / "mine.txt").read_text() == "keep me"
    outdir = tmp_path / "outdir"
    outdir.mkdir()
    out = outdir / "out.jsonl"
    assert main(["dedup", str(data), "-o", str(out), "--work-dir", str(outdir), "-q"]) == 0
    assert len(read_jsonl(out)) == 30
    monkeypatch.chdir(scratch)
    assert main(["dedup", str(data), "-o", str(tmp_path / "b.jsonl"), "--work-dir", ".", "-q"]) == 0
    assert sorted(os.listdir(scratch)) == ["mine.txt"]


def test_an_existing_folder_not_made_by_newsclean_is_refused_not_deleted(tmp_path: Path) -> None:
    data = _day(tmp_path, "in.jsonl", make_corpus(10))
    taken = tmp_path / "out.jsonl.work"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    assert main(["dedup", str(data), "-o", str(tmp_path / "out.jsonl"), "-q"]) == 2
    assert (taken / "notes.txt").read_text() == "mine"


# ----------------------------------------------------------------------------- item 7: locks


def _hold(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, b"4242\n")
    return fd


def test_a_second_run_on_a_locked_index_stops_with_the_holders_pid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _day(tmp_path, "in.jsonl", make_corpus(20))
    index, out = tmp_path / "seen.sqlite", tmp_path / "out.jsonl"
    fd = _hold(tmp_path / "seen.sqlite.lock")
    try:
        assert main(["dedup", str(data), "-o", str(out), "--index", str(index), "-q"]) == 5
    finally:
        os.close(fd)
    assert "in use by PID 4242" in capsys.readouterr().err
    assert not out.exists()
    assert main(["dedup", str(data), "-o", str(out), "--index", str(index), "-q"]) == 0  # free again


def test_the_same_command_twice_at_once_is_refused(tmp_path: Path) -> None:
    data = _day(tmp_path, "in.jsonl", make_corpus(20))
    out = tmp_path / "out.jsonl"
    work = tmp_path / "out.jsonl.work"
    work.mkdir()
    fd = _hold(work / "lock")
    try:
        assert main(["dedup", str(data), "-o", str(out), "-q"]) == 5
    finally:
        os.close(fd)
    assert not out.exists()


def test_an_index_locked_by_another_program_fails_before_any_output(tmp_path: Path) -> None:
    data = _day(tmp_path, "in.jsonl", make_corpus(20))
    index, out = tmp_path / "seen.sqlite", tmp_path / "out.jsonl"
    assert main(["dedup", str(data), "-o", str(tmp_path / "first.jsonl"), "--index", str(index), "-q"]) == 0
    other = sqlite3.connect(index, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        code = main(["dedup", str(data), "-o", str(out), "--index", str(index), "-q"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 5
    assert not out.exists()
