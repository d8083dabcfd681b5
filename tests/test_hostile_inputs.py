"""Hostile inputs found by the adversarial QA pass: each test is one bug, fixed.

The inputs are generated here (no shared data); each test failed before its fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean import DedupConfig, InputError
from newsclean.cli import main


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("option", "value"), [("--num-perm", "0"), ("--ngram", "0"), ("--num-perm", "70000")]
)
def test_a_bad_dedup_option_is_a_usage_error_before_any_work(
    tmp_path: Path, option: str, value: str
) -> None:
    """Usage errors come before any work: no work directory left beside the output."""
    src = _write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "one two three four five six"}])
    out = tmp_path / "out.jsonl"
    assert main(["run", str(src), "-o", str(out), "--quiet", option, value]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.parametrize("field", ["num_perm", "ngram", "seed"])
def test_dedup_config_checks_every_field_when_made(field: str) -> None:
    with pytest.raises(InputError, match=field):
        DedupConfig(**{field: -1})  # type: ignore[arg-type]
