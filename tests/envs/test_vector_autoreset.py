"""What each autoreset mode of the native vector env does beyond parity (that is
``test_vector_parity.py``): ``NEXT_STEP`` ignores the action of a sub-env that resets,
``DISABLED`` refuses to step a finished sub-env before anything moves, ``reset_mask`` is checked
in one line and never taken out of the caller's options."""

from __future__ import annotations

import re

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

from econ_envs.adapters.reset_needed import ResetNeeded

#: one response iteration of 3 one-step plays, one reward play: every episode lasts 4 steps
ESCAPE = ("econ_envs/Escape-v0", {"response_iterations": 1, "reward_plays": 1})
LENGTH = 4
MSPM = "econ_envs/MSPM-v0"


def _escape(mode: AutoresetMode, num_envs: int = 2):
    env_id, kwargs = ESCAPE
    venv = gym.make_vec(env_id, num_envs=num_envs, autoreset_mode=mode, **kwargs)
    venv.reset(seed=1)
    return venv


def _to_the_end(venv, action=0):
    """Step ``venv`` until its episodes end (all at once: every episode lasts LENGTH steps)."""
    for _ in range(LENGTH):
        result = venv.step(np.full(venv.num_envs, action))
    assert result[2].all()
    return result


def test_next_step_ignores_the_action_of_a_sub_env_that_resets():
    venvs = [_escape(AutoresetMode.NEXT_STEP) for _ in range(2)]
    for venv in venvs:
        _to_the_end(venv)
    # both sub-envs reset in this step: their actions, even ones outside Discrete(3), are ignored
    given = np.array([7, -1])
    first = venvs[0].step(given)
    second = venvs[1].step(np.array([0, 2]))
    assert given.tolist() == [7, -1]  # the caller's array is left as it was
    _, reward, terminated, truncated, info = first
    assert reward.tolist() == [0.0, 0.0] and not (terminated | truncated).any()
    assert info["phase"].tolist() == ["response", "response"]
    for a, b in zip(first[:4], second[:4], strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(info["state"], second[4]["state"])
    # the next step plays the action again, and refuses a bad one as always
    with pytest.raises(ValueError, match=r"^action must hold integers in \[0, 2\]"):
        venvs[0].step(given)


def test_next_step_returns_the_last_observation_and_the_end_of_episode_info():
    _, reward, _, _, info = _to_the_end(_escape(AutoresetMode.NEXT_STEP))
    assert "final_obs" not in info and "final_info" not in info
    assert info["_equilibrium_regret"].all() and info["_follower_strategies"].all()
    assert info["phase"].tolist() == ["reward", "reward"]  # the last step's, not the next's
    assert np.all(reward == info["leader_utility"])  # one reward play: the episode's utility


def test_disabled_refuses_a_finished_sub_env_before_anything_moves():
    venv = _escape(AutoresetMode.DISABLED, num_envs=3)
    _to_the_end(venv)
    state = venv.unwrapped.episodes.state.copy()
    message = (
        "StackelbergVectorEnv.step() was called after the episodes of sub-envs [0, 1, 2] ended "
        "(autoreset_mode=AutoresetMode.DISABLED): call "
        'reset(options={"reset_mask": mask}) for them first'
    )
    with pytest.raises(ResetNeeded, match=f"^{re.escape(message)}$"):
        venv.step(np.zeros(3, int))
    np.testing.assert_array_equal(venv.unwrapped.episodes.state, state)
    options = {"reset_mask": np.array([True, False, True])}
    _, info = venv.reset(options=options)
    assert "reset_mask" in options  # read, not taken out of the caller's dict
    assert info["_phase"].tolist() == [True, False, True]
    with pytest.raises(ResetNeeded, match=re.escape("sub-envs [1] ended")):
        venv.step(np.zeros(3, int))
    venv.reset(options={"reset_mask": np.array([False, True, False])})
    _, reward, terminated, _, _ = venv.step(np.zeros(3, int))  # a fresh episode everywhere
    assert not terminated.any() and reward.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("mask", "error", "message"),
    [
        ([True, False], TypeError, "must be a numpy array of dtype bool, got list"),
        (np.array([1, 0]), TypeError, "must be a numpy array of dtype bool, got int64"),
        (np.array([True]), ValueError, "must have shape (2,), got (1,)"),
        (np.zeros(2, bool), ValueError, "must hold at least one True entry"),
    ],
)
def test_a_bad_reset_mask_is_one_line(mask, error, message):
    venv = gym.make_vec(MSPM, num_envs=2, autoreset_mode=AutoresetMode.DISABLED)
    venv.reset(seed=0)
    expected = "^" + re.escape('options["reset_mask"] ' + message) + "$"
    with pytest.raises(error, match=expected):
        venv.reset(options={"reset_mask": mask})


def test_a_partial_reset_before_the_first_full_one_leaves_the_others_unstarted():
    venv = gym.make_vec(MSPM, num_envs=2, autoreset_mode=AutoresetMode.DISABLED)
    venv.reset(seed=0, options={"reset_mask": np.array([True, False])})
    with pytest.raises(ResetNeeded, match=re.escape("step() was called before reset()")):
        venv.step(np.full((2, 3), 0.5))
    venv.reset(seed=0, options={"reset_mask": np.array([False, True])})
    venv.step(np.full((2, 3), 0.5))
