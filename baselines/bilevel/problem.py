"""The bilevel problem seen by the optimizers: a flat parameter vector, its box, and two scores.

A vector ``x`` holds the boosts (row-major) and, when the weights are optimized, the log-weights
(so weights stay positive). For symmetric type distributions the published protocol fixes the
weights to 1. ``exact_score`` uses the exact planner of ``econ_envs``; ``soft_score`` the
differentiable soft planner. Both are to be maximized: revenue, or minus the makespan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from math import log

import numpy as np
import torch

from baselines.bilevel.soft_planner import SoftPlanner, last_round_histories
from econ_envs.ama import AMADomain, AMAParams, score_profiles

LOG_WEIGHT_BOUND = log(4.0)


@dataclass(frozen=True, eq=False)
class BilevelProblem:
    """Optimize the AMA parameters of ``domain`` (weights too iff ``optimize_weights``)."""

    domain: AMADomain
    optimize_weights: bool = False

    @property
    def n_boosts(self) -> int:
        """Number of boosts ``S * A``."""
        return self.domain.mdp.n_states * self.domain.mdp.n_actions

    @property
    def dim(self) -> int:
        """Length of a parameter vector."""
        return self.n_boosts + (self.domain.mdp.n_agents if self.optimize_weights else 0)

    @property
    def sign(self) -> float:
        """``+1`` for revenue, ``-1`` for makespan: scores are always maximized."""
        return 1.0 if self.domain.higher_is_better else -1.0

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The search box: boosts in ``[-scale, scale]``, log-weights in ``[-log 4, log 4]``."""
        scale = self.domain.boost_scale
        n_weights = self.dim - self.n_boosts
        low = np.concatenate(
            [np.full(self.n_boosts, -scale), np.full(n_weights, -LOG_WEIGHT_BOUND)]
        )
        return low, -low

    def params(self, x: np.ndarray) -> AMAParams:
        """The AMA parameters of vector ``x`` (VCG at ``x = 0``)."""
        mdp = self.domain.mdp
        boosts = np.asarray(x[: self.n_boosts]).reshape(mdp.n_states, mdp.n_actions)
        weights = np.exp(x[self.n_boosts :]) if self.optimize_weights else np.ones(mdp.n_agents)
        return AMAParams(weights, boosts)

    def sample_types(self, rng: np.random.Generator, n_profiles: int) -> np.ndarray:
        """Fresh type profiles."""
        return self.domain.sample_types(rng, n_profiles)

    def exact_score(self, x: np.ndarray, types: np.ndarray) -> float:
        """Mean objective (signed to maximize) of ``x`` on ``types`` with the exact planner."""
        scores = score_profiles(self.domain, self.params(x), types)
        return self.sign * float(scores.objective.mean())

    @cached_property
    def _histories(self) -> np.ndarray | None:
        if self.domain.makespan_fn is None:
            return None
        return last_round_histories(self.domain.mdp)

    def soft_score(self, x: torch.Tensor, types: np.ndarray, planner: SoftPlanner) -> torch.Tensor:
        """Differentiable mean objective of ``x`` on ``types`` under the soft planner: soft
        revenue, or minus the expected makespan over the softmax policy's complete histories."""
        mdp = self.domain.mdp
        boosts = x[: self.n_boosts].reshape(mdp.n_states, mdp.n_actions)
        if self.optimize_weights:
            weights = torch.exp(x[self.n_boosts :])
        else:
            weights = torch.ones(mdp.n_agents, dtype=torch.float64)
        soft = planner(types, weights, boosts)
        if self.domain.objective == "revenue":
            return soft.payments(weights).sum(dim=1).mean()
        batch, n_histories = types.shape[0], self._histories.shape[0]
        spans = self.domain.makespan_fn(
            np.repeat(types, n_histories, axis=0), np.tile(self._histories, (batch, 1))
        ).reshape(batch, n_histories)
        return -(soft.last_flow * torch.as_tensor(spans)).sum(dim=1).mean()
