"""Message sequential price mechanism (MSPM): followers send messages, then the leader visits
agents one at a time and posts a price for every unsold item."""

from __future__ import annotations

import itertools
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ_envs.games.base import GameSpec, StackelbergGame, mixed_radix
from econ_envs.games.types import MAX_PROFILES, MAX_TABLE_FOLLOWERS, TypeDistribution
from econ_envs.rows import gather, row_selection
from econ_envs.validation import (
    FLOAT32_MAX,
    MAX_ENTRIES,
    check_choice,
    check_finite,
    check_positive_int,
    check_real_array,
    check_size,
    power,
)

OBJECTIVES = ("welfare_loss", "welfare", "revenue")
#: the largest ``max_price``: the largest float32, so the action space's bound stays finite
MAX_PRICE = FLOAT32_MAX

# constants as 0-d arrays: numpy applies them faster than Python floats, which it converts
_ZERO, _ONE = np.array(0.0), np.array(1.0)

#: the published example of Agrawal et al., values scaled by 1/2.5 (SPEC §1.4)
PRESETS: dict[str, dict[str, Any]] = {
    "agrawal": {
        "n_agents": 2,
        "n_items": 1,
        "n_messages": 2,
        "type_values": [[0.2, 1.0], [0.0, 0.4]],
        "type_probs": [[0.8, 0.2], [0.5, 0.5]],
    },
}

#: exact optima on the uniform grid, by (n_agents, n_items, n_types, n_messages, objective):
#: welfare loss 0 is published (REFERENCE.md); the revenue value 5/9 is the optimal-auction LP
#: (``baselines.oracles.revenue_lp``), attained by posting price 1 to each agent in turn
KNOWN_OPTIMA: dict[tuple[int, int, int, int, str], float] = {
    (2, 1, 3, 2, "welfare_loss"): 0.0,
    (2, 1, 4, 2, "welfare_loss"): 0.0,
    # welfare loss is at most 0; the published method reached 0 in 4% (5 types, 2 messages)
    # and 40% (5 types, 3 messages) of its runs, so 0 is the optimum of both settings
    (2, 1, 5, 2, "welfare_loss"): 0.0,
    (2, 1, 5, 3, "welfare_loss"): 0.0,
    (2, 1, 3, 3, "revenue"): 5 / 9,
}


def _check_preset(preset: str, fixed: dict[str, Any], **given: Any) -> None:
    """Refuse keywords that a preset fixes unless they repeat its values: ``n_agents``,
    ``n_items`` and ``n_messages`` may only be the preset's own (the defaults are), the type
    keywords must be left out."""
    for key, value in given.items():
        own = fixed.get(key) if key in ("n_agents", "n_items", "n_messages") else None
        is_int = isinstance(value, int | np.integer) and not isinstance(value, bool)
        same = value is None if own is None else is_int and value == own
        if not same:
            allowed = "left out" if own is None else f"{own} (or left out)"
            raise ValueError(
                f"preset={preset!r} fixes {key}: it must be {allowed}, got {key}={value!r}"
            )


class MSPMPlays:
    """Batched play state of MSPM (leading axis: the batch of ``batch`` plays).

    Laid out for few numpy calls per step, the cost that dominates at small batch sizes: the
    leader's observation is kept as state (one-hot messages, then the visited and sold flags as
    0/1 floats), so observing is one cast, and the running totals follow it in the same array,
    so one addition records a step and one write clears a play; every float is float64 (numpy
    buffers and casts operands of mixed dtypes).
    """

    def __init__(self, batch: int, n: int, m: int, n_messages: int):
        #: the type profile's first row in the game's per-agent tables (profile * n_agents)
        self.profile_row: NDArray[np.intp] = np.zeros(batch, np.intp)
        flags = n * n_messages  # where the visited and sold flags start
        totals = flags + n + m  # where the totals start
        #: the observation, then the totals: follower utilities, welfare, revenue
        self.board: NDArray[np.float64] = np.zeros((batch, totals + n + 2))
        self.observation = self.board[:, :totals]
        #: each agent's one-hot message (a view of the observation)
        self.messages = self.observation[:, :flags].reshape(batch, n, n_messages)
        self.visited = self.board[:, flags : flags + n]
        self.sold = self.board[:, flags + n : totals]
        self.totals = self.board[:, totals:]
        #: what one step adds to: the visited and sold flags and the totals
        self.tallies = self.board[:, flags:]
        self.agents_left: NDArray[np.float64] = np.zeros((batch, 1))  # a column, like ``live``
        #: 1 per item still for sale (unsold, in a live play)
        self.for_sale: NDArray[np.float64] = np.zeros((batch, m))
        #: 1.0 while the play is live, as a column (multiplies the visited agent's one-hot row)
        self.live: NDArray[np.float64] = np.zeros((batch, 1))


