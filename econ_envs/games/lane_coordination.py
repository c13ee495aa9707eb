"""Lane coordination with an incentive designer (Mguni et al., "Coordinating the crowd",
AAMAS 2019; SPEC §4).

``n_agents`` agents stand on parallel lanes of length 1. Agent ``i``'s type is its start
position ``s_i`` on a grid over ``[0, max_start]``; its message is how far it moves forward,
``u_i`` on a grid over ``[0, max_move]``; its final position is ``x_i = s_i + u_i``. It wants to
be level with the others and dislikes effort:

    r_i = -beta * sum_j (x_i - x_j) ** 2 - delta * u_i + T(x_i),   T(x) = sum_p w_p x ** p,

where ``T`` is the transfer the leader pays on the final position: the leader's one action
``a in [-1, 1]^(P+1)`` sets the coefficients ``w_p = transfer_scale * a_p``. The leader's
utility is the social welfare without transfers, ``sum_i (-beta * sum_j (x_i - x_j) ** 2 -
delta * u_i)``. Perfect coordination (everyone at
``max_start``) is feasible when ``max_move >= max_start``, as by default; boundedly rational
(``"logit"``) followers scatter, and a transfer that rewards the meeting point pulls them
together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray

from econ_envs.games.base import GameSpec, StackelbergGame
from econ_envs.games.observation import ObservationEncoding
from econ_envs.games.product_types import ProductTypes
from econ_envs.validation import (
    FLOAT32_MAX,
    MAX_ENTRIES,
    check_finite,
    check_positive_int,
    check_size,
)

#: the most agents: each is a follower with its own learner, PettingZoo agent and spaces, and
#: the full-information dynamics play ``n_agents * n_moves`` counterfactuals per iteration
MAX_AGENTS = 1_000
#: the highest transfer degree: degree ``P`` already pays any transfer on ``P + 1`` distinct
#: final positions (the default grid has 11), and every play evaluates ``P + 1`` powers per agent
MAX_DEGREE = 100


@dataclass
class LanePlays:
    """Batched play state: start positions, moves, the transfer coefficients applied."""

    start: NDArray[np.float64]  # (B, n)
    move: NDArray[np.float64]  # (B, n)
    coefficients: NDArray[np.float64]  # (B, degree + 1) transfer coefficients w_p
    finished: NDArray[np.bool_]


class LaneCoordination(StackelbergGame):
    """Coordination of ``n_agents`` movers by a polynomial transfer on final positions.

    Args:
        n_agents: number of followers.
        n_positions: start positions (types) per agent, uniform on
            ``linspace(0, max_start, n_positions)``.
        n_moves: moves (messages) per agent, ``linspace(0, max_move, n_moves)``.
        max_start, max_move: ranges of the start positions and moves (their sum must be <= 1,
            the lane length).
        beta: weight of the squared distances to the others.
        delta: cost per unit moved (``beta >> delta``).
        degree: ``P``, the degree of the transfer polynomial (``P + 1`` coefficients).
        transfer_scale: the largest absolute coefficient (action ``a_p = 1``).

    Numbers must be real and finite, counts integers (``TypeError``/``ValueError`` naming the
    keyword); at most :data:`MAX_AGENTS` agents and degree :data:`MAX_DEGREE`,
    ``n_agents * max(n_positions, n_moves, degree + 1)`` is at most
    :data:`~econ_envs.validation.MAX_ENTRIES`, ``transfer_scale`` at most the largest float32
    (it scales the float32 action), and the utility bounds must be finite floats.

    Leader observation: a constant (the transfer is committed before anyone moves). Default
    episode: 100 response iterations, 20 reward plays.
    """

    def __init__(
        self,
        n_agents: int = 5,
        n_positions: int = 6,
        n_moves: int = 6,
        max_start: float = 0.5,
        max_move: float = 0.5,
        beta: float = 1.0,
        delta: float = 0.05,
        degree: int = 2,
        transfer_scale: float = 5.0,
    ):
        self.n_agents = check_positive_int("n_agents", n_agents)
        n_positions = check_positive_int("n_positions", n_positions)
        n_moves = check_positive_int("n_moves", n_moves)
        self.degree = check_positive_int("degree", degree)
        check_size("agents", self.n_agents, MAX_AGENTS, n_agents=self.n_agents)
        check_size("transfer degree", self.degree, MAX_DEGREE, degree=self.degree)
        check_size(
            "one-hot table entries (n_positions ** 2 + n_moves ** 2)",
            n_positions**2 + n_moves**2,
            MAX_ENTRIES,
            n_positions=n_positions,
            n_moves=n_moves,
        )
        check_size(
            "per-play entries (n_agents x max(n_positions, n_moves, degree + 1))",
            self.n_agents * max(n_positions, n_moves, self.degree + 1),
            MAX_ENTRIES,
            n_agents=self.n_agents,
            n_positions=n_positions,
            n_moves=n_moves,
            degree=self.degree,
        )
        values = {
            name: check_finite(name, value)
            for name, value in {
                "max_start": max_start,
                "max_move": max_move,
                "beta": beta,
                "delta": delta,
                "transfer_scale": transfer_scale,
            }.items()
        }
        if min(values.values()) < 0 or values["max_start"] + values["max_move"] > 1:
            raise ValueError(
                f"need non-negative parameters and max_start + max_move <= 1, got {values}"
            )
        self.beta, self.delta = values["beta"], values["delta"]
        self.starts = np.linspace(0.0, values["max_start"], n_positions)
        self.moves = np.linspace(0.0, values["max_move"], n_moves)
        n, c = self.n_agents, values["transfer_scale"]
        if c > FLOAT32_MAX:
            raise ValueError(
                f"transfer_scale must be at most {FLOAT32_MAX:.8g} (the largest float32: it "
                f"scales the float32 action), got {transfer_scale!r}"
            )
        self.transfer_scale = c
        self.types = ProductTypes([np.full(n_positions, 1.0 / n_positions)] * n)
        self.observation_encoding = ObservationEncoding.constant()  # the leader sees nothing
        spread = self.beta * (n - 1) * (values["max_start"] + values["max_move"]) ** 2
        effort = self.delta * values["max_move"]
        transfer = c * (self.degree + 1)
        if not np.isfinite(-n * (spread + effort) - transfer):
            raise ValueError(
                f"beta={beta!r}, delta={delta!r}, transfer_scale={transfer_scale!r} give "
                f"utilities beyond the float range; choose smaller values"
            )
        self.spec = GameSpec(
            name="LaneCoordination",
            n_types=(n_positions,) * n,
            n_messages=(n_moves,) * n,
            horizon=1,
            observation_space=gym.spaces.Box(0.0, 1.0, (1,), np.float32),
            action_space=gym.spaces.Box(-1.0, 1.0, (self.degree + 1,), np.float32),
            n_observations=self.observation_encoding.n_observations,
            leader_utility_range=(-n * (spread + effort), 0.0),
            follower_utility_range=(-spread - effort - transfer, transfer),
            optimal_value=None,
            response_iterations=100,
            reward_plays=20,
            keywords={"n_agents": n, "n_positions": n_positions, "n_moves": n_moves},
            action_meanings=tuple(
                f"a_{p}: coefficient of x ** {p} in the transfer, w_{p} = transfer_scale * a_{p}"
                for p in range(self.degree + 1)
            ),
        )

    def new_plays(self, batch: int) -> LanePlays:
        n = self.n_agents
        return LanePlays(
            np.zeros((batch, n)),
            np.zeros((batch, n)),
            np.zeros((batch, self.degree + 1)),
            np.zeros(batch, bool),
        )

    def start(self, plays, rows, types, messages) -> None:
        plays.start[rows] = self.starts[types]
        plays.move[rows] = self.moves[messages]
        plays.coefficients[rows] = 0.0
        plays.finished[rows] = False

    def step(self, plays, action) -> NDArray[np.bool_]:
        live = ~plays.finished
        plays.coefficients[live] = self.transfer_scale * action[live]
        plays.finished[:] = True
        return plays.finished.copy()

    def costs(self, plays, rows) -> NDArray[np.float64]:
        """Each agent's utility without transfers, (k, n): ``-beta * sum_j (x_i - x_j)^2 -
        delta * u_i`` (the sum over ``j`` computed from the first two moments, O(n))."""
        x = plays.start[rows] + plays.move[rows]
        n = self.n_agents
        spread = n * x**2 - 2 * x * x.sum(axis=1, keepdims=True) + (x**2).sum(axis=1, keepdims=True)
        return -self.beta * np.maximum(spread, 0.0) - self.delta * plays.move[rows]

    def utilities(self, plays, rows):
        own = self.costs(plays, rows)
        x = plays.start[rows] + plays.move[rows]
        powers = x[..., None] ** np.arange(self.degree + 1)
        transfer = powers @ plays.coefficients[rows][..., None]
        return own.sum(axis=1), own + transfer[..., 0]

    def observation_fields(self, plays) -> NDArray[np.intp]:
        return np.zeros((plays.start.shape[0], 1), np.intp)  # the constant field

    def describe_observation(self, index: int) -> dict[str, Any]:
        return {"index": index, "meaning": "the only observation (transfer committed in advance)"}
