"""The one place newsclean compiles code: numba's ``njit``, cached on disk.

The byte and line passes of ``strip`` and of the dedup sketch are loops over numpy arrays
that numpy cannot express without whole-buffer temporaries. They are written as plain
Python functions over arrays and compiled by numba (https://numba.pydata.org) on first call;
the machine code is cached next to the module (or in numba's user cache directory when the
install is read-only, or in ``NUMBA_CACHE_DIR``), so later processes -- ``--jobs`` workers,
Spark executors -- load it instead of compiling again.

Modules that define kernels import this one at their top and are themselves imported lazily
(inside the functions that use them), so ``import newsclean`` does not import numba.
``NUMBA_DISABLE_JIT=1`` runs the same functions as plain Python (slow; for debugging).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

_F = TypeVar("_F", bound=Callable[..., Any])


def kernel(function: _F) -> _F:
    """Compile ``function`` with numba in nopython mode, cached, releasing the GIL.

    Args:
        function: a function of numpy arrays and scalars that numba's nopython mode accepts.

    Returns:
        The compiled function (a numba dispatcher), callable like ``function``. A function
        without a source file (typed at a prompt) is compiled without the disk cache.

    Examples:
        >>> import numpy as np
        >>> @kernel
        ... def total(values):
        ...     s = 0
        ...     for v in values:
        ...         s += v
        ...     return s
        >>> int(total(np.arange(5)))
        10
    """
    try:
        return cast(_F, numba.njit(cache=True, nogil=True)(function))
    except RuntimeError:  # no file to cache beside (a function typed at a prompt)
        return cast(_F, numba.njit(cache=False, nogil=True)(function))
