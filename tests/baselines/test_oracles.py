"""Exact oracles against known optima (REFERENCE.md) and against the exact table evaluator."""

from __future__ import annotations

import numpy as np
import pytest

from baselines.oracles import (
    best_message_allocation_table,
    best_table,
    normal_form_optimum,
    strong_stackelberg,
    zero_loss_mspm_table,
)
from econ_envs.policy_table import evaluate_table, evaluate_table_seeds


@pytest.mark.parametrize(
    ("env_id", "mixed", "value"),
    [
        ("econ_envs/Escape-v0", False, 1.0),
        ("econ_envs/Escape-v0", True, 1.0),
        ("econ_envs/Maintain-v0", False, 20 / 30),
        ("econ_envs/Maintain-v0", True, 27.5 / 30),
    ],
)
def test_lp_oracle_matches_reference(env_id, mixed, value):
    solution = normal_form_optimum(env_id, mixed=mixed)
    assert solution.value == pytest.approx(value, abs=1e-9)
    assert solution.leader_strategy.sum() == pytest.approx(1.0)


def test_maintain_mixed_commitment_is_the_published_one():
    solution = normal_form_optimum("econ_envs/Maintain-v0", mixed=True)
    assert solution.leader_strategy == pytest.approx([0.25, 0.75, 0.0], abs=1e-7)
    assert solution.follower_action == 0
    # the supremum is approached from the follower's strict side: 27.5 - 10e at (0.25+e, 0.75-e)
    e = 0.01
    table = np.array([[0.25 + e, 0.75 - e, 0.0]], np.float32)
    near = evaluate_table("econ_envs/Maintain-v0", table, seed=0, mixed=True)
    assert near.value == pytest.approx((27.5 - 10 * e) / 30, abs=1e-6)
    assert near.value < solution.value


@pytest.mark.parametrize("game_seed", range(8))
def test_pure_lp_oracle_agrees_with_exact_evaluator(game_seed):
    rng = np.random.default_rng(game_seed)
    payoffs = rng.uniform(-1.0, 1.0, (3, 3, 2))
    solution = strong_stackelberg(payoffs[..., 0], payoffs[..., 1], mixed=False)
    scale = np.abs(payoffs).max()  # the env normalizes payoffs by the largest entry
    values = [
        evaluate_table("econ_envs/NormalForm-v0", [row], seed=0, payoffs=payoffs).value
        for row in range(3)
    ]
    assert solution.value / scale == pytest.approx(max(values), abs=1e-12)
    assert int(np.argmax(solution.leader_strategy)) == int(np.argmax(values))
    mixed = strong_stackelberg(payoffs[..., 0], payoffs[..., 1], mixed=True)
    assert mixed.value >= solution.value - 1e-9  # committing to a mixture never hurts


@pytest.mark.parametrize(("messages", "value"), [(1, 1 / 3), (2, 2 / 3), (3, 1.0)])
def test_best_message_allocation_table(messages, value):
    result = best_message_allocation_table(n_messages=messages)
    assert result.exhaustive and result.evaluations == 3**messages
    assert result.value == pytest.approx(value)
    assert result.regret == 0.0
    assert len(set(result.table.tolist())) == messages  # every message gets its own item


def test_exact_oracle_finds_the_optimal_persuasion_scheme():
    """Persuasion-v0: exhaustive search over signal-1 probabilities 0, 0.1, ..., 1 in each state."""
    grid = np.linspace(0.0, 1.0, 11)
    blocks = [
        [(np.array([state]), np.array([[1 - q, q]], np.float32)) for q in grid]
        for state in range(2)
    ]
    result = best_table(
        "econ_envs/Persuasion-v0", np.zeros((2, 2), np.float32), blocks, dynamics="best_response"
    )
    assert result.exhaustive and result.evaluations == 121
    assert result.value == pytest.approx(2 / 3, abs=1e-6)
    bad, good = result.table[:, 1]
    assert bad == pytest.approx(0.5) and good in (0.0, 1.0)


@pytest.mark.slow
def test_zero_loss_search_finds_the_3_type_optimum_and_reports_its_exact_score():
    # a budget of tables, not seconds: seed 1 ascends to the optimum at its 121st table
    result = zero_loss_mspm_table(n_types=3, seed=1, time_limit=None, max_evaluations=200)
    # welfare loss 0 with the followers in equilibrium on every leaderboard evaluation seed
    assert (result.value, result.regret) == (0.0, 0.0)
    assert 1 < result.evaluations <= 200  # found by the ascent, not by its random start
    rescored = evaluate_table_seeds("econ_envs/MSPM-v0", result.table, seeds=range(10), n_types=3)
    assert [(r.value, r.regret) for r in rescored] == [(0.0, 0.0)] * 10


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"objective": "revenue"}, "objective must be 'welfare_loss', got 'revenue'"),
        ({"n_agents": 3}, "handles MSPM with two agents and one item, got MSPM with 3 followers"),
        ({"price_step": 0.0}, r"price_step must be in \(0, 1\], got 0.0"),
        ({"max_options": 0}, "max_options must be >= 1, got 0"),
        ({"time_limit": float("nan")}, "time_limit must be >= 0 seconds or None, got nan"),
        ({"max_evaluations": 0}, "max_evaluations must be an integer >= 1 or None, got 0"),
        ({"max_evaluations": 2.5}, "max_evaluations must be an integer >= 1 or None, got 2.5"),
        ({"max_evaluations": True}, "max_evaluations must be an integer >= 1 or None, got True"),
        (
            {"time_limit": None, "max_evaluations": None},
            "time_limit and max_evaluations are both None: give at least one bound",
        ),
    ],
)
def test_zero_loss_search_refuses_what_it_cannot_search(kwargs, message):
    with pytest.raises(ValueError, match=message):
        zero_loss_mspm_table(**{"time_limit": None, "max_evaluations": 1, **kwargs})


def test_zero_loss_search_stops_at_its_budget_of_tables():
    result = zero_loss_mspm_table(n_types=3, time_limit=None, max_evaluations=5)
    assert result.evaluations == 5 and result.value < 0.0  # seed 0 needs more tables
    again = zero_loss_mspm_table(n_types=3, time_limit=None, max_evaluations=5)
    assert again.table.tobytes() == result.table.tobytes()  # the same search: no clock in it
