"""The PPO / MAPPO training loop: collect, check, update, log, evaluate, checkpoint, export.

Each iteration collects one rollout from the native vector env with per-episode leader tables,
the exact equilibrium check and the equilibrium penalty (:mod:`baselines.mappo.rollout`),
and updates the agent from it (:mod:`baselines.mappo.update`: advantages over the whole batch,
then tianshou's PPO update). The best realized table
whose followers were verified in equilibrium is kept (:mod:`baselines.mappo.best_table`) and the
run stops when it, or the deterministic policy's table, is optimal (``stop_when_solved``). The
progress bar shows the best verified table's exact value and regret (``best_value``,
``best_regret``).

W&B metrics at the global env step: ``econ/leader_return`` (finished training episodes, after
the penalty), ``econ/follower_regret`` (their exact regret), ``econ/verified_fraction``,
``best/value`` and ``best/regret`` (the best verified table, official evaluator),
``eval/value``, ``eval/regret`` and ``econ/optimality_gap`` (the deterministic policy's table),
``charts/...`` and ``losses/...``, CleanRL's names where CleanRL has the metric:
``charts/episodic_return`` (the same mean as ``econ/leader_return``), ``charts/episodic_length``,
``charts/SPS``, ``charts/learning_rate``, ``losses/value_loss``, ``losses/policy_loss``,
``losses/entropy``, ``losses/approx_kl``, ``losses/clipfrac`` and
``losses/explained_variance``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from baselines.mappo.agent import build_agent
from baselines.mappo.best_table import BestVerifiedTable, rank
from baselines.mappo.checkpoint import Checkpoint
from baselines.mappo.commitment import table_sampler
from baselines.mappo.config import TrainConfig
from baselines.mappo.evaluation import (
    TableScore,
    score_policy,
    score_table,
    write_submission,
    write_table_json,
)
from baselines.mappo.metrics import episode_lengths, progress_postfix
from baselines.mappo.rollout import (
    CheckedEpisodes,
    Rollout,
    restore_rollout,
    rollout_state,
    spaces,
)
from baselines.mappo.run_folder import claim_run_folder, run_folder_lock
from baselines.mappo.safe_load import CheckpointError
from baselines.mappo.update import update
from econ_envs import git_commit, package_version
from leaderboards import tracking
from leaderboards.convert import SUBMISSION_NAME, TABLE_NAME


@dataclass(frozen=True)
class TrainResult:
    """The outcome of :func:`train`.

    Attributes:
        run_dir: directory of the checkpoint, the exported table and the W&B run.
        global_step: env steps trained in total (including those before a resume).
        score: exact score of the exported table.
        source: where the exported table comes from (``"best verified table"`` or
            ``"deterministic policy"``).
        deterministic: exact score of the final deterministic policy's table.
        held_out: exact score of the exported table on the held-out ``check_seeds`` (what it is
            likely to score on seeds it was not selected on, such as the leaderboards').
        solved_at: env step at which an optimal table was first found (``solve_tolerance``).
        solved_wall_clock: training seconds at ``solved_at`` (end of that iteration).
        wall_clock: training seconds in total.
        steps_per_second: env steps per second of this process (collection and updates).
    """

    run_dir: Path
    global_step: int
    score: TableScore
    source: str
    deterministic: TableScore
    held_out: TableScore
    solved_at: int | None
    solved_wall_clock: float | None
    wall_clock: float
    steps_per_second: float


class TrainingRun:
    """One training run: rollout, agent and counters, built from a config (and a checkpoint
    to resume). :func:`train` drives it; benchmarks may step it directly."""

    def __init__(self, config: TrainConfig, resume: Checkpoint | None):
        torch.set_num_threads(config.torch_threads)
        torch.manual_seed(config.seed)
        # tianshou shuffles minibatches with numpy's legacy global stream: seed and save it
        np.random.seed(config.seed)  # noqa: NPY002
        self.config = c = config
        self.name = resume.run_name if resume else tracking.run_name(c.env_id, c.algo, c.seed)
        self.wandb_run_id = resume.wandb_run_id if resume else None
        observation_space, action_space = spaces(c.env_id, c.env_kwargs)
        self.algorithm = build_agent(c, observation_space, action_space)
        policy = self.algorithm.policy
        self.rollout = Rollout(
            c.env_id,
            c.env_kwargs,
            c.num_envs,
            policy.map_action,
            action_space.shape or (),
            c.explore_eps,
            c.first_episode_uniform,
            c.equilibrium_penalty,
            c.seed,
            c.elite_fraction,
            c.elite_mutation,
        )
        self.vectors = self.rollout.keys.vectors  # every observation, in table-row order
        self.sample_tables = table_sampler(policy, self.vectors)
        self.steps_per_env = math.ceil(c.rollout_steps / c.num_envs)
        self.global_step, self.updates, self.wall_clock = 0, 0, 0.0
        #: steps each env's episode under way has taken so far (for ``charts/episodic_length``)
        self.episode_steps = np.zeros(c.num_envs, np.int64)
        self.best = BestVerifiedTable(c.env_id, c.env_kwargs, c.eval_seeds, c.solve_tolerance)
        self.deterministic: TableScore | None = None
        self.curve: list[tuple[int, float]] = []
        self.solved_at: int | None = None
        self.solved_wall_clock: float | None = None
        if resume is None:
            self.rollout.reset(c.seed, self.sample_tables)
        else:
            try:
                self.algorithm.load_state_dict(resume.algorithm)
                restore_rollout(self.rollout, resume.rollout)
            except (RuntimeError, KeyError, ValueError, TypeError, AttributeError) as error:
                message = " ".join(str(error).split())[:300]
                raise CheckpointError(
                    f"the checkpoint of {self.name} does not fit its own configuration "
                    f"(env, keywords, algo, hidden sizes or num_envs changed?): {message}"
                ) from None
            for name, value in resume.progress.items():
                setattr(self, name, value)
            torch.set_rng_state(resume.torch_rng)
            np.random.set_state(resume.numpy_rng)  # noqa: NPY002

    def iterate(self) -> dict[str, float]:
        """Collect one rollout (capped at the steps left) and update once, unless the rollout
        stopped early at an optimal table; return the iteration's metrics."""
        c = self.config
        left = math.ceil((c.total_steps - self.global_step) / c.num_envs)
        start = time.perf_counter()
        batch = self.rollout.collect(
            min(self.steps_per_env, left), self.sample_tables, self.global_step, self._offer
        )
        self.global_step += batch.steps
        metrics: dict[str, float] = {}
        if batch.on_policy.any() and not (c.stop_when_solved and self.best.solved):
            metrics.update(update(self.algorithm, batch, c))
            self.updates += 1
        seconds = time.perf_counter() - start
        self.wall_clock += seconds
        if self.best.solved:
            self._solved(self.best.solved_at)
        episodes = self.rollout.stats.drain()
        lengths, self.episode_steps = episode_lengths(batch.terminated, self.episode_steps)
        metrics["charts/SPS"] = batch.steps / max(seconds, 1e-9)
        metrics["charts/updates"] = self.updates
        metrics["charts/learning_rate"] = float(c.learning_rate)
        metrics["charts/episodes"] = len(episodes["returns"])
        if len(episodes["returns"]):
            metrics["charts/episodic_return"] = float(episodes["returns"].mean())
            metrics["charts/episodic_length"] = float(lengths.mean())
            metrics["econ/leader_return"] = float(episodes["returns"].mean())
            metrics["econ/follower_regret"] = float(episodes["regrets"].mean())
            metrics["econ/verified_fraction"] = float(episodes["verified"].mean())
        if self.best.score is not None:
            metrics["best/value"] = self.best.score.value
            metrics["best/regret"] = self.best.score.regret
        return metrics

    def _offer(self, checked: CheckedEpisodes) -> bool:
        """Offer checked episodes to the best table; stop the rollout once it is optimal."""
        return self.best.offer(checked) and self.config.stop_when_solved

    def score(self) -> TableScore:
        """Exact score of the current deterministic policy table (kept as ``deterministic``)."""
        c = self.config
        started = time.perf_counter()
        policy = self.algorithm.policy
        self.deterministic = score_policy(
            policy, self.vectors, c.env_id, c.env_kwargs, c.eval_seeds
        )
        self.wall_clock += time.perf_counter() - started  # evaluations count as training time
        self.curve.append((self.global_step, self.deterministic.value))
        if self.deterministic.solved(c.solve_tolerance):
            self._solved(self.global_step)
        return self.deterministic

    def _solved(self, step: int | None) -> None:
        if self.solved_at is None and step is not None:
            self.solved_at, self.solved_wall_clock = step, self.wall_clock

    @property
    def finished(self) -> bool:
        """Whether the run has nothing left to do (budget spent, or solved and stopping)."""
        c = self.config
        return self.global_step >= c.total_steps or (
            c.stop_when_solved and self.solved_at is not None
        )

    def exported(self) -> tuple[TableScore, str]:
        """The table to export and where it comes from: the best verified table, unless the
        deterministic policy's table ranks higher (equilibrium first, then exact value)."""
        deterministic = self.deterministic if self.deterministic is not None else self.score()
        best = self.best.score
        if best is not None and rank(best) >= rank(deterministic):
            return best, "best verified table"
        return deterministic, "deterministic policy"

    def checkpoint(self) -> Checkpoint:
        """The current state as a checkpoint."""
        progress = {
            name: getattr(self, name)
            for name in (
                "global_step",
                "updates",
                "wall_clock",
                "best",
                "deterministic",
                "curve",
                "solved_at",
                "solved_wall_clock",
                "episode_steps",
            )
        }
        return Checkpoint(
            config=self.config.to_dict(),
            algorithm=self.algorithm.state_dict(),
            rollout=rollout_state(self.rollout),
            progress=progress,
            torch_rng=torch.get_rng_state(),
            numpy_rng=np.random.get_state(legacy=False),  # noqa: NPY002
            run_name=self.name,
            wandb_run_id=self.wandb_run_id,
        )


def _crossed(before: int, after: int, every: int) -> bool:
    return every > 0 and after // every > before // every


def train(
    config: TrainConfig,
    run_dir: Path | str | None = None,
    resume: Checkpoint | None = None,
    on_checkpoint: Callable[[Checkpoint], None] | None = None,
    wandb_dir: Path | str | None = None,
) -> TrainResult:
    """Train PPO / MAPPO as ``config`` says; resume from ``resume`` if given.

    Writes ``checkpoint.pt`` (every ``checkpoint_seconds`` and at the end), then
    ``policy_table.json`` (the exported table with its exact score, the deterministic policy's
    beside it) and ``submission.json`` (the same table as a leaderboard submission) to
    ``run_dir`` (default ``config.run_dir/<run name>``, created exclusively: ``<run name>-2``
    if another run took that name in the same second) and, if ``config.track``, an offline
    W&B run under ``<wandb_dir>/wandb/`` (default: :func:`leaderboards.tracking.wandb_dir`, the
    one folder of every W&B run). ``on_checkpoint(checkpoint)`` is called after each
    periodic checkpoint is written (a sweep reports it to Ray Tune). The run holds
    ``run_dir``'s lock while it trains: :class:`~baselines.mappo.run_folder.RunFolderInUse` if
    another live run holds it. A W&B folder that cannot be written is a
    :class:`~leaderboards.tracking.WandbDirError` before anything is written.
    """
    if config.track:
        tracking.check_wandb_dir(tracking.wandb_dir() if wandb_dir is None else Path(wandb_dir))
    run = TrainingRun(config, resume)
    if run_dir is None:  # a new folder, never one of another run started in the same second
        run.name, run_dir = claim_run_folder(Path(config.run_dir), run.name)
    with run_folder_lock(Path(run_dir)):
        return _train_locked(run, Path(run_dir), on_checkpoint, wandb_dir)


def _train_locked(
    run: TrainingRun,
    run_dir: Path,
    on_checkpoint: Callable[[Checkpoint], None] | None,
    wandb_dir: Path | str | None,
) -> TrainResult:
    config = run.config
    wandb_run = _start_wandb(config, run, wandb_dir) if config.track else None
    first_step, first_clock = run.global_step, run.wall_clock
    try:
        _train_loop(run, run_dir, wandb_run, on_checkpoint)
    except BaseException:
        # a failed run closes its W&B run (marked failed), so a retry can resume the same id
        if wandb_run is not None:
            wandb_run.finish(exit_code=1)
        raise
    run.checkpoint().save(run_dir)
    score, source = run.exported()
    trained = run.global_step - first_step
    sps = trained / max(run.wall_clock - first_clock, 1e-9)
    record = _record(config, run, sps)
    held_out = score_table(score.table, config.env_id, config.env_kwargs, config.check_seeds)
    write_table_json(run_dir / TABLE_NAME, score, held_out, record, source, run.deterministic)
    write_submission(run_dir / SUBMISSION_NAME, score, record, run.curve)
    if wandb_run is not None:
        final = {"final/" + k.split("/")[-1]: v for k, v in score.metrics().items()}
        final |= {"final/held_out_" + k.split("/")[-1]: v for k, v in held_out.metrics().items()}
        wandb_run.summary.update({**final, "final/source": source})
        wandb_run.finish()
    run.rollout.venv.close()
    return TrainResult(
        run_dir,
        run.global_step,
        score,
        source,
        run.deterministic,
        held_out,
        run.solved_at,
        run.solved_wall_clock,
        run.wall_clock,
        sps,
    )


def _train_loop(
    run: TrainingRun,
    run_dir: Path,
    wandb_run: Any,
    on_checkpoint: Callable[[Checkpoint], None] | None,
) -> None:
    """Iterate ``run`` until it is finished or out of time: log, evaluate, checkpoint."""
    config = run.config
    bar = tqdm(
        total=config.total_steps, initial=run.global_step, unit="step", disable=not config.progress
    )
    last_checkpoint = time.monotonic()
    while not run.finished:
        before = run.global_step
        metrics = run.iterate()
        out_of_time = config.time_limit is not None and run.wall_clock >= config.time_limit
        if run.finished or out_of_time or _crossed(before, run.global_step, config.eval_every):
            metrics.update(run.score().metrics())
        bar.set_postfix(progress_postfix(run.best.score), refresh=False)
        if wandb_run is not None:
            wandb_run.log(metrics, step=run.global_step)
        bar.update(run.global_step - before)
        if time.monotonic() - last_checkpoint >= config.checkpoint_seconds:
            saved = run.checkpoint()
            saved.save(run_dir)
            if on_checkpoint is not None:
                on_checkpoint(saved)
            last_checkpoint = time.monotonic()
        if out_of_time:
            break
    bar.close()


def _start_wandb(config: TrainConfig, run: TrainingRun, wandb_dir: Path | str | None) -> Any:
    """The run's W&B run: a new one, or the resumed run's own (same id, so ``wandb sync``
    uploads the parts of a resumed run as one run, in order)."""
    wandb_run = tracking.init_wandb(
        config.wandb_project,
        run.name,
        config.to_dict(),
        group=config.wandb_group or config.env_id.split("/")[-1],
        job_type=config.algo,
        directory=wandb_dir,
        run_id=run.wandb_run_id,
    )
    run.wandb_run_id = wandb_run.id
    return wandb_run


def _record(config: TrainConfig, run: TrainingRun, sps: float) -> dict[str, Any]:
    return {
        "env_id": config.env_id,
        "env_kwargs": config.env_kwargs,
        "method": config.algo.upper() + (" basic POMDP" if config.basic_pomdp else ""),
        "run_name": run.name,
        "training_seed": config.seed,
        "training_steps": run.global_step,
        "solved_at": run.solved_at,
        "wall_clock_s": run.wall_clock,
        "steps_per_second": sps,
        "package_version": package_version(),
        "git_commit": git_commit(),
        "config": config.to_dict(),
    }
