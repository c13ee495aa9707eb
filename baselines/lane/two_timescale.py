"""Two-timescale bilevel learning of a transfer for lane coordination (after Mguni et al.,
"Coordinating the crowd", AAMAS 2019).

Fast timescale: within every Stackelberg episode of ``econ_envs/LaneCoordination-v0`` the
followers (``"logit"`` learners) run their whole response phase against a fixed transfer.
Slow timescale: the designer's action ``a`` (the transfer coefficients, scaled to [-1, 1]) moves
once per batch of episodes, by a small, decaying step along a one-point gradient estimate
(Flaxman, Kalai & McMahan 2005): each of ``perturbations`` episodes plays ``a + sigma * z_b``
with Gaussian ``z_b`` and returns its welfare ``W_b`` (one evaluation per direction), and

    g = mean_b (W_b - mean W) * z_b / sigma,      a <- clip(a + lr_t * g / |g|, -1, 1),

with ``lr_t = learning_rate / sqrt(t + 1)``. The batch mean is a baseline that lowers the
variance without a second evaluation. Only the public gymnasium API of econ_envs is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray

import econ_envs  # noqa: F401  (registers the ids)

ENV_ID = "econ_envs/LaneCoordination-v0"


@dataclass(frozen=True)
class TwoTimescaleConfig:
    """Hyperparameters of :func:`train`.

    Attributes:
        n_agents: followers in the lane game.
        steps: designer updates (slow timescale).
        perturbations: episodes (one-point estimates) per designer update.
        sigma: standard deviation of the perturbations of the action.
        learning_rate: initial length of a designer step (in action units).
        seed: seed of the perturbations and of the episodes.
        env_kwargs: further keywords of the env (e.g. ``response_iterations``).
    """

    n_agents: int = 5
    steps: int = 15
    perturbations: int = 16
    sigma: float = 0.3
    learning_rate: float = 0.5
    seed: int = 0
    env_kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TwoTimescaleResult:
    """What :func:`train` learned.

    Attributes:
        action: the final designer action (transfer coefficients / ``transfer_scale``).
        history: mean welfare of the perturbed episodes at every designer step.
    """

    action: NDArray[np.float64]
    history: list[float]


def welfare(
    n_agents: int, actions: NDArray[np.floating], seed: int, **env_kwargs: Any
) -> NDArray[np.float64]:
    """The return (mean social welfare of the reward phase) of one episode per row of
    ``actions`` (each held fixed through its episode), run as one native vector env."""
    batch = len(actions)
    env = gym.make_vec(
        ENV_ID,
        num_envs=batch,
        vectorization_mode="vector_entry_point",
        n_agents=n_agents,
        **env_kwargs,
    )
    env.reset(seed=seed)
    actions = np.asarray(actions, np.float32)
    total, done = np.zeros(batch), np.zeros(batch, bool)
    while not done.all():
        _, reward, terminated, truncated, _ = env.step(actions)
        total += np.where(done, 0.0, reward)
        done |= terminated | truncated
    env.close()
    return total


def train(config: TwoTimescaleConfig) -> TwoTimescaleResult:
    """Learn the designer's transfer from no transfer (action 0) by two-timescale ascent."""
    rng = np.random.default_rng(config.seed)
    size = gym.make(ENV_ID, n_agents=config.n_agents, **config.env_kwargs).action_space.shape[0]
    action = np.zeros(size)
    history = []
    for t in range(config.steps):
        directions = rng.standard_normal((config.perturbations, size))
        trial = np.clip(action + config.sigma * directions, -1.0, 1.0)
        returns = welfare(config.n_agents, trial, seed=config.seed + 1000 * t, **config.env_kwargs)
        history.append(float(returns.mean()))
        gradient = ((returns - returns.mean())[:, None] * directions).mean(axis=0) / config.sigma
        norm = np.linalg.norm(gradient)
        if norm > 0:
            action = np.clip(
                action + config.learning_rate / np.sqrt(t + 1) * gradient / norm, -1.0, 1.0
            )
    return TwoTimescaleResult(action, history)
