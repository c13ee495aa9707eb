"""Generalized advantage estimation over a whole time-major batch of episodes at once."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def gae(
    rewards: NDArray[np.float64],
    values: NDArray[np.float32],
    last_values: NDArray[np.float32],
    terminated: NDArray[np.bool_],
    gamma: float,
    gae_lambda: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Advantages and returns (steps, envs) of a rollout, as tianshou's PPO computes them.

    ``values`` (steps, envs) are the critic's values before each step and ``last_values``
    (envs,) after the last one. A terminated step has no successor value; the rollout's last
    step of an unfinished episode bootstraps from ``last_values`` and starts no trace.
    """
    steps = len(rewards)
    next_values = np.concatenate([values[1:], last_values[None]]).astype(np.float64)
    alive = 1.0 - terminated
    delta = rewards + gamma * next_values * alive - values
    decay = gamma * gae_lambda * alive
    advantages = np.zeros(rewards.shape)
    running = np.zeros(rewards.shape[1])
    for t in range(steps - 1, -1, -1):
        running = delta[t] + decay[t] * running if t < steps - 1 else delta[t]
        advantages[t] = running
    return advantages, advantages + values
