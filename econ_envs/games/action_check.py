"""Validation of batches of leader actions against one env's action space (the hot path of every
step, so everything that depends only on the space is computed once)."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray


class BatchActionCheck:
    """Checks leader actions against the action space ``space`` of one env.

    Two steps, so that what the user passed is judged in the user's terms and nothing is checked
    twice per element: :meth:`as_batch` checks, in O(1), the shape and dtype of the action (or
    batch of actions) an adapter was given and returns it batch-first; :meth:`__call__` (the
    engine's check of every batch) checks the values. Valid Box actions pass two comparisons
    (NaN fails every comparison, and :class:`GameSpec` requires finite Box bounds, so
    infinities fail it too); only a failing batch is diagnosed, and the error shows its first
    failing action (with its row when the batch has more than one).

    Accepted dtypes are integers and floats (for discrete spaces, floats holding whole
    numbers); bool, complex, strings, objects and anything else are refused.
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

    def as_batch(self, action: Any, name: str = "action", size: int | None = None) -> NDArray[Any]:
        """``action`` as a batch-first array for :meth:`__call__`, after checking its shape and
        dtype (O(1)): one action of shape ``space.shape`` when ``size`` is None (a batch axis of
        one is added), else a batch of shape ``(size, *space.shape)``.

        Raises:
            ValueError: naming ``name``, the expected shape and the shape given, or the space
                and the dtype given.
        """
        expected = self.shape if size is None else (size, *self.shape)
        try:
            a = np.asarray(action)
        except ValueError as error:  # a ragged nesting of sequences
            raise ValueError(
                f"{name} must be an array of shape {expected} for {self.space}, got a "
                f"{type(action).__name__} numpy cannot read as one ({error})"
            ) from None
        if a.shape != expected:
            raise ValueError(f"{name} must have shape {expected} for {self.space}, got {a.shape}")
        self._check_dtype(a, name)
        return a[None] if size is None else a

    def __call__(self, action: Any) -> NDArray[Any]:
        """The batch ``action`` (batch-first) as an array, integer for discrete spaces.

        Raises:
            ValueError: naming ``action`` and the allowed values, for a wrong shape or dtype,
                or NaN, infinite, out-of-range or (discrete spaces) non-integer values.
        """
        a = np.asarray(action)
        if a.shape[1:] != self.shape or a.ndim != self.ndim:
            raise ValueError(
                f"action must have shape (batch, *{self.shape}) for {self.space}, got {a.shape}"
            )
        self._check_dtype(a, "action")
        if self.box:
            within = np.count_nonzero(a >= self.low) + np.count_nonzero(a <= self.high)
            if within != 2 * a.size:
                self._diagnose_box(a)
            return a
        if a.dtype.kind == "f":
            whole = np.isfinite(a) & (a == np.round(a))
            if np.count_nonzero(whole) != a.size:
                raise ValueError(
                    f"action must hold integers for {self.space}, got {self._first(a, ~whole)}"
                )
            a = a.astype(np.int64)
        inside = (a >= 0) & (a <= self.high)
        if np.count_nonzero(inside) != a.size:
            raise ValueError(
                f"action must hold integers in [0, {np.asarray(self.high).tolist()}] for "
                f"{self.space}, got {self._first(a, ~inside)}"
            )
        return a

    def _check_dtype(self, a: NDArray[Any], name: str) -> None:
        """``ValueError`` naming ``name`` and the space unless ``a`` holds integers or floats."""
        if a.dtype.kind not in "fiu":
            raise ValueError(
                f"{name} must hold integers or floats for {self.space}, got dtype {a.dtype}"
            )

    def _diagnose_box(self, a: NDArray[Any]) -> None:
        """Raise the error naming what is wrong with a Box action that failed the bounds test."""
        outside = ~((a >= self.low) & (a <= self.high))
        if not np.isfinite(a).all():
            raise ValueError(
                f"action must be finite (no NaN or inf) for {self.space}, got "
                f"{self._first(a, ~np.isfinite(a))}"
            )
        raise ValueError(
            f"action must lie in [{self.space.low.tolist()}, {self.space.high.tolist()}] for "
            f"{self.space}, got {self._first(a, outside)}"
        )

    @staticmethod
    def _first(a: NDArray[Any], bad: NDArray[np.bool_]) -> str:
        """The first action of the batch ``a`` with a ``bad`` entry, with its row when the batch
        holds more than one action (a single env's batch of one is the user's action)."""
        row = int(np.argmax(bad.reshape(len(a), -1).any(axis=1)))
        shown = repr(a[row].tolist())
        return shown if len(a) == 1 else f"{shown} in row {row} of the batch"
