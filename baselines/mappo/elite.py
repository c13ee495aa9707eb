"""Elite search: a local search around the best verified episode's table, beside the policy's
own exploration (ours, not the reference's; off unless ``elite_fraction`` > 0).

At the MSPM preset's learning rate PPO hardly moves the policy, so the tables it draws are a
random search around the initial policy. That finds the optimum of 3 and 4 types, but on 5 types
every run ends at welfare loss 0.01: one type pair misallocated, where fixing it means moving
some types to another message, which takes several rows changed together (what the followers get
for that message) with prices in narrow ranges.

An *elite episode* plays a mutation of the *elite*: the table of the best verified training
episode so far (highest exact value against its own followers' final strategies: the exact
counterpart of the return the reference ranks episodes by). A later verified episode of equal
value replaces it, so the elite drifts along a plateau instead of sticking to its first table.
A mutation either

- redraws one *block* uniformly: the rows whose observation has an uncommon value of one feature
  (e.g. every row where one follower sent one message), or
- moves each row, with probability ``mutation``, by a small Gaussian step (a uniform redraw for
  ``Discrete`` actions).

Elite episodes are checked, penalized and offered to the best verified table like any other;
PPO learns from the policy's own episodes only (an elite episode's actions were not drawn from
the policy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: the share of mutations that redraw a block (the others take small steps row by row)
BLOCK_SHARE = 2 / 3
#: std of a small step, in raw action units (the action range is [-1, 1]): 5% of the range
STEP_STD = 0.1


def feature_blocks(vectors: NDArray[np.float32]) -> NDArray[np.bool_]:
    """Per observation feature that varies, the table rows whose value of it differs from its
    most common value: ``(n_blocks, n_rows)`` masks (for one-hot messages: every row where one
    follower sent one message)."""
    blocks = []
    for column in vectors.T:
        values, counts = np.unique(column, return_counts=True)
        if len(values) > 1:
            blocks.append(column != values[np.argmax(counts)])
    return np.array(blocks, bool).reshape(-1, len(vectors))


@dataclass
class EliteSearch:
    """The elite table and how its mutations are drawn.

    Args:
        fraction: probability that a new episode is an elite episode (once an elite exists).
        mutation: probability that a small-step mutation moves each row.
        blocks: the row blocks a block mutation redraws (:func:`feature_blocks`).
        discrete: actions are ``Discrete`` (rows are redrawn instead of stepped).
    """

    fraction: float
    mutation: float
    blocks: NDArray[np.bool_]
    discrete: bool
    table: NDArray[Any] | None = None  # the elite, as raw actions
    value: float = -np.inf  # its episode's exact value

    @property
    def active(self) -> bool:
        """Whether new episodes may be elite episodes."""
        return self.fraction > 0.0 and self.table is not None

    def observe(
        self, raw_tables: NDArray[Any], values: NDArray[np.float64], verified: NDArray[np.bool_]
    ) -> None:
        """Consider checked episodes: the best verified one becomes the elite if its value is
        at least the elite's."""
        candidates = np.flatnonzero(verified)
        if not candidates.size:
            return
        top = candidates[np.argmax(values[candidates])]
        if values[top] >= self.value:
            self.table, self.value = raw_tables[top].copy(), float(values[top])

    def mutations(
        self, k: int, rng: np.random.Generator, uniform: Callable[[int], NDArray[Any]]
    ) -> NDArray[Any]:
        """``k`` mutations of the elite (raw tables); ``uniform(n)`` draws ``n`` uniform raw
        actions."""
        if self.table is None:
            raise RuntimeError("no elite table yet")
        tables = np.repeat(self.table[None], k, axis=0)
        by_block = rng.random(k) < BLOCK_SHARE
        redraw = self.blocks[rng.integers(len(self.blocks), size=k)] & by_block[:, None]
        stepped = (rng.random(tables.shape[:2]) < self.mutation) & ~by_block[:, None]
        if self.discrete:
            redraw |= stepped
        else:
            noise = rng.normal(0.0, STEP_STD, (int(stepped.sum()), *tables.shape[2:]))
            tables[stepped] = np.clip(tables[stepped] + noise, -1.0, 1.0)
        tables[redraw] = uniform(int(redraw.sum()))
        return tables
