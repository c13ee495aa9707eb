"""Logit (quantal-response) followers: bounded rationality with a KL penalty to a prior policy.

Each (follower, type) learner keeps the running mean ``U[a]`` of the utility every message ``a``
would have earned (full information, as in :mod:`econ_envs.followers.full_information`), and plays

    pi = argmax_pi  <pi, U> - KL(pi || prior) / rationality   =   prior * exp(rationality * U) / Z,

the softmax response with decision inertia towards ``prior`` (Mguni et al., "Coordinating the
crowd", AAMAS 2019). Against the time-average of the others' play this is smooth fictitious play,
which converges to a logit (quantal-response) equilibrium in potential games. As
``rationality -> inf`` it becomes the exact best response to the mean utilities (ties to the
lowest message), so with one follower it reproduces ``"best_response"``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ_envs.followers.base import masked_softmax
from econ_envs.followers.full_information import FullInformationLearner, Learners
from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_finite, check_real_array


class Logit(FullInformationLearner):
    """Quantal-response followers with inertia towards a prior.

    Args:
        rationality: inverse strength of the KL penalty (``lambda``), finite and > 0; large
            values approach the best response, small ones the prior. Any finite value is
            computed stably (no overflow to NaN, even at ``1e308``).
        prior: the prior policy, broadcastable to (n, max_types, max_messages) over the padded
            message slots; positive on every message a follower has. ``None``: uniform.
        final: ``"sample"`` (default: a boundedly rational follower keeps its randomness, one
            draw per type per episode) or ``"argmax"``.
    """

    def __init__(
        self,
        spec: GameSpec,
        types: TypeDistribution,
        batch: int,
        rationality: float = 10.0,
        prior: ArrayLike | None = None,
        final: str = "sample",
    ):
        super().__init__(spec, types, batch, final)
        self.rationality = check_finite("rationality", rationality)
        if self.rationality <= 0:
            raise ValueError(f"rationality must be > 0, got {rationality!r}")
        valid = self.valid_messages[:, None, :]
        table = (
            np.ones_like(valid, np.float64) if prior is None else check_real_array("prior", prior)
        )
        try:
            table = np.broadcast_to(table, (self.n, self.max_types, self.max_messages))
        except ValueError:
            raise ValueError(
                f"prior must broadcast to (n, max_types, max_messages) = "
                f"{(self.n, self.max_types, self.max_messages)}, got shape {np.shape(prior)}"
            ) from None
        if not np.isfinite(table).all() or (table[np.broadcast_to(valid, table.shape)] <= 0).any():
            raise ValueError("prior must be finite and positive on every message a follower has")
        with np.errstate(divide="ignore"):
            self.log_prior = np.where(valid, np.log(np.where(valid, table, 1.0)), -np.inf)
        self.totals = np.zeros_like(self.policy)

    def initial_policy(self) -> NDArray[np.float64]:
        return masked_softmax(self.log_prior)

    def reset_learners(self, rows):
        self.totals[rows] = 0.0

    def learn(self, learners: Learners, deviation: NDArray[np.float64]) -> None:
        totals = self.by_learner(self.totals)
        updated = totals.take(learners.index, axis=0) + deviation
        totals[learners.index] = updated
        mean = updated / self.counts.reshape(-1).take(learners.index)[..., None]
        log_prior = self.log_prior[self.followers, learners.types]
        self.by_learner(self.policy)[learners.index] = masked_softmax(
            _scores(log_prior, self.rationality, mean)
        )


def _scores(
    log_prior: NDArray[np.float64], rationality: float, mean: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The logit scores ``log_prior + rationality * mean`` over the last axis, finite where the
    prior is positive: a learner whose scores overflow (``rationality=1e308`` times a utility
    above 1) is scored from ``mean - max(mean)`` instead, the same softmax in exact arithmetic,
    whose best message scores its finite log prior, so the softmax never sees ``inf - inf``."""
    with np.errstate(over="ignore", invalid="ignore"):
        scores = log_prior + rationality * mean
    overflowed = ~np.isfinite(np.maximum.reduce(scores, axis=-1, keepdims=True))
    if not overflowed.any():
        return scores
    with np.errstate(over="ignore"):
        shifted = log_prior + rationality * (mean - np.maximum.reduce(mean, axis=-1, keepdims=True))
    return np.where(overflowed, shifted, scores)
