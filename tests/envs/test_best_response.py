"""The ``best_response`` oracle: a pure Bayes–Nash equilibrium whenever one exists (exhaustive
search where round-robin best responses cycle), a positive regret when none exists, a documented
choice among several, and a size guard before anything is enumerated."""

from __future__ import annotations

import itertools

import gymnasium as gym
import numpy as np
import pytest

from econ_envs.equilibrium import (
    MAX_SEARCH_PROFILES,
    OutcomeTensor,
    all_message_profiles,
    best_response_equilibrium,
    equilibrium_regret,
    least_regret_profile,
    pure_strategies,
    search_size,
)
from econ_envs.games.types import TypeDistribution
from econ_envs.policy_table import evaluate_table
from tests.envs.episodes import run_episode, table_policy

MSPM, MATRIX = "econ_envs/MSPM-v0", "econ_envs/MatrixDesign-v0"
MSPM_6X3 = {"n_types": 6, "n_messages": 3, "dynamics": "best_response"}
#: a leader policy on MSPM 6x3 against which round-robin best responses cycle (they ended at
#: regret 0.936 before the exhaustive search), although a pure equilibrium exists
CYCLING_TABLE = np.random.default_rng(0).random((72, 3)).astype(np.float32)
#: MatrixDesign transfers that turn the base game into matching pennies: the row follower wants
#: to match the column's message ((A,A) pays it 3+5 > 4, (B,B) 2+10 > 6), the column wants to
#: mismatch (4 > 3 and 6 > 2). Least regret: (A,A), where the column gains (4-3)/16 by leaving.
PENNIES_TABLE = np.array([[5.0, 0.0], [0.0, 0.0], [0.0, 0.0], [10.0, 0.0]])


def bimatrix(row: list[list[float]], column: list[list[float]]) -> OutcomeTensor:
    """A batch of one game of two followers with one type each: utilities ``row[a][b]`` and
    ``column[a][b]`` when the row sends ``a`` and the column ``b``."""
    one_type_profile = np.stack([np.ravel(row), np.ravel(column)], axis=1).astype(float)[None]
    leader = np.zeros((1, *one_type_profile.shape[:2]))
    n_messages = (len(row), len(row[0]))
    return OutcomeTensor(leader, one_type_profile[None], TypeDistribution((1, 1)), n_messages)


def test_mspm_6x3_ends_at_a_pure_equilibrium_where_best_responses_cycle():
    result = evaluate_table(MSPM, CYCLING_TABLE, **MSPM_6X3)
    assert result.regret == 0.0 and result.empirical_regret == 0.0
    assert result.follower_strategies.tolist() == [[0, 0, 0, 0, 2, 2], [0, 0, 1, 1, 1, 1]]


def test_mspm_6x3_env_reports_exact_regret_0_at_the_end_of_the_episode():
    env = gym.make(MSPM, reward_plays=2, **MSPM_6X3)
    kwargs = {"n_types": 6, "n_messages": 3}
    _, _, infos = run_episode(env, table_policy(MSPM, CYCLING_TABLE, **kwargs), seed=0)
    assert infos[-1]["equilibrium_regret"] == 0.0
    exact = evaluate_table(MSPM, CYCLING_TABLE, **MSPM_6X3)
    assert np.array_equal(infos[-1]["follower_strategies"], exact.follower_strategies)


def test_matching_pennies_has_no_pure_equilibrium_and_says_so():
    result = evaluate_table(MATRIX, PENNIES_TABLE, dynamics="best_response")
    assert result.regret == result.empirical_regret == 1 / 16
    assert result.follower_strategies.tolist() == [[0], [0]]  # the least-regret profile (A, A)


def test_env_info_reports_the_regret_when_no_pure_equilibrium_exists():
    env = gym.make(MATRIX, dynamics="best_response", discrete_transfers=True)
    _, _, infos = run_episode(env, table_policy(MATRIX, PENNIES_TABLE.astype(int)), seed=0)
    assert infos[-1]["equilibrium_regret"] == 1 / 16


def test_plain_matching_pennies_regret_is_that_of_the_least_regret_profile():
    strategies, regret = best_response_equilibrium(bimatrix([[1, 0], [0, 1]], [[0, 1], [1, 0]]))
    assert regret.tolist() == [1.0]  # every profile: one follower gains 1 by switching
    assert strategies[0].tolist() == [[0], [0]]  # ties to the first profile


def test_of_two_equilibria_the_one_best_responses_reach_from_zero_messages():
    """Coordination: (0,0) pays 1 each, (1,1) pays 2 each; round-robin best responses from
    all-zero messages stay at (0,0), so that is the one chosen, although (1,1) pays more."""
    strategies, regret = best_response_equilibrium(bimatrix([[1, 0], [0, 2]], [[1, 0], [0, 2]]))
    assert strategies[0].tolist() == [[0], [0]] and regret.tolist() == [0.0]


