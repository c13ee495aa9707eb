"""AMA parameters and payments: from a plan to payments, revenue, welfare and utilities.

Payment rule (SPEC §2.1): ``p_i = (asw_-i - (asw - w_i R_i)) / w_i``. VCG is the AMA with all
weights 1 and all boosts 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from econ_envs.ama.mdp import TabularMDP
from econ_envs.ama.planner import Plan, plan


def _frozen_array(value: Any, name: str) -> np.ndarray:
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of real numbers, got {value!r}") from error
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {array.tolist()!r}")
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class AMAParams:
    """Parameters of an affine maximizer: positive ``weights`` ``(n,)`` and ``boosts`` ``(S, A)``.

    Both are stored as read-only float64 arrays; construction rejects NaN, inf and non-positive
    weights with a ``ValueError``. Use :meth:`check` to validate shapes against a mechanism MDP.
    """

    weights: np.ndarray
    boosts: np.ndarray

    def __post_init__(self) -> None:
        weights = _frozen_array(self.weights, "weights")
        boosts = _frozen_array(self.boosts, "boosts")
        if weights.ndim != 1 or np.any(weights <= 0):
            raise ValueError(
                f"weights must be a 1-d array of positive numbers (> 0), got {weights.tolist()!r}"
            )
        if boosts.ndim != 2:
            raise ValueError(
                f"boosts must be a 2-d (states, actions) array, got shape {boosts.shape}"
            )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "boosts", boosts)

    @classmethod
    def vcg(cls, mdp: TabularMDP) -> AMAParams:
        """VCG for ``mdp``: all weights 1, all boosts 0."""
        return cls(np.ones(mdp.n_agents), np.zeros((mdp.n_states, mdp.n_actions)))

    @classmethod
    def from_flat(cls, flat: Sequence[float] | np.ndarray, mdp: TabularMDP) -> AMAParams:
        """Parameters from a flat vector: ``S * A`` boosts (row-major), then ``n`` weights."""
        vector = np.asarray(flat, dtype=np.float64).ravel()
        n_boosts = mdp.n_states * mdp.n_actions
        if vector.size != n_boosts + mdp.n_agents:
            raise ValueError(
                f"flat parameters must have {n_boosts} boosts + {mdp.n_agents} weights = "
                f"{n_boosts + mdp.n_agents} entries, got {vector.size}"
            )
        return cls(vector[n_boosts:], vector[:n_boosts].reshape(mdp.n_states, mdp.n_actions))

    def to_flat(self) -> np.ndarray:
        """The flat vector of :meth:`from_flat`."""
        return np.concatenate([self.boosts.ravel(), self.weights])

    def to_dict(self) -> dict[str, list]:
        """JSON-friendly ``{"weights": [...], "boosts": [[...], ...]}``."""
        return {"weights": self.weights.tolist(), "boosts": self.boosts.tolist()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AMAParams:
        """Inverse of :meth:`to_dict`."""
        missing = {"weights", "boosts"} - set(data)
        if missing:
            raise ValueError(
                f"AMA parameters need the keys 'weights' and 'boosts'; missing {sorted(missing)}"
            )
        return cls(data["weights"], data["boosts"])

    def check(self, mdp: TabularMDP) -> AMAParams:
        """Raise ``ValueError`` unless the shapes fit ``mdp``; returns ``self``."""
        if self.weights.shape != (mdp.n_agents,):
            raise ValueError(
                f"weights must have shape ({mdp.n_agents},) (one per agent), "
                f"got {self.weights.shape}"
            )
        if self.boosts.shape != (mdp.n_states, mdp.n_actions):
            raise ValueError(
                f"boosts must have shape ({mdp.n_states}, {mdp.n_actions}) (states, actions), "
                f"got {self.boosts.shape}"
            )
        return self


@dataclass(frozen=True, eq=False)
class Outcome:
    """Per-profile results of running an AMA on a batch of reported types.

    Attributes:
        plan: the planner's output.
        payments: ``(B, n)`` payment of each agent.
        utilities: ``(B, n)`` reward minus payment.
        revenue: ``(B,)`` sum of payments.
        welfare: ``(B,)`` sum of the agents' rewards.
    """

    plan: Plan
    payments: np.ndarray
    utilities: np.ndarray
    revenue: np.ndarray
    welfare: np.ndarray


def payments(result: Plan, weights: np.ndarray) -> np.ndarray:
    """``(B, n)`` AMA payments ``(asw_-i - (asw - w_i R_i)) / w_i``."""
    return (result.asw_without - (result.asw[:, None] - weights * result.rewards)) / weights


def run_mechanism(mdp: TabularMDP, params: AMAParams, types: np.ndarray) -> Outcome:
    """Plan for every profile of ``types`` ``(B, n, d)`` and charge the AMA payments."""
    params.check(mdp)
    result = plan(mdp, types, params.weights, params.boosts)
    pay = payments(result, params.weights)
    return Outcome(result, pay, result.rewards - pay, pay.sum(axis=1), result.rewards.sum(axis=1))
