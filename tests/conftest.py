"""Shared fixtures: seeds, shared-data paths, hypothesis profiles."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'newsclean[spark]')"
    if shutil.which("java") is None:
        return "java is not on PATH (Spark needs Java 17)"
    return None


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = spark_missing()
    if reason:
        pytest.skip(reason)
    from newsclean.spark import spark_session

    session = spark_session(
        "local[2]",
        app_name="newsclean-tests",
        shuffle_partitions=2,
        checkpoint_dir=str(tmp_path_factory.mktemp("spark-checkpoints")),
        config={"spark.default.parallelism": "2", "spark.sql.adaptive.enabled": "true"},
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
