"""newsclean on Apache Spark: the local dedup, distributed (extra ``newsclean[spark]``).

:func:`dedup` gives, for a DataFrame of texts, the clusters :func:`newsclean.dedup`
gives locally; it runs the same numpy steps inside Spark tasks. Importing this package
does not import pyspark; the functions do, and raise
:class:`~newsclean.errors.MissingExtraError` with the install command when it is missing.
"""

from __future__ import annotations

from .cli import run_cli_dedup
from .components import ComponentsResult, connected_components
from .job import OUTPUT_COLUMNS, dedup
from .session import spark_session

__all__ = [
    "OUTPUT_COLUMNS",
    "ComponentsResult",
    "connected_components",
    "dedup",
    "run_cli_dedup",
    "spark_session",
]
