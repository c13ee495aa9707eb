"""Every follower dynamics converges where theory says it does and stays finite: mw and
best_response, then q_learning, logit and regret_matching; and every dynamics works in every
Stackelberg environment."""

from __future__ import annotations

import numpy as np
import pytest

from econ_envs import run_dynamics
from econ_envs.equilibrium import equilibrium_regret
from econ_envs.followers import DYNAMICS
from econ_envs.games import make_game
from econ_envs.games.normal_form import NormalForm
from econ_envs.policy_table import evaluate_table, outcome_tensor
from econ_envs.registry import STACKELBERG, ids
from econ_envs.testing import check_determinism, check_vector

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


def test_mw_log_weights_do_not_overflow():
    """eps = 1000 for 1000 iterations moves log-weights as far as eps = 0.01 for 10^6."""
    game = NormalForm(payoffs=GAME_2X2)
    dynamics, _ = run(game, np.array([0]), "mw", 1000, eps=1000.0)
    log_weights = dynamics.log_weights[0, 0, 0]
    assert log_weights.max() > 709  # exp() of it would overflow
    strategy = dynamics.strategies(np.zeros(1, np.intp))[0, 0, 0]
    assert np.isfinite(strategy).all() and strategy.sum() == pytest.approx(1.0)
    assert strategy[1] == pytest.approx(1.0)


def test_mw_empirical_regret_vanishes_against_a_fixed_row():
    """Hedge has vanishing regret: against a fixed opponent the average regret falls."""
    game = NormalForm(payoffs=GAME_2X2)
    short, _ = run(game, np.array([0]), "mw", 20, eps=0.5)
    long, _ = run(game, np.array([0]), "mw", 2000, eps=0.5)
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


# -- games of the q_learning, logit and regret_matching tests -----------------------------------

# follower payoffs of columns 0, 1, 2 against the leader's row 0 (normalized by 4 in the game)
ROW_GAME = [[(0, 1), (0, 4), (0, 2)]]
ROW_UTILITY = np.array([1.0, 4.0, 2.0]) / 4
CHICKEN = [[(0, 0), (0, 1)], [(1, 0), (-5, -5)]]  # messages: 0 = swerve, 1 = dare
SHAPLEY = [[(0, 0), (1, 0), (0, 1)], [(0, 1), (0, 0), (1, 0)], [(1, 0), (0, 1), (0, 0)]]


def run(game, table, name, iterations, batch=1, seed=0, **kwargs):
    """:func:`econ_envs.run_dynamics` of dynamics ``name`` on the exact outcome tensor of
    ``table`` (seeds ``seed, seed + 1, ...``); the dynamics after it and the empirical
    distribution of the base message profiles (full-information learners, two one-type
    followers)."""
    joint = np.zeros((batch, *game.spec.n_messages))

    def record(dynamics):
        joint[(np.arange(batch), *dynamics.base.T)] += 1

    result = run_dynamics(
        game,
        outcome_tensor(game, table),
        range(seed, seed + batch),
        dynamics=name,
        dynamics_kwargs=kwargs,
        response_iterations=iterations,
        on_iteration=None if name == "q_learning" else record,
    )
    return result.dynamics, joint / iterations


# -- q_learning ---------------------------------------------------------------------------------


def test_q_values_reach_the_fixed_point_with_discounted_next_play():
    """One type, so V = max_a Q: the fixed point is Q(a) = u(a) + 0.95 / 0.05 * max u."""
    game = NormalForm(payoffs=ROW_GAME)
    dynamics, _ = run(game, np.array([0]), "q_learning", 6000)
    expected = ROW_UTILITY + 0.95 / 0.05 * ROW_UTILITY.max()
    np.testing.assert_allclose(dynamics.q[0, 0, 0], expected, atol=1e-4)
    assert dynamics.finalize(np.zeros(1, np.intp), None).tolist() == [[[1]]]


def test_q_learning_without_discount_is_the_bandit_estimate_and_explores_on_schedule():
    game = NormalForm(payoffs=ROW_GAME)
    dynamics, _ = run(game, np.array([0]), "q_learning", 2000, discount=0.0, exploration_decay=1e-3)
    np.testing.assert_allclose(dynamics.q[0, 0, 0], ROW_UTILITY, atol=1e-9)
    epsilon = np.exp(-1e-3 * 2000)
    strategy = dynamics.strategies(np.zeros(1, np.intp))[0, 0, 0]
    np.testing.assert_allclose(strategy, [epsilon / 3, 1 - 2 * epsilon / 3, epsilon / 3])


