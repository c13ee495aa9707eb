"""Every registered id passes the public conformance check (:mod:`econ_envs.testing`)."""

from __future__ import annotations

import numpy as np
import pytest

import econ_envs.adapters.vector_env as vector_env
from econ_envs.random import key_from_seed
from econ_envs.registry import STACKELBERG, entry, ids
from econ_envs.testing import check_all, check_env_id, check_vector

STACKELBERG_CHECKS = ["gymnasium.check_env", "determinism", "vector==single", "pettingzoo"]


@pytest.mark.parametrize("env_id", ids())
def test_every_id_conforms(env_id):
    report = check_env_id(env_id)
    expected = STACKELBERG_CHECKS if entry(env_id).family == STACKELBERG else STACKELBERG_CHECKS[:2]
    assert report.checks == expected
    assert report.seconds < 5.0


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


def test_check_all_covers_the_registry():
    assert [report.env_id for report in check_all(num_envs=2)] == list(ids())


def test_vector_check_catches_a_seeding_mismatch(monkeypatch):
    monkeypatch.setattr(vector_env, "key_from_seed", lambda seed: key_from_seed(seed + 1))
    with pytest.raises(AssertionError, match="vector reset, env 0"):
        check_vector("econ_envs/MSPM-v0", response_iterations=2, reward_plays=2)
