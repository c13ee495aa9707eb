"""Tabular Q-learning followers (bandit feedback), one table per (follower, type).

As in the collusion-mitigation follow-up of the Stackelberg POMDP work (alpha 0.15, discount
0.95, exploration ``exp(-1e-5 * step)``), adapted to followers that move once per play: an
iteration is ONE play. Each follower, in state "my type", sends a uniformly random message with
probability ``epsilon = exp(-exploration_decay * step)`` (``step`` = iterations so far in this
Stackelberg episode) and its greedy message otherwise (ties to the lowest index). It observes
only its own utility ``r`` of that play and updates

    Q[type][a] += alpha * (r + discount * V - Q[type][a]),   V = sum_k P(type' = k) max_a' Q[k][a'],

the expected value of its next state: the next play's type, drawn independently of the action.
Because that continuation is the same for every action, the greedy policy is the bandit's; with
``discount=0`` this is the plain bandit estimate. The final strategy is greedy.
"""

from __future__ import annotations

import numpy as np

from econ_envs.followers.base import FollowerDynamics
from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_finite


class QLearning(FollowerDynamics):
    """Epsilon-greedy tabular Q-learners with bandit feedback (one play per iteration).

    Args:
        alpha: learning rate in (0, 1].
        discount: discount of the next play's value, in [0, 1).
        exploration_decay: ``epsilon = exp(-exploration_decay * step)``; >= 0.
    """

    @classmethod
    def plays_per_iteration(cls, spec: GameSpec) -> int:
        """One play per iteration: the followers learn from what they played."""
        return 1

    def __init__(
        self,
        spec: GameSpec,
        types: TypeDistribution,
        batch: int,
        alpha: float = 0.15,
        discount: float = 0.95,
        exploration_decay: float = 1e-5,
    ):
        super().__init__(spec, types, batch)
        self.alpha = check_finite("alpha", alpha)
        self.discount = check_finite("discount", discount)
        self.exploration_decay = check_finite("exploration_decay", exploration_decay)
        if not 0 < self.alpha <= 1:
            raise ValueError(f"alpha must lie in (0, 1], got {alpha!r}")
        if not 0 <= self.discount < 1:
            raise ValueError(f"discount must lie in [0, 1), got {discount!r}")
        if self.exploration_decay < 0:
            raise ValueError(f"exploration_decay must be >= 0, got {exploration_decay!r}")
        self.followers = np.arange(self.n)
        self.n_messages = np.array(spec.n_messages)
        #: (n, max_types) probability of each type of each follower in the next play
        self.next_type = np.zeros((self.n, self.max_types))
        for i, k in enumerate(spec.n_types):
            self.next_type[i, :k] = types.marginal(i)
        shape = (batch, self.n, self.max_types, self.max_messages)
        self.q = np.zeros(shape)
        self.totals = np.zeros(shape)  # summed observed utility per message (for the regret)
        self.visits = np.zeros(shape)
        self.step = np.zeros(batch)

    def reset(self, rows):
        self.q[rows] = 0.0
        self.totals[rows] = 0.0
        self.visits[rows] = 0.0
        self.step[rows] = 0.0

    def _masked_q(self, rows):
        return np.where(self.valid_messages[None, :, None, :], self.q[rows], -np.inf)

    def _epsilon(self, rows):
        return np.exp(-self.exploration_decay * self.step[rows])

    def propose(self, rows, rng):
        u = rng.uniform(rows, 1 + 2 * self.n)
        types = self.types.sample(u[:, 0])
        learners = self._masked_q(rows)[np.arange(len(rows))[:, None], self.followers, types]
        greedy = np.argmax(learners, axis=2)
        explore = u[:, 1 : 1 + self.n] < self._epsilon(rows)[:, None]
        uniform = np.minimum(
            (u[:, 1 + self.n :] * self.n_messages).astype(np.intp), self.n_messages - 1
        )
        return types, np.where(explore, uniform, greedy)[:, None, :]

    def update(self, rows, types, plays, utilities):
        sent, reward = plays[:, 0, :], utilities[:, 0, :]
        value = (self._masked_q(rows).max(axis=3) * self.next_type).sum(axis=2)
        cell = (rows[:, None], self.followers, types, sent)
        self.q[cell] += self.alpha * (reward + self.discount * value - self.q[cell])
        self.totals[cell] += reward
        self.visits[cell] += 1.0
        self.step[rows] += 1.0

    def strategies(self, rows):
        valid = self.valid_messages[None, :, None, :]
        greedy = np.argmax(self._masked_q(rows), axis=3)[..., None] == np.arange(self.max_messages)
        epsilon = self._epsilon(rows)[:, None, None, None]
        return (1.0 - epsilon) * greedy + epsilon * valid / self.n_messages[None, :, None, None]

    def finalize(self, rows, rng):
        return np.argmax(self._masked_q(rows), axis=3)

    def empirical_regret(self, rows):
        """Per learner: the best mean utility of a message it tried minus its realized mean
        utility (bandit feedback sees only the played message); max over learners, >= 0."""
        visits, totals = self.visits[rows], self.totals[rows]
        plays = visits.sum(axis=3)
        realized = totals.sum(axis=3) / np.maximum(plays, 1.0)
        means = np.where(visits > 0, totals / np.maximum(visits, 1.0), -np.inf)
        gain = np.where(plays > 0, means.max(axis=3) - realized, 0.0)
        return np.maximum(gain.reshape(len(rows), -1).max(axis=1), 0.0)
