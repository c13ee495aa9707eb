"""Incentive properties of AMA payments: truthfulness (property-based) and individual
rationality, for random weights and boosts in every domain."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from econ_envs.ama import AMAParams, make_domain, run_mechanism
from econ_envs.ama.domains import DOMAINS as REGISTERED_DOMAINS

DOMAINS = [
    ("SequentialSales", {"n_agents": 3, "n_items": 2}),
    ("SequentialSales", {"n_agents": 3, "n_items": 3, "distribution": "asymmetric"}),
    ("TaskScheduling", {"n_agents": 2, "n_tasks": 3}),
    ("TaskScheduling", {"n_agents": 3, "n_tasks": 2, "distribution": "asymmetric"}),
    ("GridworldAMA", {"n_agents": 2, "size": 3}),
]
BATCH = 64


def test_every_registered_domain_is_exercised():
    assert {name for name, _ in DOMAINS} == set(REGISTERED_DOMAINS)


def _true_reward(domain, outcome, true_types, agent):
    """Agent ``agent``'s reward, by its true type, along the path chosen from the reports."""
    plan = outcome.plan
    features = domain.mdp.features[agent][plan.path_states, plan.path_actions]  # (B, T, d)
    per_step = np.einsum("btd,bd->bt", features, true_types[:, agent])
    return (per_step * plan.discounts).sum(axis=1)


def _random_params(domain, rng):
    mdp = domain.mdp
    weights = rng.uniform(0.3, 3.0, mdp.n_agents)
    boosts = rng.normal(0.0, 0.5 * domain.boost_scale, (mdp.n_states, mdp.n_actions))
    return AMAParams(weights, boosts)


@settings(max_examples=25, deadline=None)
@given(
    which=st.integers(0, len(DOMAINS) - 1),
    agent_choice=st.integers(0, 2),
    seed=st.integers(0, 2**32 - 1),
    vcg=st.booleans(),
)
def test_no_agent_gains_by_misreporting(which, agent_choice, seed, vcg):
    name, kwargs = DOMAINS[which]
    domain = make_domain(name, **kwargs)
    agent = agent_choice % domain.mdp.n_agents
    rng = np.random.default_rng(seed)
    params = AMAParams.vcg(domain.mdp) if vcg else _random_params(domain, rng)
    truth = domain.sample_types(rng, BATCH)
    lies = truth.copy()
    lies[:, agent] = domain.sample_types(rng, BATCH)[:, agent]
    honest = run_mechanism(domain.mdp, params, truth)
    lying = run_mechanism(domain.mdp, params, lies)
    honest_utility = honest.utilities[:, agent]
    np.testing.assert_allclose(
        honest_utility,
        _true_reward(domain, honest, truth, agent) - honest.payments[:, agent],
        atol=1e-9,
    )
    lying_utility = _true_reward(domain, lying, truth, agent) - lying.payments[:, agent]
    assert np.all(lying_utility <= honest_utility + 1e-7)


def test_individual_rationality_ex_post_and_in_expectation():
    rng = np.random.default_rng(7)
    for name, kwargs in DOMAINS:
        domain = make_domain(name, **kwargs)
        for params in (AMAParams.vcg(domain.mdp), _random_params(domain, rng)):
            outcome = run_mechanism(domain.mdp, params, domain.sample_types(rng, 2000))
            assert np.all(outcome.utilities >= -1e-9), name
            assert np.all(outcome.utilities.mean(axis=0) >= 0.0), name


def test_vcg_payment_in_a_single_item_sale_is_the_second_highest_value():
    domain = make_domain("SequentialSales", n_agents=4, n_items=1)
    types = domain.sample_types(np.random.default_rng(0), 1000)
    outcome = run_mechanism(domain.mdp, AMAParams.vcg(domain.mdp), types)
    second = np.sort(types[:, :, 0], axis=1)[:, -2]
    np.testing.assert_allclose(outcome.revenue, second, atol=1e-12)
    winner = types[:, :, 0].argmax(axis=1)
    np.testing.assert_array_equal(outcome.plan.path_actions[:, 0], winner + 1)
