"""Where a sweep keeps its files, all under one sweep directory (``runs/sweeps/<name>``)::

sweep.yaml           the sweep file, as given (``--resume`` reads it)
trials/<trial>/      each trial's run directory: checkpoint.pt, policy_table.json or
                     bilevel.json, result.json, wandb/
tune/                Ray Tune's experiment state, trial logs and reported checkpoints
ray/<session>/       Ray's own logs
summary.json, summary.md
"""

from __future__ import annotations

from pathlib import Path

SWEEP_FILE = "sweep.yaml"
TRIALS_DIR = "trials"
TUNE_DIR = "tune"
RAY_LOGS_DIR = "ray"
RESULT_NAME = "result.json"
SUMMARY_JSON = "summary.json"
SUMMARY_MD = "summary.md"


def trial_dir(sweep_dir: Path | str, name: str) -> Path:
    """The run directory of trial ``name``."""
    return Path(sweep_dir) / TRIALS_DIR / name


def result_path(sweep_dir: Path | str, name: str) -> Path:
    """The ``result.json`` of trial ``name``."""
    return trial_dir(sweep_dir, name) / RESULT_NAME
