"""Constructors of the Stackelberg ids refuse bad keywords with an error naming them (issue 12,
items 1, 3 and 4): real bools and numbers, presets, the id-swap guard, the size guard, the types
of ``render_mode`` / ``dynamics`` / ``dynamics_kwargs``, stable logit followers, and the phase
reported at reset with ``response_iterations=0``."""

from __future__ import annotations

import json
import re

import gymnasium as gym
import numpy as np
import pytest

import econ_envs
from econ_envs import pettingzoo as pz
from econ_envs.policy_table import evaluate_table
from econ_envs.validation import KeywordTypeError, check_choice, check_size
from tests.bounds import allocates_at_most

MSPM, AGRAWAL, LANE = (
    "econ_envs/MSPM-v0",
    "econ_envs/MSPM-Agrawal-v0",
    "econ_envs/LaneCoordination-v0",
)
MSPM_TABLE = np.zeros((32, 3))  # a valid policy table of the default MSPM


def make_single(env_id, **kwargs):
    return gym.make(env_id, **kwargs)


def make_vector(env_id, **kwargs):
    return gym.make_vec(env_id, num_envs=2, vectorization_mode="vector_entry_point", **kwargs)


def make_evaluated(env_id, **kwargs):
    return evaluate_table(env_id, MSPM_TABLE if env_id == MSPM else np.zeros(1), **kwargs)


EPISODE_PATHS = [make_single, make_vector, make_evaluated]


