"""The games' rules against direct computation and their exact optima: Persuasion-v0,
LaneCoordination-v0 (and its product type distribution) and FollowerGame."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from econ_envs.games import make_game
from econ_envs.games.product_types import ProductTypes
from econ_envs.games.types import TypeDistribution
from econ_envs.policy_table import evaluate_table, evaluate_table_seeds, game_of

PERSUASION = "econ_envs/Persuasion-v0"
LANE = "econ_envs/LaneCoordination-v0"
# rows: state bad, good; columns: weight of signal 0, signal 1
OPTIMAL_SIGNALS = np.array([[0.5, 0.5], [0.0, 1.0]], np.float32)


# -- Persuasion ---------------------------------------------------------------------------------


def test_optimal_signalling_sells_with_probability_two_thirds():
    """Signal 1 always when good, half the time when bad: P(good | signal 1) = 1/2, so the
    buyer (indifferent) buys on signal 1: sale probability 1/3 + 2/3 * 1/2 = 2/3."""
    result = evaluate_table(PERSUASION, OPTIMAL_SIGNALS, dynamics="best_response")
    assert result.value == pytest.approx(2 / 3, abs=1e-12)
    assert result.regret == 0.0 and result.optimal_value == pytest.approx(2 / 3)
    assert result.follower_strategies[0, 0] == 1  # plan 1: refuse on signal 0, buy on 1
    mirrored = evaluate_table(PERSUASION, OPTIMAL_SIGNALS[:, ::-1], dynamics="best_response")
    assert mirrored.value == pytest.approx(2 / 3, abs=1e-12)


@pytest.mark.parametrize(
    "table, value",
    [
        ([[1.0, 0.0], [0.0, 1.0]], 1 / 3),  # full disclosure: buys only when good
        ([[0.5, 0.5], [0.5, 0.5]], 0.0),  # no information: prior 1/3 < 1/2, never buys
        ([[0.0, 1.0], [0.0, 1.0]], 0.0),  # pooling on one signal is no information either
    ],
)
def test_persuasion_values_of_simple_schemes(table, value):
    result = evaluate_table(PERSUASION, np.array(table, np.float32), dynamics="best_response")
    assert result.value == pytest.approx(value, abs=1e-12)


def test_multiplicative_weights_buyer_buys_below_the_threshold():
    """Shade the bad-state signal to 0.45: buying on signal 1 gains 1/3 - 2/3 * 0.45 > 0,
    so Hedge followers learn to buy and the sale probability is 1/3 + 2/3 * 0.45."""
    table = np.array([[0.55, 0.45], [0.0, 1.0]], np.float32)
    results = evaluate_table_seeds(PERSUASION, table, seeds=range(4), response_iterations=3000)
    for result in results:
        assert result.value == pytest.approx(1 / 3 + 2 / 3 * 0.45, abs=1e-6)


def test_persuasion_episode_return_estimates_the_exact_value():
    env = gym.make(PERSUASION, dynamics="best_response", reward_plays=3000)
    obs, _ = env.reset(seed=3)
    total, done = 0.0, False
    while not done:
        obs, reward, done, _, _ = env.step(OPTIMAL_SIGNALS[int(np.argmax(obs))])
        total += reward
    assert total == pytest.approx(2 / 3, abs=0.02)


def test_persuasion_optimum_follows_the_prior_and_rejects_one_signal():
    assert game_of(PERSUASION, prior=0.2).spec.optimal_value == pytest.approx(0.4)
    assert game_of(PERSUASION, prior=0.6).spec.optimal_value == 1.0
    with pytest.raises(ValueError, match="n_signals"):
        game_of(PERSUASION, n_signals=1)
    with pytest.raises(ValueError, match="prior"):
        game_of(PERSUASION, prior=1.0)


# -- LaneCoordination ---------------------------------------------------------------------------


def play_lane(game, types, messages, action):
    plays = game.new_plays(len(types))
    game.start(plays, np.arange(len(types)), types, messages)
    assert game.step(plays, np.asarray(action, np.float32)).all()
    return game.utilities(plays, np.arange(len(types)))


def test_lane_utilities_match_the_definition():
    game = make_game("LaneCoordination", n_agents=4, delta=0.1, beta=2.0)
    rng = np.random.default_rng(0)
    types = rng.integers(0, 6, (5, 4))
    messages = rng.integers(0, 6, (5, 4))
    action = rng.uniform(-1, 1, (5, 3)).astype(np.float32)
    leader, followers = play_lane(game, types, messages, action)
    start, move = game.starts[types], game.moves[messages]
    x = start + move
    spread = ((x[:, :, None] - x[:, None, :]) ** 2).sum(axis=2)
    own = -2.0 * spread - 0.1 * move
    w = 5.0 * action.astype(np.float64)
    transfer = w[:, :1] + w[:, 1:2] * x + w[:, 2:3] * x**2
    np.testing.assert_allclose(followers, own + transfer, atol=1e-12)
    np.testing.assert_allclose(leader, own.sum(axis=1), atol=1e-12)


def test_perfect_coordination_loses_only_effort():
    """Everyone moves to 0.5 (start k/10 moves 0.5 - k/10): no spread, welfare -delta * sum u."""
    game = make_game("LaneCoordination", n_agents=6)
    types = np.arange(6)[None]
    messages = 5 - types
    leader, _ = play_lane(game, types, messages, np.zeros((1, 3)))
    assert leader[0] == pytest.approx(-0.05 * (0.5 - game.starts).sum(), abs=1e-12)


def test_product_types_sample_each_marginal_and_refuse_to_enumerate_huge_sets():
    marginals = [[0.2, 0.8], [0.5, 0.25, 0.25]]
    types = ProductTypes(marginals)
    draws = types.sample(np.random.default_rng(1).random(40_000))
    assert abs((draws[:, 0] == 1).mean() - 0.8) < 0.01
    assert abs((draws[:, 1] == 0).mean() - 0.5) < 0.01
    exact = TypeDistribution((2, 3), marginals)
    np.testing.assert_allclose(types.profile_probs, exact.profile_probs)
    np.testing.assert_array_equal(types.profiles, exact.profiles)
    with pytest.raises(ValueError, match="too many to enumerate"):
        _ = ProductTypes([[1 / 6] * 6] * 20).profiles
    with pytest.raises(ValueError, match="too many to enumerate"):
        gym.make(LANE, n_agents=20, dynamics="best_response")


def test_a_transfer_peaked_at_the_meeting_point_raises_welfare():
    """Logit followers scatter without a transfer; T(x) = 5 (x - x^2 - 1), peaked at x = 1/2,
    pulls them together (same seeds, same episodes)."""
    means = []
    for action in ([0.0, 0.0, 0.0], [-1.0, 1.0, -1.0]):
        env = gym.make_vec(LANE, num_envs=6, vectorization_mode="vector_entry_point")
        env.reset(seed=0)
        total, done = np.zeros(6), np.zeros(6, bool)
        while not done.all():
            _, reward, terminated, _, _ = env.step(np.tile(np.float32(action), (6, 1)))
            total += np.where(done, 0.0, reward)
            done |= terminated
        means.append(total.mean())
    assert means[1] > means[0] + 0.1


# -- FollowerGame -------------------------------------------------------------------------------


def test_follower_game_pays_the_normalized_payoffs():
    payoffs = np.array([[(0, 0), (0, 1)], [(1, 0), (-5, -5)]], float)
    game = make_game("FollowerGame", payoffs=payoffs)
    messages = np.array([[0, 1], [1, 0], [1, 1]])
    plays = game.new_plays(3)
    game.start(plays, np.arange(3), np.zeros((3, 2), np.intp), messages)
    game.step(plays, np.zeros(3, np.int64))
    leader, followers = game.utilities(plays, np.arange(3))
    np.testing.assert_allclose(followers, payoffs[messages[:, 0], messages[:, 1]] / 5)
    np.testing.assert_allclose(leader, followers.mean(axis=1))
    with pytest.raises(ValueError, match="payoffs must have shape"):
        make_game("FollowerGame", payoffs=np.zeros((2, 2, 3)))
