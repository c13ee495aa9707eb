"""Playing episodes in tests: a policy table as a policy, and one whole episode."""

from __future__ import annotations

import gymnasium as gym
import numpy as np

from econ_envs.policy_table import observation_vectors


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
