"""Exact best-response followers: an oracle for small games (SPEC §1.2).

The response phase plays every message profile at every type profile of positive probability
(one iteration per type profile), so the followers see the whole outcome tensor. After its last
iteration the followers' final strategies are fixed by
:func:`econ_envs.equilibrium.best_response_equilibrium`: a pure Bayes–Nash equilibrium whenever
one exists. Which one, when there are several: the one that round-robin best responses from
all-zero messages reach (ties to the lowest message); if those cycle, the first equilibrium in
lexicographic order of (follower 0's messages by type, follower 1's, ...). With one follower this
is its exact best response per type, ties to the lowest message.

Whether a pure equilibrium exists is reported by the regret: :meth:`BestResponse.empirical_regret`
(the env's ``info["equilibrium_regret"]`` and the evaluator's ``empirical_regret``) is the exact
regret of the final strategies, 0 exactly when they are an equilibrium and > 0 (that of the
least-regret pure profile) when the game has none.

Size limits, checked at construction before anything is allocated: the outcome tensor holds at
most :data:`MAX_TENSOR_ENTRIES` entries, and the exhaustive search is at most
:data:`econ_envs.equilibrium.MAX_SEARCH_PROFILES` (see :func:`econ_envs.equilibrium.search_size`).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from econ_envs.equilibrium import (
    OutcomeTensor,
    all_message_profiles,
    best_response_equilibrium,
    check_search_size,
)
from econ_envs.followers.base import FollowerDynamics
from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_size

#: refuse games whose outcome tensor per episode would exceed this many entries
MAX_TENSOR_ENTRIES = 2_000_000


class BestResponse(FollowerDynamics):
    """Followers that enumerate every play, then play a pure Bayes–Nash equilibrium."""

    @classmethod
    def plays_per_iteration(cls, spec: GameSpec) -> int:
        """Every message profile once: ``prod_i M_i``."""
        return math.prod(spec.n_messages)

    @classmethod
    def iterations(cls, spec: GameSpec, types: TypeDistribution, requested: int | None) -> int:
        """One iteration per type profile of positive probability; ``requested`` must be
        ``None`` or that number, and the game small enough to enumerate (``ValueError``)."""
        cls._check_enumerable(spec, types)
        needed = int(np.count_nonzero(types.profile_probs > 0))
        if requested is not None and requested != needed:
            raise ValueError(
                f"response_iterations must be None or {needed} (one per type profile) with "
                f"dynamics='best_response', got {requested!r}"
            )
        return needed

    @classmethod
    def _check_enumerable(cls, spec: GameSpec, types: TypeDistribution) -> None:
        """``ValueError`` if the outcome tensor of one episode would exceed
        :data:`MAX_TENSOR_ENTRIES` or the search for a pure equilibrium
        :data:`~econ_envs.equilibrium.MAX_SEARCH_PROFILES`."""
        entries = len(types.profile_probs) * cls.plays_per_iteration(spec) * spec.n_followers
        check_size(
            "outcomes per episode (type profiles x message profiles x followers); use "
            "dynamics='mw' for a game this large",
            entries,
            MAX_TENSOR_ENTRIES,
            dynamics="best_response",
            **spec.size_keywords,
        )
        check_search_size(types, spec.n_messages)

    def __init__(self, spec: GameSpec, types: TypeDistribution, batch: int):
        super().__init__(spec, types, batch)
        self._check_enumerable(spec, types)
        self.type_profiles = np.flatnonzero(types.profile_probs > 0)
        self.message_profiles = all_message_profiles(spec.n_messages)
        self.iteration = np.zeros(batch, np.intp)
        self.outcomes = np.zeros(
            (batch, len(types.profile_probs), len(self.message_profiles), self.n)
        )
        self.final = np.zeros((batch, self.n, self.max_types), np.intp)
        self.finalized = np.zeros(batch, bool)
        self.regret = np.zeros(batch)

    def reset(self, rows):
        self.iteration[rows] = 0
        self.outcomes[rows] = 0.0
        self.finalized[rows] = False
        self.regret[rows] = 0.0

    def propose(self, rows, rng):
        profile = self.type_profiles[self.iteration[rows]]
        plays = np.broadcast_to(self.message_profiles, (len(rows), *self.message_profiles.shape))
        return self.types.profiles[profile], plays.copy()

    def update(self, rows, types, plays, utilities):
        self.outcomes[rows, self.type_profiles[self.iteration[rows]]] = utilities
        self.iteration[rows] += 1
        seen_all = rows[self.iteration[rows] == len(self.type_profiles)]
        if seen_all.size:
            self._solve(seen_all)

    def _solve(self, rows):
        """Fix the final strategies and their exact regret of ``rows``, whose outcome tensor is
        complete (so :meth:`empirical_regret` is exact before :meth:`finalize`)."""
        outcomes = self.outcomes[rows]
        tensor = OutcomeTensor(
            leader=np.zeros(outcomes.shape[:3]),
            followers=outcomes,
            types=self.types,
            n_messages=self.spec.n_messages,
        )
        self.final[rows], self.regret[rows] = best_response_equilibrium(tensor)

    def strategies(self, rows):
        uniform = self.valid_messages / self.valid_messages.sum(axis=1, keepdims=True)
        mixed = np.broadcast_to(
            uniform[None, :, None, :], (len(rows), *self.final.shape[1:], self.max_messages)
        ).copy()
        chosen = np.arange(self.max_messages) == self.final[rows][..., None]
        return np.where(self.finalized[rows][:, None, None, None], chosen, mixed)

    def finalize(self, rows, rng):
        self.finalized[rows] = True
        return self.final[rows]

    def empirical_regret(self, rows) -> NDArray[np.float64]:
        return self.regret[rows]
