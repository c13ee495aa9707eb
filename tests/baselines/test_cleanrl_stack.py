"""CleanRL's PPO runs unchanged on ``gym.make_vec(id, n)``: the wrapper stack of CleanRL's
``ppo_continuous_action.py`` (``FlattenObservation`` for a ``Dict`` observation,
``RecordEpisodeStatistics``, ``ClipAction``, ``NormalizeObservation``, clipped
``TransformObservation``, ``NormalizeReward``, clipped ``TransformReward``), as gymnasium's vector
wrappers, on the native vector env in its default autoreset mode, then a few PPO updates of a tiny
MLP agent written as CleanRL writes it. The episode statistics the stack reports are checked
against what the env says about its own episodes."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
import torch
from gymnasium.vector import AutoresetMode
from torch import nn
from torch.distributions.normal import Normal

from econ_envs import game_of, response_schedule

NUM_ENVS, NUM_STEPS, UPDATES, EPOCHS, MINIBATCHES = 4, 48, 3, 2, 2
GAMMA, GAE_LAMBDA, CLIP_COEF, ENT_COEF, VF_COEF, MAX_GRAD_NORM = 0.99, 0.95, 0.2, 0.0, 0.5, 0.5


def cleanrl_stack(envs: gym.vector.VectorEnv, gamma: float = GAMMA) -> gym.vector.VectorEnv:
    """``make_env`` of CleanRL's ``ppo_continuous_action.py``, with gymnasium's vector wrappers."""
    envs = gym.wrappers.vector.FlattenObservation(envs)  # deal with a Dict observation space
    envs = gym.wrappers.vector.RecordEpisodeStatistics(envs)
    envs = gym.wrappers.vector.ClipAction(envs)
    envs = gym.wrappers.vector.NormalizeObservation(envs)
    envs = gym.wrappers.vector.TransformObservation(envs, lambda obs: np.clip(obs, -10, 10))
    envs = gym.wrappers.vector.NormalizeReward(envs, gamma=gamma)
    return gym.wrappers.vector.TransformReward(envs, lambda reward: np.clip(reward, -10, 10))


def layer_init(layer: nn.Linear, std: float = np.sqrt(2), bias_const: float = 0.0) -> nn.Linear:
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


class Agent(nn.Module):
    """CleanRL's continuous-action agent, 16 hidden units instead of 64."""

    def __init__(self, envs: gym.vector.VectorEnv):
        super().__init__()
        obs_size = int(np.prod(envs.single_observation_space.shape))
        act_size = int(np.prod(envs.single_action_space.shape))
        self.critic = nn.Sequential(
            layer_init(nn.Linear(obs_size, 16)),
            nn.Tanh(),
            layer_init(nn.Linear(16, 1), std=1.0),
        )
        self.actor_mean = nn.Sequential(
            layer_init(nn.Linear(obs_size, 16)),
            nn.Tanh(),
            layer_init(nn.Linear(16, act_size), std=0.01),
        )
        self.actor_logstd = nn.Parameter(torch.zeros(1, act_size))

    def get_value(self, x: torch.Tensor) -> torch.Tensor:
        return self.critic(x)

    def get_action_and_value(self, x: torch.Tensor, action: torch.Tensor | None = None):
        action_mean = self.actor_mean(x)
        probs = Normal(action_mean, self.actor_logstd.expand_as(action_mean).exp())
        if action is None:
            action = probs.sample()
        return action, probs.log_prob(action).sum(1), probs.entropy().sum(1), self.critic(x)


def ppo_update(agent, optimizer, b_obs, b_actions, b_logprobs, b_advantages, b_returns, b_values):
    """CleanRL's minibatch update (clipped policy and value losses); returns the losses."""
    batch = len(b_obs)
    minibatch = batch // MINIBATCHES
    generator = torch.Generator().manual_seed(0)
    losses = []
    for _ in range(EPOCHS):
        order = torch.randperm(batch, generator=generator)
        for start in range(0, batch, minibatch):
            mb = order[start : start + minibatch]
            _, newlogprob, entropy, newvalue = agent.get_action_and_value(b_obs[mb], b_actions[mb])
            ratio = (newlogprob - b_logprobs[mb]).exp()
            adv = b_advantages[mb]
            adv = (adv - adv.mean()) / (adv.std() + 1e-8)
            pg_loss = torch.max(
                -adv * ratio, -adv * torch.clamp(ratio, 1 - CLIP_COEF, 1 + CLIP_COEF)
            ).mean()
            newvalue = newvalue.view(-1)
            clipped = b_values[mb] + torch.clamp(newvalue - b_values[mb], -CLIP_COEF, CLIP_COEF)
            v_loss = (
                0.5
                * torch.max((newvalue - b_returns[mb]) ** 2, (clipped - b_returns[mb]) ** 2).mean()
            )
            loss = pg_loss - ENT_COEF * entropy.mean() + v_loss * VF_COEF
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(agent.parameters(), MAX_GRAD_NORM)
            optimizer.step()
            losses.append((pg_loss.item(), v_loss.item(), entropy.mean().item()))
    return losses


