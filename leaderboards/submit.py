"""The submission path: check, evaluate officially, record, log — the one way a score is made.

:func:`submit` is what ``econ-leaderboard submit`` and the board seeding both call. A rejected
submission raises :class:`~leaderboards.submission.SubmissionError` before anything is written.

Order: check, look for an identical entry on the board (same method and table or params: then
nothing is evaluated, written or logged, and the earlier record is returned), check that the
results folder is writable, evaluate, then, holding the board folder's lock, look again and
write the record atomically (N identical concurrent submissions record one), then log its
W&B run. A
failure to write either is a
:class:`~leaderboards.records.StorageError`; a run left missing or truncated (by that, or by a
kill) is re-logged from the record by ``econ-leaderboard sync`` (:mod:`leaderboards.sync`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaderboards.evaluator import evaluate_submission
from leaderboards.records import (
    StorageError,
    board_lock,
    check_writable,
    make_record,
    stored_records,
    user_results_dir,
    write_record,
)
from leaderboards.submission import Submission, load_submission
from leaderboards.tracking import DEFAULT_WANDB_DIR


@dataclass(frozen=True)
class SubmitResult:
    """What one accepted submission produced.

    Attributes:
        record: the result record.
        path: where the record was written.
        wandb_run: the folder of the W&B run, or ``None`` when W&B logging was off or nothing
            was written.
        duplicate: whether an identical entry was already on the board: then ``record`` and
            ``path`` are that earlier one's and nothing was written.
    """

    record: dict[str, Any]
    path: Path
    wandb_run: Path | None
    duplicate: bool = False


def _on_the_board(submission: Submission, results_dir: Path | str | None) -> SubmitResult | None:
    """The earlier record of the same entry, if the board has one."""
    for stored in stored_records(submission.board, results_dir):
        if stored.submission.entry_key == submission.entry_key:
            return SubmitResult(stored.record, stored.path, None, duplicate=True)
    return None


def submit(
    source: str | Path | Mapping[str, Any],
    *,
    env_id: str | None = None,
    method: str | None = None,
    results_dir: Path | str | None = None,
    wandb_dir: Path | str | None = DEFAULT_WANDB_DIR,
    force: bool = False,
) -> SubmitResult:
    """Evaluate a submission (a JSON file or its data) and record the official result.

    Args:
        source: the submission file, or the submission as a mapping.
        env_id: if given, the submission must be for this id.
        method: if given, replaces the submission's method name.
        results_dir: the user's results root (records go to ``<root>/<env name>/<preset>/``;
            default :func:`~leaderboards.records.user_results_dir`); the official records count too.
        wandb_dir: where the W&B run is written (``<wandb_dir>/wandb/``; default ``runs``, the
            documented folder, which the CLI replaces by ``$WANDB_DIR`` when set); ``None`` =
            no run.
        force: evaluate and record it even if an identical entry is on the board (the newest
            record of an entry is the one listed).
    """
    submission = load_submission(source, env_id=env_id, method=method)
    earlier = None if force else _on_the_board(submission, results_dir)
    if earlier is not None:
        return earlier
    folder = Path(user_results_dir(results_dir), *submission.board.directory.parts)
    check_writable(folder)
    record = make_record(submission, evaluate_submission(submission))
    with board_lock(folder):  # concurrent identical submissions: the first one is recorded
        earlier = None if force else _on_the_board(submission, results_dir)
        if earlier is not None:
            return earlier
        path = write_record(record, results_dir)
    run = None
    if wandb_dir is not None:
        from leaderboards.wandb_log import log_record

        try:
            run = log_record(record, directory=wandb_dir)
        except StorageError as error:
            raise StorageError(
                f"the record {path} was written, but not its W&B run ({error}); "
                "`econ-leaderboard sync` logs it"
            ) from error
    return SubmitResult(record, path, run)