def test_where_best_responses_cycle_the_first_equilibrium_in_lexicographic_order():
    """Messages 0-1: matching pennies (best responses from (0,0) cycle there); messages 2-3: a
    coordination game with equilibria (2,2) paying 1 and (3,3) paying 2; -9 across the blocks.
    The search picks (2,2): first in lexicographic order, not the better-paying one."""
    row = np.full((4, 4), -9.0)
    column = np.full((4, 4), -9.0)
    row[:2, :2], column[:2, :2] = [[1, 0], [0, 1]], [[0, 1], [1, 0]]
    row[2:, 2:] = column[2:, 2:] = [[1, 0], [0, 2]]
    strategies, regret = best_response_equilibrium(bimatrix(row.tolist(), column.tolist()))
    assert strategies[0].tolist() == [[2], [2]] and regret.tolist() == [0.0]


@pytest.mark.parametrize("seed", range(6))
def test_search_finds_the_brute_force_least_regret_profile(seed):
    """Random games of 2-3 followers with 1-2 types (some of probability 0) and 1-3 messages:
    the search returns the first profile of least regret, as brute force over every profile."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 4))
    n_types = tuple(int(k) for k in rng.integers(1, 3, n))
    n_messages = tuple(int(m) for m in rng.integers(1, 4, n))
    joint = rng.random(n_types) * (rng.random(n_types) > 0.3)
    joint = joint / joint.sum() if joint.sum() > 0 else np.full(n_types, 1 / np.prod(n_types))
    types = TypeDistribution(n_types, joint_type_probs=joint)
    shape = (len(types.profile_probs), int(np.prod(n_messages)), n)
    followers = rng.integers(0, 3, shape).astype(float)
    tensor = OutcomeTensor(np.zeros(shape[:2]), followers, types, n_messages)
    batched = OutcomeTensor(np.zeros((1, *shape[:2])), followers[None], types, n_messages)
    regrets = [
        (equilibrium_regret(batched, np.stack(profile)[None])[0], np.stack(profile))
        for profile in itertools.product(*pure_strategies(types, n_messages))
    ]
    least = min(r for r, _ in regrets)
    first = next(p for r, p in regrets if r == least)
    assert least_regret_profile(tensor).tolist() == first.tolist()
    assert best_response_equilibrium(batched)[1][0] == least


def test_search_size_counts_profiles_times_choosing_followers():
    types = TypeDistribution((6, 6))
    assert search_size(types, (3, 3)) == 2 * 3**12
    assert search_size(types, (3, 1)) == 0  # one follower with a choice: best responses suffice
    # types of probability 0 send message 0: follower 0 has 1 such type, follower 1 none
    assert search_size(TypeDistribution((2, 2), [[1, 0], [0.5, 0.5]]), (2, 3)) == 2 * 2 * 9
    correlated = TypeDistribution((2, 2), joint_type_probs=[[0.5, 0], [0.5, 0]])
    assert search_size(correlated, (2, 2)) == 2 * 2**2 * 2


def test_a_game_too_large_to_search_is_refused_before_anything_is_built():
    with pytest.raises(ValueError) as error:
        gym.make(MSPM, n_types=8, n_messages=3, dynamics="best_response")
    assert str(error.value) == (
        "dynamics='best_response', n_types=(8, 8), n_messages=(3, 3) implies 86,093,442 entries "
        "(pure strategy profiles x followers with a choice) to search for a pure equilibrium; "
        f"use dynamics='mw' for a game this large; the limit is {MAX_SEARCH_PROFILES:,}"
    )


def test_one_follower_is_never_searched_however_many_strategies_it_has():
    # 10 messages ** 10 types pure strategies, but a best response per type is an equilibrium
    result = evaluate_table(
        "econ_envs/MessageAllocation-v0",
        np.arange(10),  # message j -> item j
        n_items=10,
        n_messages=10,
        dynamics="best_response",
    )
    assert result.regret == 0.0
    assert result.follower_strategies.tolist() == [list(range(10))]  # type j asks for item j


def test_pure_strategies_are_in_lexicographic_order_on_types_of_positive_probability():
    types = TypeDistribution((3, 1), [[0.5, 0.0, 0.5], [1.0]])
    first, second = pure_strategies(types, (2, 2))
    assert first.tolist() == [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 0, 1]]
    assert second.tolist() == [[0, 0, 0], [1, 0, 0]]
    assert all_message_profiles((2, 2)).tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
