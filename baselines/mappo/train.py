"""The PPO / MAPPO training loop: collect, update, log, evaluate, checkpoint, export.

Each iteration collects one rollout with tianshou's :class:`~tianshou.data.Collector` (the leader
committed per episode through :class:`~baselines.mappo.commitment.CommitmentPolicy`) from the
native vector env, runs one PPO update, and logs W&B metrics at the global env step:
``econ/leader_return`` and ``econ/follower_regret`` (finished training episodes: return and the
followers' empirical regret), ``econ/optimality_gap``, ``eval/value``, ``eval/regret`` (exact,
of the deterministic policy table), ``charts/...`` and ``losses/...``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tianshou.data import Collector
from tianshou.utils.torch_utils import policy_within_training_step
from tqdm.auto import tqdm

from baselines import tracking
from baselines.mappo.agent import build_agent
from baselines.mappo.checkpoint import Checkpoint
from baselines.mappo.commitment import CommitmentPolicy, ObservationKeys
from baselines.mappo.config import TrainConfig
from baselines.mappo.evaluation import (
    TableScore,
    score_policy,
    write_submission,
    write_table_json,
)
from baselines.mappo.replay_buffer import BatchedVectorReplayBuffer
from baselines.mappo.vector_env import TianshouVectorEnv
from econ_envs.policy_table import observation_vectors

TABLE_NAME = "policy_table.json"
SUBMISSION_NAME = "submission.json"


@dataclass(frozen=True)
class TrainResult:
    """The outcome of :func:`train`.

    Attributes:
        run_dir: directory of the checkpoint, the exported table and the W&B run.
        global_step: env steps trained in total (including those before a resume).
        score: exact score of the final deterministic policy table.
        solved_at: first evaluated env step whose table was optimal (``solve_tolerance``).
        solved_wall_clock: training seconds (collection, updates, evaluations) at ``solved_at``.
        wall_clock: training seconds in total.
        steps_per_second: env steps per second of this process (collection and updates).
    """

    run_dir: Path
    global_step: int
    score: TableScore
    solved_at: int | None
    solved_wall_clock: float | None
    wall_clock: float
    steps_per_second: float


class TrainingRun:
    """One training run: env, agent, collector and counters, built from a config (and a
    checkpoint to resume). :func:`train` drives it; benchmarks may step it directly."""

    def __init__(self, config: TrainConfig, resume: Checkpoint | None):
        torch.manual_seed(config.seed)
        # tianshou shuffles minibatches with numpy's legacy global stream: seed and save it
        np.random.seed(config.seed)  # noqa: NPY002
        self.config = config
        self.name = (
            resume.run_name
            if resume
            else tracking.run_name(config.env_id, config.algo, config.seed)
        )
        self.wandb_run_id = resume.wandb_run_id if resume else None
        self.env = TianshouVectorEnv(config.env_id, config.num_envs, **config.env_kwargs)
        self.algorithm = build_agent(config, self.env.observation_space, self.env.action_space)
        self.vectors = observation_vectors(config.env_id, **config.env_kwargs)
        self.collect_policy = CommitmentPolicy(
            self.algorithm.policy, ObservationKeys(self.vectors), config.explore_eps, config.seed
        )
        self.rollout = math.ceil(config.rollout_steps / config.num_envs) * config.num_envs
        self.buffer = BatchedVectorReplayBuffer(self.rollout, config.num_envs)
        self.collector = Collector(self.collect_policy, self.env, self.buffer)
        self.global_step, self.updates, self.wall_clock = 0, 0, 0.0
        if resume is not None:
            self.algorithm.load_state_dict(resume.algorithm)
            self.global_step, self.updates = resume.global_step, resume.updates
            self.wall_clock = resume.wall_clock
            torch.set_rng_state(resume.torch_rng)
            np.random.set_state(resume.numpy_rng)  # noqa: NPY002
            self.collect_policy.rng.bit_generator.state = resume.explore_rng
        # a resumed run starts fresh episodes on fresh env streams
        env_seed = int(np.random.SeedSequence([config.seed, self.updates]).generate_state(1)[0])
        self.collector.reset(gym_reset_kwargs={"seed": env_seed})

    def iterate(self) -> dict[str, float]:
        """Collect one rollout and update once; return the iteration's metrics."""
        start = time.perf_counter()
        with policy_within_training_step(self.algorithm.policy):
            self.collector.collect(n_step=self.rollout)
            stats = self.algorithm.update(
                self.buffer, batch_size=self.config.minibatch_size, repeat=self.config.update_epochs
            )
        self.buffer.reset()
        seconds = time.perf_counter() - start
        self.wall_clock += seconds
        self.global_step += self.rollout
        self.updates += 1
        episodes = self.env.stats.drain()
        metrics = {
            "charts/SPS": self.rollout / seconds,
            "charts/updates": self.updates,
            "charts/learning_rate": float(self.config.learning_rate),
            "charts/episodes": len(episodes["returns"]),
            "losses/loss": stats.loss.mean,
            "losses/policy_loss": stats.actor_loss.mean,
            "losses/value_loss": stats.vf_loss.mean,
            "losses/entropy": stats.ent_loss.mean,
        }
        if len(episodes["returns"]):
            metrics["econ/leader_return"] = float(episodes["returns"].mean())
            metrics["econ/follower_regret"] = float(episodes["regrets"].mean())
            metrics["charts/episode_length"] = float(episodes["lengths"].mean())
        return metrics

    def score(self) -> TableScore:
        """Exact score of the current deterministic policy table."""
        c = self.config
        policy = self.algorithm.policy
        return score_policy(policy, self.vectors, c.env_id, c.env_kwargs, c.eval_seeds)

    def checkpoint(self) -> Checkpoint:
        """The current state as a checkpoint."""
        return Checkpoint(
            config=self.config.to_dict(),
            algorithm=self.algorithm.state_dict(),
            global_step=self.global_step,
            updates=self.updates,
            wall_clock=self.wall_clock,
            torch_rng=torch.get_rng_state(),
            explore_rng=self.collect_policy.rng.bit_generator.state,
            numpy_rng=np.random.get_state(legacy=False),  # noqa: NPY002
            run_name=self.name,
            wandb_run_id=self.wandb_run_id,
        )


