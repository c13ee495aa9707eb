"""A welfare-loss-0 table of two-agent, one-item MSPM, by exact search over efficient cells.

Welfare loss 0 needs the efficient allocation for every type profile. In a message cell (agent
0's types that send one message x agent 1's types that send another), the leader visits agent
``f`` at price ``p`` and then the other at price ``q``: ``f`` buys iff its value >= ``p``, else
the other buys iff its value >= ``q``. That allocates efficiently for every type pair of the cell
only for some orders and prices. The search:

1. splits each agent's types, ordered by value, into ``n_messages`` contiguous groups (every
   pair of splits, in a random order; group ``k`` is meant to send message ``k``);
2. keeps in every cell the options ``(f, p, q)`` on a price grid that allocate efficiently for all
   of the cell's type pairs (a split with a cell that has none cannot reach loss 0);
3. from a random option per cell, runs coordinate ascent over the cells (over a random sample of
   each cell's options), each table scored by the exact evaluator on the evaluation seeds (the
   env's follower dynamics, then the exact value and follower regret), tables whose followers
   are in equilibrium on every seed ranked first;

until a table within ``tolerance`` of loss 0 with follower regret 0 is found, or the budget is
spent: ``max_evaluations`` tables scored (deterministic: the same tables for the same ``seed``)
and/or ``time_limit`` seconds of wall clock.
The groups only choose the prices: what the followers send is what their dynamics learn, and the
evaluator judges the table. This is an oracle (exact search with the game's structure), not a
learning method: it certifies that the optimum exists and what it looks like.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from baselines.oracles.table_search import (
    Assignment,
    MSPMCells,
    Score,
    TableSearchResult,
    assemble,
    coordinate_ascent,
)
from econ_envs import TRAINING_SEEDS, evaluate_table_seeds

#: the seeds a table is searched on: the first ten training seeds (each ascent step scores a table
#: on all of them; the boards score on the official seeds)
EVAL_SEEDS = TRAINING_SEEDS[:10]
#: the follower regret under which followers count as in equilibrium (as in training)
REGRET_TOLERANCE = 1e-9
#: the welfare loss within which a table counts as optimal (the MSPM preset's)
TOLERANCE = 0.005


def zero_loss_mspm_table(
    env_id: str = "econ_envs/MSPM-v0",
    *,
    seed: int = 0,
    time_limit: float | None = 600.0,
    max_evaluations: int | None = None,
    price_step: float = 0.05,
    seeds: Sequence[int] = EVAL_SEEDS,
    tolerance: float = TOLERANCE,
    max_sweeps: int = 6,
    max_options: int = 120,
    **env_kwargs: Any,
) -> TableSearchResult:
    """Search for a table of welfare loss 0 (within ``tolerance``) with follower regret 0 on
    every one of ``seeds``; return the best table found within the budget (the first optimal
    one, if any), with its worst seed's value and regret. ``seed`` seeds the random order of the
    splits, the random starts and the ``max_options`` options of each cell that one ascent tries
    (a random sample of them).

    The budget: at most ``max_evaluations`` tables scored (``None``: no such bound), which
    makes the search and its result depend on ``seed`` only, and at most ``time_limit`` seconds
    of wall clock (``None``: no such bound; the table under evaluation is finished first).
    At least one of the two must be given.

    Raises:
        ValueError: not a two-agent, one-item MSPM with the welfare-loss objective, or a bad
            search parameter (named in the message).
    """
    if not 0.0 < price_step <= 1.0:
        raise ValueError(f"price_step must be in (0, 1], got {price_step!r}")
    for name, count in (("max_sweeps", max_sweeps), ("max_options", max_options)):
        if count < 1:
            raise ValueError(f"{name} must be >= 1, got {count!r}")
    if time_limit is not None and not time_limit >= 0.0:
        raise ValueError(f"time_limit must be >= 0 seconds or None, got {time_limit!r}")
    if max_evaluations is not None and (
        isinstance(max_evaluations, bool)
        or not isinstance(max_evaluations, int | np.integer)
        or max_evaluations < 1
    ):
        raise ValueError(
            f"max_evaluations must be an integer >= 1 or None, got {max_evaluations!r}"
        )
    if time_limit is None and max_evaluations is None:
        raise ValueError("time_limit and max_evaluations are both None: give at least one bound")
    cells = MSPMCells(env_id, **env_kwargs)
    if cells.game.objective != "welfare_loss":
        raise ValueError(f"objective must be 'welfare_loss', got {cells.game.objective!r}")
    values = cells.game.type_values[:, :, 0]  # (agent, type): the value of the one item
    # the table holds float32 prices: check efficiency at the prices the env will post
    prices = np.round(np.arange(0.0, 1.0 + price_step / 2, price_step), 9).astype(np.float32)
    rng = np.random.default_rng(seed)
    deadline = None if time_limit is None else time.monotonic() + time_limit
    evaluations = 0
    best: TableSearchResult | None = None

    def score(table: NDArray[np.float32]) -> Score:
        nonlocal evaluations
        evaluations += 1
        results = evaluate_table_seeds(env_id, table, seeds=tuple(seeds), **env_kwargs)
        return min(r.value for r in results), max(r.regret for r in results)

    def verified_first(result: Score) -> tuple[bool, float]:
        return result[1] <= REGRET_TOLERANCE, round(result[0], 12)

    def optimal(result: Score) -> bool:
        return result[1] <= REGRET_TOLERANCE and result[0] >= -tolerance

    def spent() -> bool:
        return (max_evaluations is not None and evaluations >= max_evaluations) or (
            deadline is not None and time.monotonic() >= deadline
        )

    splits = list(itertools.product(*(_splits(v, cells.game.n_messages) for v in values)))
    while best is None or not spent():  # at least one table, however short
        for which in rng.permutation(len(splits)):
            blocks = _efficient_blocks(cells, values, splits[which], prices, max_options, rng)
            if blocks is None:
                continue
            base = cells.empty_table()
            choice, result = coordinate_ascent(
                [len(b) for b in blocks],
                lambda c, blocks=blocks, base=base: score(assemble(base, blocks, c)),
                verified_first,
                max_sweeps,
                stop=lambda result: optimal(result) or spent(),
            )
            if best is None or verified_first(result) > verified_first((best.value, best.regret)):
                table = assemble(base, blocks, choice)
                best = TableSearchResult(table, result[0], result[1], evaluations, False)
            if optimal(result) or spent():
                return _counted(best, evaluations)
        if best is None:
            raise ValueError(
                f"no split of the types into {cells.game.n_messages} message groups allocates "
                f"efficiently in every cell at price step {price_step}"
            )
    return _counted(best, evaluations)


def _splits(values: NDArray[np.float64], n_groups: int) -> Iterator[list[NDArray[np.intp]]]:
    """Every split of the types (ordered by ``values``) into ``n_groups`` contiguous groups."""
    order = np.argsort(values, kind="stable")
    for cuts in itertools.combinations(range(1, len(order)), n_groups - 1):
        yield np.split(order, cuts)


def _efficient_blocks(
    cells: MSPMCells,
    values: NDArray[np.float64],
    groups: tuple[list[NDArray[np.intp]], ...],
    prices: NDArray[np.float32],
    max_options: int,
    rng: np.random.Generator,
) -> list[list[Assignment]] | None:
    """Per cell, up to ``max_options`` of its efficient options, drawn at random, as
    assignments (each block's first candidate is a random start); ``None`` if a cell has none."""
    blocks = []
    for messages in cells.profiles:
        cell_values = [values[agent, groups[agent][m]] for agent, m in enumerate(messages)]
        options = [
            (first, float(p), float(q))
            for first, p, q in itertools.product((0, 1), prices, prices)
            if _efficient(cell_values[first], cell_values[1 - first], p, q)
        ]
        if not options:
            return None
        order = rng.permutation(len(options))[:max_options]
        blocks.append([cells.assignment(messages, *options[i]) for i in order])
    return blocks


def _efficient(first: NDArray[np.float64], other: NDArray[np.float64], p: float, q: float) -> bool:
    """Whether visiting the agent with values ``first`` at ``p``, then the other at ``q``,
    achieves the best welfare for every pair of their values."""
    a, b = first[:, None], other[None, :]
    welfare = np.where(a >= p, a, np.where(b >= q, b, 0.0))
    return bool(np.all(welfare >= np.maximum(a, b)))


def _counted(result: TableSearchResult, evaluations: int) -> TableSearchResult:
    return TableSearchResult(result.table, result.value, result.regret, evaluations, False)
