"""The leader's commitment within an episode: observations as table rows, tables drawn from the
policy.

Within one Stackelberg episode the leader acts deterministically (the reference's observation-
action map): :class:`ObservationKeys` finds the table row of each observation, and
:func:`table_sampler` draws whole tables (one raw action per observation) from the current
policy for the episodes that start (see :mod:`baselines.mappo.rollout`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray
from tianshou.algorithm.modelfree.reinforce import ProbabilisticActorPolicy
from tianshou.data import Batch


class ObservationKeys:
    """Row index of observation vectors in a fixed table of all observations (exact match).

    Rows are compared as raw bytes: a binary search in the table's sorted rows, for a whole
    batch at once.

    Args:
        vectors: every possible observation, shape (n_observations, obs_dim).
    """

    def __init__(self, vectors: NDArray[np.float32]):
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        raw = _row_bytes(self.vectors)
        self._order = np.argsort(raw, kind="stable")
        self._sorted = raw[self._order]
        if (self._sorted[1:] == self._sorted[:-1]).any():
            raise ValueError("observation vectors must be distinct")

    def __len__(self) -> int:
        return len(self.vectors)

    def __call__(self, observations: NDArray[Any]) -> NDArray[np.intp]:
        """Row index of every observation (batch, obs_dim); ``KeyError`` for unknown ones."""
        raw = _row_bytes(observations)
        found = np.minimum(np.searchsorted(self._sorted, raw), len(self._sorted) - 1)
        unknown = np.flatnonzero(self._sorted[found] != raw)
        if unknown.size:
            raise KeyError(f"unknown observation {np.asarray(observations)[unknown[0]]}")
        return self._order[found]


def _row_bytes(rows: NDArray[Any]) -> NDArray[np.void]:
    """Each row of a 2-d array as one opaque value (its float32 bytes), for exact matching."""
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    return rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1])))[:, 0]


def table_sampler(policy: ProbabilisticActorPolicy, vectors: NDArray[np.float32]):
    """A function ``sample(k)`` that draws ``k`` raw tables (k, n_observations, *raw action)
    from ``policy``'s action distribution at every observation in ``vectors`` (torch's random
    stream; the actor runs once per call)."""
    observations = Batch(observation=np.ascontiguousarray(vectors, dtype=np.float32))

    def sample(k: int) -> NDArray[Any]:
        with torch.no_grad():
            params, _ = policy.actor(observations)
            return policy.dist_fn(params).sample((k,)).cpu().numpy()

    return sample
