"""Every registered id passes the public conformance check (:mod:`econ_envs.testing`)."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

import econ_envs.adapters.vector_env as vector_env
from econ_envs import testing
from econ_envs.random import key_from_seed
from econ_envs.registry import STACKELBERG, entry, ids
from econ_envs.testing import check_env_id, check_vector

STACKELBERG_CHECKS = [
    "gymnasium.check_env",
    "determinism",
    "vector==single",
    "pettingzoo",
    "observations",
]


@pytest.mark.parametrize("env_id", ids())
def test_every_id_conforms(env_id):
    report = check_env_id(env_id)
    expected = STACKELBERG_CHECKS if entry(env_id).family == STACKELBERG else STACKELBERG_CHECKS[:2]
    assert report.checks == expected


@pytest.mark.parametrize(
    ("env_id", "kwargs"),
    [
        ("econ_envs/MSPM-v0", {"privileged_state": True}),
        ("econ_envs/MSPM-v0", {"n_agents": 3, "n_items": 2, "n_types": 2, "n_messages": 3}),
        ("econ_envs/MSPM-v0", {"joint_type_probs": np.diag([0.5, 0.25, 0.25]).tolist()}),
        ("econ_envs/MSPM-v0", {"dynamics": "best_response", "response_iterations": None}),
        ("econ_envs/MessageAllocation-v0", {"privileged_state": True, "n_messages": 2}),
        ("econ_envs/MatrixDesign-v0", {"discrete_transfers": True, "objective": "distinct"}),
        ("econ_envs/Maintain-v0", {"mixed": True}),
        ("econ_envs/Escape-v0", {"dynamics_kwargs": {"final": "sample"}}),
    ],
)
def test_variants_conform(env_id, kwargs):
    assert check_env_id(env_id, num_envs=4, **kwargs).checks == STACKELBERG_CHECKS


def test_check_all_checks_every_id_gymnasium_knows_with_the_given_keywords(monkeypatch):
    """The ids come from gymnasium's own registry, not from the list check_all reads."""
    calls = []
    monkeypatch.setattr(testing, "check_env_id", lambda env_id, **kw: calls.append((env_id, kw)))
    registered = sorted(i for i in gym.registry if i.startswith("econ_envs/"))
    assert len(testing.check_all(num_envs=2, seed=3)) == len(registered)
    assert sorted(calls) == [(env_id, {"num_envs": 2, "seed": 3}) for env_id in registered]


def test_vector_check_catches_a_seeding_mismatch(monkeypatch):
    monkeypatch.setattr(vector_env, "key_from_seed", lambda seed: key_from_seed(seed + 1))
    with pytest.raises(AssertionError, match="vector reset, env 0"):
        check_vector("econ_envs/MSPM-v0", response_iterations=2, reward_plays=2)
