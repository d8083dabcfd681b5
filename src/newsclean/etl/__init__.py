"""Streaming, resumable, parallel ETL: records -> articles -> near-duplicate clusters -> files.

The subpackage follows the steps of a run:

- :mod:`~newsclean.etl.readers`: JSONL, Parquet, WARC and folders -> records with their location;
- :mod:`~newsclean.etl.writers`: JSONL and Parquet writers;
- :mod:`~newsclean.etl.rows`: a record -> an output row, or a located reject;
- :mod:`~newsclean.etl.chunks`: step 1, chunks of rows and sketches (in ``jobs`` workers);
- :mod:`~newsclean.etl.workdir`: the work directory (manifest, chunk files, resume);
- :mod:`~newsclean.etl.clusters`: step 2, near-duplicate clusters, and the index commit;
- :mod:`~newsclean.etl.output`: step 3, the output, rejects and clusters files;
- :mod:`~newsclean.etl.run`: :func:`run_pipeline`, the four steps in order.
"""

from __future__ import annotations

from ..errors import TooManyErrors
from .config import Mode, PipelineConfig, RunPaths, RunSummary
from .rows import record_to_row
from .run import run_pipeline

__all__ = [
    "Mode",
    "PipelineConfig",
    "RunPaths",
    "RunSummary",
    "TooManyErrors",
    "record_to_row",
    "run_pipeline",
]
