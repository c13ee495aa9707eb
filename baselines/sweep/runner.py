"""Run a sweep on Ray Tune: every trial of the sweep file, on the local cores or a Ray cluster.

Tune schedules the trials (``cpus_per_trial`` each), retries a failed trial from its last
checkpoint (``max_failures``) and keeps the experiment's state under ``<sweep dir>/tune``, so a
resumed sweep (``Tuner.restore``) runs only the trials that had not finished. Ray's logs are
copied to ``<sweep dir>/ray/<session>``; the console shows :class:`Progress` lines only.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ray
from ray import tune

from baselines.sweep.layout import RAY_LOGS_DIR, TUNE_DIR
from baselines.sweep.progress import Progress
from baselines.sweep.schema import SweepConfig
from baselines.sweep.summary import Row, load_results, markdown, summarize, write_summary
from baselines.sweep.trial import run_trial

#: Tune's console output off (its "new output" prints tables even at verbose=0), and no warning
#: about experiment snapshots forced by each reported checkpoint (``num_to_keep=1``)
_QUIET = {
    "RAY_AIR_NEW_OUTPUT": "0",
    "TUNE_WARN_EXCESSIVE_EXPERIMENT_CHECKPOINT_SYNC_THRESHOLD_S": "0",
}


def trial_name(trial: Any) -> str:
    """Tune's name and directory name of a trial: the sweep's trial name."""
    return trial.config["trial"]["name"]


def run_sweep(
    config: SweepConfig,
    sweep_dir: Path | str,
    *,
    address: str | None = None,
    resume: bool = False,
    trainable: Callable[[dict[str, Any]], None] = run_trial,
    out: Callable[[str], None] = print,
) -> list[Row]:
    """Run (or, with ``resume``, continue) the sweep in ``sweep_dir``; print, write and return
    its summary.

    Uses the running Ray runtime if there is one, else starts one (``address``: an existing
    cluster, e.g. ``"auto"``; ``None``: a local runtime on every local core).
    ``trainable`` replaces :func:`~baselines.sweep.trial.run_trial` (tests inject failures).
    """
    sweep_dir = Path(sweep_dir).resolve()
    os.environ.update(_QUIET)
    started = not ray.is_initialized()
    if started:
        ray.init(
            address=address,
            log_to_driver=False,
            include_dashboard=False,
            logging_level=logging.WARNING,
        )
    begin = time.perf_counter()
    try:
        resources = tune.with_resources(trainable, {"cpu": config.cpus_per_trial})
        experiment = sweep_dir / TUNE_DIR
        if resume and tune.Tuner.can_restore(experiment):
            tuner = tune.Tuner.restore(str(experiment), resources, resume_errored=True)
        else:
            tuner = _tuner(config, sweep_dir, resources, out)
        trials = config.trials()
        out(
            f"sweep {config.name}: {len(trials)} trials, {ray.cluster_resources()['CPU']:.0f} "
            f"CPUs, {config.cpus_per_trial} per trial; results in {sweep_dir}"
        )
        tuner.fit()
    finally:
        _copy_ray_logs(sweep_dir)
        if started:
            ray.shutdown()
    wall_clock = time.perf_counter() - begin
    rows = summarize(config, load_results(sweep_dir))
    json_path, md_path = write_summary(sweep_dir, config, rows, wall_clock)
    out(markdown(rows, wall_clock))
    out(f"summary: {md_path} and {json_path.name}")
    return rows


def _tuner(
    config: SweepConfig, sweep_dir: Path, trainable: Any, out: Callable[[str], None]
) -> tune.Tuner:
    """A new Tuner running every trial of ``config`` once (a grid over the trial list)."""
    space = {
        "sweep_dir": str(sweep_dir),
        "trial": tune.grid_search([trial.to_dict() for trial in config.trials()]),
    }
    return tune.Tuner(
        trainable,
        param_space=space,
        tune_config=tune.TuneConfig(
            trial_name_creator=trial_name, trial_dirname_creator=trial_name, reuse_actors=True
        ),
        run_config=tune.RunConfig(
            name=TUNE_DIR,
            storage_path=str(sweep_dir),
            failure_config=tune.FailureConfig(max_failures=config.max_failures),
            checkpoint_config=tune.CheckpointConfig(num_to_keep=1),
            callbacks=[Progress(config.max_failures, out)],
            verbose=0,
            log_to_file=True,
        ),
    )


def _copy_ray_logs(sweep_dir: Path) -> None:
    """Copy this Ray session's logs (of the local node) to ``<sweep dir>/ray/<session>``."""
    node = ray._private.worker._global_node  # the public API does not expose the log folder
    if node is None:
        return
    session = Path(node.get_session_dir_path())
    target = sweep_dir / RAY_LOGS_DIR / session.name
    shutil.copytree(session / "logs", target, dirs_exist_ok=True, ignore_dangling_symlinks=True)
