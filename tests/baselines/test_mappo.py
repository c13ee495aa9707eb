"""MAPPO building blocks: presets, per-episode tables, the equilibrium check and penalty, the
advantages and the PPO update against tianshou's own."""

from __future__ import annotations

import copy

import gymnasium as gym
import numpy as np
import pytest
import torch
from tianshou.algorithm import PPO
from tianshou.algorithm.optim import AdamOptimizerFactory
from tianshou.data import Batch, VectorReplayBuffer
from tianshou.utils.torch_utils import policy_within_training_step

from baselines import presets
from baselines.mappo.advantages import gae
from baselines.mappo.agent import (
    behavior_log_prob,
    build_agent,
    ppo_hyperparameters,
    uniform_log_density,
)
from baselines.mappo.aggregation import aggregate_repeats, visit_groups
from baselines.mappo.commitment import ObservationKeys, table_sampler
from baselines.mappo.config import TrainConfig
from baselines.mappo.rollout import Rollout, spaces
from baselines.mappo.update import update
from econ_envs.policy_table import game_of, observation_vectors, score_tables
from tests.baselines.update_batches import random_mspm_batch

MSG = "econ_envs/MessageAllocation-v0"
SHORT = {"response_iterations": 1, "reward_plays": 2}  # 3 response plays + 2 paid: 5 steps
IDENTITY = np.arange(3)  # message m -> item m
CONSTANT = np.zeros(3, np.int64)  # every message -> item 0


def test_presets_follow_the_published_formula():
    # Escape: 33 iterations x 3 plays / 1 reward play -> capped at 100 x 2048
    assert presets.rollout_steps("econ_envs/Escape-v0", {}) == 100 * 2048
    # MessageAllocation: 1 + 33 x 3 / 30 = 4.3
    assert presets.rollout_steps(MSG, {}) == int(4.3 * 2048)
    # MSPM 3 types: 1 + 250 x 4 / 100 = 11
    assert presets.rollout_steps("econ_envs/MSPM-v0", {"n_types": 3}) == 11 * 2048
    config = TrainConfig(env_id="econ_envs/MSPM-v0")
    assert config.learning_rate == 3e-6 and config.gamma == 1.0
    assert config.solve_tolerance == 0.005 and config.equilibrium_penalty
    assert TrainConfig(env_id=MSG, learning_rate=1e-3).learning_rate == 1e-3


def test_observation_keys_are_table_rows():
    vectors = observation_vectors("econ_envs/MSPM-v0", n_types=3)
    keys = ObservationKeys(vectors)
    order = np.random.default_rng(0).permutation(len(vectors))
    assert keys(vectors[order]).tolist() == order.tolist()
    with pytest.raises(KeyError):
        keys(np.full((1, vectors.shape[1]), 0.5, np.float32))


def _rollout(env_kwargs=SHORT, num_envs=8, penalty=True, explore_eps=0.05, first=True):
    return Rollout(MSG, env_kwargs, num_envs, lambda a: a, (), explore_eps, first, penalty, 0, 0, 0)


def _fixed(table: np.ndarray):
    return lambda k: np.tile(table, (k, 1))


def test_each_episode_plays_one_table_drawn_when_it_starts():
    num_envs, steps = 8, 100
    config = TrainConfig(env_id=MSG, env_kwargs=SHORT, num_envs=num_envs, rollout_steps=800)
    algorithm = build_agent(config, *spaces(MSG, SHORT))
    sample = table_sampler(algorithm.policy, observation_vectors(MSG))
    rollout = _rollout()
    rollout.reset(0, sample)
    batch = rollout.collect(steps, sample, 0)
    keys = rollout.keys(batch.observation.reshape(-1, batch.observation.shape[-1]))
    keys = keys.reshape(steps, num_envs)
    tables_seen = 0
    for env in range(num_envs):
        table: dict[int, int] = {}
        for t in range(steps):
            key, action = int(keys[t, env]), int(batch.action[t, env])
            assert table.setdefault(key, action) == action  # one action per observation
            if batch.terminated[t, env]:
                tables_seen += 1
                table = {}  # the next episode draws a new table
    assert tables_seen == steps * num_envs // 5  # 5 steps per episode, no padding
    assert batch.steps == steps * num_envs


