"""The best leader policy table of a small game, by search with the exact evaluator.

A table is assembled from *blocks*: each block is a set of rows of the table and a list of
candidate assignments of actions to those rows (for MSPM, one block per message profile: which
agent to visit first, at which price, and the price for the other agent). The search scores a
table by :func:`econ_envs.policy_table.evaluate_table_seeds` (the follower dynamics of the env run
against the table, then the leader's exact expected utility and the followers' exact regret):
exhaustively over every combination when there are few, else by coordinate ascent over blocks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ_envs import describe_observations, evaluate_table_seeds, game_of

#: default MSPM price grid: 0, 0.1, ..., 1
PRICE_GRID = tuple(round(0.1 * k, 1) for k in range(11))

#: one candidate of a block: the table rows it sets and their actions
Assignment = tuple[NDArray[np.intp], NDArray[Any]]
#: a table's exact (value, regret)
Score = tuple[float, float]


@dataclass(frozen=True)
class TableSearchResult:
    """The best table found.

    Attributes:
        table: the policy table.
        value: its exact leader value, averaged over the evaluator seeds.
        regret: its exact follower regret, the largest over the seeds.
        evaluations: tables evaluated by the search.
        exhaustive: whether every combination was evaluated (then ``value`` is the optimum
            over the candidates).
    """

    table: NDArray[Any]
    value: float
    regret: float
    evaluations: int
    exhaustive: bool


def best_table(
    env_id: str,
    base: ArrayLike,
    blocks: Sequence[Sequence[Assignment]],
    *,
    seeds: Sequence[int] = (0,),
    exhaustive_limit: int = 4096,
    max_sweeps: int = 10,
    **env_kwargs: Any,
) -> TableSearchResult:
    """Best table of ``env_id`` over ``base`` with one candidate of every block applied.

    Tables are ranked by exact value (mean over ``seeds``), then by lower regret. With at most
    ``exhaustive_limit`` combinations every one is evaluated; otherwise coordinate ascent
    starts from every block's first candidate and sweeps the blocks until nothing improves
    (or ``max_sweeps``).
    """
    base_table = np.array(base)
    count = 0

    def score(choice: Sequence[int]) -> Score:
        nonlocal count
        count += 1
        table = assemble(base_table, blocks, choice)
        results = evaluate_table_seeds(env_id, table, seeds=tuple(seeds), **env_kwargs)
        return float(np.mean([r.value for r in results])), max(r.regret for r in results)

    def key(result: Score) -> tuple[float, float]:
        return round(result[0], 12), -result[1]

    sizes = [len(b) for b in blocks]
    exhaustive = bool(np.prod(sizes) <= exhaustive_limit)
    if exhaustive:
        choices = itertools.product(*(range(s) for s in sizes))
        best_choice, best = max(((c, score(c)) for c in choices), key=lambda cs: key(cs[1]))
    else:
        best_choice, best = coordinate_ascent(sizes, score, key, max_sweeps)
    table = assemble(base_table, blocks, best_choice)
    return TableSearchResult(table, best[0], best[1], count, exhaustive)


def coordinate_ascent(
    sizes: Sequence[int],
    score: Callable[[Sequence[int]], Score],
    key: Callable[[Score], Any],
    max_sweeps: int,
    stop: Callable[[Score], bool] = lambda best: False,
) -> tuple[tuple[int, ...], Score]:
    """The best choice (one candidate index per block) found by coordinate ascent from every
    block's first candidate: sweep the blocks, keeping any candidate whose ``score`` has a
    higher ``key``, until a sweep improves nothing, ``max_sweeps`` sweeps, or ``stop(best)``
    (asked after every score)."""
    choice = [0] * len(sizes)
    best = score(choice)
    for _ in range(max_sweeps):
        improved = False
        for block, size in enumerate(sizes):
            for candidate in range(size):
                if stop(best):
                    return tuple(choice), best
                if candidate == choice[block]:
                    continue
                trial = [*choice[:block], candidate, *choice[block + 1 :]]
                result = score(trial)
                if key(result) > key(best):
                    choice, best, improved = trial, result, True
        if not improved:
            break
    return tuple(choice), best


def assemble(base: NDArray[Any], blocks, choice: Sequence[int]) -> NDArray[Any]:
    """``base`` with the chosen candidate of every block written into it."""
    table = base.copy()
    for candidates, index in zip(blocks, choice, strict=True):
        rows, actions = candidates[index]
        table[rows] = actions
    return table


def best_message_allocation_table(
    env_id: str = "econ_envs/MessageAllocation-v0", seeds: Sequence[int] = (0,), **env_kwargs: Any
) -> TableSearchResult:
    """The best MessageAllocation table over every message -> item map (exhaustive)."""
    spec = game_of(env_id, **env_kwargs).spec
    items = spec.action_space.n
    blocks = [
        [(np.array([row]), np.array([item])) for item in range(items)]
        for row in range(spec.n_observations)
    ]
    base = np.zeros(spec.n_observations, np.int64)
    return best_table(
        env_id,
        base,
        blocks,
        seeds=seeds,
        exhaustive_limit=items**spec.n_observations,
        **env_kwargs,
    )


class MSPMCells:
    """The rows of a two-agent, one-item MSPM table, by message profile (a *cell*): the leader
    visits one agent first at one price, then, if the item is unsold, the other at another.

    Raises:
        ValueError: ``env_id`` with ``env_kwargs`` is not such an MSPM.
    """

    def __init__(self, env_id: str, **env_kwargs: Any):
        game = game_of(env_id, **env_kwargs)
        spec = game.spec
        # one item: the action is one visiting score per agent and one price
        if spec.name != "MSPM" or spec.n_followers != 2 or spec.action_space.shape != (3,):
            raise ValueError(
                f"the MSPM table search handles MSPM with two agents and one item, got "
                f"{spec.name} with {spec.n_followers} followers and action space "
                f"{spec.action_space}"
            )
        self.game = game
        self.n_observations = spec.n_observations
        rows = describe_observations(env_id, **env_kwargs)
        self._row = {
            (tuple(r["messages"]), tuple(r["visited"])): r["index"]
            for r in rows
            if not r["sold"][0]
        }
        #: every message profile, in order
        self.profiles = sorted({messages for messages, _ in self._row})

    def assignment(
        self, messages: tuple[int, ...], first: int, price: float, later_price: float
    ) -> Assignment:
        """The rows of cell ``messages`` and their actions: visit agent ``first`` at ``price``,
        then the other agent at ``later_price``."""
        start = self._row[(messages, (False, False))]
        later = self._row[(messages, (first == 0, first == 1))]
        opening, second = np.zeros(3, np.float32), np.zeros(3, np.float32)
        opening[first], opening[2] = 1.0, price
        second[1 - first], second[2] = 1.0, later_price
        return np.array([start, later]), np.stack([opening, second])

    def empty_table(self) -> NDArray[np.float32]:
        """A table of zeros (rows no cell sets are never reached with the item unsold)."""
        return np.zeros((self.n_observations, 3), np.float32)


def best_mspm_table(
    env_id: str = "econ_envs/MSPM-v0",
    prices: ArrayLike = PRICE_GRID,
    seeds: Sequence[int] = (0,),
    max_sweeps: int = 10,
    **env_kwargs: Any,
) -> TableSearchResult:
    """The best table of a two-agent, one-item MSPM over a price grid (coordinate ascent).

    One block per message profile: the agent visited first, its price, and the price offered
    to the other agent if the item is still unsold; every price from ``prices``.
    """
    cells = MSPMCells(env_id, **env_kwargs)
    grid = np.asarray(prices, dtype=np.float32)
    blocks = [
        [cells.assignment(messages, *option) for option in itertools.product((0, 1), grid, grid)]
        for messages in cells.profiles
    ]
    return best_table(
        env_id,
        cells.empty_table(),
        blocks,
        seeds=seeds,
        exhaustive_limit=0,
        max_sweeps=max_sweeps,
        **env_kwargs,
    )
