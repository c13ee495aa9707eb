"""Exact best-response followers: an oracle for small games (SPEC §1.2).

The response phase plays every message profile at every type profile of positive probability
(one iteration per type profile), so the followers see the whole outcome tensor; the final
strategies are a pure Bayes–Nash equilibrium found by iterated best response
(:func:`econ_envs.equilibrium.best_response_equilibrium`). With one follower this is its exact
best response per type, ties to the lowest message.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from econ_envs.equilibrium import OutcomeTensor, all_message_profiles, best_response_equilibrium
from econ_envs.followers.base import FollowerDynamics
from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution

#: refuse games whose outcome tensor per episode would exceed this many entries
MAX_TENSOR_ENTRIES = 2_000_000


class BestResponse(FollowerDynamics):
    """Followers that enumerate every play, then play a pure Bayes–Nash equilibrium."""

    def __init__(self, spec: GameSpec, types: TypeDistribution, batch: int):
        super().__init__(spec, types, batch)
        self.type_profiles = np.flatnonzero(types.profile_probs > 0)
        self.message_profiles = all_message_profiles(spec.n_messages)
        self.plays_per_iteration = len(self.message_profiles)
        n_type_profiles = len(types.profile_probs)
        entries = n_type_profiles * self.plays_per_iteration * self.n
        if entries > MAX_TENSOR_ENTRIES:
            raise ValueError(
                f"dynamics='best_response' enumerates {entries} outcomes per episode, more than "
                f"{MAX_TENSOR_ENTRIES}; use dynamics='mw' for a game this large"
            )
        self.iteration = np.zeros(batch, np.intp)
        self.outcomes = np.zeros((batch, n_type_profiles, self.plays_per_iteration, self.n))
        self.final = np.zeros((batch, self.n, self.max_types), np.intp)
        self.finalized = np.zeros(batch, bool)
        self.regret = np.zeros(batch)

    def iterations(self, requested: int | None) -> int:
        needed = len(self.type_profiles)
        if requested is not None and requested != needed:
            raise ValueError(
                f"response_iterations must be None or {needed} (one per type profile) with "
                f"dynamics='best_response', got {requested!r}"
            )
        return needed

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

    def strategies(self, rows):
        uniform = self.valid_messages / self.valid_messages.sum(axis=1, keepdims=True)
        mixed = np.broadcast_to(
            uniform[None, :, None, :], (len(rows), *self.final.shape[1:], self.max_messages)
        ).copy()
        chosen = np.arange(self.max_messages) == self.final[rows][..., None]
        return np.where(self.finalized[rows][:, None, None, None], chosen, mixed)

    def finalize(self, rows, rng):
        tensor = OutcomeTensor(
            leader=np.zeros(self.outcomes.shape[:3]),
            followers=self.outcomes[rows],
            types=self.types,
            n_messages=self.spec.n_messages,
        )
        final, regret = best_response_equilibrium(tensor)
        self.final[rows], self.regret[rows], self.finalized[rows] = final, regret, True
        return final

    def empirical_regret(self, rows) -> NDArray[np.float64]:
        return self.regret[rows]
