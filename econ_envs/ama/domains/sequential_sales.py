"""Sequential sales (SPEC §2.2): ``n_items`` identical items sold one per round to unit-demand
bidders.

State: the round and who received each past item (or nobody). Actions: 0 = nobody, ``i + 1`` =
agent ``i``. ``r_i = theta_i`` when the item goes to ``i`` and ``i`` has none yet. Removing an
agent sets its value to 0 (its action stays available). Objective: revenue.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from econ_envs.ama.domains.base import AMADomain, check_domain_size
from econ_envs.ama.mdp import TabularMDP, history_tree, stage_bounds_of_tree, tree_size
from econ_envs.validation import check_choice, check_positive_int

DISTRIBUTIONS = ("uniform", "asymmetric")


def sequential_sales(
    n_agents: int = 3, n_items: int = 2, distribution: str = "uniform"
) -> AMADomain:
    """Build the SequentialSales domain.

    Args:
        n_agents: number of unit-demand bidders.
        n_items: number of identical items, one sold per round.
        distribution: ``"uniform"``: U[0,1] values, or ``"asymmetric"``: agent ``i`` (counted
            from 1) has values U[0, 1/i].
    """
    n = check_positive_int("n_agents", n_agents)
    m = check_positive_int("n_items", n_items)
    check_choice("distribution", distribution, DISTRIBUTIONS)
    n_actions = n + 1
    check_domain_size(n, tree_size(n_actions, m), n_actions, 1, n_agents=n, n_items=m)
    next_state, histories = history_tree(n_actions, m)
    features = np.zeros((n, next_state.shape[0], n_actions, 1))
    for i in range(n):
        features[i, :, i + 1, 0] = ~np.any(histories == i + 1, axis=1)
    mdp = TabularMDP(
        next_state=next_state,
        features=features,
        forbidden_without=np.zeros((n, *next_state.shape), dtype=bool),
        gamma=1.0,
        stage_bounds=stage_bounds_of_tree(n_actions, m),
    )
    highs = np.ones(n) if distribution == "uniform" else 1.0 / np.arange(1, n + 1)

    def sampler(rng: np.random.Generator, n_profiles: int) -> np.ndarray:
        return (rng.random((n_profiles, n)) * highs)[:, :, None]

    receivers = ("nobody", *(f"agent {i}" for i in range(n)))

    def state_name(state: int) -> str:
        past = [f"item {k + 1} to {receivers[a]}" for k, a in enumerate(histories[state]) if a >= 0]
        return f"round {len(past)}" + (": " + ", ".join(past) if past else ", nothing sold yet")

    config = {"n_agents": n, "n_items": m, "distribution": distribution}
    return AMADomain(
        "SequentialSales",
        MappingProxyType(config),
        mdp,
        sampler,
        "revenue",
        symmetric=distribution == "uniform",
        boost_scale=1.0,
        action_names=tuple(f"item to {r}" for r in receivers),
        state_name=state_name,
    )


def vcg_revenue_uniform(n_agents: int, n_items: int) -> float:
    """Exact expected VCG revenue with uniform values: ``m (n - m) / (n + 1)`` if ``n > m``."""
    return n_items * (n_agents - n_items) / (n_agents + 1) if n_agents > n_items else 0.0
