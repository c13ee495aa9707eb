"""Log an accepted result record as a W&B run (offline unless the user configured W&B).

The run lives in project :data:`PROJECT`, holds the whole record as its summary (and its
provenance in the config) and the evaluation as a W&B Table; ``wandb sync`` publishes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from baselines.tracking import init_wandb, run_name
from leaderboards.evaluator import Evaluation

PROJECT = "econ-envs-leaderboard"


def log_record(
    record: dict[str, Any], evaluation: Evaluation, *, directory: Path | str = "."
) -> Path:
    """Write the W&B run of ``record`` under ``<directory>/wandb/`` and return the run's folder."""
    import wandb  # lazy: only submitting needs it

    config = {
        key: record[key]
        for key in ("board", "env_id", "env_kwargs", "method", "training", "evaluator")
    }
    run = init_wandb(
        PROJECT,
        run_name(record["env_id"], record["method"].replace(" ", "-"), 0),
        config,
        group=record["board"],
        job_type="leaderboard-submission",
        directory=directory,
    )
    try:
        run.summary.update({k: v for k, v in record.items() if k != "submission"})
        table = wandb.Table(
            columns=list(evaluation.columns),
            data=[list(map(_cell, row)) for row in evaluation.rows],
        )
        run.log({"evaluation": table})
        folder = Path(run.dir).parent
    finally:
        run.finish()
    return folder


def _cell(value: Any) -> Any:
    """A W&B Table cell: nested lists become their JSON-like string."""
    return str(value) if isinstance(value, list | tuple) else value
