"""The optimal-auction LP behind econ_envs/MSPM-Revenue-v0 against values derived by hand."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from baselines.oracles.revenue_lp import optimal_revenue, uniform_grid_revenue
from econ_envs.policy_table import describe_observations, evaluate_table, game_of


def myerson_uniform_grid(n_agents: int, n_types: int) -> Fraction:
    """E[max_i phi(v_i)^+] for values uniform on {0, 1/(K-1), ..., 1}: the discrete virtual
    value of type k is phi_k = v_k - (v_{k+1} - v_k) (K-1-k) = (2k - K + 1) / (K - 1)."""
    k_max = n_types - 1
    total = Fraction(0)
    for k in range(n_types):
        phi = Fraction(2 * k - k_max, k_max)
        top_is_k = Fraction((k + 1) ** n_agents - k**n_agents, n_types**n_agents)
        total += max(phi, Fraction(0)) * top_is_k
    return total


def test_one_bidder_on_three_values_earns_a_third():
    """Values 0, 1/2, 1 equally likely: price 1/2 sells w.p. 2/3 and price 1 w.p. 1/3, both
    earning 1/3, price 0 earns 0; the best mechanism for one bidder is a posted price."""
    solution = optimal_revenue([[0.0, 0.5, 1.0]], [[1 / 3] * 3])
    assert solution.revenue == pytest.approx(1 / 3, abs=1e-9)


def test_two_bidders_on_three_values_earn_five_ninths():
    """phi = (-1, 0, 1): the seller earns 1 exactly when some bidder has value 1: 1 - (2/3)^2."""
    assert uniform_grid_revenue(2, 3) == pytest.approx(5 / 9, abs=1e-9)


@pytest.mark.parametrize("n_agents, n_types", [(1, 2), (1, 5), (2, 2), (2, 4), (3, 3), (3, 4)])
def test_lp_equals_myerson_on_uniform_grids(n_agents, n_types):
    expected = float(myerson_uniform_grid(n_agents, n_types))
    assert uniform_grid_revenue(n_agents, n_types) == pytest.approx(expected, abs=1e-9)


def test_lp_solution_is_incentive_compatible_and_individually_rational():
    values, probs = [0.2, 0.6, 1.0], [0.5, 0.3, 0.2]
    solution = optimal_revenue([values, values], [probs, probs])
    for x, p in zip(solution.interim_allocation, solution.interim_payment, strict=True):
        utility = np.array(values)[:, None] * x[None, :] - p[None, :]  # [true, reported]
        assert (np.diag(utility) >= -1e-9).all()
        assert (np.diag(utility)[:, None] >= utility - 1e-9).all()
        assert ((x >= -1e-9) & (x <= 1 + 1e-9)).all()
    assert solution.revenue == pytest.approx(
        sum(np.dot(probs, p) for p in solution.interim_payment)
    )


def test_mspm_revenue_env_attains_the_lp_optimum():
    """Visit agent 0 then agent 1, both at price 1: revenue 1 whenever some value is 1 (5/9);
    the followers' messages cannot change it, and no mechanism does better (the LP)."""
    env_id = "econ_envs/MSPM-Revenue-v0"
    game = game_of(env_id)
    assert game.spec.n_messages == game.spec.n_types == (3, 3)
    table = np.tile(np.array([1.0, 0.0, 1.0], np.float32), (game.spec.n_observations, 1))
    result = evaluate_table(env_id, table, dynamics="best_response")
    assert result.value == pytest.approx(uniform_grid_revenue(2, 3), abs=1e-9)
    assert game.spec.optimal_value == pytest.approx(uniform_grid_revenue(2, 3), abs=1e-9)
    assert result.optimality_gap == pytest.approx(0.0, abs=1e-9)


def test_shaded_myerson_table_approaches_the_lp_optimum_on_four_types():
    """Four types, phi = (-1, -1/3, 1/3, 1): visit the bidder with the highest positive virtual
    value (ties to agent 0) at its threshold price minus eps, else post price 1. Followers
    break ties towards the lowest message, so the LP value 13/24 is a supremum: the shaded
    table earns it up to about eps."""
    env_id, eps = "econ_envs/MSPM-Revenue-v0", 1e-3
    kwargs = {"n_types": 4, "n_messages": 4}
    rows = describe_observations(env_id, **kwargs)
    table = np.zeros((len(rows), 3), np.float32)
    for row in rows:
        (m0, m1), visited = row["messages"], row["visited"]
        agent, price = 0, 1.0
        if any(visited):
            agent = 1 if visited[0] else 0
        elif m0 >= max(m1, 2):
            price = max(2, m1) / 3 - eps
        elif m1 > m0 and m1 >= 2:
            agent, price = 1, max(2, m0 + 1) / 3 - eps
        table[row["index"], agent], table[row["index"], 2] = 1.0, price
    result = evaluate_table(env_id, table, dynamics="best_response", **kwargs)
    optimum = uniform_grid_revenue(2, 4)
    assert optimum == pytest.approx(13 / 24, abs=1e-9)
    assert optimum - eps <= result.value <= optimum
    assert result.follower_strategies.tolist() == [[0, 0, 2, 3], [0, 0, 2, 3]]


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="sum to 1"):
        optimal_revenue([[0.0, 1.0]], [[0.5, 0.6]])
    with pytest.raises(ValueError, match="one 1-d array"):
        optimal_revenue([[0.0, 1.0]], [[1.0]])
