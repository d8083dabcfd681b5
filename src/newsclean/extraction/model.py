"""The learned block and page-type classifiers: gradient-boosted trees, numpy inference.

The weights are JSON (``data/extract_model.json``), written by
``benchmarks/extract_train.py`` (scikit-learn's ``HistGradientBoostingClassifier``,
used at training time only). A model file holds two ensembles:

- ``block``: binary, one score per text block; a block is kept when its probability
  of being main content is at least ``threshold``.
- ``page``: one score per page and page type (``article``, ``forum``, ``listing``,
  ``product``, ``other``) over :data:`PAGE_INPUTS`; the page type is the arg-max.

Each ensemble is a list of trees stored as flat arrays (feature, threshold, left, right,
value per node; leaves point to themselves), so prediction is ``depth`` vectorised
steps over all rows and trees at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from .blocks import BLOCK_FEATURES, PAGE_FEATURES
from .metadata import KIND_FEATURES

__all__ = ["PAGE_INPUTS", "Ensemble", "Model", "load_model"]

DEFAULT_MODEL = "extract_model.json"


@dataclass(frozen=True, slots=True)
class Ensemble:
    """A sum of regression trees over a feature vector (a boosted classifier's raw score).

    Attributes:
        feature: node feature index, shape ``(trees, nodes)``.
        threshold: go left when ``x[feature] <= threshold``.
        left: left child index per node (a leaf points to itself).
        right: right child index per node (a leaf points to itself).
        value: leaf value per node (0 for inner nodes).
        tree_class: which output column each tree adds to.
        base: the baseline raw score per output column.
        depth: the deepest leaf's depth (number of steps to walk).
    """

    feature: npt.NDArray[np.int32]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    value: npt.NDArray[np.float64]
    tree_class: npt.NDArray[np.int32]
    base: npt.NDArray[np.float64]
    depth: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ensemble:
        """Build from the JSON form written by the training script."""
        trees = data["trees"]
        width = max(len(t["feature"]) for t in trees) if trees else 1
        shape = (len(trees), width)
        feature = np.zeros(shape, dtype=np.int32)
        threshold = np.full(shape, np.inf)
        left = np.tile(np.arange(width, dtype=np.int32), (len(trees), 1))
        right = left.copy()
        value = np.zeros(shape)
        for i, tree in enumerate(trees):
            k = len(tree["feature"])
            feature[i, :k] = tree["feature"]
            threshold[i, :k] = [np.inf if v is None else v for v in tree["threshold"]]
            left[i, :k] = tree["left"]
            right[i, :k] = tree["right"]
            value[i, :k] = tree["value"]
        return cls(
            feature=feature,
            threshold=threshold,
            left=left,
            right=right,
            value=value,
            tree_class=np.array([t.get("class", 0) for t in trees], dtype=np.int32),
            base=np.array(data["base"], dtype=np.float64).reshape(-1),
            depth=int(data["depth"]),
        )

    def raw(self, x: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float64]:
        """Raw scores, shape ``(rows, outputs)``.

        Examples:
            >>> stump = {"feature": [0, 0, 0], "threshold": [0.5, None, None], "left": [1, 1, 2],
            ...          "right": [2, 1, 2], "value": [0.0, -1.0, 2.0]}
            >>> ens = Ensemble.from_json({"trees": [stump], "base": [0.25], "depth": 1})
            >>> ens.raw(np.array([[0.0], [1.0]])).ravel().tolist()
            [-0.75, 2.25]
        """
        rows = x.shape[0]
        out = np.tile(self.base, (rows, 1))
        trees, width = self.feature.shape
        if rows == 0 or not trees:
            return out
        # flat node ids (tree * width + node) and flat feature cells (row * columns + feature)
        feature = self.feature.ravel()
        threshold = self.threshold.ravel()
        offsets = (np.arange(trees, dtype=np.int64) * width)[None, :]
        left = self.left.ravel().astype(np.int64) + np.repeat(offsets.ravel(), width)
        right = self.right.ravel().astype(np.int64) + np.repeat(offsets.ravel(), width)
        flat_x = np.ascontiguousarray(x, dtype=np.float64).ravel()
        row_base = (np.arange(rows, dtype=np.int64) * x.shape[1])[:, None]
        node = np.broadcast_to(offsets, (rows, trees)).copy()
        for _ in range(self.depth):
            go_left = flat_x[row_base + feature[node]] <= threshold[node]
            node = np.where(go_left, left[node], right[node])
        leaf = self.value.ravel()[node]
        for k in range(len(self.base)):
            out[:, k] += leaf[:, self.tree_class == k].sum(axis=1)
        return out


@dataclass(frozen=True, slots=True)
class Model:
    """The block classifier, its threshold, and the page-type classifier.

    Attributes:
        block: binary ensemble over :data:`~newsclean.extraction.blocks.BLOCK_FEATURES`.
        threshold: keep a block when its probability is at least this.
        page: multi-class ensemble over :data:`PAGE_INPUTS` (the layout and repeated
            structure of the blocks, and what the metadata says), or ``None``.
        page_types: the page type of each ``page`` output column.
        trained_on: a note on the data the weights came from.
    """

    block: Ensemble
    threshold: float
    page: Ensemble | None
    page_types: tuple[str, ...]
    trained_on: str

    def block_probability(self, x: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float64]:
        """Probability that each block (row of ``x``) is main content."""
        raw = self.block.raw(x)[:, 0]
        return 1.0 / (1.0 + np.exp(-raw))

    def page_type(self, x: npt.NDArray[np.floating[Any]]) -> str:
        """The most likely page type for one page's feature vector."""
        return self.page_scores(x)[0]

    def page_probabilities(self, x: npt.NDArray[np.floating[Any]]) -> dict[str, float]:
        """The probability of each page type for one page's feature vector (softmax of
        the raw scores, as scikit-learn's multi-class boosting; without a page model,
        ``{"article": 1.0}``)."""
        return self.page_scores(x)[1]

    def page_scores(self, x: npt.NDArray[np.floating[Any]]) -> tuple[str, dict[str, float]]:
        """:meth:`page_type` and :meth:`page_probabilities` of one page's feature vector
        from one evaluation of the page model."""
        if self.page is None or not self.page_types:
            return "article", {"article": 1.0}
        raw = self.page.raw(x.reshape(1, -1))[0]
        odds = np.exp(raw - raw.max())
        probabilities = {name: float(p) for name, p in zip(self.page_types, odds / odds.sum(), strict=True)}
        return self.page_types[int(np.argmax(raw))], probabilities


def model_from_json(data: dict[str, Any]) -> Model:
    """Build a :class:`Model` from its JSON form, checking it matches this code's features."""
    if list(data.get("block_features", [])) != list(BLOCK_FEATURES):
        msg = "the extraction model was trained on other block features than this newsclean computes"
        raise InputError(msg)
    page = data.get("page")
    if page is not None and list(data.get("page_features", [])) != list(PAGE_INPUTS):
        msg = "the extraction model was trained on other page features than this newsclean computes"
        raise InputError(msg)
    return Model(
        block=Ensemble.from_json(data["block"]),
        threshold=float(data["threshold"]),
        page=Ensemble.from_json(page) if page is not None else None,
        page_types=tuple(data.get("page_types", ())),
        trained_on=str(data.get("trained_on", "")),
    )


#: The page-type classifier's inputs: the blocks' page features, then the metadata's
#: (no block-model output, so the page type costs no block inference).
PAGE_INPUTS = (*PAGE_FEATURES, *KIND_FEATURES)


@lru_cache(maxsize=8)
def load_model(path: str | None = None) -> Model:
    """The model in JSON file ``path``, or the shipped one (``None``); cached.

    Raises:
        InputError: the file cannot be read or does not match this code's features.
    """
    try:
        if path is None:
            text = resources.files("newsclean").joinpath("data").joinpath(DEFAULT_MODEL).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        msg = f"cannot read the extraction model {path or DEFAULT_MODEL}: {exc}"
        raise InputError(msg) from exc
    return model_from_json(data)
