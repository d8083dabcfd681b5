"""An output named ``.jsonl.gz`` / ``.jsonl.zst`` is compressed, for every command and file.

A run writes each file under a temporary name first (``out.jsonl.gz.tmp``) and renames
it at the end; the compression (and format) must follow the name the user gave, not the
temporary one (they did not: every such output was plain JSONL under a ``.gz`` name).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from newsclean.cli import main

STORY = ("The port authority said on Monday that container traffic rose by a fifth in the first "
         "quarter of the year, helped by new routes to the Baltic and the Mediterranean ports.")
EXTRA = ("Dock workers said the new cranes had cut the time a ship spends at the quay by a third, "
         "and the authority expects more traffic next year as two new lines start calling.")


def _records() -> list[dict[str, Any]]:
    return [
        {"id": "a", "text": STORY + "\n\n" + EXTRA},
        {"id": "b", "text": "HAMBURG (Wire) - " + STORY + "\n\n" + EXTRA},
        {"id": "c", "text": "Rain is expected across the north of the country this weekend, forecasters said."},
        {"id": "d"},  # no text: a reject
    ]


def _source(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    return path


def _read(path: Path) -> list[dict[str, Any]]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        assert data[:2] == b"\x1f\x8b", f"{path.name} is not gzip"
        assert not data[3] & 0x08, "the gzip header names no file (it would be the temporary name)"
        data = gzip.decompress(data)
    elif path.name.endswith(".zst"):
        zstandard = pytest.importorskip("zstandard")
        assert data[:4] == b"\x28\xb5\x2f\xfd", f"{path.name} is not zstd"
        data = zstandard.ZstdDecompressor().stream_reader(data).read()
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


@pytest.mark.parametrize("command", ["run", "strip", "dedup", "reuse"])
@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_output_names_give_compressed_files(tmp_path: Path, command: str, suffix: str) -> None:
    if suffix == ".jsonl.zst":
        pytest.importorskip("zstandard")
    source = _source(tmp_path)
    out, rejects = tmp_path / f"out{suffix}", tmp_path / f"rejects{suffix}"
    plain = tmp_path / "plain.jsonl"
    assert main([command, str(source), "-o", str(out), "--rejects", str(rejects), "-q"]) == 0
    assert main([command, str(source), "-o", str(plain), "-q"]) == 0
    rows = _read(out)
    assert rows == _read(plain) and rows  # the same rows as the plain output
    assert [r["line"] for r in _read(rejects)] == [4]
    assert not list(tmp_path.glob("*.tmp"))


def test_clusters_file_and_reruns_of_a_gzip_output(tmp_path: Path) -> None:
    """``--clusters x.jsonl.gz`` is gzip too, and a re-run writes the same bytes."""
    source = _source(tmp_path)
    out, clusters = tmp_path / "out.jsonl.gz", tmp_path / "clusters.jsonl.gz"
    assert main(["run", str(source), "-o", str(out), "--clusters", str(clusters), "-q"]) == 0
    first = out.read_bytes()
    assert [c["members"] for c in _read(clusters)] == [["a", "b"]]
    out.unlink()
    clusters.unlink()
    assert main(["run", str(source), "-o", str(out), "--clusters", str(clusters), "-q"]) == 0
    assert out.read_bytes() == first


def test_the_spark_engine_refuses_a_zstd_output_it_cannot_write(tmp_path: Path) -> None:
    """Spark's JSON writer compresses gzip, not zstd: a ``.zst`` name is a usage error."""
    source = _source(tmp_path)
    out = tmp_path / "out.jsonl.zst"
    assert main(["dedup", str(source), "-o", str(out), "--engine", "spark", "-q"]) == 2
    assert not out.exists()
