"""``newsclean dedup --engine spark``: read files with Spark, dedup, write the rows.

:func:`run_cli_dedup` is what the CLI calls for the Spark engine. It reads JSONL
(``.jsonl``/``.json``, optionally ``.gz``) or Parquet inputs with Spark's readers, runs
:func:`newsclean.spark.dedup`, and writes every input field plus the local engine's dedup
fields (:data:`newsclean.etl.rows.DEDUP_FIELDS`: the DataFrame's ``containment`` and
``empty`` are not written), sorted by id. On a local master the output is one file at the given path (as the local
engine writes it); on a cluster it is a directory of part files at that path, the way
Spark jobs write (``-`` streams JSONL to stdout through the driver).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from ..duplicates.config import DedupConfig
from ..errors import InputError
from ..etl.rows import CLASH_PREFIX, DEDUP_FIELDS, field_names
from ..io import dumps
from ..normalize import normalize
from ..pipeline import RunSummary
from ._lazy import pyspark_functions
from .job import ID_TYPES, OUTPUT_COLUMNS, dedup
from .session import spark_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["run_cli_dedup"]

SparkFormat = Literal["jsonl", "parquet"]
_WRITE_MODE = "errorifexists"


def _input_format(path: str, forced: str | None) -> SparkFormat:
    """``jsonl`` or ``parquet`` from ``forced`` or the file name; other formats need the local engine."""
    kind = forced
    if kind is None:
        name = path.rstrip("/").lower()
        for suffix in (".gz", ".bz2"):
            name = name.removesuffix(suffix)
        kind = (
            "parquet"
            if name.endswith(".parquet")
            else "jsonl"
            if name.endswith((".jsonl", ".json", ".ndjson"))
            else None
        )
    if kind not in ("jsonl", "parquet"):
        msg = (
            f"--engine spark reads JSONL (.jsonl, .jsonl.gz) or Parquet, not {path!r}; "
            "use the local engine for WARC, folders and .zst, or pass --input-format"
        )
        raise InputError(msg)
    return "jsonl" if kind == "jsonl" else "parquet"


def _read(spark: SparkSession, inputs: Sequence[str], forced: str | None) -> DataFrame:
    if not inputs or "-" in inputs:
        msg = "--engine spark reads files, not stdin; pass input paths"
        raise InputError(msg)
    kinds = {_input_format(path, forced) for path in inputs}
    if len(kinds) > 1:
        msg = "--engine spark needs inputs of one format (all JSONL or all Parquet)"
        raise InputError(msg)
    for path in inputs:
        if "://" not in path and not os.path.exists(path):
            msg = f"input not found: {path}"
            raise InputError(msg)
    if kinds == {"parquet"}:
        return spark.read.parquet(*inputs)
    return spark.read.json(list(inputs), mode="FAILFAST")


def run_cli_dedup(
    inputs: Sequence[str],
    output: str,
    *,
    master: str | None = "local[*]",
    text_field: str = "text",
    id_field: str = "id",
    threshold: float | None = None,
    config: DedupConfig | None = None,
    representatives_only: bool = False,
    drop_fields: Sequence[str] = (),
    input_format: str | None = None,
    partitions: int | None = None,
) -> RunSummary:
    """Deduplicate JSONL/Parquet files on Spark and write the result (the CLI's Spark engine).

    Args:
        inputs: input paths (local, or any URL Spark reads: ``hdfs://``, ``s3a://``).
        output: output path: ``.parquet`` writes Parquet, anything else JSONL
            (``.gz`` compressed); ``-`` writes JSONL to stdout.
        master: Spark master; ``None`` keeps the one ``spark-submit`` set.
        text_field: field with the article text.
        id_field: field with the unique record id (string or integer).
        threshold: Jaccard threshold; overrides ``config.threshold``.
        config: dedup options; default: the library's (:class:`newsclean.DedupConfig`),
            which the local engine uses too.
        representatives_only: write only one row per cluster.
        drop_fields: input fields not to write.
        input_format: ``"jsonl"`` or ``"parquet"``; default from the file names.
        partitions: Spark partitions for the dedup (default: the session's).

    Returns:
        A :class:`newsclean.pipeline.RunSummary` (records in and out, clusters,
        duplicates removed, seconds).

    Raises:
        InputError: an unsupported input, missing fields, duplicate or null ids, an
            existing output, a ``.zst`` output.
        MissingExtraError: pyspark is not installed.

    Examples:
        >>> run_cli_dedup(["news.jsonl"], "clusters.jsonl", master="local[2]")  # doctest: +SKIP
        RunSummary(records_in=..., records_out=..., clusters=..., ...)
    """
    started = time.monotonic()
    if output.lower().endswith((".zst", ".zstd")):
        msg = f"--engine spark writes JSONL, .jsonl.gz or Parquet, not zstd ({output!r}); use the local engine"
        raise InputError(msg)
    if output != "-" and "://" not in output and os.path.exists(output):
        msg = f"output exists: {output}; remove it or choose another path"
        raise InputError(msg)
    func = pyspark_functions()
    spark = spark_session(master)
    frame = _read(spark, inputs, input_format)
    null_is_missing = _input_format(inputs[0], input_format) == "jsonl"
    for name, option in ((text_field, "--text-field"), (id_field, "--id-field")):
        if name not in frame.columns:
            msg = f"inputs have no field {name!r} (fields: {sorted(frame.columns)}); set {option}"
            raise InputError(msg)
    reserved = sorted(name for name in frame.columns if name.startswith(_RESERVED))
    if reserved:
        msg = f"inputs have fields {reserved}: names starting with {_RESERVED!r} are newsclean's own"
        raise InputError(msg)
    config = config or DedupConfig()
    kind = dict(frame.dtypes)[id_field]
    if kind not in ID_TYPES:
        msg = f"id field {id_field!r} must be text or an integer, got {kind}; set --id-field or cast it"
        raise InputError(msg)
    rows = _as_local_engine_rows(frame, text_field, id_field, null_is_missing=null_is_missing)
    # an earlier output read again has the dedup columns: set aside while the job adds its own
    clashes = [name for name in OUTPUT_COLUMNS if name in rows.columns]
    for name in clashes:
        rows = rows.withColumnRenamed(name, _INPUT + name)
    try:
        result = dedup(
            rows, text_col=_CLEAN, id_col=_ID, threshold=threshold, config=config, partitions=partitions
        )
    except InputError as exc:  # name the user's field, not the id column made from it
        raise InputError(str(exc).replace(repr(_ID), repr(id_field))) from exc
    rounded = func.udf(_round4, "double", useArrow=True)
    for name in DEDUP_FIELDS:  # what the local engine writes; the job's other columns dropped
        value = rounded(func.col(name)) if name == "similarity" else func.col(name)
        result = result.withColumn(_COMPUTED + name, value)
    result = result.drop(*OUTPUT_COLUMNS)
    for name in clashes:
        result = result.withColumnRenamed(_INPUT + name, name)
    result = result.localCheckpoint(eager=True)
    stats = result.agg(
        func.count(func.lit(1)).alias("rows"),
        func.count_distinct(_COMPUTED + "cluster_id").alias("clusters"),
        func.sum((~func.col(_COMPUTED + "is_representative")).cast("long")).alias("duplicates"),
    ).first()
    assert stats is not None  # a global aggregate has one row
    if representatives_only:
        result = result.where(func.col(_COMPUTED + "is_representative"))
    for name in DEDUP_FIELDS:
        result = _merged(result, name, func.col(_COMPUTED + name), null_is_missing=null_is_missing)
    drop = [name for name in drop_fields if name != id_field]
    result = result.drop(_CLEAN, *drop, *[_COMPUTED + name for name in DEDUP_FIELDS])
    written = _write(result.orderBy(_ID).drop(_ID), output, master)
    return RunSummary(
        records_in=int(stats["rows"]),
        records_out=written,
        clusters=int(stats["clusters"]),
        duplicates_removed=int(stats["duplicates"] or 0),
        seconds=round(time.monotonic() - started, 3),
    )


#: Column names newsclean keeps for itself (an input field named so is refused).
_RESERVED = "__newsclean_"
#: The normalized text the dedup reads and the id as text (dropped from the output).
_CLEAN = _RESERVED + "clean"
_ID = _RESERVED + "id"
#: Input columns named as a dedup column, while the job runs; the job's columns, before merging.
_INPUT = _RESERVED + "input_"
_COMPUTED = _RESERVED + "computed_"


def _as_local_engine_rows(
    frame: DataFrame, text_field: str, id_field: str, *, null_is_missing: bool
) -> DataFrame:
    """The rows the local ``newsclean dedup`` clusters and writes: every input field
    unchanged, the id as text, the normalized text and a status as new fields.

    The local engine clusters ids as text (so ``"10" < "9"``; an input id is written
    as it came, :func:`newsclean.etl.rows.row_id`; the id of an output read again is its
    deepest ``newsclean_<id>``, as there), normalizes the text
    (:func:`newsclean.normalize`) and adds ``text`` and ``status`` (``"ok"`` or
    ``"empty_input"``) by :func:`newsclean.etl.rows.merge_fields`: under
    ``newsclean_<name>`` when the input has that field with another value, so an input
    field is never overwritten. Doing the same here gives the same clusters and fields
    (``null_is_missing``: see :func:`_merged`).
    """
    func = pyspark_functions()
    clean = func.udf(normalize, "string", useArrow=True)(func.col(text_field))
    chain = field_names(id_field, frame.columns)
    # the deepest non-empty id (an empty one is none, as locally; Spark refuses rows without)
    texts = [func.col(name).cast("string") for name in reversed(chain)]
    doc_id = func.coalesce(*[func.when(text != "", text) for text in texts])
    frame = frame.withColumn(_ID, doc_id).withColumn(_CLEAN, clean)
    frame = _merged(frame, "text", func.col(_CLEAN), null_is_missing=null_is_missing)
    status = func.udf(_status, "string", useArrow=True)(func.col(_CLEAN))
    return _merged(frame, "status", status, null_is_missing=null_is_missing)


def _merged(frame: DataFrame, name: str, value: Any, *, null_is_missing: bool) -> DataFrame:
    """:func:`newsclean.etl.rows.merge_fields` of one computed column, row by row.

    A row's chain is ``name``, ``newsclean_<name>``, ... as long as the row has them; the
    value goes under ``name`` when the chain is empty, else one level below its deepest
    field unless it equals that field (a null value is left out). With
    ``null_is_missing`` (JSON: Spark's reader cannot tell a missing field from a null
    one, and its writer leaves nulls out) a null field is one the row does not have;
    otherwise (Parquet, whose rows have every column, locally too) a null is a value, and
    so it is when a column of the chain has another type than the value (a column has one
    type, a JSON row's field any: the value then goes below the chain's deepest column).
    """
    func = pyspark_functions()
    chain = field_names(name, frame.columns)
    if not chain:
        return frame.withColumn(name, value)
    types = dict(frame.dtypes)
    kind = frame.select(value.alias("value")).dtypes[0][1]
    if not null_is_missing or any(types[column] != kind for column in chain):
        return frame.withColumn(CLASH_PREFIX + chain[-1], func.when(~value.eqNullSafe(func.col(chain[-1])), value))
    names = [*chain, CLASH_PREFIX + chain[-1]]
    columns = {}
    for depth, target in enumerate(names):  # every condition reads the input's columns
        # the row's chain is names[:depth]: all set, names[depth] unset (or a new column)
        goes_here = value.isNotNull()
        for above in names[:depth]:
            goes_here = goes_here & func.col(above).isNotNull()
        if depth:
            goes_here = goes_here & ~value.eqNullSafe(func.col(names[depth - 1]))
        if depth < len(chain):
            goes_here = goes_here & func.col(target).isNull()
            columns[target] = func.coalesce(func.col(target), func.when(goes_here, value))
        else:
            columns[target] = func.when(goes_here, value)
    return frame.withColumns(columns)


def _round4(value: float) -> float:
    """Python's ``round(value, 4)``, as the local engine writes similarities.

    Spark's ``round`` rounds half up on the decimal string, which differs on ties.
    """
    return round(value, 4)


def _status(text: str) -> str:
    """The local engine's status of a normalized plain text."""
    return "ok" if text.strip() else "empty_input"


def _write(result: DataFrame, output: str, master: str | None) -> int:
    """Write ``result``; one file on a local master, a directory elsewhere. Returns rows."""
    rows = result.count()
    if output == "-":
        for row in result.toLocalIterator():
            sys.stdout.write(dumps(row.asDict(recursive=True)) + "\n")
        return rows
    parquet = output.lower().endswith(".parquet")
    compression = "gzip" if output.lower().endswith(".gz") else None
    single = master is not None and master.startswith("local") and "://" not in output
    target = output + ".spark-tmp" if single else output
    writer = (result.coalesce(1) if single else result).write.mode(_WRITE_MODE)
    if compression:
        writer = writer.option("compression", compression)
    if parquet:
        writer.parquet(target)
    else:
        writer.json(target)
    if single:
        parts = sorted(p for p in os.listdir(target) if p.startswith("part-"))
        if len(parts) != 1:  # coalesce(1) writes one part, or none for no rows
            open(output, "wb").close()
        else:
            shutil.move(os.path.join(target, parts[0]), output)
        shutil.rmtree(target)
    return rows
