"""The near-duplicate core every engine drives: sketch, verify, cluster, explain.

- :mod:`.sketch`: the columnar per-document :class:`Sketch` (signatures, band keys,
  shingle sets, figure-rule words; no text), built in batches, concatenable,
  serialisable;
- :mod:`.verify`: the one verification of candidate pairs (similarity exact or
  estimated, containment, the figures rule of :mod:`.figures`);
- :mod:`.clusters`: candidates, and the one components + representatives rule
  (no chaining);
- :mod:`.explain`: :func:`explain_pair`, the evidence behind one decision.

:func:`newsclean.dedup`, :class:`newsclean.DedupIndex`, the ``newsclean`` command and
:func:`newsclean.spark.dedup` only move sketches between these functions.
"""

from __future__ import annotations

from .clusters import Clusters, assign, candidates, component_labels
from .config import DedupConfig, DedupResult
from .explain import FigureSwap, PairEvidence, SharedPassage, explain_pair
from .figures import FigureCheck, check_figures, figure_words, hash_words
from .sketch import Sketch, concat, from_bytes, sketch_texts
from .verify import Verdicts, estimate_intersection, similarity, verify

__all__ = [
    "Clusters",
    "DedupConfig",
    "DedupResult",
    "FigureCheck",
    "FigureSwap",
    "PairEvidence",
    "SharedPassage",
    "Sketch",
    "Verdicts",
    "assign",
    "candidates",
    "check_figures",
    "component_labels",
    "concat",
    "estimate_intersection",
    "explain_pair",
    "figure_words",
    "from_bytes",
    "hash_words",
    "similarity",
    "sketch_texts",
    "verify",
]
