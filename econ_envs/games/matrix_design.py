"""k-implementation (Monderer–Tennenholtz): the leader pays transfers on the cells of a 2x2 game."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray

from econ_envs.games.base import GameSpec, StackelbergGame
from econ_envs.games.observation import ObservationEncoding, ObservedField, one_hot_columns
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_bool, check_choice

#: base payoffs (row, column) for messages A=0, B=1
BASE_PAYOFFS = np.array([[[3, 3], [6, 4]], [[4, 6], [2, 2]]], dtype=np.float64)
MAX_TRANSFER = 10
FOLLOWER_SCALE = 16.0
WELFARE_SCALE = 10.0
OBJECTIVES = ("welfare", "distinct")


@dataclass
class MatrixDesignPlays:
    """Batched play state: both messages, the transfers paid, whether the play is over."""

    messages: NDArray[np.intp]
    transfers: NDArray[np.float64]
    finished: NDArray[np.bool_]


class MatrixDesign(StackelbergGame):
    """Two followers play A or B; the leader sees the cell and pays each a transfer in [0, 10].

    Follower utility = (base payoff + transfer) / 16. Leader objective ``"welfare"``
    (default): (base welfare - transfers paid) / 10, optimum 1.0 (an off-diagonal cell with no
    transfer paid); ``"distinct"``: 1 if the followers chose different messages, else 0.

    Args:
        objective: ``"welfare"`` or ``"distinct"``.
        discrete_transfers: ``MultiDiscrete([11, 11])`` integer transfers instead of a ``Box``
            (a bool; ``TypeError`` otherwise).

    Leader observation: one-hot of the cell (row message * 2 + column message).
    Default episode: 25 response iterations, 1 reward play.
    """

    def __init__(self, objective: str = "welfare", discrete_transfers: bool = False):
        self.objective = check_choice("objective", objective, OBJECTIVES)
        self.discrete_transfers = discrete_transfers = check_bool(
            "discrete_transfers", discrete_transfers
        )
        action_space: gym.Space[Any] = (
            gym.spaces.MultiDiscrete([MAX_TRANSFER + 1] * 2)
            if discrete_transfers
            else gym.spaces.Box(0.0, MAX_TRANSFER, (2,), np.float32)
        )
        welfare = BASE_PAYOFFS.sum(axis=2)
        low = (welfare.min() - 2 * MAX_TRANSFER) / WELFARE_SCALE
        self.types = TypeDistribution((1, 1))
        #: one field, the cell the followers chose, shown one-hot
        cell = ObservedField("cell (row, column messages)", ("AA", "AB", "BA", "BB"))
        self.observation_encoding = ObservationEncoding((4,), one_hot_columns(0, 4), (cell,))
        self.spec = GameSpec(
            name="MatrixDesign",
            n_types=(1, 1),
            n_messages=(2, 2),
            horizon=1,
            observation_space=gym.spaces.Box(0.0, 1.0, (4,), np.float32),
            action_space=action_space,
            n_observations=self.observation_encoding.n_observations,
            leader_utility_range=(low, 1.0) if objective == "welfare" else (0.0, 1.0),
            follower_utility_range=(
                BASE_PAYOFFS.min() / FOLLOWER_SCALE,
                (BASE_PAYOFFS.max() + MAX_TRANSFER) / FOLLOWER_SCALE,
            ),
            optimal_value=1.0,
            response_iterations=25,
            reward_plays=1,
            action_meanings=tuple(f"transfer paid to follower {i}" for i in range(2)),
        )

    def new_plays(self, batch: int) -> MatrixDesignPlays:
        return MatrixDesignPlays(
            np.zeros((batch, 2), np.intp), np.zeros((batch, 2)), np.zeros(batch, bool)
        )

    def start(self, plays, rows, types, messages) -> None:
        plays.messages[rows] = messages
        plays.transfers[rows] = 0.0
        plays.finished[rows] = False

    def step(self, plays, action) -> NDArray[np.bool_]:
        live = ~plays.finished
        plays.transfers[live] = action[live]
        plays.finished[:] = True
        return plays.finished.copy()

    def observation_fields(self, plays) -> NDArray[np.intp]:
        # one field, the cell the followers chose (row message * 2 + column message)
        return (plays.messages[:, 0] * 2 + plays.messages[:, 1])[:, None]

    def utilities(self, plays, rows):
        messages, transfers = plays.messages[rows], plays.transfers[rows]
        base = BASE_PAYOFFS[messages[:, 0], messages[:, 1]]
        followers = (base + transfers) / FOLLOWER_SCALE
        if self.objective == "welfare":
            leader = (base.sum(axis=1) - transfers.sum(axis=1)) / WELFARE_SCALE
        else:
            leader = (messages[:, 0] != messages[:, 1]).astype(np.float64)
        return leader, followers

    def describe_observation(self, index: int) -> dict[str, Any]:
        names = "AB"
        return {"index": index, "cell": names[index // 2] + names[index % 2]}
