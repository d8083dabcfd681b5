"""Compatibility module: the ETL now lives in :mod:`newsclean.etl`.

``newsclean.pipeline.PipelineConfig``, ``RunPaths``, ``RunSummary``, ``TooManyErrors``,
``record_to_row`` and ``run_pipeline`` keep working; new code imports them from
:mod:`newsclean` or :mod:`newsclean.etl`.
"""

from __future__ import annotations

from .errors import TooManyErrors
from .etl.clusters import MAX_INDEX_CANDIDATES, sketch_texts
from .etl.config import Mode, PipelineConfig, RunPaths, RunSummary
from .etl.rows import record_to_row
from .etl.run import run_pipeline

__all__ = [
    "MAX_INDEX_CANDIDATES",
    "Mode",
    "PipelineConfig",
    "RunPaths",
    "RunSummary",
    "TooManyErrors",
    "record_to_row",
    "run_pipeline",
    "sketch_texts",
]
