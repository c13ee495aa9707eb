"""Strong Stackelberg equilibrium of a bimatrix game by the multiple-LPs method.

Conitzer & Sandholm (2006): for every follower action ``j``, the leader's best commitment that
makes ``j`` a follower best response is a linear program over the leader's mixed strategies
``x``: maximize ``x @ L[:, j]`` subject to ``x @ F[:, j] >= x @ F[:, k]`` for every ``k`` and
``x`` in the simplex. The best of these LPs is the strong Stackelberg equilibrium (the follower
breaks ties in the leader's favour); its value is the supremum of what the leader can get when
ties are broken against it. Pure commitment enumerates the rows instead. Solved with
``scipy.optimize.linprog`` (HiGHS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linprog

from econ_envs import game_of


@dataclass(frozen=True)
class StackelbergSolution:
    """A strong Stackelberg equilibrium.

    Attributes:
        value: the leader's utility.
        leader_strategy: the leader's commitment, a distribution over rows.
        follower_action: the follower's (leader-favourable) best response.
    """

    value: float
    leader_strategy: NDArray[np.float64]
    follower_action: int


def strong_stackelberg(
    leader: ArrayLike, follower: ArrayLike, mixed: bool = True, tolerance: float = 1e-9
) -> StackelbergSolution:
    """The strong Stackelberg equilibrium of the game ``(leader, follower)``, both (rows, cols).

    Args:
        leader: the leader's payoffs.
        follower: the follower's payoffs.
        mixed: commit to a mixed strategy (one LP per follower action) or to a row.
        tolerance: payoff tolerance when checking follower best responses (pure commitment).
    """
    lead = np.asarray(leader, dtype=np.float64)
    follow = np.asarray(follower, dtype=np.float64)
    if lead.ndim != 2 or lead.shape != follow.shape:
        raise ValueError(
            f"payoffs must be two matrices of one shape, got {lead.shape}, {follow.shape}"
        )
    return _mixed(lead, follow) if mixed else _pure(lead, follow, tolerance)


def _mixed(lead: NDArray[np.float64], follow: NDArray[np.float64]) -> StackelbergSolution:
    rows, cols = lead.shape
    best: StackelbergSolution | None = None
    for j in range(cols):
        # x @ (F[:, k] - F[:, j]) <= 0 for every k: j is a best response
        result = linprog(
            -lead[:, j],
            A_ub=(follow - follow[:, [j]]).T,
            b_ub=np.zeros(cols),
            A_eq=np.ones((1, rows)),
            b_eq=[1.0],
            bounds=[(0.0, 1.0)] * rows,
            method="highs",
        )
        if result.status != 0:  # j is never a best response
            continue
        value = float(-result.fun)
        if best is None or value > best.value:
            best = StackelbergSolution(value, np.clip(result.x, 0.0, 1.0), j)
    assert best is not None  # some action is always a best response
    return best


def _pure(
    lead: NDArray[np.float64], follow: NDArray[np.float64], tolerance: float
) -> StackelbergSolution:
    best: StackelbergSolution | None = None
    for i in range(lead.shape[0]):
        responses = np.flatnonzero(follow[i] >= follow[i].max() - tolerance)
        j = int(responses[np.argmax(lead[i, responses])])
        if best is None or lead[i, j] > best.value:
            best = StackelbergSolution(float(lead[i, j]), np.eye(lead.shape[0])[i], j)
    assert best is not None
    return best


def normal_form_optimum(
    env_id: str = "econ_envs/NormalForm-v0", **env_kwargs: Any
) -> StackelbergSolution:
    """The strong Stackelberg equilibrium of a ``NormalForm`` env (normalized payoffs; mixed
    commitment when the env is made with ``mixed=True``)."""
    game = game_of(env_id, **env_kwargs)
    return strong_stackelberg(game.leader_payoffs, game.follower_payoffs, mixed=game.mixed)