def test_exact_check_of_a_game_known_by_hand():
    # one follower, 3 items, 3 messages. Before any learning (0 response iterations) the
    # follower's weights are uniform and every type sends message 0 (ties to the lowest)
    game = game_of(MSG)
    silent = np.zeros((2, 1, 3), np.intp)
    values, regrets = score_tables(game, np.stack([IDENTITY, CONSTANT]), silent)
    # identity table: the leader hands item 0 to everyone (value 1/3); types 1 and 2 would
    # get their item by sending their own message: regret 1. Constant table: no gain.
    assert values.tolist() == pytest.approx([1 / 3, 1 / 3])
    assert regrets.tolist() == [1.0, 0.0]
    truthful = np.arange(3)[None, None].repeat(2, axis=0)
    values, regrets = score_tables(game, np.stack([IDENTITY, CONSTANT]), truthful)
    assert values.tolist() == pytest.approx([1.0, 1 / 3]) and regrets.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("iterations", "table", "penalty", "expected"),
    [
        (0, IDENTITY, True, "penalized"),  # regret 1: every reward play pays -1/2
        (0, IDENTITY, False, "paid"),  # the same episodes, unpenalized
        (0, CONSTANT, True, "paid"),  # regret 0: never penalized
        (33, IDENTITY, True, "optimal"),  # MW learns truthful messages: verified, paid 1
    ],
)
def test_equilibrium_penalty(iterations, table, penalty, expected):
    kwargs = {"response_iterations": iterations, "reward_plays": 2}
    rollout = _rollout(kwargs, penalty=penalty, explore_eps=0.0, first=False)
    rollout.reset(0, _fixed(table))
    batch = rollout.collect(150, _fixed(table), 0)  # episodes of 2 or 33 x 3 + 2 steps
    stats = rollout.stats.drain()
    returns, verified = stats["returns"], stats["verified"]
    assert len(returns) == batch.terminated.sum() > 0
    if expected == "penalized":
        assert (returns == -1.0).all() and not verified.any()
        paid = batch.reward[batch.reward != 0]
        assert (paid == -0.5).all() and len(paid) == 2 * len(returns)
    elif expected == "paid":
        # the leader's own utility: 1 per reward play whose type wants item 0, over 2 plays
        assert np.isin(returns, [0.0, 0.5, 1.0]).all() and 0 < returns.mean() < 1
        assert verified.all() == (table is CONSTANT)
    else:
        assert (returns == 1.0).all() and verified.all()


