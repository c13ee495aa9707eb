"""Multiplicative weights (Hedge) followers: full information, one learner per follower type.

Hartline–Syrgkanis–Tardos iterated no-regret dynamics (SPEC §1.2). Per iteration: draw a type
profile and a base message profile from the current strategies; play every unilateral deviation
``(a', a_-i)`` with the same types; then ``w_i[type_i][a'] *= (1 + eps) ** u_i(a')``, kept in log
space so 10^6 iterations cannot overflow. The iteration schedule, empirical regret and final
strategies are those of :class:`~econ_envs.followers.full_information.FullInformationLearner`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from econ_envs.followers.base import masked_softmax
from econ_envs.followers.full_information import FullInformationLearner, Learners
from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_finite


class MultiplicativeWeights(FullInformationLearner):
    """Hedge followers.

    Args:
        eps: learning rate in ``(1 + eps) ** utility``; must be > 0.
        final: ``"argmax"`` (the largest weight per type, ties to the lowest message) or
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
        self.eps = check_finite("eps", eps)
        if self.eps <= 0:
            raise ValueError(f"eps must be > 0, got {eps!r}")
        super().__init__(spec, types, batch, final)
        self._step = np.array(np.log1p(self.eps))  # 0-d: cheaper to apply than a float
        self._empty_weights = np.broadcast_to(
            np.where(self.valid_messages[:, None, :], 0.0, -np.inf), self.policy.shape[1:]
        )
        self.log_weights = np.broadcast_to(self._empty_weights, self.policy.shape).copy()

    def initial_policy(self) -> NDArray[np.float64]:
        return masked_softmax(self._empty_weights)

    def reset_learners(self, rows):
        self.log_weights[rows] = self._empty_weights

    def learn(self, learners: Learners, deviation: NDArray[np.float64]) -> None:
        log_weights = self.by_learner(self.log_weights)
        updated = log_weights.take(learners.index, axis=0) + self._step * deviation
        log_weights[learners.index] = updated
        self.by_learner(self.policy)[learners.index] = masked_softmax(updated)

    def final_scores(self, rows):
        return self.log_weights[rows]  # exact ties, even where the softmax would round them
