"""``newsclean.spark.dedup``: the dedup core as a Spark job.

The chain is the one of :func:`newsclean.dedup`, with Spark moving sketch rows between
the core's functions (:mod:`newsclean.spark.batches`):

1. order the documents by id and number them (``idx``, increasing with the id);
2. the core sketch of each document (``mapInArrow``): band keys, and the sketch row
   the later steps carry instead of the text;
3. candidate pairs: band keys exploded and partitioned by key, each partition handed
   band by band to :func:`newsclean.lsh.candidate_pairs` (plus the whole-signature
   keys, so identical texts always meet);
4. verification of each pair on the two sketch rows (the core's ``verify``);
5. connected components of the verified pairs by large-star / small-star
   (:func:`newsclean.spark.connected_components`);
6. each component's members and edges in one task, clustered by the core's ``assign``
   (representatives, no chaining: every member is a verified duplicate of its
   representative), with each member's similarity to its representative.

The document table, the per-document sketches and the verified pairs are
checkpointed, so the input is scanned once, the ids are numbered once, and no cached
table outlives the call. Steps 1, 2, 4 and 5 run when :func:`dedup` is called; the rest
runs with each action on the returned DataFrame, so write it once (or persist it)
rather than running several actions on it.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from ..duplicates.config import DedupConfig
from ..errors import InputError, config_of
from ..lsh import MAX_GROUP_PAIRS
from ._lazy import pyspark_functions
from .batches import (
    ASSIGN_SCHEMA,
    EDGE_SCHEMA,
    PAIR_SCHEMA,
    SIGNATURE_SCHEMA,
    assign_rows,
    band_pairs,
    signature_rows,
    verified_pairs,
)
from .components import connected_components

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["OUTPUT_COLUMNS", "dedup"]

#: Columns :func:`dedup` adds to its input.
OUTPUT_COLUMNS = (
    "cluster_id",
    "representative_id",
    "is_representative",
    "similarity",
    "containment",
    "empty",
)
ID_TYPES = ("string", "bigint", "int", "smallint", "tinyint")


def dedup(
    df: DataFrame,
    *,
    text_col: str = "text",
    id_col: str = "id",
    threshold: float | None = None,
    config: DedupConfig | None = None,
    partitions: int | None = None,
) -> DataFrame:
    """Cluster near-duplicate texts of a Spark DataFrame, exactly as :func:`newsclean.dedup`.

    Returns every input column plus, per row:

    - ``cluster_id``: the smallest id in its cluster (the local ``labels``);
    - ``representative_id``: the cluster's representative (the local
      ``representatives``: :class:`newsclean.DedupResult`);
    - ``is_representative``: ``id == representative_id`` (keep these rows to dedup);
    - ``similarity`` and ``containment`` of the row with its representative (1.0 for the
      representative itself);
    - ``empty``: the text has no word (it stays alone).

    For string ids, "smallest" is code point order, as in Python, so the result equals
    ``newsclean.dedup(texts, ids, config=config)`` row for row. Integer ids are ordered
    as numbers (the local dedup, which takes ``str`` ids, would order their strings).

    Args:
        df: the documents, one row each.
        text_col: the column of the texts (string, no nulls).
        id_col: the column of the unique document ids (string or integer, no nulls).
        threshold: shortcut for ``config.threshold``.
        config: options, shared with the local dedup (:class:`newsclean.DedupConfig`).
        partitions: partitions of the document and band-key tables; default: the
            session's ``spark.sql.shuffle.partitions``.

    Returns:
        A DataFrame (lazy apart from the steps that must run to plan the rest: id
        checks, numbering, the component iterations).

    Raises:
        InputError: a missing column, a wrong column type, an input column named like
            an output column, null or duplicate ids, a
            null text, or an option out of range.
        MissingExtraError: pyspark is not installed.

    Examples:
        >>> rows = [("a", "The bank raised its key rate by half a point"), ("b", "x")]
        >>> out = dedup(spark.createDataFrame(rows, "id string, text string"))  # doctest: +SKIP
        >>> out.columns  # doctest: +SKIP
        ['id', 'text', 'cluster_id', 'representative_id', 'is_representative', 'similarity', 'containment', 'empty']
    """
    config = config_of(config, DedupConfig, "newsclean.spark.dedup()")
    if threshold is not None:
        config = dataclasses.replace(config, threshold=threshold)
    if partitions is not None and partitions < 1:
        msg = f"partitions must be >= 1, got {partitions}"
        raise InputError(msg)
    _check_input(df, text_col, id_col)
    func = pyspark_functions()
    spark = df.sparkSession
    parts = partitions or int(spark.conf.get("spark.sql.shuffle.partitions") or "8")

    docs = _numbered_docs(df, text_col, id_col, parts)
    facts = _checkpoint(
        _map_in_arrow(
            docs.select("idx", "text"), partial(signature_rows, config=config), SIGNATURE_SCHEMA
        )
    )
    live = facts.where(~func.col("empty"))
    band_rows = live.select(func.posexplode("band_keys").alias("band", "key"), "idx")
    whole_rows = live.select(func.lit(0).alias("band"), func.col("whole_key").alias("key"), "idx")
    candidates = (
        _pairs_by_key(band_rows, MAX_GROUP_PAIRS, parts)
        .unionByName(_pairs_by_key(whole_rows, 1, parts))
        .distinct()
    )
    accepted = _checkpoint(
        _map_in_arrow(
            _with_sketches(candidates, facts), partial(verified_pairs, config=config), EDGE_SCHEMA
        )
    )
    components = connected_components(accepted.select("a", "b"), src="a", dst="b").components
    result = _assigned(facts, accepted, components, config, parts)
    return _attach(df, docs, result, id_col)


def _check_input(df: DataFrame, text_col: str, id_col: str) -> None:
    """Column presence and types, null and duplicate ids, null texts (one Spark job)."""
    types = dict(df.dtypes)
    for name, kind in ((text_col, "text"), (id_col, "id")):
        if name not in types:
            msg = f"no {kind} column {name!r} in the DataFrame; columns: {df.columns}"
            raise InputError(msg)
    clashes = sorted(set(types) & set(OUTPUT_COLUMNS))
    if clashes:
        msg = f"the DataFrame already has output column(s) {clashes}; rename or drop them"
        raise InputError(msg)
    if types[text_col] != "string":
        msg = f"text column {text_col!r} must be string, got {types[text_col]}"
        raise InputError(msg)
    if types[id_col] not in ID_TYPES:
        msg = f"id column {id_col!r} must be string or integer, got {types[id_col]}; cast it"
        raise InputError(msg)
    func = pyspark_functions()
    stats = df.agg(
        func.count(func.lit(1)).alias("rows"),
        func.count_distinct(func.col(id_col)).alias("ids"),
        func.count(func.col(id_col)).alias("non_null_ids"),
        func.count(func.col(text_col)).alias("texts"),
    ).first()
    assert stats is not None  # a global aggregate always has one row
    if stats["non_null_ids"] != stats["rows"]:
        msg = f"{stats['rows'] - stats['non_null_ids']} rows have a null id in {id_col!r}"
        raise InputError(msg)
    if stats["ids"] != stats["rows"]:
        dup = df.groupBy(id_col).count().where("count > 1").first()
        example = dup[id_col] if dup is not None else "?"
        msg = (
            f"{stats['rows'] - stats['ids']} duplicate ids in {id_col!r} (e.g. {example!r}); "
            "ids must be unique (drop identical records first)"
        )
        raise InputError(msg)
    if stats["texts"] != stats["rows"]:
        msg = (
            f"{stats['rows'] - stats['texts']} rows have a null text in {text_col!r}; "
            "replace them by '' (an empty text stays alone)"
        )
        raise InputError(msg)


def _numbered_docs(df: DataFrame, text_col: str, id_col: str, parts: int) -> DataFrame:
    """``(idx, id, text)`` with ``idx`` increasing with the id, checkpointed.

    After a global sort, ``monotonically_increasing_id`` grows with the sort order: it is
    the partition index in the upper bits and the row position in the lower ones, and a
    range-partitioned sort puts smaller ids in lower partitions.
    """
    func = pyspark_functions()
    numbered = (
        df.select(func.col(id_col).alias("id"), func.col(text_col).alias("text"))
        .repartitionByRange(parts, "id")
        .sortWithinPartitions("id")
        .withColumn("idx", func.monotonically_increasing_id())
    )
    return _checkpoint(numbered)


def _checkpoint(table: DataFrame) -> DataFrame:
    if table.sparkSession.sparkContext.getCheckpointDir() is not None:
        return table.checkpoint(eager=True)
    return table.localCheckpoint(eager=True)


def _map_in_arrow(
    table: DataFrame, function: Callable[[Iterable[Any]], Iterator[Any]], schema: str
) -> DataFrame:
    with warnings.catch_warnings():
        # pyspark checks the pandas version for mapInArrow, which uses no pandas here.
        warnings.filterwarnings("ignore", message=".*pandas.*", category=FutureWarning)
        return table.mapInArrow(function, schema)


def _pairs_by_key(rows: DataFrame, max_group: int, parts: int) -> DataFrame:
    """Candidate pairs from ``(band, key, idx)`` rows: each key's rows in one sorted partition."""
    grouped = rows.repartition(parts, "key").sortWithinPartitions("idx")
    return _map_in_arrow(grouped, partial(band_pairs, max_group=max_group), PAIR_SCHEMA)


