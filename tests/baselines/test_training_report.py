"""What ``econ-baselines train`` says it found: the progress bar shows the best verified table's
exact value and regret (the number that improves, and the one exported), and the run ends by
naming its table, its submission and the exact ``econ-leaderboard submit`` command, which
submits it as printed. Both commands run for real, in subprocesses."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np

from baselines.mappo.evaluation import TableScore
from baselines.mappo.metrics import progress_postfix
from leaderboards.convert import SUBMISSION_NAME, TABLE_NAME
from tests import ROOT

ESCAPE = "econ_envs/Escape-v0"
#: a short Escape run (the one of test_training.py), stopping at the optimum; progress bar on
TRAIN = (
    "train --env econ_envs/Escape-v0 --seed 1 --num-envs 64 --rollout-steps 6400 "
    "--learning-rate 3e-3 --eval-every 6400 --steps 12800 --no-track"
)


def _run(command: list[str], **environment: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WANDB_MODE": "offline", "WANDB_SILENT": "true", **environment}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_the_postfix_is_the_best_verified_tables_score() -> None:
    score = TableScore(np.array([2]), np.array([0.5, 1.0]), np.array([0.0, 0.25]), 1.0, (0, 1))
    assert progress_postfix(score) == {"best_value": "0.7500", "best_regret": "0.2500"}
    assert progress_postfix(None) == {"best": "none verified yet"}


def test_a_run_shows_its_best_table_and_ends_with_the_command_that_submits_it(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "runs"
    trained = _run([sys.executable, "-m", "baselines.cli", *TRAIN.split(), "--run-dir", str(runs)])
    assert trained.returncode == 0, trained.stderr
    (run_dir,) = runs.iterdir()
    document = json.loads((run_dir / TABLE_NAME).read_text())
    assert document["table_source"] == "best verified table"
    score = document["score"]
    bar = trained.stderr.split("\r")[-1]  # the bar as it was left
    assert f"best_value={score['value']:.4f}, best_regret={score['regret']:.4f}]" in bar
    submission = run_dir / SUBMISSION_NAME
    command = f"econ-leaderboard submit --env {ESCAPE} --file {shlex.quote(str(submission))}"
    assert trained.stdout.splitlines()[-3:] == [
        f"policy table: {run_dir / TABLE_NAME}",
        f"submission: {submission}",
        f"submit it: {command}",
    ]
    program, *arguments = shlex.split(command)
    submitted = _run(
        [str(Path(sys.executable).with_name(program)), *arguments],
        ECON_LEADERBOARD_RESULTS=str(tmp_path / "results"),
        WANDB_DIR=str(tmp_path),
    )
    assert submitted.returncode == 0, submitted.stderr
    assert submitted.stdout.startswith("Escape-v0/default: MAPPO scored ")