def test_q_learning_best_responds_per_type_in_message_allocation():
    """The follower is paid 1 iff the leader allocates its wanted item: against the identity
    table, message = type is the unique best response."""
    result = evaluate_table(
        "econ_envs/MessageAllocation-v0",
        np.arange(3),
        dynamics="q_learning",
        response_iterations=600,
    )
    assert result.follower_strategies.tolist() == [[0, 1, 2]]
    assert result.regret == 0.0 and result.value == 1.0


def test_q_learning_empirical_regret_falls_as_exploration_decays():
    game = NormalForm(payoffs=ROW_GAME)
    rows = np.zeros(1, np.intp)
    early, _ = run(game, np.array([0]), "q_learning", 50, exploration_decay=0.01)
    late, _ = run(game, np.array([0]), "q_learning", 8000, exploration_decay=0.01)
    assert late.empirical_regret(rows)[0] < early.empirical_regret(rows)[0]
    assert late.empirical_regret(rows)[0] < 0.01


# -- logit --------------------------------------------------------------------------------------


def test_logit_is_the_kl_regularized_softmax_of_the_mean_utilities():
    """pi = prior * exp(rationality * u) / Z, exactly, once the mean utilities are known."""
    game = NormalForm(payoffs=ROW_GAME)
    prior = np.array([0.5, 0.2, 0.3])
    dynamics, _ = run(game, np.array([0]), "logit", 5, rationality=3.0, prior=prior)
    expected = prior * np.exp(3.0 * ROW_UTILITY)
    strategy = dynamics.strategies(np.zeros(1, np.intp))[0, 0, 0]
    np.testing.assert_allclose(strategy, expected / expected.sum(), rtol=1e-12)


@pytest.mark.parametrize(
    "env_id, tables",
    [
        ("econ_envs/Escape-v0", [np.array([r]) for r in range(3)]),
        ("econ_envs/Maintain-v0", [np.array([r]) for r in range(3)]),
        (
            "econ_envs/MessageAllocation-v0",
            [np.array(t) for t in np.ndindex(3, 3, 3)],
        ),
    ],
)
def test_logit_with_infinite_rationality_is_best_response(env_id, tables):
    """Same final strategies as the exact best response, ties to the lowest message."""
    for table in tables:
        exact = evaluate_table(env_id, table, dynamics="best_response")
        logit = evaluate_table(
            env_id,
            table,
            dynamics="logit",
            dynamics_kwargs={"rationality": 1e9, "final": "argmax"},
            response_iterations=60,
        )
        assert logit.follower_strategies.tolist() == exact.follower_strategies.tolist(), table
        assert logit.value == exact.value


def test_logit_with_infinite_rationality_finds_the_two_follower_equilibrium():
    """MatrixDesign with transfer 5 to the row on (A,A) and to the column on (B,B): the unique
    pure equilibrium is (A, B)."""
    table = np.zeros((4, 2))
    table[0, 0] = table[3, 1] = 5.0
    exact = evaluate_table("econ_envs/MatrixDesign-v0", table, dynamics="best_response")
    logit = evaluate_table(
        "econ_envs/MatrixDesign-v0",
        table,
        dynamics="logit",
        dynamics_kwargs={"rationality": 1e9, "final": "argmax"},
        response_iterations=200,
    )
    assert logit.follower_strategies.tolist() == exact.follower_strategies.tolist() == [[0], [1]]


def test_logit_with_low_rationality_stays_near_the_prior():
    game = NormalForm(payoffs=ROW_GAME)
    prior = np.array([0.6, 0.1, 0.3])
    dynamics, _ = run(game, np.array([0]), "logit", 20, rationality=1e-6, prior=prior)
    strategy = dynamics.strategies(np.zeros(1, np.intp))[0, 0, 0]
    np.testing.assert_allclose(strategy, prior, atol=1e-5)


# -- regret_matching ----------------------------------------------------------------------------


