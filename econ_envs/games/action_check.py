"""Validation of batches of leader actions against one env's action space (the hot path of every
step, so everything that depends only on the space is computed once)."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray


class BatchActionCheck:
    """Checks batch-first action arrays against the action space ``space`` of one env.

    Calling it returns the batch as an array (integer dtype for discrete spaces). Valid Box
    actions pass two comparisons (NaN fails every comparison, and :class:`GameSpec` requires
    finite Box bounds, so infinities fail it too); only a failing batch is diagnosed check by
    check, so that the error names the first problem.

    Raises:
        ValueError: naming ``action`` and the allowed values, for NaN, infinite, out-of-range,
            non-integer (discrete spaces) or wrongly shaped actions.
    """

    def __init__(self, space: gym.Space[Any]):
        self.space = space
        self.shape = space.shape or ()
        self.ndim = len(self.shape) + 1
        self.box = isinstance(space, gym.spaces.Box)
        if self.box:
            # with a leading axis: comparing arrays of one shape is cheaper than broadcasting
            self.low, self.high = space.low[None], space.high[None]
        else:
            self.high = space.n - 1 if isinstance(space, gym.spaces.Discrete) else space.nvec - 1

    def __call__(self, action: Any) -> NDArray[Any]:
        a = np.asarray(action)
        if a.shape[1:] != self.shape or a.ndim != self.ndim:
            raise ValueError(f"action must have shape (batch, *{self.shape}), got {a.shape}")
        if self.box:
            if a.dtype.kind not in "fiu":
                raise ValueError(f"action must be numeric for {self.space}, got dtype {a.dtype}")
            within = np.count_nonzero(a >= self.low) + np.count_nonzero(a <= self.high)
            if within != 2 * a.size:
                self._diagnose_box(a)
            return a
        if a.dtype.kind not in "iu":
            if a.dtype.kind != "f" or not np.isfinite(a).all() or (a != np.round(a)).any():
                raise ValueError(f"action must hold integers for {self.space}, got {a.tolist()}")
            a = a.astype(np.int64)
        if np.count_nonzero((a >= 0) & (a <= self.high)) != a.size:
            raise ValueError(
                f"action must hold integers in [0, {np.asarray(self.high).tolist()}] for "
                f"{self.space}, got {a.tolist()}"
            )
        return a

    def _diagnose_box(self, a: NDArray[Any]) -> None:
        """Raise the error naming what is wrong with a Box action that failed the bounds test."""
        if not np.isfinite(a).all():
            raise ValueError(f"action must be finite (no NaN or inf) for {self.space}, got {a}")
        raise ValueError(
            f"action must lie in [{self.space.low.tolist()}, {self.space.high.tolist()}], "
            f"got {a.tolist()}"
        )
