"""Shared fixtures: seeds, shared-data paths, hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent
# The project's shared data lives beside the repository (../shared); a user's clone has none.
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not present: {path} (set NEWSCLEAN_SHARED to its folder)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _need(SEEDS)


@pytest.fixture(scope="session")
def seeds(seeds_dir: Path) -> dict[str, str]:
    """Seed texts by their three-digit prefix: {"000": ..., "004": ...}."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def extraction_dev_set() -> Path:
    return _need(DATA / "extraction" / "scrapinghub_aeb.jsonl.gz")


@pytest.fixture(scope="session")
def reuters_path() -> Path:
    return _need(DATA / "dedup" / "reuters21578.jsonl.gz")
