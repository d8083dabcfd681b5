"""Build a SparkSession with settings that suit newsclean's jobs.

The defaults are for a single machine (``local[*]``): few shuffle partitions (the
candidate-pair and component tables of a dedup job are small next to the corpus), the
web UI off, the Python workers on the running interpreter, and a checkpoint directory,
which :func:`newsclean.spark.connected_components` uses to cut the lineage of its
iterations. On a cluster, pass ``master`` (or leave it to ``spark-submit``) and the
cluster's own settings win, except those passed in ``config``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..errors import InputError
from ._lazy import pyspark_sql

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["spark_session"]


def spark_session(
    master: str | None = "local[*]",
    *,
    app_name: str = "newsclean",
    shuffle_partitions: int | None = 8,
    checkpoint_dir: str | None = None,
    config: Mapping[str, str] | None = None,
) -> SparkSession:
    """Get or create a SparkSession for newsclean jobs.

    A local master (``local``, ``local[2]``, ``local[*]``) runs the Python workers on the
    interpreter that calls this function, so the workers see the same newsclean and
    numpy: it sets the environment variable ``PYSPARK_PYTHON`` to ``sys.executable``
    unless it is already set. A checkpoint directory is
    set when the session has none: ``checkpoint_dir`` if given, else a fresh temporary
    directory on a local master; on a cluster, pass a path every executor can reach
    (HDFS, S3) or the iterations fall back to local checkpoints.

    Args:
        master: Spark master URL; ``None`` leaves it to ``spark-submit`` or the
            environment.
        app_name: application name shown by the cluster manager.
        shuffle_partitions: ``spark.sql.shuffle.partitions``; ``None`` keeps Spark's.
        checkpoint_dir: directory for reliable checkpoints.
        config: further ``spark.*`` settings, applied last.

    Returns:
        The active session (Spark allows one per driver process).

    Raises:
        InputError: ``shuffle_partitions`` is below 1.
        MissingExtraError: pyspark is not installed.

    Examples:
        >>> spark = spark_session("local[2]", shuffle_partitions=4)  # doctest: +SKIP
        >>> spark.conf.get("spark.sql.shuffle.partitions")  # doctest: +SKIP
        '4'
    """
    if shuffle_partitions is not None and shuffle_partitions < 1:
        msg = f"shuffle_partitions must be >= 1, got {shuffle_partitions}"
        raise InputError(msg)
    builder = pyspark_sql().SparkSession.builder.appName(app_name)
    is_local = master is not None and master.startswith("local")
    if master is not None:
        builder = builder.master(master)
    settings: dict[str, str] = {"spark.ui.showConsoleProgress": "false"}
    if is_local:
        settings["spark.ui.enabled"] = "false"
        # pyspark reads the workers' interpreter from this variable only (SparkContext
        # takes os.environ["PYSPARK_PYTHON"] or "python3" from PATH, which may be
        # another Python without newsclean); a value the user set wins.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if shuffle_partitions is not None:
        settings["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
    settings.update(config or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark: SparkSession = builder.getOrCreate()
    context = spark.sparkContext
    if checkpoint_dir is not None:
        context.setCheckpointDir(checkpoint_dir)
    elif is_local and context.getCheckpointDir() is None:
        context.setCheckpointDir(tempfile.mkdtemp(prefix="newsclean-spark-"))
    return spark