@pytest.mark.slow
def test_advantages_match_tianshou():
    rng = np.random.default_rng(0)
    steps, envs = 40, 5
    rewards = rng.normal(size=(steps, envs))
    values = rng.normal(size=(steps, envs)).astype(np.float32)
    last = rng.normal(size=envs).astype(np.float32)
    terminated = rng.random((steps, envs)) < 0.1
    ours, returns = gae(rewards, values, last, terminated, 0.99, 0.95)
    # tianshou's estimator on the same data laid out as its vector buffer, env by env
    buffer = VectorReplayBuffer(steps * envs, envs)
    for t in range(steps):
        buffer.add(
            Batch(
                obs=np.zeros((envs, 1)),
                act=np.zeros(envs),
                rew=rewards[t],
                terminated=terminated[t],
                truncated=np.zeros(envs, bool),
                obs_next=np.zeros((envs, 1)),
                info=Batch(),
            ),
            buffer_ids=np.arange(envs),
        )
    indices = buffer.sample_indices(0)
    batch = buffer[indices]
    next_values = np.concatenate([values[1:], last[None]]).T.reshape(-1)
    _, theirs = PPO.compute_episodic_return(
        batch, buffer, indices, next_values, values.T.reshape(-1), gamma=0.99, gae_lambda=0.95
    )
    np.testing.assert_allclose(ours.T.reshape(-1), theirs, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(returns, ours + values)


def test_update_is_tianshou_ppo():
    # our update (advantages over the whole batch, then tianshou's _update_with_batch) moves
    # the networks as tianshou's own PPO.update does on the same rollout in its buffer
    num_envs, steps = 8, 25
    config = TrainConfig(
        env_id=MSG,
        env_kwargs=SHORT,
        rollout_steps=200,
        num_envs=num_envs,
        update_epochs=3,
        num_minibatches=8,
        aggregate_repeats=False,
    )
    ours = build_agent(config, *spaces(MSG, SHORT))
    sample = table_sampler(ours.policy, observation_vectors(MSG))
    rollout = _rollout(explore_eps=0.0, first=False)  # on-policy: tianshou's ratio is ours
    rollout.reset(0, sample)
    batch = rollout.collect(steps, sample, 0)
    reference = PPO(
        policy=copy.deepcopy(ours.policy),
        critic=copy.deepcopy(ours.critic),
        optim=AdamOptimizerFactory(lr=config.learning_rate, eps=1e-5),
        **ppo_hyperparameters(config),
    )
    buffer = VectorReplayBuffer(steps * num_envs, num_envs)
    following = np.concatenate([batch.observation[1:], batch.last_observation[None]])
    following_state = np.concatenate([batch.state[1:], batch.last_state[None]])
    for t in range(steps):
        buffer.add(
            Batch(
                obs=Batch(observation=batch.observation[t], state=batch.state[t]),
                act=batch.action[t],
                rew=batch.reward[t],
                terminated=batch.terminated[t],
                truncated=np.zeros(num_envs, bool),
                obs_next=Batch(observation=following[t], state=following_state[t]),
                info=Batch(),
            ),
            buffer_ids=np.arange(num_envs),
        )
    before = _parameters(ours)
    np.random.seed(0)  # noqa: NPY002  (tianshou shuffles with numpy's global stream)
    update(ours, batch, config)
    np.random.seed(0)  # noqa: NPY002
    with policy_within_training_step(reference.policy):
        reference.update(buffer, batch_size=200 // 8, repeat=config.update_epochs)
    assert (_parameters(reference) - before).abs().max() > 1e-4  # the update moved them
    torch.testing.assert_close(_parameters(ours), _parameters(reference), rtol=1e-5, atol=1e-6)


def _parameters(algorithm) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in algorithm.parameters()])


def _clipped_loss(ratio: np.ndarray, advantages: np.ndarray, eps: float = 0.2) -> float:
    """Tianshou's PPO actor loss: -mean(min(r A, clip(r, 1 - eps, 1 + eps) A))."""
    clipped = np.clip(ratio, 1 - eps, 1 + eps)
    return float(-np.minimum(ratio * advantages, clipped * advantages).mean())


def test_rollout_records_how_each_action_was_explored():
    num_envs, steps = 8, 400
    config = TrainConfig(env_id=MSG, env_kwargs=SHORT, num_envs=num_envs, rollout_steps=800)
    sample = table_sampler(
        build_agent(config, *spaces(MSG, SHORT)).policy, observation_vectors(MSG)
    )
    rollout = _rollout(explore_eps=0.05, first=True)
    rollout.reset(0, sample)
    batch = rollout.collect(steps, sample, 0)
    # an env's first episode is uniform (probability 1); after its first end, explore_eps
    first_episode = np.cumsum(batch.terminated, axis=0) - batch.terminated == 0
    assert batch.terminated.any() and not first_episode.all()
    np.testing.assert_array_equal(batch.explore, np.where(first_episode, 1.0, np.float32(0.05)))


