"""Multiplicative weights (Hedge) followers: full information, one learner per follower type.

Hartline–Syrgkanis–Tardos iterated no-regret dynamics (SPEC §1.2). Per iteration: draw a type
profile and a base message profile from the current strategies; play every unilateral deviation
``(a', a_-i)`` with the same types; then ``w_i[type_i][a'] *= (1 + eps) ** u_i(a')``, kept in log
space so 10^6 iterations cannot overflow.
"""

from __future__ import annotations

import numpy as np

from econ_envs.followers.base import FollowerDynamics, UnilateralDeviations, masked_softmax
from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution
from econ_envs.random import categorical
from econ_envs.validation import check_choice, check_finite

FINAL_RULES = ("argmax", "sample")


class MultiplicativeWeights(FollowerDynamics):
    """Hedge followers.

    Args:
        eps: learning rate in ``(1 + eps) ** utility``; must be > 0.
        final: ``"argmax"`` (the most weighted message per type, ties to the lowest index) or
            ``"sample"`` (one draw per type from the normalized weights).
    """

    def __init__(
        self,
        spec: GameSpec,
        types: TypeDistribution,
        batch: int,
        eps: float = 0.01,
        final: str = "argmax",
    ):
        super().__init__(spec, types, batch)
        self.eps = check_finite("eps", eps)
        if self.eps <= 0:
            raise ValueError(f"eps must be > 0, got {eps!r}")
        self.final = check_choice("final", final, FINAL_RULES)
        self.deviations = UnilateralDeviations(spec.n_messages)
        self.plays_per_iteration = self.deviations.count
        self._step = np.log1p(self.eps)
        self._follower_index = np.arange(self.n)
        shape = (batch, self.n, self.max_types, self.max_messages)
        self._empty_weights = np.where(self.valid_messages[:, None, :], 0.0, -np.inf)
        self.log_weights = np.broadcast_to(self._empty_weights, shape).copy()
        self.gains = np.zeros(shape)
        self.counts = np.zeros(shape[:3])
        self.base = np.zeros((batch, self.n), np.intp)

    def reset(self, rows):
        self.log_weights[rows] = self._empty_weights
        self.gains[rows] = 0.0
        self.counts[rows] = 0.0

    def propose(self, rows, rng):
        u = rng.uniform(rows, 1 + self.n)
        types = self.types.sample(u[:, 0])
        learners = self.log_weights[rows[:, None], self._follower_index, types]
        base = categorical(masked_softmax(learners), u[:, 1:])
        self.base[rows] = base
        return types, self.deviations.plays(base)

    def update(self, rows, types, plays, utilities):
        deviation = self.deviations.deviation_utilities(utilities)  # (k, n, Mmax)
        played = np.take_along_axis(deviation, self.base[rows][:, :, None], axis=2)
        select = (rows[:, None], self._follower_index, types)
        self.log_weights[select] += self._step * deviation
        self.gains[select] += deviation - played
        self.counts[select] += 1.0

    def strategies(self, rows):
        return masked_softmax(self.log_weights[rows])

    def finalize(self, rows, rng):
        if self.final == "argmax":
            return np.argmax(self.log_weights[rows], axis=3)
        u = rng.uniform(rows, self.n * self.max_types).reshape(len(rows), self.n, self.max_types)
        return categorical(self.strategies(rows), u)

    def empirical_regret(self, rows):
        counts = self.counts[rows]
        average = self.gains[rows] / np.maximum(counts, 1.0)[..., None]
        usable = (counts > 0)[..., None] & self.valid_messages[None, :, None, :]
        average = np.where(usable, average, -np.inf).reshape(len(rows), -1)
        return np.maximum(average.max(axis=1), 0.0)
