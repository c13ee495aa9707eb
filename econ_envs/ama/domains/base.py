"""What a domain declares: its mechanism MDP, type sampler, objective and parameter scale."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from econ_envs.ama.mdp import TabularMDP

Sampler = Callable[[np.random.Generator, int], np.ndarray]
MakespanFn = Callable[[np.ndarray, np.ndarray], np.ndarray]
MAX_TABLE_ENTRIES = 2_000_000


@dataclass(frozen=True, eq=False)
class AMADomain:
    """One AMA domain instance.

    Attributes:
        name: the domain name (``"SequentialSales"``, ...).
        config: the keyword arguments it was built from (JSON-friendly).
        mdp: its mechanism MDP.
        sampler: ``sampler(rng, B)`` draws ``(B, n, d)`` true type profiles.
        objective: ``"revenue"`` (maximize) or ``"makespan"`` (minimize).
        symmetric: whether agents are exchangeable (then baselines fix the weights to 1).
        boost_scale: the natural size of a boost (parameter boxes are ``[-scale, scale]``).
        makespan_fn: ``makespan_fn(types, path_actions) -> (B,)``, or ``None``.
    """

    name: str
    config: Mapping[str, Any]
    mdp: TabularMDP
    sampler: Sampler
    objective: str
    symmetric: bool
    boost_scale: float
    makespan_fn: MakespanFn | None = None

    @property
    def higher_is_better(self) -> bool:
        """Whether the objective is maximized (revenue) rather than minimized (makespan)."""
        return self.objective == "revenue"

    def sample_types(self, rng: np.random.Generator, n_profiles: int) -> np.ndarray:
        """``(n_profiles, n, d)`` type profiles drawn from ``rng``."""
        return self.sampler(rng, n_profiles)


def check_table_size(n_states: int, n_actions: int) -> None:
    """Refuse MDPs whose boost table would not fit the batched planner's memory budget."""
    if n_states * n_actions > MAX_TABLE_ENTRIES:
        raise ValueError(
            f"the MDP has {n_states} states x {n_actions} actions; at most {MAX_TABLE_ENTRIES} "
            "state-action pairs are supported (use fewer agents, items or tasks)"
        )
