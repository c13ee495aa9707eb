"""Bad input raises ValueError naming the parameter and what is allowed; nothing is clipped."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from econ_envs.games.types import TypeDistribution
from econ_envs.policy_table import evaluate_table


@pytest.mark.parametrize(
    ("env_id", "kwargs", "match"),
    [
        ("econ_envs/MSPM-v0", {"dynamics": "fictitious"}, "dynamics must be one of"),
        ("econ_envs/MSPM-v0", {"preset": "vickrey"}, "preset must be one of"),
        ("econ_envs/NormalForm-v0", {"preset": "chicken"}, "preset must be one of"),
        ("econ_envs/MSPM-v0", {"n_agents": 0}, "n_agents must be an integer >= 1"),
        ("econ_envs/MSPM-v0", {"n_types": 0}, "n_types must be an integer >= 1"),
        ("econ_envs/MSPM-v0", {"n_messages": 0}, "n_messages must be an integer >= 1"),
        ("econ_envs/MSPM-v0", {"n_items": 1.5}, "n_items must be an integer >= 1"),
        ("econ_envs/MessageAllocation-v0", {"n_items": 0}, "n_items must be an integer >= 1"),
        ("econ_envs/MSPM-v0", {"objective": "profit"}, "objective must be one of"),
        ("econ_envs/MSPM-v0", {"reward_plays": 0}, "reward_plays must be an integer >= 1"),
        ("econ_envs/MSPM-v0", {"response_iterations": -1}, "response_iterations must be"),
        ("econ_envs/MSPM-v0", {"dynamics_kwargs": {"eps": 0}}, "eps must be > 0"),
        ("econ_envs/MSPM-v0", {"dynamics_kwargs": {"final": "mean"}}, "final must be one of"),
        ("econ_envs/MSPM-v0", {"dynamics_kwargs": {"lr": 1}}, "dynamics_kwargs"),
        ("econ_envs/MSPM-v0", {"type_probs": [[0.5, 0.6, 0.0], [1, 0, 0]]}, "must sum to 1"),
        ("econ_envs/MSPM-v0", {"joint_type_probs": np.full((3, 3), 0.1)}, "must sum to 1"),
        ("econ_envs/MSPM-v0", {"joint_type_probs": np.full((2, 2), 0.25)}, "shape"),
        ("econ_envs/NormalForm-v0", {"payoffs": [[1, 2], [3, 4]]}, "payoffs must have shape"),
    ],
)
def test_bad_constructor_arguments(env_id, kwargs, match):
    with pytest.raises(ValueError, match=match):
        gym.make(env_id, **kwargs)


def test_negative_type_probability_is_rejected():
    with pytest.raises(ValueError, match="non-negative"):
        TypeDistribution((2,), type_probs=[[1.5, -0.5]])


def test_correlated_types_are_accepted():
    joint = np.array([[0.5, 0.0, 0.0], [0.0, 0.25, 0.0], [0.0, 0.0, 0.25]])
    env = gym.make("econ_envs/MSPM-v0", joint_type_probs=joint)
    _, info = env.reset(seed=0)
    types = env.unwrapped.state_layout.type_profile(info["state"])
    assert types[0] == types[1]  # perfectly correlated


@pytest.mark.parametrize(
    ("env_id", "kwargs", "action", "match"),
    [
        ("econ_envs/MSPM-v0", {}, [0.5, 0.5, np.nan], "finite"),
        ("econ_envs/MSPM-v0", {}, [0.5, 0.5, 1.5], "must lie in"),
        ("econ_envs/MSPM-v0", {}, [0.5, -0.1, 0.5], "must lie in"),
        ("econ_envs/MSPM-v0", {}, [0.5, 0.5], "shape"),
        ("econ_envs/Escape-v0", {}, 3, "integers in"),
        ("econ_envs/Escape-v0", {}, 1.5, "integers"),
        ("econ_envs/Maintain-v0", {"mixed": True}, [0.2, np.nan, 0.0], "finite"),
        ("econ_envs/MatrixDesign-v0", {}, [11.0, 0.0], "must lie in"),
        ("econ_envs/MatrixDesign-v0", {"discrete_transfers": True}, [11, 0], "integers in"),
    ],
)
def test_actions_outside_the_space_are_rejected(env_id, kwargs, action, match):
    env = gym.make(env_id, disable_env_checker=True, **kwargs)
    env.reset(seed=0)
    with pytest.raises(ValueError, match=f"action must.*{match}|{match}"):
        env.step(np.asarray(action))


def test_bad_table_shape_is_rejected():
    with pytest.raises(ValueError, match="one action per leader observation"):
        evaluate_table("econ_envs/MessageAllocation-v0", np.array([0, 1]))


def test_unknown_env_id_is_rejected():
    with pytest.raises(ValueError, match="known ids"):
        evaluate_table("econ_envs/Nope-v0", np.array([0]))
