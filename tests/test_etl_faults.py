"""Issue #11 item 11: failures of the environment get a clear message and their own exit code."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import newsclean.etl.run as etl_run
from newsclean.cli import main
from test_cli import make_corpus, write_jsonl


def _index_of_day_one(tmp_path: Path, n: int = 300) -> Path:
    index = tmp_path / "seen.sqlite"
    day1 = write_jsonl(tmp_path / "day1.jsonl", make_corpus(n, seed=1))
    assert main(["dedup", str(day1), "-o", str(tmp_path / "o1.jsonl"), "--index", str(index), "-q"]) == 0
    return index


def _day_two(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "day2.jsonl", make_corpus(50, seed=2, prefix="new"))


def test_disk_full_while_writing_the_output_exits_7_and_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from newsclean.etl import writers

    data, out = _day_two(tmp_path), tmp_path / "out.jsonl"

    def full(self: Any, row: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(writers.JsonlWriter, "write", full)
        assert main(["dedup", str(data), "-o", str(out), "-q"]) == 7
    err = capsys.readouterr().err
    assert "No space left on device" in err and "internal error" not in err
    assert not out.exists() and (tmp_path / "out.jsonl.work" / "manifest.json").exists()
    assert main(["dedup", str(data), "-o", str(out), "-q"]) == 0


@pytest.mark.skipif(not hasattr(__import__("os"), "posix_fallocate"), reason="no posix_fallocate here")
def test_disk_full_while_mapping_the_sketches_exits_7_and_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Step 2's mapped files are allocated before they are written: a full disk is exit 7,
    not a SIGBUS, and the files are gone afterwards."""
    import os

    data, out = _day_two(tmp_path), tmp_path / "out.jsonl"

    def full(fd: int, offset: int, length: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "posix_fallocate", full)
        assert main(["dedup", str(data), "-o", str(out), "-q"]) == 7
    err = capsys.readouterr().err
    assert "No space left on device" in err and "internal error" not in err
    assert not out.exists() and not (tmp_path / "out.jsonl.work" / "sketch").exists()
    assert main(["dedup", str(data), "-o", str(out), "-q"]) == 0


def test_a_full_index_names_the_real_error_and_exits_7(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from newsclean import store as store_module

    index = _index_of_day_one(tmp_path, 20)
    original = store_module.SqliteStore.__init__

    def small_disk(self: Any, path: str) -> None:
        original(self, path)
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        self._db.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(store_module.SqliteStore, "__init__", small_disk)
    code = main(["dedup", str(_day_two(tmp_path)), "-o", str(tmp_path / "o2.jsonl"), "--index", str(index), "-q"])
    err = capsys.readouterr().err
    assert code == 7, err
    assert "is full" in err and "cannot rollback" not in err


def test_a_damaged_index_exits_6(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = _index_of_day_one(tmp_path)
    data = bytearray(index.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    for start in range(page, len(data), page):
        data[start + 8 : start + page] = b"\xa5" * (page - 8)
    index.write_bytes(bytes(data))
    out = tmp_path / "o2.jsonl"
    code = main(["dedup", str(_day_two(tmp_path)), "-o", str(out), "--index", str(index), "-q"])
    err = capsys.readouterr().err
    assert code == 6, err
    assert str(index) in err and "internal error" not in err


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "app.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE users (name TEXT)")
    before = other.read_bytes()
    code = main(["dedup", str(_day_two(tmp_path)), "-o", str(tmp_path / "o.jsonl"), "--index", str(other), "-q"])
    assert code == 6
    assert other.read_bytes() == before
    with sqlite3.connect(other) as db:
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["users"]


def test_a_read_only_index_fails_before_the_output_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsclean.etl.indexes as indexes

    index = _index_of_day_one(tmp_path, 20)
    real_connect = sqlite3.connect

    def read_only(path: str, **kwargs: Any) -> sqlite3.Connection:  # what a read-only file gives
        if kwargs.pop("uri", False):
            return real_connect(path, uri=True, **kwargs)
        return real_connect(f"file:{path}?mode=ro", uri=True, **kwargs)

    monkeypatch.setattr(indexes.sqlite3, "connect", read_only)
    out = tmp_path / "o2.jsonl"
    assert main(["dedup", str(_day_two(tmp_path)), "-o", str(out), "--index", str(index), "-q"]) == 6
    assert not out.exists()


def test_redis_unreachable_or_failing_mid_run_exits_6(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    redis = pytest.importorskip("redis", reason="the redis extra is not installed")
    data = _day_two(tmp_path)
    url = "redis://127.0.0.1:9/0"  # the discard port: nothing answers
    assert main(["dedup", str(data), "-o", str(tmp_path / "o.jsonl"), "--index", url, "-q"]) == 6
    assert "Redis" in capsys.readouterr().err

    class Failing:
        def count(self) -> int:
            return 5

        def fetch(self, ids: object) -> dict[str, object]:
            msg = "Connection reset by peer"
            raise redis.ConnectionError(msg)

        def close(self) -> None:
            pass

    import contextlib

    monkeypatch.setattr(etl_run, "index_lock", lambda location: contextlib.nullcontext())
    monkeypatch.setattr(etl_run, "open_index", lambda location, config: Failing())
    out = tmp_path / "o2.jsonl"
    assert main(["dedup", str(data), "-o", str(out), "--index", url, "-q"]) == 6
    err = capsys.readouterr().err
    assert "Connection reset by peer" in err and "internal error" not in err
    assert not out.exists()


def test_every_exit_code_is_documented_in_help_and_readme() -> None:
    import re

    from newsclean import cli

    codes = sorted({v for k, v in vars(cli).items() if k.startswith("EXIT_") and isinstance(v, int)})
    assert codes == [0, 1, 2, 3, 4, 5, 6, 7, 130, 141, 143]
    helped = {int(m) for m in re.findall(r"^  (\d+) ", cli.EXIT_CODES, re.MULTILINE)}
    assert helped == set(codes)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:etl -->")[1].split("<!-- /section:etl -->")[0]
    exit_line = section.split("**Exit codes**")[1].split("\n- **")[0]
    assert all(re.search(rf"\b{code}\b", exit_line) for code in codes)


def test_a_closed_stdout_pipe_exits_141_without_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    data = tmp_path / "in.jsonl"
    write_jsonl(data, [{"id": f"d{i}", "text": f"Story number {i} about the harbour, the tram and the council. " * 20}
                       for i in range(3000)])
    # `newsclean run ... -o - | head -c 100`: the reader leaves after 100 bytes.
    proc = subprocess.Popen([sys.executable, "-m", "newsclean", "run", str(data), "-o", "-", "-q",
                             "--from", "text", "--work-dir", str(tmp_path / "work")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 141, err
    assert len(head) == 100
    assert "Traceback" not in err and "internal error" not in err


def test_an_index_of_an_older_sketch_format_is_refused_with_exit_2(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Its stored figure words follow another rule: refused, never mixed with new ones."""
    import json

    index = _index_of_day_one(tmp_path, 20)
    with sqlite3.connect(index) as db:
        params = json.loads(db.execute("SELECT value FROM meta WHERE key = 'params'").fetchone()[0])
        params["format"] = 2
        db.execute("UPDATE meta SET value = ? WHERE key = 'params'", (json.dumps(params, sort_keys=True),))
    capsys.readouterr()
    out = tmp_path / "o2.jsonl"
    assert main(["dedup", str(_day_two(tmp_path)), "-o", str(out), "--index", str(index), "-q"]) == 2
    assert "format 2" in capsys.readouterr().err and not out.exists()
