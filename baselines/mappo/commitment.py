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

    Args:
        vectors: every possible observation, shape (n_observations, obs_dim).
    """

    def __init__(self, vectors: NDArray[np.float32]):
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._index = {row.tobytes(): i for i, row in enumerate(self.vectors)}
        if len(self._index) != len(self.vectors):
            raise ValueError("observation vectors must be distinct")

    def __len__(self) -> int:
        return len(self.vectors)

    def __call__(self, observations: NDArray[Any]) -> NDArray[np.intp]:
        """Row index of every observation (batch, obs_dim); ``KeyError`` for unknown ones."""
        rows = np.ascontiguousarray(observations, dtype=np.float32)
        raw = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1])))[:, 0]
        unique, inverse = np.unique(raw, return_inverse=True)
        index = np.array([self._index[u.tobytes()] for u in unique], np.intp)
        return index[inverse.reshape(-1)]


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

    def empty_state(self, batch: int) -> Batch:
        """A cache that knows no observation, for ``batch`` episodes."""
        n = len(self.keys)
        return Batch(
            action=np.zeros((batch, n, *self._action_shape), np.float32),
            known=np.zeros((batch, n), bool),
        )

    def _uniform(self, count: int) -> NDArray[np.float32]:
        """Uniform actions in the policy's raw action space (before ``map_action``)."""
        if self._discrete:
            return self.rng.integers(self.action_space.n, size=count).astype(np.float32)
        return self.rng.uniform(-1.0, 1.0, (count, *self._action_shape)).astype(np.float32)

    def forward(self, batch: Batch, state: Batch | None = None, **kwargs: Any) -> Batch:
        """Actions for a batch of envs, replaying cached actions; returns the updated cache."""
        with torch.no_grad():
            result = self.policy(batch)
        sampled = result.act.cpu().numpy().astype(np.float32)
        size = len(sampled)
        cache = self.empty_state(size) if state is None or not len(state) else _copy(state)
        key = self.keys(batch.obs.observation)
        rows = np.arange(size)
        known = cache.known[rows, key]
        fresh = np.flatnonzero(~known)
        explore = fresh[self.rng.random(fresh.size) < self.explore_eps]
        sampled[explore] = self._uniform(explore.size)
        cache.action[fresh, key[fresh]] = sampled[fresh]
        cache.known[fresh, key[fresh]] = True
        action = cache.action[rows, key]
        if self._discrete:
            action = action.astype(np.int64)
        return Batch(act=action, state=cache, dist=result.dist)

    def map_action(self, act: Any) -> NDArray[Any]:
        """The wrapped policy's mapping to the env's action space."""
        return self.policy.map_action(act)


def _copy(state: Batch) -> Batch:
    return Batch(action=state.action.copy(), known=state.known.copy())
