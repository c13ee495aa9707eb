"""``--submit best``: send each summary row's best trial to the local leaderboard, through the
same path as ``econ-leaderboard submit --format mappo|bilevel`` (the trial's result file read as
data and converted to a submission; the official evaluator recomputes the score)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from baselines.sweep.layout import result_path, trial_dir
from baselines.sweep.summary import Row


def submit_best(
    sweep_dir: Path | str,
    rows: list[Row],
    *,
    results_dir: Path | str | None = None,
    wandb_dir: Path | str | None = None,
    out: Callable[[str], None] = print,
) -> list[dict]:
    """Submit every row's best trial; return the accepted records. A rejected submission
    (e.g. no board has the row's keywords) is reported and skipped.

    ``results_dir``: the user's leaderboard results root (default: the leaderboards' own
    default, :func:`leaderboards.records.user_results_dir`);
    ``wandb_dir``: where the submissions' W&B runs go (``None``: no run).
    """
    from leaderboards.convert import read_converted
    from leaderboards.submit import submit

    records = []
    for row in rows:
        if row.best_trial is None:
            out(f"{row.label}: nothing to submit (no finished trial)")
            continue
        result = json.loads(result_path(sweep_dir, row.best_trial).read_text())
        path = trial_dir(sweep_dir, row.best_trial) / result["policy_file"]
        try:
            submitted = submit(
                read_converted(path, result["format"]),
                env_id=row.env_id,
                results_dir=results_dir,
                wandb_dir=wandb_dir,
            )
        except ValueError as error:  # SubmissionError included
            out(f"{row.label}: not submitted: {error}")
            continue
        record = submitted.record
        out(
            f"{row.label}: submitted {row.best_trial} to {record['board']}: "
            f"{record['metric']} {record['score']:.4f} (regret {record['regret']:.4f})"
        )
        records.append(record)
    return records