def _crossed(before: int, after: int, every: int) -> bool:
    return every > 0 and after // every > before // every


def train(
    config: TrainConfig, run_dir: Path | str | None = None, resume: Checkpoint | None = None
) -> TrainResult:
    """Train PPO / MAPPO as ``config`` says; resume from ``resume`` if given.

    Writes ``checkpoint.pt``, ``policy_table.json`` (the deterministic policy with its exact
    score) and ``submission.json`` (the same table as a leaderboard submission) to ``run_dir``
    (default ``config.run_dir/<run name>``) and, if ``config.track``, an offline W&B run under
    ``run_dir/wandb``.
    """
    run = TrainingRun(config, resume)
    name = run.name
    run_dir = Path(run_dir) if run_dir is not None else Path(config.run_dir) / name
    wandb_run = _start_wandb(config, run, run_dir) if config.track else None
    first_step, first_clock = run.global_step, run.wall_clock
    solved_at: int | None = None
    solved_clock: float | None = None
    score: TableScore | None = None
    curve: list[tuple[int, float]] = []
    bar = tqdm(
        total=config.total_steps, initial=run.global_step, unit="step", disable=not config.progress
    )
    while run.global_step < config.total_steps:
        before = run.global_step
        metrics = run.iterate()
        out_of_time = config.time_limit is not None and run.wall_clock >= config.time_limit
        last = out_of_time or run.global_step >= config.total_steps
        if last or _crossed(before, run.global_step, config.eval_every):
            started = time.perf_counter()
            score = run.score()
            run.wall_clock += time.perf_counter() - started  # evaluations count as training time
            curve.append((run.global_step, score.value))
            metrics.update(score.metrics())
            if solved_at is None and score.solved(config.solve_tolerance):
                solved_at, solved_clock = run.global_step, run.wall_clock
            bar.set_postfix(value=f"{score.value:.4f}", regret=f"{score.regret:.4f}")
        if _crossed(before, run.global_step, config.checkpoint_every):
            run.checkpoint().save(run_dir)
        if wandb_run is not None:
            wandb_run.log(metrics, step=run.global_step)
        bar.update(run.global_step - before)
        if out_of_time or (solved_at is not None and config.stop_when_solved):
            break
    bar.close()
    if score is None:  # nothing left to train (resumed at the end)
        score = run.score()
    run.checkpoint().save(run_dir)
    trained = run.global_step - first_step
    sps = trained / max(run.wall_clock - first_clock, 1e-9)
    record = _record(config, run, name, sps)
    write_table_json(run_dir / TABLE_NAME, score, record)
    write_submission(run_dir / SUBMISSION_NAME, score, record, curve)
    if wandb_run is not None:
        final = {"final/" + k.split("/")[-1]: v for k, v in score.metrics().items()}
        wandb_run.summary.update(final)
        wandb_run.finish()
    run.env.close()
    return TrainResult(
        run_dir, run.global_step, score, solved_at, solved_clock, run.wall_clock, sps
    )


def _start_wandb(config: TrainConfig, run: TrainingRun, run_dir: Path) -> Any:
    """The run's W&B run: a new one, or the resumed run's own (same id, so ``wandb sync``
    uploads the parts of a resumed run as one run, in order)."""
    wandb_run = tracking.init_wandb(
        config.wandb_project,
        run.name,
        config.to_dict(),
        group=config.env_id.split("/")[-1],
        job_type=config.algo,
        directory=run_dir,
        run_id=run.wandb_run_id,
    )
    run.wandb_run_id = wandb_run.id
    return wandb_run


def _record(config: TrainConfig, run: TrainingRun, name: str, sps: float) -> dict[str, Any]:
    return {
        "env_id": config.env_id,
        "env_kwargs": config.env_kwargs,
        "method": config.algo.upper() + (" basic POMDP" if config.basic_pomdp else ""),
        "run_name": name,
        "training_seed": config.seed,
        "training_steps": run.global_step,
        "wall_clock_s": run.wall_clock,
        "steps_per_second": sps,
        "package_version": tracking.package_version(),
        "git_commit": tracking.git_commit(),
        "config": config.to_dict(),
    }
