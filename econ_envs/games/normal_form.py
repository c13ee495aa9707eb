"""Commitment in a bimatrix game: the leader picks a row (or a mixture), one follower a column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ_envs.games.base import GameSpec, StackelbergGame
from econ_envs.games.observation import ObservationEncoding
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_bool, check_choice, check_real_array

#: supremum of the leader's utility under mixed commitment (REFERENCE.md), normalized
MIXED_OPTIMA: dict[str, float] = {"escape": 1.0, "maintain": 27.5 / 30}

#: payoffs[row][col] = (leader, follower), as published
PRESETS: dict[str, list[list[tuple[float, float]]]] = {
    "escape": [
        [(15, 15), (10, 10), (0, 0)],
        [(10, 10), (10, 10), (0, 0)],
        [(0, 0), (0, 0), (30, 30)],
    ],
    "maintain": [[(20, 15), (0, 0), (0, 0)], [(30, 0), (10, 5), (0, 0)], [(0, 0), (0, 0), (5, 10)]],
}


@dataclass
class NormalFormPlays:
    """Batched play state: the follower's column, the leader's row mixture, utilities."""

    column: NDArray[np.intp]
    finished: NDArray[np.bool_]
    leader_utility: NDArray[np.float64]
    follower_utility: NDArray[np.float64]


class NormalForm(StackelbergGame):
    """One follower with one type; the leader acts once (``horizon = 1``).

    Args:
        payoffs: array-like ``(rows, cols, 2)`` with ``payoffs[r][c] = (leader, follower)``;
            mutually exclusive with ``preset``. Both are divided by their largest absolute entry.
        preset: ``"escape"`` or ``"maintain"`` (SPEC §1.4); the default when no payoffs are given
            is ``"escape"``.
        mixed: if ``True`` the leader commits to a mixture: a ``Box[0,1]^rows`` action
            normalized by its sum (all zeros means uniform), and utilities are expectations over
            rows. A bool (``TypeError`` otherwise).

    A preset fixes the payoffs only (``payoffs`` and ``preset`` together raise ``ValueError``);
    ``mixed`` stays free. Payoffs must be real numbers (no strings).

    The leader observes a constant. Default episode: 33 response iterations, 1 reward play.
    """

    def __init__(
        self, payoffs: ArrayLike | None = None, preset: str | None = None, mixed: bool = False
    ):
        if payoffs is not None and preset is not None:
            raise ValueError("give either payoffs or preset, not both")
        if payoffs is None:
            preset = check_choice("preset", "escape" if preset is None else preset, PRESETS)
            payoffs = PRESETS[preset]
        table = check_real_array("payoffs", payoffs)
        if table.ndim != 3 or table.shape[2] != 2 or 0 in table.shape:
            raise ValueError(f"payoffs must have shape (rows, cols, 2), got {table.shape}")
        if not np.isfinite(table).all():
            raise ValueError("payoffs must be finite")
        scale = np.abs(table).max() or 1.0
        self.leader_payoffs = table[:, :, 0] / scale
        self.follower_payoffs = table[:, :, 1] / scale
        self.mixed = mixed = check_bool("mixed", mixed)
        rows, cols = self.leader_payoffs.shape
        action_space: gym.Space[Any] = (
            gym.spaces.Box(0.0, 1.0, (rows,), np.float32) if mixed else gym.spaces.Discrete(rows)
        )
        self.types = TypeDistribution((1,))
        self.observation_encoding = ObservationEncoding.constant()  # the leader sees nothing
        self.spec = GameSpec(
            name="NormalForm",
            n_types=(1,),
            n_messages=(cols,),
            horizon=1,
            observation_space=gym.spaces.Box(0.0, 1.0, (1,), np.float32),
            action_space=action_space,
            n_observations=self.observation_encoding.n_observations,
            leader_utility_range=(
                float(self.leader_payoffs.min()),
                float(self.leader_payoffs.max()),
            ),
            follower_utility_range=(
                float(self.follower_payoffs.min()),
                float(self.follower_payoffs.max()),
            ),
            optimal_value=MIXED_OPTIMA.get(preset or "") if mixed else self.pure_optimum(),
            response_iterations=33,
            reward_plays=1,
            action_meanings=tuple(
                f"weight of row {r} (normalized by the sum)" if mixed else f"commit to row {r}"
                for r in range(rows)
            ),
        )

    def pure_optimum(self) -> float:
        """Best pure commitment against a best-responding follower (ties to the lowest column,
        as the follower dynamics break them)."""
        best_columns = np.argmax(self.follower_payoffs, axis=1)
        return float(self.leader_payoffs[np.arange(len(best_columns)), best_columns].max())

    def new_plays(self, batch: int) -> NormalFormPlays:
        return NormalFormPlays(
            np.zeros(batch, np.intp), np.zeros(batch, bool), np.zeros(batch), np.zeros((batch, 1))
        )

    def start(self, plays, rows, types, messages) -> None:
        plays.column[rows] = messages[:, 0]
        plays.finished[rows] = False

    def row_mixture(self, action: NDArray[Any]) -> NDArray[np.float64]:
        """The leader's row distribution (batch, rows) for a batch of actions."""
        if not self.mixed:
            return (action[:, None] == np.arange(self.leader_payoffs.shape[0])).astype(np.float64)
        weights = action.astype(np.float64)
        total = weights.sum(axis=1, keepdims=True)
        uniform = np.full_like(weights, 1.0 / weights.shape[1])
        return np.where(total > 0, weights / np.where(total > 0, total, 1.0), uniform)

    def step(self, plays, action) -> NDArray[np.bool_]:
        live = ~plays.finished
        mixture = self.row_mixture(action)
        leader = np.einsum("br,rb->b", mixture, self.leader_payoffs[:, plays.column])
        follower = np.einsum("br,rb->b", mixture, self.follower_payoffs[:, plays.column])
        plays.leader_utility = np.where(live, leader, plays.leader_utility)
        plays.follower_utility[:, 0] = np.where(live, follower, plays.follower_utility[:, 0])
        plays.finished[:] = True
        return plays.finished.copy()

    def observation_fields(self, plays) -> NDArray[np.intp]:
        return np.zeros((plays.column.shape[0], 1), np.intp)  # the constant field

    def utilities(self, plays, rows):
        return plays.leader_utility[rows], plays.follower_utility[rows]

    def describe_observation(self, index: int) -> dict[str, Any]:
        return {"index": index, "meaning": "the only observation (the leader sees a constant)"}
