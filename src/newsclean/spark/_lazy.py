"""Lazy access to pyspark, so that ``import newsclean`` never needs the ``spark`` extra."""

from __future__ import annotations

from types import ModuleType

from .._optional import require

__all__ = ["pyspark_functions", "pyspark_sql"]

_PURPOSE = "newsclean.spark"


def pyspark_sql() -> ModuleType:
    """Return ``pyspark.sql`` or raise :class:`~newsclean.errors.MissingExtraError`."""
    return require("pyspark.sql", extra="spark", purpose=_PURPOSE)


def pyspark_functions() -> ModuleType:
    """Return ``pyspark.sql.functions`` or raise :class:`~newsclean.errors.MissingExtraError`."""
    return require("pyspark.sql.functions", extra="spark", purpose=_PURPOSE)