class MSPM(StackelbergGame):
    """Message sequential price mechanism with additive values (SPEC §1.4).

    Round 0: every follower sends a message. Then at each leader step the leader picks an
    unvisited agent (the highest of its scores among unvisited agents, ties to the lowest index)
    and posts a price for every unsold item; the agent buys every unsold item with
    value - price >= 0 and pays the prices. The play ends when every agent has been visited or
    every item is sold.

    Args:
        n_agents: number of followers.
        n_items: number of items (additive values, one value per item).
        n_types: values per item, each uniform on ``linspace(0, 1, n_types)``; an agent's type is
            its vector of item values, so it has ``n_types ** n_items`` types. Default 3.
        n_messages: messages per agent.
        objective: ``"welfare_loss"`` (welfare minus the best welfare for the drawn types, <= 0;
            the published objective), ``"welfare"`` or ``"revenue"``.
        max_price: upper bound of posted prices, in ``(0, MAX_PRICE]`` (the largest float32).
        type_values: optional explicit values, shape (n_agents, K) for one item or
            (n_agents, K, n_items); replaces the uniform grid.
        type_probs: optional per-agent type marginals; ``joint_type_probs``: a joint table.
        preset: ``"agrawal"``: the published 2-agent, 1-item, 2-message example. A preset
            fixes the agents, items, messages and types: ``n_agents``, ``n_items`` and
            ``n_messages`` may only repeat its values, and ``n_types``, ``type_values``,
            ``type_probs``, ``joint_type_probs`` must be left out (else ``ValueError``);
            ``objective`` and ``max_price`` remain free.

    Sizes are checked before anything is built: at most
    :data:`~econ_envs.games.types.MAX_TABLE_FOLLOWERS` agents,
    :data:`~econ_envs.games.types.MAX_PROFILES` type profiles (``K ** n_agents``, ``K`` the
    types per agent), at most :data:`~econ_envs.validation.MAX_ENTRIES` item-value entries
    (``K ** n_agents * n_agents * n_items``) and ``n_messages ** 2`` one-hot entries.

    Leader observation: one-hot messages of every agent, which agents are visited, which items
    are sold. Leader action: one score per agent in [0, 1], then one price per item in
    [0, max_price]. Default episode: 250 response iterations, 100 reward plays.
    """

    def __init__(
        self,
        n_agents: int = 2,
        n_items: int = 1,
        n_types: int | None = None,
        n_messages: int = 2,
        objective: str = "welfare_loss",
        max_price: float = 1.0,
        type_values: ArrayLike | None = None,
        type_probs: ArrayLike | None = None,
        joint_type_probs: ArrayLike | None = None,
        preset: str | None = None,
    ):
        if preset is not None:
            fixed = PRESETS[check_choice("preset", preset, PRESETS)]
            _check_preset(
                preset,
                fixed,
                n_agents=n_agents,
                n_items=n_items,
                n_messages=n_messages,
                n_types=n_types,
                type_values=type_values,
                type_probs=type_probs,
                joint_type_probs=joint_type_probs,
            )
            type_values, type_probs = fixed["type_values"], fixed["type_probs"]
        self.n_agents = check_positive_int("n_agents", n_agents)
        self.n_items = check_positive_int("n_items", n_items)
        self.n_messages = check_positive_int("n_messages", n_messages)
        self.objective = check_choice("objective", objective, OBJECTIVES)
        self.max_price = check_finite("max_price", max_price)
        if not 0 < self.max_price <= MAX_PRICE:
            raise ValueError(
                f"max_price must be > 0 and at most {MAX_PRICE:.8g} (the largest float32, the "
                f"action's dtype), got {max_price!r}"
            )
        check_size(
            "message one-hot entries (n_messages ** 2)",
            self.n_messages**2,
            MAX_ENTRIES,
            n_messages=self.n_messages,
        )
        self.type_values = self._type_values(n_types, type_values)
        n_type = self.type_values.shape[1]
        self.types = TypeDistribution((n_type,) * self.n_agents, type_probs, joint_type_probs)
        self._agents = np.arange(self.n_agents)
        self._agent_one_hot = np.eye(self.n_agents)
        #: row i is the one-hot of message i (gathering rows is cheaper than comparing)
        self._message_one_hot = np.eye(self.n_messages)
        self._fresh_board = np.zeros_like(self.new_plays(1).board[0])  # a cleared play
        self._ones_per_item = np.ones((self.n_items, 1))
        self._n_agents_float = np.array(float(self.n_agents))
        #: per type profile (the rows of ``types.profiles``), one row per agent: its item values
        #: and what the leader's utility is measured from (the profile's best welfare for the
        #: welfare loss, else 0); a play keeps only its profile's first row
        profile_values = self.type_values[self._agents, self.types.profiles]
        self._agent_values = profile_values.reshape(-1, self.n_items)
        baseline = profile_values.max(axis=1).sum(axis=1)
        if self.objective != "welfare_loss":
            baseline = np.zeros_like(baseline)
        self._agent_baseline = baseline.repeat(self.n_agents)
        self._profile_row_weights = self.types.profile_weights * self.n_agents
        #: the totals column the leader is paid (minus the baseline column)
        self._leader_column = self.n_agents + (1 if self.objective == "revenue" else 0)
        self._visit_bits = 2 ** np.arange(self.n_agents)
        self._sold_bits = 2 ** np.arange(self.n_items)
        top = float(self.type_values.max())
        n, m = self.n_agents, self.n_items
        leader_range = {
            "welfare_loss": (-m * top, 0.0),
            "welfare": (0.0, m * top),
            "revenue": (0.0, m * min(top, self.max_price)),
        }[self.objective]
        setting = (n, m, n_types or 3, self.n_messages, self.objective)
        on_grid = type_values is None and preset is None and joint_type_probs is None
        optimum = KNOWN_OPTIMA.get(setting) if on_grid and type_probs is None else None
        types_from: dict[str, Any] = (
            {"preset": preset}
            if preset is not None
            else {"n_types": n_type}
            if type_values is None
            else {"type_values.shape": self.type_values.shape}
        )
        self.spec = GameSpec(
            name="MSPM",
            n_types=(n_type,) * n,
            n_messages=(self.n_messages,) * n,
            horizon=n,
            observation_space=gym.spaces.Box(0.0, 1.0, (n * self.n_messages + n + m,), np.float32),
            action_space=gym.spaces.Box(
                np.array([0.0] * n + [0.0] * m, np.float32),
                np.array([1.0] * n + [self.max_price] * m, np.float32),
            ),
            n_observations=self.n_messages**n * 2 ** (n + m),
            leader_utility_range=leader_range,
            follower_utility_range=(0.0, m * top),
            optimal_value=optimum,
            response_iterations=250,
            reward_plays=100,
            keywords={"n_agents": n, "n_items": m, **types_from, "n_messages": self.n_messages},
        )

    def _type_values(self, n_types: int | None, type_values: ArrayLike | None) -> NDArray:
        if type_values is not None:
            if n_types is not None:
                raise ValueError("give either n_types (uniform grid) or type_values, not both")
            table = check_real_array("type_values", type_values)
            if table.ndim == 2:
                table = table[:, :, None]
            if table.ndim != 3 or table.shape[0] != self.n_agents or table.shape[2] != self.n_items:
                raise ValueError(
                    f"type_values must have shape (n_agents={self.n_agents}, K) or "
                    f"(n_agents, K, n_items={self.n_items}), got {np.shape(type_values)}"
                )
            if not np.isfinite(table).all() or (table < 0).any():
                raise ValueError("type_values must be finite and non-negative")
            self._check_types_size(table.shape[1], **{"type_values.shape": table.shape})
            return table
        n_grid = check_positive_int("n_types", 3 if n_types is None else n_types)
        self._check_types_size(power(n_grid, self.n_items), n_types=n_grid)
        grid = np.linspace(0.0, 1.0, n_grid)
        per_agent = np.array(list(itertools.product(grid, repeat=self.n_items)))
        return np.broadcast_to(per_agent, (self.n_agents, *per_agent.shape)).copy()

    def _check_types_size(self, per_agent: float, **keywords: Any) -> None:
        """Refuse more than :data:`MAX_PROFILES` type profiles, or per-profile tables of item
        values over :data:`MAX_ENTRIES`, before building any (``per_agent``: types per agent)."""
        sizes = {"n_agents": self.n_agents, "n_items": self.n_items, **keywords}
        check_size(
            "followers (axes of the joint type table)",
            self.n_agents,
            MAX_TABLE_FOLLOWERS,
            **sizes,
        )
        profiles = power(per_agent, self.n_agents)
        check_size("type profiles", profiles, MAX_PROFILES, **sizes)
        entries = profiles * self.n_agents * self.n_items
        check_size("type-value entries (profiles x agents x items)", entries, MAX_ENTRIES, **sizes)

    def new_plays(self, batch: int) -> MSPMPlays:
        return MSPMPlays(batch, self.n_agents, self.n_items, self.n_messages)

    def start(self, plays, rows, types, messages) -> None:
        at = row_selection(rows, len(plays.live))
        plays.profile_row[at] = types.dot(self._profile_row_weights)
        plays.board[at] = self._fresh_board
        plays.messages[at] = self._message_one_hot.take(messages, axis=0)
        plays.agents_left[at] = self._n_agents_float
        plays.for_sale[at] = _ONE
        plays.live[at] = _ONE

    def step(self, plays, action) -> NDArray[np.bool_]:
        n = self.n_agents
        action = action.astype(np.float64)
        visited, live = plays.visited, plays.live
        # visited agents score below -1, unvisited ones in [0, 1]: the argmax is unvisited
        agent = (action[:, :n] - visited - visited).argmax(axis=1)
        values = self._agent_values.take(plays.profile_row + agent, axis=0)
        visit = self._agent_one_hot.take(agent, axis=0) * live
        prices = action[:, n:]
        buys = np.heaviside(values - prices, _ONE) * plays.for_sale  # value >= price, for sale
        gain = np.add.reduce(buys * values, axis=1, keepdims=True)  # columns, as totals' parts
        paid = np.add.reduce(buys * prices, axis=1, keepdims=True)
        plays.tallies += np.concatenate([visit, buys, visit * (gain - paid), gain, paid], axis=1)
        for_sale = plays.for_sale - buys
        plays.agents_left = plays.agents_left - live
        # agents left x items left (counted by a dot product: exact in any summation order)
        left = plays.agents_left * for_sale.dot(self._ones_per_item)
        plays.live = live = np.minimum(left, _ONE)
        plays.for_sale = for_sale * live
        return (left == _ZERO).reshape(-1)

    def observe(self, plays) -> NDArray[np.float32]:
        return plays.observation.astype(np.float32)

    def observation_index(self, plays) -> NDArray[np.intp]:
        message_index = mixed_radix(plays.messages.argmax(axis=2), self.spec.n_messages)
        visited_index = plays.visited.astype(np.intp) @ self._visit_bits
        sold_index = plays.sold.astype(np.intp) @ self._sold_bits
        return (
            (message_index << (self.n_agents + self.n_items))
            + (visited_index << self.n_items)
            + sold_index
        )

    def utilities(self, plays, rows):
        n = self.n_agents
        totals = plays.totals.take(rows, axis=0)
        baseline = self._agent_baseline.take(gather(plays.profile_row, rows))
        return totals[:, self._leader_column] - baseline, totals[:, :n]

    def observation_vectors(self) -> NDArray[np.float32]:
        rows = [self.describe_observation(i) for i in range(self.spec.n_observations)]
        plays = self.new_plays(len(rows))
        messages = np.array([row["messages"] for row in rows])
        self.start(plays, np.arange(len(rows)), np.zeros_like(messages), messages)
        plays.visited[:] = [row["visited"] for row in rows]
        plays.sold[:] = [row["sold"] for row in rows]
        return self.observe(plays)

    def describe_observation(self, index: int) -> dict[str, Any]:
        n, m = self.n_agents, self.n_items
        sold = [bool(index >> j & 1) for j in range(m)]
        visited = [bool(index >> (m + i) & 1) for i in range(n)]
        message_index = index >> (n + m)
        messages = np.unravel_index(message_index, self.spec.n_messages)
        return {
            "index": index,
            "messages": [int(x) for x in messages],
            "visited": visited,
            "sold": sold,
            "reachable": not (all(visited) or all(sold)),
        }