def episode_lengths(env_id: str, **kwargs) -> tuple[int, int]:
    """The shortest and longest episode the env declares: every play (its response schedule's,
    then one reward play) lasts 1 to ``horizon`` leader steps."""
    plays = response_schedule(env_id, **kwargs).plays + 1
    return plays, plays * game_of(env_id, **kwargs).spec.horizon


#: MSPM's privileged state makes the observation a Dict (FlattenObservation has work to do), its
#: plays last 1 or 2 steps; MatrixDesign's plays last one step: its episodes, 9 steps
CASES = [("econ_envs/MSPM-v0", 1, {"privileged_state": True}), ("econ_envs/MatrixDesign-v0", 2, {})]


@pytest.mark.parametrize(("env_id", "response_iterations", "kwargs"), CASES)
def test_cleanrl_ppo_stack_runs_unchanged_on_make_vec(env_id, response_iterations, kwargs):
    kwargs = {"response_iterations": response_iterations, "reward_plays": 1, **kwargs}
    shortest, longest = episode_lengths(env_id, **kwargs)
    torch.manual_seed(1)
    envs = cleanrl_stack(gym.make_vec(env_id, NUM_ENVS, **kwargs))
    assert isinstance(envs.single_action_space, gym.spaces.Box)
    agent = Agent(envs)
    optimizer = torch.optim.Adam(agent.parameters(), lr=3e-4, eps=1e-5)
    obs_shape, act_shape = envs.single_observation_space.shape, envs.single_action_space.shape
    obs = torch.zeros((NUM_STEPS, NUM_ENVS, *obs_shape))
    actions = torch.zeros((NUM_STEPS, NUM_ENVS, *act_shape))
    logprobs, rewards, dones, values = (torch.zeros((NUM_STEPS, NUM_ENVS)) for _ in range(4))
    next_obs, _ = envs.reset(seed=1)
    assert next_obs.shape == (NUM_ENVS, *obs_shape) and np.all(np.abs(next_obs) <= 10)
    next_obs, next_done = torch.Tensor(next_obs), torch.zeros(NUM_ENVS)
    episodes, losses = 0, []
    for _ in range(UPDATES):
        for step in range(NUM_STEPS):
            obs[step], dones[step] = next_obs, next_done
            with torch.no_grad():
                action, logprob, _, value = agent.get_action_and_value(next_obs)
            values[step], actions[step], logprobs[step] = value.flatten(), action, logprob
            # unclipped Gaussian actions: ClipAction keeps them in the box the env checks
            next_obs, reward, terminations, truncations, infos = envs.step(action.numpy())
            done = np.logical_or(terminations, truncations)
            rewards[step] = torch.tensor(reward).view(-1)
            next_obs, next_done = torch.Tensor(next_obs), torch.Tensor(done)
            if "episode" in infos:
                ended = infos["_episode"]
                assert np.array_equal(ended, done)
                # the raw return (recorded before NormalizeReward) is the episode's one reward
                # play's utility, which the env reports on its own in info["leader_utility"]
                assert infos["_leader_utility"][ended].all()
                returns = infos["episode"]["r"][ended]
                assert np.array_equal(returns, infos["leader_utility"][ended])
                lengths = infos["episode"]["l"][ended]
                assert np.all((lengths >= shortest) & (lengths <= longest)), lengths
                episodes += int(ended.sum())
        with torch.no_grad():  # CleanRL's generalized advantage estimation
            next_value = agent.get_value(next_obs).reshape(1, -1)
            advantages = torch.zeros_like(rewards)
            lastgaelam = 0
            for t in reversed(range(NUM_STEPS)):
                if t == NUM_STEPS - 1:
                    nextnonterminal, nextvalues = 1.0 - next_done, next_value
                else:
                    nextnonterminal, nextvalues = 1.0 - dones[t + 1], values[t + 1]
                delta = rewards[t] + GAMMA * nextvalues * nextnonterminal - values[t]
                lastgaelam = delta + GAMMA * GAE_LAMBDA * nextnonterminal * lastgaelam
                advantages[t] = lastgaelam
            returns = advantages + values
        losses += ppo_update(
            agent,
            optimizer,
            obs.reshape((-1, *obs_shape)),
            actions.reshape((-1, *act_shape)),
            logprobs.reshape(-1),
            advantages.reshape(-1),
            returns.reshape(-1),
            values.reshape(-1),
        )
    # every sub-env finished several episodes (each followed by its reset step), each checked
    assert episodes >= NUM_ENVS * (UPDATES * NUM_STEPS // (longest + 1))
    assert len(losses) == UPDATES * EPOCHS * MINIBATCHES and np.isfinite(losses).all()


def test_the_stack_refuses_the_same_step_mode():
    # why make_vec's default is gymnasium's NEXT_STEP: NormalizeObservation accepts no other
    same_step = gym.make_vec("econ_envs/MSPM-v0", NUM_ENVS, autoreset_mode=AutoresetMode.SAME_STEP)
    with pytest.raises(ValueError, match="autoreset_mode to be NEXT_STEP"):
        cleanrl_stack(same_step)
