"""newsclean on Apache Spark: the local dedup, distributed (extra ``newsclean[spark]``).

Importing this package does not import pyspark; each function does, and raises
:class:`~newsclean.errors.MissingExtraError` with the install command when it is missing.
"""

from __future__ import annotations

from .components import ComponentsResult, connected_components
from .session import spark_session

__all__ = ["ComponentsResult", "connected_components", "spark_session"]
