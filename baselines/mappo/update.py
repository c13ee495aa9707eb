"""One PPO / MAPPO update from a collected rollout.

The critic values every step (and the step after the last), advantages are computed over the
whole batch at once (:func:`~baselines.mappo.advantages.gae`), the repeats of one (episode,
observation) are aggregated (:mod:`baselines.mappo.aggregation`), and tianshou's PPO update runs
on what is left (:meth:`~baselines.mappo.agent.StackelbergPPO.learn`).
"""

from __future__ import annotations

import math

import numpy as np
import torch
from tianshou.data import Batch

from baselines.mappo.advantages import gae
from baselines.mappo.agent import StackelbergPPO
from baselines.mappo.aggregation import aggregate_repeats, visit_groups
from baselines.mappo.config import TrainConfig
from baselines.mappo.metrics import explained_variance
from baselines.mappo.rollout import RolloutBatch
from econ_envs import StateLayout


def update(algorithm: StackelbergPPO, batch: RolloutBatch, config: TrainConfig) -> dict[str, float]:
    """One PPO update of ``algorithm`` on a rollout: the critic's values, advantages over the
    whole batch, then tianshou's update (minibatches, clipped losses, optimizer steps).
    Returns the loss metrics."""
    c = config
    steps, envs = batch.reward.shape
    observation = np.concatenate([batch.observation, batch.last_observation[None]])
    state = np.concatenate([batch.state, batch.last_state[None]])
    with torch.no_grad():
        values = algorithm.critic(
            Batch(
                observation=observation.reshape(-1, observation.shape[-1]),
                state=state.reshape(-1, state.shape[-1]),
            )
        )
    values = values.numpy().reshape(steps + 1, envs)
    advantages, returns = gae(
        batch.reward, values[:-1], values[-1], batch.terminated, c.gamma, c.gae_lambda
    )
    # env-major order, as tianshou's vector buffer lays out a rollout
    keep = _env_major(batch.on_policy)  # elite episodes' actions were not the policy's
    if c.basic_pomdp:  # the ablation trains on reward-phase steps only
        reward_phase = _env_major(batch.state[..., StateLayout.phase] == 1.0)
        keep = keep & reward_phase if (keep & reward_phase).any() else keep
    visits = np.flatnonzero(keep)
    advantages = _env_major(advantages)[visits]
    if c.aggregate_repeats:
        groups = visit_groups(batch.key, batch.terminated, batch.n_observations)
        aggregated = aggregate_repeats(_env_major(groups)[visits], advantages)
        visits, advantages = visits[aggregated.visits], aggregated.advantages

    # a visit's index is env-major (env * steps + step); take its rows from the time-major arrays
    visit_env, visit_step = np.divmod(visits, steps)

    def column(array: np.ndarray) -> np.ndarray:
        return array[visit_step, visit_env]

    rollout = Batch(
        obs=Batch(observation=column(batch.observation), state=column(batch.state)),
        act=column(batch.action),
        explore=torch.as_tensor(column(batch.explore)),
        v_s=torch.as_tensor(column(values[:-1]), dtype=torch.float32),
        returns=torch.as_tensor(column(returns), dtype=torch.float32),
        adv=torch.as_tensor(advantages, dtype=torch.float32),
    )
    minibatch = math.ceil(len(visits) / c.num_minibatches)
    stats = algorithm.learn(rollout, minibatch, c.update_epochs)
    return {
        "losses/loss": stats.loss.mean,
        "losses/policy_loss": stats.actor_loss.mean,
        "losses/value_loss": stats.vf_loss.mean,
        "losses/entropy": stats.ent_loss.mean,
        "losses/approx_kl": stats.approx_kl,
        "losses/clipfrac": stats.clipfrac,
        "losses/explained_variance": explained_variance(rollout.v_s, rollout.returns),
    }


def _env_major(array: np.ndarray) -> np.ndarray:
    """A time-major (steps, envs, ...) array as (envs * steps, ...), env by env."""
    return array.swapaxes(0, 1).reshape(-1, *array.shape[2:])
