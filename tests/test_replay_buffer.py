"""The array-bookkeeping vector replay buffer behaves exactly like tianshou's VectorReplayBuffer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from tianshou.algorithm.algorithm_base import Algorithm
from tianshou.data import Batch, Collector, ReplayBuffer, VectorReplayBuffer

from baselines.mappo.agent import build_agent
from baselines.mappo.commitment import CommitmentPolicy, ObservationKeys
from baselines.mappo.config import TrainConfig
from baselines.mappo.replay_buffer import BatchedVectorReplayBuffer
from baselines.mappo.vector_env import TianshouVectorEnv
from econ_envs.policy_table import observation_vectors

MSG = "econ_envs/MessageAllocation-v0"
SHORT = {"response_iterations": 1, "reward_plays": 2}
BUFFERS, SUB_SIZE = 5, 6


def assert_same(ours: Any, theirs: Any, where: str = "") -> None:
    """Equal values and dtypes, recursively through batches and tuples."""
    if isinstance(theirs, Batch):
        assert isinstance(ours, Batch), where
        assert set(ours.get_keys()) == set(theirs.get_keys()), where
        for key in theirs.get_keys():
            assert_same(ours[key], theirs[key], f"{where}.{key}")
    elif isinstance(theirs, tuple):
        assert len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    else:
        ours, theirs = np.asarray(ours), np.asarray(theirs)
        assert ours.dtype == theirs.dtype, f"{where}: {ours.dtype} != {theirs.dtype}"
        np.testing.assert_array_equal(ours, theirs, err_msg=where)


def assert_same_state(ours: BatchedVectorReplayBuffer, theirs: VectorReplayBuffer) -> None:
    """Same stored data, pointers and everything the collector and PPO read."""
    assert len(ours) == len(theirs)
    assert_same(ours.last_index, theirs.last_index, "last_index")
    assert_same(ours._lengths, theirs._lengths, "lengths")
    if not len(theirs):
        return
    assert_same(ours._meta, theirs._meta, "storage")
    assert_same(ours.unfinished_index(), theirs.unfinished_index(), "unfinished_index")
    for size in (0, None):
        assert_same(ours.sample_indices(size), theirs.sample_indices(size), f"indices {size}")
    everything = np.arange(ours.maxsize)
    stored = theirs.sample_indices(0)
    assert_same(ours.prev(stored), theirs.prev(stored), "prev")
    assert_same(ours.next(stored), theirs.next(stored), "next")
    assert_same(ours.prev(everything), theirs.prev(everything), "prev (all)")
    assert_same(ours[stored], theirs[stored], "batch")


def random_step(rng: np.random.Generator, rew_dtype: type) -> tuple[Batch, np.ndarray]:
    """Transitions of a random subset of the sub-buffers, in random order (as the collector
    adds them: observations, actions, rewards, flags, empty infos and a policy state)."""
    ids = rng.permutation(BUFFERS)[: rng.integers(1, BUFFERS + 1)]
    n = len(ids)

    def obs() -> Batch:
        return Batch(
            observation=rng.random((n, 3), dtype=np.float32),
            state=rng.random((n, 4), dtype=np.float32),
        )

    batch = Batch(
        obs=obs(),
        act=rng.integers(0, 3, n),
        rew=rng.normal(size=n).astype(rew_dtype),
        terminated=rng.random(n) < 0.15,
        truncated=rng.random(n) < 0.05,
        obs_next=obs(),
        info=Batch(),
        policy=Batch(hidden_state=Batch(known=rng.random((n, 2)) < 0.5)),
    )
    return batch, ids


@pytest.mark.parametrize("rew_dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", [{}, {"ignore_obs_next": True}])
def test_add_matches_tianshou(rew_dtype: type, options: dict[str, Any]):
    ours = BatchedVectorReplayBuffer(BUFFERS * SUB_SIZE, BUFFERS, **options)
    theirs = VectorReplayBuffer(BUFFERS * SUB_SIZE, BUFFERS, **options)
    rng = np.random.default_rng(0)
    for step in range(60):  # wraps around every sub-buffer several times
        batch, ids = random_step(rng, rew_dtype)
        assert_same(ours.add(batch, ids), theirs.add(batch, ids), f"add {step}")
        assert_same_state(ours, theirs)
        if step in (25, 45):  # mid-episode resets, with and without the running statistics
            ours.reset(keep_statistics=step == 45)
            theirs.reset(keep_statistics=step == 45)
            assert_same_state(ours, theirs)
    everyone = rng.permutation(BUFFERS)
    batch, _ = random_step(rng, rew_dtype)
    while len(batch) < BUFFERS:
        batch, _ = random_step(rng, rew_dtype)
    assert_same(ours.add(batch), theirs.add(batch), "add without ids")
    assert_same(ours.add(batch, everyone), theirs.add(batch, everyone), "add all")
    assert_same_state(ours, theirs)
    for size in (7, 1, 40):  # random samples: tianshou's own streams, same draws
        assert_same(ours.sample_indices(size), theirs.sample_indices(size), f"sample {size}")


def test_gae_advantages_match_tianshou():
    ours = BatchedVectorReplayBuffer(BUFFERS * SUB_SIZE, BUFFERS)
    theirs = VectorReplayBuffer(BUFFERS * SUB_SIZE, BUFFERS)
    rng = np.random.default_rng(1)
    for _ in range(17):  # partial episodes and wrapped sub-buffers
        batch, ids = random_step(rng, np.float64)
        ours.add(batch, ids)
        theirs.add(batch, ids)
    (our_batch, our_indices), (batch, indices) = ours.sample(0), theirs.sample(0)
    assert_same(our_indices, indices)
    v_s, v_s_ = rng.normal(size=len(indices)), rng.normal(size=len(indices))
    for gamma, lam in ((1.0, 0.95), (0.9, 1.0)):
        mine = Algorithm.compute_episodic_return(
            our_batch, ours, our_indices, v_s_, v_s, gamma=gamma, gae_lambda=lam
        )
        reference = Algorithm.compute_episodic_return(
            batch, theirs, indices, v_s_, v_s, gamma=gamma, gae_lambda=lam
        )
        assert_same(mine, reference, f"gamma {gamma}, lambda {lam}")


def test_rejects_repeated_buffer_ids_and_changing_rewards():
    buffer = BatchedVectorReplayBuffer(BUFFERS * SUB_SIZE, BUFFERS)
    rng = np.random.default_rng(2)
    batch, _ = random_step(rng, np.float64)
    with pytest.raises(ValueError, match="distinct"):
        buffer.add(batch[[0, 0]], [1, 1])
    buffer.add(*random_step(rng, np.float64))
    stored = len(buffer)
    with pytest.raises(ValueError, match="dtype float32"):
        buffer.add(*random_step(rng, np.float32))
    assert len(buffer) == stored  # the refused step left no trace
    buffer.reset()
    buffer.add(*random_step(rng, np.float32))  # a reset forgets the running returns


def _collected(buffer_class: type[ReplayBuffer], steps: int = 240, num_envs: int = 8):
    """A collection of ``steps`` steps with the MAPPO collection policy into a new buffer."""
    torch.manual_seed(0)
    config = TrainConfig(env_id=MSG, env_kwargs=SHORT, num_envs=num_envs, rollout_steps=steps)
    env = TianshouVectorEnv(MSG, num_envs, **SHORT)
    algorithm = build_agent(config, env.observation_space, env.action_space)
    keys = ObservationKeys(observation_vectors(MSG))
    buffer = buffer_class(steps, num_envs)
    collector = Collector(CommitmentPolicy(algorithm.policy, keys, seed=0), env, buffer)
    collector.reset(gym_reset_kwargs={"seed": 0})
    stats = collector.collect(n_step=steps - 3 * num_envs)  # leaves episodes unfinished
    return buffer, stats


def test_collector_fills_it_as_tianshou_does():
    ours, our_stats = _collected(BatchedVectorReplayBuffer)
    theirs, stats = _collected(VectorReplayBuffer)
    assert stats.n_collected_episodes > 0
    assert_same(our_stats.returns, stats.returns, "episode returns")
    assert_same(our_stats.lens, stats.lens, "episode lengths")
    assert_same_state(ours, theirs)
