"""Two-timescale bilevel learning of a transfer for lane coordination (after Mguni et al.,
"Coordinating the crowd", AAMAS 2019).

Fast timescale: within every Stackelberg episode of ``econ_envs/LaneCoordination-v0`` the
followers (``"logit"`` learners) run their whole response phase against a fixed transfer.
Slow timescale: the designer's parameters ``theta`` move once per batch of episodes, by a small,
decaying step along a one-point gradient estimate (Flaxman, Kalai & McMahan 2005): each of
``perturbations`` episodes plays ``theta + sigma * z_b`` with Gaussian ``z_b`` and returns its
welfare ``W_b`` (one evaluation per direction), and

    g = mean_b (W_b - mean W) * z_b / sigma,      theta <- theta + lr_t * g / |g|,

with ``lr_t = learning_rate / sqrt(t + 1)``; the batch mean is a baseline that lowers the
variance without a second evaluation.

Parametrization: ``theta`` are the coefficients of the transfer in the shifted Legendre basis
``P_1..P_P`` of the lane ``[0, 1]`` (well conditioned, unlike monomials whose coefficients
trade off against each other); the constant term is kept at 0, since paying every follower the
same amount changes no behaviour. ``theta`` is converted to the env's monomial coefficients and
shrunk, if needed, until every coefficient fits ``[-transfer_scale, transfer_scale]``. Only the
public API of econ_envs is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode
from numpy.polynomial import Legendre, Polynomial
from numpy.typing import NDArray

import econ_envs  # noqa: F401  (registers the ids)
from econ_envs import game_of

ENV_ID = "econ_envs/LaneCoordination-v0"


@dataclass(frozen=True)
class TwoTimescaleConfig:
    """Hyperparameters of :func:`train`.

    Attributes:
        n_agents: followers in the lane game.
        steps: designer updates (slow timescale).
        perturbations: episodes (one-point estimates) per designer update.
        sigma: standard deviation of the perturbations of ``theta``.
        learning_rate: initial length of a designer step (in ``theta`` units).
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
        theta: the final Legendre coefficients of the transfer.
        action: the env action they give (monomial coefficients / ``transfer_scale``).
        history: mean welfare of the perturbed episodes at every designer step.
    """

    theta: NDArray[np.float64]
    action: NDArray[np.float64]
    history: list[float]


def to_action(theta: NDArray[np.float64], transfer_scale: float) -> NDArray[np.float64]:
    """Env actions (k, P + 1) of Legendre coefficients ``theta`` (k, P): the monomial
    coefficients with the constant removed, divided by ``transfer_scale`` and shrunk into
    ``[-1, 1]`` (the transfer's shape is kept)."""
    rows = []
    for coefficients in np.atleast_2d(theta):
        series = Legendre(np.concatenate([[0.0], coefficients]), domain=[0.0, 1.0])
        monomial = series.convert(kind=Polynomial).coef
        monomial = np.pad(monomial, (0, len(coefficients) + 1 - len(monomial)))
        monomial[0] = 0.0
        rows.append(monomial / transfer_scale)
    action = np.array(rows)
    largest = np.abs(action).max(axis=1, keepdims=True)
    return action / np.maximum(largest, 1.0)


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
        autoreset_mode=AutoresetMode.SAME_STEP,  # no reset-only steps
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
    """Learn the designer's transfer from no transfer (``theta = 0``)."""
    rng = np.random.default_rng(config.seed)
    game = game_of(ENV_ID, n_agents=config.n_agents, **config.env_kwargs)
    scale = game.transfer_scale
    theta = np.zeros(game.degree)
    history = []
    for t in range(config.steps):
        directions = rng.standard_normal((config.perturbations, len(theta)))
        trial = theta + config.sigma * directions
        returns = welfare(
            config.n_agents,
            to_action(trial, scale),
            seed=config.seed + 1000 * t,
            **config.env_kwargs,
        )
        history.append(float(returns.mean()))
        gradient = ((returns - returns.mean())[:, None] * directions).mean(axis=0) / config.sigma
        norm = np.linalg.norm(gradient)
        if norm > 0:
            theta = theta + config.learning_rate / np.sqrt(t + 1) * gradient / norm
    return TwoTimescaleResult(theta, to_action(theta, scale)[0], history)
