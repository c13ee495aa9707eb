"""Bad steps of the Stackelberg adapters: wrong batch axis, step without a running episode,
wrong dtype. Every error names the parameter and speaks of the shape the user passed."""

from __future__ import annotations

import re

import gymnasium as gym
import numpy as np
import pytest

from econ_envs import pettingzoo as pz
from econ_envs.adapters.reset_needed import ResetNeeded

MSPM = "econ_envs/MSPM-v0"  # leader action Box(0.0, 1.0, (3,), float32)
ESCAPE = "econ_envs/Escape-v0"  # leader action Discrete(3)
BOX = "Box(0.0, 1.0, (3,), float32)"
WRONG_DTYPES = [
    (np.ones(3, bool), "bool"),
    (np.ones(3, complex), "complex128"),
    (np.array(["a", "b", "c"]), "<U1"),
    (np.array([0.5, 0.5, None]), "object"),
    (np.array([0.5, 0.5, 0.5], object), "object"),
]


def _exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


def _vector(env_id: str, num_envs: int = 3, **kwargs):
    venv = gym.make_vec(env_id, num_envs=num_envs, **kwargs)
    venv.reset(seed=0)
    return venv


def _single(env_id: str, **kwargs):
    env = gym.make(env_id, **kwargs).unwrapped
    env.reset(seed=0)
    return env


# -- the vector env's batch axis ------------------------------------------------------------


@pytest.mark.parametrize("given", [(1, 3), (2, 3), (4, 3), (3,), (3, 1), (3, 3, 1)])
def test_vector_env_refuses_a_batch_of_the_wrong_shape(given):
    venv = _vector(MSPM)
    expected = f"actions must have shape (3, 3) for {BOX}, got {given}"
    with pytest.raises(ValueError, match=_exactly(expected)):
        venv.step(np.full(given, 0.5))


def test_vector_env_discrete_batch_axis_is_checked():
    venv = _vector(ESCAPE, num_envs=2)
    with pytest.raises(
        ValueError, match=_exactly("actions must have shape (2,) for Discrete(3), got ()")
    ):
        venv.step(1)
    with pytest.raises(ValueError, match=re.escape("got (1,)")):
        venv.step(np.array([1]))


def test_a_refused_batch_moves_nothing():
    """The bad step changes no episode: the next steps equal those of an env never given it."""
    refused, clean = _vector(MSPM), _vector(MSPM)
    actions = np.random.default_rng(0).random((6, 3, 3)).astype(np.float32)
    for bad in (actions[0, :1], actions[0, :2], np.full((3, 3), 1.5)):
        with pytest.raises(ValueError, match=r"actions? must"):
            refused.step(bad)
    for batch in actions:
        got, want = refused.step(batch), clean.step(batch)
        for a, b in zip(got[:4], want[:4], strict=True):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(got[4]["state"], want[4]["state"])


def test_vector_env_names_the_row_of_a_bad_action():
    venv = _vector(MSPM)
    actions = np.full((3, 3), 0.5)
    actions[1, 2] = 1.5
    with pytest.raises(ValueError, match=re.escape("got [0.5, 0.5, 1.5] in row 1 of the batch")):
        venv.step(actions)


# -- step without a running episode ---------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "action", "name"),
    [
        (lambda: gym.make_vec(MSPM, num_envs=3), np.full((3, 3), 0.5), "StackelbergVectorEnv"),
        (lambda: gym.make(MSPM).unwrapped, np.full(3, 0.5), "StackelbergEnv"),
        (lambda: pz.raw_env(MSPM), 0, "StackelbergAECEnv"),
        (
            lambda: pz.parallel_env(MSPM),
            {"follower_0": 0, "follower_1": 0},
            "StackelbergParallelEnv",
        ),
    ],
)
def test_step_before_reset_raises_reset_needed(make, action, name):
    env = make()
    message = f"{name}.step() was called before reset(): call reset() first"
    with pytest.raises(ResetNeeded, match=_exactly(message)) as error:
        env.step(action)
    assert isinstance(error.value, RuntimeError)
    assert isinstance(error.value, gym.error.ResetNeeded)


def test_wrapped_single_env_raises_gymnasiums_reset_needed_too():
    with pytest.raises(gym.error.ResetNeeded):
        gym.make(MSPM).step(np.full(3, 0.5))


def test_single_env_step_after_the_episode_raises_reset_needed():
    env = _single(ESCAPE, response_iterations=1)
    terminated = False
    while not terminated:
        terminated = env.step(0)[2]
    message = "StackelbergEnv.step() was called after the episode ended: call reset() first"
    with pytest.raises(ResetNeeded, match=_exactly(message)):
        env.step(0)


def test_aec_step_after_every_agent_is_gone_raises_reset_needed():
    env = pz.raw_env(ESCAPE)
    env.reset(seed=0)
    for agent in env.agent_iter():
        done = env.terminations[agent] or env.truncations[agent]
        env.step(None if done else 0)
    assert env.agents == []
    message = "StackelbergAECEnv.step() was called after the play ended: call reset() first"
    with pytest.raises(ResetNeeded, match=_exactly(message)):
        env.step(0)