def _with_sketches(pairs: DataFrame, facts: DataFrame) -> DataFrame:
    """``(a, b)`` -> ``(a, b, sketch_a, sketch_b)``."""
    func = pyspark_functions()
    left = facts.select(func.col("idx").alias("a"), func.col("sketch").alias("sketch_a"))
    right = facts.select(func.col("idx").alias("b"), func.col("sketch").alias("sketch_b"))
    return pairs.join(left, "a").join(right, "b").select("a", "b", "sketch_a", "sketch_b")


def _assigned(
    facts: DataFrame, edges: DataFrame, components: DataFrame, config: DedupConfig, parts: int
) -> DataFrame:
    """``(idx, component, rep, similarity, containment, empty)`` for every document.

    The members and the verified edges of each component go to one task, which runs the
    core's :func:`~newsclean.duplicates.assign` (no chaining) on them; a document in no
    edge is its own cluster.
    """
    func = pyspark_functions()
    member_rows = components.join(facts.withColumnRenamed("idx", "node"), "node").select(
        "component",
        func.lit(0).alias("kind"),
        func.col("node").alias("idx"),
        func.lit(None).cast("long").alias("b"),
        func.lit(None).cast("double").alias("jaccard"),
        func.lit(None).cast("double").alias("containment"),
        "sketch",
    )
    edge_rows = edges.join(components.withColumnRenamed("node", "a"), "a").select(
        "component",
        func.lit(1).alias("kind"),
        func.col("a").alias("idx"),
        "b",
        "jaccard",
        "containment",
        func.lit(None).cast("binary").alias("sketch"),
    )
    grouped = member_rows.unionByName(edge_rows).repartition(parts, "component")
    assigned = _map_in_arrow(grouped, partial(assign_rows, config=config), ASSIGN_SCHEMA)
    return (
        facts.select("idx", "empty")
        .join(assigned, "idx", "left")
        .select(
            "idx",
            "empty",
            func.coalesce("label", "idx").alias("component"),
            func.coalesce("rep", "idx").alias("rep"),
            func.coalesce("similarity", func.lit(1.0)).alias("similarity"),
            func.coalesce("containment", func.lit(1.0)).alias("containment"),
        )
    )


def _attach(df: DataFrame, docs: DataFrame, result: DataFrame, id_col: str) -> DataFrame:
    """Translate idx back to ids and join the result columns to the input rows."""
    func = pyspark_functions()
    ids = docs.select("idx", "id")
    named = (
        result.join(ids, "idx")
        .join(
            ids.select(func.col("idx").alias("component"), func.col("id").alias("cluster_id")),
            "component",
        )
        .join(
            ids.select(func.col("idx").alias("rep"), func.col("id").alias("representative_id")),
            "rep",
        )
        .select(
            func.col("id").alias("_newsclean_id"),
            "cluster_id",
            "representative_id",
            (func.col("id") == func.col("representative_id")).alias("is_representative"),
            "similarity",
            "containment",
            "empty",
        )
    )
    joined = df.join(named, df[id_col] == named["_newsclean_id"])
    return joined.select(*df.columns, *OUTPUT_COLUMNS)
