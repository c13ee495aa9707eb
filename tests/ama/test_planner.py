"""The batched exact planner against brute force and the Bellman equation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from econ_envs.ama import make_domain, plan
from econ_envs.ama.planner import path_length


def _open_loop_optimum(mdp, types, weights, boosts, problem):
    """max over all action sequences of a deterministic finite-horizon MDP, by enumeration."""
    keep = np.ones(mdp.n_agents)
    if problem > 0:
        keep[problem - 1] = 0.0
    best = np.full(types.shape[0], -np.inf)
    for actions in itertools.product(range(mdp.n_actions), repeat=mdp.horizon):
        state, total, allowed = mdp.start, np.zeros(types.shape[0]), True
        for action in actions:
            if problem > 0 and mdp.forbidden_without[problem - 1, state, action]:
                allowed = False
            rewards = np.einsum("bnd,nd->bn", types, mdp.features[:, state, action])
            total += (rewards * weights * keep).sum(axis=1) + boosts[state, action]
            state = mdp.next_state[state, action]
        if allowed:
            best = np.maximum(best, total)
    return best


@pytest.mark.parametrize(
    ("domain", "kwargs"),
    [
        ("SequentialSales", {"n_agents": 3, "n_items": 2}),
        ("SequentialSales", {"n_agents": 2, "n_items": 3, "distribution": "asymmetric"}),
        ("TaskScheduling", {"n_agents": 3, "n_tasks": 3, "distribution": "asymmetric"}),
    ],
)
def test_backward_induction_equals_brute_force_for_all_n_plus_1_problems(domain, kwargs):
    mdp = make_domain(domain, **kwargs).mdp
    rng = np.random.default_rng(0)
    types = make_domain(domain, **kwargs).sample_types(rng, 50)
    weights = rng.uniform(0.5, 2.0, mdp.n_agents)
    boosts = rng.normal(0.0, 0.5, (mdp.n_states, mdp.n_actions))
    result = plan(mdp, types, weights, boosts)
    np.testing.assert_allclose(
        result.asw, _open_loop_optimum(mdp, types, weights, boosts, 0), atol=1e-12
    )
    for agent in range(mdp.n_agents):
        expected = _open_loop_optimum(mdp, types, weights, boosts, agent + 1)
        np.testing.assert_allclose(result.asw_without[:, agent], expected, atol=1e-12)
    # the chosen path attains asw
    achieved = (result.rewards * weights).sum(axis=1)
    achieved += boosts[result.path_states, result.path_actions].sum(axis=1)
    np.testing.assert_allclose(achieved, result.asw, atol=1e-12)


def test_gridworld_values_satisfy_the_bellman_optimality_equation():
    domain = make_domain("GridworldAMA", n_agents=2, size=3, gamma=0.9)
    mdp = domain.mdp
    rng = np.random.default_rng(3)
    types = domain.sample_types(rng, 40)
    weights = rng.uniform(0.5, 2.0, 2)
    boosts = rng.normal(0.0, 0.2, (mdp.n_states, mdp.n_actions))
    result = plan(mdp, types, weights, boosts)
    # plain value iteration for the full problem, to 1e-13
    reward = np.einsum("bnc,nsac->bsa", types * weights[None, :, None], mdp.features) + boosts
    values = np.zeros((types.shape[0], mdp.n_states))
    for _ in range(400):
        values = (reward + mdp.gamma * values[:, mdp.next_state]).max(axis=-1)
    np.testing.assert_allclose(result.asw, values[:, mdp.start], atol=1e-10)
    # the rolled-out policy attains it, and the occupancy has total mass 1 / (1 - gamma)
    discounted = (result.discounts * boosts[result.path_states, result.path_actions]).sum(axis=1)
    achieved = (result.rewards * weights).sum(axis=1) + discounted
    np.testing.assert_allclose(achieved, result.asw, atol=1e-9)
    occupancy = result.occupancy(mdp.n_states)
    np.testing.assert_allclose(occupancy.sum(axis=1), 10.0, atol=1e-9)
    assert result.path_states.shape[1] == path_length(mdp)


def test_vcg_welfare_of_sequential_sales_is_the_expected_sum_of_the_top_values():
    domain = make_domain("SequentialSales", n_agents=3, n_items=2)
    types = domain.sample_types(np.random.default_rng(0), 20_000)
    result = plan(domain.mdp, types, np.ones(3), np.zeros((domain.mdp.n_states, 4)))
    top_two = np.sort(types[:, :, 0], axis=1)[:, 1:].sum(axis=1)
    np.testing.assert_allclose(result.rewards.sum(axis=1), top_two, atol=1e-12)
    welfare = result.rewards.sum(axis=1)
    assert abs(welfare.mean() - 1.25) < 3 * welfare.std() / np.sqrt(welfare.size)  # 3/4 + 2/4
    assert np.all(result.occupancy(domain.mdp.n_states).sum(axis=1) == 2)


def test_ties_go_to_the_lowest_action_and_chunking_changes_nothing():
    domain = make_domain("SequentialSales", n_agents=2, n_items=1)
    types = np.zeros((3, 2, 1))  # everyone values 0: nobody (action 0) is tied with both agents
    result = plan(domain.mdp, types, np.ones(2), np.zeros((1, 3)), with_policy=True)
    assert np.all(result.policy == 0)
    big = make_domain("SequentialSales", n_agents=4, n_items=3)
    types = big.sample_types(np.random.default_rng(2), 1000)
    boosts = np.random.default_rng(3).normal(size=(big.mdp.n_states, big.mdp.n_actions))
    one = plan(big.mdp, types, np.ones(4), boosts, with_policy=True)
    chunked = plan(big.mdp, types, np.ones(4), boosts, chunk_size=37, with_policy=True)
    # the policy table agrees with the path: the action taken in every visited state
    rows = np.arange(1000)[:, None]
    np.testing.assert_array_equal(one.policy[rows, one.path_states], one.path_actions)
    for name in ("policy", "path_actions"):
        np.testing.assert_array_equal(getattr(one, name), getattr(chunked, name))
    for name in ("asw", "asw_without", "rewards"):
        np.testing.assert_allclose(getattr(one, name), getattr(chunked, name), rtol=0, atol=1e-12)
