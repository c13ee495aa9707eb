"""Shared machinery of full-information follower learners (``"logit"``, ``"regret_matching"``).

Per iteration, as for multiplicative weights (SPEC §1.2): draw a type profile, draw a base message
profile from the current mixed strategies, play every unilateral deviation ``(a', a_-i)`` with the
same types, and hand each (follower, type) learner the utility of every one of its messages.
A subclass only says how a learner turns those utilities into its next mixed strategy
(:meth:`FullInformationLearner.learn`) and what it starts from (:meth:`initial_policy`).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from econ_envs.followers.base import FollowerDynamics, UnilateralDeviations
from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution
from econ_envs.random import categorical
from econ_envs.validation import check_choice

FINAL_RULES = ("argmax", "sample")


class Learners(NamedTuple):
    """The (follower, type) learners one iteration updates: in each of its k episodes, every
    follower's learner for the type it drew, (k, n) of them.

    Attributes:
        index: their rows in any per-learner array (batch, n, max_types, ...) seen as one row
            per learner (see :meth:`FullInformationLearner.by_learner`).
        types: the type of each.
    """

    index: NDArray[np.intp]
    types: NDArray[np.intp]


class FullInformationLearner(FollowerDynamics):
    """One learner per (follower, type) that sees the utility of every message it could have sent.

    Args:
        final: ``"argmax"`` (the most likely message of the final mixed strategy, ties to the
            lowest index) or ``"sample"`` (one draw per type from it).

    Attributes:
        policy: current mixed strategies (batch, n, max_types, max_messages).
        gains: summed gain of every message over the message played, per learner (for the
            empirical regret of SPEC §1.3); ``counts`` how often each learner was updated.
        base: the base message profile of the iteration under way (batch, n).
    """

    @classmethod
    def plays_per_iteration(cls, spec: GameSpec) -> int:
        """Every follower's every message against the others' base messages: ``sum_i M_i``."""
        return sum(spec.n_messages)

    def __init__(self, spec: GameSpec, types: TypeDistribution, batch: int, final: str = "argmax"):
        super().__init__(spec, types, batch)
        self.final = check_choice("final", final, FINAL_RULES)
        self.deviations = UnilateralDeviations(spec.n_messages)
        self.followers = np.arange(self.n)
        shape = (batch, self.n, self.max_types, self.max_messages)
        self.policy = np.zeros(shape)
        self.gains = np.zeros(shape)
        self.counts = np.zeros(shape[:3])
        self.base = np.zeros((batch, self.n), np.intp)

    def learners(self, rows: NDArray[np.intp], types: NDArray[np.intp]) -> Learners:
        """Every follower's learner for its type ``types`` (k, n) in the episodes ``rows``."""
        learner = (rows[:, None], self.followers, types)
        return Learners(np.ravel_multi_index(learner, self.counts.shape), types)

    @staticmethod
    def by_learner(array: NDArray[np.float64]) -> NDArray[np.float64]:
        """A view of a per-learner array (batch, n, max_types, ...) with one row per learner
        (episode, follower, type), in that order: the rows :attr:`Learners.index` names.
        (Numpy takes rows by one index many times faster than by three.)"""
        return array.reshape(-1, *array.shape[3:])

    @abstractmethod
    def initial_policy(self) -> NDArray[np.float64]:
        """The mixed strategy of a fresh learner, (n, max_types, max_messages)."""

    @abstractmethod
    def learn(self, learners: Learners, deviation: NDArray[np.float64]) -> None:
        """Update the learners ``learners`` from the utility (k, n, max_messages) of each of their
        messages against the base profile, and write their new :attr:`policy`."""

    def reset_learners(self, rows: NDArray[np.intp]) -> None:
        """Reset a subclass's own learning state of ``rows`` (nothing by default)."""

    def final_scores(self, rows: NDArray[np.intp]) -> NDArray[np.float64]:
        """What ``final="argmax"`` maximizes per learner (by default the mixed strategy)."""
        return self.policy[rows]

    def reset(self, rows):
        self.policy[rows] = self.initial_policy()
        self.gains[rows] = 0.0
        self.counts[rows] = 0.0
        self.reset_learners(rows)

    def propose(self, rows, rng):
        u = rng.uniform(rows, 1 + self.n)
        types = self.types.sample(u[:, 0])
        policy = self.by_learner(self.policy).take(self.learners(rows, types).index, axis=0)
        base = categorical(policy, u[:, 1:])
        self.base[rows] = base
        return types, self.deviations.plays(base)

    def update(self, rows, types, plays, utilities):
        learners = self.learners(rows, types)
        # each follower's utility for every message against the others' base messages, and
        # for the base message it played
        deviation = self.deviations.deviation_utilities(utilities)  # (k, n, max_messages)
        episodes = np.arange(len(rows))[:, None]
        played = deviation[episodes, self.followers, self.base.take(rows, axis=0)][:, :, None]
        gains, counts = self.by_learner(self.gains), self.counts.reshape(-1)
        gains[learners.index] = gains.take(learners.index, axis=0) + (deviation - played)
        counts[learners.index] = counts.take(learners.index) + 1.0
        self.learn(learners, deviation)

    def strategies(self, rows):
        return self.policy.take(rows, axis=0)

    def finalize(self, rows, rng):
        if self.final == "argmax":
            return np.argmax(self.final_scores(rows), axis=3)
        u = rng.uniform(rows, self.n * self.max_types).reshape(len(rows), self.n, self.max_types)
        return categorical(self.policy[rows], u)

    def empirical_regret(self, rows):
        counts = self.counts[rows]
        average = self.gains[rows] / np.maximum(counts, 1.0)[..., None]
        usable = (counts > 0)[..., None] & self.valid_messages[None, :, None, :]
        average = np.where(usable, average, -np.inf).reshape(len(rows), -1)
        return np.maximum(average.max(axis=1), 0.0)
