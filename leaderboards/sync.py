"""``econ-leaderboard sync``: make the W&B runs agree with the records after a kill.

A submit writes the record first (atomically), then its W&B run. A submit killed in between, or
while W&B is writing, leaves a record whose run is missing or truncated; one whose W&B folder was
not writable leaves the same. :func:`sync` finds every listed record whose offline run is not
whole (:func:`leaderboards.wandb_log.run_state`), removes the broken run folder and logs the run
again from the record, so that a record and its run never disagree for longer than until the
next sync. It also removes temporary files that killed writers left in the results folders.
Records are never changed; a run without a record cannot arise (the run is logged after it).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaderboards.boards import boards
from leaderboards.records import load_records, remove_stale_temporaries, storing, user_results_dir
from leaderboards.tracking import DEFAULT_WANDB_DIR, wandb_mode


@dataclass
class SyncReport:
    """What :func:`sync` found and did.

    Attributes:
        checked: how many records were checked.
        relogged: ``(record, state before, new run folder)`` of each re-logged run.
        removed: the stale temporary files removed.
    """

    checked: int = 0
    relogged: list[tuple[dict[str, Any], str, Path]] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def sync(
    results_dir: Path | str | None = None,
    wandb_dir: Path | str = DEFAULT_WANDB_DIR,
    *,
    progress: Callable[[dict[str, Any], str, Path], None] | None = None,
) -> SyncReport:
    """Re-log the W&B run of every listed record under ``results_dir`` (default
    :func:`~leaderboards.records.user_results_dir`; the official records are not this machine's
    runs) whose offline run under ``<wandb_dir>/wandb/`` is missing or truncated; ``progress``
    is called after each.

    Needs offline W&B (``WANDB_MODE`` unset or ``offline``): an online run cannot be checked here,
    so a ``ValueError`` says so. Writing failures raise :class:`~leaderboards.records.StorageError`.
    """
    from leaderboards.wandb_log import log_record, run_folders, run_state

    if wandb_mode() != "offline":
        raise ValueError(
            f"sync checks offline W&B runs: WANDB_MODE must be unset or 'offline', "
            f"got {wandb_mode()!r}"
        )
    report = SyncReport()
    for board in boards():
        folder = Path(user_results_dir(results_dir), *board.directory.parts)
        with storing(folder):
            report.removed += remove_stale_temporaries(folder)
        for record in load_records(board, results_dir, official=False):
            report.checked += 1
            state = run_state(record, wandb_dir)
            if state == "whole":
                continue
            with storing(Path(wandb_dir, "wandb")):
                for broken in run_folders(record, wandb_dir):
                    shutil.rmtree(broken)
            run = log_record(record, directory=wandb_dir)
            report.relogged.append((record, state, run))
            if progress is not None:
                progress(record, state, run)
    return report
