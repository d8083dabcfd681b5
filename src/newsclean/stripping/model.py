"""The line classifier: a small two-layer perceptron stored as JSON, run with numpy.

The weights (``newsclean/data/strip/model.json``) are trained by
``benchmarks/strip_train.py`` on line labels derived from a development set (dump lines
matched to the gold article text), with cross-validation grouped by site; the file
records how it was trained and its cross-validated scores. Inference is two small
matrix products per page.
"""

from __future__ import annotations

import ctypes
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np
import numpy.typing as npt

from .features import CONTEXT_NAMES, FEATURE_NAMES, context_features

__all__ = ["LineModel", "default_model"]

Array = npt.NDArray[np.float64]

# OpenBLAS's own thread functions (plain builds, numpy's scipy-openblas wheels).
_BLAS_THREAD_CALLS = (
    ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
    ("openblas_get_num_threads", "openblas_set_num_threads"),
)


def _openblas_threads() -> tuple[Callable[[], int], Callable[[int], object]] | None:
    """Get / set of the thread count of the OpenBLAS that numpy loaded (Linux), or None.

    A page's matrix product is small (~240 x 68 x 72): a threaded BLAS splits it over
    the cores and then waits for them, which on a busy machine costs 10-20x the product
    itself (measured: 1.9 ms of CPU a page with 2 threads under load, 0.12 ms with one).
    The result does not depend on the thread count (the same bits on 600 DEV pages).
    """
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and "/" in line})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for get_name, set_name in _BLAS_THREAD_CALLS:
            if hasattr(lib, get_name) and hasattr(lib, set_name):
                get, set_ = getattr(lib, get_name), getattr(lib, set_name)
                get.restype, get.argtypes = ctypes.c_int, []
                set_.restype, set_.argtypes = None, [ctypes.c_int]
                return get, set_
    return None


_BLAS_THREADS = _openblas_threads()


class _OneBlasThread:
    """BLAS on one thread while any caller is inside, the count restored by the last one out.

    The count is process-wide: two threads that each saved and restored it could leave
    it at 1 for good (A sets 1, B saves 1, A restores 2, B restores 1). Here the first
    caller in saves it and the last one out restores it.
    """

    def __init__(self, calls: tuple[Callable[[], int], Callable[[int], object]] | None) -> None:
        self.calls = calls
        self.lock = threading.Lock()
        self.inside = 0
        self.saved = 1

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if self.calls is None:
            yield
            return
        get, set_ = self.calls
        with self.lock:
            if self.inside == 0:
                self.saved = get()
                if self.saved > 1:
                    set_(1)
            self.inside += 1
        try:
            yield
        finally:
            with self.lock:
                self.inside -= 1
                if self.inside == 0 and self.saved > 1:
                    set_(self.saved)


_one_blas_thread = _OneBlasThread(_BLAS_THREADS)


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
        threshold: default probability above which a line is body (of :meth:`score`).
        info: how the model was trained (data, cross-validation scores).
        context: the second pass, or None: a network of the same form over each line's
            :func:`~newsclean.stripping.features.context_features` (its first-pass
            probability among its neighbours'), trained on first-pass probabilities of
            pages the first pass was not trained on. :meth:`score` applies it.
    """

    mean: Array
    scale: Array
    hidden_weights: Array
    hidden_bias: Array
    out_weights: Array
    out_bias: float
    threshold: float
    info: dict[str, Any]
    context: LineModel | None = None

    def score(self, features: Array) -> Array:
        """Probability that each line of one page is article body: the first pass
        (:meth:`predict`), then the second (``context``) over its results, if any.

        Examples:
            >>> model = default_model()
            >>> model.score(np.zeros((0, len(FEATURE_NAMES)))).shape
            (0,)
        """
        first = self.predict(features)
        if self.context is None or len(first) == 0:
            return first
        return self.context.predict(context_features(features, first))

    def predict(self, features: Array) -> Array:
        """Probability that each row (line) is article body.

        Examples:
            >>> model = default_model()
            >>> model.predict(np.zeros((0, len(FEATURE_NAMES)))).shape
            (0,)
        """
        if len(features) == 0:
            return np.zeros(0)
        # The same IEEE operations in the same order as
        # ``1 / (1 + exp(-clip(max(((f - mean) / scale) @ W + b, 0) @ w + c, -30, 30)))``,
        # done in place (no temporary per step; the same bits, tested).
        x = features - self.mean
        x /= self.scale
        with _one_blas_thread():  # one BLAS thread for these small products
            hidden = x @ self.hidden_weights
            hidden += self.hidden_bias
            np.maximum(hidden, 0.0, out=hidden)
            result: Array = hidden @ self.out_weights
        result += self.out_bias
        np.clip(result, -30.0, 30.0, out=result)
        np.negative(result, out=result)
        np.exp(result, out=result)
        result += 1.0
        np.divide(1.0, result, out=result)
        return result

    def to_json(self, names: tuple[str, ...] = FEATURE_NAMES) -> dict[str, Any]:
        """The model as a JSON-ready dict (see :meth:`from_json`); ``names``: its input columns."""
        data = {
            "features": list(names),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "hidden_weights": self.hidden_weights.round(6).tolist(),
            "hidden_bias": self.hidden_bias.round(6).tolist(),
            "out_weights": self.out_weights.round(6).tolist(),
            "out_bias": round(self.out_bias, 6),
            "threshold": self.threshold,
            "info": self.info,
        }
        if self.context is not None:
            data["context"] = self.context.to_json(CONTEXT_NAMES)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], names: tuple[str, ...] = FEATURE_NAMES) -> LineModel:
        """Load a model written by :meth:`to_json`; the feature list must match ``names``."""
        if tuple(data["features"]) != names:
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
            context=cls.from_json(data["context"], CONTEXT_NAMES) if data.get("context") else None,
        )


def _load_default() -> LineModel:
    path = files("newsclean") / "data" / "strip" / "model.json"
    return LineModel.from_json(json.loads(path.read_text(encoding="utf-8")))


_DEFAULT = _load_default()


def default_model() -> LineModel:
    """The model shipped with newsclean (loaded once at import, read-only)."""
    return _DEFAULT
