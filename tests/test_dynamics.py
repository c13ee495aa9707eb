"""Follower dynamics converge where theory says they do, and stay finite."""

from __future__ import annotations

import numpy as np
import pytest

from econ_envs.equilibrium import equilibrium_regret
from econ_envs.followers import make_dynamics
from econ_envs.games.normal_form import NormalForm
from econ_envs.policy_table import evaluate_table, outcome_tensor
from econ_envs.random import StreamBatch, key_from_seed

# follower's best response to row 0 is column 1, to row 1 column 0
GAME_2X2 = [[(1, 0), (0, 1)], [(0, 1), (1, 0)]]


@pytest.mark.parametrize("row", [0, 1])
def test_mw_on_2x2_converges_to_the_best_response(row):
    for seed in range(5):
        result = evaluate_table(
            "econ_envs/NormalForm-v0", np.array([row]), seed=seed, payoffs=GAME_2X2
        )
        assert result.follower_strategies.tolist() == [[1 - row]]
        assert result.regret == 0.0


def run_mw(game, table, iterations, eps, seed=0):
    tensor = outcome_tensor(game, table)
    dynamics = make_dynamics("mw", game.spec, game.types, 1, eps=eps)
    rows = np.zeros(1, np.intp)
    rng = StreamBatch(1)
    rng.seed(rows, np.array([key_from_seed(seed)]))
    dynamics.reset(rows)
    for _ in range(iterations):
        types, plays = dynamics.propose(rows, rng)
        utilities = tensor.followers[
            tensor.type_profile_index(types)[:, None], tensor.message_profile_index(plays)
        ]
        dynamics.update(rows, types, plays, utilities)
    return dynamics, tensor


def test_mw_log_weights_do_not_overflow():
    """eps = 1000 for 1000 iterations moves log-weights as far as eps = 0.01 for 10^6."""
    game = NormalForm(payoffs=GAME_2X2)
    dynamics, _ = run_mw(game, np.array([0]), iterations=1000, eps=1000.0)
    log_weights = dynamics.log_weights[0, 0, 0]
    assert log_weights.max() > 709  # exp() of it would overflow
    strategy = dynamics.strategies(np.zeros(1, np.intp))[0, 0, 0]
    assert np.isfinite(strategy).all() and strategy.sum() == pytest.approx(1.0)
    assert strategy[1] == pytest.approx(1.0)


def test_mw_empirical_regret_vanishes_against_a_fixed_row():
    """Hedge has vanishing regret: against a fixed opponent the average regret falls."""
    game = NormalForm(payoffs=GAME_2X2)
    short, _ = run_mw(game, np.array([0]), iterations=20, eps=0.5)
    long, _ = run_mw(game, np.array([0]), iterations=2000, eps=0.5)
    rows = np.zeros(1, np.intp)
    assert long.empirical_regret(rows)[0] < short.empirical_regret(rows)[0]
    assert long.empirical_regret(rows)[0] < 0.01


def test_argmax_ties_go_to_the_lowest_message():
    tied = [[(1, 1), (1, 1), (1, 1)]]
    result = evaluate_table("econ_envs/NormalForm-v0", np.array([0]), payoffs=tied)
    assert result.follower_strategies.tolist() == [[0]]


def test_best_response_dynamics_finds_pure_equilibrium_of_two_followers():
    table = np.zeros((4, 2))
    table[0, 0] = table[3, 1] = 5.0
    result = evaluate_table("econ_envs/MatrixDesign-v0", table, dynamics="best_response")
    assert result.follower_strategies.tolist() == [[0], [1]]
    assert result.regret == 0.0 and result.value == pytest.approx(1.0)


def test_best_response_dynamics_rejects_an_iteration_count():
    with pytest.raises(ValueError, match="response_iterations must be None or 1"):
        evaluate_table(
            "econ_envs/Escape-v0", np.array([2]), dynamics="best_response", response_iterations=5
        )


def test_exact_regret_detects_a_profitable_deviation():
    game = NormalForm(payoffs=GAME_2X2)
    tensor = outcome_tensor(game, np.array([0]))
    batched = type(tensor)(
        tensor.leader[None], tensor.followers[None], tensor.types, tensor.n_messages
    )
    assert equilibrium_regret(batched, np.array([[[0]]]))[0] == pytest.approx(1.0)
    assert equilibrium_regret(batched, np.array([[[1]]]))[0] == 0.0
