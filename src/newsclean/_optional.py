"""Lazy imports of optional dependencies with an actionable error."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingExtraError

__all__ = ["require"]


def require(module: str, *, extra: str, purpose: str = "") -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming the extra to install.

    Args:
        module: the importable module name, e.g. ``"pyarrow.parquet"``.
        extra: the newsclean extra that installs it, e.g. ``"parquet"``.
        purpose: what it is needed for, shown in the message.

    Examples:
        >>> require("json", extra="none").__name__
        'json'
        >>> require("no_such_module_xyz", extra="spark", purpose="Spark dedup")
        Traceback (most recent call last):
        ...
        newsclean.errors.MissingExtraError: Spark dedup needs 'no_such_module_xyz', which is not installed: pip install 'newsclean[spark]'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        what = purpose or "this feature"
        msg = (
            f"{what} needs {module.split('.')[0]!r}, which is not installed: "
            f"pip install 'newsclean[{extra}]'"
        )
        raise MissingExtraError(msg) from exc
