"""Tallies of a run for its report: cluster-size classes, histograms, rejects by reason.

Small pure functions over counts; :mod:`newsclean.report.scan` feeds them while it reads
the run's output.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import regex

from ..errors import RecordError
from ..etl.readers import read_records

__all__ = ["HIST_BINS", "RejectGroup", "histogram", "read_rejects", "reject_groups", "size_bins", "value_bin"]

#: Cluster-size classes of the size chart (upper bounds; the last is open).
_SIZE_BINS = (1, 2, 3, 5, 10, 20, 50, 100, 1000)
HIST_BINS = 20  # similarity and containment histograms: bins of 0.05


@dataclass(frozen=True, slots=True)
class RejectGroup:
    """Rejects that share a reason (numbers and quoted values blanked out).

    Attributes:
        reason: the shared reason, e.g. ``"missing field '…'"``.
        count: how many records.
        examples: a few ``path:line: reason`` lines.
    """

    reason: str
    count: int
    examples: tuple[str, ...]


def size_bins(sizes: Iterable[int]) -> tuple[tuple[str, int, int], ...]:
    """Clusters and records per cluster-size class (``1``, ``2``, ``3``, ``4-5``, ...).

    Examples:
        >>> size_bins([1, 1, 2, 7, 7])
        (('1', 2, 2), ('2', 1, 2), ('3', 0, 0), ('4-5', 0, 0), ('6-10', 2, 14))
        >>> size_bins([1500])[-1]
        ('1001+', 1, 1500)
    """
    labels: list[str] = []
    low = 1
    for high in _SIZE_BINS:
        labels.append(str(high) if high == low else f"{low}-{high}")
        low = high + 1
    labels.append(f"{low}+")
    clusters = [0] * len(labels)
    records = [0] * len(labels)
    for size in sizes:
        k = next((i for i, high in enumerate(_SIZE_BINS) if size <= high), len(_SIZE_BINS))
        clusters[k] += 1
        records[k] += size
    last = max((k for k, n in enumerate(clusters) if n), default=0)
    keep = max(last + 1, 5)  # the empty classes above the largest cluster say nothing
    return tuple(zip(labels[:keep], clusters[:keep], records[:keep], strict=True))


def histogram(values: Iterable[float], bins: int = HIST_BINS) -> tuple[int, ...]:
    """Counts of ``values`` in ``[0, 1]`` per bin of width ``1 / bins`` (1.0 in the last).

    Examples:
        >>> histogram([0.0, 0.04, 0.5, 1.0, 0.99], bins=4)
        (2, 0, 1, 2)
    """
    counts = [0] * bins
    for value in values:
        if not math.isnan(value):
            counts[value_bin(value, bins)] += 1
    return tuple(counts)


def value_bin(value: float, bins: int = HIST_BINS) -> int:
    """The histogram bin of ``value`` (clamped to ``[0, bins - 1]``).

    Examples:
        >>> value_bin(0.5, 4), value_bin(1.0, 4), value_bin(-0.1, 4)
        (2, 3, 0)
    """
    return min(max(int(value * bins), 0), bins - 1)


_QUOTED = regex.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = regex.compile(r"\d+")


def _reason_key(reason: str) -> str:
    key = _NUMBER.sub("N", _QUOTED.sub("'…'", reason))
    return key.split(" (", 1)[0][:160]


def reject_groups(rejects: Iterable[Mapping[str, object]], examples: int = 3) -> tuple[RejectGroup, ...]:
    """Rejects grouped by reason, most frequent first, with a few examples each.

    Examples:
        >>> rows = [{"path": "a.jsonl", "line": 2, "reason": "missing field 'text' (fields: id)"},
        ...         {"path": "a.jsonl", "line": 9, "reason": "missing field 'body' (fields: x)"},
        ...         {"path": "b.jsonl", "line": 1, "reason": "invalid JSON: bad escape"}]
        >>> for g in reject_groups(rows):
        ...     print(g.count, g.reason, g.examples[0])
        2 missing field '…' a.jsonl:2: missing field 'text' (fields: id)
        1 invalid JSON: bad escape b.jsonl:1: invalid JSON: bad escape
    """
    counts: Counter[str] = Counter()
    shown: dict[str, list[str]] = {}
    for entry in rejects:
        reason = str(entry.get("reason", ""))
        key = _reason_key(reason)
        counts[key] += 1
        where = str(entry.get("path") or "<input>")
        if entry.get("line") is not None:
            where += f":{entry['line']}"
        elif entry.get("offset") is not None:
            where += f"@{entry['offset']}"
        bucket = shown.setdefault(key, [])
        if len(bucket) < examples:
            bucket.append(f"{where}: {reason}")
    return tuple(RejectGroup(key, n, tuple(shown[key]))
                 for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def read_rejects(path: str) -> Iterator[Mapping[str, object]]:
    """The entries of a rejects file (JSONL); a malformed line counts as its own reject."""
    for item in read_records(path, input_format="jsonl"):
        if isinstance(item, RecordError):
            yield {"path": path, "line": item.line, "reason": f"unreadable rejects line: {item.reason}"}
        else:
            yield item.fields
