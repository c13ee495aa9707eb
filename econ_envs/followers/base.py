"""The interface of follower dynamics (SPEC §1.2).

A dynamics object owns the learning state of the followers of a batch of Stackelberg episodes
and answers three questions, for any subset of rows of that batch:

- :meth:`FollowerDynamics.propose`: the type profile of the next iteration and the plays
  (message profiles) it needs;
- :meth:`FollowerDynamics.update`: learn from the followers' utilities in those plays;
- :meth:`FollowerDynamics.finalize`: the deterministic type -> message map the followers use
  once the response phase is over.

Each dynamics class also declares its response schedule before any episode exists
(:meth:`FollowerDynamics.schedule`: its :meth:`~FollowerDynamics.iterations` and
:meth:`~FollowerDynamics.plays_per_iteration`); the Stackelberg engine, the policy-table
evaluator and the baselines' budgets all read it from there.

Dynamics never touch a game: they see only its declared sizes and type distribution, and the
utilities the Stackelberg POMDP hands them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution
from econ_envs.random import StreamBatch
from econ_envs.validation import MAX_ENTRIES, check_size


@dataclass(frozen=True)
class ResponseSchedule:
    """The response phase of one Stackelberg episode (SPEC §1.3): ``iterations`` iterations of
    the follower dynamics, each of ``plays_per_iteration`` plays.

    Attributes:
        iterations: response iterations per episode.
        plays_per_iteration: plays (message profiles) one iteration asks for.
    """

    iterations: int
    plays_per_iteration: int

    @property
    def plays(self) -> int:
        """All plays of the response phase: ``iterations * plays_per_iteration``."""
        return self.iterations * self.plays_per_iteration


class FollowerDynamics(ABC):
    """Learning state of the followers of ``batch`` episodes.

    Args:
        spec: the game's declaration (sizes of type and message sets).
        types: the game's type distribution.
        batch: number of independent episodes.

    Size guard: ``batch * n * max_types * max_messages`` (the size of one learner table) may be
    at most :data:`~econ_envs.validation.MAX_ENTRIES` (``ValueError`` naming them).
    """

    @classmethod
    @abstractmethod
    def plays_per_iteration(cls, spec: GameSpec) -> int:
        """The plays one response iteration of this dynamics takes on a game declaring ``spec``."""

    @classmethod
    def iterations(cls, spec: GameSpec, types: TypeDistribution, requested: int | None) -> int:
        """Response iterations per episode: ``requested``, or the game's default if ``None``."""
        return spec.response_iterations if requested is None else requested

    @classmethod
    def schedule(
        cls, spec: GameSpec, types: TypeDistribution, response_iterations: int | None
    ) -> ResponseSchedule:
        """The response phase this dynamics runs on a game declaring ``spec`` and ``types``
        with the episode option ``response_iterations`` (``None``: the game's default); known
        before any episode is built (``ValueError`` where the dynamics refuses the game or the
        count)."""
        return ResponseSchedule(
            cls.iterations(spec, types, response_iterations), cls.plays_per_iteration(spec)
        )

    def __init__(self, spec: GameSpec, types: TypeDistribution, batch: int):
        check_size(
            "learner entries (episodes x followers x types x messages)",
            batch * spec.n_followers * max(spec.n_types) * max(spec.n_messages),
            MAX_ENTRIES,
            num_envs=batch,
            **spec.size_keywords,
        )
        self.spec = spec
        self.types = types
        self.batch = batch
        self.n = spec.n_followers
        self.max_types = max(spec.n_types)
        self.max_messages = max(spec.n_messages)
        #: (n, max_messages): which padded message slots exist
        self.valid_messages = np.arange(self.max_messages) < np.array(spec.n_messages)[:, None]

    @abstractmethod
    def reset(self, rows: NDArray[np.intp]) -> None:
        """Fresh learners for the episodes in ``rows`` (start of a Stackelberg episode)."""

    @abstractmethod
    def propose(
        self, rows: NDArray[np.intp], rng: StreamBatch
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Types (k, n) and plays (k, :meth:`plays_per_iteration`, n) of the next iteration of
        ``rows``."""

    @abstractmethod
    def update(
        self,
        rows: NDArray[np.intp],
        types: NDArray[np.intp],
        plays: NDArray[np.intp],
        utilities: NDArray[np.float64],
    ) -> None:
        """Learn from the followers' utilities (k, :meth:`plays_per_iteration`, n) of the proposed
        plays."""

    @abstractmethod
    def strategies(self, rows: NDArray[np.intp]) -> NDArray[np.float64]:
        """Current mixed strategies (k, n, max_types, max_messages), rows summing to 1."""

    @abstractmethod
    def finalize(self, rows: NDArray[np.intp], rng: StreamBatch) -> NDArray[np.intp]:
        """The final deterministic strategies (k, n, max_types) of ``rows``."""

    @abstractmethod
    def empirical_regret(self, rows: NDArray[np.intp]) -> NDArray[np.float64]:
        """The followers' regret over the response phase so far, (k,) (SPEC §1.3)."""


class UnilateralDeviations:
    """The plays of a full-information iteration: every follower ``i`` and every message ``a``
    of ``i`` against the others' base messages, ``(a, base_-i)``; ``sum_i M_i`` plays."""

    def __init__(self, n_messages: tuple[int, ...]):
        self.follower = np.concatenate([np.full(m, i) for i, m in enumerate(n_messages)])
        self.message = np.concatenate([np.arange(m) for m in n_messages])
        self.count = len(self.follower)
        max_m = max(n_messages)
        offsets = np.cumsum((0, *n_messages[:-1]))
        slot = np.minimum(np.arange(max_m), np.array(n_messages)[:, None] - 1)
        #: (n, max_messages): which play holds follower i's deviation to message a
        self.play_of = offsets[:, None] + slot
        #: where follower i's utility for message a lies in one row's utilities seen flat
        self._utility_of = self.play_of * len(n_messages) + np.arange(len(n_messages))[:, None]
        #: (count, n): 0 where a play's deviating follower sits, else 1; and its message there
        deviating = self.follower[:, None] == np.arange(len(n_messages))
        self._kept = (~deviating).astype(np.intp)
        self._deviation = np.where(deviating, self.message[:, None], 0)

    def plays(self, base: NDArray[np.intp]) -> NDArray[np.intp]:
        """Plays (k, count, n) around base message profiles (k, n)."""
        return base[:, None, :] * self._kept + self._deviation

    def deviation_utilities(self, utilities: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each follower's utility for each of its messages: (k, n, max_messages) from the
        utilities (k, count, n) of :meth:`plays` (padding slots repeat the last message)."""
        return utilities.reshape(len(utilities), -1).take(self._utility_of, axis=1)


def masked_softmax(log_weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """Softmax over the last axis; ``-inf`` entries get probability 0.

    The last axis (a follower's messages) is short, and numpy reduces a short last axis several
    times slower than it combines its slices, so the maximum and the total are taken slice by
    slice, in index order (the same sums as ``np.add.reduce``).
    """
    messages = range(log_weights.shape[-1])
    largest = log_weights[..., 0]
    for message in messages[1:]:
        largest = np.maximum(largest, log_weights[..., message])
    shifted = np.exp(log_weights - largest[..., None])
    total = shifted[..., 0].copy()
    for message in messages[1:]:
        total += shifted[..., message]
    shifted /= total[..., None]
    return shifted
