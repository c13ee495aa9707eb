"""Leaderboards for the econ_envs suite: boards derived from the registry, submissions as data,
official re-evaluation with fixed seeds, versioned JSON result records, W&B runs and rendered
boards (SPEC §5). Command line: ``econ-leaderboard`` (:mod:`leaderboards.cli`).

Layout: :mod:`~leaderboards.board` (a board as data), :mod:`~leaderboards.boards` (every board,
from the registry and the published presets), :mod:`~leaderboards.families` (how each family's
boards are built, submitted to, evaluated, seeded and read: one declared object per family),
:mod:`~leaderboards.submission` (strict checks), :mod:`~leaderboards.evaluator`,
:mod:`~leaderboards.records` (atomic JSON records), :mod:`~leaderboards.submit`,
:mod:`~leaderboards.seed`, :mod:`~leaderboards.render`, :mod:`~leaderboards.wandb_log`,
:mod:`~leaderboards.sync`, and the plumbing the baselines share: :mod:`~leaderboards.tracking`
(W&B runs), :mod:`~leaderboards.cli_options`, :mod:`~leaderboards.extras` and the result-file
formats of :mod:`~leaderboards.convert`. The baselines may import the leaderboards; the
leaderboards never import the baselines.
"""

from leaderboards.boards import Board, boards, find_board, select
from leaderboards.evaluator import EVALUATOR_VERSION, Evaluation, evaluate_submission
from leaderboards.records import (
    OFFICIAL_RESULTS_DIR,
    RecordWarning,
    StorageError,
    load_records,
    rank,
    user_results_dir,
    write_record,
)
from leaderboards.submission import (
    Submission,
    SubmissionError,
    load_submission,
    params_submission,
    save_submission,
    table_submission,
)
from leaderboards.submit import SubmitResult, submit

__all__ = [
    "EVALUATOR_VERSION",
    "OFFICIAL_RESULTS_DIR",
    "Board",
    "Evaluation",
    "RecordWarning",
    "StorageError",
    "Submission",
    "SubmissionError",
    "SubmitResult",
    "boards",
    "evaluate_submission",
    "find_board",
    "load_records",
    "load_submission",
    "params_submission",
    "rank",
    "save_submission",
    "select",
    "submit",
    "table_submission",
    "user_results_dir",
    "write_record",
]
