"""Root conftest: doctests of modules that need an optional extra are collected only
where that extra is installed (the README's test command installs just `.[test]`)."""

from __future__ import annotations

import importlib.util


def _missing(*modules: str) -> bool:
    return any(importlib.util.find_spec(m) is None for m in modules)


collect_ignore_glob: list[str] = []
if _missing("pyspark", "pyarrow"):
    collect_ignore_glob.append("src/newsclean/spark/*")
