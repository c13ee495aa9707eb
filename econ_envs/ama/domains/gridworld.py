"""Gridworld AMA (SPEC §2.2): the mechanism walks a ``size x size`` torus forever.

Start at cell (0, 0); actions up/down/left/right (wrapping); discount ``gamma``. Agent ``i``
wants one cell, uniform among the cells other than the start, with value U[0,1], and receives
that value every time the mechanism moves into the cell. A type is stored as a vector over cells
(the value at the wanted cell, 0 elsewhere), so rewards are linear in types. Removing an agent
sets its value to 0. Objective: revenue.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from econ_envs.ama.domains.base import AMADomain, check_domain_size
from econ_envs.ama.mdp import TabularMDP
from econ_envs.ama.planner import discounted_length
from econ_envs.validation import check_finite, check_int, check_positive_int, check_size

MOVES = ((-1, 0), (1, 0), (0, -1), (0, 1))
MOVE_NAMES = ("up", "down", "left", "right")
MAX_PATH_LENGTH = 5_000  # gamma < 0.9954: the planner rolls paths out until gamma ** t < 1e-10


def gridworld(n_agents: int = 2, size: int = 3, gamma: float = 0.9) -> AMADomain:
    """Build the GridworldAMA domain.

    Args:
        n_agents: number of agents, each wanting one cell.
        size: side of the torus grid (``size >= 2``).
        gamma: discount, ``0 < gamma < 1`` with at most ``MAX_PATH_LENGTH`` planned steps
            until ``gamma ** t`` is negligible (``gamma`` below about 0.9954).
    """
    n = check_positive_int("n_agents", n_agents)
    k = check_int("size", size, 2)
    discount = check_finite("gamma", gamma)
    if not 0.0 < discount < 1.0:
        raise ValueError(f"gamma must be a number with 0 < gamma < 1, got {gamma!r}")
    check_size("planned steps per path", discounted_length(discount), MAX_PATH_LENGTH, gamma=gamma)
    n_cells = k * k
    check_domain_size(n, n_cells, len(MOVES), n_cells, n_agents=n, size=k)
    rows, cols = np.divmod(np.arange(n_cells), k)
    next_state = np.stack([((rows + dr) % k) * k + (cols + dc) % k for dr, dc in MOVES], axis=1)
    entered = np.zeros((n_cells, len(MOVES), n_cells))
    entered[np.arange(n_cells)[:, None], np.arange(len(MOVES))[None, :], next_state] = 1.0
    features = np.broadcast_to(entered, (n, *entered.shape)).copy()
    mdp = TabularMDP(
        next_state, features, np.zeros((n, n_cells, len(MOVES)), dtype=bool), discount, None
    )

    def sampler(rng: np.random.Generator, n_profiles: int) -> np.ndarray:
        targets = rng.integers(1, n_cells, size=(n_profiles, n))
        values = rng.random((n_profiles, n))
        types = np.zeros((n_profiles, n, n_cells))
        np.put_along_axis(types, targets[:, :, None], values[:, :, None], axis=2)
        return types

    def state_name(state: int) -> str:
        row, col = divmod(state, k)
        return f"cell (row {row}, column {col})" + (", the start" if state == 0 else "")

    config = {"n_agents": n, "size": k, "gamma": discount}
    return AMADomain(
        "GridworldAMA",
        MappingProxyType(config),
        mdp,
        sampler,
        "revenue",
        symmetric=True,
        boost_scale=1.0,
        action_names=tuple(f"move {name}" for name in MOVE_NAMES),
        state_name=state_name,
    )