def test_parallel_step_after_the_play_raises_reset_needed():
    env = pz.parallel_env(ESCAPE)
    env.reset(seed=0)
    env.step({"follower_0": 0})
    env.step({"leader": 0})
    message = "StackelbergParallelEnv.step() was called after the play ended: call reset() first"
    with pytest.raises(ResetNeeded, match=_exactly(message)):
        env.step({"leader": 0})


# -- messages speak of the action the user passed -------------------------------------------


def test_single_env_shape_error_shows_the_shape_given_not_the_batch_axis():
    env = _single(MSPM)
    expected = f"action must have shape (3,) for {BOX}, got (7,)"
    with pytest.raises(ValueError, match=_exactly(expected)):
        env.step(np.full(7, 0.5))
    with pytest.raises(
        ValueError, match=_exactly("action must have shape () for Discrete(3), got (1,)")
    ):
        _single(ESCAPE).step(np.array([1]))


@pytest.mark.parametrize(
    ("env_id", "action", "message"),
    [
        (
            MSPM,
            [0.5, 0.5, 1.5],
            f"action must lie in [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]] for {BOX}, got [0.5, 0.5, 1.5]",
        ),
        (
            MSPM,
            [0.5, np.nan, 0.5],
            f"action must be finite (no NaN or inf) for {BOX}, got [0.5, nan, 0.5]",
        ),
        (ESCAPE, 3, "action must hold integers in [0, 2] for Discrete(3), got 3"),
        (ESCAPE, 1.5, "action must hold integers for Discrete(3), got 1.5"),
    ],
)
def test_value_errors_show_the_action_given(env_id, action, message):
    with pytest.raises(ValueError, match=_exactly(message)):
        _single(env_id).step(np.asarray(action))


def test_aec_leader_shape_error_names_the_agent_and_the_shape_given():
    env = pz.raw_env(MSPM)
    env.reset(seed=0)
    env.step(0)
    env.step(0)
    assert env.agent_selection == "leader"
    expected = f"agent 'leader': action must have shape (3,) for {BOX}, got (7,)"
    with pytest.raises(ValueError, match=_exactly(expected)):
        env.step(np.full(7, 0.5))


def test_ragged_action_is_a_value_error_naming_the_parameter():
    with pytest.raises(ValueError, match=r"^action must be an array of shape \(3,\) for Box"):
        _single(MSPM).step([0.5, [0.5, 0.5], 0.5])


# -- dtypes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "dtype"), WRONG_DTYPES)
def test_single_env_refuses_wrong_dtypes_naming_the_space(action, dtype):
    expected = f"action must hold integers or floats for {BOX}, got dtype {dtype}"
    with pytest.raises(ValueError, match=_exactly(expected)):
        _single(MSPM).step(action)


@pytest.mark.parametrize(("action", "dtype"), WRONG_DTYPES)
def test_vector_env_refuses_wrong_dtypes_naming_the_space(action, dtype):
    expected = f"actions must hold integers or floats for {BOX}, got dtype {dtype}"
    with pytest.raises(ValueError, match=_exactly(expected)):
        _vector(MSPM, num_envs=1).step(action[None])


@pytest.mark.parametrize(
    ("action", "dtype"),
    [(True, "bool"), (1 + 0j, "complex128"), ("1", "<U1"), (np.array(1, object), "object")],
)
def test_discrete_action_of_a_wrong_dtype_is_refused(action, dtype):
    expected = f"action must hold integers or floats for Discrete(3), got dtype {dtype}"
    with pytest.raises(ValueError, match=_exactly(expected)):
        _single(ESCAPE).step(action)
    env = pz.parallel_env(ESCAPE)
    env.reset(seed=0)
    env.step({"follower_0": 0})
    with pytest.raises(ValueError, match=_exactly("agent 'leader': " + expected)):
        env.step({"leader": action})


def test_multidiscrete_action_of_bools_is_refused():
    env = _single("econ_envs/MatrixDesign-v0", discrete_transfers=True)
    expected = "action must hold integers or floats for MultiDiscrete([11 11]), got dtype bool"
    with pytest.raises(ValueError, match=_exactly(expected)):
        env.step(np.array([True, False]))


def test_valid_numeric_kinds_step_alike():
    """Lists, ints and whole floats stay accepted and give the same step as the array."""
    results = []
    for action in (np.array([1, 0, 1], np.float32), [1, 0, 1], np.array([1, 0, 1], np.int64)):
        env = _single(MSPM)
        results.append(env.step(action))
    for other in results[1:]:
        np.testing.assert_array_equal(other[0], results[0][0])
        assert other[1:4] == results[0][1:4]
    assert _single(ESCAPE).step(1.0)[1:4] == _single(ESCAPE).step(1)[1:4]


@pytest.mark.parametrize("started", [False, True])
def test_parallel_env_refuses_a_list_of_actions_naming_actions(started):
    env = pz.parallel_env(MSPM)
    env.reset(seed=0)
    actions = {agent: env.action_space(agent).sample() for agent in env.agents}
    if started:
        env.step(actions)
    message = (
        "actions must be a dict keyed by agent ('leader', 'follower_0', 'follower_1'), got list"
    )
    with pytest.raises(TypeError, match=re.escape(message)):
        env.step(list(actions.values()))
