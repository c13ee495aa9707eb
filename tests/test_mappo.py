"""MAPPO building blocks: presets, the observation-action map, the vector-env adapter, the
basic-POMDP ablation and the PPO update."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from tianshou.algorithm import PPO
from tianshou.algorithm.optim import AdamOptimizerFactory
from tianshou.data import Collector, VectorReplayBuffer
from tianshou.utils.torch_utils import policy_within_training_step

from baselines import presets
from baselines.mappo.agent import build_agent, ppo_hyperparameters
from baselines.mappo.commitment import CommitmentPolicy, ObservationKeys
from baselines.mappo.config import TrainConfig
from baselines.mappo.vector_env import TianshouVectorEnv
from econ_envs.policy_table import observation_vectors

MSG = "econ_envs/MessageAllocation-v0"
SHORT = {"response_iterations": 1, "reward_plays": 2}  # 3 response plays + 2 paid: 5 steps


def test_presets_follow_the_published_formula():
    # Escape: 33 iterations x 3 plays / 1 reward play -> capped at 100 x 2048
    assert presets.rollout_steps("econ_envs/Escape-v0", {}) == 100 * 2048
    # MessageAllocation: 1 + 33 x 3 / 30 = 4.3
    assert presets.rollout_steps(MSG, {}) == int(4.3 * 2048)
    # MSPM 3 types: 1 + 250 x 4 / 100 = 11
    assert presets.rollout_steps("econ_envs/MSPM-v0", {"n_types": 3}) == 11 * 2048
    config = TrainConfig(env_id="econ_envs/MSPM-v0")
    assert config.learning_rate == 3e-6 and config.gamma == 1.0
    assert TrainConfig(env_id=MSG, learning_rate=1e-3).learning_rate == 1e-3


def test_observation_keys_are_table_rows():
    vectors = observation_vectors("econ_envs/MSPM-v0", n_types=3)
    keys = ObservationKeys(vectors)
    order = np.random.default_rng(0).permutation(len(vectors))
    assert keys(vectors[order]).tolist() == order.tolist()
    with pytest.raises(KeyError):
        keys(np.full((1, vectors.shape[1]), 0.5, np.float32))


def _collect(steps: int, num_envs: int = 8, explore_eps: float = 0.05):
    config = TrainConfig(env_id=MSG, env_kwargs=SHORT, num_envs=num_envs, rollout_steps=steps)
    env = TianshouVectorEnv(MSG, num_envs, **SHORT)
    algorithm = build_agent(config, env.observation_space, env.action_space)
    keys = ObservationKeys(observation_vectors(MSG))
    policy = CommitmentPolicy(algorithm.policy, keys, explore_eps=explore_eps, seed=0)
    buffer = VectorReplayBuffer(steps, num_envs)
    collector = Collector(policy, env, buffer)
    collector.reset(gym_reset_kwargs={"seed": 0})
    collector.collect(n_step=steps)
    return buffer, keys, env


def test_observation_action_map_replays_and_forgets_exactly_at_episode_end():
    steps, num_envs = 400, 8
    buffer, keys, _ = _collect(steps, num_envs)
    per_env = steps // num_envs
    changed = 0
    for env in range(num_envs):
        rows = np.arange(env * per_env, (env + 1) * per_env)
        batch = buffer[rows]
        obs_key = keys(batch.obs.observation)
        known = batch.policy.hidden_state[..., 0] > 0  # the cache's 'known' flags
        cache: dict[int, int] = {}
        previous: dict[int, int] = {}
        for t in range(per_env):
            key, action = int(obs_key[t]), int(batch.act[t])
            if key in cache:
                assert action == cache[key]  # a repeated observation replays its action
            cache.setdefault(key, action)
            # the cache after step t holds exactly this episode's observations so far
            assert np.flatnonzero(known[t]).tolist() == sorted(cache)
            if batch.done[t]:
                changed += previous != cache and bool(previous)
                previous, cache = cache, {}  # forgotten at the boundary, not one step later
    assert changed > 0  # episodes really draw fresh actions


def test_adapter_returns_terminal_observations_and_episode_stats():
    steps, num_envs = 200, 8
    buffer, _, env = _collect(steps, num_envs)
    stats = env.stats.drain()
    episodes = int(buffer.done.sum())
    assert len(stats["returns"]) == episodes == steps // 5  # 5 steps per episode, no padding
    assert (stats["lengths"] == 5).all()
    done = buffer.done.astype(bool)
    # the stored terminal state is the finished episode's (reward phase), not the next one's
    assert (buffer.obs_next.state[done, 0] == 1.0).all()
    # and the next episode starts in the response phase
    starts = np.flatnonzero(done) + 1
    starts = starts[starts % (steps // num_envs) != 0]
    assert (buffer.obs.state[starts, 0] == 0.0).all()
    assert np.isin(stats["returns"], [0.0, 0.5, 1.0]).all()


def test_basic_pomdp_trains_on_reward_phase_only():
    steps, num_envs = 200, 8
    buffer, _, env = _collect(steps, num_envs)
    indices = np.arange(len(buffer))
    for basic, expected in ((False, steps), (True, int((buffer.obs.state[:, 0] == 1).sum()))):
        config = TrainConfig(env_id=MSG, env_kwargs=SHORT, rollout_steps=steps, num_envs=8)
        config.basic_pomdp = basic
        algorithm = build_agent(config, env.observation_space, env.action_space)
        batch = algorithm._preprocess_batch(buffer[indices], buffer, indices)
        assert len(batch) == expected
        if basic:
            assert (np.asarray(batch.obs.state)[:, 0] == 1.0).all()
    assert 0 < expected < steps


def test_update_is_tianshou_ppo_bit_for_bit():
    # the slimmed rollout batch and the foreach optimizer change no number: one update gives
    # the parameters, losses and torch random state of tianshou's own PPO on the same rollout
    steps, num_envs = 200, 8
    buffer, _, env = _collect(steps, num_envs)
    config = TrainConfig(env_id=MSG, env_kwargs=SHORT, rollout_steps=steps, num_envs=num_envs)
    ours = build_agent(config, env.observation_space, env.action_space)
    reference = PPO(
        policy=copy.deepcopy(ours.policy),
        critic=copy.deepcopy(ours.critic),
        optim=AdamOptimizerFactory(lr=config.learning_rate, eps=1e-5),
        **ppo_hyperparameters(config),
    )
    results = []
    for algorithm in (ours, reference):
        np.random.seed(0)  # noqa: NPY002  (tianshou shuffles with numpy's global stream)
        torch.manual_seed(0)
        with policy_within_training_step(algorithm.policy):
            stats = algorithm.update(buffer, batch_size=config.minibatch_size, repeat=3)
        parameters = torch.cat([p.detach().flatten() for p in algorithm.parameters()])
        results.append((parameters, stats.loss.mean, stats.vf_loss.mean, torch.get_rng_state()))
    (params, loss, vf_loss, rng), (ref_params, ref_loss, ref_vf_loss, ref_rng) = results
    assert torch.equal(params, ref_params)
    assert (loss, vf_loss) == (ref_loss, ref_vf_loss)
    assert torch.equal(rng, ref_rng)
