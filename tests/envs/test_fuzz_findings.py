"""What the fuzz test found in the constructors (issue 12): one regression test per example,
each a bad keyword refused with an error naming the keyword the user typed."""

from __future__ import annotations

import json
import re

import gymnasium as gym
import numpy as np
import pytest

from econ_envs import pettingzoo as pz
from econ_envs.validation import KeywordTypeError
from tests.bounds import allocates_at_most

MSPM, LANE = "econ_envs/MSPM-v0", "econ_envs/LaneCoordination-v0"


def _make_vec3(*args, **kwargs):
    return gym.make_vec(*args, num_envs=3, **kwargs)


SWAPPED = "does not match the environment being made (the keywords name "


@pytest.mark.parametrize(
    ("make", "env_id", "other"),
    [
        (_make_vec3, "econ_envs/Escape-v0", "econ_envs/GridworldAMA-v0"),
        (gym.make, "econ_envs/NormalForm-v0", "econ_envs/Escape-v0"),
        (gym.make, "econ_envs/Escape-v0", "econ_envs/NormalForm-v0"),
        (gym.make, "econ_envs/MSPM-Revenue-v0", MSPM),
        (gym.make, "econ_envs/Persuasion-v0", LANE),
    ],
)
def test_env_id_cannot_swap_the_env(make, env_id, other):
    with pytest.raises(ValueError, match=re.escape(f"env_id={other!r} {SWAPPED}{env_id!r}")):
        make(env_id, env_id=other)


@pytest.mark.parametrize("make", [gym.make, _make_vec3])
def test_the_ids_own_env_id_is_accepted_and_the_spec_round_trips(make):
    make(MSPM, env_id=MSPM).reset(seed=0)
    spec = gym.spec("econ_envs/Escape-v0")
    assert spec.kwargs["game"] == "NormalForm" and json.loads(spec.to_json())["id"]
    env = gym.make(gym.envs.registration.EnvSpec.from_json(spec.to_json()))  # plain strings
    assert env.unwrapped.game.spec.name == "NormalForm"


@pytest.mark.parametrize(
    ("make", "env_id", "kwargs", "message"),
    [
        (
            gym.make,
            "econ_envs/MessageAllocation-v0",
            {"n_messages": 10**9},
            "n_messages=1000000000",
        ),
        (pz.env, "econ_envs/MessageAllocation-v0", {"n_messages": 2**64}, f"n_messages={2**64}"),
        (_make_vec3, LANE, {"n_positions": 18469}, "n_positions=18469, n_moves=6 implies"),
        (_make_vec3, LANE, {"degree": 10**5}, "degree=100000 implies 100,000 transfer degree"),
        (pz.env, LANE, {"n_agents": 10**5}, "n_agents=100000 implies 100,000 agents"),
        (gym.make, LANE, {"n_moves": 48221}, "n_positions=6, n_moves=48221 implies"),
        (gym.make, LANE, {"n_positions": 48221}, "n_positions=48221, n_moves=6 implies"),
        (gym.make, LANE, {"n_positions": 11834249}, "n_positions=11834249, n_moves=6 implies"),
        (pz.env, MSPM, {"n_agents": 1000, "n_types": 1}, "implies 1,000 followers (axes"),
    ],
)
def test_sizes_are_guarded_naming_the_keyword_typed(make, env_id, kwargs, message):
    with allocates_at_most(), pytest.raises(ValueError, match=re.escape(message)):
        make(env_id, **kwargs)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("abc", KeywordTypeError, "type_values must be an array of real numbers, got 'abc'"),
        ({"a": 1}, KeywordTypeError, "type_values must be an array of real numbers"),
        ([[1.0, 2.0], [3.0]], ValueError, "type_values must be a rectangular array of numbers"),
        (np.zeros((2, 3)).astype(str), KeywordTypeError, "(dtype <U32)"),
        (np.zeros((2, 3), complex), KeywordTypeError, "(dtype complex128)"),
    ],
)
def test_type_values_must_be_a_real_array(value, error, message):
    with pytest.raises(error, match=re.escape(message)):
        pz.parallel_env(MSPM, type_values=value)


@pytest.mark.parametrize("value", [float("nan"), "ab", {"a": 1}])
def test_type_probs_must_be_a_sequence_of_marginals(value):
    message = "type_probs must be a sequence (a list or tuple) of one marginal per follower"
    with pytest.raises(KeywordTypeError, match=re.escape(message)):
        gym.make(MSPM, type_probs=value)


@pytest.mark.parametrize("make", [gym.make, _make_vec3, pz.env])
def test_a_render_mode_with_a_percent_sign_is_refused_by_name(make):
    with pytest.raises(ValueError, match=re.escape("render_mode must be one of None")):
        make(MSPM, render_mode="50%")
    assert "ansi" in gym.spec(MSPM).make().metadata["render_modes"]
    assert "human" not in gym.make(MSPM).metadata["render_modes"]


def test_an_empty_preset_is_not_the_default():
    with pytest.raises(ValueError, match=re.escape("preset must be one of 'escape', 'maintain'")):
        gym.make("econ_envs/NormalForm-v0", preset="")


def test_transfer_scale_is_bounded_by_float32():
    with pytest.raises(ValueError, match=re.escape("transfer_scale must be at most 3.4028235e+38")):
        gym.make(LANE, transfer_scale=1e39)
    env = gym.make(LANE, transfer_scale=3e38)
    env.reset(seed=0)
    env.action_space.seed(0)
    for _ in range(40):
        _, reward, _, _, info = env.step(env.action_space.sample())
        assert np.isfinite(reward) and np.isfinite(info["state"]).all()
