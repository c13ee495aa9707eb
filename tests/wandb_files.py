"""Reading offline W&B run files in tests (wandb 0.31 ships no public reader).

The reader of the run file's records is the leaderboards' own
(:func:`leaderboards.wandb_log.offline_records`: the writer may still be appending while a test
reads, so an incomplete record ends the scan); this module adds what only tests need, and
:func:`wandb_written`, which a test calls before it reads a run this process logged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from leaderboards.wandb_log import offline_records

__all__ = ["offline_history", "offline_records", "wandb_written"]


def wandb_written() -> None:
    """Return once every W&B run this process logged is written whole.

    ``run.finish()`` returns before W&B's service process has necessarily written the run's
    last records (on a busy machine a test read 2 of 4 history rows). :func:`wandb.teardown`
    shuts this process's service down and waits for it to exit: an event, not a delay. The
    next run starts a new service. A run logged by another process is whole once that process
    has exited (it tears its own service down at exit).
    """
    if "wandb" in sys.modules:
        import wandb

        wandb.teardown()


def offline_history(path: Path) -> tuple[list[dict], dict]:
    """History rows and config of an offline W&B run file (once :func:`wandb_written`)."""
    wandb_written()
    rows: list[dict] = []
    config: dict = {}
    for record in offline_records(path):
        kind = record.WhichOneof("record_type")
        if kind == "history":
            items = record.history.item
            rows.append({i.key or "/".join(i.nested_key): json.loads(i.value_json) for i in items})
        elif kind == "run":
            config.update({i.key: json.loads(i.value_json) for i in record.run.config.update})
    return rows, config
