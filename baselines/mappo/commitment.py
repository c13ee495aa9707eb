"""The observation-action map: within one Stackelberg episode the leader acts deterministically.

The first time an observation appears in an episode, its action is drawn (uniformly over the
action space with probability ``explore_eps``, else from the policy) and cached; every later step
of the same episode with the same observation replays the cached action. The stored action is
the replayed one, so PPO trains on its log-probability under the policy.

The cache is the policy's recurrent state in tianshou's sense: :class:`CommitmentPolicy`
returns it as ``state`` and tianshou's collector clears the state of an env in the very step its
episode terminates, before the first action of the next episode is computed. So the map is
forgotten exactly at the episode boundary, never one step late.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
import torch
from numpy.typing import NDArray
from tianshou.algorithm.algorithm_base import Policy
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


class CommitmentPolicy(Policy):
    """Wraps a stochastic policy so that it commits to one action per observation per episode.

    Used for collection only; PPO updates the wrapped policy directly.

    Args:
        policy: the stochastic policy (its actor reads ``obs.observation``).
        keys: maps observations to rows of the cache.
        explore_eps: probability that a newly seen observation gets a uniform action.
        seed: seed of the exploration stream.
    """

    def __init__(
        self,
        policy: ProbabilisticActorPolicy,
        keys: ObservationKeys,
        explore_eps: float = 0.05,
        seed: int = 0,
    ):
        super().__init__(
            action_space=policy.action_space,
            observation_space=policy.observation_space,
            action_scaling=policy.action_scaling,
            action_bound_method=policy.action_bound_method,
        )
        self.policy = policy
        self.keys = keys
        self.explore_eps = float(explore_eps)
        self.rng = np.random.default_rng(seed)
        shape = policy.action_space.shape or ()
        self._action_shape = tuple(shape)
        self._discrete = isinstance(policy.action_space, gym.spaces.Discrete)

    def empty_state(self, batch: int) -> NDArray[np.float32]:
        """A cache that knows no observation, for ``batch`` episodes.

        The cache is one array of shape (batch, observations, 1 + action size): entry
        ``[..., 0]`` is 1 where the observation's action is cached, in ``[..., 1:]``. A plain
        array (not a nested ``Batch``) keeps the collector's per-step state handling cheap, and
        the zeros the collector writes into a finished episode's row forget its map.
        """
        size = int(np.prod(self._action_shape))
        return np.zeros((batch, len(self.keys), 1 + size), np.float32)

    def _uniform(self, count: int) -> NDArray[np.float32]:
        """Uniform actions in the policy's raw action space (before ``map_action``)."""
        if self._discrete:
            return self.rng.integers(self.action_space.n, size=count).astype(np.float32)
        return self.rng.uniform(-1.0, 1.0, (count, *self._action_shape)).astype(np.float32)

    def forward(
        self, batch: Batch, state: NDArray[np.float32] | None = None, **kwargs: Any
    ) -> Batch:
        """Actions for a batch of envs, replaying cached actions; returns the updated cache.

        Fresh actions are sampled from the wrapped policy's action distribution (its actor and
        ``dist_fn``, as its own ``forward`` does). The result carries no distribution:
        tianshou's collector would only summarize its spread (every step, at some cost), and
        PPO recomputes the log-probabilities.
        """
        with torch.no_grad():
            params, _ = self.policy.actor(batch.obs)
            sampled = self.policy.dist_fn(params).sample().cpu().numpy().astype(np.float32)
        size = len(sampled)
        cache = self.empty_state(size) if state is None else np.array(state, np.float32)
        key = self.keys(batch.obs.observation)
        rows = np.arange(size)
        fresh = np.flatnonzero(cache[rows, key, 0] == 0.0)
        explore = fresh[self.rng.random(fresh.size) < self.explore_eps]
        if explore.size:
            sampled[explore] = self._uniform(explore.size)
        cache[fresh, key[fresh], 1:] = sampled[fresh].reshape(fresh.size, cache.shape[2] - 1)
        cache[fresh, key[fresh], 0] = 1.0
        action = cache[rows, key, 1:].reshape(size, *self._action_shape)
        if self._discrete:
            action = action.astype(np.int64)
        return Batch(act=action, state=cache)

    def map_action(self, act: Any) -> NDArray[Any]:
        """The wrapped policy's mapping to the env's action space."""
        return self.policy.map_action(act)
