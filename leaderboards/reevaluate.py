"""``econ-leaderboard reevaluate``: score the records of a results folder again under the
current evaluator.

A record holds its submission (data), and the evaluator is deterministic, so a record scored by
an older evaluator version (or other seeds) is made current by evaluating its submission again:
the new record keeps the submission, its training fields and its timestamp, and replaces the old
file (written atomically under the board's lock, then the old file removed). Records already
current are left alone; a boards listing skips stale records until this has run. The new
records' W&B runs are logged by ``econ-leaderboard sync``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from leaderboards.boards import boards
from leaderboards.evaluator import evaluate_submission
from leaderboards.records import (
    StoredRecord,
    board_lock,
    make_record,
    read_record,
    scored_now,
    storing,
    user_results_dir,
    write_record,
)


@dataclass(frozen=True)
class Rescored:
    """One record scored again.

    Attributes:
        old: the stale record (its path and content).
        path: the new record's file.
        record: the new record.
    """

    old: StoredRecord
    path: Path
    record: dict[str, Any]


def reevaluate(
    results_dir: Path | str | None = None,
    *,
    progress: Callable[[Rescored], None] | None = None,
) -> list[Rescored]:
    """Score every stale valid record under ``results_dir`` (default
    :func:`~leaderboards.records.user_results_dir`) again and replace it; ``progress`` is called
    after each. Files that are not valid records are left alone (a board listing warns about
    them). A failure to write is a :class:`~leaderboards.records.StorageError`."""
    root = user_results_dir(results_dir)
    done: list[Rescored] = []
    for board in boards():
        folder = Path(root, *board.directory.parts)
        if not folder.is_dir():
            continue
        with board_lock(folder):
            for path in sorted(folder.glob("[!.]*.json")):
                try:
                    stored = read_record(path, board)
                except ValueError:
                    continue
                if scored_now(stored.record, board):
                    continue
                when = datetime.fromisoformat(stored.record["timestamp"])
                record = make_record(
                    stored.submission, evaluate_submission(stored.submission), timestamp=when
                )
                new_path = write_record(record, root)
                with storing(path):
                    path.unlink()
                done.append(Rescored(stored, new_path, record))
                if progress is not None:
                    progress(done[-1])
    return done
