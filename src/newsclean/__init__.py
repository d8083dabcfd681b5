"""newsclean: clean article text out of news pages and find which articles are copies.

Examples:
    >>> import newsclean
    >>> newsclean.normalize("“Quoted”\u00a0— text…")
    '"Quoted" - text...'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import InputError, MissingExtraError, NewscleanError, RecordError
from .extract import ExtractConfig, extract
from .normalize import NormalizeConfig, comparison_form, normalize, split_paragraphs, word_tokens
from .types import Article, LineDecision, Status

try:
    __version__ = version("newsclean")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Article",
    "ExtractConfig",
    "InputError",
    "LineDecision",
    "MissingExtraError",
    "NewscleanError",
    "NormalizeConfig",
    "RecordError",
    "Status",
    "__version__",
    "comparison_form",
    "extract",
    "normalize",
    "split_paragraphs",
    "word_tokens",
]
