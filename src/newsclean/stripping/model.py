"""The line classifier: a small two-layer perceptron stored as JSON, run with numpy.

The weights (``newsclean/data/strip/model.json``) are trained by
``benchmarks/strip_train.py`` on line labels derived from a development set (dump lines
matched to the gold article text), with cross-validation grouped by site; the file
records how it was trained and its cross-validated scores. Inference is two small
matrix products per page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np
import numpy.typing as npt

from .features import FEATURE_NAMES

__all__ = ["LineModel", "default_model"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class LineModel:
    """A trained line classifier (standardisation, one ReLU hidden layer, a logistic output).

    Attributes:
        mean: per-feature mean used to standardise inputs.
        scale: per-feature standard deviation used to standardise inputs.
        hidden_weights: ``(features, hidden)`` weights of the hidden layer.
        hidden_bias: ``(hidden,)`` bias of the hidden layer.
        out_weights: ``(hidden,)`` weights of the output unit.
        out_bias: bias of the output unit.
        threshold: default probability above which a line is body.
        info: how the model was trained (data, cross-validation scores).
    """

    mean: Array
    scale: Array
    hidden_weights: Array
    hidden_bias: Array
    out_weights: Array
    out_bias: float
    threshold: float
    info: dict[str, Any]

    def predict(self, features: Array) -> Array:
        """Probability that each row (line) is article body.

        Examples:
            >>> model = default_model()
            >>> model.predict(np.zeros((0, len(FEATURE_NAMES)))).shape
            (0,)
        """
        if len(features) == 0:
            return np.zeros(0)
        x = (features - self.mean) / self.scale
        hidden = np.maximum(x @ self.hidden_weights + self.hidden_bias, 0.0)
        logits = hidden @ self.out_weights + self.out_bias
        result: Array = 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))
        return result

    def to_json(self) -> dict[str, Any]:
        """The model as a JSON-ready dict (see :meth:`from_json`)."""
        return {
            "features": list(FEATURE_NAMES),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "hidden_weights": self.hidden_weights.round(6).tolist(),
            "hidden_bias": self.hidden_bias.round(6).tolist(),
            "out_weights": self.out_weights.round(6).tolist(),
            "out_bias": round(self.out_bias, 6),
            "threshold": self.threshold,
            "info": self.info,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LineModel:
        """Load a model written by :meth:`to_json`; the feature list must match."""
        if tuple(data["features"]) != FEATURE_NAMES:
            msg = "strip model features do not match this version of newsclean; retrain it"
            raise ValueError(msg)
        return cls(
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            hidden_weights=np.asarray(data["hidden_weights"], dtype=np.float64),
            hidden_bias=np.asarray(data["hidden_bias"], dtype=np.float64),
            out_weights=np.asarray(data["out_weights"], dtype=np.float64),
            out_bias=float(data["out_bias"]),
            threshold=float(data["threshold"]),
            info=dict(data.get("info", {})),
        )


def _load_default() -> LineModel:
    path = files("newsclean") / "data" / "strip" / "model.json"
    return LineModel.from_json(json.loads(path.read_text(encoding="utf-8")))


_DEFAULT = _load_default()


def default_model() -> LineModel:
    """The model shipped with newsclean (loaded once at import, read-only)."""
    return _DEFAULT