def test_behavior_log_prob_is_the_exploration_mixture():
    policy = torch.log(torch.tensor([0.5, 0.1, 0.02]))
    explore = torch.tensor([0.0, 0.05, 1.0])
    uniform = uniform_log_density(gym.spaces.Discrete(4))
    expected = torch.log(torch.tensor([0.5, 0.95 * 0.1 + 0.05 / 4, 1 / 4]))
    torch.testing.assert_close(behavior_log_prob(policy, explore, uniform), expected)
    assert behavior_log_prob(policy, explore, uniform)[0] == policy[0]  # exactly, when on-policy
    assert uniform_log_density(gym.spaces.Box(0.0, 5.0, (3,))) == pytest.approx(-3 * np.log(2))


def test_update_stays_finite_when_explored_actions_are_far_outside_a_narrow_policy():
    # a Gaussian leader with std e^-20 and uniformly explored prices: pi_old(a) underflows, so
    # the plain ratio pi(a) / pi_old(a) overflowed and the loss went NaN at learning rate 1e-3
    env_id = "econ_envs/MSPM-v0"
    config = TrainConfig(env_id=env_id, learning_rate=1e-3, num_minibatches=1, update_epochs=4)
    algorithm = build_agent(config, *spaces(env_id, {}))
    with torch.no_grad():
        algorithm.policy.actor.log_std.fill_(-20.0)
    n = 64
    batch = random_mspm_batch(n, explore=1.0)
    stats = algorithm.learn(batch, n, config.update_epochs)
    assert np.isfinite(stats.loss.mean)
    assert all(torch.isfinite(p).all() for p in algorithm.parameters())


def test_repeats_of_an_observation_collapse_exactly():
    rng = np.random.default_rng(0)
    steps, envs, n_obs = 300, 4, 6
    keys = rng.integers(n_obs, size=(steps, envs))
    terminated = rng.random((steps, envs)) < 0.02
    groups = visit_groups(keys, terminated, n_obs).T.reshape(-1)
    advantages = rng.normal(size=groups.size)
    aggregated = aggregate_repeats(groups, advantages)
    normalized = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
    assert len(np.unique(groups)) <= len(aggregated.visits) <= 2 * len(np.unique(groups))
    assert len(aggregated.visits) < groups.size / 2 and (aggregated.advantages != 0).all()
    ids, group_of_visit = np.unique(groups, return_inverse=True)
    for _ in range(5):  # any policy change: one ratio per group
        ratio_of_group = rng.uniform(0.5, 1.5, len(ids))
        full = _clipped_loss(ratio_of_group[group_of_visit], normalized)
        ratio = ratio_of_group[group_of_visit[aggregated.visits]]
        assert _clipped_loss(ratio, aggregated.advantages) == pytest.approx(full, rel=1e-12)


def test_score_tables_chunks_large_batches_and_refuses_huge_games():
    game = game_of("econ_envs/MSPM-v0", n_types=5, n_messages=3)  # 225 plays per table
    rng = np.random.default_rng(0)
    tables = rng.uniform(0, 1, (9000, game.spec.n_observations, 3)).astype(np.float32)
    strategies = rng.integers(3, size=(9000, 2, 5))
    values, regrets = score_tables(game, tables, strategies)  # 2,025,000 plays: 2 chunks
    one_by_one = [score_tables(game, tables[i : i + 1], strategies[i : i + 1]) for i in (0, 8999)]
    assert [values[0], values[-1]] == [v[0] for v, _ in one_by_one]
    assert [regrets[0], regrets[-1]] == [r[0] for _, r in one_by_one]
    lane = game_of("econ_envs/LaneCoordination-v0")
    with pytest.raises(ValueError, match="enumerates 60,466,176 plays"):
        score_tables(lane, np.zeros((1, 1, 3), np.float32), np.zeros((1, 5, 6), np.intp))
