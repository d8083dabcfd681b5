"""newsclean: clean article text out of news pages and find which articles are copies.

Examples:
    >>> import newsclean
    >>> newsclean.normalize("“Quoted”\u00a0— text…")
    '"Quoted" - text...'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .cluster import DedupConfig, DedupResult, component_labels, dedup, pair_similarity
from .duplicates import FigureSwap, PairEvidence, SharedPassage, explain_pair
from .errors import InputError, MissingExtraError, NewscleanError, RecordError
from .etl import PipelineConfig, RunPaths, RunSummary, run_pipeline
from .etl.readers import Record, read_records
from .extraction import ExtractConfig, extract
from .index import DedupIndex, IndexMatch
from .lsh import band_keys, candidate_pairs, lsh_params, signature_pairs
from .normalize import NormalizeConfig, comparison_form, normalize, split_paragraphs, word_tokens
from .reuse import ReuseConfig, ReuseMatch, ReuseResult, find_reuse
from .shingle import ShingleBatch, shingle_hashes, shingles
from .signature import minhash_signatures, signatures_from_hashes, to_lean_minhash
from .stripping import StripConfig, TemplateConfig, TemplateLearner, strip, strip_many
from .types import Article, LineDecision, Status

try:
    __version__ = version("newsclean")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Article",
    "DedupConfig",
    "DedupIndex",
    "DedupResult",
    "ExtractConfig",
    "FigureSwap",
    "IndexMatch",
    "InputError",
    "LineDecision",
    "MissingExtraError",
    "NewscleanError",
    "NormalizeConfig",
    "PairEvidence",
    "PipelineConfig",
    "Record",
    "RecordError",
    "ReuseConfig",
    "ReuseMatch",
    "ReuseResult",
    "RunPaths",
    "RunSummary",
    "SharedPassage",
    "ShingleBatch",
    "Status",
    "StripConfig",
    "TemplateConfig",
    "TemplateLearner",
    "__version__",
    "band_keys",
    "candidate_pairs",
    "comparison_form",
    "component_labels",
    "dedup",
    "explain_pair",
    "extract",
    "find_reuse",
    "lsh_params",
    "minhash_signatures",
    "normalize",
    "pair_similarity",
    "read_records",
    "run_pipeline",
    "shingle_hashes",
    "shingles",
    "signature_pairs",
    "signatures_from_hashes",
    "split_paragraphs",
    "strip",
    "strip_many",
    "to_lean_minhash",
    "word_tokens",
]
