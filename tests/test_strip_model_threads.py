"""The line model runs its small products on one BLAS thread and leaves the count as it was."""

from __future__ import annotations

import numpy as np
import pytest

from newsclean.stripping import model
from newsclean.stripping.features import FEATURE_NAMES


def test_predict_restores_the_blas_thread_count() -> None:
    threads = model._BLAS_THREADS
    if threads is None:
        pytest.skip("numpy's BLAS is not an OpenBLAS found through /proc/self/maps")
    get, set_ = threads
    before = get()
    x = np.random.default_rng(0).normal(size=(300, len(FEATURE_NAMES)))
    try:
        set_(2)
        two = model.default_model().predict(x)
        assert get() == 2
        set_(1)
        one = model.default_model().predict(x)
        assert get() == 1
    finally:
        set_(before)
    assert two.tobytes() == one.tobytes()
