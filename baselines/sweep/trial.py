"""One trial of a sweep, as a Ray Tune function trainable: an ordinary ``train`` or ``bilevel``
run in its own run directory ``<sweep dir>/trials/<trial name>``.

A ``train`` trial reports every periodic checkpoint of the run (``checkpoint_seconds``) to Tune;
when Tune retries a failed trial (``max_failures``) it resumes from the last one, which ends
exactly where the uninterrupted run would have. A ``bilevel`` run has no checkpoint: a retry
starts it again (it is reproducible from its seed). Either way the trial ends by writing
``result.json`` (the trial, its exact score, wall-clock, env steps) and reporting it; a trial
that finds its ``result.json`` already written reports it and trains nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ray import tune

from baselines.sweep.layout import result_path, trial_dir
from baselines.sweep.schema import TRAIN, TrialSpec, bilevel_split

BILEVEL_NAME = "bilevel.json"
#: the scalar fields of a result that are reported to Tune (and printed as progress)
REPORTED = ("score", "regret", "solved", "env_steps", "wall_clock_s", "resumed_from_step")

Observer = Callable[[int], None]


def run_trial(config: dict[str, Any], on_checkpoint: Observer | None = None) -> None:
    """Run the trial ``config["trial"]`` (a :class:`TrialSpec` as a dict) of the sweep in
    ``config["sweep_dir"]``, write its ``result.json`` and report it to Tune.

    ``on_checkpoint(global_step)`` is called after each checkpoint is reported to Tune (the
    tests raise there once, to check that Tune retries the trial from that checkpoint).
    """
    spec = TrialSpec.from_dict(config["trial"])
    run_dir = trial_dir(config["sweep_dir"], spec.name)
    path = result_path(config["sweep_dir"], spec.name)
    if path.is_file():  # finished in an earlier sweep process whose Tune state was not saved
        result = json.loads(path.read_text())
    else:
        begin = time.perf_counter()
        run = _train if spec.kind == TRAIN else _bilevel
        result = {**spec.to_dict(), **run(spec, run_dir, on_checkpoint)}
        result["wall_clock_s"] = time.perf_counter() - begin
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(result, indent=2))
        temporary.replace(path)
    tune.report({k: result[k] for k in REPORTED if result[k] is not None})


def _train(spec: TrialSpec, run_dir: Path, on_checkpoint: Observer | None) -> dict[str, Any]:
    from baselines.mappo.checkpoint import CHECKPOINT_NAME, Checkpoint
    from baselines.mappo.config import TrainConfig
    from baselines.mappo.train import TABLE_NAME, train

    config = TrainConfig(
        env_id=spec.env_id,
        env_kwargs=dict(spec.env_kwargs),
        algo=spec.algorithm,
        seed=spec.seed,
        progress=False,
        track=spec.track,
        wandb_group=spec.sweep,
        # one trial per CPU by default: more intra-op threads only contend
        **{"torch_threads": 1, **spec.hyperparameters},
    )
    resume = None
    reported = tune.get_checkpoint()
    if reported is not None:
        with reported.as_directory() as directory:
            resume = Checkpoint.load(Path(directory) / CHECKPOINT_NAME)

    def report(checkpoint: Checkpoint) -> None:
        with tempfile.TemporaryDirectory() as directory:
            shutil.copy2(run_dir / CHECKPOINT_NAME, directory)
            tune.report(
                {"global_step": checkpoint.global_step},
                checkpoint=tune.Checkpoint.from_directory(directory),
            )
        if on_checkpoint is not None:
            on_checkpoint(checkpoint.global_step)

    result = train(config, run_dir, resume, on_checkpoint=report, wandb_dir=run_dir)
    return {
        "score": result.score.value,
        "higher_is_better": True,
        "regret": result.score.regret,
        "optimal_value": result.score.optimal_value,
        "solved": result.score.solved(config.solve_tolerance),
        "env_steps": result.global_step,
        "training_s": result.wall_clock,
        "resumed_from_step": 0 if resume is None else resume.global_step,
        "policy_file": TABLE_NAME,
        "format": "mappo",
    }


def _bilevel(spec: TrialSpec, run_dir: Path, on_checkpoint: Observer | None) -> dict[str, Any]:
    from baselines.bilevel.runner import optimize
    from leaderboards.tracking import init_wandb

    method_config, options = bilevel_split(spec.algorithm, spec.hyperparameters)
    tracker = None
    if spec.track:
        tracker = init_wandb(
            "econ_envs-bilevel",
            spec.name,
            spec.to_dict(),
            group=spec.sweep,
            job_type="bilevel",
            directory=run_dir,
        )
    result = optimize(
        spec.env_id,
        spec.algorithm,
        config=method_config,
        seed=spec.seed,
        log=None if tracker is None else (lambda step, m: tracker.log(m, step=step)),
        progress=False,
        **options,
        **spec.env_kwargs,
    )
    evaluation = result.evaluation
    if tracker is not None:
        tracker.summary.update({"eval/objective": evaluation["objective"]})
        tracker.finish()
    result.write_json(run_dir / BILEVEL_NAME)
    return {
        "score": evaluation["objective"],
        "higher_is_better": evaluation["higher_is_better"],
        "regret": 0.0,  # truthful reporting is dominant
        "optimal_value": None,
        "solved": None,
        "env_steps": None,
        "training_s": result.wall_clock_s,
        "resumed_from_step": 0,
        "policy_file": BILEVEL_NAME,
        "format": "bilevel",
    }
