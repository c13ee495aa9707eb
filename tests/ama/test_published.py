"""The published dynamic-AMA numbers (REFERENCE.md) reproduced by the official evaluator."""

from __future__ import annotations

import numpy as np
import pytest

from econ_envs.ama import AMAParams, evaluate, make_domain, run_mechanism
from econ_envs.ama.domains.sequential_sales import vcg_revenue_uniform

SALES_SETTINGS = [(2, 2), (3, 2), (4, 2), (5, 2), (2, 3), (3, 3), (4, 3), (5, 3)]


@pytest.mark.parametrize(("n_agents", "n_items"), SALES_SETTINGS)
def test_vcg_revenue_of_sequential_sales_is_m_times_n_minus_m_over_n_plus_1(n_agents, n_items):
    result = evaluate("econ_envs/SequentialSales-v0", None, n_agents=n_agents, n_items=n_items)
    exact = vcg_revenue_uniform(n_agents, n_items)
    assert abs(result.objective - exact) <= max(3 * result.objective_se, 1e-12)
    assert result.objective == result.vcg_objective == result.revenue


@pytest.mark.parametrize(
    ("n_agents", "n_tasks", "published"),
    [(2, 4, 1.0336), (2, 5, 1.0116), (3, 4, 0.6111), (3, 5, 0.5662)],
)
def test_vcg_makespan_matches_the_published_task_scheduling_table(n_agents, n_tasks, published):
    result = evaluate(
        "econ_envs/TaskScheduling-v0",
        None,
        n_agents=n_agents,
        n_tasks=n_tasks,
        makespan_rule="curry2024",
    )
    assert result.objective == result.makespan
    assert abs(result.objective - published) < 0.02


def test_vcg_revenue_of_the_3x3_gridworld_matches_the_published_value():
    result = evaluate("econ_envs/GridworldAMA-v0", None, n_agents=2, size=3, gamma=0.9)
    assert abs(result.objective - 0.7547) < 0.03


def test_a_reserve_of_one_half_on_each_sale_earns_one_half_with_two_bidders_and_two_items():
    domain = make_domain("SequentialSales", n_agents=2, n_items=2)
    boosts = np.zeros((domain.mdp.n_states, domain.mdp.n_actions))
    boosts[:, 0] = 0.5  # a boost on "nobody" in every state is a reserve price
    params = AMAParams(np.ones(2), boosts)
    types = domain.sample_types(np.random.default_rng(1), 5000)
    outcome = run_mechanism(domain.mdp, params, types)
    winners = types[:, :, 0] > 0.5
    np.testing.assert_allclose(outcome.payments, 0.5 * winners, atol=1e-12)
    np.testing.assert_allclose(outcome.plan.rewards, types[:, :, 0] * winners, atol=1e-12)
    result = evaluate("SequentialSales", params, n_agents=2, n_items=2)
    assert abs(result.objective - 0.5) <= 3 * result.objective_se
