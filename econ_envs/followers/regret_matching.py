"""No-swap-regret followers: internal regret matching (Hart & Mas-Colell 2000; the fixed-point
form of Cesa-Bianchi & Lugosi, *Prediction, Learning, and Games*, §4.4).

Each (follower, type) learner keeps, for every pair of messages ``(j, k)``, the regret of not
having sent ``k`` whenever it sent ``j``, weighted by how likely it was to send ``j``:

    R[j, k] += pi(j) * (u(k) - u(j))          (full information: ``u`` of every message)

and plays a mixed strategy ``pi`` that is a fixed point of the regret-matching chain:

    sum_j pi(j) R+[j, k] = pi(k) sum_k' R+[k, k']      for every k,

i.e. the stationary distribution of the Markov chain moving from ``j`` to ``k`` with probability
proportional to ``R+[j, k]``. This keeps every swap regret sublinear, so the empirical joint play
of all followers converges to the set of (Bayes) correlated equilibria.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from econ_envs.followers.full_information import FullInformationLearner, Learners
from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import MAX_ENTRIES, check_size

#: weight of a uniform restart in the chain; makes its stationary distribution unique
RESTART = 1e-9


class RegretMatching(FullInformationLearner):
    """Internal (no-swap) regret-matching followers.

    Args:
        final: ``"argmax"`` (default) or ``"sample"`` of the last mixed strategy per type.
    """

    def __init__(self, spec: GameSpec, types: TypeDistribution, batch: int, final: str = "argmax"):
        check_size(
            "regret entries (episodes x followers x types x messages x messages)",
            batch * spec.n_followers * max(spec.n_types) * max(spec.n_messages) ** 2,
            MAX_ENTRIES,
            num_envs=batch,
            **spec.size_keywords,
        )
        super().__init__(spec, types, batch, final)
        m = self.max_messages
        self.regrets = np.zeros((*self.policy.shape, m))
        valid = self.valid_messages.astype(np.float64)  # (n, M)
        self._restart = (valid / valid.sum(axis=1, keepdims=True))[:, None, :]  # (n, 1, M)
        # a padding message j moves to message 0 for sure, so it never keeps any mass
        stuck = np.zeros((self.n, m, m))
        stuck[:, :, 0] = 1.0 - valid
        self._padding = stuck

    def initial_policy(self) -> NDArray[np.float64]:
        return np.broadcast_to(self._restart, self.policy.shape[1:]).copy()

    def reset_learners(self, rows):
        self.regrets[rows] = 0.0

    def learn(self, learners: Learners, deviation: NDArray[np.float64]) -> None:
        policy = self.by_learner(self.policy).take(learners.index, axis=0)  # (k, n, M)
        step = policy[..., :, None] * (deviation[..., None, :] - deviation[..., :, None])
        regrets = self.by_learner(self.regrets)
        updated = regrets.take(learners.index, axis=0) + (
            step * self.valid_messages[:, :, None] * self.valid_messages[:, None, :]
        )
        regrets[learners.index] = updated
        self.by_learner(self.policy)[learners.index] = self._fixed_point(np.maximum(updated, 0.0))

    def _fixed_point(self, positive: NDArray[np.float64]) -> NDArray[np.float64]:
        """Stationary distributions (k, n, M) of the chains given by positive regrets
        (k, n, M, M), with a tiny uniform restart so each is unique."""
        m = self.max_messages
        outflow = positive.sum(axis=-1)
        scale = np.maximum(outflow.max(axis=-1), 1e-300)[..., None, None]
        chain = positive / scale + np.eye(m) * (1.0 - outflow / scale[..., 0])[..., None]
        chain = np.where(self.valid_messages[:, :, None], chain, self._padding)
        chain = (1.0 - RESTART) * chain + RESTART * self._restart
        # solve pi (chain - I) = 0 with sum(pi) = 1 replacing the last equation
        system = np.swapaxes(chain, -1, -2) - np.eye(m)
        system[..., -1, :] = 1.0
        rhs = np.zeros(system.shape[:-1])
        rhs[..., -1] = 1.0
        pi = np.linalg.solve(system, rhs[..., None])[..., 0]
        pi = np.where(self.valid_messages, np.maximum(pi, 0.0), 0.0)
        return pi / pi.sum(axis=-1, keepdims=True)
