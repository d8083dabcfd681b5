"""Issue #11, runs a cron job can trust: re-runs, work directories, locks, bad records."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsclean.cli import main
from test_cli import make_corpus, read_jsonl, write_jsonl
from test_store import redis_url  # noqa: F401 - the fixture: a redis-server, if installed


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


# ----------------------------------------------------------------------------- item 10: processes


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_and_wait_for_chunks(tmp_path: Path, args: list[str], chunks: Path, n: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "newsclean", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and len(list(chunks.glob("*.jsonl"))) < n:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before the signal; make the input larger"
    return proc


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_workers_die_with_their_parent_on_kill_9(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", make_corpus(800))
    args = ["dedup", str(data), "-o", str(tmp_path / "out.jsonl"), "--chunk-size", "20", "--jobs", "2", "-q"]
    proc = _start_and_wait_for_chunks(tmp_path, args, tmp_path / "out.jsonl.work" / "chunks", 3)
    workers = _children(proc.pid)
    assert workers, "no worker processes found"
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as the OOM killer does
    proc.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # never leave them behind, even when the test fails
        os.kill(w, signal.SIGKILL)
    assert not left


def test_sigterm_stops_cleanly_with_143_and_the_rerun_resumes(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", make_corpus(800))
    clean = tmp_path / "clean.jsonl"
    assert main(["dedup", str(data), "-o", str(clean), "--chunk-size", "20", "-q"]) == 0
    out = tmp_path / "out.jsonl"
    args = ["dedup", str(data), "-o", str(out), "--chunk-size", "20", "--jobs", "2", "-q"]
    proc = _start_and_wait_for_chunks(tmp_path, args, tmp_path / "out.jsonl.work" / "chunks", 3)
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    assert b"terminated" in stderr and b"Traceback" not in stderr
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]
    assert not out.exists()
    assert main(args) == 0
    assert out.read_bytes() == clean.read_bytes()


def test_jobs_from_a_script_without_a_main_guard_names_the_fix(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", make_corpus(40))
    script = tmp_path / "job.py"
    script.write_text(
        "import newsclean\n"
        f"newsclean.run_pipeline([{str(data)!r}], newsclean.RunPaths(output={str(tmp_path / 'o.jsonl')!r}),\n"
        "                        newsclean.PipelineConfig(mode='text', jobs=2, chunk_size=10))\n"
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=120, check=False)
    assert result.returncode != 0
    last = result.stderr.decode().strip().splitlines()[-1]
    assert "if __name__ ==" in last and "BrokenProcessPool" not in last


# ----------------------------------------------------------------------------- progress


class _Bar:
    def __init__(self) -> None:
        self.updates: list[int] = []

    def update(self, n: int) -> None:
        self.updates.append(n)


def test_progress_moves_per_record_and_counts_bytes_without_a_record_count(tmp_path: Path) -> None:
    from newsclean import PipelineConfig, RunPaths, run_pipeline

    data = write_jsonl(tmp_path / "in.jsonl", make_corpus(50))
    bar = _Bar()
    run_pipeline([str(data)], RunPaths(output=str(tmp_path / "o.jsonl")), PipelineConfig(mode="text", chunk_size=1000),
                 progress_bar=bar)
    assert sum(bar.updates) == 50 and len(bar.updates) == 50  # one chunk, but the bar moved per record
    big = write_jsonl(tmp_path / "big.jsonl", make_corpus(1000))  # ~7 reads of 64 KiB
    bar = _Bar()
    run_pipeline([str(big)], RunPaths(output=str(tmp_path / "o2.jsonl")), PipelineConfig(mode="text", chunk_size=1000),
                 progress_bar=bar, progress_unit="bytes")
    assert sum(bar.updates) == big.stat().st_size and len(bar.updates) >= 5


def test_skipped_warc_responses_are_counted(tmp_path: Path) -> None:
    pytest.importorskip("fastwarc", reason="the warc extra (fastwarc) is not installed")
    from test_io import _warc_members

    crawl = tmp_path / "crawl.warc"
    crawl.write_bytes(b"".join(_warc_members()))
    stats = tmp_path / "stats.json"
    assert main(["run", str(crawl), "-o", str(tmp_path / "o.jsonl"), "--stats", str(stats), "-q"]) == 0
    assert _stats(stats)["skipped"] == 1 and _stats(stats)["records_in"] == 3



def test_redis_lock_refuses_a_second_holder_and_expires_with_its_holder(redis_url: str) -> None:  # noqa: F811
    import redis

    from newsclean.errors import InUseError
    from newsclean.etl.lock import redis_lock

    url = f"{redis_url}/3"
    with redis_lock(url, seconds=4):
        with pytest.raises(InUseError, match=f"in use by PID {os.getpid()}@"):
            with redis_lock(url, seconds=4):
                pass
        time.sleep(1.5)  # the heartbeat (every second here) keeps it
        assert redis.Redis.from_url(url).ttl("newsclean:lock") > 2
    with redis_lock(url, seconds=4):  # released
        pass
    client = redis.Redis.from_url(url)
    client.set("newsclean:lock", "4242@elsewhere:token", ex=1)  # a holder that died: the key expires
    time.sleep(1.2)
    with redis_lock(url, seconds=4):
        pass


def test_two_runs_on_one_index_at_once_never_miss_each_others_copies(tmp_path: Path) -> None:
    rows_a = make_corpus(150, seed=11, prefix="a")
    rows_b = make_corpus(150, seed=12, prefix="b")
    for i in range(0, 150, 10):  # 15 stories of day A are sent again in day B
        rows_b[i]["text"] = rows_a[i]["text"]
    index = tmp_path / "seen.sqlite"
    procs = []
    for name, rows in (("a", rows_a), ("b", rows_b)):
        data = write_jsonl(tmp_path / f"{name}.jsonl", rows)
        args = ["dedup", str(data), "-o", str(tmp_path / f"{name}.out.jsonl"), "--index", str(index),
                "--stats", str(tmp_path / f"{name}.json"), "-q"]
        procs.append(subprocess.Popen([sys.executable, "-m", "newsclean", *args], stderr=subprocess.PIPE))
    codes = [p.wait(timeout=120) for p in procs]
    assert set(codes) <= {0, 5} and 0 in codes, [p.stderr.read() for p in procs if p.stderr]
    for proc, code in zip(procs, codes, strict=True):
        if code == 5:
            assert proc.stderr is not None and b"in use by PID" in proc.stderr.read()
    if codes == [0, 0]:  # one after the other: the later one saw the earlier one's stories
        seen = [_stats(tmp_path / f"{name}.json")["seen_before"] for name in ("a", "b")]
        assert max(seen) >= 15 and min(seen) == 0


@pytest.mark.parametrize("command", ["run", "dedup"])
def test_text_with_unicode_line_separators_stays_one_line_per_record(tmp_path: Path, command: str) -> None:
    # U+2028 / U+2029 / U+0085 are valid unescaped in JSON but str.splitlines breaks at them
    texts = [f"Paragraph one of story {i}.\u2028Still paragraph one.\u2029Next\u0085line, and more words here."
             for i in range(3)]
    data = tmp_path / "in.jsonl"
    write_jsonl(data, [{"id": f"d{i}", "text": t} for i, t in enumerate(texts)])
    out = tmp_path / "out.jsonl"
    assert main([command, str(data), "-o", str(out), "-q"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    rows = [json.loads(line) for line in lines]
    assert [row["text"] for row in rows] == texts  # the input field, unchanged


@pytest.mark.parametrize("flags", [
    ["run", "IN", "-o", "IN"], ["run", "IN", "-o", "o.jsonl", "--rejects", "IN"],
    ["run", "IN", "-o", "o.jsonl", "--clusters", "IN"], ["run", "IN", "-o", "o.jsonl", "--stats", "IN"],
    ["run", "IN", "-o", "o.jsonl", "--index", "IN"], ["run", "IN", "-o", "o.jsonl", "--report", "IN"],
    ["strip", "IN", "-o", "o.jsonl", "--explain=IN"], ["dedup", "IN", "-o", "LINK"], ["reuse", "IN", "-o", "IN"],
])
def test_no_output_of_a_run_is_written_over_its_input(tmp_path: Path, flags: list[str],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "in.jsonl"
    write_jsonl(data, [{"id": "a", "text": "A story long enough to keep, with its own words in it."}])
    before = data.read_bytes()
    (tmp_path / "link.jsonl").symlink_to(data)
    argv = [str(data) if f == "IN" else str(tmp_path / "link.jsonl") if f == "LINK"
            else f"--explain={data}" if f == "--explain=IN" else str(tmp_path / f) if f.endswith(".jsonl") else f
            for f in flags]
    assert main([*argv, "-q"]) == 2
    assert "is also an input of the run" in capsys.readouterr().err
    assert data.read_bytes() == before
    assert not (tmp_path / "o.jsonl").exists()


def test_the_report_is_not_written_over_the_run_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(data, [{"id": "a", "text": "A story long enough to keep, with its own words in it."}])
    assert main(["run", str(data), "-o", str(out), "-q"]) == 0
    before = out.read_bytes()
    assert main(["report", str(out), "-o", str(out)]) == 2
    assert "is also an input" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_explain_before_the_inputs_says_it_took_the_input_as_its_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "in.jsonl"
    write_jsonl(data, [{"id": "a", "text": "A story long enough to keep, with its own words in it."}])
    before = data.read_bytes()
    assert main(["strip", "--explain", str(data), "-o", str(tmp_path / "o.jsonl")]) == 2
    assert "--explain took" in capsys.readouterr().err
    assert data.read_bytes() == before


def test_a_work_dir_that_is_a_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "in.jsonl"
    write_jsonl(data, [{"id": "a", "text": "A story long enough to keep, with its own words in it."}])
    before = data.read_bytes()
    assert main(["run", str(data), "-o", str(tmp_path / "o.jsonl"), "--work-dir", str(data), "-q"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert data.read_bytes() == before
