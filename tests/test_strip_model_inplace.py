"""The line model's in-place inference gives the bits of the plain formula."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.stripping.features import FEATURE_NAMES
from newsclean.stripping.model import LineModel, default_model


def _reference(m: LineModel, features: np.ndarray) -> np.ndarray:
    x = (features - m.mean) / m.scale
    hidden = np.maximum(x @ m.hidden_weights + m.hidden_bias, 0.0)
    logits = hidden @ m.out_weights + m.out_bias
    out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))
    return out


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 400), st.integers(0, 2**32 - 1), st.floats(0.1, 50.0))
def test_predict_is_the_formula_bit_for_bit(n: int, seed: int, spread: float) -> None:
    m = default_model()
    features = np.random.default_rng(seed).normal(scale=spread, size=(n, len(FEATURE_NAMES)))
    kept = features.copy()
    got = m.predict(features)
    assert got.tobytes() == _reference(m, features).tobytes()
    assert features.tobytes() == kept.tobytes()  # the caller's matrix is not touched
    assert ((got >= 0.0) & (got <= 1.0)).all()


def test_predict_on_extreme_logits_is_clipped_like_the_formula() -> None:
    m = default_model()
    features = np.full((3, len(FEATURE_NAMES)), 1e6)
    features[1] = -1e6
    assert m.predict(features).tobytes() == _reference(m, features).tobytes()
