"""A normal-form game among the followers alone: the leader only watches.

Used to study follower dynamics on their own (e.g. correlated equilibrium of Chicken under
``"regret_matching"``): every follower has one type, the message profile fixes every utility,
and the leader's single step has no effect. Registered in :data:`econ_envs.games.GAMES` as
``"FollowerGame"``; no environment id uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ_envs.games.base import GameSpec, StackelbergGame, mixed_radix
from econ_envs.games.observation import ObservationEncoding
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_real_array


@dataclass
class FollowerGamePlays:
    """Batched play state: the message profile and whether the leader has stepped."""

    messages: NDArray[np.intp]
    finished: NDArray[np.bool_]


class FollowerGame(StackelbergGame):
    """``n`` followers play the game ``payoffs``; the leader observes a constant and its one
    action (``Discrete(1)``) does nothing.

    Args:
        payoffs: array-like of shape ``(M_1, ..., M_n, n)``: ``payoffs[a_1, ..., a_n][i]`` is
            follower ``i``'s utility. Divided by the largest absolute entry, as NormalForm does.

    The leader's utility is the followers' mean utility. Default episode: 100 response
    iterations, 1 reward play.
    """

    def __init__(self, payoffs: ArrayLike):
        table = check_real_array("payoffs", payoffs)
        n = table.ndim - 1
        if n < 1 or table.shape[-1] != n or 0 in table.shape:
            raise ValueError(
                f"payoffs must have shape (M_1, ..., M_n, n) with n = number of followers, "
                f"got {table.shape}"
            )
        if not np.isfinite(table).all():
            raise ValueError("payoffs must be finite")
        self.payoffs = table / (np.abs(table).max() or 1.0)
        self.n_messages = table.shape[:-1]
        self.types = TypeDistribution((1,) * n)
        self.observation_encoding = ObservationEncoding.constant()  # the leader sees nothing
        low, high = float(self.payoffs.min()), float(self.payoffs.max())
        self.spec = GameSpec(
            name="FollowerGame",
            n_types=(1,) * n,
            n_messages=self.n_messages,
            horizon=1,
            observation_space=gym.spaces.Box(0.0, 1.0, (1,), np.float32),
            action_space=gym.spaces.Discrete(1),
            n_observations=self.observation_encoding.n_observations,
            leader_utility_range=(low, high),
            follower_utility_range=(low, high),
            optimal_value=None,
            response_iterations=100,
            reward_plays=1,
            action_meanings=("no effect (the leader only watches)",),
        )

    def new_plays(self, batch: int) -> FollowerGamePlays:
        n = len(self.n_messages)
        return FollowerGamePlays(np.zeros((batch, n), np.intp), np.zeros(batch, bool))

    def start(self, plays, rows, types, messages) -> None:
        plays.messages[rows] = messages
        plays.finished[rows] = False

    def step(self, plays, action) -> NDArray[np.bool_]:
        plays.finished[:] = True
        return plays.finished.copy()

    def observation_fields(self, plays) -> NDArray[np.intp]:
        return np.zeros((plays.messages.shape[0], 1), np.intp)  # the constant field

    def utilities(self, plays, rows):
        flat = self.payoffs.reshape(-1, len(self.n_messages))
        followers = flat[mixed_radix(plays.messages[rows], self.n_messages)]
        return followers.mean(axis=1), followers

    def describe_observation(self, index: int) -> dict[str, Any]:
        return {"index": index, "meaning": "the only observation (the leader only watches)"}
