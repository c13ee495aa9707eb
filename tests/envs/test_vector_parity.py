"""The native vector env equals gymnasium's SyncVectorEnv over single envs (SAME_STEP autoreset):
observations, rewards, terminations and every info entry under its mask, final infos included."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

import econ_envs


def assert_same_info(native: dict, reference: dict, where: str) -> None:
    assert set(native) == set(reference), (where, set(native) ^ set(reference))
    for key, value in native.items():
        if key == "final_obs":
            for x, y in zip(value, reference[key], strict=True):
                assert (x is None and y is None) or np.array_equal(x, y), where
        elif isinstance(value, dict):
            assert_same_info(value, reference[key], f"{where}/{key}")
        elif key.startswith("_"):
            assert np.array_equal(value, reference[key]), (where, key)
        else:
            mask = native["_" + key]
            assert np.array_equal(np.asarray(value)[mask], np.asarray(reference[key])[mask]), (
                where,
                key,
            )


@pytest.mark.parametrize("env_id", econ_envs.ids("stackelberg"))
def test_native_vector_env_equals_sync_vector_env(env_id):
    kwargs = {"response_iterations": 1, "reward_plays": 2}
    if env_id.endswith("LaneCoordination-v0"):
        kwargs["n_agents"] = 2
    native = gym.make_vec(env_id, num_envs=3, vectorization_mode="vector_entry_point", **kwargs)
    reference = gym.make_vec(
        env_id,
        num_envs=3,
        vectorization_mode="sync",
        vector_kwargs={"autoreset_mode": AutoresetMode.SAME_STEP},
        **kwargs,
    )
    assert_same_info(native.reset(seed=4)[1], reference.reset(seed=4)[1], "reset")
    space = native.single_action_space
    space.seed(0)
    finished = 0
    for step in range(80):
        actions = np.stack([space.sample() for _ in range(3)])
        obs, reward, terminated, truncated, info = native.step(actions)
        ref_obs, ref_reward, ref_terminated, ref_truncated, ref_info = reference.step(actions)
        assert np.array_equal(obs, ref_obs) and np.array_equal(reward, ref_reward)
        assert np.array_equal(terminated, ref_terminated)
        assert np.array_equal(truncated, ref_truncated)
        assert_same_info(info, ref_info, f"step {step}")
        finished += int(terminated.sum())
    assert finished > 0  # the autoreset path was exercised


def test_reset_accepts_one_seed_per_sub_env():
    venv = gym.make_vec("econ_envs/MSPM-v0", num_envs=2)
    _, info = venv.reset(seed=[7, 3])
    single = gym.make("econ_envs/MSPM-v0")
    assert np.array_equal(info["state"][1], single.reset(seed=3)[1]["state"])
    with pytest.raises(ValueError, match="a list of 2 ints"):
        venv.reset(seed=[1, 2, 3])