def correlated_equilibrium_violation(joint, payoffs):
    """max over followers i and message pairs (a, b) of the gain of playing b whenever told a:
    sum_{a_-i} z(a, a_-i) (u_i(b, a_-i) - u_i(a, a_-i)), in the payoffs' own units."""
    u = np.asarray(payoffs, dtype=np.float64)
    row = (
        np.einsum("ao,bo->ab", joint, u[:, :, 0])
        - np.einsum("ao,ao->a", joint, u[:, :, 0])[:, None]
    )
    col = (
        np.einsum("oa,ob->ab", joint, u[:, :, 1])
        - np.einsum("oa,oa->a", joint, u[:, :, 1])[:, None]
    )
    return max(row.max(), col.max())


def test_regret_matching_play_in_chicken_is_a_correlated_equilibrium():
    """Chicken (0,0 / 0,1 / 1,0 / -5,-5): after 5000 iterations the empirical joint play
    satisfies every correlated-equilibrium constraint within 0.01 (original payoff units)."""
    game = make_game("FollowerGame", payoffs=CHICKEN)
    batch = 4
    _, joint = run(game, np.zeros(1, np.int64), "regret_matching", 5000, batch=batch)
    for b in range(batch):
        assert correlated_equilibrium_violation(joint[b], CHICKEN) <= 0.01
        assert joint[b, 1, 1] < 0.01  # the crash is (almost) never played


def test_regret_matching_reaches_a_mixed_correlated_equilibrium_of_shapleys_game():
    """Shapley's game has no pure equilibrium (play cycles); the empirical joint play still
    satisfies the correlated-equilibrium constraints within 0.01 after 5000 iterations."""
    game = make_game("FollowerGame", payoffs=SHAPLEY)
    _, joint = run(game, np.zeros(1, np.int64), "regret_matching", 5000, batch=2)
    for b in range(2):
        assert correlated_equilibrium_violation(joint[b], SHAPLEY) <= 0.01
        assert joint[b].max() < 0.5  # genuinely mixed


def test_regret_matching_policy_is_the_fixed_point_of_positive_regrets():
    game = make_game("FollowerGame", payoffs=[[(3, 1), (0, 2), (1, 0)], [(2, 2), (1, 3), (0, 1)]])
    dynamics, _ = run(game, np.zeros(1, np.int64), "regret_matching", 50)
    for i, m in enumerate(game.spec.n_messages):
        pi = dynamics.policy[0, i, 0, :m]
        positive = np.maximum(dynamics.regrets[0, i, 0, :m, :m], 0.0)
        np.testing.assert_allclose(pi @ positive, pi * positive.sum(axis=1), atol=1e-6)


def test_regret_matching_single_follower_learns_its_best_response():
    game = NormalForm(payoffs=ROW_GAME)
    dynamics, _ = run(game, np.array([0]), "regret_matching", 200)
    rows = np.zeros(1, np.intp)
    assert dynamics.finalize(rows, None).tolist() == [[[1]]]
    assert dynamics.strategies(rows)[0, 0, 0, 1] > 0.99


# -- every Stackelberg environment --------------------------------------------------------------


#: the learning dynamics (best_response, the exact oracle that refuses games too large to
#: enumerate, has its own tests)
LEARNING = [name for name in DYNAMICS if name != "best_response"]


@pytest.mark.parametrize("dynamics", LEARNING)
@pytest.mark.parametrize("env_id", ids(STACKELBERG))
def test_dynamics_work_in_every_stackelberg_env(env_id, dynamics):
    """Vector env == single envs bit for bit across autoresets, and determinism."""
    short = {"dynamics": dynamics, "response_iterations": 3, "reward_plays": 2}
    check_vector(env_id, num_envs=3, seed=1, episodes=2, **short)
    check_determinism(env_id, seed=1, episodes=2, **short)


@pytest.mark.parametrize(
    "dynamics, kwargs, message",
    [
        ("q_learning", {"alpha": 0.0}, "alpha"),
        ("q_learning", {"discount": 1.0}, "discount"),
        ("q_learning", {"exploration_decay": -1.0}, "exploration_decay"),
        ("logit", {"rationality": 0.0}, "rationality"),
        ("logit", {"prior": [1.0, 0.0, 1.0]}, "prior"),
        ("logit", {"prior": [1.0, 1.0]}, "prior"),
        ("regret_matching", {"final": "mean"}, "final"),
    ],
)
def test_bad_parameters_are_rejected(dynamics, kwargs, message):
    with pytest.raises(ValueError, match=message):
        evaluate_table(
            "econ_envs/Escape-v0", np.array([0]), dynamics=dynamics, dynamics_kwargs=kwargs
        )
