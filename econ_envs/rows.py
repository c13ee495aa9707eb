"""Selecting rows of batched arrays cheaply (the single env is a batch of one)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def row_selection(rows: NDArray[np.intp], batch: int) -> NDArray[np.intp] | slice:
    """Increasing ``rows`` of a ``batch`` as an index for reading and writing arrays: the basic
    slice ``[:]`` when they are every row. Numpy applies a slice several times faster than an
    index array, and at batch 1 (the single env) every non-empty selection is the whole batch."""
    return slice(None) if len(rows) == batch else rows
