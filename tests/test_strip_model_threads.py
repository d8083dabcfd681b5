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


def test_interleaved_callers_leave_the_count_as_it_was() -> None:
    """A enters, B enters, A leaves, B leaves: the count is restored once, to its value before A."""
    count = [4]
    calls = []

    def get() -> int:
        return count[0]

    def set_(n: int) -> None:
        calls.append(n)
        count[0] = n

    guard = model._OneBlasThread((get, set_))
    a, b = guard(), guard()
    a.__enter__()
    assert count[0] == 1
    b.__enter__()
    a.__exit__(None, None, None)
    assert count[0] == 1  # B is still inside
    b.__exit__(None, None, None)
    assert count[0] == 4 and calls == [1, 4]


def test_predict_from_many_threads_leaves_the_blas_count_alone() -> None:
    from concurrent.futures import ThreadPoolExecutor

    threads = model._BLAS_THREADS
    if threads is None:
        pytest.skip("numpy's BLAS is not an OpenBLAS found through /proc/self/maps")
    get, set_ = threads
    before = get()
    x = np.random.default_rng(1).normal(size=(200, len(FEATURE_NAMES)))
    try:
        set_(2)
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: model.default_model().predict(x).tobytes(), range(64)))
        assert get() == 2
    finally:
        set_(before)
    assert len(set(results)) == 1
