"""Connected components of a Spark edge table by alternating large-star / small-star.

The algorithm is the "Alternating" one of Kiveris, Lattanzi, Mirrokni, Rastogi and
Vassilvitskii, *Connected Components in MapReduce and Beyond* (SoCC 2014). Every node is
labelled by itself; edges are kept oriented as ``(big, small)``. One round is

- **large-star**: each node ``x`` links every larger neighbour to ``m(x)``, the smallest
  node of ``x``'s closed neighbourhood, and drops its other edges;
- **small-star**: each node ``u`` links itself and its smaller neighbours to ``m(u)``.

Both steps keep the components and shrink the label distances; the paper proves
O(log^2 n) rounds and measures about log n, with one shuffle per step. The loop stops when
the edge table is a star forest centred on the smallest node of each component: every
``big`` node has exactly one edge and no ``small`` node is also a ``big`` one. That check
is exact, so the result is exact and does not depend on a checksum.

Each round's table is checkpointed (reliably when the SparkContext has a checkpoint
directory, locally otherwise) so that the query plan does not grow with the rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InputError, NewscleanError
from ._lazy import pyspark_functions

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["ComponentsResult", "connected_components"]

_BIG = "big"
_SMALL = "small"
_MIN = "m"
# Rounds are about log2(n) on random graphs (paper, Table 2); 2 * 64 + slack covers any
# graph that fits in a long id space, so hitting this means a bug, not a hard graph.
_MAX_ROUNDS = 140


@dataclass(frozen=True, slots=True)
class ComponentsResult:
    """Connected components of an edge table.

    Attributes:
        components: a DataFrame ``(node, component)`` with one row per node that appears
            in an edge; ``component`` is the smallest node of its component.
        rounds: large-star / small-star rounds it took.
    """

    components: DataFrame
    rounds: int


def connected_components(
    edges: DataFrame,
    *,
    src: str = "src",
    dst: str = "dst",
    max_rounds: int = _MAX_ROUNDS,
) -> ComponentsResult:
    """Label each node of an undirected graph with the smallest node of its component.

    Node columns may be of any orderable Spark type (``long``, ``string``, ...), the
    same for both; "smallest" is Spark's ordering of that type (for strings, the
    order of code points, like Python's). Self-loops and repeated edges are allowed.
    Nodes without edges do not appear in the result: left-join it to your node table
    and fill the component with the node itself.

    Args:
        edges: a DataFrame with at least the columns ``src`` and ``dst``.
        src: the column of one end of an edge.
        dst: the column of the other end.
        max_rounds: a safety bound; the loop raises if it has not converged by then.

    Returns:
        A :class:`ComponentsResult` with the ``(node, component)`` table and the
        number of rounds.

    Raises:
        InputError: a column is missing, or the two columns have different types.
        NewscleanError: no convergence within ``max_rounds`` (a bug).

    Examples:
        >>> edges = spark.createDataFrame([(1, 2), (3, 2), (7, 8)], "src long, dst long")
        ... # doctest: +SKIP
        >>> res = connected_components(edges)  # doctest: +SKIP
        >>> sorted(map(tuple, res.components.collect()))  # doctest: +SKIP
        [(1, 1), (2, 1), (3, 1), (7, 7), (8, 7)]
    """
    _check_columns(edges, src, dst)
    func = pyspark_functions()
    table = (
        edges.select(func.col(src).alias("a"), func.col(dst).alias("b"))
        .where(
            func.col("a").isNotNull() & func.col("b").isNotNull() & (func.col("a") != func.col("b"))
        )
        .select(
            func.greatest("a", "b").alias(_BIG),
            func.least("a", "b").alias(_SMALL),
        )
        .distinct()
    )
    table = _materialize(table)
    rounds = 0
    while not _is_star_forest(table):
        if rounds >= max_rounds:
            msg = f"connected components did not converge in {max_rounds} rounds"
            raise NewscleanError(msg)
        table = _materialize(_small_star(_large_star(table)))
        rounds += 1
    roots = table.select(func.col(_SMALL).alias("node"), func.col(_SMALL).alias("component"))
    leaves = table.select(func.col(_BIG).alias("node"), func.col(_SMALL).alias("component"))
    return ComponentsResult(components=leaves.unionByName(roots).distinct(), rounds=rounds)


def _check_columns(edges: DataFrame, src: str, dst: str) -> None:
    types = dict(edges.dtypes)
    for name in (src, dst):
        if name not in types:
            msg = f"edge table has no column {name!r}; columns: {sorted(types)}"
            raise InputError(msg)
    if types[src] != types[dst]:
        msg = f"edge columns must have one type, got {src}: {types[src]}, {dst}: {types[dst]}"
        raise InputError(msg)


def _large_star(table: DataFrame) -> DataFrame:
    """Link every larger neighbour of each node ``x`` to ``m(x)``.

    ``m(x)`` is the smallest of ``x`` and its smaller neighbours: the ``small`` ends of the
    rows whose ``big`` end is ``x``. A row ``(y, x)`` is a larger neighbour ``y`` of ``x``.
    """
    func = pyspark_functions()
    mins = table.groupBy(_BIG).agg(func.min(_SMALL).alias(_MIN)).withColumnRenamed(_BIG, "x")
    joined = table.join(mins, table[_SMALL] == mins["x"], "left")
    return joined.select(
        table[_BIG].alias(_BIG),
        func.coalesce(mins[_MIN], table[_SMALL]).alias(_SMALL),
    )  # one row per input row; small-star's distinct() removes the repeats


def _small_star(table: DataFrame) -> DataFrame:
    """Link each node ``u`` and its smaller neighbours to ``m(u)``, the smallest of them."""
    func = pyspark_functions()
    mins = table.groupBy(_BIG).agg(func.min(_SMALL).alias(_MIN))
    spokes = (
        table.join(mins, _BIG)
        .where(func.col(_SMALL) != func.col(_MIN))
        .select(func.col(_SMALL).alias(_BIG), func.col(_MIN).alias(_SMALL))
    )
    centre = mins.select(func.col(_BIG), func.col(_MIN).alias(_SMALL))
    return spokes.unionByName(centre).distinct()


def _is_star_forest(table: DataFrame) -> bool:
    """Whether every component is a star centred on its smallest node.

    True when every ``big`` node has exactly one edge and no ``small`` node is also a
    ``big`` one: then each component is one centre with leaves that are all larger.
    ``table`` must hold no repeated edge. One Spark job.
    """
    func = pyspark_functions()
    degrees = table.groupBy(_BIG).agg(func.count(func.lit(1)).alias("degree"))
    is_big = degrees.select(func.col(_BIG).alias(_SMALL), func.lit(1).alias("small_is_big"))
    stats = (
        table.join(degrees, _BIG)
        .join(is_big, _SMALL, "left")
        .agg(func.max("degree").alias("degree"), func.max("small_is_big").alias("small_is_big"))
        .first()
    )
    if stats is None or stats["degree"] is None:  # no edges left
        return True
    return bool(stats["degree"] == 1 and stats["small_is_big"] is None)


def _materialize(table: DataFrame) -> DataFrame:
    """Checkpoint ``table`` eagerly, reliably if a checkpoint directory is set."""
    if table.sparkSession.sparkContext.getCheckpointDir() is not None:
        return table.checkpoint(eager=True)
    return table.localCheckpoint(eager=True)
