"""Every id's vector env (``gym.make_vec``) equals gymnasium's SyncVectorEnv over single envs in
each of the three autoreset modes: observations, rewards, terminations, truncations and every
info entry under its mask (final observations and infos included), over several episodes of
every sub-env with seeded random actions; resets with and without seeds, and (``DISABLED``)
partial resets by ``reset_mask``, included."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

import econ_envs
from econ_envs.registry import AMA, entry

#: short episodes: a Stackelberg episode lasts a few steps, an AMA one a step
SHORT = {"response_iterations": 1, "reward_plays": 2}
STEPS = 60
NUM_ENVS = 3
CASES = [pytest.param(env_id, {}, id=env_id) for env_id in econ_envs.ids()] + [
    pytest.param("econ_envs/MSPM-v0", {"privileged_state": True}, id="MSPM-v0 Dict observations")
]


def _kwargs(env_id: str, extra: dict) -> dict:
    if entry(env_id).family == AMA:
        return {"n_samples": 2, **extra}
    if env_id.endswith("LaneCoordination-v0"):
        return {**SHORT, "n_agents": 2, **extra}
    return {**SHORT, **extra}


def make_pair(env_id: str, mode: AutoresetMode, **kwargs):
    """The id's own vector env and gymnasium's SyncVectorEnv, both in ``mode``."""
    native = gym.make_vec(
        env_id,
        num_envs=NUM_ENVS,
        vectorization_mode="vector_entry_point",
        autoreset_mode=mode,
        **kwargs,
    )
    reference = gym.make_vec(
        env_id,
        num_envs=NUM_ENVS,
        vectorization_mode="sync",
        vector_kwargs={"autoreset_mode": mode},
        **kwargs,
    )
    return native, reference


def same(x, y) -> bool:
    """Equal observations (arrays, or dicts of arrays), or both None."""
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
    return (x is None and y is None) or np.array_equal(x, y)


def assert_same_info(native: dict, reference: dict, where: str) -> None:
    assert set(native) == set(reference), (where, set(native) ^ set(reference))
    for key, value in native.items():
        if key == "final_obs":
            for x, y in zip(value, reference[key], strict=True):
                assert same(x, y), where
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


def assert_same_reset(native, reference, where: str, **reset) -> None:
    (obs, info), (ref_obs, ref_info) = native.reset(**reset), reference.reset(**reset)
    assert same(obs, ref_obs), where
    assert_same_info(info, ref_info, where)


@pytest.mark.parametrize("mode", list(AutoresetMode), ids=lambda mode: mode.value)
@pytest.mark.parametrize(("env_id", "extra"), CASES)
def test_vector_env_equals_sync_vector_env(env_id, extra, mode):
    native, reference = make_pair(env_id, mode, **_kwargs(env_id, extra))
    assert native.metadata["autoreset_mode"] is mode
    assert_same_reset(native, reference, "reset", seed=4)
    space = native.single_action_space
    space.seed(0)
    episodes = np.zeros(NUM_ENVS, int)
    for step in range(STEPS):
        if step == STEPS // 2:  # a full reset without a seed continues every stream
            assert_same_reset(native, reference, "reset without a seed")
        actions = np.stack([space.sample() for _ in range(NUM_ENVS)])
        obs, reward, terminated, truncated, info = native.step(actions)
        ref_obs, ref_reward, ref_terminated, ref_truncated, ref_info = reference.step(actions)
        where = f"step {step}"
        assert same(obs, ref_obs) and np.array_equal(reward, ref_reward), where
        assert np.array_equal(terminated, ref_terminated), where
        assert np.array_equal(truncated, ref_truncated), where
        assert_same_info(info, ref_info, where)
        done = terminated | truncated
        episodes += done
        if mode is AutoresetMode.DISABLED and done.any():
            # the finished ones only: every other time with seeds, else continuing their streams
            seed = 100 + step if step % 2 else None
            # separate option dicts: gymnasium's SyncVectorEnv pops the mask from its dict
            options = [{"reset_mask": done.copy()} for _ in range(2)]
            (obs, info), (ref_obs, ref_info) = (
                native.reset(seed=seed, options=options[0]),
                reference.reset(seed=seed, options=options[1]),
            )
            assert same(obs, ref_obs), f"{where}, partial reset"
            assert_same_info(info, ref_info, f"{where}, partial reset")
    assert episodes.min() >= 2, episodes  # every sub-env crossed several episode ends


def test_reset_accepts_one_seed_per_sub_env():
    venv = gym.make_vec("econ_envs/MSPM-v0", num_envs=2)
    _, info = venv.reset(seed=[7, 3])
    single = gym.make("econ_envs/MSPM-v0")
    assert np.array_equal(info["state"][1], single.reset(seed=3)[1]["state"])
    with pytest.raises(ValueError, match="a list of 2 ints"):
        venv.reset(seed=[1, 2, 3])
