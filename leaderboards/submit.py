"""The submission path: check, evaluate officially, record, log — the one way a score is made.

:func:`submit` is what ``econ-leaderboard submit`` and the board seeding both call. A rejected
submission raises :class:`~leaderboards.submission.SubmissionError` before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaderboards.evaluator import evaluate_submission
from leaderboards.records import RESULTS_DIR, make_record, write_record
from leaderboards.submission import load_submission


@dataclass(frozen=True)
class SubmitResult:
    """What one accepted submission produced.

    Attributes:
        record: the result record.
        path: where the record was written.
        wandb_run: the folder of the W&B run, or ``None`` when W&B logging was off.
    """

    record: dict[str, Any]
    path: Path
    wandb_run: Path | None


def submit(
    source: str | Path | Mapping[str, Any],
    *,
    env_id: str | None = None,
    method: str | None = None,
    results_dir: Path | str = RESULTS_DIR,
    wandb_dir: Path | str | None = ".",
) -> SubmitResult:
    """Evaluate a submission (a JSON file or its data) and record the official result.

    Args:
        source: the submission file, or the submission as a mapping.
        env_id: if given, the submission must be for this id.
        method: if given, replaces the submission's method name.
        results_dir: the results root (records go to ``<root>/<env name>/<preset>/``).
        wandb_dir: where the W&B run is written (``<wandb_dir>/wandb/``); ``None`` = no run.
    """
    submission = load_submission(source, env_id=env_id, method=method)
    evaluation = evaluate_submission(submission)
    record = make_record(submission, evaluation)
    path = write_record(record, results_dir)
    run = None
    if wandb_dir is not None:
        from leaderboards.wandb_log import log_record

        run = log_record(record, evaluation, directory=wandb_dir)
    return SubmitResult(record, path, run)
