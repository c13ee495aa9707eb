"""Published optimal leader policies, as policy tables (REFERENCE.md, Brero et al.).

The optimal MSPM mechanisms for two agents, one item and two messages, with types uniform on
3 or 4 values. Each is given by round: for each message profile, which agent is visited first
and at what price, then (if the item is unsold) the price offered to the other agent.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from econ_envs.games.mspm import MSPM
from econ_envs.validation import check_choice

Visit = tuple[int, float]

#: n_types -> {(message of agent 0, message of agent 1): (first visit, second visit or None)}
OPTIMAL_MSPM_ROUNDS: dict[int, dict[tuple[int, int], tuple[Visit, Visit | None]]] = {
    3: {
        (0, 0): ((0, 0.59), (1, 0.01)),
        (0, 1): ((1, 0.64), (0, 0.25)),
        (1, 0): ((0, 0.13), (1, 0.97)),
        (1, 1): ((1, 0.45), (0, 0.00)),
    },
    4: {
        (0, 0): ((1, 0.00), None),
        (0, 1): ((1, 0.01), (0, 1.00)),
        (1, 0): ((0, 0.00), None),
        (1, 1): ((0, 1.00), (1, 0.52)),
    },
}

#: the equilibrium messages by type index, per agent, that the published tables induce
OPTIMAL_MSPM_MESSAGES: dict[int, list[list[int]]] = {
    3: [[0, 1, 1], [0, 0, 1]],
    4: [[0, 1, 1, 1], [0, 0, 1, 1]],
}


def optimal_mspm_table(n_types: int) -> NDArray[np.float32]:
    """The published optimal policy table of ``MSPM-v0`` with ``n_types`` = 3 or 4 (2 messages).

    Observations the published mechanism never reaches get the action all zeros.
    """
    rounds = OPTIMAL_MSPM_ROUNDS[check_choice("n_types", n_types, OPTIMAL_MSPM_ROUNDS)]
    game = MSPM(n_types=n_types)
    table = np.zeros((game.spec.n_observations, *game.spec.action_space.shape), np.float32)
    for index in range(game.spec.n_observations):
        seen = game.describe_observation(index)
        if seen["sold"][0] or all(seen["visited"]):
            continue
        first, second = rounds[tuple(seen["messages"])]
        visit = second if any(seen["visited"]) else first
        if visit is None or seen["visited"][visit[0]]:
            continue
        agent, price = visit
        table[index, agent] = 1.0
        table[index, game.n_agents] = price
    return table
