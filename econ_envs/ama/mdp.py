"""Tabular mechanism MDPs: enumerated states, deterministic transitions, type-linear rewards.

A :class:`TabularMDP` is the data every planner (the exact numpy one here, the soft torch one in
``baselines``) reads. States ``0..S-1`` are the non-terminal states; index ``S`` stands for
"terminal" (value 0) in finite-horizon MDPs. Agent ``i``'s reward is linear in its type vector:
``r_i(s, a; theta_i) = theta_i . features[i, s, a]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True, eq=False)
class TabularMDP:
    """A finite MDP with deterministic transitions shared by ``n`` agents with private types.

    Attributes:
        next_state: ``(S, A)`` int array; entries in ``0..S`` (``S`` = terminal).
        features: ``(n, S, A, d)`` float array; ``r_i(s, a) = theta_i . features[i, s, a]``.
        forbidden_without: ``(n, S, A)`` bool array; actions unavailable when agent ``i`` is
            removed (on top of its type being set to 0).
        gamma: discount; ``1.0`` for an undiscounted finite horizon.
        stage_bounds: finite horizon only: states of round ``t`` are ``stage_bounds[t]`` to
            ``stage_bounds[t + 1] - 1`` and move to round ``t + 1`` or to the terminal state.
            ``None`` for an infinite-horizon discounted MDP.
        start: the start state.
    """

    next_state: np.ndarray
    features: np.ndarray
    forbidden_without: np.ndarray
    gamma: float
    stage_bounds: tuple[int, ...] | None
    start: int = 0

    def __post_init__(self) -> None:
        for array in (self.next_state, self.features, self.forbidden_without):
            array.flags.writeable = False
        if self.stage_bounds is None and not 0.0 < self.gamma < 1.0:
            raise ValueError(f"gamma={self.gamma!r}: an infinite horizon needs 0 < gamma < 1")

    @property
    def n_agents(self) -> int:
        """Number of agents ``n``."""
        return self.features.shape[0]

    @property
    def n_states(self) -> int:
        """Number of non-terminal states ``S`` (the rows of the boost table)."""
        return self.next_state.shape[0]

    @property
    def n_actions(self) -> int:
        """Number of actions ``A``."""
        return self.next_state.shape[1]

    @property
    def type_dim(self) -> int:
        """Length ``d`` of one agent's type vector."""
        return self.features.shape[3]

    @property
    def finite_horizon(self) -> bool:
        """Whether the MDP ends after ``horizon`` rounds (else it is discounted forever)."""
        return self.stage_bounds is not None

    @property
    def horizon(self) -> int | None:
        """Number of rounds of a finite-horizon MDP, ``None`` if infinite."""
        return None if self.stage_bounds is None else len(self.stage_bounds) - 1

    @cached_property
    def feature_matrix(self) -> np.ndarray:
        """``features`` as an ``(n * d, S * A)`` matrix: weighted types times it give rewards."""
        n, s, a, d = self.features.shape
        return np.ascontiguousarray(self.features.transpose(0, 3, 1, 2).reshape(n * d, s * a))

    @cached_property
    def sparse_features(self) -> tuple[np.ndarray, np.ndarray]:
        """``feature_matrix`` as gathers: ``(index, coefficients)``.

        ``coefficients`` ``(u,)`` are the distinct nonzero feature values. Stack the weighted
        types ``W`` ``(K, ...)`` as ``[c_1 W, ..., c_u W, 0]``; then the reward of state-action
        column ``j`` is the sum over ``index[j]`` ``(z,)`` of rows of that stack (padding points
        at the zero row). Rewards are then gathers and adds: no products, no BLAS threads.
        """
        matrix = self.feature_matrix
        n_rows = matrix.shape[0]
        coefficients = np.unique(matrix[matrix != 0])
        width = max(1, int((matrix != 0).sum(axis=0).max()))
        index = np.full((matrix.shape[1], width), coefficients.size * n_rows, dtype=np.int64)
        columns, rows = np.nonzero(matrix.T)  # grouped by column
        counts = np.bincount(columns, minlength=matrix.shape[1])
        position = np.arange(columns.size) - (np.cumsum(counts) - counts)[columns]
        slot = np.searchsorted(coefficients, matrix[rows, columns])
        index[columns, position] = slot * n_rows + rows
        index.flags.writeable = coefficients.flags.writeable = False
        return index, coefficients

    @cached_property
    def removal_penalty(self) -> np.ndarray:
        """``(n + 1, S, A)``: 0, or ``-inf`` where problem ``p`` (0 full, ``i + 1`` without
        agent ``i``) forbids the action."""
        penalty = np.zeros((self.n_agents + 1, self.n_states, self.n_actions))
        penalty[1:][self.forbidden_without] = -np.inf
        return penalty


def history_tree(n_actions: int, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """States of a tree MDP whose state is the round and the history of past actions.

    Returns ``(next_state, histories)``: states are numbered breadth first (round 0 is state 0,
    round ``t`` holds ``n_actions ** t`` states), ``next_state`` is ``(S, n_actions)`` with the
    terminal index ``S`` after the last round, and ``histories`` is ``(S, horizon)`` holding the
    past actions of each state, ``-1`` for rounds not yet played.
    """
    sizes = [n_actions**t for t in range(horizon)]
    n_states = sum(sizes)
    histories = np.full((n_states, horizon), -1, dtype=np.int64)
    next_state = np.full((n_states, n_actions), n_states, dtype=np.int64)
    offset = 0
    for t, size in enumerate(sizes):
        local = np.arange(size)
        for k in range(t):  # digit k (oldest first) of the base-n_actions index
            histories[offset + local, k] = (local // n_actions ** (t - 1 - k)) % n_actions
        if t + 1 < horizon:
            child = offset + size + local[:, None] * n_actions + np.arange(n_actions)[None, :]
            next_state[offset : offset + size] = child
        offset += size
    return next_state, histories


def tree_size(n_actions: int, horizon: int) -> int | float:
    """Number of states of :func:`history_tree` without building it (a size guard's input):
    exact, or ``math.inf`` when it exceeds 1e308 (counting it would take too long)."""
    if n_actions == 1:
        return horizon
    if horizon - 1 > 308 / math.log10(n_actions):  # more than n_actions ** (horizon - 1)
        return math.inf
    return (n_actions**horizon - 1) // (n_actions - 1)


def stage_bounds_of_tree(n_actions: int, horizon: int) -> tuple[int, ...]:
    """``stage_bounds`` of :func:`history_tree`."""
    return tuple(int(x) for x in np.cumsum([0] + [n_actions**t for t in range(horizon)]))
