"""Domain details checked by hand: makespan rules, state spaces, samplers and removal rules."""

from __future__ import annotations

import numpy as np

from econ_envs.ama import AMAParams, make_domain, run_mechanism
from econ_envs.ama.domains.task_scheduling import makespan


def test_the_two_makespan_rules_on_a_hand_computed_schedule():
    # worker 0 gets task 0 (cost 0.3) and task 2 (cost 0.5); worker 1 gets task 1 (cost 0.1)
    costs = np.array([[[0.3, 0.0, 0.5], [0.0, 0.1, 0.0]]])
    # queue: [0.3, 0] -> [0, 0.1] -> [0.5, 0]
    np.testing.assert_allclose(makespan(costs, "queue"), [0.5])
    # curry2024: [0.3, 0] -> [-0.7, 0.1] -> [-0.2, -0.9], clipped at 0
    np.testing.assert_allclose(makespan(costs, "curry2024"), [0.0])


def test_sequential_sales_states_are_rounds_and_past_winners():
    mdp = make_domain("SequentialSales", n_agents=2, n_items=3).mdp
    assert (mdp.n_states, mdp.n_actions, mdp.horizon) == (1 + 3 + 9, 3, 3)
    # state 1 = after item 0 went to nobody; state 2 = after it went to agent 0
    assert mdp.features[0, 2, 1, 0] == 0.0  # agent 0 already has an item: no more value
    assert mdp.features[0, 1, 1, 0] == 1.0
    assert mdp.features[1, 2, 2, 0] == 1.0


def test_removing_a_worker_forbids_assigning_to_it():
    domain = make_domain("TaskScheduling", n_agents=2, n_tasks=3)
    types = domain.sample_types(np.random.default_rng(0), 200)
    outcome = run_mechanism(domain.mdp, AMAParams.vcg(domain.mdp), types)
    # without worker 0 every task goes to worker 1: asw_-0 = -(worker 1's total cost)
    np.testing.assert_allclose(outcome.plan.asw_without[:, 0], -types[:, 1].sum(axis=1))
    # VCG pays each worker its own cost plus its marginal saving: payments are <= 0 (paid out)
    assert np.all(outcome.payments <= 1e-12)


def test_gridworld_types_want_one_cell_other_than_the_start():
    domain = make_domain("GridworldAMA", n_agents=3, size=4)
    types = domain.sample_types(np.random.default_rng(0), 5000)
    assert types.shape == (5000, 3, 16)
    assert np.all((types > 0).sum(axis=2) == 1)
    assert np.all(types[:, :, 0] == 0) and types.max() <= 1.0
    counts = (types > 0).sum(axis=(0, 1))[1:]
    assert counts.min() > 0.8 * counts.mean()  # uniform over the 15 other cells
    assert domain.mdp.next_state[0].tolist() == [12, 4, 3, 1]  # up, down, left, right wrap
