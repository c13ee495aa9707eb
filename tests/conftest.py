"""Shared helpers for the test suite."""

from __future__ import annotations

import os

import gymnasium as gym
import numpy as np
from hypothesis import settings

import econ_envs  # noqa: F401  (registers the ids)
from econ_envs.policy_table import observation_vectors

#: hypothesis profiles: ``ci`` (default) draws the same examples on every run, with no deadline
#: (shared machines) and no example database; ``dev`` draws fresh ones and keeps failures
settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def table_policy(env_id: str, table: np.ndarray, **env_kwargs):
    """A function obs -> action that plays policy table ``table`` (looked up by observation)."""
    vectors = observation_vectors(env_id, **env_kwargs)

    def act(observation: np.ndarray) -> np.ndarray:
        row = np.flatnonzero((vectors == observation).all(axis=1))
        assert row.size == 1, f"observation {observation} is not a unique table row"
        return table[row[0]]

    return act


def run_episode(env: gym.Env, policy, seed: int | None = None):
    """One episode with ``policy``; returns (return, step count, infos)."""
    obs, info = env.reset(seed=seed)
    total, infos = 0.0, [info]
    while True:
        obs, reward, terminated, truncated, info = env.step(policy(obs))
        total += reward
        infos.append(info)
        if terminated or truncated:
            return total, len(infos) - 1, infos
