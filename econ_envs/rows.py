"""Selecting rows of batched arrays cheaply (the single env is a batch of one)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def row_selection(rows: NDArray[np.intp], batch: int) -> NDArray[np.intp] | slice:
    """Increasing ``rows`` of a ``batch`` as an index for reading and writing arrays: the basic
    slice ``[:]`` when they are every row. Numpy applies a slice several times faster than an
    index array, and at batch 1 (the single env) every non-empty selection is the whole batch."""
    return slice(None) if len(rows) == batch else rows


def gather(array: NDArray[Any], rows: NDArray[np.intp]) -> NDArray[Any]:
    """``array``'s increasing ``rows`` (first axis), to read at once: ``array`` itself when they
    are all of its rows, which saves a copy that costs more than the arithmetic at batch 1.

    The result may be ``array``: never write to it, nor read it after writing to ``array``.
    """
    return array if len(rows) == len(array) else array.take(rows, axis=0)


def put_rows(array: NDArray[Any], index: NDArray[np.intp], values: NDArray[Any]) -> None:
    """``array[index] = values`` along the first axis; a single row is written by basic
    indexing, which numpy does several times faster than with an index array."""
    if len(index) == 1:
        array[index[0]] = values[0]
    else:
        array[index] = values
