"""Property tests over random sizes and seeds: finite values, declared ranges, batch == single."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode
from hypothesis import given, settings
from hypothesis import strategies as st

from econ_envs.policy_table import game_of
from econ_envs.registry import STACKELBERG, ids

SHORT = {"response_iterations": 2, "reward_plays": 3}

mspm_sizes = st.fixed_dictionaries(
    {
        "n_agents": st.integers(1, 3),
        "n_items": st.integers(1, 2),
        "n_types": st.integers(1, 4),
        "n_messages": st.integers(1, 3),
        "objective": st.sampled_from(["welfare_loss", "welfare", "revenue"]),
    }
)
#: every Stackelberg id with its defaults (MSPM-v0 also over sizes, above), and variants
other_games = st.sampled_from(
    [(env_id, {}) for env_id in ids(STACKELBERG) if env_id != "econ_envs/MSPM-v0"]
    + [
        ("econ_envs/Maintain-v0", {"mixed": True}),
        ("econ_envs/MatrixDesign-v0", {}),
        ("econ_envs/MatrixDesign-v0", {"discrete_transfers": True, "objective": "distinct"}),
        ("econ_envs/MessageAllocation-v0", {"n_items": 4, "n_messages": 2}),
    ]
)
settings_fast = settings(max_examples=25, deadline=None)


def roll(env_id, kwargs, seed, steps=60, batch=3):
    """Step a vector env and ``batch`` single envs with the same random actions; compare."""
    venv = gym.make_vec(
        env_id, num_envs=batch, autoreset_mode=AutoresetMode.SAME_STEP, **SHORT, **kwargs
    )
    singles = [gym.make(env_id, **SHORT, **kwargs) for _ in range(batch)]
    space = venv.single_action_space
    space.seed(seed)
    vobs, _ = venv.reset(seed=seed)
    single_obs = [env.reset(seed=seed + i)[0] for i, env in enumerate(singles)]
    assert all(np.array_equal(vobs[i], o) for i, o in enumerate(single_obs))
    game = game_of(env_id, **kwargs)
    low, high = game.spec.leader_utility_range
    for _ in range(steps):
        actions = [space.sample() for _ in range(batch)]
        vobs, vrew, vterm, _, vinfo = venv.step(np.stack(actions))
        assert np.isfinite(vobs).all() and np.isfinite(vrew).all()
        assert np.isfinite(vinfo["state"]).all()
        for i, env in enumerate(singles):
            obs, reward, terminated, _, info = env.step(actions[i])
            assert (
                low / SHORT["reward_plays"] - 1e-12
                <= reward
                <= high / SHORT["reward_plays"] + 1e-12
            )
            assert reward == vrew[i] and terminated == vterm[i]
            if terminated:
                final = vinfo["final_info"]
                assert np.array_equal(vinfo["final_obs"][i], obs)
                assert final["equilibrium_regret"][i] == info["equilibrium_regret"]
                assert np.array_equal(final["follower_strategies"][i], info["follower_strategies"])
                obs, info = env.reset()
            assert np.array_equal(vobs[i], obs)
            assert np.array_equal(vinfo["state"][i], info["state"])
            assert venv.single_observation_space.contains(obs)


@given(sizes=mspm_sizes, seed=st.integers(0, 2**32))
@settings_fast
def test_mspm_batch_equals_single(sizes, seed):
    roll("econ_envs/MSPM-v0", sizes, seed, steps=150)


@given(game=other_games, seed=st.integers(0, 2**32))
@settings_fast
def test_other_games_batch_equals_single(game, seed):
    env_id, kwargs = game
    roll(env_id, kwargs, seed, steps=30)