@pytest.mark.parametrize("make", EPISODE_PATHS)
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"privileged_state": 2}, "privileged_state must be True or False, got 2 (int)"),
        ({"privileged_state": "True"}, "privileged_state must be True or False, got 'True' (str)"),
        (
            {"dynamics": ["mw"]},
            "dynamics must be one of 'best_response', 'logit', 'mw', 'q_learning', "
            "'regret_matching', got ['mw'] (list)",
        ),
        ({"dynamics_kwargs": [1]}, "dynamics_kwargs must be a dict of keyword arguments"),
        ({"response_iterations": 2.0}, "response_iterations must be an integer >= 0, got 2.0"),
        ({"reward_plays": True}, "reward_plays must be an integer >= 1, got True (bool)"),
        ({"max_price": "1"}, "max_price must be a real number, got '1' (str)"),
        ({"max_price": True}, "max_price must be a real number, got True (bool)"),
        ({"n_items": 2.0}, "n_items must be an integer >= 1, got 2.0 (float)"),
        ({"dynamics_kwargs": {"eps": "0.1"}}, "eps must be a real number, got '0.1' (str)"),
    ],
)
def test_values_of_the_wrong_type_raise_type_error_naming_the_keyword(make, kwargs, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        make(MSPM, **kwargs)


@pytest.mark.parametrize(
    ("env_id", "kwargs", "message"),
    [
        ("econ_envs/Maintain-v0", {"mixed": "False"}, "mixed must be True or False, got 'False'"),
        ("econ_envs/Escape-v0", {"mixed": 1}, "mixed must be True or False, got 1 (int)"),
        ("econ_envs/MatrixDesign-v0", {"discrete_transfers": 0}, "discrete_transfers must be"),
        ("econ_envs/Persuasion-v0", {"prior": "0.5"}, "prior must be a real number"),
        ("econ_envs/NormalForm-v0", {"payoffs": [[["1", "2"]]]}, "payoffs must be an array of"),
        (LANE, {"dynamics_kwargs": {"rationality": "5"}}, "rationality must be a real number"),
        (MSPM, {"render_mode": 5}, "render_mode must be one of None, 'ansi', got 5 (int)"),
        (MSPM, {"type_probs": [["0.5", "0.5", 0], [1, 0, 0]]}, "type_probs[0] must be an array"),
    ],
)
def test_flags_and_numbers_must_have_the_right_type(env_id, kwargs, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        gym.make(env_id, **kwargs)


def test_type_errors_are_value_errors_too_for_callers_that_report_bad_values():
    with pytest.raises(ValueError, match="mixed must be True or False"):
        gym.make("econ_envs/Maintain-v0", mixed="False")
    assert issubclass(KeywordTypeError, TypeError) and issubclass(KeywordTypeError, ValueError)


def test_the_flags_keep_their_meaning_for_real_bools():
    assert isinstance(gym.make("econ_envs/Maintain-v0", mixed=True).action_space, gym.spaces.Box)
    env = gym.make(MSPM, privileged_state=np.bool_(True))
    assert isinstance(env.observation_space, gym.spaces.Dict)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_price": 1e39}, "max_price must be > 0 and at most 3.4028235e+38"),
        ({"max_price": float("nan")}, "max_price must be a finite number, got nan"),
        ({"max_price": float("inf")}, "max_price must be a finite number, got inf"),
        ({"max_price": 10**400}, "max_price must be a finite number"),
        ({"max_price": 0}, "max_price must be > 0"),
    ],
)
def test_max_price_is_finite_and_bounded(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        gym.make(MSPM, **kwargs)


def test_the_largest_max_price_gives_a_finite_action_bound():
    env = gym.make(MSPM, max_price=3.4e38)
    assert np.isfinite(env.action_space.high).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"n_agents": -1},
            "preset='agrawal' fixes n_agents: it must be 2 (or left out), got n_agents=-1",
        ),
        (
            {"n_messages": "x"},
            "preset='agrawal' fixes n_messages: it must be 2 (or left out), got n_messages='x'",
        ),
        ({"n_items": 3}, "preset='agrawal' fixes n_items"),
        ({"n_types": 5}, "preset='agrawal' fixes n_types: it must be left out, got n_types=5"),
        ({"type_probs": [[1, 0], [1, 0]]}, "preset='agrawal' fixes type_probs"),
    ],
)
def test_a_preset_refuses_the_keywords_it_fixes(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        gym.make(AGRAWAL, **kwargs)


def test_a_preset_accepts_its_own_values_and_free_keywords():
    env = gym.make(AGRAWAL, n_agents=2, n_messages=2, objective="revenue", max_price=2.0)
    assert env.unwrapped.game.spec.n_types == (2, 2)
    with pytest.raises(ValueError, match="give either payoffs or preset"):
        gym.make("econ_envs/Escape-v0", payoffs=[[[1, 1]]])


@pytest.mark.parametrize(
    ("make", "env_id", "kwargs", "message"),
    [
        (
            gym.make,
            MSPM,
            {"game": "NormalForm"},
            "game='NormalForm' cannot change the environment of 'econ_envs/MSPM-v0', "
            "whose game is 'MSPM'",
        ),
        (make_vector, MSPM, {"game": "NormalForm"}, "game='NormalForm' cannot change"),
        (pz.env, MSPM, {"game": "NormalForm"}, "game='NormalForm' cannot change"),
        (pz.parallel_env, MSPM, {"game": "Persuasion"}, "game='Persuasion' cannot change"),
        (make_evaluated, MSPM, {"game": "MessageAllocation"}, "game='MessageAllocation' cannot"),
        (
            gym.make,
            "econ_envs/Escape-v0",
            {"preset": "maintain"},
            "preset='maintain' cannot change",
        ),
        (gym.make, MSPM, {"game": ["MSPM"]}, "game=['MSPM'] cannot change"),
        (
            gym.make,
            "econ_envs/SequentialSales-v0",
            {"domain": "TaskScheduling"},
            "domain='TaskScheduling' cannot change the environment of "
            "'econ_envs/SequentialSales-v0'",
        ),
    ],
)
def test_game_and_domain_cannot_swap_the_environment_behind_an_id(make, env_id, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make(env_id, **kwargs)


def test_an_ids_own_game_domain_and_preset_may_be_repeated():
    assert gym.make(MSPM, game="MSPM").unwrapped.game.spec.name == "MSPM"
    gym.make("econ_envs/Maintain-v0", preset="maintain")
    gym.make("econ_envs/SequentialSales-v0", domain="SequentialSales")
    gym.make("econ_envs/NormalForm-v0", preset="maintain")  # a game keyword where no id fixes it
    for e in econ_envs.ENTRIES:
        spec = json.loads(gym.spec(e.id).to_json())
        assert spec["kwargs"]["env_id"] == e.id and isinstance(spec["entry_point"], str)


@pytest.mark.parametrize(
    ("make", "env_id", "kwargs", "message"),
    [
        (
            gym.make,
            MSPM,
            {"n_messages": 10**5},
            "n_messages=100000 implies 10,000,000,000 message one-hot entries "
            "(n_messages ** 2); the limit is 67,108,864",
        ),
        (
            gym.make,
            MSPM,
            {"n_agents": 25},
            "n_agents=25, n_items=1, n_types=3 implies 847,288,609,443 type profiles; "
            "the limit is 1,000,000",
        ),
        (
            gym.make,
            MSPM,
            {"n_items": 10**9},
            "n_agents=2, n_items=1000000000, n_types=3 implies more than 1e+308 type profiles",
        ),
        (gym.make, MSPM, {"n_messages": 4000}, "n_messages=4000, dynamics='mw' implies"),
        pytest.param(  # the game (10**6 type profiles) is built before the evaluator refuses
            make_evaluated,
            MSPM,
            {"n_types": 1000},
            "n_types=(1000, 1000), n_messages=(2, 2)) enumerates 4,000,000 plays "
            "(type x message profiles); the limit is 2,000,000",
            marks=pytest.mark.slow,
        ),
        (pz.env, MSPM, {"n_agents": 25}, "847,288,609,443 type profiles"),
        (
            gym.make,
            "econ_envs/Persuasion-v0",
            {"n_signals": 40},
            "n_signals=40 implies 43,980,465,111,040 buyer-plan entries",
        ),
        (
            gym.make,
            "econ_envs/MessageAllocation-v0",
            {"n_items": 10**7},
            "n_items=10000000 implies 10,000,000 types (one per item); the limit is 1,000,000",
        ),
        (gym.make, LANE, {"degree": 10**8}, "degree=100000000 implies"),
    ],
)
def test_sizes_are_refused_before_anything_is_allocated(make, env_id, kwargs, message):
    with allocates_at_most(), pytest.raises(ValueError, match=re.escape(message)):
        make(env_id, **kwargs)


def test_the_episode_guard_names_the_number_of_envs():
    with pytest.raises(ValueError, match=r"num_envs=10000000, n_agents=2, .*the limit is"):
        gym.make_vec(MSPM, num_envs=10**7, vectorization_mode="vector_entry_point")


def test_check_size_names_every_keyword_and_allows_any_keyword_name():
    check_size("cells", 9, 9, size=3)
    with pytest.raises(ValueError, match=r"^size=4, n=2 implies 16 cells; the limit is 9$"):
        check_size("cells", 16, 9, size=4, n=2)


def test_check_choice_lists_the_allowed_values_once_without_doubled_quotes():
    with pytest.raises(ValueError) as error:
        check_choice("final", "mean", ("argmax", "sample"))
    assert str(error.value) == "final must be one of 'argmax', 'sample', got 'mean'"
    with pytest.raises(
        TypeError, match=re.escape("final must be one of 'argmax', 'sample', got {}")
    ):
        check_choice("final", {}, ("argmax", "sample"))


@pytest.mark.parametrize("make", [pz.env, pz.parallel_env, pz.raw_env])
def test_pettingzoo_render_mode_of_the_wrong_type(make):
    with pytest.raises(TypeError, match=re.escape("render_mode must be one of None, 'ansi'")):
        make(MSPM, render_mode=["ansi"])


def test_the_vector_env_allows_no_render_mode():
    with pytest.raises(ValueError, match=re.escape("render_mode must be one of None, got 'ansi'")):
        make_vector(MSPM, render_mode="ansi")


def test_huge_logit_rationality_never_yields_nan():
    env = gym.make(LANE, dynamics_kwargs={"rationality": 1e308}, disable_env_checker=True)
    _, info = env.reset(seed=0)
    states = [info["state"]]
    action = np.ones(env.action_space.shape, np.float32)
    terminated = False
    while not terminated:
        _, reward, terminated, _, info = env.step(action)
        states.append(info["state"])
        assert np.isfinite(reward)
    assert np.isfinite(np.array(states)).all()
    # best response to the mean utilities: every strategy is one-hot
    strategies = states[-1][-5 * 6 * 6 :].reshape(5, 6, 6)
    assert set(np.unique(strategies)) <= {0.0, 1.0}


def test_moderate_rationality_keeps_the_softmax_of_the_published_formula():
    from econ_envs.followers.base import masked_softmax
    from econ_envs.followers.logit import _scores

    log_prior = np.log(np.array([[0.5, 0.25, 0.25]]))
    mean = np.array([[0.1, -0.3, 0.2]])
    np.testing.assert_array_equal(_scores(log_prior, 10.0, mean), log_prior + 10.0 * mean)
    shifted = _scores(log_prior, 1e308, np.array([[-3.0, -2.0, -2.5]]))
    assert shifted[0, 1] == log_prior[0, 1] and (shifted[0, [0, 2]] <= -5e307).all()
    np.testing.assert_array_equal(masked_softmax(shifted), [[0.0, 1.0, 0.0]])


@pytest.mark.parametrize("env_id", [MSPM, "econ_envs/Escape-v0"])
def test_zero_response_iterations_reset_in_the_reward_phase_everywhere(env_id):
    _, info = gym.make(env_id, response_iterations=0).reset(seed=0)
    _, vector_info = make_vector(env_id, response_iterations=0).reset(seed=0)
    assert info["phase"] == "reward" and info["state"][0] == 1.0
    assert list(vector_info["phase"]) == ["reward", "reward"]
    _, info = gym.make(env_id).reset(seed=0)
    assert info["phase"] == "response" and info["state"][0] == 0.0
