"""PPO and MAPPO for the Stackelberg POMDP on tianshou, and the learned policy as a table.

MAPPO here is PPO with a centralized critic: the critic reads the privileged state with the
observation while the actor reads the observation only (tianshou's multi-agent path needs
identical agent spaces, so the leader is the only learning agent and the followers are part of
the env).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np
import torch
from numpy.typing import NDArray
from tianshou.algorithm import PPO
from tianshou.algorithm.algorithm_base import Algorithm
from tianshou.algorithm.modelfree.a2c import A2CTrainingStats
from tianshou.algorithm.modelfree.reinforce import ProbabilisticActorPolicy
from tianshou.algorithm.optim import TorchOptimizerFactory
from tianshou.data import Batch
from tianshou.utils.torch_utils import policy_within_training_step
from torch import nn

from baselines.mappo.config import TrainConfig
from baselines.mappo.networks import Actor, Critic, distribution


class ForeachOptimizer(Algorithm.Optimizer):
    """Tianshou's optimizer step (zero the gradients, backpropagate, clip the gradient norm,
    step) with the gradient clipping done by torch's multi-tensor ``foreach`` kernels: the same
    arithmetic as the per-parameter loop tianshou gets on CPU, in fewer Python calls."""

    def step(
        self, loss: torch.Tensor, retain_graph: bool | None = None, create_graph: bool = False
    ) -> None:
        """Backpropagate ``loss`` and take one (clipped) optimizer step."""
        self._optim.zero_grad()
        loss.backward(retain_graph=retain_graph, create_graph=create_graph)
        if self._max_grad_norm is not None:
            nn.utils.clip_grad_norm_(
                self._module.parameters(), max_norm=self._max_grad_norm, foreach=True
            )
        self._optim.step()


class LeaderPolicy(ProbabilisticActorPolicy):
    """Tianshou's stochastic actor policy, without the numba compilation of tianshou's return
    estimators at construction (about 4 s per process): advantages are computed by
    :func:`baselines.mappo.advantages.gae`, so nothing on the way to the first step compiles."""

    @staticmethod
    def _compile() -> None:
        """Nothing to compile (tianshou's return estimators are not used)."""


@dataclass(kw_only=True)
class PPOUpdateStats(A2CTrainingStats):
    """Tianshou's PPO statistics of one update and how far it moved the policy, as CleanRL logs
    it (``losses/approx_kl``, ``losses/clipfrac``), measured on the update's batch with the
    policy before and after the update.

    Attributes:
        approx_kl: mean of ``(r - 1) - log r`` with ``r = pi_new(a) / pi_old(a)`` (Schulman's
            estimator of KL(pi_old || pi_new), CleanRL's ``approx_kl``).
        clipfrac: fraction of the batch with ``|r - 1| > eps_clip``.
    """

    approx_kl: float
    clipfrac: float


class StackelbergPPO(PPO):
    """Tianshou PPO, updated from a rollout whose advantages were computed outside tianshou's
    buffer (:mod:`baselines.mappo.advantages`, over the whole batch at once).

    The update itself is tianshou's: its clipped surrogate and value losses, its action
    distributions and minibatch split, and its optimizer step (here with ``foreach`` gradient
    clipping, :class:`ForeachOptimizer`).
    """

    Optimizer = ForeachOptimizer

    def learn(self, batch: Batch, batch_size: int, repeat: int) -> Any:
        """PPO update from ``batch`` (keys ``obs``, ``act``, ``v_s``, ``returns``, ``adv`` and
        optionally ``explore``; tianshou normalizes ``adv`` per minibatch if
        ``advantage_normalization`` is on): adds the old log-probabilities under the current
        policy (as tianshou's ``_preprocess_batch`` does) and runs tianshou's
        ``_update_with_batch``. Returns its training statistics.

        ``explore`` is the probability that each action was drawn uniformly instead of from the
        policy. The old log-probability is then the behaviour mixture's,
        ``log((1 - explore) pi_old(a) + explore u)`` with ``u`` the uniform density
        (:func:`behavior_log_prob`), so the importance ratio of a uniformly explored action is
        ``pi(a) / (explore u)``, bounded, instead of ``pi(a) / pi_old(a)``, which overflows to
        ``inf`` (and the loss to NaN) once the Gaussian's std is small.

        The returned :class:`PPOUpdateStats` add ``approx_kl`` and ``clipfrac`` of the policy's
        own change (before vs after the update; the behaviour mixture plays no part), computed
        after the update without sampling, so the update and every random stream are as
        without them."""
        batch.act = torch.as_tensor(batch.act)
        batch.info = Batch()  # the policy's forward reads it
        with torch.no_grad():
            logp_old = [
                self.policy(minibatch).dist.log_prob(minibatch.act)
                for minibatch in batch.split(self.max_batchsize, shuffle=False, merge_last=True)
            ]
        batch.logp_old = logp_before = torch.cat(logp_old).flatten()
        if "explore" in batch:
            uniform = uniform_log_density(self.policy.action_space)
            batch.logp_old = behavior_log_prob(batch.logp_old, batch.explore, uniform)
        with policy_within_training_step(self.policy):
            stats = self._update_with_batch(batch, batch_size, repeat)
        log_ratio = self._log_prob(batch) - logp_before
        return PPOUpdateStats(
            **vars(stats),
            approx_kl=float((log_ratio.exp() - 1.0 - log_ratio).mean()),
            clipfrac=float(((log_ratio.exp() - 1.0).abs() > self.eps_clip).float().mean()),
        )

    def _log_prob(self, batch: Batch) -> torch.Tensor:
        """The current policy's log-probability of ``batch.act`` (no action is sampled)."""
        with torch.no_grad():
            logp = []
            for minibatch in batch.split(self.max_batchsize, shuffle=False, merge_last=True):
                params, _ = self.policy.actor(minibatch.obs, info=minibatch.info)
                logp.append(self.policy.dist_fn(params).log_prob(minibatch.act))
        return torch.cat(logp).flatten()


def uniform_log_density(action_space: gym.Space) -> float:
    """Log-density of a uniform raw action: ``-log n`` for ``Discrete(n)``, ``-d log 2`` for a
    ``d``-dimensional ``Box`` (raw actions in ``[-1, 1]``, before ``map_action``)."""
    if isinstance(action_space, gym.spaces.Discrete):
        return -float(np.log(action_space.n))
    return -float(np.prod(action_space.shape) * np.log(2.0))


def behavior_log_prob(
    policy_log_prob: torch.Tensor, explore: torch.Tensor, uniform_log_density: float
) -> torch.Tensor:
    """``log((1 - explore) exp(policy_log_prob) + explore exp(uniform_log_density))``: the
    log-probability of an action under the policy mixed with uniform exploration (equal to
    ``policy_log_prob`` where ``explore`` is 0, to the uniform's where it is 1)."""
    explore = explore.to(policy_log_prob.dtype)
    return torch.logaddexp(
        torch.log1p(-explore) + policy_log_prob, torch.log(explore) + uniform_log_density
    )


def build_agent(
    config: TrainConfig, observation_space: gym.spaces.Dict, action_space: gym.Space
) -> StackelbergPPO:
    """The tianshou PPO algorithm (policy, critic, optimizer) that ``config`` describes."""
    obs_dim = int(np.prod(observation_space["observation"].shape))
    state_dim = int(np.prod(observation_space["state"].shape))
    actor = Actor(obs_dim, action_space, config.hidden_sizes)
    if config.algo == "mappo":
        critic = Critic(obs_dim + state_dim, ("observation", "state"), config.hidden_sizes)
    else:
        critic = Critic(obs_dim, ("observation",), config.hidden_sizes)
    box = isinstance(action_space, gym.spaces.Box)
    policy = LeaderPolicy(
        actor=actor,
        dist_fn=distribution,
        action_space=action_space,
        observation_space=observation_space,
        action_scaling=box,
        action_bound_method="clip" if box else None,
    )
    return StackelbergPPO(
        policy=policy,
        critic=critic,
        # foreach: the multi-tensor Adam, same arithmetic as the default on CPU, fewer calls
        optim=TorchOptimizerFactory(
            torch.optim.Adam, lr=config.learning_rate, eps=1e-5, foreach=True
        ),
        **ppo_hyperparameters(config),
    )


def ppo_hyperparameters(config: TrainConfig) -> dict[str, Any]:
    """The PPO keywords of tianshou's :class:`~tianshou.algorithm.PPO` that ``config`` sets."""
    return {
        "eps_clip": config.clip,
        "vf_coef": config.vf_coef,
        "ent_coef": config.ent_coef,
        "max_grad_norm": config.max_grad_norm,
        "gae_lambda": config.gae_lambda,
        "gamma": config.gamma,
        "max_batchsize": config.rollout_steps,
        "advantage_normalization": not config.aggregate_repeats,
    }


def policy_table(policy: ProbabilisticActorPolicy, vectors: NDArray[np.float32]) -> NDArray[Any]:
    """The deterministic policy (the mode of each action distribution, mapped to the env's
    action space) at every observation in ``vectors``: a policy table."""
    with torch.no_grad():
        params, _ = policy.actor(Batch(observation=vectors))
        mode = distribution(params).mode.cpu().numpy()
    return policy.map_action(mode)
